"""The Jobs panel: every import and export of this session, with progress, Cancel and a log.

Signals are the JobManager's; this panel only shows them. Finished jobs stay listed with their
outcome, so an editor who looked away can see what happened and why.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from editor_app.workers.jobs import JobHandle, JobManager


@dataclass
class _Entry:
    handle: JobHandle
    row: QWidget
    label: QLabel
    bar: QProgressBar
    cancel: QPushButton
    started: float = field(default_factory=time.monotonic)
    state: str = "running"


class JobsPanel(QWidget):
    def __init__(self, jobs: JobManager, parent: QWidget | None = None):
        super().__init__(parent)
        self._jobs = jobs
        self._entries: dict[int, _Entry] = {}
        self.list = QListWidget()
        self.list.setAlternatingRowColors(True)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setPlaceholderText("What the jobs did, and why any failed")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.list)
        splitter.addWidget(self.log)
        splitter.setSizes([220, 120])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(splitter)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._jobs.jobs_changed.connect(self.on_jobs_changed)
        self._jobs.job_progress.connect(self.on_progress)
        self._jobs.job_finished.connect(self.on_finished)
        self._jobs.job_failed.connect(self.on_failed)
        self._jobs.job_cancelled.connect(self.on_cancelled)

    def entry(self, handle: JobHandle) -> _Entry | None:
        return self._entries.get(handle.id)

    def on_jobs_changed(self) -> None:
        for handle in self._jobs.running:
            if handle.id not in self._entries:
                self._add(handle)

    def _add(self, handle: JobHandle) -> None:
        row = QWidget()
        label = QLabel(handle.title)
        label.setWordWrap(True)
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setMaximumWidth(160)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(lambda: self.on_cancel_clicked(handle))
        layout = QHBoxLayout(row)
        layout.setContentsMargins(6, 3, 6, 3)
        layout.addWidget(label, 1)
        layout.addWidget(bar)
        layout.addWidget(cancel)
        item = QListWidgetItem()
        item.setSizeHint(row.sizeHint())
        self.list.insertItem(0, item)
        self.list.setItemWidget(item, row)
        self._entries[handle.id] = _Entry(handle, row, label, bar, cancel)
        self._log(f"started: {handle.title}")

    def on_progress(self, handle: JobHandle, done: int, total: int, message: str) -> None:
        e = self.entry(handle)
        if e is None:
            return
        if total > 0:
            e.bar.setRange(0, total)
            e.bar.setValue(done)
        else:
            e.bar.setRange(0, 0)
        e.label.setText(f"{handle.title}\n{message[:80]}" if message else handle.title)

    def _end(self, handle: JobHandle, state: str, text: str) -> None:
        e = self.entry(handle)
        if e is None:
            return
        e.state = state
        seconds = time.monotonic() - e.started
        e.bar.setRange(0, 1)
        e.bar.setValue(1 if state == "done" else 0)
        e.bar.setFormat({"done": "done", "failed": "failed", "cancelled": "cancelled"}[state])
        e.cancel.setEnabled(False)
        e.label.setText(f"{handle.title}\n{text[:120]}")
        e.label.setToolTip(text)
        self._log(f"{state} after {seconds:.1f} s: {handle.title}: {text}")

    def on_finished(self, handle: JobHandle, result: object) -> None:
        summary = getattr(result, "summary", None)
        self._end(handle, "done", summary() if callable(summary) else "finished")

    def on_failed(self, handle: JobHandle, message: str) -> None:
        self._end(handle, "failed", message)

    def on_cancelled(self, handle: JobHandle) -> None:
        self._end(handle, "cancelled", "cancelled; nothing was changed")

    def on_cancel_clicked(self, handle: JobHandle) -> None:
        self._jobs.cancel(handle)
        e = self.entry(handle)
        if e is not None:
            e.cancel.setEnabled(False)
            e.label.setText(f"{handle.title}\ncancelling…")

    def _log(self, line: str) -> None:
        self.log.appendPlainText(f"{time.strftime('%H:%M:%S')}  {line}")
