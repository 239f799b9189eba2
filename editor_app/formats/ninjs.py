"""IPTC NINJS 2.0 JSON for partners: the article, its bylines with bios, no reader data."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from editor_app.formats.bundle import ArticleData
from editor_app.formats.htmlbody import inline_to_text, sanitize_body_html

_PUBSTATUS = {"published": "usable", "spiked": "canceled"}


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


def to_ninjs(
    article: ArticleData,
    *,
    uri: str,
    version: int,
    created: datetime | None = None,
    updated: datetime | None = None,
    language: str = "en",
) -> dict[str, Any]:
    """A NINJS 2.0 item. Comments and commenters are never part of it."""
    item: dict[str, Any] = {
        "$schema": "http://www.iptc.org/std/ninjs/ninjs-schema_2.0.json",
        "uri": uri,
        "type": "text",
        "version": str(version),
        "pubstatus": _PUBSTATUS.get(article.status, "withheld"),
        "language": language,
        "headlines": [{"role": "main", "value": article.title}],
        "bodies": [
            {
                "role": "main",
                "contenttype": "text/html",
                "value": sanitize_body_html(article.body_html),
            }
        ],
        "authors": [
            {
                "name": a.byline_name or a.name,
                "role": a.role or "author",
                "jobtitle": a.role,
                "biography": inline_to_text(a.bio),
            }
            for a in article.authors
        ],
    }
    if article.slug:
        item["slugline"] = article.slug
    if article.dek:
        item["descriptions"] = [{"role": "summary", "value": article.dek}]
    if article.tags:
        item["keywords"] = list(article.tags)
    if article.section:
        item["subjects"] = [{"name": article.section, "relevance": 100}]
    for key, value in (
        ("firstcreated", _iso(created)),
        ("versioncreated", _iso(updated)),
        ("firstpublished", _iso(article.published_at)),
    ):
        if value:
            item[key] = value
    by = " and ".join(a.byline_name or a.name for a in article.authors)
    if by:
        item["by"] = by
    if article.figures:
        item["associations"] = {
            f"figure{i + 1}": {
                "type": "picture",
                "descriptions": [{"role": "caption", "value": f.caption}],
                "copyrightnotice": f.credit,
                **({"altids": [{"role": "alt", "value": f.alt}]} if f.alt else {}),
            }
            for i, f in enumerate(article.figures)
        }
    return item
