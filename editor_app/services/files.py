"""Writing exports safely: a temporary file beside the target, replaced only when complete;
many files through a temporary folder, moved into place together when all are complete."""

from __future__ import annotations

import contextlib
import os
import queue
import shutil
import sys
import tempfile
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from editor_app.domain.errors import InvalidInput
from editor_app.domain.storefiles import refuse_store_file, store_file_guard
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


class StagedFolder:
    """Files for an existing folder, written first into a hidden temporary folder inside it.

    Nothing in the folder changes until `commit`: then the data of every file reaches the
    disk with one `syncfs` of the folder's filesystem (not one `fsync` per file, which cost
    a third of a 10,000-file export, nor `sync()` of every filesystem), and each file is
    renamed over its target: no file is ever seen half-written. A failure or Cancel before
    that (`discard`) leaves the folder exactly as it was; a rename that fails (a folder of
    that name) leaves the files renamed before it in place.

    `write` hands the file to a thread of the stage's own, which creates and writes it while
    the caller makes the next one: creating a file is the kernel's work (about 0.2 ms of
    system time each here, as long as converting an article), done without the GIL. Files
    are written in the order given (the same name twice: the later wins); a write that fails
    is raised by a later `write` or by `commit`.
    """

    _BATCH = 16
    _QUEUE = 8  # batches waiting for the writer at most: memory stays bounded

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        if not self.folder.is_dir():
            raise InvalidInput(f"{self.folder} is not a folder")
        try:
            self._tmp = Path(tempfile.mkdtemp(prefix=".copydesk-export-", dir=self.folder))
        except OSError as exc:
            raise InvalidInput(f"cannot write into {self.folder}: {exc.strerror}") from exc
        self._tmp_str = str(self._tmp)
        self._names: dict[str, None] = {}  # in order; the same name twice is written once
        # Files go to the writer in batches: one wake-up of its thread per batch, not per file.
        self._batch: list[tuple[str, bytes]] = []
        self._queue: queue.Queue[list[tuple[str, bytes]] | None] = queue.Queue(self._QUEUE)
        self._thread: threading.Thread | None = None
        self._stop = False
        self._error: Exception | None = None

    def path(self, name: str) -> Path:
        """Where a writer of its own (PDF) writes `name` before the commit."""
        self._names[name] = None
        return self._tmp / name

    def write(self, name: str, data: str | bytes) -> None:
        if self._error is not None:
            raise self._error
        payload = data.encode("utf-8") if isinstance(data, str) else data
        self._names[name] = None
        self._batch.append((name, payload))
        if len(self._batch) >= self._BATCH:
            self._hand_over()

    def _hand_over(self) -> None:
        if not self._batch:
            return
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._write_queued, name="copydesk-export-writer", daemon=True
            )
            self._thread.start()
        batch, self._batch = self._batch, []
        self._queue.put(batch)

    def _write_queued(self) -> None:
        while (batch := self._queue.get()) is not None:
            for name, payload in batch:
                if self._stop or self._error is not None:
                    break  # drained, never written: the stage is being discarded
                self._write_one(name, payload)

    def _write_one(self, name: str, payload: bytes) -> None:
        try:
            fd = os.open(
                os.path.join(self._tmp_str, name), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666
            )
            try:
                view = memoryview(payload)
                while view:
                    view = view[os.write(fd, view) :]
            finally:
                os.close(fd)
        except OSError as exc:
            self._error = InvalidInput(f"cannot write {self.folder / name}: {exc.strerror}")
            self._error.__cause__ = exc
        except Exception as exc:  # a bug: raised in the caller's thread, not lost here
            self._error = exc

    def _finish_writes(self) -> None:
        """Wait for the writer to write (or, when stopping, drop) what it was given."""
        if self._stop:
            self._batch = []
        self._hand_over()
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join()
            self._thread = None

    def commit(self) -> list[Path]:
        """Everything onto the disk at once, then every file into place; returns the files."""
        self._finish_writes()
        if self._error is not None:
            self.discard()
            raise self._error
        try:
            _sync(self._tmp, (self._tmp / name for name in self._names))
            placed = []
            tmp, folder = self._tmp_str, str(self.folder)
            for name in self._names:
                os.replace(os.path.join(tmp, name), os.path.join(folder, name))
                placed.append(self.folder / name)
            _fsync_dir(self.folder)
        except OSError as exc:
            self.discard()
            raise InvalidInput(f"cannot write into {self.folder}: {exc.strerror}") from exc
        self.discard()
        return placed

    def discard(self) -> None:
        self._stop = True
        self._finish_writes()
        shutil.rmtree(self._tmp, ignore_errors=True)


@contextlib.contextmanager
def staged_folder(folder: Path) -> Iterator[StagedFolder]:
    """A `StagedFolder` committed when the block ends without an error, else discarded."""
    stage = StagedFolder(folder)
    try:
        yield stage
    except BaseException:
        stage.discard()
        raise
    stage.commit()


def _sync(folder: Path, files: Iterable[Path]) -> None:
    """Every written file's data onto the disk: on Linux one `syncfs(2)` of the folder's
    own filesystem (not `sync()`, which flushes every filesystem of the machine, other
    programs' writes and network mounts included); elsewhere one `fsync` per file."""
    if _syncfs(folder):
        return
    for path in files:
        with open(path, "rb+") as fh:
            os.fsync(fh.fileno())


def _syncfs(folder: Path) -> bool:
    """Linux's `syncfs` on `folder`'s filesystem (Python has no `os.syncfs`); False where
    there is none or it fails, and the caller falls back to `fsync` per file."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        syncfs = libc.syncfs
    except (OSError, AttributeError):
        return False
    fd = os.open(folder, os.O_RDONLY)
    try:
        return bool(syncfs(fd) == 0)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    """The renames themselves onto the disk (POSIX; Windows has no directory handles)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class UserFiles:
    """The user's own files (pictures to read, pages and CSV to write), never the store's."""

    store: tuple[Path, ...] = ()

    @classmethod
    def of(cls, uow: UowFactory) -> UserFiles:
        return cls(uow().store_files)

    def check(self, path: Path) -> None:
        refuse_store_file(Path(path), self.store)

    def checker(self, folder: Path) -> Callable[[str], None]:
        """`check` for many file names in one folder, each name one `lstat`."""
        return store_file_guard(Path(folder), self.store)

    def read(self, path: Path) -> bytes:
        self.check(path)
        try:
            return Path(path).read_bytes()
        except OSError as exc:
            raise InvalidInput(f"cannot read {path}: {exc.strerror}") from exc

    def write(self, path: Path, data: str | bytes) -> Path:
        self.check(path)
        return write_atomic(Path(path), data)
