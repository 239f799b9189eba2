"""The window and a real WordPress: add a site in the Sites dialog, pull as a job, a key in
the queue reaches the site in the background, Publish from the Article's menu."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog

from editor_app.app import build_window
from editor_app.services.container import Services
from editor_app.store.database import Database
from editor_app.ui import dialogs
from editor_app.ui.main_window import MainWindow
from editor_app.ui.sites import AddSiteDialog, PublishDialog
from editor_app.workers.jobs import JobManager
from tests.wordpress.wpsite import ADMIN, Seeder, WordPressSite


@pytest.fixture
def window(
    qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[MainWindow, Database]]:
    monkeypatch.setenv("EDITOR_APP_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.setenv("EDITOR_APP_KEYRING", "0")
    errors: list[str] = []
    monkeypatch.setattr(dialogs, "show_error", lambda _p, _t, m: errors.append(m))
    db = Database(f"sqlite:///{tmp_path}/w.sqlite3")
    jobs = JobManager()
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    win = build_window(Services.build(db.uow), jobs, "test store", settings=settings)
    qtbot.addWidget(win)
    win.show()
    try:
        yield win, db
    finally:
        jobs.cancel_all()
        jobs.wait_all(20_000)
        win.close()
        db.dispose()
    assert errors == []


def _idle(qtbot, win: MainWindow, timeout: int = 60_000) -> None:
    qtbot.waitUntil(lambda: not win.jobs.running, timeout=timeout)


def test_sites_from_the_window(
    qtbot,
    window: tuple[MainWindow, Database],
    seed: Seeder,
    wordpress: WordPressSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    win, db = window
    post = seed.post("Lighthouse to be restored")
    remote = seed.comment(post, "Finally some care for the lighthouse.", status="approved")

    def fill(dialog: QDialog) -> int:
        if isinstance(dialog, AddSiteDialog):
            dialog.name_edit.setText("gazette")
            dialog.url_edit.setText(wordpress.url)
            dialog.user_edit.setText(ADMIN)
            dialog.password_edit.setText(wordpress.app_password)
            assert "a file only you can read" in dialog.note.text()
        if isinstance(dialog, PublishDialog):
            dialog.status_box.setCurrentIndex(dialog.status_box.findData("pending"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    win.sites.sites_action.trigger()
    sites = win.sites.dialog
    assert sites is not None
    sites.add_button.click()
    _idle(qtbot, win)
    qtbot.waitUntil(lambda: sites.table.rowCount() == 1)
    assert sites.table.item(0, 0).text() == "gazette"

    sites.pull_button.click()
    _idle(qtbot, win)
    with db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        local = uow.sites.links(site.id, "comment", [remote])[remote].local_id
        article = uow.sites.links(site.id, "article", [post])[post].local_id
    page = win.moderation_page
    page.refresh()
    page.show_comment(local)
    qtbot.waitUntil(lambda: "On gazette: the site has it" in page.detail.site_label.text())

    # A key in the queue: the site has the new status a moment later, with no button pressed.
    row = page.current_row()
    assert row is not None and row.id == local
    page.act("spam", [row])
    qtbot.waitUntil(lambda: seed.comment_status(remote) == "spam", timeout=30_000)
    _idle(qtbot, win)

    # Publish the pulled article back as pending review.
    win.refresh_all()
    win.articles_page.show_article(article)
    row_index = win.articles_page.model.row_of_id(article)
    assert row_index is not None
    win.articles_page.table.selectRow(row_index)
    win.sites.publish_action.trigger()
    _idle(qtbot, win)
    got = wordpress.rest("GET", f"/wp/v2/posts/{post}", params={"context": "edit"})
    assert got["status"] == "pending"
