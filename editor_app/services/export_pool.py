"""A large export's conversion spread over processes of its own, one per core.

Converting an article is pure Python (lxml, the writers): one process converts on one core
whatever its threads. The export reads the articles from the store itself and hands them
on as plain data (`ArticleData`, frozen) in chunks; the processes convert them
(`editor_app.formats.render.render_chunk`) and give back the files' bytes, which come back
in the order given, to be written by the export as before. The processes never open the
store and import nothing but the formats.

They are started from a clean interpreter, never forked from the caller (a Qt process with
threads): by a fork server on Linux, which imports the format modules once for every
export of the session, else by `spawn`. Cancel, or a failure anywhere, kills them at once;
work they had not given back is dropped.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from itertools import islice
from types import TracebackType
from typing import Any

from editor_app.domain.errors import Cancelled, UserError
from editor_app.formats.bundle import ArticleData
from editor_app.formats.render import FORMAT_MODULES, render_chunk

# Articles per piece of work: tens of milliseconds of converting, so Cancel is prompt and the
# pieces cost little to send; pieces ahead of the one awaited, per process.
CHUNK = 48
AHEAD = 3
_POLL = 0.05  # seconds between looks at Cancel while waiting for a piece
# Background work: the GUI thread (and the export's own thread, which holds the GIL the GUI
# thread waits for) must get a core the moment it wants one, on a machine already busy too.
NICENESS = 10

Item = tuple[int, ArticleData]


# Processes at most: each holds its own interpreter and format modules (tens of MB), and
# beyond a few the export waits on reading the store and creating files, not on them.
MAX_PROCESSES = 8


def cores() -> int:
    """The cores this process may run on (at most `MAX_PROCESSES`)."""
    try:
        n = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        n = os.cpu_count() or 1
    return min(n, MAX_PROCESSES)


def _context() -> Any:
    """A fork server where there is one (Linux, macOS), else spawn; never a plain fork."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        # Imported once, by the server, when it starts (the first export of the session):
        # each process forked from it has them already.
        ctx.set_forkserver_preload(sorted(set(FORMAT_MODULES.values())))
        return ctx
    return multiprocessing.get_context("spawn")


def _warm(fmt: str, owner: int = 0) -> None:
    """A new process yields the cores to the app (the window's thread, the export's reading
    and writing, which feed it), watches that the app is alive, and imports its format's
    writer before the first piece."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(NICENESS)
    if owner:
        threading.Thread(target=_end_with, args=(owner,), daemon=True).start()
    module = FORMAT_MODULES.get(fmt)
    if module:
        __import__(module)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # there, owned by another user (the pid was reused): not ours, gone
    return True


def _end_with(owner: int, every: float = 1.0) -> None:
    """Exit once the app that started the export is gone. A process's parent is the fork
    server, not the app; and an app killed mid-export (SIGKILL, a crash, an out-of-memory
    kill) never tells it: the process kept waiting on its queue for ever, and the server and
    its resource tracker with it."""
    while _alive(owner):
        time.sleep(every)
    os._exit(0)


class ConversionPool:
    """Processes converting articles to `fmt`; a context manager that ends them on leaving
    (killed, when the block ends with an error or Cancel)."""

    def __init__(self, fmt: str, workers: int, *, chunk: int = CHUNK):
        self.fmt = fmt
        self.workers = max(1, workers)
        self.chunk = max(1, chunk)
        self._executor: ProcessPoolExecutor | None = None

    def __enter__(self) -> ConversionPool:
        self._executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=_context(),
            initializer=_warm,
            initargs=(self.fmt, os.getpid()),
        )
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        executor, self._executor = self._executor, None
        if executor is None:
            return
        if exc_type is not None:
            _kill(executor)
        executor.shutdown(wait=True, cancel_futures=True)

    def convert(
        self, items: Iterable[Item], total: int, cancelled: Callable[[], bool]
    ) -> Iterator[tuple[int, ArticleData, bytes]]:
        """(article id, article, the file's bytes), in the order of `items`; raises
        Cancelled when `cancelled()` says so while waiting."""
        executor = self._executor
        if executor is None:
            raise RuntimeError("ConversionPool.convert outside its with block")
        source = iter(items)
        pending: deque[tuple[Future[list[bytes]], list[Item]]] = deque()
        done = 0
        while True:
            while len(pending) < self.workers * AHEAD:
                chunk = list(islice(source, self.chunk))
                if not chunk:
                    break
                pending.append((executor.submit(render_chunk, self.fmt, chunk), chunk))
            if not pending:
                return
            future, chunk = pending.popleft()
            payloads = self._result(future, done, total, cancelled)
            for (article_id, data), payload in zip(chunk, payloads, strict=True):
                yield article_id, data, payload
            done += len(chunk)

    @staticmethod
    def _result(
        future: Future[list[bytes]], done: int, total: int, cancelled: Callable[[], bool]
    ) -> list[bytes]:
        while True:
            if cancelled():
                raise Cancelled(
                    f"export cancelled after {done} of {total} articles; nothing was written"
                )
            try:
                return future.result(timeout=_POLL)
            except FutureTimeout:
                continue
            except BrokenProcessPool:
                raise UserError(
                    "export failed: a conversion process stopped unexpectedly; nothing was written"
                ) from None


def _kill(executor: ProcessPoolExecutor) -> None:
    """End the executor's processes now, not after the pieces they are converting."""
    kill = getattr(executor, "kill_workers", None)  # Python 3.14
    if kill is not None:
        kill()
        return
    processes = getattr(executor, "_processes", None) or {}
    for process in list(processes.values()):
        with contextlib.suppress(OSError, ValueError):  # already gone
            process.kill()
