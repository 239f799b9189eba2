"""Sees other workstations' changes: polls the store's change feed about once a second.

The poll itself is cheap on both engines (a PRAGMA on SQLite, a non-blocking read of
LISTEN notifications on PostgreSQL), so it runs on the GUI thread's timer.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer, Signal

Poll = Callable[[], frozenset[str]]


class LiveRefresh(QObject):
    """Signals: changed(frozenset of table names, "*" for any), lost(message)."""

    changed = Signal(object)
    lost = Signal(str)

    def __init__(self, poll: Poll, parent: QObject | None = None, *, interval_ms: int = 1000):
        super().__init__(parent)
        self._poll = poll
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.on_timeout)
        self._failed = False

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def on_timeout(self) -> None:
        try:
            tables = self._poll()
        except Exception as exc:  # the feed's connection went away: say so once
            if not self._failed:
                self._failed = True
                self.lost.emit(f"live updates paused: {exc}")
            return
        self._failed = False
        if tables:
            self.changed.emit(tables)
