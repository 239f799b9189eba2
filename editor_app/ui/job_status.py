"""The status-bar corner for running jobs: a progress bar and a Cancel button."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from editor_app.workers.jobs import JobHandle, JobManager


class JobStatus(QWidget):
    def __init__(self, jobs: JobManager, parent: QWidget | None = None):
        super().__init__(parent)
        self._jobs = jobs
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setFixedWidth(180)
        self.bar.setTextVisible(True)
        self.cancel_button = QPushButton("Cancel")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        layout.addWidget(self.cancel_button)
        self._connect_signals()
        self.on_jobs_changed()

    def _connect_signals(self) -> None:
        self._jobs.jobs_changed.connect(self.on_jobs_changed)
        self._jobs.job_progress.connect(self.on_progress)
        self.cancel_button.clicked.connect(self.on_cancel_clicked)

    def current(self) -> JobHandle | None:
        running = self._jobs.running
        return running[-1] if running else None

    def on_jobs_changed(self) -> None:
        handle = self.current()
        self.setVisible(handle is not None)
        if handle is None:
            return
        self.cancel_button.setEnabled(not handle.is_cancelled)
        self.label.setText(handle.title)
        self.bar.setRange(0, 0)  # busy until the first report

    def on_progress(self, handle: JobHandle, done: int, total: int, message: str) -> None:
        if handle is not self.current():
            return
        if total > 0:
            self.bar.setRange(0, total)
            self.bar.setValue(done)
        short = message if len(message) <= 50 else message[:49] + "…"
        self.label.setText(f"{handle.title}: {short}" if short else handle.title)

    def on_cancel_clicked(self) -> None:
        handle = self.current()
        if handle is not None:
            self._jobs.cancel(handle)
            self.cancel_button.setEnabled(False)
            self.label.setText(f"{handle.title}: cancelling…")
