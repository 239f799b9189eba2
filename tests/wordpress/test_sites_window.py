"""The window and a real WordPress: add a site in the Sites dialog, pull as a job, a key in
the queue reaches the site in the background, Publish from the Article's menu."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QMessageBox

from editor_app.app import build_window
from editor_app.formats.bundle import ArticleData, Bundle, CommentData
from editor_app.services.container import Services
from editor_app.store.database import Database
from editor_app.ui import dialogs
from editor_app.ui.main_window import MainWindow
from editor_app.ui.models import COL_SITE
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
            assert not dialog.auto_box.isChecked()  # automatic decisions: off by default
            assert "keeps those comments held" in dialog.auto_note.text()
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
    assert sites.table.item(0, 5).text() == "suggested here"
    assert win.sites.service.status("gazette").site.auto_send is False

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


def _click(text: str) -> Callable[[QDialog], int]:
    """Answer dialogs as a user would: fill nothing, press the button named `text`."""

    def answer(dialog: QDialog) -> int:
        if isinstance(dialog, QMessageBox):
            answer.texts.append(dialog.text() + "\n" + dialog.informativeText())  # type: ignore[attr-defined]
            button = next(b for b in dialog.buttons() if b.text() == text)
            button.click()
        return QDialog.DialogCode.Accepted

    answer.texts = []  # type: ignore[attr-defined]
    return answer


def _connect(win: MainWindow, db: Database, wordpress: WordPressSite) -> None:
    win.sites.service.add("gazette", wordpress.url, ADMIN, wordpress.app_password)
    win.sites.sites_changed()


def test_merge_a_publish_conflict_in_the_editor(
    qtbot,
    window: tuple[MainWindow, Database],
    seed: Seeder,
    wordpress: WordPressSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    win, db = window
    post = seed.post("Market moves to the quay", "<p>Stalls open at eight.</p>")
    _connect(win, db, wordpress)
    win.sites.start_pull("gazette")
    _idle(qtbot, win)
    with db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        article = uow.sites.links(site.id, "article", [post])[post].local_id
    ines = seed.colleague("Ines Okafor")
    r = ines.post(
        "/",
        params={"rest_route": f"/wp/v2/posts/{post}"},
        json={"content": "<p>Stalls open at seven.</p>"},
    )
    assert r.status_code == 200, r.text
    answer = _click("Merge…")
    monkeypatch.setattr(dialogs, "run_dialog", answer)
    win.sites.start_publish("gazette", article, None)
    _idle(qtbot, win)
    assert "by Ines Okafor" in answer.texts[0]  # type: ignore[attr-defined]
    # The editor shows the site's version beside ours, read-only.
    tab = win.editor_area.current()
    assert tab is not None and tab.draft.article_id == article
    assert tab.merge_box.isVisible() and tab.theirs_view.isReadOnly()
    assert "Stalls open at seven." in tab.theirs_view.toPlainText()
    assert "Ines Okafor" in tab.merge_label.text()
    tab.title.setText("Market moves to the quay at seven")
    assert tab.save()
    assert not tab.merge_box.isVisible()
    # The next publish goes on top of the site's version: no conflict, ours on the site.
    answer = _click("Cancel")
    monkeypatch.setattr(dialogs, "run_dialog", answer)
    win.sites.start_publish("gazette", article, None)
    _idle(qtbot, win)
    assert answer.texts == []  # type: ignore[attr-defined]
    got = wordpress.rest("GET", f"/wp/v2/posts/{post}", params={"context": "edit"})
    assert got["title"]["raw"] == "Market moves to the quay at seven"


def test_the_queue_shows_each_comments_site_state(
    qtbot,
    window: tuple[MainWindow, Database],
    seed: Seeder,
    wordpress: WordPressSite,
) -> None:
    win, db = window
    page = win.moderation_page
    assert page.table.isColumnHidden(COL_SITE)  # no site yet
    post = seed.post("Harbour cats adopted")
    remote = seed.comment(post, "Lovely news about the cats.", status="approved")
    _connect(win, db, wordpress)
    assert not page.table.isColumnHidden(COL_SITE)
    win.sites.start_pull("gazette")
    _idle(qtbot, win)
    with db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        local = uow.sites.links(site.id, "comment", [remote])[remote].local_id
    # A comment of no site: its Site cell is blank.
    win.services.imports.import_bundles(
        [
            Bundle(
                articles=(
                    ArticleData(
                        title="Local piece",
                        body_html="<p>Ours.</p>",
                        source_key="test:local-piece",
                        comments=(CommentData(key="1", body="Local only.", status="approved"),),
                    ),
                )
            )
        ]
    )
    with db.uow() as uow:
        ours_id = max(c.id for c in uow.comments.by_ids(range(1, 10_000)))
    page.set_status_filter(None)
    page.refresh()
    model = page.model

    def cell(comment_id: int, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> object:
        row = model.row_of_id(comment_id)
        assert row is not None
        return model.data(model.index(row, COL_SITE), role)

    qtbot.waitUntil(
        lambda: model.row_of_id(local) is not None and model.row_of_id(ours_id) is not None
    )
    assert model.headerData(COL_SITE, Qt.Orientation.Horizontal) == "Site"
    assert cell(local) == "On site" and cell(ours_id) == ""
    assert "On gazette: the site has it" in str(cell(local, Qt.ItemDataRole.ToolTipRole))

    # The site is down: the decision waits, then fails, and the tooltip says why.
    wordpress.stop()
    try:
        win.sites.soon_timer.setInterval(60_000)  # no send of its own while we look
        page.show_comment(local)
        row = page.current_row()
        assert row is not None and row.id == local
        page.act("hold", [row])
        qtbot.waitUntil(lambda: cell(local) == "Waiting")  # once the action is written
        win.sites.push_all_quietly(loud=True)
        _idle(qtbot, win)
        qtbot.waitUntil(lambda: cell(local) == "Failed")
        assert "does not answer" in str(cell(local, Qt.ItemDataRole.ToolTipRole))
        assert cell(local, Qt.ItemDataRole.BackgroundRole) is not None
    finally:
        wordpress.start()

    # The outbox drains: the cell follows without a reload. A send already under way when the
    # site came back (the minute timer's) may still fail; the next one sends, as in the app.
    def sent() -> bool:
        if cell(local) == "Sent":
            return True
        if not win.jobs.running:
            win.sites.push_all_quietly(loud=True)
        return False

    qtbot.waitUntil(sent, timeout=60_000)
    assert seed.comment_status(remote) == "hold"
