"""Runs the copy desk's checks off the GUI thread; only the newest request's answer counts.

Signals:
    finished(object): the result of the newest request
    failed(str): its error, one line
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from editor_app.domain.errors import UserError

log = logging.getLogger(__name__)


class _Carrier(QObject):
    # Parentless and held by each task, so a task that ends after its panel closed emits on a
    # live object; Qt drops the queued call to the deleted receiver.
    done = Signal(int, object)
    failed = Signal(int, str)


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any], generation: int, carrier: _Carrier) -> None:
        super().__init__()
        self.fn, self.generation, self.carrier = fn, generation, carrier

    def run(self) -> None:
        try:
            result = self.fn()
        except UserError as exc:
            self.carrier.failed.emit(self.generation, str(exc).splitlines()[0] if str(exc) else "")
            return
        except Exception as exc:  # a check must never take the editor down; the log keeps it
            log.exception("a copy desk check failed")
            self.carrier.failed.emit(self.generation, f"{type(exc).__name__}: {exc}"[:200])
            return
        self.carrier.done.emit(self.generation, result)


class LatestRunner(QObject):
    finished = Signal(object)
    failed = Signal(str)

    def __init__(self, parent: QObject | None = None, pool: QThreadPool | None = None) -> None:
        super().__init__(parent)
        self._pool = pool or QThreadPool.globalInstance()
        self._generation = 0
        self._carrier = _Carrier()
        self._carrier.done.connect(self.on_done)
        self._carrier.failed.connect(self.on_failed)
        self.busy = False

    def run(self, fn: Callable[[], Any], *, in_thread: bool = True) -> None:
        """Start `fn`; an answer to an older request arriving later is dropped."""
        self._generation += 1
        self.busy = True
        task = _Task(fn, self._generation, self._carrier)
        if in_thread:
            self._pool.start(task)
        else:
            task.run()

    def on_done(self, generation: int, result: object) -> None:
        if generation == self._generation:
            self.busy = False
            self.finished.emit(result)

    def on_failed(self, generation: int, message: str) -> None:
        if generation == self._generation:
            self.busy = False
            self.failed.emit(message)
