"""The store's own files are never a document: not to import, read as a picture or overwrite.

Opening and closing any of a running SQLite store's files in the process drops the POSIX
locks SQLite holds on them (see ui/file_dialogs.py); replacing one loses the store. A file is
told by what it is on disk (device and inode, so a symlink or a hard link is caught too), or,
for a side file not there yet, by its full path.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from editor_app.domain.errors import InvalidInput

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")


def sqlite_files(store: Path) -> tuple[Path, ...]:
    """A SQLite store file and the side files SQLite keeps beside it."""
    return (store, *(Path(f"{store}{suffix}") for suffix in SIDE_SUFFIXES))


def refuse_store_file(path: Path, store: Iterable[Path]) -> None:
    """Raise a one-line InvalidInput when `path` is one of the `store`'s files."""
    own = tuple(store)
    if not own:
        return
    path = Path(path)
    try:
        st = os.stat(path)
        ident: tuple[int, int] | None = (st.st_dev, st.st_ino)
    except OSError:
        ident = None
    where = _absolute(path)
    for candidate in own:
        try:
            cst = os.stat(candidate)
            same = ident is not None and (cst.st_dev, cst.st_ino) == ident
        except OSError:
            same = False
        if same or where == _absolute(candidate):
            raise InvalidInput(
                f"{path} is this store's own file ({candidate.name}); "
                "Copydesk never reads or writes it as a document: pick another file"
            )


def _absolute(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError):
        return path.expanduser().absolute()


def _fold(name: str) -> str:
    return unicodedata.normalize("NFC", name).casefold()


def store_file_guard(folder: Path, store: Iterable[Path]) -> Callable[[str], None]:
    """`refuse_store_file` for many names in one folder (a folder export of 10,000 files):
    the store's files and the folder are looked up once (one listing of the folder), then a
    name costs a dictionary look-up; an `lstat` only where the name is there with the inode
    number of a store file (the full check, which resolves the whole path, stays for a link
    or a name with a path in it)."""
    own = tuple(store)
    if not own:
        return lambda _name: None
    folder = Path(folder)
    idents: dict[tuple[int, int], Path] = {}
    for candidate in own:
        try:
            cst = os.stat(candidate)
            idents[(cst.st_dev, cst.st_ino)] = candidate
        except OSError:
            pass
    inodes = {ino for _dev, ino in idents}
    where = _absolute(folder)
    # Names are compared folded (case and Unicode form): on a case-insensitive disk
    # (macOS, Windows) "Store.db" and "store.db", or NFC and NFD spellings, are one file.
    paths = {_fold(str(_absolute(c))): c for c in own}
    prefix = os.path.join(str(where), "")
    # What is in the folder now, by folded name: (a symbolic link?, inode number) of each.
    present: dict[str, list[tuple[bool, int]]] = {}
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                try:
                    seen = (entry.is_symlink(), entry.inode())
                except OSError:
                    seen = (True, 0)  # unknown: the full check decides
                present.setdefault(_fold(entry.name), []).append(seen)
    except OSError:
        present = {}
        listed = False
    else:
        listed = True

    def check(name: str) -> None:
        if (
            not listed
            or os.sep in name
            or (os.altsep and os.altsep in name)
            or name in ("", ".", "..")
        ):
            refuse_store_file(folder / name, own)
            return
        found = present.get(_fold(name), ())
        if any(link for link, _ino in found):
            refuse_store_file(folder / name, own)
            return
        candidate = paths.get(_fold(prefix + name))
        if candidate is None and any(ino in inodes for _link, ino in found):
            try:
                st = os.lstat(folder / name)
                candidate = idents.get((st.st_dev, st.st_ino))
            except OSError:
                candidate = None
        if candidate is not None:
            raise InvalidInput(
                f"{folder / name} is this store's own file ({candidate.name}); "
                "Copydesk never reads or writes it as a document: pick another file"
            )

    return check
