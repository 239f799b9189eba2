"""Imports: read every file first, then write all of it in one transaction, or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from editor_app.domain.commenters import commenter_key
from editor_app.domain.errors import Cancelled, ImportFailed, InvalidInput
from editor_app.domain.statuses import ArticleStatus, CommentStatus
from editor_app.domain.text import normalise_name, slugify
from editor_app.formats import detect
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData
from editor_app.formats.comment_html import clean_url, comment_forms, no_markup
from editor_app.formats.htmlbody import html_to_text, sanitize_body_html
from editor_app.services.dto import ImportResult
from editor_app.services.files import UserFiles
from editor_app.services.moderation import AUTO_ACTOR, Incoming, ModerationService, Verdict
from editor_app.services.options import COMMENT_STATUS_CHOICES as COMMENT_STATUS_CHOICES
from editor_app.services.revisions import author_snapshot, figure_snapshot, snapshot_of
from editor_app.store.models import Author
from editor_app.store.uow import UnitOfWork, UowFactory

Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]


@dataclass(frozen=True)
class ImportOptions:
    format: str = "auto"
    # auto: as new comments would be (the moderation pipeline decides; for now: pending)
    comments_status: str = "auto"
    actor: str = ""


def _never() -> bool:
    return False


def _fingerprint(parent: str, body: str, name: str) -> str:
    digest = hashlib.sha256(f"{parent}\x1f{name}\x1f{body.strip()}".encode())
    return digest.hexdigest()[:40]


class ImportService:
    def __init__(self, uow: UowFactory, moderation: ModerationService | None = None):
        self._uow = uow
        # Without it (tests of the importer alone) new comments simply wait as pending.
        self._moderation = moderation

    @property
    def uow_factory(self) -> UowFactory:
        return self._uow

    def read(self, paths: Sequence[Path], fmt: str = "auto") -> list[detect.Source]:
        """Check every file (small ones are parsed whole): a bad one stops the import here."""
        if not paths:
            raise InvalidInput("nothing to import: give at least one file")
        own = UserFiles.of(self._uow)
        for p in paths:
            own.check(Path(p))  # reading it would drop the store's locks (issue 11)
        return [detect.open_source(Path(p), fmt) for p in paths]

    def import_paths(
        self,
        paths: Sequence[Path],
        options: ImportOptions | None = None,
        *,
        progress: Progress | None = None,
        cancelled: IsCancelled = _never,
    ) -> ImportResult:
        options = options or ImportOptions()
        if options.comments_status not in COMMENT_STATUS_CHOICES:
            raise InvalidInput(
                f"--comments-status must be one of {', '.join(COMMENT_STATUS_CHOICES)}"
            )
        try:
            sources = self.read(paths, options.format)
            return self.import_sources(sources, options, progress=progress, cancelled=cancelled)
        except ImportFailed as exc:
            # A refusal is one line, whatever a parser's message held.
            if "\n" in str(exc).strip():
                raise ImportFailed(" ".join(str(exc).split())) from exc
            raise

    def import_bundles(
        self,
        bundles: Sequence[Bundle],
        options: ImportOptions | None = None,
        *,
        progress: Progress | None = None,
        cancelled: IsCancelled = _never,
    ) -> ImportResult:
        sources = [detect.bundle_source(b) for b in bundles]
        return self.import_sources(sources, options, progress=progress, cancelled=cancelled)

    def import_sources(
        self,
        sources: Sequence[detect.Source],
        options: ImportOptions | None = None,
        *,
        progress: Progress | None = None,
        cancelled: IsCancelled = _never,
    ) -> ImportResult:
        """All of it in one transaction, or nothing: a failure or Cancel rolls everything back.

        Articles are written in batches (`_Batch`): a few hundred articles, or a few thousand
        comments, at a time, with a handful of statements per batch rather than several per
        row, so memory stays flat however large a streamed file (WordPress exports) is.
        `progress` gets (done, total, title); total is 0 while a stream's length is unknown.
        """
        options = options or ImportOptions()
        done = 0
        with self._uow() as uow:
            uow.bulk.begin_write()  # SQLite: imports side by side wait their turn
            authors = _AuthorMatcher(uow)
            for source in sources:
                for ad in source.authors:
                    authors.match(ad)
            batch = _Batch(uow, authors, options, self._moderation)
            for source in sources:
                for data in source.articles(cancelled):
                    if cancelled():
                        raise Cancelled("import cancelled; nothing was imported")
                    if progress:
                        progress(done, _total(sources), data.title)
                    batch.add(data)
                    done += 1
                batch.write()
                for ad in source.late_authors():
                    authors.match(ad)
            if cancelled():
                raise Cancelled("import cancelled; nothing was imported")
            uow.commit()
        if progress:
            progress(done, done, "")
        return ImportResult(
            articles=batch.articles,
            authors=authors.created,
            comments=batch.comments,
            skipped=batch.skipped,
            skipped_comments=batch.skipped_comments,
            article_ids=tuple(batch.article_ids),
            messages=tuple(authors.messages) + tuple(batch.messages),
        )


def _total(sources: Sequence[detect.Source]) -> int:
    """How many articles the import holds, once every source knows (else 0: not known)."""
    totals = [s.total() for s in sources]
    return sum(t for t in totals if t is not None) if None not in totals else 0


class _Fresh(NamedTuple):
    """A comment of a batch that the store does not have yet."""

    article_id: int
    data: CommentData
    fingerprint: str
    parent_id: int | None  # its parent is stored already
    parent_index: int | None  # its parent is new too: its index in the batch
    posted_at: datetime


@dataclass
class _Planned:
    """An article of a batch: its id (new or already stored) and the comments to add."""

    data: ArticleData
    article_id: int
    existing: bool


class _Batch:
    """Writes articles in batches: ids handed out first, then one executemany per table.

    Comments are fingerprinted, scored (one scorer call for the batch) and judged before
    they are written, so each is written once with its final status, score and reasons.
    """

    MAX_ARTICLES = 200
    MAX_COMMENTS = 5_000

    def __init__(
        self,
        uow: UnitOfWork,
        authors: _AuthorMatcher,
        options: ImportOptions,
        moderation: ModerationService | None,
    ):
        self._uow = uow
        self._authors = authors
        self._options = options
        self._moderation = moderation
        self._pending: list[ArticleData] = []
        self._pending_keys: set[str] = set()
        self._pending_comments = 0
        self.articles = self.comments = self.skipped = self.skipped_comments = 0
        self.article_ids: list[int] = []
        self.messages: list[str] = []

    def add(self, data: ArticleData) -> None:
        if not data.title.strip():
            raise ImportFailed("an article without a title cannot be imported")
        self.messages.extend(data.notes)
        if data.source_key and data.source_key in self._pending_keys:
            self.write()  # the same article twice: the second finds the first stored
        self._pending.append(data)
        if data.source_key:
            self._pending_keys.add(data.source_key)
        self._pending_comments += len(data.comments)
        if len(self._pending) >= self.MAX_ARTICLES or self._pending_comments >= self.MAX_COMMENTS:
            self.write()

    def write(self) -> None:
        items, self._pending = self._pending, []
        self._pending_keys.clear()
        self._pending_comments = 0
        if not items:
            return
        bulk = self._uow.bulk
        stored = bulk.articles_by_source_key(d.source_key for d in items)
        fresh = [d for d in items if not (d.source_key and d.source_key in stored)]
        ids = iter(bulk.reserve("articles", len(fresh)))
        planned: list[_Planned] = []
        for d in items:
            if d.source_key and d.source_key in stored:
                article_id, title = stored[d.source_key]
                planned.append(_Planned(d, article_id, existing=True))
                self.skipped += 1
                self.messages.append(f"already in the store: “{title}” (id {article_id})")
            else:
                planned.append(_Planned(d, next(ids), existing=False))
        self._write_articles([p for p in planned if not p.existing])
        self._write_comments(planned)
        self.article_ids.extend(p.article_id for p in planned)

    # -- articles ---------------------------------------------------------------------------

    def _write_articles(self, planned: Sequence[_Planned]) -> None:
        if not planned:
            return
        bulk = self._uow.bulk
        now = datetime.now(UTC)
        bases = [slugify(p.data.slug or slugify(p.data.title)) for p in planned]
        slugs = self._claim_slugs(bases)
        figure_ids = iter(bulk.reserve("figures", sum(len(p.data.figures) for p in planned)))
        rows: list[dict[str, Any]] = []
        bylines: list[dict[str, Any]] = []
        figures: list[dict[str, Any]] = []
        tags: list[dict[str, Any]] = []
        revisions: list[dict[str, Any]] = []
        actor = self._options.actor or "import"
        for p, slug in zip(planned, slugs, strict=True):
            d = p.data
            body_html = sanitize_body_html(d.body_html)
            status = d.status if d.status in _ARTICLE_STATUSES else ArticleStatus.DRAFT.value
            # A page that does not say when it was published keeps that unknown: the import
            # time is not a publication date (the author page would call it "last published").
            published_at = d.published_at
            row = {
                "id": p.article_id,
                "title": no_markup(d.title).strip(),
                "dek": d.dek.strip(),
                "slug": slug,
                "body_html": body_html,
                "body_text": html_to_text(body_html),
                "status": status,
                "kind": d.kind,
                "section": no_markup(d.section),
                "excerpt": "",
                "source_key": d.source_key or None,
                "created_at": now,
                "updated_at": now,
                "published_at": published_at,
                "version": 1,
            }
            rows.append(row)
            authors = []
            for pos, ad in enumerate(d.authors):
                author_id = self._authors.match(ad)
                bylines.append(
                    {"article_id": p.article_id, "position": pos, "author_id": author_id}
                )
                authors.append(self._authors.snapshot(author_id))
            snap_figures = []
            for pos, fd in enumerate(d.figures):
                figure_id = next(figure_ids)
                figures.append(
                    {
                        "id": figure_id,
                        "article_id": p.article_id,
                        "position": pos,
                        "anchor": fd.anchor,
                        "caption": fd.caption,
                        "credit": fd.credit,
                        "alt": fd.alt,
                        "image": fd.image,
                        "image_mime": fd.image_mime if fd.image else None,
                        "source_url": fd.source_url,
                    }
                )
                snap_figures.append(
                    figure_snapshot(figure_id, fd.caption, fd.credit, fd.alt, fd.anchor)
                )
            article_tags = list(
                dict.fromkeys(no_markup(t).strip()[:100] for t in d.tags if no_markup(t).strip())
            )
            tags.extend({"article_id": p.article_id, "tag": t} for t in article_tags)
            source = d.source_key.split(":", 1)[0] if d.source_key else "a file"
            revisions.append(
                {
                    "article_id": p.article_id,
                    "saved_at": now,
                    "saved_by": actor,
                    "note": f"Imported ({source})",
                    "snapshot": snapshot_of(
                        title=no_markup(d.title).strip(),
                        dek=d.dek.strip(),
                        slug=slug,
                        status=status,
                        section=d.section,
                        excerpt="",
                        tags=article_tags,
                        body_html=body_html,
                        published_at=published_at,
                        authors=authors,
                        figures=snap_figures,
                    ),
                }
            )
        bulk.insert("articles", rows)
        bulk.insert("bylines", bylines)
        bulk.insert("figures", figures)
        bulk.insert("article_tags", tags)
        bulk.insert("revisions", revisions)
        self.articles += len(planned)

    def _claim_slugs(self, bases: Sequence[str]) -> list[str]:
        """A slug for each new article, unique among them, the store and the imports
        running beside this one (which may hold a slug they have not committed yet)."""
        taken = self._uow.bulk.refused_slugs(bases)
        while True:
            chosen: list[str] = []
            used = set(taken)
            for base in bases:
                chosen.append(self._unique_slug(base, used))
                used.add(chosen[-1])
            refused = self._uow.bulk.refused_slugs(chosen)
            if not refused:
                return chosen
            taken |= refused

    def _unique_slug(self, base: str, taken: set[str]) -> str:
        if base not in taken:
            return base
        taken = taken | self._uow.articles.slugs_like(base)
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"

    # -- comments ---------------------------------------------------------------------------

    def _write_comments(self, planned: Sequence[_Planned]) -> None:
        bulk = self._uow.bulk
        known = bulk.fingerprints(p.article_id for p in planned if p.existing and p.data.comments)
        # First pass: which comments are new, and who their parents are.
        new: list[_Fresh] = []
        base = datetime.now(UTC)
        for p in planned:
            stored = known.get(p.article_id, {})
            used: set[str] = set()
            # comment key -> (its stored id, or its index into `new`; its fingerprint)
            by_key: dict[str, tuple[int | None, int | None, str]] = {}
            if p.data.stored_parents:
                fp_of = {cid: fp for fp, cid in stored.items()}
                for key, cid in p.data.stored_parents:
                    if cid in fp_of:
                        by_key[key] = (cid, None, fp_of[cid])
            for i, cd in enumerate(p.data.comments):
                parent = by_key.get(cd.parent_key) if cd.parent_key else None
                fp = _fingerprint(parent[2] if parent else "", cd.body, cd.author_name)
                while fp in used:  # the same words twice under one parent: two comments
                    fp = _fingerprint(fp, cd.body, "#")
                used.add(fp)
                if fp in stored:
                    by_key[cd.key] = (stored[fp], None, fp)
                    self.skipped_comments += 1
                    continue
                by_key[cd.key] = (None, len(new), fp)
                # Keep the thread's order when the source has no times.
                posted = cd.posted_at or base + timedelta(milliseconds=i)
                parent_id, parent_index = (parent[0], parent[1]) if parent else (None, None)
                new.append(_Fresh(p.article_id, cd, fp, parent_id, parent_index, posted))
        if not new:
            return
        ids = bulk.reserve("comments", len(new))
        # Every source's comment is cleaned here, on the one way in (formats.comment_html).
        forms = [comment_forms(f.data.body, is_text=f.data.body_is_text) for f in new]
        incoming = [
            Incoming(
                id=cid,
                article_id=f.article_id,
                commenter_key=commenter_key(f.data.author_email, f.data.author_name),
                body=form.text,
                posted_at=f.posted_at,
                author_name=f.data.author_name.strip(),
                author_email=f.data.author_email.strip(),
                author_url=clean_url(f.data.author_url),
                author_ip=f.data.author_ip.strip(),
            )
            for cid, f, form in zip(ids, new, forms, strict=True)
        ]
        decided = [self._comment_status(f.data) for f in new]
        verdicts: list[Verdict] | None = None
        if self._moderation is not None:
            # New comments come in through the moderation pipeline's front door.
            fresh_articles = {p.article_id for p in planned if not p.existing}
            verdicts = self._moderation.judge_incoming(
                self._uow, incoming, decided=decided, fresh_articles=fresh_articles
            )
        rows: list[dict[str, Any]] = []
        actions: list[dict[str, Any]] = []
        now = datetime.now(UTC)
        for k, (inc, f) in enumerate(zip(incoming, new, strict=True)):
            verdict = verdicts[k] if verdicts is not None else None
            if verdict is not None and f.data.suggest_only and decided[k] is None:
                verdict = _as_suggestion(verdict)
            status = verdict.status if verdict else decided[k] or CommentStatus.PENDING.value
            rows.append(
                {
                    "id": inc.id,
                    "article_id": inc.article_id,
                    "parent_id": (
                        ids[f.parent_index] if f.parent_index is not None else f.parent_id
                    ),
                    "author_name": inc.author_name,
                    "author_email": inc.author_email,
                    "author_url": inc.author_url,
                    "author_ip": inc.author_ip,
                    "body": inc.body,
                    "body_html": forms[k].html,
                    "body_original": forms[k].original,
                    "posted_at": inc.posted_at,
                    "status": status,
                    "kind": f.data.kind,
                    "score": verdict.score if verdict else None,
                    "reasons": list(verdict.reasons) if verdict else [],
                    "flagged": verdict.flagged if verdict else False,
                    "fingerprint": f.fingerprint,
                    "commenter_key": inc.commenter_key,
                    "original_body": None,
                    "edited_by": None,
                    "version": 1,
                }
            )
            if verdict is not None:
                actions.append(
                    {
                        "comment_id": inc.id,
                        "actor": AUTO_ACTOR,
                        "action": verdict.action,
                        "from_status": "new",
                        "to_status": verdict.status,
                        "reason": verdict.reason,
                        "at": now,
                        "batch": "",
                        "undone": False,
                    }
                )
        bulk.insert("comments", rows)
        bulk.insert("moderation_actions", actions)
        self.comments += len(rows)

    def _comment_status(self, cd: CommentData) -> str | None:
        """The status the source or the user decided, or None to let the rules decide."""
        if self._options.comments_status == "approved":
            return CommentStatus.APPROVED.value
        if self._options.comments_status == "pending":
            return CommentStatus.PENDING.value
        if cd.status in _COMMENT_STATUSES:
            return str(cd.status)
        return None


def _as_suggestion(verdict: Verdict) -> Verdict:
    """The rules' verdict as a suggestion: held for a human, the verdict among its reasons."""
    pending = CommentStatus.PENDING.value
    if verdict.status == pending:
        return verdict
    said = f"Rules suggest: {verdict.status}"
    return replace(
        verdict,
        status=pending,
        reasons=(*verdict.reasons, said),
        reason=f"{said} (held for a moderator; {verdict.reason})",
    )


