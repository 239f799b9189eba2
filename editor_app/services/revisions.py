"""Snapshots of an article as saved: every field, the bylines and the bios of their day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from editor_app.store.models import Article, Revision


def snapshot_of(
    *,
    title: str,
    dek: str,
    slug: str,
    status: str,
    section: str,
    excerpt: str,
    tags: Sequence[str],
    body_html: str,
    published_at: datetime | None,
    authors: Sequence[dict[str, Any]],
    figures: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    """The snapshot of fields given one by one (an import has no article object)."""
    return {
        "title": title,
        "dek": dek,
        "slug": slug,
        "status": status,
        "section": section,
        "excerpt": excerpt,
        "tags": list(tags),
        "body_html": body_html,
        "published_at": published_at.isoformat() if published_at else None,
        "authors": [dict(a) for a in authors],
        "figures": [dict(f) for f in figures],
    }


def author_snapshot(
    author_id: int, name: str, byline_name: str, role: str, bio: str
) -> dict[str, Any]:
    return {"id": author_id, "name": name, "byline_name": byline_name, "role": role, "bio": bio}


def figure_snapshot(
    figure_id: int | None, caption: str, credit: str, alt: str, anchor: int
) -> dict[str, Any]:
    return {
        "caption": caption,
        "credit": credit,
        "alt": alt,
        "anchor": anchor,
        "figure_id": figure_id,
    }


def snapshot(article: Article) -> dict[str, Any]:
    return snapshot_of(
        title=article.title,
        dek=article.dek,
        slug=article.slug,
        status=article.status,
        section=article.section,
        excerpt=article.excerpt,
        tags=[t.tag for t in article.tags],
        body_html=article.body_html,
        published_at=article.published_at,
        authors=[
            author_snapshot(
                b.author.id, b.author.name, b.author.byline_name, b.author.role, b.author.bio
            )
            for b in article.bylines
        ],
        figures=[
            figure_snapshot(f.id, f.caption, f.credit, f.alt, f.anchor) for f in article.figures
        ],
    )


def make_revision(article: Article, *, saved_by: str, note: str) -> Revision:
    return Revision(article_id=article.id, saved_by=saved_by, note=note, snapshot=snapshot(article))
