"""The quote ledger of a piece, with the checks that need the store.

Quote integrity compares the piece with the revision it went live in: a quote whose words
differ is flagged with the word diff and the first save that had the new words. A quote that
another piece carries with different words is flagged with that piece.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher

from editor_app.copydesk.quotes import Flag, Quote, find_quotes
from editor_app.copydesk.style import default_sheet_text
from editor_app.domain.diff import DiffOp, word_diff
from editor_app.domain.errors import NotFound
from editor_app.services.style import STYLE_KEY, names_of
from editor_app.store.models import Revision
from editor_app.store.uow import UnitOfWork, UowFactory

__all__ = ["Flag", "Quote", "QuoteLedger", "QuoteService", "diff_markup"]

# Below this many words a quote is a phrase ("concrete steps"): too common to compare.
_MIN_WORDS = 5
_SAME_QUOTE = 0.6  # word similarity above which two quotes are one quote, edited
_CANDIDATES = 20


@dataclass(frozen=True)
class QuoteLedger:
    article_id: int | None
    title: str
    quotes: tuple[Quote, ...]
    published_revision_id: int | None  # what integrity compared against, if anything


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, _words(a), _words(b), autojunk=False).ratio()


def _same_words(a: str, b: str) -> bool:
    return _words(a) == _words(b)


def diff_markup(ops: tuple[DiffOp, ...]) -> str:
    """`[-old-]{+new+}` as `editor-app diff` writes it."""
    out = []
    for op in ops:
        if op.kind == "equal":
            out.append(op.text)
        elif op.kind == "delete":
            out.append(f"[-{op.text}-]")
        else:
            out.append(f"{{+{op.text}+}}")
    return "".join(out)


def went_live(revisions_newest_first: list[Revision]) -> Revision | None:
    """The revision in which the piece last became published (later saves keep it live)."""
    live: Revision | None = None
    previous = ""
    for rev in reversed(revisions_newest_first):
        status = str(rev.snapshot.get("status", ""))
        if status == "published" and previous != "published":
            live = rev
        previous = status
    return live


class QuoteService:
    def __init__(self, uow: UowFactory):
        self._uow = uow
        # A revision never changes: its quotes are read once (the editor asks as you type).
        self._revision_quotes: dict[int, list[Quote]] = {}
        self._article_quotes: dict[tuple[int, int], list[Quote]] = {}  # by (id, version)

    def _quotes_of(self, rev: Revision) -> list[Quote]:
        found = self._revision_quotes.get(rev.id)
        if found is None:
            if len(self._revision_quotes) > 500:
                self._revision_quotes = {}  # a new dict: a check in another thread keeps its own
            found = find_quotes(str(rev.snapshot.get("body_html", "")))
            self._revision_quotes[rev.id] = found
        return found

    def ledger(
        self, article_id: int | None, *, body_html: str | None = None, title: str = ""
    ) -> QuoteLedger:
        """The ledger of a stored piece, or of `body_html` as it stands in the editor."""
        with self._uow() as uow:
            people = self._people(uow)
            published: Revision | None = None
            revisions: list[Revision] = []
            if article_id is not None:
                article = uow.articles.get(article_id)
                if article is None:
                    raise NotFound(f"no article with id {article_id}")
                title = article.title
                if body_html is None:
                    body_html = article.body_html
                revisions = uow.articles.revisions(article_id)
                published = went_live(revisions)
            quotes = find_quotes(body_html or "", people=people)
            if published is not None:
                quotes = self._integrity(quotes, published, revisions)
            quotes = self._elsewhere(uow, article_id, quotes)
            return QuoteLedger(
                article_id=article_id,
                title=title,
                quotes=tuple(quotes),
                published_revision_id=published.id if published else None,
            )

    @staticmethod
    def _people(uow: UnitOfWork) -> list[str]:
        """The store's people: its authors, and the names its house style sheet prefers."""
        names = [a.name for a in uow.authors.all()]
        row = uow.settings.get(STYLE_KEY)
        preferred = row.value.get("names") if row is not None else None
        if row is None:
            preferred = names_of(default_sheet_text())
        if isinstance(preferred, list):
            names.extend(str(n.get("use", "")) for n in preferred if isinstance(n, dict))
        return [n for n in names if n]

    def _integrity(
        self, quotes: list[Quote], published: Revision, revisions: list[Revision]
    ) -> list[Quote]:
        before = self._quotes_of(published)
        now_texts = [q.text for q in quotes]
        later = [r for r in reversed(revisions) if r.saved_at >= published.saved_at]
        later = [r for r in later if r.id != published.id]
        out: list[Quote] = []
        for q in quotes:
            if any(_same_words(q.text, b.text) for b in before):
                out.append(q)
                continue
            candidates = [b for b in before if not any(_same_words(b.text, t) for t in now_texts)]
            best = max(candidates, key=lambda b: _similarity(b.text, q.text), default=None)
            if best is None or _similarity(best.text, q.text) < _SAME_QUOTE:
                out.append(q)  # a new quote, not an edited one
                continue
            by = "unsaved edits"
            for rev in later:
                if any(_same_words(x.text, q.text) for x in self._quotes_of(rev)):
                    by = f"{rev.saved_by or 'someone'} ({rev.saved_at:%Y-%m-%d %H:%M})"
                    break
            ops = word_diff(best.text, q.text)
            out.append(
                q.with_flag(
                    Flag(
                        "changed",
                        f"words changed since the published revision by {by}: {diff_markup(ops)}",
                        by=by,
                        old_text=best.text,
                    )
                )
            )
        return out

    def _elsewhere(
        self, uow: UnitOfWork, article_id: int | None, quotes: list[Quote]
    ) -> list[Quote]:
        """A quote another piece carries with different words."""
        cache: dict[int, list[Quote]] = {}
        titles: dict[int, str] = {}
        out: list[Quote] = []
        for q in quotes:
            words = re.findall(r"\w{4,}", q.text)
            if len(_words(q.text)) < _MIN_WORDS:
                out.append(q)
                continue
            half = len(words) // 2
            ids: list[int] = []
            for part in (words[:half], words[half:]):
                longest = sorted(part, key=len, reverse=True)[:3]
                if longest:
                    ids.extend(uow.search.articles(" ".join(longest), limit=_CANDIDATES))
            ids = [i for i in dict.fromkeys(ids) if i != article_id]
            missing = [i for i in ids if i not in cache]
            for art in uow.articles.by_ids(missing):
                key = (art.id, art.version)
                found = self._article_quotes.get(key)
                if found is None:
                    if len(self._article_quotes) > 2000:
                        self._article_quotes = {}
                    found = find_quotes(art.body_html)
                    self._article_quotes[key] = found
                cache[art.id] = found
                titles[art.id] = art.title
            flags: list[Flag] = []
            for other_id in ids:
                for other in cache.get(other_id, []):
                    if _same_words(other.text, q.text):
                        continue
                    if _similarity(other.text, q.text) >= 0.75:
                        ops = word_diff(other.text, q.text)
                        flags.append(
                            Flag(
                                "differs_elsewhere",
                                f"“{titles[other_id]}” (article {other_id}) quotes it as: "
                                f"{diff_markup(ops)}",
                                article_id=other_id,
                                old_text=other.text,
                            )
                        )
                        break
            out.append(replace(q, flags=(*q.flags, *flags)) if flags else q)
        return out
