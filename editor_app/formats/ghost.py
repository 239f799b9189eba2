"""Ghost JSON exports (Labs → Export your content), old (0.x) and current layouts.

* Wrapping: ``{"db": [{"meta": …, "data": …}]}`` (what Ghost writes) and the bare
  ``{"meta": …, "data": …}`` (or ``{"data": …}``) are both accepted.
* Posts and pages (``page: 1`` / ``type: "page"`` → kind ``page``). Body: the ``html``
  field; if it is missing, ``plaintext`` becomes paragraphs, else the old ``markdown``
  field is rendered as CommonMark. Mobiledoc and Lexical documents are not rendered: Ghost
  stores ``html`` beside them in every export, so a post that has only those imports with an
  empty body.
* ``status``: published, draft and scheduled are kept; ``sent`` (emailed only) counts as
  published; anything else is a draft. ``published_at`` as epoch milliseconds (0.x) or ISO
  text. ``slug``; ``custom_excerpt`` → dek.
* Tags through ``posts_tags`` in ``sort_order``; relation rows that name a post or tag not in
  the file are ignored, and internal tags (``#…``) are skipped.
* Authors: ``users`` through ``posts_authors`` (``sort_order``), else the post's
  ``author_id``; an id with no user is ignored. Every user is also in ``Bundle.authors``.
  Staff e-mail addresses are kept on authors (for matching), as in other staff imports.
* ``feature_image`` (0.x: ``image``) → a figure at the top with that source URL; its alt and
  caption come from the post or from ``posts_meta``. ``__GHOST_URL__`` is dropped so
  the URL is site-relative.
* Not read: members, newsletters, comments, settings, snippets, code injection.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from editor_app.domain.errors import ImportFailed
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, FigureData
from editor_app.formats.htmlbody import html_to_text, paragraphs_to_html, sanitize_body_html
from editor_app.formats.markdown import markdown_to_html

__all__ = ["looks_like_ghost", "read_ghost"]

_STATUSES = {"published": "published", "sent": "published", "scheduled": "scheduled"}


def _data(obj: object, name: str) -> dict[str, Any]:
    if isinstance(obj, dict) and isinstance(obj.get("db"), list) and obj["db"]:
        obj = obj["db"][0]
    if isinstance(obj, dict):
        data = obj.get("data")
        if isinstance(data, dict):
            return data
    raise ImportFailed(f"{name}: not a Ghost export (no 'data' section)")


def looks_like_ghost(text: str) -> bool:
    """Whether a JSON text is a Ghost export (for format detection)."""
    try:
        _data(json.loads(text), "")
    except (ImportFailed, ValueError, RecursionError):
        return False
    return True


def _rows(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    rows = data.get(key) or []
    return [r for r in rows if isinstance(r, dict)] if isinstance(rows, list) else []


def _s(value: object) -> str:
    return " ".join(str(value).split()) if isinstance(value, str | int | float) else ""


def _when(value: object) -> datetime | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value / 1000, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str) and value.strip():
        try:
            parsed = datetime.fromisoformat(value.strip().replace(" ", "T", 1))
        except ValueError:
            return None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None


def _url(value: object) -> str:
    url = value if isinstance(value, str) else ""
    return url.replace("__GHOST_URL__", "").strip()


def _ordered(rows: list[dict[str, Any]], key: str) -> dict[str, list[str]]:
    out: dict[str, list[tuple[int, int, str]]] = {}
    for position, row in enumerate(rows):
        order = row.get("sort_order")
        rank = order if isinstance(order, int) and not isinstance(order, bool) else position
        out.setdefault(str(row.get("post_id")), []).append((rank, position, str(row.get(key))))
    return {post: [v for _, _, v in sorted(items)] for post, items in out.items()}


def _author(user: dict[str, Any]) -> AuthorData:
    return AuthorData(
        name=_s(user.get("name")) or _s(user.get("slug")),
        bio=str(user.get("bio") or "").strip(),
        email=_s(user.get("email")),
        url=_s(user.get("website")),
        login=_s(user.get("slug")),
        location=_s(user.get("location")),
    )


def _body(post: dict[str, Any]) -> str:
    html = post.get("html")
    if isinstance(html, str) and html.strip():
        return sanitize_body_html(html)
    plaintext = post.get("plaintext")
    if isinstance(plaintext, str) and plaintext.strip():
        return paragraphs_to_html(plaintext.split("\n\n"))
    markdown = post.get("markdown")
    if isinstance(markdown, str) and markdown.strip():
        return markdown_to_html(markdown)[0]
    return ""


def read_ghost(text: str | bytes, *, source_name: str = "the Ghost export") -> Bundle:
    """Posts, pages, tags and authors of a Ghost JSON export."""
    name = source_name
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ImportFailed(f"{name}: is not UTF-8 JSON") from None
    if not text.strip():
        raise ImportFailed(f"{name}: the file is empty")
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(f"{name}: not valid JSON (line {exc.lineno}: {exc.msg})") from None
    except RecursionError:
        raise ImportFailed(f"{name}: the JSON is nested too deeply") from None
    data = _data(obj, name)
    users = {str(u.get("id")): _author(u) for u in _rows(data, "users")}
    tags = {str(t.get("id")): _s(t.get("name")) for t in _rows(data, "tags")}
    post_tags = _ordered(_rows(data, "posts_tags"), "tag_id")
    post_authors = _ordered(_rows(data, "posts_authors"), "author_id")
    metas = {str(m.get("post_id")): m for m in _rows(data, "posts_meta")}
    articles = []
    for post in _rows(data, "posts"):
        post_id = str(post.get("id"))
        title = _s(post.get("title"))
        if not title:
            continue
        author_ids = post_authors.get(post_id) or (
            [str(post["author_id"])] if post.get("author_id") is not None else []
        )
        authors = tuple(users[a] for a in dict.fromkeys(author_ids) if a in users)
        tag_names = [tags[t] for t in post_tags.get(post_id, []) if tags.get(t)]
        tag_names = [t for t in tag_names if not t.startswith("#")]
        meta = metas.get(post_id, {})
        figures: tuple[FigureData, ...] = ()
        feature = _url(post.get("feature_image") or post.get("image"))
        if feature:
            caption = post.get("feature_image_caption") or meta.get("feature_image_caption")
            figures = (
                FigureData(
                    caption=html_to_text(caption) if isinstance(caption, str) else "",
                    alt=_s(post.get("feature_image_alt") or meta.get("feature_image_alt")),
                    anchor=0,
                    source_url=feature,
                ),
            )
        is_page = post.get("page") in (1, True) or post.get("type") == "page"
        status = _STATUSES.get(_s(post.get("status")), "draft")
        articles.append(
            ArticleData(
                title=title,
                body_html=_body(post),
                dek=_s(post.get("custom_excerpt")),
                slug=_s(post.get("slug")),
                status=status,
                tags=tuple(dict.fromkeys(tag_names)),
                authors=authors,
                figures=figures,
                published_at=_when(post.get("published_at")) if status != "draft" else None,
                source_key="ghost:" + (_s(post.get("uuid")) or post_id),
                kind="page" if is_page else "post",
            )
        )
    if not articles and not _rows(data, "posts") and not users:
        raise ImportFailed(f"{name}: the Ghost export has no posts")
    return Bundle(articles=tuple(articles), authors=tuple(users.values()))
