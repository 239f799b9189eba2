"""Snapshots of an article as saved: every field, the bylines and the bios of their day."""

from __future__ import annotations

from typing import Any

from editor_app.store.models import Article, Revision


def snapshot(article: Article) -> dict[str, Any]:
    return {
        "title": article.title,
        "dek": article.dek,
        "slug": article.slug,
        "status": article.status,
        "section": article.section,
        "excerpt": article.excerpt,
        "tags": [t.tag for t in article.tags],
        "body_html": article.body_html,
        "published_at": article.published_at.isoformat() if article.published_at else None,
        "authors": [
            {
                "id": b.author.id,
                "name": b.author.name,
                "byline_name": b.author.byline_name,
                "role": b.author.role,
                "bio": b.author.bio,
            }
            for b in article.bylines
        ],
        "figures": [
            {
                "caption": f.caption,
                "credit": f.credit,
                "alt": f.alt,
                "anchor": f.anchor,
                "figure_id": f.id,
            }
            for f in article.figures
        ],
    }


def make_revision(article: Article, *, saved_by: str, note: str) -> Revision:
    return Revision(article_id=article.id, saved_by=saved_by, note=note, snapshot=snapshot(article))
