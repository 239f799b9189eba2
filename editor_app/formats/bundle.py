"""The neutral shape every importer produces and every exporter reads.

Importers know file formats, not the store; services turn a bundle into rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class FigureData:
    caption: str
    credit: str = ""
    alt: str = ""
    # Index of the body block (paragraph) the figure follows: 0 means before the first.
    anchor: int = 0
    image: bytes | None = None
    image_mime: str | None = None
    source_url: str = ""


@dataclass(frozen=True)
class AuthorData:
    name: str
    bio: str = ""
    role: str = ""
    email: str = ""
    url: str = ""
    login: str = ""
    byline_name: str = ""
    links: tuple[str, ...] = ()
    location: str = ""
    photo: bytes | None = None
    photo_mime: str | None = None


@dataclass(frozen=True)
class CommentData:
    # A key unique within the article (e.g. "3" or "3.2"): parents are named by it.
    key: str
    body: str
    parent_key: str | None = None
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    posted_at: datetime | None = None
    # None: the source did not decide, the moderation pipeline will.
    status: str | None = None
    kind: str = "comment"
    # The source gives plain text (a page dump), not HTML: it is escaped, never parsed.
    body_is_text: bool = False
    # The rules only suggest: the comment stays pending with their verdict among its reasons
    # (a comment a connected site holds, when its automatic decisions are not sent there).
    suggest_only: bool = False


@dataclass(frozen=True)
class ArticleData:
    title: str
    # Semantic HTML of the body, in the documented subset (docs/body-html.md).
    body_html: str
    dek: str = ""
    slug: str = ""
    status: str = "draft"
    section: str = ""
    tags: tuple[str, ...] = ()
    authors: tuple[AuthorData, ...] = ()
    figures: tuple[FigureData, ...] = ()
    comments: tuple[CommentData, ...] = ()
    published_at: datetime | None = None
    # Identifies the source so that importing it twice creates nothing new.
    source_key: str = ""
    kind: str = "post"
    # Where the text stands, for proofs: the last save and how many revisions it has.
    updated_at: datetime | None = None
    revision: int = 0
    # What the reader wants the import report to say about this article (one line each).
    notes: tuple[str, ...] = ()
    # Comments already stored that new ones reply to, as (key, stored comment id): a site's
    # incremental pull brings replies without their parents.
    stored_parents: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Bundle:
    articles: tuple[ArticleData, ...] = ()
    # Authors that stand alone (a WXR's author list), besides those on articles.
    authors: tuple[AuthorData, ...] = field(default_factory=tuple)
