"""The queue's Site column (read a page at a time, re-read when the outbox drains) and each
site's settings in the Sites dialog (kept in the store, the pull timer restored at start).
No site is contacted here: the store holds the sites, links and outbox as a pull left them;
tests/wordpress covers the same against a real WordPress."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import Qt as GuiQt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QDialog, QMessageBox

from editor_app.services.container import Services
from editor_app.services.outbox import unsent
from editor_app.services.sites import SiteService, SiteState
from editor_app.store.models import Site, SiteLink
from editor_app.ui import dialogs
from editor_app.ui.models import COL_SITE, CommentTableModel

from .pages import fill_store, many_comments_page

pytestmark = pytest.mark.ui


def seen(tip: object) -> str:
    """A tooltip's text as Qt shows it (rich text when it looks like markup)."""
    text = str(tip)
    if not GuiQt.mightBeRichText(text):  # QtGui's part of the Qt namespace
        return text
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def _site(services: Services, name: str = "gazette", every: int = 0) -> int:
    with services.uow() as uow:
        site = uow.sites.add(
            Site(
                name=name,
                url=f"https://{name}.example",
                user="desk",
                last_error="",
                posts_modified_after="",
                last_comment_id=0,
                auto_send=False,
                pull_every_minutes=every,
            )
        )
        uow.commit()
        return site.id


