"""Background jobs: a plain service call in a QRunnable, reporting through a small QObject.

A job never touches widgets. It gets two callables, ``progress(done, total, message)`` and
``cancelled() -> bool``, and returns a result (a frozen DTO). The services check the cancel
token between items and roll back on :class:`~editor_app.domain.errors.Cancelled`.
"""

from __future__ import annotations

import gc
import itertools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from editor_app.domain.errors import Cancelled, UserError

log = logging.getLogger(__name__)

Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]
JobFn = Callable[[Progress, IsCancelled], Any]


class JobSignals(QObject):
    """Signals of one job; emitted from the pool thread, delivered queued to the GUI thread.

    Signals:
        progress(int done, int total, str message)
        finished(object result)
        failed(str message): one line the user can read
        cancelled()
    """

    progress = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


@dataclass(eq=False)
class JobHandle:
    """What the UI holds of a running job: its title, signals and cancel token."""

    id: int
    title: str
    signals: JobSignals
    token: threading.Event = field(default_factory=threading.Event)
    done: int = 0
    total: int = 0
    message: str = ""

    @property
    def is_cancelled(self) -> bool:
        return self.token.is_set()


class Job(QRunnable):
    """Runs ``fn(progress, cancelled)`` on a pool thread and reports the outcome once."""

    def __init__(self, fn: JobFn, handle: JobHandle):
        super().__init__()
        self._fn = fn
        self._handle = handle
        self.setAutoDelete(True)

    def run(self) -> None:
        signals = self._handle.signals
        token = self._handle.token
        try:
            # A service stops by raising Cancelled (and rolls back). One that returned has done
            # its work (an export's files are in place): a Cancel clicked too late for it is
            # not reported as cancelled.
            result = self._fn(self._report, token.is_set)
        except Cancelled:
            signals.cancelled.emit()
        except UserError as exc:
            signals.failed.emit(str(exc))
        except Exception as exc:
            log.exception("job %r failed", self._handle.title)
            signals.failed.emit(f"internal error: {type(exc).__name__}: {exc}")
        else:
            signals.finished.emit(result)

    def _report(self, done: int, total: int, message: str = "") -> None:
        self._handle.signals.progress.emit(int(done), int(total), str(message))


class CollectorHold:
    """No automatic full garbage collection while a job runs, in this process.

    A full (generation 2) collection walks every tracked object, and the job's thread holds
    the GIL while it does: 80 to 90 ms with an import's objects alive, longer than the 50 ms the
    GUI thread may stall. While any job runs the third threshold is raised out of reach
    (young collections go on as before; they find most of a job's cycles); when the last job
    ends the thresholds are as they were, and the full pass that was due runs at the next
    collection after it.
    """

    NEVER = 1_000_000_000

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._holders = 0
        self._saved: tuple[int, int, int] | None = None

    def acquire(self) -> None:
        with self._lock:
            self._holders += 1
            if self._holders == 1:
                first, second, third = gc.get_threshold()
                self._saved = (first, second, third)
                gc.set_threshold(first, second, self.NEVER)

    def release(self) -> None:
        with self._lock:
            if self._holders == 0:
                return
            self._holders -= 1
            if self._holders == 0 and self._saved is not None:
                first, second, _ = gc.get_threshold()
                gc.set_threshold(first, second, self._saved[2])
                self._saved = None

    @property
    def held(self) -> bool:
        return self._holders > 0


COLLECTOR_HOLD = CollectorHold()


class JobManager(QObject):
    """Owns the thread pool and the list of running jobs.

    Listen here, or pass ``on_finished`` and the like to :meth:`start`: both are connected
    before the job starts. A slot connected to a handle's signals after ``start`` returns can
    miss a job that ended at once (the pool thread emits before the connection exists).

    Signals:
        jobs_changed(): a job started or ended; read :attr:`running`.
        job_progress(JobHandle handle, int done, int total, str message)
        job_finished(JobHandle handle, object result)
        job_failed(JobHandle handle, str message)
        job_cancelled(JobHandle handle)
    """

    jobs_changed = Signal()
    job_progress = Signal(object, int, int, str)
    job_finished = Signal(object, object)
    job_failed = Signal(object, str)
    job_cancelled = Signal(object)

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 2):
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._running: list[JobHandle] = []
        self._ids = itertools.count(1)

    @property
    def running(self) -> tuple[JobHandle, ...]:
        return tuple(self._running)

    def start(
        self,
        title: str,
        fn: JobFn,
        *,
        on_progress: Callable[[int, int, str], Any] | None = None,
        on_finished: Callable[[Any], Any] | None = None,
        on_failed: Callable[[str], Any] | None = None,
        on_cancelled: Callable[[], Any] | None = None,
    ) -> JobHandle:
        """Start ``fn`` on the pool; the ``on_…`` slots are connected before it can end."""
        # The signals object lives in the GUI thread, so its receivers get queued calls.
        handle = JobHandle(id=next(self._ids), title=title, signals=JobSignals(self))
        sig = handle.signals
        sig.progress.connect(lambda d, t, m: self._on_progress(handle, d, t, m))
        sig.finished.connect(lambda r: self._on_ended(handle, self.job_finished, r))
        sig.failed.connect(lambda m: self._on_ended(handle, self.job_failed, m))
        sig.cancelled.connect(lambda: self._on_ended(handle, self.job_cancelled))
        for signal, slot in (
            (sig.progress, on_progress),
            (sig.finished, on_finished),
            (sig.failed, on_failed),
            (sig.cancelled, on_cancelled),
        ):
            if slot is not None:
                signal.connect(slot)
        self._running.append(handle)
        COLLECTOR_HOLD.acquire()
        self._pool.start(Job(fn, handle))
        self.jobs_changed.emit()
        return handle

    def cancel(self, handle: JobHandle) -> None:
        handle.token.set()

    def cancel_all(self) -> None:
        for handle in self._running:
            handle.token.set()

    def wait_all(self, ms: int = -1) -> bool:
        """Block until the pool is idle (or ``ms`` passes); True when everything ended."""
        return bool(self._pool.waitForDone(ms))

    def _on_progress(self, handle: JobHandle, done: int, total: int, message: str) -> None:
        handle.done, handle.total, handle.message = done, total, message
        self.job_progress.emit(handle, done, total, message)

    def _on_ended(self, handle: JobHandle, signal: Any, *args: Any) -> None:
        if handle in self._running:
            self._running.remove(handle)
            COLLECTOR_HOLD.release()
        signal.emit(handle, *args)
        self.jobs_changed.emit()
