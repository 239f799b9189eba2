"""The Jobs panel and the live refresh, on their own."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from editor_app.domain.errors import Cancelled, ImportFailed
from editor_app.services.container import Services
from editor_app.store.changes import ChangeWatcher
from editor_app.store.database import Database
from editor_app.ui.export_dialog import ExportDialog
from editor_app.ui.jobs_panel import JobsPanel
from editor_app.ui.live_refresh import LiveRefresh
from editor_app.workers.jobs import JobManager

pytestmark = pytest.mark.ui


def test_jobs_panel_lists_progress_outcomes_and_cancels(qtbot) -> None:
    jobs = JobManager()
    panel = JobsPanel(jobs)
    qtbot.addWidget(panel)
    gate = threading.Event()

    def slow(progress, cancelled):  # type: ignore[no-untyped-def]
        # Runs until cancelled (30 s at most): a busy machine may be slow to click Cancel.
        for i in range(3000):
            progress(min(i, 99), 100, f"item {i}")
            if cancelled():
                raise Cancelled("stopped; nothing was changed")
            gate.wait(0.01)
        return None

    def broken(_progress, _cancelled):  # type: ignore[no-untyped-def]
        raise ImportFailed("report.docx: is not a Word document")

    running = jobs.start("Import big.xml", slow)
    failing = jobs.start("Import report.docx", broken)
    qtbot.waitUntil(lambda: (e := panel.entry(failing)) is not None and e.state == "failed")
    assert "not a Word document" in panel.log.toPlainText()
    qtbot.waitUntil(lambda: (e := panel.entry(running)) is not None and e.bar.value() > 0)
    entry = panel.entry(running)
    assert entry is not None
    entry.cancel.click()
    qtbot.waitUntil(lambda: entry.state == "cancelled", timeout=5000)
    assert "cancelled" in panel.log.toPlainText()
    assert jobs.wait_all(5000)


def test_live_refresh_sees_another_connection_commit(qtbot, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.sqlite3'}"
    mine, theirs = Database(url), Database(url)
    watcher = ChangeWatcher(mine.engine)
    live = LiveRefresh(watcher.poll, interval_ms=50)
    seen: list[frozenset[str]] = []
    live.changed.connect(seen.append)
    live.start()
    from editor_app.formats.bundle import ArticleData, Bundle

    Services.build(theirs.uow).imports.import_bundles(
        [Bundle(articles=(ArticleData(title="Elsewhere", body_html="<p>x</p>"),))]
    )
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    live.stop()
    watcher.close()
    mine.dispose()
    theirs.dispose()


def test_live_refresh_reports_a_lost_feed_once(qtbot) -> None:
    def gone() -> frozenset[str]:
        raise ConnectionError("server closed the connection")

    live = LiveRefresh(gone, interval_ms=20)
    lost: list[str] = []
    live.lost.connect(lost.append)
    live.start()
    qtbot.waitUntil(lambda: bool(lost), timeout=10_000)
    qtbot.wait(150)  # more failed polls: still one report
    live.stop()
    assert len(lost) == 1 and "paused" in lost[0]


def test_export_dialog_suggests_one_file_or_a_folder(qtbot, settings) -> None:
    one = ExportDialog(1, settings=settings)
    qtbot.addWidget(one)
    one.target.setText("/tmp/piece.html")
    one.format.setCurrentIndex(one.format.findData("docx"))
    assert one.chosen() == ("docx", Path("/tmp/piece.docx"))
    many = ExportDialog(3, settings=settings)
    qtbot.addWidget(many)
    assert not many.one_file()
    many.format.setCurrentIndex(many.format.findData("wxr"))
    assert many.one_file()


def test_export_from_the_window_runs_as_a_job(
    qtbot, make_window, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QDialog

    from editor_app.formats.bundle import ArticleData, Bundle
    from editor_app.ui import dialogs

    services.imports.import_bundles(
        [Bundle(articles=(ArticleData(title="Pier vote", body_html="<p>Close call.</p>"),))]
    )
    window = make_window()
    window.articles_page.table.selectRow(0)
    target = tmp_path / "pier.md"

    def fill(dialog: ExportDialog) -> int:
        dialog.format.setCurrentIndex(dialog.format.findData("markdown"))
        dialog.target.setText(str(target))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    window.export_action.trigger()
    qtbot.waitUntil(target.exists, timeout=10_000)
    assert "Pier vote" in target.read_text()
    qtbot.waitUntil(lambda: "Exported 1 article" in window.statusBar().currentMessage())


def test_the_window_follows_another_workstation(
    qtbot, services: Services, db: Database, settings, tmp_path: Path
) -> None:
    from editor_app.app import build_window
    from editor_app.formats.bundle import ArticleData, Bundle

    watcher = ChangeWatcher(db.engine)
    jobs = JobManager()
    window = build_window(services, jobs, "test", settings=settings, change_poll=watcher.poll)
    qtbot.addWidget(window)
    assert window.nav.item(0).text() == "Articles (0)"
    other = Database(str(db.engine.url))
    Services.build(other.uow).imports.import_bundles(
        [Bundle(articles=(ArticleData(title="From the night desk", body_html="<p>x</p>"),))]
    )
    qtbot.waitUntil(lambda: window.nav.item(0).text() == "Articles (1)", timeout=3000)
    window.articles_page.table.selectRow(0)
    assert "Draft" in window.articles_page.view.toPlainText()
    theirs = Services.build(other.uow)
    (row,) = theirs.articles.page().rows
    theirs.articles.set_status(row.id, "editing", actor="night desk")
    qtbot.waitUntil(
        lambda: "changed on another workstation" in window.statusBar().currentMessage(),
        timeout=3000,
    )
    assert "Editing" in window.articles_page.view.toPlainText()
    window.close()
    watcher.close()
    other.dispose()
