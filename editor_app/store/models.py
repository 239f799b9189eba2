"""SQLAlchemy models: the schema Alembic owns (db/versions), typed declarative mapping."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every engine (SQLite keeps no zone; it stores naive UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    type_annotation_map = {datetime: UTCDateTime}  # noqa: RUF012 - SQLAlchemy's own API


class Author(Base):
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200), index=True)
    byline_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(200), default="")
    bio: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(String(320), default="", index=True)
    website: Mapped[str] = mapped_column(String(500), default="")
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    location: Mapped[str] = mapped_column(String(200), default="")
    languages: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(default=True)
    photo: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    photo_mime: Mapped[str | None] = mapped_column(String(50), default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    version: Mapped[int] = mapped_column(Integer, default=1)

    bylines: Mapped[list[Byline]] = relationship(back_populates="author")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own API


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    dek: Mapped[str] = mapped_column(Text, default="")
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    body_html: Mapped[str] = mapped_column(Text, default="")
    # Plain text of the body, kept beside the HTML for search and word counts.
    body_text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    kind: Mapped[str] = mapped_column(String(20), default="post")
    section: Mapped[str] = mapped_column(String(200), default="")
    excerpt: Mapped[str] = mapped_column(Text, default="")
    source_key: Mapped[str | None] = mapped_column(String(300), unique=True, default=None)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    published_at: Mapped[datetime | None] = mapped_column(default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)
    # In the Trash since then (None: not deleted); out of every list, search and export.
    deleted_at: Mapped[datetime | None] = mapped_column(default=None, index=True)

    bylines: Mapped[list[Byline]] = relationship(
        back_populates="article",
        order_by="Byline.position",
        cascade="all, delete-orphan",
    )
    figures: Mapped[list[Figure]] = relationship(
        back_populates="article",
        order_by="Figure.position",
        cascade="all, delete-orphan",
    )
    tags: Mapped[list[ArticleTag]] = relationship(
        cascade="all, delete-orphan", order_by="ArticleTag.tag"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own API


class Byline(Base):
    __tablename__ = "bylines"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(
        ForeignKey("authors.id", ondelete="RESTRICT"), index=True
    )

    article: Mapped[Article] = relationship(back_populates="bylines")
    author: Mapped[Author] = relationship(back_populates="bylines")


class ArticleTag(Base):
    __tablename__ = "article_tags"

    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True, index=True)


class Figure(Base):
    __tablename__ = "figures"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    # The body block the figure follows (0: before the first paragraph).
    anchor: Mapped[int] = mapped_column(Integer, default=0)
    caption: Mapped[str] = mapped_column(Text, default="")
    credit: Mapped[str] = mapped_column(String(500), default="")
    alt: Mapped[str] = mapped_column(Text, default="")
    image: Mapped[bytes | None] = mapped_column(LargeBinary, default=None, deferred=True)
    image_mime: Mapped[str | None] = mapped_column(String(50), default=None)
    source_url: Mapped[str] = mapped_column(String(1000), default="")

    article: Mapped[Article] = relationship(back_populates="figures")


class Comment(Base):
    __tablename__ = "comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("comments.id", ondelete="SET NULL"), index=True, default=None
    )
    author_name: Mapped[str] = mapped_column(String(250), default="")
    author_email: Mapped[str] = mapped_column(String(320), default="")
    author_url: Mapped[str] = mapped_column(String(500), default="")
    author_ip: Mapped[str] = mapped_column(String(64), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    posted_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    kind: Mapped[str] = mapped_column(String(20), default="comment")
    score: Mapped[float | None] = mapped_column(Float, default=None)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A rule or the score gave reasons: with status pending, the "Held by rules" queue.
    flagged: Mapped[bool] = mapped_column(default=False)
    # Identifies the comment within its article across re-imports of the same source.
    fingerprint: Mapped[str] = mapped_column(String(64))
    # Who wrote it, across articles: the email, else the name (see services.commenters).
    commenter_key: Mapped[str] = mapped_column(String(320), default="")
    # The words as the reader wrote them, kept when a moderator edits the comment.
    original_body: Mapped[str | None] = mapped_column(Text, default=None)
    # The comment's HTML cleaned to what WordPress allows in comments (formats.comment_html):
    # what every export writes; `body` is its text. None on rows from before migration 0008.
    body_html: Mapped[str | None] = mapped_column(Text, default=None)
    # The source's own HTML, as imported, where cleaning changed it (for moderators).
    body_original: Mapped[str | None] = mapped_column(Text, default=None)
    edited_by: Mapped[str | None] = mapped_column(String(200), default=None)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        UniqueConstraint("article_id", "fingerprint", name="uq_comments_article_fingerprint"),
        # Keyset paging of the queues: by status, newest or oldest first.
        Index("ix_comments_status_posted", "status", "posted_at", "id"),
        Index("ix_comments_article_posted", "article_id", "posted_at", "id"),
        Index("ix_comments_status_score", "status", "score", "id"),
        Index("ix_comments_posted", "posted_at", "id"),
        Index("ix_comments_article_status", "article_id", "status"),
        Index("ix_comments_status_flagged", "status", "flagged", "posted_at", "id"),
        Index("ix_comments_commenter_status", "commenter_key", "status"),
    )
    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own API


class CommentCount(Base):
    """Queue sizes, kept exact by triggers on `comments` (migration 0007)."""

    __tablename__ = "comment_counts"

    status: Mapped[str] = mapped_column(String(20), primary_key=True)
    flagged: Mapped[bool] = mapped_column(primary_key=True)
    n: Mapped[int] = mapped_column(Integer)


class Revision(Base):
    __tablename__ = "revisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True
    )
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    saved_by: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(String(500), default="")
    # Every field of the article as saved: title, dek, body, metadata, bylines, figures.
    # Deferred: listing hundreds of revisions must not load hundreds of bodies.
    snapshot: Mapped[dict[str, object]] = mapped_column(JSON, deferred=True)


class ModerationAction(Base):
    __tablename__ = "moderation_actions"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(
        ForeignKey("comments.id", ondelete="CASCADE"), index=True
    )
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(30))
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # Actions taken together (a bulk action, one keypress) share a batch: undo takes it back.
    batch: Mapped[str] = mapped_column(String(40), default="", index=True)
    undone: Mapped[bool] = mapped_column(default=False)


class Setting(Base):
    """Newsroom-wide settings (moderation rules, ...) as JSON, versioned like articles."""

    __tablename__ = "settings"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[dict[str, object]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy's own API


class Commenter(Base):
    """A reader who comments: banned ones go to spam, trusted ones skip the hold rules."""

    __tablename__ = "commenters"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(250), default="")
    banned: Mapped[bool] = mapped_column(default=False)
    trusted: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(200), default="")


class AuthorMerge(Base):
    """What a merge of two profiles changed, so that it can be undone exactly."""

    __tablename__ = "author_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    kept_id: Mapped[int] = mapped_column(Integer, index=True)
    merged_id: Mapped[int] = mapped_column(Integer)
    merged_name: Mapped[str] = mapped_column(String(200))
    actor: Mapped[str] = mapped_column(String(200), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)
    # The kept profile's fields before, the merged profile's row, and the bylines of every
    # article either author was on: enough to put everything back.
    kept_before: Mapped[dict[str, object]] = mapped_column(JSON)
    merged_row: Mapped[dict[str, object]] = mapped_column(JSON)
    bylines_before: Mapped[list[list[int]]] = mapped_column(JSON)
    undone_at: Mapped[datetime | None] = mapped_column(default=None)


class Autosave(Base):
    """An editor's unsaved work, kept every few seconds; not a revision."""

    __tablename__ = "autosaves"

    draft_key: Mapped[str] = mapped_column(String(40), primary_key=True)
    article_id: Mapped[int | None] = mapped_column(
        ForeignKey("articles.id", ondelete="CASCADE"), index=True, default=None
    )
    actor: Mapped[str] = mapped_column(String(200), default="", index=True)
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)
    base_version: Mapped[int] = mapped_column(Integer, default=0)
    fields: Mapped[dict[str, object]] = mapped_column(JSON)


