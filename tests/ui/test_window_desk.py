"""The window's menus, preferences, title, sorting and theme."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QDialog

from editor_app.services.container import Services
from editor_app.services.sample import load_sample_newsroom
from editor_app.store.database import Database
from editor_app.ui import dialogs, preferences
from editor_app.ui.main_window import NAV_AUTHORS, NAV_MODERATION, MainWindow
from editor_app.ui.preferences_dialog import PreferencesDialog
from editor_app.ui.theme import apply_theme

pytestmark = pytest.mark.ui


def menu_texts(window: MainWindow, title: str) -> list[str]:
    menu = next(a.menu() for a in window.menuBar().actions() if a.text() == title)
    return [a.text().split("\t")[0] for a in menu.actions() if not a.isSeparator()]


def test_edit_and_help_menus(make_window):
    window = make_window()
    assert menu_texts(window, "&Edit") == [
        "&Undo",
        "&Redo",
        "Cu&t",
        "&Copy",
        "&Paste",
        "&Find",
        "Undo &merge",
        "House style…",
        "Pr&eferences…",
    ]
    assert all(a.isEnabled() for a in window.edit_command_actions.values())
    assert menu_texts(window, "&Help") == ["&Keyboard shortcuts", "&About Copydesk"]
    assert window.menuBar().actions()[-1].text() == "&Help"  # Help stays the last menu
    # The menu shows each key; the key itself stays with the widget that has the focus.
    assert window.edit_command_actions["undo"].text().endswith("\tCtrl+Z")


def test_edit_menu_acts_on_the_focused_text_field(qtbot, make_window):
    window = make_window()
    window.activateWindow()
    box = window.search_box
    box.setFocus()
    qtbot.waitUntil(box.hasFocus)
    qtbot.keyClicks(box, "harbour room")
    box.selectAll()
    window.edit_command_actions["cut"].trigger()
    assert box.text() == ""
    assert QGuiApplication.clipboard().text() == "harbour room"
    window.edit_command_actions["undo"].trigger()
    assert box.text() == "harbour room"
    window.edit_command_actions["redo"].trigger()
    assert box.text() == ""
    window.edit_command_actions["paste"].trigger()
    assert box.text() == "harbour room"


def test_edit_copy_on_a_list_and_undo_in_the_queue(qtbot, make_window, services: Services):
    load_sample_newsroom(services.imports)
    window = make_window()
    window.activateWindow()
    table = window.articles_page.table
    table.selectRow(0)
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    window.edit_command_actions["copy"].trigger()
    title = window.articles_page.model.index(0, 0).data()
    assert QGuiApplication.clipboard().text().startswith(title + "\t")

    window.nav.setCurrentRow(NAV_MODERATION)
    page = window.moderation_page
    page.table.setFocus()
    qtbot.waitUntil(page.table.hasFocus)
    target = page.current_row()
    assert target is not None
    qtbot.keyClick(page.table, Qt.Key.Key_A)
    page.flush_writes()
    assert services.comments.get(target.id).status == "approved"
    window.edit_command_actions["undo"].trigger()  # Edit → Undo in the queue
    assert services.comments.get(target.id).status == "pending"


def test_edit_find_goes_to_the_search_box(qtbot, make_window):
    window = make_window()
    window.activateWindow()
    window.find_action.trigger()
    qtbot.waitUntil(window.search_box.hasFocus)


def test_help_lists_the_keyboard_shortcuts(qtbot, make_window):
    window = make_window()
    window.shortcuts_action.trigger()
    dialog = next(
        w for w in QApplication.topLevelWidgets() if w.windowTitle() == "Keyboard shortcuts"
    )
    text = dialog.view.toPlainText()  # type: ignore[attr-defined]
    for words in ("Approve", "Reply as an editor", "Preferences", "Move the article to the Trash"):
        assert words in text
    dialog.close()


def test_preferences_are_kept_per_user_and_read_by_the_api(
    qtbot, make_window, services: Services, settings, monkeypatch
):
    load_sample_newsroom(services.imports)
    window = make_window()
    authors = services.authors.list()
    mine = authors[-1]

    def fill(dialog: QDialog) -> int:
        assert isinstance(dialog, PreferencesDialog)
        dialog.name.setText("Ines Okafor")
        dialog.author.setCurrentIndex(dialog.author.findData(mine.id))
        dialog.spelling.setCurrentIndex(dialog.spelling.findData("en_US"))  # sample: en_GB
        dialog.theme.setCurrentIndex(dialog.theme.findData("dark"))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    window.preferences_action.trigger()
    assert window.preferences.my_name() == "Ines Okafor"
    assert window.preferences.theme() == "dark"
    assert preferences.Preferences(settings).my_name() == "Ines Okafor"  # kept in the file
    # Name and theme are this computer's (the window's settings file); the profile follows
    # the user in the store and the spelling language is the store's, for everyone.
    actor = window.editor_area.actor
    assert services.editor.my_author(actor) == mine.id
    assert services.editor.spelling_language() == "en_US"
    settings.sync()
    text = Path(settings.fileName()).read_text(encoding="utf-8")
    assert "Ines Okafor" in text and "en_US" not in text
    window_colour = QApplication.palette().color(QPalette.ColorRole.Window)
    assert window_colour.lightness() < 80  # the dark theme is on
    apply_theme(QApplication.instance(), "light")  # type: ignore[arg-type]
    # The dialog opens on what was saved.
    dialog = PreferencesDialog(
        authors,
        mine=services.editor.my_author(actor),
        spelling=services.editor.spelling_language(),
        prefs=window.preferences,
    )
    assert dialog.spelling_language() == "en_US"
    assert dialog.author_id() == mine.id and dialog.name.text() == "Ines Okafor"
    # An unknown name cannot be saved as your profile.
    dialog.author.setEditText("Nobody we know")
    assert not dialog.buttons.button(dialog.buttons.StandardButton.Save).isEnabled()


def test_scrollbar_handles_stand_out_from_their_track():
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for mode in ("light", "dark"):
        apply_theme(app, mode)
        palette = app.palette()
        track = palette.color(QPalette.ColorRole.Base)
        handle = palette.color(QPalette.ColorRole.Dark)
        assert abs(handle.lightness() - track.lightness()) >= 90, mode
        assert "QScrollBar::handle:vertical" in app.styleSheet()
    apply_theme(app, "system")


def test_the_title_names_the_store_not_its_url(tmp_path: Path):
    db = Database(f"sqlite:///{tmp_path}/newsroom.sqlite3")
    try:
        assert db.display_name() == "newsroom.sqlite3"
    finally:
        db.dispose()


def test_a_postgresql_title_never_shows_the_password(pg_url: str):
    from sqlalchemy.engine import make_url

    url = make_url(pg_url).set(password="s3cret-pass")
    db = Database(url.render_as_string(hide_password=False))
    try:
        name = db.display_name()
        assert name == f"{url.database}@{url.host}:{url.port}" or name.startswith(
            f"{url.database}@{url.host}"
        )
        assert "s3cret" not in name and "postgresql" not in name
    finally:
        db.dispose()


def test_names_sort_naturally(make_window, services: Services):
    from editor_app.services.authors import ProfileInput

    for name in ("user10", "user1", "User2", "user100", "Émile Zola", "Ed Park"):
        services.authors.create(ProfileInput(name=name))
    names = [a.name for a in services.authors.list()]
    assert names == ["Ed Park", "Émile Zola", "user1", "User2", "user10", "user100"]
    window = make_window()
    window.nav.setCurrentRow(NAV_AUTHORS)
    tree = window.authors_page.list
    listed = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert listed[:3] == ["Ed Park", "Émile Zola", "user1"]


def test_a_profile_with_long_titles_and_links_has_no_sideways_scroll_bar(
    qtbot, make_window, services: Services
):
    from editor_app.formats.bundle import ArticleData, AuthorData, Bundle

    long_link = "https://harbourledger.example/staff/" + "archive-of-the-harbour-rates-dispute-" * 4
    title = (
        "Harbour-rates-dispute-timeline-from-the-first-winter-to-the-council's-final-vote-"
        "on-the-quay-street-lease"
    )
    author = AuthorData(name="Nell Harrow", role="Archivist", bio=f"<p>Notes: {long_link}</p>")
    services.imports.import_bundles(
        [Bundle(articles=(ArticleData(title=title, body_html="<p>x</p>", authors=(author,)),))]
    )
    window = make_window()
    window.resize(1280, 800)
    window.nav.setCurrentRow(NAV_AUTHORS)
    (row,) = services.authors.list()
    window.authors_page.select_author(row.id)
    view = window.authors_page.pane.view
    qtbot.waitUntil(lambda: "Harbour-rates" in view.toPlainText())
    qtbot.wait(50)
    assert view.horizontalScrollBar().maximum() == 0
    assert view.document().size().width() <= view.viewport().width() + 1


def test_the_crash_recovery_list_elides_instead_of_scrolling_sideways(qtbot):
    from datetime import UTC, datetime

    from editor_app.services.editing import AutosaveInfo
    from editor_app.ui.editor.recovery import RecoveryDialog

    title = "Council signs twenty-year water deal with Marrowick after a night of talks " * 3
    info = AutosaveInfo("draft-1", 4, title.strip(), datetime(2026, 11, 30, 9, 0, tzinfo=UTC), ())
    dialog = RecoveryDialog((info,))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.list.horizontalScrollBar().maximum() == 0
    assert not dialog.list.horizontalScrollBar().isVisible()
    assert dialog.list.item(0).toolTip().startswith("Council signs")


def test_find_searches_what_is_in_front(qtbot, make_window, services: Services):
    load_sample_newsroom(services.imports)
    window = make_window()
    window.activateWindow()
    window.nav.setCurrentRow(NAV_MODERATION)
    window.find_action.trigger()
    qtbot.waitUntil(window.moderation_page.filters.search.hasFocus)
    window.find_action.trigger()  # again: the search of everything
    qtbot.waitUntil(window.search_box.hasFocus)
    window.nav.setCurrentRow(NAV_AUTHORS)
    window.find_action.trigger()
    qtbot.waitUntil(window.authors_page.search.hasFocus)


def test_each_window_keeps_its_preferences_in_its_own_settings(
    qtbot, make_window, services: Services, settings, tmp_path: Path, monkeypatch
):
    """No module-level state: a second window on another settings file (a test, a second
    store) does not take the first one's preferences over."""
    from PySide6.QtCore import QSettings

    from editor_app.workers.jobs import JobManager

    load_sample_newsroom(services.imports)
    window = make_window()
    other_settings = QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat)
    other = MainWindow(None, JobManager(), "other", settings=other_settings)
    qtbot.addWidget(other)

    def fill(dialog: QDialog) -> int:
        assert isinstance(dialog, PreferencesDialog)
        dialog.name.setText("Tomasz Wrona")
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    window.preferences_action.trigger()
    settings.sync()
    other_settings.sync()
    assert preferences.Preferences(settings).my_name() == "Tomasz Wrona"
    assert preferences.Preferences(other_settings).my_name() == ""
    assert other.preferences.my_name() == ""


def test_preferences_open_the_house_style_sheet(qtbot, make_window, monkeypatch):
    window = make_window()
    opened: list[str] = []

    def fill(dialog: QDialog) -> int:
        if isinstance(dialog, PreferencesDialog):
            dialog.house_style.click()
            return QDialog.DialogCode.Rejected
        opened.append(dialog.windowTitle())
        return QDialog.DialogCode.Rejected

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    window.preferences_action.trigger()
    assert len(opened) == 1 and "style" in opened[0].lower()
