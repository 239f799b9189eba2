"""Deleting an article from the window: confirmation, the Trash view, Undo, context menus."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMenu

from editor_app.services.container import Services
from editor_app.services.sample import load_sample_newsroom
from editor_app.ui import dialogs
from editor_app.ui.articles_page import VIEW_TRASH
from editor_app.ui.main_window import NAV_ARTICLES, NAV_EDITOR, MainWindow

pytestmark = pytest.mark.ui


@pytest.fixture
def window(qtbot, make_window, services: Services) -> MainWindow:
    load_sample_newsroom(services.imports)
    w = make_window()
    w.nav.setCurrentRow(NAV_ARTICLES)
    w.activateWindow()
    return w


def texts(menu: QMenu) -> list[str]:
    return [a.text() for a in menu.actions() if not a.isSeparator()]


def answer(monkeypatch, yes: bool) -> list[str]:
    asked: list[str] = []

    def confirm(_parent, title, _text, *_a, **_k) -> bool:
        asked.append(title)
        return yes

    monkeypatch.setattr(dialogs, "confirm", confirm)
    return asked


def test_delete_key_asks_then_moves_to_the_trash_with_undo(
    qtbot, window: MainWindow, services: Services, monkeypatch
):
    page = window.articles_page
    page.table.selectRow(0)
    first = page.model.row_at(0)
    assert first is not None
    before = services.counts().articles
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)

    asked = answer(monkeypatch, False)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert asked == ["Move to the Trash?"]
    assert services.counts().articles == before  # "No" changes nothing

    answer(monkeypatch, True)
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)
    assert services.counts().articles == before - 1
    assert page.model.row_of_id(first.id) is None
    assert window.nav.item(NAV_ARTICLES).text() == f"Articles ({before - 1})"
    assert page.views.tabText(VIEW_TRASH) == "Trash (1)"
    assert window.statusBar().currentMessage() == f"“{first.title}” moved to the Trash"
    assert window.undo_offer.button.isVisibleTo(window)
    window.undo_offer.button.click()
    assert services.counts().articles == before
    assert page.model.row_of_id(first.id) is not None
    assert "back from the Trash" in window.statusBar().currentMessage()


def test_the_trash_view_restores_and_deletes_permanently(
    qtbot, window: MainWindow, services: Services, monkeypatch
):
    page = window.articles_page
    victim = page.model.row_at(1)
    assert victim is not None
    services.articles.delete(victim.id, actor="ed")
    window.refresh_all()
    page.show_trash(True)
    assert page.in_trash and page.model.headerData(4, Qt.Orientation.Horizontal) == "Deleted"
    assert [page.model.row_at(i).id for i in range(page.model.rowCount())] == [victim.id]  # type: ignore[union-attr]
    page.table.selectRow(0)
    assert texts(page.context_menu()) == ["Restore", "Delete permanently…"]
    # Opening a deleted article in the editor is refused with a word.
    window.on_open_in_editor()
    assert window.stack.currentIndex() != NAV_EDITOR
    assert "Restore" in window.statusBar().currentMessage()

    asked = answer(monkeypatch, True)
    next(a for a in page.context_menu().actions() if a.text() == "Restore").trigger()
    assert page.model.rowCount() == 0
    assert services.articles.count(trash=True) == 0
    services.articles.delete(victim.id, actor="ed")
    window.refresh_all()
    page.table.selectRow(0)
    next(a for a in page.context_menu().actions() if a.text().startswith("Delete perm")).trigger()
    assert asked == ["Delete permanently?"]
    assert "deleted permanently" in window.statusBar().currentMessage()
    assert not window.undo_offer.button.isVisibleTo(window)  # nothing to undo: said so
    assert services.articles.count(trash=True) == 0
    assert victim.id not in services.exports.all_ids()


def test_context_menu_opens_exports_and_changes_status(
    qtbot, window: MainWindow, services: Services, monkeypatch
):
    page = window.articles_page
    page.table.selectRow(0)
    row = page.model.row_at(0)
    assert row is not None
    menu = page.context_menu()
    assert texts(menu) == ["Open in editor", "Export…", "Change status", "Move to the Trash"]
    status_menu = next(a.menu() for a in menu.actions() if a.text() == "Change status")
    choices = texts(status_menu)
    assert choices and row.status.capitalize() not in choices
    target = choices[0]
    next(a for a in status_menu.actions() if a.text() == target).trigger()
    assert services.articles.detail(row.id).status == target.lower()
    assert f"is now {target}" in window.statusBar().currentMessage()

    exported: list[list[int]] = []
    monkeypatch.setattr(window, "_ask_export", lambda ids: exported.append(ids))
    page.table.selectRow(page.model.row_of_id(row.id) or 0)
    next(a for a in page.context_menu().actions() if a.text() == "Export…").trigger()
    assert exported == [[row.id]]
    next(a for a in page.context_menu().actions() if a.text() == "Open in editor").trigger()
    assert window.stack.currentIndex() == NAV_EDITOR
