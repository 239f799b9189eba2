"""Copydesk's own JSON bundle: the neutral import shape written out as plain JSON.

It exists so that sample content and exports need no foreign format: every field of the
dataclasses in ``bundle.py`` has a JSON counterpart, so a bundle survives a write and a read
unchanged. Files may be written by hand, so reading checks every value and names the first bad
one in a single line instead of letting a wrong type surface later as a store error.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import functools
import io
import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from pathlib import Path
from typing import IO, Any, TypeVar

from editor_app.domain.errors import ImportFailed
from editor_app.domain.statuses import ArticleStatus, CommentStatus
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData, FigureData
from editor_app.formats.comment_html import clean_comment_html, clean_url, text_to_comment_html

__all__ = [
    "FORMAT_NAME",
    "FORMAT_VERSION",
    "read_bundle_file",
    "read_bundle_json",
    "sniff_bundle",
    "stream_bundle_file",
    "write_bundle_json",
    "write_bundle_json_to",
]

FORMAT_NAME = "copydesk-bundle"
FORMAT_VERSION = 1

T = TypeVar("T")

_AUTHOR_KEYS = frozenset({"name", "bio", "role", "email", "url", "login"})
_FIGURE_KEYS = frozenset(
    {"caption", "credit", "alt", "anchor", "image", "image_mime", "source_url"}
)
_COMMENT_KEYS = frozenset(
    {
        "key",
        "body",
        "parent_key",
        "author_name",
        "author_email",
        "author_url",
        "author_ip",
        "posted_at",
        "status",
        "kind",
    }
)
_ARTICLE_KEYS = frozenset(
    {
        "title",
        "body_html",
        "dek",
        "slug",
        "status",
        "section",
        "tags",
        "authors",
        "figures",
        "comments",
        "published_at",
        "source_key",
        "kind",
    }
)
_TOP_KEYS = frozenset({"format", "version", "authors", "articles"})


# Reading ----------------------------------------------------------------------------------


def read_bundle_file(path: Path) -> Bundle:
    """Read a bundle file; every failure names the file because imports take several."""
    try:
        # utf-8-sig: editors on Windows like to start JSON files with a byte-order mark.
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError as exc:
        raise ImportFailed(f"{path}: no such file") from exc
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{path.name}: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot read: {exc.strerror or exc}") from exc
    try:
        return read_bundle_json(text)
    except ImportFailed as exc:
        raise ImportFailed(f"{path.name}: {exc}") from exc


def read_bundle_json(text: str) -> Bundle:
    try:
        raw = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ImportFailed(
            f"not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    except RecursionError as exc:
        raise ImportFailed("not valid JSON: nested too deeply") from exc
    doc = _document(raw)
    authors = _items(doc, "authors", "", _author)
    articles = _items(doc, "articles", "", _article)
    return Bundle(articles=articles, authors=authors)


def _document(raw: object) -> dict[str, Any]:
    """The top of a bundle checked: format, version, no unknown keys."""
    if not isinstance(raw, dict) or raw.get("format") != FORMAT_NAME:
        raise ImportFailed(f"not a Copydesk bundle: 'format' must be {FORMAT_NAME!r}")
    version = raw.get("version")
    # bool is an int to Python, but `true` is no version number.
    if not isinstance(version, int) or isinstance(version, bool):
        raise ImportFailed("'version' must be a whole number")
    if version != FORMAT_VERSION:
        raise ImportFailed(
            f"bundle version {version} is not supported (this Copydesk reads {FORMAT_VERSION})"
        )
    # Only now are unknown keys worth reporting: a newer version may well have added some.
    return _object(raw, "the document", _TOP_KEYS)


# Reading a large file as it streams -------------------------------------------------------


def sniff_bundle(path: Path) -> bool:
    """Whether a JSON file is a Copydesk bundle, told by its top-level keys as they come
    (a bundle says so first thing), without reading the file whole."""
    import ijson

    try:
        with _open_json(path) as fh:
            for prefix, event, value in ijson.parse(fh, use_float=True):
                if prefix == "" and event == "map_key" and value not in _TOP_KEYS:
                    return False
                if prefix == "format":
                    return bool(event == "string" and value == FORMAT_NAME)
    except (ijson.JSONError, ValueError, OSError):
        return False
    return False


def stream_bundle_file(
    path: Path,
) -> tuple[tuple[AuthorData, ...], Callable[[], Iterator[ArticleData]], int]:
    """A bundle file read as it streams: its authors, its articles one at a time, how many.

    Memory holds one article, however large the file. Like a file read whole, a bad one
    fails here, before anything is written: the articles are checked in a first pass.
    """
    doc = _named(path, lambda: _document(_skeleton(path)))
    authors = _named(path, lambda: _items(doc, "authors", "", _author))
    _named(path, lambda: _list(doc, "articles", "the document"))  # a list, if anything

    def articles() -> Iterator[ArticleData]:
        import ijson

        with _open_json(path) as fh:
            items = ijson.items(fh, "articles.item", use_float=True)
            n = 0
            while True:
                raw = _named(path, lambda: next(items, _END))
                if raw is _END:
                    return
                yield _named(path, functools.partial(_article, raw, f"articles[{n}]"))
                n += 1

    count = sum(1 for _article_data in articles())
    return authors, articles, count


_END = object()


def _named(path: Path, read: Callable[[], T]) -> T:
    """Runs a step of reading `path`; its failures name the file (imports take several)."""
    import ijson

    try:
        return read()
    except ImportFailed as exc:
        raise ImportFailed(f"{path.name}: {exc}") from exc
    except (ijson.JSONError, ValueError) as exc:
        text = str(exc)
        if "UTF8" in text or isinstance(exc, UnicodeDecodeError):
            raise ImportFailed(f"{path.name}: not UTF-8 text") from exc
        first = text.strip().strip("b'\"").splitlines()[0] if text.strip() else "it ends early"
        raise ImportFailed(f"{path.name}: not valid JSON: {first}") from exc
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot read: {exc.strerror or exc}") from exc


@contextlib.contextmanager
def _open_json(path: Path) -> Iterator[IO[bytes]]:
    """The file, past a UTF-8 byte-order mark if it starts with one."""
    with path.open("rb") as fh:
        if fh.read(3) != b"\xef\xbb\xbf":
            fh.seek(0)
        yield fh


def _skeleton(path: Path) -> object:
    """The top of the document with every value but `articles`, whose list is left empty."""
    import ijson

    with _open_json(path) as fh:
        events = ijson.parse(fh, use_float=True)
        first = next(events, None)
        if first is None:
            raise ValueError("the file is empty")
        if first[1] != "start_map":
            return []  # not an object: the checks say what it should be
        doc: dict[str, Any] = {}
        key = ""
        for prefix, event, value in events:
            if prefix == "" and event == "end_map":
                return doc
            if prefix == "" and event == "map_key":
                key = value
                continue
            if event in ("start_map", "start_array"):
                end = "end_map" if event == "start_map" else "end_array"
                if key == "articles" and event == "start_array":
                    for p, e, _v in events:  # skipped here; read one by one later
                        if p == prefix and e == end:
                            break
                    doc[key] = []
                    continue
                builder = ijson.ObjectBuilder()
                builder.event(event, value)
                for p, e, v in events:
                    builder.event(e, v)
                    if p == prefix and e == end:
                        break
                doc[key] = builder.value
            else:
                doc[key] = value
    raise ValueError("the file ends early")


def _article(raw: object, where: str) -> ArticleData:
    obj = _object(raw, where, _ARTICLE_KEYS)
    title = _required_str(obj, "title", where)
    if not title.strip():
        raise ImportFailed(f"{where}: 'title' must not be empty")
    # Name the article by its title from here on: easier to find in a long file.
    where = f"{where} ({_quote(title)})"
    status = _str(obj, "status", where, "draft")
    if status not in set(ArticleStatus):
        raise ImportFailed(f"{where}: unknown status {_quote(status)}")
    tags = _list(obj, "tags", where)
    for i, tag in enumerate(tags):
        if not isinstance(tag, str):
            raise ImportFailed(f"{where}: tags[{i}] must be a string")
    comments = _items(obj, "comments", where, _comment)
    _check_threads(comments, where)
    return ArticleData(
        title=title,
        body_html=_required_str(obj, "body_html", where),
        dek=_str(obj, "dek", where),
        slug=_str(obj, "slug", where),
        status=status,
        section=_str(obj, "section", where),
        tags=tuple(tags),
        authors=_items(obj, "authors", where, _author),
        figures=_items(obj, "figures", where, _figure),
        comments=comments,
        published_at=_datetime(obj, "published_at", where),
        source_key=_str(obj, "source_key", where),
        kind=_str(obj, "kind", where, "post"),
    )


def _author(raw: object, where: str) -> AuthorData:
    obj = _object(raw, where, _AUTHOR_KEYS)
    name = _str(obj, "name", where)
    login = _str(obj, "login", where)
    if not name.strip() and not login.strip():
        raise ImportFailed(f"{where}: an author needs a 'name' (or a 'login')")
    return AuthorData(
        name=name,
        bio=_str(obj, "bio", where),
        role=_str(obj, "role", where),
        email=_str(obj, "email", where),
        url=_str(obj, "url", where),
        login=login,
    )


def _figure(raw: object, where: str) -> FigureData:
    obj = _object(raw, where, _FIGURE_KEYS)
    anchor = obj.get("anchor", 0)
    if not isinstance(anchor, int) or isinstance(anchor, bool) or anchor < 0:
        raise ImportFailed(f"{where}: 'anchor' must be a whole number, 0 or more")
    image_text = _optional_str(obj, "image", where)
    image: bytes | None = None
    if image_text is not None:
        try:
            image = base64.b64decode(image_text, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise ImportFailed(f"{where}: 'image' is not valid base64") from exc
    return FigureData(
        caption=_str(obj, "caption", where),
        credit=_str(obj, "credit", where),
        alt=_str(obj, "alt", where),
        anchor=anchor,
        image=image,
        image_mime=_optional_str(obj, "image_mime", where),
        source_url=_str(obj, "source_url", where),
    )


def _comment(raw: object, where: str) -> CommentData:
    obj = _object(raw, where, _COMMENT_KEYS)
    key = obj.get("key")
    # A bare number is what people type for "1"; it names the same comment.
    if isinstance(key, int) and not isinstance(key, bool):
        key = str(key)
    if not isinstance(key, str) or not key.strip():
        raise ImportFailed(f"{where}: 'key' must be a non-empty string")
    parent_key = obj.get("parent_key")
    if isinstance(parent_key, int) and not isinstance(parent_key, bool):
        parent_key = str(parent_key)
    if parent_key is not None and not isinstance(parent_key, str):
        raise ImportFailed(f"{where}: 'parent_key' must be a string or null")
    status = _optional_str(obj, "status", where)
    if status is not None and status not in set(CommentStatus):
        raise ImportFailed(f"{where}: unknown comment status {_quote(status)}")
    return CommentData(
        key=key,
        body=_required_str(obj, "body", where),
        parent_key=parent_key or None,
        author_name=_str(obj, "author_name", where),
        author_email=_str(obj, "author_email", where),
        author_url=_str(obj, "author_url", where),
        author_ip=_str(obj, "author_ip", where),
        posted_at=_datetime(obj, "posted_at", where),
        status=status,
        kind=_str(obj, "kind", where, "comment"),
    )


def _check_threads(comments: tuple[CommentData, ...], where: str) -> None:
    """Parents must come first: the importer links replies in one pass, in file order."""
    seen: set[str] = set()
    for i, c in enumerate(comments):
        if c.key in seen:
            raise ImportFailed(f"{where}: comments[{i}]: key {_quote(c.key)} is used twice")
        if c.parent_key is not None and c.parent_key not in seen:
            raise ImportFailed(
                f"{where}: comments[{i}]: parent {_quote(c.parent_key)} is not an earlier comment"
            )
        seen.add(c.key)


def _object(raw: object, where: str, allowed: frozenset[str]) -> dict[str, Any]:
    if not isinstance(raw, dict):
        raise ImportFailed(f"{where} must be a JSON object, not {_json_type(raw)}")
    # Unknown keys are refused so that a misspelt field is not silently dropped.
    unknown = sorted(set(raw) - allowed)
    if unknown:
        raise ImportFailed(f"{where}: unknown field {_quote(unknown[0])}")
    return raw


def _items(
    obj: dict[str, Any], key: str, where: str, parse: Callable[[object, str], T]
) -> tuple[T, ...]:
    items = _list(obj, key, where or "the document")
    prefix = f"{where} " if where else ""
    return tuple(parse(item, f"{prefix}{key}[{i}]") for i, item in enumerate(items))


def _list(obj: dict[str, Any], key: str, where: str) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise ImportFailed(f"{where}: {key!r} must be a list, not {_json_type(value)}")
    return value


def _required_str(obj: dict[str, Any], key: str, where: str) -> str:
    if key not in obj:
        raise ImportFailed(f"{where}: {key!r} is missing")
    return _str(obj, key, where)


def _str(obj: dict[str, Any], key: str, where: str, default: str = "") -> str:
    value = obj.get(key)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ImportFailed(f"{where}: {key!r} must be a string, not {_json_type(value)}")
    return value


def _optional_str(obj: dict[str, Any], key: str, where: str) -> str | None:
    return _str(obj, key, where) if obj.get(key) is not None else None


def _datetime(obj: dict[str, Any], key: str, where: str) -> datetime | None:
    text = _optional_str(obj, key, where)
    if text is None or not text.strip():
        return None
    try:
        return datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ImportFailed(f"{where}: {key!r} is not an ISO 8601 time: {_quote(text)}") from exc


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a string"
    return "a number"


def _quote(text: str, limit: int = 60) -> str:
    """Quote a value for a message that must stay on one line and stay short."""
    flat = " ".join(text.split())
    if len(flat) > limit:
        flat = flat[: limit - 1] + "…"
    return f"“{flat}”"


# Writing ----------------------------------------------------------------------------------


def write_bundle_json(bundle: Bundle) -> str:
    """Every field is written, defaults included, so a reader in another tool needs no rules."""
    out = io.StringIO()
    write_bundle_json_to(out, bundle.articles, authors=bundle.authors)
    return out.getvalue()


def write_bundle_json_to(
    out: IO[str], articles: Iterable[ArticleData], *, authors: Iterable[AuthorData] = ()
) -> None:
    """The same JSON as `json.dumps(doc, indent=2)` of the whole bundle, written article by
    article: an export of every article never holds them all in memory."""

    def dumps(value: object, depth: int) -> str:
        text = json.dumps(value, ensure_ascii=False, indent=2)
        return text.replace("\n", "\n" + "  " * depth)

    out.write("{\n")
    out.write(f'  "format": {dumps(FORMAT_NAME, 1)},\n')
    out.write(f'  "version": {dumps(FORMAT_VERSION, 1)},\n')
    out.write(f'  "authors": {dumps([_author_json(a) for a in authors], 1)},\n')
    out.write('  "articles": [')
    first = True
    for a in articles:
        out.write(("" if first else ",") + "\n    " + dumps(_article_json(a), 2))
        first = False
    out.write("]\n}\n" if first else "\n  ]\n}\n")


def _article_json(a: ArticleData) -> dict[str, Any]:
    return {
        "title": a.title,
        "dek": a.dek,
        "slug": a.slug,
        "status": a.status,
        "kind": a.kind,
        "section": a.section,
        "tags": list(a.tags),
        "published_at": _iso(a.published_at),
        "source_key": a.source_key,
        "authors": [_author_json(x) for x in a.authors],
        "body_html": a.body_html,
        "figures": [_figure_json(f) for f in a.figures],
        "comments": [_comment_json(c) for c in a.comments],
    }


def _author_json(a: AuthorData) -> dict[str, Any]:
    return {
        "name": a.name,
        "role": a.role,
        "bio": a.bio,
        "email": a.email,
        "url": a.url,
        "login": a.login,
    }


def _figure_json(f: FigureData) -> dict[str, Any]:
    return {
        "caption": f.caption,
        "credit": f.credit,
        "alt": f.alt,
        "anchor": f.anchor,
        "image": base64.b64encode(f.image).decode("ascii") if f.image is not None else None,
        "image_mime": f.image_mime,
        "source_url": f.source_url,
    }


def _comment_json(c: CommentData) -> dict[str, Any]:
    return {
        "key": c.key,
        "parent_key": c.parent_key,
        "author_name": c.author_name,
        "author_email": c.author_email,
        "author_url": clean_url(c.author_url),
        "author_ip": c.author_ip,
        "posted_at": _iso(c.posted_at),
        "status": c.status,
        "kind": c.kind,
        # Only cleaned HTML leaves: a page dump's text as paragraphs, a reader's HTML reduced.
        "body": text_to_comment_html(c.body) if c.body_is_text else clean_comment_html(c.body),
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
