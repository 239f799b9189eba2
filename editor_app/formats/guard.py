"""Checks a file must pass before any importer reads it (docs/formats.md, "Limits").

Importers that read a file whole would otherwise take whatever the file system hands them: a
FIFO that never ends, a sparse 2 GB ``.txt``, a JSON file of nothing but ``[``. Each check is
cheap (a ``stat``, or a streamed pass that keeps only a depth counter) and refuses in one line.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from editor_app.domain.errors import ImportFailed

__all__ = ["MAX_BYTES", "MAX_JSON_DEPTH", "check_file", "check_json_depth"]

_MB = 1024 * 1024
# Formats read whole: the largest file each may be. Streamed formats (WXR, bundle) have none.
MAX_BYTES: dict[str, int] = {
    "page": 10 * _MB,
    "markdown": 10 * _MB,
    "html": 20 * _MB,
    "docx": 200 * _MB,
    "ghost": 200 * _MB,
}
# A Copydesk bundle nests 5 deep and a Ghost export 7 (mobiledoc and lexical are strings in
# it); 64 leaves room for any real export and none for a file made of brackets.
MAX_JSON_DEPTH = 64

_KINDS = (
    (stat.S_ISFIFO, "a pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


def check_file(path: Path, fmt: str | None = None) -> os.stat_result:
    """Refuse what is not a regular file, and a file larger than its format allows.

    ``stat`` follows links but opens nothing, so a pipe without a writer cannot block here.
    """
    try:
        st = path.stat()
    except FileNotFoundError:
        raise ImportFailed(f"{path}: no such file") from None
    except OSError as exc:
        raise ImportFailed(f"{path}: cannot read: {exc.strerror or exc}") from None
    if not stat.S_ISREG(st.st_mode):
        kind = next((name for test, name in _KINDS if test(st.st_mode)), "not a regular file")
        raise ImportFailed(f"{path.name or path}: is {kind}, not a file; only files are imported")
    limit = MAX_BYTES.get(fmt or "")
    if limit is not None and st.st_size > limit:
        raise ImportFailed(
            f"{path.name}: {_size(st.st_size)} is larger than a {fmt} file may be "
            f"({_size(limit)}); see docs/formats.md"
        )
    return st


def check_json_depth(path: Path, limit: int = MAX_JSON_DEPTH) -> None:
    """Refuse a JSON file nested deeper than ``limit``, before anything builds its values.

    One streamed pass with yajl's events and a counter: memory stays flat whatever the file.
    A file that is not valid JSON passes here; the reader says what is wrong with it.
    """
    import ijson

    depth = 0
    try:
        with path.open("rb") as fh:
            if fh.read(3) != b"\xef\xbb\xbf":
                fh.seek(0)
            for event, _value in ijson.basic_parse(fh, use_float=True):
                if event in ("start_map", "start_array"):
                    depth += 1
                    if depth > limit:
                        raise ImportFailed(
                            f"{path.name}: nested more than {limit} levels deep; "
                            "no real export is, so it is not read"
                        )
                elif event in ("end_map", "end_array"):
                    depth -= 1
    except (ijson.JSONError, ValueError, OSError):
        return


def _size(n: int) -> str:
    if n >= _MB:
        return f"{n / _MB:,.0f} MB"
    return f"{n:,} bytes"
