"""Which importer reads a file: by the name the user gave, else by a look at its start."""

from __future__ import annotations

from pathlib import Path

from editor_app.domain.errors import ImportFailed
from editor_app.formats import jsonbundle, pagedump
from editor_app.formats.bundle import Bundle

FORMATS = ("auto", "page", "bundle")


def detect_format(path: Path, head: bytes) -> str:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    suffix = path.suffix.lower()
    if text.startswith(b"{") or suffix == ".json":
        return "bundle"
    if text.startswith(b"<") or suffix in {".xml", ".wxr", ".html", ".htm"}:
        raise ImportFailed(f"{path.name}: XML and HTML imports are not available yet")
    if text.startswith(b"PK\x03\x04") or suffix == ".docx":
        raise ImportFailed(f"{path.name}: DOCX import is not available yet")
    return "page"


def read_file(path: Path, fmt: str = "auto") -> Bundle:
    if fmt not in FORMATS:
        raise ImportFailed(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    if not path.exists():
        raise ImportFailed(f"{path}: no such file")
    if path.is_dir():
        raise ImportFailed(f"{path}: is a folder, not a file")
    if fmt == "auto":
        try:
            with path.open("rb") as fh:
                head = fh.read(4096)
        except OSError as exc:
            raise ImportFailed(f"{path}: cannot read: {exc.strerror}") from exc
        fmt = detect_format(path, head)
    if fmt == "bundle":
        return jsonbundle.read_bundle_file(path)
    return Bundle(articles=(pagedump.read_page_file(path),))
