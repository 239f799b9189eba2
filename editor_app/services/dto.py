"""Frozen values the services hand out: never ORM objects, so nothing lazy-loads later."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Generic, TypeVar

from editor_app.domain.profile import ProfileInput
from editor_app.domain.queries import CommentFilter
from editor_app.domain.snippet import Snippet

__all__ = ["CommentFilter"]  # the queue's filter lives in the domain; re-exported for callers

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    rows: tuple[T, ...]
    # Pass back as `after` for the next page; None when this page was the last.
    next_cursor: tuple[Any, int] | None


@dataclass(frozen=True)
class AuthorBrief:
    id: int
    name: str
    role: str
    bio: str


@dataclass(frozen=True)
class FigureView:
    id: int
    caption: str
    credit: str
    alt: str
    anchor: int
    has_image: bool


@dataclass(frozen=True)
class ArticleRow:
    id: int
    title: str
    status: str
    byline: str
    comments: int
    pending: int
    updated_at: datetime
    deleted_at: datetime | None = None  # in the Trash since


@dataclass(frozen=True)
class ArticleDetail:
    id: int
    title: str
    dek: str
    slug: str
    status: str
    kind: str
    section: str
    tags: tuple[str, ...]
    body_html: str
    body_text: str
    authors: tuple[AuthorBrief, ...]
    figures: tuple[FigureView, ...]
    comment_count: int
    created_at: datetime
    updated_at: datetime
    published_at: datetime | None
    version: int


@dataclass(frozen=True)
class AuthorRow:
    id: int
    name: str
    role: str
    articles: int
    email: str = ""
    active: bool = True
    last_published: datetime | None = None
    has_photo: bool = False
    # Changes whenever the profile or its photo does: lists cache avatars by it.
    updated_at: datetime | None = None


@dataclass(frozen=True)
class AuthorArticle:
    id: int
    title: str
    status: str
    updated_at: datetime
    published_at: datetime | None


@dataclass(frozen=True)
class AuthorDetail:
    id: int
    name: str
    byline_name: str
    role: str
    bio: str
    email: str
    website: str
    links: tuple[str, ...]
    location: str
    languages: str
    active: bool
    has_photo: bool
    articles: tuple[AuthorArticle, ...]
    version: int
    published_count: int = 0
    in_progress_count: int = 0
    last_published: datetime | None = None

    def profile(self, **changes: Any) -> ProfileInput:
        """The editable fields as a form sends them back, with `changes` made."""
        return replace(
            ProfileInput(
                name=self.name,
                byline_name=self.byline_name,
                role=self.role,
                bio=self.bio,
                email=self.email,
                website=self.website,
                links=self.links,
                location=self.location,
                languages=self.languages,
                active=self.active,
            ),
            **changes,
        )


@dataclass(frozen=True)
class CommentRow:
    id: int
    article_id: int
    article_title: str
    parent_id: int | None
    author_name: str
    status: str
    score: float | None
    reasons: tuple[str, ...]
    body: str
    posted_at: datetime
    kind: str = "comment"
    version: int = 1
    commenter_key: str = ""
    # Shown to moderators only (as WordPress does); no publication format carries them.
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    edited_by: str | None = None
    original_body: str | None = None
    # The HTML as the source gave it, where cleaning changed it (script, onerror= …).
    body_original: str | None = None

    @property
    def display_name(self) -> str:
        return self.author_name or "Anonymous"


@dataclass(frozen=True)
class CommentNode:
    comment: CommentRow
    replies: tuple[CommentNode, ...] = ()


@dataclass(frozen=True)
class CommentContext:
    """A comment in its thread: the chain of parents above it and the replies below it."""

    comment: CommentRow
    ancestors: tuple[CommentRow, ...]
    replies: tuple[CommentNode, ...]
    article: ArticleRow | None


@dataclass(frozen=True)
class Counts:
    articles: int
    authors: int
    comments: dict[str, int] = field(default_factory=dict)

    @property
    def comments_total(self) -> int:
        return sum(self.comments.values())


@dataclass(frozen=True)
class ImportResult:
    articles: int = 0
    authors: int = 0
    comments: int = 0
    skipped: int = 0
    skipped_comments: int = 0
    article_ids: tuple[int, ...] = ()
    messages: tuple[str, ...] = ()

    def merged(self, other: ImportResult) -> ImportResult:
        return ImportResult(
            articles=self.articles + other.articles,
            authors=self.authors + other.authors,
            comments=self.comments + other.comments,
            skipped=self.skipped + other.skipped,
            skipped_comments=self.skipped_comments + other.skipped_comments,
            article_ids=self.article_ids + other.article_ids,
            messages=self.messages + other.messages,
        )

    def summary(self) -> str:
        parts = [
            f"{self.articles:,} article{'s' if self.articles != 1 else ''}",
            f"{self.authors:,} author{'s' if self.authors != 1 else ''}",
            f"{self.comments:,} comment{'s' if self.comments != 1 else ''}",
        ]
        text = "Imported " + ", ".join(parts)
        if self.skipped or self.skipped_comments:
            n, c = self.skipped, self.skipped_comments
            text += f"; already in the store: {n:,} article{'s' if n != 1 else ''}"
            if c:
                text += f", {c:,} comment{'s' if c != 1 else ''}"
        return text


@dataclass(frozen=True)
class ArticleHit:
    """An article the search box found: what its results list shows. No comment counts,
    unlike :class:`ArticleRow`: counting them was a third of a search's time, for a
    figure no result shows."""

    id: int
    title: str
    status: str
    byline: str
    updated_at: datetime


@dataclass(frozen=True)
class SearchResults:
    """What the search box found; `…_snippets` run parallel to `articles` and `comments`:
    the text around the words found (an article's dek or body, a comment's body)."""

    query: str
    articles: tuple[ArticleHit, ...]
    comments: tuple[CommentRow, ...]
    article_snippets: tuple[Snippet, ...] = ()
    comment_snippets: tuple[Snippet, ...] = ()


@dataclass(frozen=True)
class RevisionInfo:
    id: int
    saved_at: datetime
    saved_by: str
    note: str
    status: str


@dataclass(frozen=True)
class HighlightSpan:
    """Characters of a comment's body that a rule or the score picked out."""

    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Explanation:
    comment_id: int
    score: float | None
    reasons: tuple[str, ...]
    spans: tuple[HighlightSpan, ...]
    would_be: str


@dataclass(frozen=True)
class AutoSummary:
    checked: int = 0
    approved: int = 0
    held: int = 0
    spam: int = 0
    trash: int = 0
    unchanged: int = 0


@dataclass(frozen=True)
class DryRunChange:
    comment_id: int
    excerpt: str
    from_status: str
    to_status: str
    reasons: tuple[str, ...]
    commenter: str = ""


@dataclass(frozen=True)
class ActionResult:
    rows: tuple[CommentRow, ...]
    batch: str
    changed: int


@dataclass(frozen=True)
class AuditEntry:
    id: int
    comment_id: int
    actor: str
    action: str
    from_status: str
    to_status: str
    reason: str
    at: datetime
    undone: bool
    # Who wrote the comment and how it begins: a moderator reads names, not numbers.
    commenter: str = ""
    excerpt: str = ""


@dataclass(frozen=True)
class CommenterHistory:
    key: str
    name: str
    counts: dict[str, int]
    banned: bool
    trusted: bool
    recent: tuple[CommentRow, ...]


@dataclass(frozen=True)
class ReportRow:
    actor: str
    day: str
    action: str
    count: int
