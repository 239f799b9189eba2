"""A standalone author page: photo, bio, links and the published articles. No email."""

from __future__ import annotations

import html
from base64 import b64encode
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from editor_app.formats.bundle import AuthorData
from editor_app.formats.htmlbody import sanitize_inline_html

_CSS = """
body{font-family:Georgia,'Times New Roman',serif;max-width:46rem;margin:3rem auto;padding:0 1rem;
color:#1b1b1b;background:#fff;line-height:1.55}
header{display:flex;gap:1.5rem;align-items:center}
img.avatar{width:128px;height:128px;border-radius:50%;object-fit:cover}
h1{margin:0;font-size:2rem} .role{color:#555;font-style:italic;margin:.2rem 0}
.links a{margin-right:1rem} ul.articles{padding-left:1.2rem} time{color:#666;font-size:.9em}
@media (prefers-color-scheme: dark){body{background:#161616;color:#e8e8e8}.role,time{color:#aaa}
a{color:#8ab4f8}}
"""


@dataclass(frozen=True)
class PublishedItem:
    title: str
    published_at: datetime | None
    url: str = ""


def _bio_html(bio: str) -> str:
    if "<" in bio:
        return sanitize_inline_html(bio)
    paragraphs = [p.strip() for p in bio.split("\n\n") if p.strip()]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def _link(url: str) -> str:
    href = url if not url.startswith("@") else ""
    label = html.escape(url.removeprefix("https://").removeprefix("http://").rstrip("/"))
    if not href:
        return f"<span>{label}</span>"
    return f'<a href="{html.escape(href, quote=True)}" rel="me noopener">{label}</a>'


def render_author_page(author: AuthorData, articles: Sequence[PublishedItem]) -> str:
    name = html.escape(author.byline_name or author.name)
    photo = ""
    if author.photo and author.photo_mime:
        data = b64encode(author.photo).decode()
        photo = f'<img class="avatar" src="data:{author.photo_mime};base64,{data}" alt="{name}">'
    links = [u for u in (author.url, *author.links) if u]
    items = "".join(
        "<li>"
        + (
            f'<a href="{html.escape(a.url, quote=True)}">{html.escape(a.title)}</a>'
            if a.url
            else html.escape(a.title)
        )
        + (
            f' <time datetime="{a.published_at.date().isoformat()}">'
            f"{a.published_at.strftime('%d %B %Y')}</time>"
            if a.published_at
            else ""
        )
        + "</li>"
        for a in articles
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{name}</title><style>{_CSS}</style></head><body>"
        f"<header>{photo}<div><h1>{name}</h1>"
        + (f'<p class="role">{html.escape(author.role)}</p>' if author.role else "")
        + (f'<p class="role">{html.escape(author.location)}</p>' if author.location else "")
        + "</div></header>"
        + f'<section class="bio">{_bio_html(author.bio)}</section>'
        + ('<p class="links">' + "".join(_link(u) for u in links) + "</p>" if links else "")
        + (f'<h2>Published articles</h2><ul class="articles">{items}</ul>' if items else "")
        + "</body></html>\n"
    )
