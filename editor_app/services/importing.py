"""Imports: read every file first, then write all of it in one transaction, or nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from editor_app.domain.commenters import commenter_key
from editor_app.domain.errors import Cancelled, ImportFailed, InvalidInput
from editor_app.domain.statuses import ArticleStatus, CommentStatus
from editor_app.domain.text import normalise_name, slugify
from editor_app.formats import detect
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData
from editor_app.formats.htmlbody import html_to_text, sanitize_body_html
from editor_app.services.dto import ImportResult
from editor_app.services.moderation import ModerationService
from editor_app.services.revisions import make_revision
from editor_app.store.models import Article, ArticleTag, Author, Byline, Comment, Figure
from editor_app.store.uow import UnitOfWork, UowFactory

Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]

COMMENT_STATUS_CHOICES = ("auto", "pending", "approved")


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

    def read(self, paths: Sequence[Path], fmt: str = "auto") -> list[detect.Source]:
        """Check every file (small ones are parsed whole): a bad one stops the import here."""
        if not paths:
            raise InvalidInput("nothing to import: give at least one file")
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
        sources = self.read(paths, options.format)
        return self.import_sources(sources, options, progress=progress, cancelled=cancelled)

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

        Streamed sources (WordPress exports) are written as they are read; the session is
        flushed and emptied every few articles so that memory stays flat however large the
        file. `progress` gets (done, total, title); total is 0 while a stream's length is
        unknown.
        """
        options = options or ImportOptions()
        result = ImportResult()
        done = 0
        with self._uow() as uow:
            authors = _AuthorMatcher(uow)
            for source in sources:
                for ad in source.authors:
                    authors.match(ad)
            for source in sources:
                known_total = 0 if source.format == "wxr" else None
                for data in source.articles(cancelled):
                    if cancelled():
                        raise Cancelled("import cancelled; nothing was imported")
                    if progress:
                        progress(done, known_total if known_total is not None else 0, data.title)
                    result = result.merged(self._import_article(uow, data, authors, options))
                    done += 1
                    if done % 25 == 0:
                        uow.flush()
                        uow.session.expunge_all()  # keep memory flat on long streams
                for ad in source.late_authors():
                    authors.match(ad)
            if cancelled():
                raise Cancelled("import cancelled; nothing was imported")
            uow.commit()
        if progress:
            progress(done, done, "")
        return ImportResult(
            articles=result.articles,
            authors=authors.created,
            comments=result.comments,
            skipped=result.skipped,
            skipped_comments=result.skipped_comments,
            article_ids=result.article_ids,
            messages=tuple(authors.messages) + result.messages,
        )

    def _import_article(
        self,
        uow: UnitOfWork,
        data: ArticleData,
        authors: _AuthorMatcher,
        options: ImportOptions,
    ) -> ImportResult:
        if not data.title.strip():
            raise ImportFailed("an article without a title cannot be imported")
        existing = uow.articles.by_source_key(data.source_key) if data.source_key else None
        if existing is not None:
            added, skipped = self._import_comments(uow, existing, data.comments, options)
            return ImportResult(
                comments=added,
                skipped=1,
                skipped_comments=skipped,
                article_ids=(existing.id,),
                messages=(f"already in the store: “{existing.title}” (id {existing.id})",),
            )
        body_html = sanitize_body_html(data.body_html)
        status = data.status if data.status in set(ArticleStatus) else ArticleStatus.DRAFT.value
        now = datetime.now(UTC)
        article = Article(
            title=data.title.strip(),
            dek=data.dek.strip(),
            slug=self._unique_slug(uow, data.slug or slugify(data.title)),
            body_html=body_html,
            body_text=html_to_text(body_html),
            status=status,
            kind=data.kind,
            section=data.section,
            source_key=data.source_key or None,
            published_at=data.published_at
            or (now if status == ArticleStatus.PUBLISHED.value else None),
            created_at=now,
            updated_at=now,
        )
        uow.articles.add(article)
        for pos, ad in enumerate(data.authors):
            article.bylines.append(Byline(position=pos, author_id=authors.match(ad)))
        for pos, fd in enumerate(data.figures):
            article.figures.append(
                Figure(
                    position=pos,
                    anchor=fd.anchor,
                    caption=fd.caption,
                    credit=fd.credit,
                    alt=fd.alt,
                    image=fd.image,
                    image_mime=fd.image_mime if fd.image else None,
                    source_url=fd.source_url,
                )
            )
        for tag in dict.fromkeys(t.strip() for t in data.tags if t.strip()):
            article.tags.append(ArticleTag(tag=tag[:100]))
        uow.flush()
        source = data.source_key.split(":", 1)[0] if data.source_key else "a file"
        uow.articles.add_revision(
            make_revision(article, saved_by=options.actor or "import", note=f"Imported ({source})")
        )
        added, skipped = self._import_comments(uow, article, data.comments, options)
        return ImportResult(
            articles=1, comments=added, skipped_comments=skipped, article_ids=(article.id,)
        )

    def _unique_slug(self, uow: UnitOfWork, base: str) -> str:
        base = slugify(base)
        taken = uow.articles.slugs_like(base)
        if base not in taken:
            return base
        n = 2
        while f"{base}-{n}" in taken:
            n += 1
        return f"{base}-{n}"

    def _import_comments(
        self,
        uow: UnitOfWork,
        article: Article,
        comments: Sequence[CommentData],
        options: ImportOptions,
    ) -> tuple[int, int]:
        """Add the comments the store does not have yet; returns (added, already there)."""
        known = uow.comments.fingerprints(article.id)
        fresh: list[Comment] = []
        decided: list[str | None] = []
        used: set[str] = set()
        by_key: dict[str, tuple[Comment | int, str]] = {}
        unflushed = False
        added = skipped = 0
        base = datetime.now(UTC)
        for i, cd in enumerate(comments):
            parent = by_key.get(cd.parent_key) if cd.parent_key else None
            if parent is not None and isinstance(parent[0], Comment) and parent[0].id is None:
                # Its parent's id comes from the database: write the waiting rows in one go.
                uow.flush()
            parent_fp = parent[1] if parent else ""
            fp = _fingerprint(parent_fp, cd.body, cd.author_name)
            while fp in used:  # the same words twice under one parent: two comments
                fp = _fingerprint(fp, cd.body, "#")
            used.add(fp)
            if fp in known:
                by_key[cd.key] = (known[fp], fp)
                skipped += 1
                continue
            parent_id = None
            if parent is not None:
                parent_id = parent[0].id if isinstance(parent[0], Comment) else parent[0]
            comment = Comment(
                article_id=article.id,
                parent_id=parent_id,
                author_name=cd.author_name.strip(),
                author_email=cd.author_email.strip(),
                author_url=cd.author_url.strip(),
                author_ip=cd.author_ip.strip(),
                body=cd.body,
                # Keep the thread's order when the source has no times.
                posted_at=cd.posted_at or base + timedelta(milliseconds=i),
                status=self._comment_status(cd, options) or CommentStatus.PENDING.value,
                kind=cd.kind,
                fingerprint=fp,
                commenter_key=commenter_key(cd.author_email, cd.author_name),
                reasons=[],
            )
            uow.comments.add(comment)
            unflushed = True
            by_key[cd.key] = (comment, fp)
            fresh.append(comment)
            decided.append(self._comment_status(cd, options))
            added += 1
        if unflushed:
            uow.flush()
        if self._moderation is not None and fresh:
            # New comments come in through the moderation pipeline's front door.
            self._moderation.judge_new(uow, fresh, decided=decided)
        return added, skipped

    @staticmethod
    def _comment_status(cd: CommentData, options: ImportOptions) -> str | None:
        """The status the source or the user decided, or None to let the rules decide."""
        if options.comments_status == "approved":
            return CommentStatus.APPROVED.value
        if options.comments_status == "pending":
            return CommentStatus.PENDING.value
        if cd.status in set(CommentStatus):
            return str(cd.status)
        return None


class _AuthorMatcher:
    """Finds the profile an imported byline means (email first, then the normalised name).

    It hands out ids, not rows, so a long import can empty its session between articles.
    """

    def __init__(self, uow: UnitOfWork):
        self._uow = uow
        self._seen: dict[str, int] = {}
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
        if email:
            self._seen.setdefault(f"n:{key}", author.id)
        return author.id
