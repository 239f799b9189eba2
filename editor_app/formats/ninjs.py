"""IPTC NINJS 2.0 JSON for partners: the article, its bylines with bios, no reader data."""

from __future__ import annotations

import functools
import json
from datetime import datetime
from json.encoder import encode_basestring
from typing import Any

from editor_app.formats.bundle import ArticleData
from editor_app.formats.htmlbody import inline_to_text, sanitize_body_html

# An author's bio recurs in every article of theirs: made plain text once (HTMLParser).
_bio_text = functools.lru_cache(maxsize=1024)(inline_to_text)
_PUBSTATUS = {"published": "usable", "spiked": "canceled"}
SCHEMA_URI = "http://www.iptc.org/std/ninjs/ninjs-schema_2.0.json"


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
    """A NINJS 2.0 item. Comments and commenters are never part of it.

    Only properties that IPTC's ninjs 2.0 schema defines are written (it allows no others):
    the bylines go into `by` and `people` (rel "author"), and each author's role and bio of
    the day into an association named "authorN" (type "text"); the section and tags into
    `subjects` (rel "section" / "tag"); figures into associations named "figureN" (type
    "picture") with caption, alt text and credit. 2.0 has no "first published" property: the
    publication time is `versioncreated` when the store's own times are not given.
    """
    item: dict[str, Any] = {
        "uri": uri,
        "standard": {"name": "ninjs", "version": "2.0", "schema": SCHEMA_URI},
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
    }
    if article.slug:
        item["slugline"] = article.slug
    if article.dek:
        item["descriptions"] = [{"role": "summary", "value": article.dek}]
    subjects = [{"name": article.section, "rel": "section"}] if article.section else []
    subjects += [{"name": t, "rel": "tag"} for t in article.tags]
    if subjects:
        item["subjects"] = subjects
    for key, value in (
        ("firstcreated", _iso(created)),
        ("versioncreated", _iso(updated or article.published_at)),
    ):
        if value:
            item[key] = value
    names = [a.byline_name or a.name for a in article.authors]
    if names:
        item["by"] = " and ".join(names)
        item["people"] = [{"name": n, "rel": "author"} for n in names]
    associations: list[dict[str, Any]] = []
    for i, (a, name) in enumerate(zip(article.authors, names, strict=True)):
        about = [{"role": "jobtitle", "value": a.role}] if a.role else []
        about.append({"role": "biography", "value": _bio_text(a.bio)})
        associations.append(
            {"name": f"author{i + 1}", "type": "text", "title": name, "descriptions": about}
        )
    for i, f in enumerate(article.figures):
        words = [{"role": "caption", "value": f.caption}]
        if f.alt:
            words.append({"role": "alt", "value": f.alt})
        figure: dict[str, Any] = {
            "name": f"figure{i + 1}",
            "type": "picture",
            "descriptions": words,
        }
        if f.credit:
            figure["copyrightnotice"] = f.credit
        associations.append(figure)
    if associations:
        item["associations"] = associations
    return item


def author_bios(item: dict[str, Any]) -> dict[str, str]:
    """author name -> biography, read back from an item `to_ninjs` wrote."""
    out: dict[str, str] = {}
    for a in item.get("associations", []):
        if str(a.get("name", "")).startswith("author"):
            bio = [d["value"] for d in a.get("descriptions", []) if d.get("role") == "biography"]
            out[str(a.get("title", ""))] = bio[0] if bio else ""
    return out


def dumps_ninjs(item: dict[str, Any]) -> str:
    """`json.dumps(item, ensure_ascii=False, indent=2)` and a newline, byte for byte, about
    four times faster: with `indent` the standard library encodes in pure Python, a
    generator per value (a third of a NINJS export's time). Strings still go through its C
    escaper; a value other than a dict, list, string, int, bool or None goes the standard
    way."""
    out: list[str] = []
    try:
        _encode(item, "\n", out)
    except _Unusual:
        return json.dumps(item, ensure_ascii=False, indent=2) + "\n"
    out.append("\n")
    return "".join(out)


class _Unusual(Exception):
    """A value `_encode` leaves to the standard library (a float, a subclass, a cycle)."""


_DEPTH = 200  # deeper than any NINJS item; beyond it (or a cycle) the standard way decides


def _encode(value: Any, newline: str, out: list[str], depth: int = 0) -> None:
    kind = type(value)
    if kind is str:
        out.append(encode_basestring(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif depth > _DEPTH:
        raise _Unusual
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        first = True
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual  # json turns other keys into strings its own way
            out.append(("{" if first else ",") + inner + encode_basestring(key) + ": ")
            first = False
            _encode(item, inner, out, depth + 1)
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        first = True
        for item in value:
            out.append(("[" if first else ",") + inner)
            first = False
            _encode(item, inner, out, depth + 1)
        out.append(newline + "]")
    else:
        raise _Unusual
