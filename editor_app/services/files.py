"""Writing exports safely: a temporary file beside the target, replaced only when complete."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from editor_app.domain.errors import InvalidInput
from editor_app.domain.storefiles import refuse_store_file
from editor_app.store.uow import UowFactory


def write_atomic(target: Path, data: str | bytes) -> Path:
    payload = data.encode("utf-8") if isinstance(data, str) else data
    with atomic_writer(target) as fh:
        fh.write(payload)
    return Path(target)


@contextlib.contextmanager
def atomic_writer(target: Path) -> Iterator[BinaryIO]:
    """A file to write `target` through: it replaces `target` only when the block ends
    without an error; otherwise (a failure, Cancel) it is removed and `target` is as it was.
    Large exports stream through it instead of building the file in memory."""
    target = Path(target)
    if target.is_dir():
        raise InvalidInput(f"{target} is a folder; name the file to write")
    if not target.parent.exists():
        raise InvalidInput(f"the folder {target.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        follow_umask(Path(tmp))
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InvalidInput(f"cannot write {target}: {exc.strerror}") from exc
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def follow_umask(path: Path) -> None:
    """mkstemp makes a file private (0600); an export is an ordinary file of the user's, with
    the mode the user's umask gives new files (a backup stays private: it is not an export)."""
    os.chmod(path, 0o666 & ~current_umask())


def current_umask() -> int:
    """The process's umask, read without changing it: `os.umask` can only be read by setting
    it, and for that moment a file another thread creates (SQLite's -wal) would get mode 0666."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o077)  # elsewhere: the safe way round for the moment it is unset
    os.umask(mask)
    return mask


@dataclass(frozen=True)
class UserFiles:
    """The user's own files (pictures to read, pages and CSV to write), never the store's."""

    store: tuple[Path, ...] = ()

    @classmethod
    def of(cls, uow: UowFactory) -> UserFiles:
        return cls(uow().store_files)

    def check(self, path: Path) -> None:
        refuse_store_file(Path(path), self.store)

    def read(self, path: Path) -> bytes:
        self.check(path)
        try:
            return Path(path).read_bytes()
        except OSError as exc:
            raise InvalidInput(f"cannot read {path}: {exc.strerror}") from exc

    def write(self, path: Path, data: str | bytes) -> Path:
        self.check(path)
        return write_atomic(Path(path), data)