class DictionaryWord(Base):
    """The newsroom's own spellings (names, places) the spell checker accepts."""

    __tablename__ = "dictionary_words"

    word: Mapped[str] = mapped_column(String(100), primary_key=True)
    added_by: Mapped[str] = mapped_column(String(200), default="")
    added_at: Mapped[datetime] = mapped_column(default=utcnow)


class Job(Base):
    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    format: Mapped[str] = mapped_column(String(20), default="")
    target: Mapped[str] = mapped_column(Text, default="")
    state: Mapped[str] = mapped_column(String(20), default="running")
    message: Mapped[str] = mapped_column(Text, default="")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)


class Site(Base):
    """A connected WordPress site. Its application password is never here (see services.sites)."""

    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    url: Mapped[str] = mapped_column(String(500))
    user: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_pull_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # Where the next incremental pull starts: the newest post change and comment id seen.
    posts_modified_after: Mapped[str] = mapped_column(String(40), default="")
    last_comment_id: Mapped[int] = mapped_column(Integer, default=0)
    # The rules' verdicts on comments the site holds go to the site only when the user says
    # so; otherwise they stay suggestions here and a human decides (and that is sent).
    auto_send: Mapped[bool] = mapped_column(Boolean, default=False)
    # Pull on a timer (minutes; 0: only when asked), restored when the window starts.
    pull_every_minutes: Mapped[int] = mapped_column(Integer, default=0)


class SiteLink(Base):
    """A local thing (article, author, comment, figure) and its twin on a site.

    One table for every kind, rather than columns on each, so the site's bookkeeping stays
    out of the rows that editors and moderators change.
    """

    __tablename__ = "site_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    local_id: Mapped[int] = mapped_column(Integer)
    remote_id: Mapped[int] = mapped_column(Integer)
    # What was last seen on the site: a post's modified_gmt, a comment's status and a hash
    # of its words. A send checks them first, so a change made there is never overwritten.
    remote_modified: Mapped[str] = mapped_column(String(40), default="")
    remote_state: Mapped[str] = mapped_column(String(20), default="")
    remote_hash: Mapped[str] = mapped_column(String(64), default="")
    link: Mapped[str] = mapped_column(String(1000), default="")

    __table_args__ = (
        UniqueConstraint("site_id", "kind", "remote_id", name="uq_site_links_remote"),
        Index("ix_site_links_local", "kind", "local_id"),
    )


class OutboxEntry(Base):
    """A change waiting to reach a site, written in the same transaction as the change."""

    __tablename__ = "site_outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))  # comment
    op: Mapped[str] = mapped_column(String(20))  # status | edit | reply
    local_id: Mapped[int] = mapped_column(Integer, index=True)
    payload: Mapped[dict[str, object]] = mapped_column(JSON)
    # waiting -> sent | failed (why; tried again) | conflict (changed on the site; asks)
    state: Mapped[str] = mapped_column(String(20), default="waiting")
    error: Mapped[str] = mapped_column(Text, default="")
    actor: Mapped[str] = mapped_column(String(200), default="")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)

    __table_args__ = (Index("ix_site_outbox_site_state", "site_id", "state", "id"),)
