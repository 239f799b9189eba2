"""The window never says "changed on another workstation" after its own save; it still does
after another's (issue 11)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelectionModel, QSettings, Qt

from editor_app.app import build_window
from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter
from editor_app.services.sample import load_sample_newsroom
from editor_app.store.changes import ChangeWatcher
from editor_app.store.database import Database
from editor_app.ui.main_window import NAV_MODERATION, MainWindow
from editor_app.workers.jobs import JobManager

pytestmark = pytest.mark.ui

ELSEWHERE = "another workstation"


@pytest.fixture
def window(qtbot, db_url: str, tmp_path: Path) -> Iterator[tuple[MainWindow, str]]:
    db = Database(db_url)
    services = Services.build(db.uow)
    load_sample_newsroom(services.imports)
    watcher = ChangeWatcher(db.engine)
    jobs = JobManager()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = build_window(services, jobs, "test", settings=settings, change_poll=watcher.poll)
    qtbot.addWidget(win)
    win.show()
    try:
        yield win, db_url
    finally:
        jobs.cancel_all()
        jobs.wait_all(10_000)
        win.close()
        watcher.close()
        db.dispose()


def test_own_moderation_is_not_news_and_anothers_is(qtbot, window: tuple[MainWindow, str]) -> None:
    win, url = window
    win.nav.setCurrentRow(NAV_MODERATION)
    page = win.moderation_page
    page.set_status_filter("pending")
    pending = win.services.comments.counts()["pending"]
    assert pending >= 2
    qtbot.waitUntil(lambda: page.model.rowCount() == pending)
    win.activateWindow()
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    page.table.selectionModel().setCurrentIndex(
        page.model.index(0, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )
    for _ in range(2):  # A approves and moves on to the next
        qtbot.keyClick(page.table, Qt.Key.Key_A)
        qtbot.waitUntil(lambda: not page.has_queued_writes)
        qtbot.wait(1300)  # past a poll of the change feed
        assert ELSEWHERE not in win.statusBar().currentMessage()
    qtbot.wait(1300)
    assert ELSEWHERE not in win.statusBar().currentMessage()
    assert win.services.comments.counts()["pending"] == pending - 2  # both written

    other = Database(url)
    try:
        theirs = Services.build(other.uow)
        row = theirs.comments.page(CommentFilter()).rows[0]
        theirs.moderation.act([row.id], "spam", actor="night desk")
        qtbot.waitUntil(lambda: ELSEWHERE in win.statusBar().currentMessage(), timeout=15_000)
    finally:
        other.dispose()
