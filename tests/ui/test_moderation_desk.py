"""The moderation queue as a new moderator meets it: where it opens, what each key says,
where the selection goes, replies, a comment opened from search, and the room at 1280 px."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QApplication, QToolButton, QWidget

from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter, CommentRow
from editor_app.ui.main_window import MainWindow
from editor_app.ui.models import COL_COMMENT
from editor_app.ui.moderation import dialogs as moderation_dialogs
from editor_app.ui.moderation.dialogs import ReplyDialog
from editor_app.ui.moderation.page import ModerationPage

pytestmark = pytest.mark.ui


def key(qtbot, page: ModerationPage, k: Qt.Key) -> None:
    qtbot.keyClick(page.table, k)
    page.flush_writes()


def select(page: ModerationPage, i: int) -> None:
    page.table.selectionModel().setCurrentIndex(
        page.model.index(i, 0),
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
    )


def rows(page: ModerationPage) -> list[CommentRow]:
    return [r for i in range(page.model.rowCount()) if (r := page.model.row_at(i)) is not None]


def test_the_queue_opens_on_pending(page: ModerationPage, services: Services):
    assert page.filters.queue == "pending"
    assert page.model.filter.status == "pending"
    pending = services.comments.count("pending")
    assert pending > 0 and page.model.rowCount() == pending
    assert {r.status for r in rows(page)} == {"pending"}


def test_hold_on_a_pending_comment_says_why_nothing_moved(
    qtbot, page: ModerationPage, window: MainWindow, services: Services
):
    select(page, 0)
    target = page.current_row()
    assert target is not None and target.status == "pending"
    key(qtbot, page, Qt.Key.Key_H)
    assert services.comments.get(target.id).status == "pending"
    assert "Already pending" in page.message.text()
    assert "Already pending" in window.statusBar().currentMessage()
    assert not window.undo_offer.button.isVisibleTo(window)  # nothing to undo


def test_hold_on_a_pending_comment_keeps_the_last_actions_undo(
    qtbot, page: ModerationPage, window: MainWindow, services: Services
):
    """H on a comment that is pending already moves nothing, and the Undo offered for the
    action before it stays: it was cleared, leaving only Ctrl+Z."""
    select(page, 0)
    spammed = page.current_row()
    assert spammed is not None
    key(qtbot, page, Qt.Key.Key_S)
    assert window.undo_offer.button.isVisibleTo(window)
    still = page.current_row()
    assert still is not None and still.status == "pending" and still.id != spammed.id
    key(qtbot, page, Qt.Key.Key_H)
    assert "Already pending" in window.statusBar().currentMessage()
    assert window.undo_offer.button.isVisibleTo(window)
    window.undo_offer.button.click()
    assert services.comments.get(spammed.id).status == "pending"
    assert not window.undo_offer.button.isVisibleTo(window)


def test_every_action_is_confirmed_in_the_status_bar_with_undo(
    qtbot, page: ModerationPage, window: MainWindow, services: Services
):
    select(page, 0)
    target = page.current_row()
    assert target is not None
    key(qtbot, page, Qt.Key.Key_S)
    said = window.statusBar().currentMessage()
    assert said.startswith(f"Marked as spam: the comment by {target.display_name} (“")
    assert said.endswith("is now in Spam")
    assert window.undo_offer.button.isVisibleTo(window)
    window.undo_offer.button.click()
    assert services.comments.get(target.id).status == "pending"
    assert "Undone" in window.statusBar().currentMessage()
    assert not window.undo_offer.button.isVisibleTo(window)


def test_after_an_action_the_selection_skips_comments_already_handled(
    qtbot, page: ModerationPage, services: Services
):
    page.set_status_filter(None)  # All: handled comments stay in the list
    first, _second, third = rows(page)[:3]
    select(page, 1)
    key(qtbot, page, Qt.Key.Key_D)  # the second, then back to the first
    assert page.current_id() == third.id
    select(page, 0)
    key(qtbot, page, Qt.Key.Key_D)
    # Next is the second, already handled: the selection goes on to the third.
    assert services.comments.get(first.id).status == "trash"
    assert page.current_id() == third.id

    # At the end of a queue it goes back to the nearest one not handled.
    page.set_status_filter("pending")
    pending = rows(page)
    assert len(pending) >= 2
    select(page, len(pending) - 1)
    key(qtbot, page, Qt.Key.Key_A)
    assert page.current_id() == pending[-2].id


def test_a_comment_from_search_is_shown_in_a_queue_that_holds_it(
    qtbot, page: ModerationPage, window: MainWindow, services: Services
):
    approved = services.comments.page(CommentFilter(status="approved"), limit=5).rows[-1]
    assert page.filters.queue == "pending"
    window.open_comment(approved.id)
    # The list switched to Approved on the comment's article, with it selected.
    assert page.filters.queue == "approved"
    assert page.model.filter.article_id == approved.article_id
    assert page.current_id() == approved.id
    assert approved.article_title in window.statusBar().currentMessage()
    page.table.setFocus()
    key(qtbot, page, Qt.Key.Key_S)
    assert services.comments.get(approved.id).status == "spam"
    # It is still in view, marked, and the status bar says what happened with Undo.
    assert page.model.row_of_id(approved.id) is not None
    assert page.model.is_left(approved.id)
    assert f"by {approved.display_name}" in window.statusBar().currentMessage()
    assert window.undo_offer.button.isVisibleTo(window)


def test_reply_dialog_types_into_the_reply_and_signs_with_my_profile(
    qtbot, page: ModerationPage, services: Services
):
    authors = services.authors.list()
    mine = authors[-1]  # not the first alphabetically
    services.editor.set_my_author(page._actor, mine.id)
    target = rows(page)[0]
    dialog = ReplyDialog(target, authors, page, mine=services.editor.my_author(page._actor))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.text)
    assert not dialog.ok.isEnabled()
    qtbot.keyClicks(QApplication.focusWidget(), "Thanks, we have corrected the date.")
    assert dialog.text.toPlainText() == "Thanks, we have corrected the date."
    assert dialog.author_id() == mine.id
    assert dialog.approves.isVisible() and "approves" in dialog.approves.text()
    assert dialog.ok.text() == "Approve and reply" and dialog.ok.isEnabled()
    # "Sign as" filters as you type; an unknown name cannot be sent.
    dialog.author.setEditText("nobody at all")
    assert dialog.author_id() is None and not dialog.ok.isEnabled()
    dialog.reject()


def test_reply_dialog_without_a_profile_asks_for_one(page: ModerationPage, services: Services):
    authors = services.authors.list()
    dialog = ReplyDialog(rows(page)[0], authors, page, mine=None)
    dialog.text.setPlainText("Noted.")
    assert dialog.author_id() is None and not dialog.ok.isEnabled()
    dialog.author.setCurrentIndex(0)
    assert dialog.author_id() is not None and dialog.ok.isEnabled()


def test_replying_to_a_pending_comment_approves_it_with_undo(
    qtbot, page: ModerationPage, window: MainWindow, services: Services, monkeypatch
):
    authors = services.authors.list()
    seen: list[int | None] = []

    def answer(_parent, _row, _authors, mine=None):
        seen.append(mine)
        return "We have asked the council for the figures.", authors[1].id

    monkeypatch.setattr(moderation_dialogs, "ask_reply", answer)
    services.editor.set_my_author(page._actor, authors[1].id)
    select(page, 0)
    target = page.current_row()
    assert target is not None and target.status == "pending"
    key(qtbot, page, Qt.Key.Key_R)
    assert seen == [authors[1].id]
    assert services.comments.get(target.id).status == "approved"
    assert "approved" in window.statusBar().currentMessage()
    window.undo_offer.button.click()
    assert services.comments.get(target.id).status == "pending"


def test_at_1280_px_the_comment_gets_the_room_and_every_action_shows(
    qtbot, page: ModerationPage, window: MainWindow
):
    window.resize(1280, 800)
    qtbot.wait(50)
    header = page.table.horizontalHeader()
    widths = {c: header.sectionSize(c) for c in range(page.model.columnCount())}
    comment = widths.pop(COL_COMMENT)
    assert comment > max(widths.values())
    assert comment >= 200, (comment, widths)
    # Every action is on screen: no overflow button, each button wholly inside the row.
    bar = page.findChild(QWidget, "moderationActions")
    assert bar is not None
    buttons = [b for b in bar.findChildren(QToolButton) if b.text()]
    assert {b.text() for b in buttons} >= {
        "Approve", "Hold", "Spam", "Trash", "Edit", "Reply", "Undo",
        "Rules…", "Run rules", "Rescore", "Audit log…",
    }  # fmt: skip
    for b in buttons:
        assert b.isVisible(), b.text()
        assert b.geometry().right() <= bar.width(), b.text()
        assert b.width() >= b.sizeHint().width(), b.text()


def test_ban_is_said_in_the_status_bar_and_undone_from_there(
    qtbot, page: ModerationPage, window: MainWindow, services: Services
):
    target = next(r for r in rows(page) if r.commenter_key)
    page.show_comment(target.id)
    assert not services.moderation.history(target.commenter_key).banned
    page.detail.ban_button.click()
    assert services.moderation.history(target.commenter_key).banned
    assert window.statusBar().currentMessage() == f"{target.display_name} is banned"
    window.undo_offer.button.click()
    history = services.moderation.history(target.commenter_key)
    assert not history.banned and not history.trusted
    assert "as before" in window.statusBar().currentMessage()
    assert not page.detail.ban_button.isChecked()


def test_the_status_bar_says_what_a_moderation_job_did(
    qtbot, page: ModerationPage, window: MainWindow
):
    page.rescore_button.click()
    qtbot.waitUntil(lambda: not window.jobs.running, timeout=20_000)
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == "Rescored 18 comments")


def test_at_1280_px_the_article_title_gets_the_room(qtbot, window: MainWindow):
    from editor_app.ui.main_window import NAV_ARTICLES

    window.resize(1280, 800)
    window.nav.setCurrentRow(NAV_ARTICLES)
    qtbot.wait(50)
    page = window.articles_page
    header = page.table.horizontalHeader()
    widths = {c: header.sectionSize(c) for c in range(page.model.columnCount())}
    title = widths.pop(0)
    assert title > max(widths.values()) and title >= 200, (title, widths)
    # What does not fit is elided, and whole in the tooltip.
    row = page.model.row_at(0)
    assert row is not None
    assert page.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole) == row.title
    assert page.model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole).startswith("Updated ")