_ARTICLE_STATUSES = frozenset(s.value for s in ArticleStatus)
_COMMENT_STATUSES = frozenset(s.value for s in CommentStatus)


class _AuthorMatcher:
    """Finds the profile an imported byline means (email first, then the normalised name).

    It hands out ids, not rows, so a long import can empty its session between articles.
    """

    def __init__(self, uow: UnitOfWork):
        self._uow = uow
        self._seen: dict[str, int] = {}
        self._profiles: dict[int, Author] = {}
        self.created = 0
        self.messages: list[str] = []

    def match(self, data: AuthorData) -> int:
        name = data.name.strip() or data.login.strip() or "Unknown author"
        key = normalise_name(name)
        email = data.email.strip()
        cache_key = f"e:{email.lower()}" if email else f"n:{key}"
        if cache_key in self._seen:
            return self._seen[cache_key]
        author = self._uow.authors.by_email(email) if email else None
        how = "email"
        if author is None:
            author = self._uow.authors.by_name_key(key)
            how = "name"
        if author is not None:
            self.messages.append(f"author “{name}” matched profile {author.id} by {how}")
            if not author.bio and data.bio:
                author.bio = data.bio
            if not author.role and data.role:
                author.role = data.role
        else:
            author = Author(
                name=name,
                name_key=key,
                byline_name=data.byline_name or name,
                role=data.role,
                bio=data.bio,
                email=email,
                website=data.url,
                links=list(data.links),
                location=data.location,
                photo=data.photo,
                photo_mime=data.photo_mime if data.photo else None,
            )
            self._uow.authors.add(author)
            self._uow.flush()
            self.created += 1
        self._seen[cache_key] = author.id
        self._profiles[author.id] = author
        if email:
            self._seen.setdefault(f"n:{key}", author.id)
        return author.id

    def snapshot(self, author_id: int) -> dict[str, Any]:
        """The profile as a revision keeps it (the bio of the day)."""
        a = self._profiles[author_id]
        return author_snapshot(a.id, a.name, a.byline_name, a.role, a.bio)
