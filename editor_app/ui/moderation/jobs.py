"""The moderation area's background jobs: the rules over the pending queue, and rescoring.

They run on the window's JobManager, so they show in its job list with progress and Cancel;
this object only starts them and turns their results into one line for the page.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from editor_app.services.dto import AutoSummary
from editor_app.services.moderation import ModerationService
from editor_app.workers.jobs import IsCancelled, JobFn, JobHandle, JobManager, Progress

FindJobs = Callable[[], JobManager | None]


class ModerationJobs(QObject):
    """Signals:
    started(str title): a job was handed to the job manager
    finished(str summary): one of ours ended; the queue wants a reload
    unavailable(str message): there is no job manager to run on
    """

    started = Signal(str)
    finished = Signal(str)
    unavailable = Signal(str)

    def __init__(self, moderation: ModerationService, find_jobs: FindJobs, parent: QObject):
        super().__init__(parent)
        self._moderation = moderation
        self._find_jobs = find_jobs
        self._mine: set[int] = set()
        self._listening: JobManager | None = None

    def run_rules(self) -> JobHandle | None:
        moderation = self._moderation

        def run(progress: Progress, cancelled: IsCancelled) -> AutoSummary:
            # The pipeline signs its decisions as the auto-moderator, as at import.
            return moderation.auto(progress=progress, cancelled=cancelled)

        return self._start("Running the rules on pending comments", run)

    def rescore(self) -> JobHandle | None:
        moderation = self._moderation

        def run(progress: Progress, cancelled: IsCancelled) -> int:
            return moderation.rescore(progress=progress, cancelled=cancelled)

        return self._start("Rescoring every comment", run)

    def _start(self, title: str, fn: JobFn) -> JobHandle | None:
        jobs = self._find_jobs()
        if jobs is None:
            self.unavailable.emit("background jobs are not available here")
            return None
        if self._listening is not jobs:
            jobs.job_finished.connect(self.on_job_finished)
            self._listening = jobs
        handle = jobs.start(title, fn)
        self._mine.add(handle.id)
        self.started.emit(f"{title}…")
        return handle

    @staticmethod
    def summary(result: object) -> str:
        if isinstance(result, AutoSummary):
            return (
                f"Checked {result.checked}: approved {result.approved}, held {result.held}, "
                f"spam {result.spam}, trash {result.trash}"
            )
        if isinstance(result, int):
            return f"Rescored {result} comment{'s' if result != 1 else ''}"
        return "Done"

    def on_job_finished(self, handle: JobHandle, result: object) -> None:
        if handle.id in self._mine:
            self._mine.discard(handle.id)
            self.finished.emit(self.summary(result))