def test_site_states_come_a_page_at_a_time_and_follow_the_outbox(
    qtbot, services: Services, tmp_path: Path
) -> None:
    fill_store(services, tmp_path, [many_comments_page(500)])
    site_id = _site(services)
    model = CommentTableModel(services, page_size=100)
    model.fetchMore(QModelIndex())
    first = [model.row_at(i).id for i in range(4)]  # type: ignore[union-attr]
    on_site, waiting, failed, local = first
    with services.uow() as uow:
        for n, cid in enumerate((on_site, waiting, failed)):
            uow.sites.add_link(
                SiteLink(site_id=site_id, kind="comment", local_id=cid, remote_id=100 + n)
            )
        uow.sites.queue(unsent(site_id, "status", waiting, {"status": "spam"}, actor="desk"))
        entry = unsent(site_id, "status", failed, {"status": "spam"}, actor="desk")
        entry.state, entry.error = "failed", "gazette.example does not answer"
        uow.sites.queue(entry)
        uow.commit()
    service = SiteService(services.uow, services.imports)
    asked: list[int] = []

    def states(ids: Sequence[int]) -> dict[int, SiteState]:
        asked.append(len(ids))
        return service.states("comment", ids)

    model.site_states = states
    model.reset()
    model.fetchMore(QModelIndex())
    assert asked == [100]  # one page, one read: the queue stays lazy
    model.fetchMore(QModelIndex())
    assert asked == [100, 100]

    def cell(cid: int, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> object:
        return model.data(model.index(model.row_of_id(cid) or 0, COL_SITE), role)

    assert model.headerData(COL_SITE, Qt.Orientation.Horizontal) == "Site"
    assert [cell(c) for c in first] == ["On site", "Waiting", "Failed", ""]
    assert seen(cell(failed, Qt.ItemDataRole.ToolTipRole)) == (
        "On gazette: not sent yet — gazette.example does not answer"
    )
    assert cell(local, Qt.ItemDataRole.ToolTipRole) is None

    # The outbox drains (a push marks them sent): only the open rows are read again.
    with services.uow() as uow:
        for e in uow.sites.outbox(site_id):
            e.state, e.error = "sent", ""
        uow.commit()
    with qtbot.waitSignal(model.dataChanged):
        model.refresh_site_states()
    assert asked[-1] == 2
    assert [cell(c) for c in first] == ["On site", "Sent", "Sent", ""]


def test_each_sites_settings_are_kept_and_the_pull_timer_restored(
    qtbot, services: Services, make_window
) -> None:
    _site(services, "gazette", every=5)
    _site(services, "herald")
    win = make_window()
    timers = win.sites.pull_timers
    assert list(timers) == ["gazette"] and timers["gazette"].interval() == 5 * 60_000
    assert not win.moderation_page.table.isColumnHidden(COL_SITE)

    win.sites.sites_action.trigger()
    dialog = win.sites.dialog
    assert dialog is not None
    dialog.table.selectRow(0)
    assert (dialog.every_box.value(), dialog.auto_box.isChecked()) == (5, False)
    dialog.table.selectRow(1)
    assert dialog.selected_name() == "herald" and dialog.every_box.value() == 0
    dialog.every_box.setValue(30)
    dialog.auto_box.setChecked(True)
    assert timers["herald"].interval() == 30 * 60_000
    dialog.table.selectRow(0)
    dialog.every_box.setValue(0)
    assert list(timers) == ["herald"]

    service = win.sites.service
    got = {i.name: (i.pull_every_minutes, i.auto_send) for i in service.all()}
    assert got == {"gazette": (0, False), "herald": (30, True)}
    assert dialog.table.item(1, 5).text() == "sent to the site"


def test_a_settled_conflict_leaves_the_site_column(
    qtbot, services: Services, tmp_path: Path
) -> None:
    fill_store(services, tmp_path, [many_comments_page(5)])
    site_id = _site(services)
    model = CommentTableModel(services, page_size=100)
    service = SiteService(services.uow, services.imports)
    model.site_states = lambda ids: service.states("comment", ids)
    model.fetchMore(QModelIndex())
    cid = model.row_at(0).id  # type: ignore[union-attr]
    with services.uow() as uow:
        uow.sites.add_link(SiteLink(site_id=site_id, kind="comment", local_id=cid, remote_id=9))
        entry = unsent(site_id, "status", cid, {"status": "spam"}, actor="desk")
        entry.state, entry.error = "conflict", "changed on the site"
        uow.sites.queue(entry)
        uow.commit()
    model.reset()
    model.fetchMore(QModelIndex())

    def cell() -> object:
        return model.data(model.index(model.row_of_id(cid) or 0, COL_SITE))

    assert cell() == "Conflict"
    # Settled (keep mine, sent): the column follows on the next re-read after a job.
    with services.uow() as uow:
        for e in uow.sites.outbox(site_id, ("conflict",)):
            e.state, e.error = "sent", ""
        uow.commit()
    with qtbot.waitSignal(model.dataChanged):
        model.refresh_site_states()
    assert cell() == "Sent"


def test_readers_words_show_as_written_not_as_markup(
    qtbot, services: Services, tmp_path: Path, make_window, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader wrote "<b>x</b>" (the site's copy, quoted by a conflict): the Site tooltip,
    the comment pane and the Settle conflict box show those characters, not a bold x."""
    fill_store(services, tmp_path, [many_comments_page(5)])
    site_id = _site(services)
    words = "changed on the site (its words); the site has it now as hold: “<b>x</b>”"
    with services.uow() as uow:
        cid = uow.comments.ids_after(0, 1)[0]
        uow.sites.add_link(SiteLink(site_id=site_id, kind="comment", local_id=cid, remote_id=9))
        entry = unsent(site_id, "edit", cid, {"content": "x"}, actor="desk")
        entry.state, entry.error = "conflict", words
        uow.sites.queue(entry)
        uow.commit()
    win = make_window()
    page = win.moderation_page
    page.set_status_filter(None)
    page.refresh()
    model = page.model
    qtbot.waitUntil(lambda: model.row_of_id(cid) is not None)
    tip = model.data(model.index(model.row_of_id(cid) or 0, COL_SITE), Qt.ItemDataRole.ToolTipRole)
    assert "“<b>x</b>”" in seen(tip)
    page.show_comment(cid)
    qtbot.waitUntil(lambda: page.current_id() == cid)
    label = page.detail.site_label
    assert label.textFormat() == Qt.TextFormat.PlainText and "“<b>x</b>”" in label.text()

    boxes: list[QMessageBox] = []

    def answer(box: QDialog) -> int:
        assert isinstance(box, QMessageBox)
        boxes.append(box)
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(dialogs, "run_dialog", answer)
    win.sites.on_resolve()
    assert boxes and boxes[0].textFormat() == Qt.TextFormat.PlainText
    assert "“<b>x</b>”" in boxes[0].text()
