"""Which importer reads a file: by the name the user gave, else by a look at its start.

Small formats are parsed whole before anything is written; a WordPress export streams, so
its articles come out one by one while the import's single transaction is open.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from editor_app.domain.errors import ImportFailed
from editor_app.formats import guard
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle

FORMATS = ("auto", "page", "bundle", "wxr", "markdown", "docx", "html", "ghost")
_INTERNAL = ("json",)


def _never() -> bool:
    return False


@dataclass
class Source:
    """What one file holds: articles (possibly streamed) and stand-alone authors."""

    name: str
    format: str
    articles: Callable[[Callable[[], bool]], Iterator[ArticleData]]
    authors: tuple[AuthorData, ...] = ()
    # Authors known only once the articles were read (a WordPress channel's author list).
    late_authors: Callable[[], tuple[AuthorData, ...]] = lambda: ()
    # How many articles a streamed source holds, once it knows (None: not known yet).
    total: Callable[[], int | None] = lambda: None


def detect_format(path: Path, head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    suffix = path.suffix.lower()
    lower = text[:4096].lower()
    if text.startswith(b"PK\x03\x04") or suffix == ".docx":
        return "docx"
    if text.startswith(b"{") or suffix == ".json":
        return "json"  # a Copydesk bundle or a Ghost export: told apart once read whole
    if text.startswith(b"<"):
        if b"wordpress.org/export" in lower or suffix in {".wxr"}:
            return "wxr"
        if b"<rss" in lower and suffix == ".xml":
            return "wxr"
        if b"<html" in lower or b"<!doctype html" in lower or suffix in {".html", ".htm"}:
            return "html"
        return "wxr" if suffix == ".xml" else "html"
    if suffix in {".md", ".markdown"} or text.startswith((b"---", b"+++")):
        return "markdown"
    if suffix in {".xml", ".wxr"}:
        return "wxr"
    if suffix in {".html", ".htm"}:
        return "html"
    return "page"


def _whole(bundle: Bundle, name: str, fmt: str) -> Source:
    articles = bundle.articles
    return Source(
        name, fmt, lambda _cancelled: iter(articles), bundle.authors, total=lambda: len(articles)
    )


def bundle_source(bundle: Bundle, name: str = "bundle") -> Source:
    """A bundle already in memory (the sample newsroom, tests) as an import source."""
    return _whole(bundle, name, "bundle")


def _read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"{path.name}: cannot read: {exc.strerror}") from exc


def open_source(path: Path, fmt: str = "auto") -> Source:
    """Check and, for small formats, parse a file; a bad one fails here, before any write."""
    if fmt not in FORMATS or fmt in _INTERNAL:
        raise ImportFailed(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if path.is_dir():
        raise ImportFailed(f"{path}: is a folder, not a file")
    # Before anything opens it: a pipe or a device would block or never end.
    guard.check_file(path)
    if fmt == "auto":
        try:
            with path.open("rb") as fh:
                head = fh.read(4096)
        except OSError as exc:
            raise ImportFailed(f"{path}: cannot read: {exc.strerror}") from exc
        fmt = detect_format(path, head)
    name = path.name
    # Formats read whole have a size limit; it is checked before they read a byte.
    guard.check_file(path, fmt)
    if fmt in ("json", "bundle", "ghost"):
        guard.check_json_depth(path)
    if fmt == "wxr":
        from editor_app.formats import wxr

        channel = wxr.WxrChannel()
        return Source(
            name,
            fmt,
            lambda cancelled: wxr.iter_wxr(path, cancelled=cancelled, channel=channel),
            late_authors=lambda: wxr.channel_authors(channel),
            total=lambda: channel.articles,
        )
    if fmt == "json":
        from editor_app.formats import jsonbundle

        if jsonbundle.sniff_bundle(path):
            fmt = "bundle"
    if fmt == "json":
        from editor_app.formats import ghost

        guard.check_file(path, "ghost")
        data = _read_bytes(path)
        try:
            is_ghost = ghost.looks_like_ghost(data.decode("utf-8-sig"))
        except UnicodeDecodeError as exc:
            raise ImportFailed(f"{name}: not UTF-8 text") from exc
        fmt = "ghost" if is_ghost else "bundle"
    if fmt == "bundle":
        from editor_app.formats import jsonbundle

        # Streamed: an export of every article may be hundreds of megabytes.
        authors, articles, count = jsonbundle.stream_bundle_file(path)
        return Source(name, fmt, lambda _cancelled: articles(), authors, total=lambda: count)
    if fmt == "ghost":
        from editor_app.formats import ghost

        return _whole(ghost.read_ghost(_read_bytes(path), source_name=name), name, fmt)
    if fmt == "markdown":
        from editor_app.formats import markdown

        article = markdown.read_markdown(_read_bytes(path), source_name=name)
        return _whole(Bundle(articles=(article,)), name, fmt)
    if fmt == "docx":
        from editor_app.formats import docx

        return _whole(
            Bundle(articles=(docx.read_docx(_read_bytes(path), source_name=name),)), name, fmt
        )
    if fmt == "html":
        from editor_app.formats import htmlpage

        article = htmlpage.read_html_page(_read_bytes(path), source_name=name)
        return _whole(Bundle(articles=(article,)), name, fmt)
    from editor_app.formats import pagedump

    return _whole(Bundle(articles=(pagedump.read_page_file(path),)), name, fmt)


def read_file(path: Path, fmt: str = "auto") -> Bundle:
    """The whole file at once (tests and small files); imports use `open_source`."""
    source = open_source(path, fmt)
    return Bundle(articles=tuple(source.articles(_never)), authors=source.authors)
