"""The job manager: results, user errors, bugs and cancelling, all reported by signal."""

from __future__ import annotations

import logging
import threading

import pytest

from editor_app.domain.errors import Cancelled, ImportFailed
from editor_app.workers.jobs import JobManager

pytestmark = pytest.mark.ui


@pytest.fixture
def jobs(qtbot):
    manager = JobManager()
    yield manager
    manager.cancel_all()
    manager.wait_all(5000)
    qtbot.waitUntil(lambda: manager.running == ())


def test_finished_carries_the_result_and_progress(qtbot, jobs: JobManager):
    seen: list[tuple[int, int, str]] = []
    jobs.job_progress.connect(lambda _h, d, t, m: seen.append((d, t, m)))

    def work(progress, cancelled):
        for i in range(3):
            progress(i, 3, f"item {i}")
        return "done"

    with qtbot.waitSignal(jobs.job_finished, timeout=5000) as blocker:
        handle = jobs.start("work", work)
        assert jobs.running == (handle,)
    assert blocker.args == [handle, "done"]
    assert seen == [(0, 3, "item 0"), (1, 3, "item 1"), (2, 3, "item 2")]
    assert jobs.running == ()
    assert jobs.wait_all(1000)


def test_user_error_fails_with_its_message(qtbot, jobs: JobManager):
    def work(progress, cancelled):
        raise ImportFailed("page.txt: no such file")

    with qtbot.waitSignal(jobs.job_failed, timeout=5000) as blocker:
        jobs.start("work", work)
    assert blocker.args[1] == "page.txt: no such file"


def test_bug_fails_as_internal_error_and_logs_the_traceback(qtbot, jobs: JobManager, caplog):
    def work(progress, cancelled):
        raise KeyError("oops")

    with (
        caplog.at_level(logging.ERROR, logger="editor_app.workers.jobs"),
        qtbot.waitSignal(jobs.job_failed, timeout=5000) as blocker,
    ):
        jobs.start("work", work)
    assert blocker.args[1].startswith("internal error: KeyError")
    assert any(r.exc_info for r in caplog.records)


def test_cancel_sets_the_token_and_reports_cancelled(qtbot, jobs: JobManager):
    started = threading.Event()

    def work(progress, cancelled):
        started.set()
        while not cancelled():
            threading.Event().wait(0.01)
        raise Cancelled("stopped")

    with qtbot.waitSignal(jobs.job_cancelled, timeout=5000):
        handle = jobs.start("slow", work)
        assert started.wait(5)
        jobs.cancel(handle)
    qtbot.waitUntil(lambda: jobs.running == ())


def test_slots_given_to_start_hear_a_job_that_ended_before_start_returned(
    qtbot, jobs: JobManager, monkeypatch
):
    # The pool thread may finish a short job before the caller's next line runs; a slot
    # connected to the handle afterwards missed it (a dialog stuck on "Trying the rules…").
    real_start = jobs._pool.start

    def start_and_finish(runnable):
        real_start(runnable)
        jobs._pool.waitForDone(5000)

    monkeypatch.setattr(jobs, "_pool", _PoolProxy(jobs._pool, start_and_finish))
    got: dict[str, list[object]] = {"finished": [], "failed": [], "progress": []}

    def work(progress, cancelled):
        progress(1, 1, "one")
        return 42

    jobs.start(
        "quick",
        work,
        on_progress=lambda d, t, m: got["progress"].append((d, t, m)),
        on_finished=got["finished"].append,
    )
    jobs.start("fails", lambda _p, _c: 1 / 0, on_failed=got["failed"].append)
    qtbot.waitUntil(lambda: bool(got["finished"] and got["failed"]), timeout=5000)
    assert got["finished"] == [42]
    assert got["progress"] == [(1, 1, "one")]
    assert got["failed"] == ["internal error: ZeroDivisionError: division by zero"]


class _PoolProxy:
    """The manager's pool with ``start`` replaced; the rest passes through."""

    def __init__(self, pool, start):
        self._pool = pool
        self.start = start

    def __getattr__(self, name):
        return getattr(self._pool, name)


def test_a_job_that_finished_is_not_reported_cancelled_by_a_late_cancel(qtbot, jobs: JobManager):
    # An export whose files were in place was reported "cancelled" when Cancel came during
    # its last step: the work is done, and the user must be told so.
    at_end = threading.Event()
    go_on = threading.Event()

    def work(progress, cancelled):
        at_end.set()
        go_on.wait(5)  # the last step; it no longer looks at the token
        return "written"

    with qtbot.waitSignal(jobs.job_finished, timeout=5000) as blocker:
        handle = jobs.start("export", work)
        assert at_end.wait(5)
        jobs.cancel(handle)
        go_on.set()
    assert blocker.args == [handle, "written"]
