"""Checks a ZIP container (a .docx) before any library opens it.

An imported file comes from outside the newsroom, so it is treated as hostile until these
checks pass:

* it must be a ZIP at all (a renamed ``.doc`` or a text file named ``.docx`` is refused);
* at most ``MAX_MEMBERS`` members, and no member name that climbs out of the archive
  (``..`` parts, absolute names, drive letters, backslashes);
* a declared uncompressed size of at most ``MAX_TOTAL_BYTES`` in all, and no member over
  ``MAX_RATIO``:1 compression once it is larger than ``RATIO_FLOOR_BYTES`` (tiny members of
  repetitive XML legitimately compress well; a bomb needs size to do harm). ``zipfile``
  never inflates a member past its declared size, so checking declared sizes is enough;
* no XML member (``.xml``, ``.rels``, ``.vml``) with a ``<!DOCTYPE`` or ``<!ENTITY``:
  Office documents never declare one, and entity declarations are how XXE and
  "billion laughs" attacks start. The XML parsers used afterwards do not resolve entities
  either; this check refuses such a file with a clear message instead of half-reading it.

Each failure raises ``ImportFailed`` with a one-line message that names the file.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import PurePosixPath

from editor_app.domain.errors import ImportFailed

__all__ = [
    "MAX_MEMBERS",
    "MAX_RATIO",
    "MAX_TOTAL_BYTES",
    "RATIO_FLOOR_BYTES",
    "check_zip",
]

MAX_TOTAL_BYTES = 200 * 1024 * 1024
MAX_RATIO = 100
RATIO_FLOOR_BYTES = 1024 * 1024
MAX_MEMBERS = 2000
_XML_SUFFIXES = (".xml", ".rels", ".vml")
_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_DRIVE = re.compile(r"^[A-Za-z]:")


def _unsafe_name(name: str) -> bool:
    if not name or name.startswith(("/", "\\")) or _DRIVE.match(name) or "\\" in name:
        return True
    return any(part == ".." for part in PurePosixPath(name).parts)


def _declares_entities(raw: bytes) -> bool:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            raw = raw.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return True  # undecodable XML is refused as well
    return _DECLARATION.search(raw) is not None


def check_zip(data: bytes, *, source_name: str, kind: str = "Word document") -> None:
    """Refuse anything but a sane ZIP; ``kind`` names what the file claims to be."""
    if not data:
        raise ImportFailed(f"{source_name}: the file is empty")
    buffer = io.BytesIO(data)
    if not zipfile.is_zipfile(buffer):
        raise ImportFailed(f"{source_name} is not a {kind}")
    try:
        with zipfile.ZipFile(buffer) as archive:
            members = archive.infolist()
            if len(members) > MAX_MEMBERS:
                raise ImportFailed(
                    f"{source_name}: refused, the archive has {len(members)} parts"
                    f" (at most {MAX_MEMBERS})"
                )
            total = 0
            for info in members:
                if _unsafe_name(info.filename):
                    raise ImportFailed(
                        f"{source_name}: refused, it holds a part with an unsafe name"
                        f" ({info.filename[:80]!r})"
                    )
                total += info.file_size
                if total > MAX_TOTAL_BYTES:
                    raise ImportFailed(
                        f"{source_name}: refused, it would unpack to more than"
                        f" {MAX_TOTAL_BYTES // (1024 * 1024)} MB"
                    )
                if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(
                    info.compress_size, 1
                ):
                    raise ImportFailed(
                        f"{source_name}: refused, a part is compressed more than"
                        f" {MAX_RATIO}:1 (a ZIP bomb?)"
                    )
            for info in members:
                if info.filename.lower().endswith(_XML_SUFFIXES) and _declares_entities(
                    archive.read(info)
                ):
                    raise ImportFailed(
                        f"{source_name}: refused, {info.filename} declares a DOCTYPE or"
                        " entities (Word never writes them)"
                    )
    except ImportFailed:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise ImportFailed(f"{source_name}: the {kind} is damaged ({exc})") from None
    except (OSError, ValueError, RuntimeError, zlib.error) as exc:
        # RuntimeError: an encrypted member; ValueError/OSError: a broken local header.
        raise ImportFailed(f"{source_name}: the {kind} cannot be read ({exc})") from None
