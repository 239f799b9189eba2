"""The whole window on a temporary store: welcome, import, reading, moderation, search."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from editor_app.services.container import Services
from editor_app.ui import dialogs
from editor_app.ui.main_window import NAV_AUTHORS, NAV_MODERATION, MainWindow
from editor_app.ui.search_page import HTML_ROLE

from .pages import PageSpec, Thread, fill_store

pytestmark = pytest.mark.ui

SEED_TITLE = "Azerbaijan is Turkey’s “red line” in its normalization talks with Armenia"  # noqa: RUF001 - the real title


def import_through_menu(qtbot, window: MainWindow, monkeypatch, paths: list[Path]) -> None:
    monkeypatch.setattr(dialogs, "ask_import_paths", lambda _parent: [str(p) for p in paths])
    window.import_action.trigger()
    qtbot.waitUntil(lambda: not window.jobs.running, timeout=20_000)


def nav_text(window: MainWindow, row: int) -> str:
    return window.nav.item(row).text()


def test_title_names_the_store_once(make_window):
    window = make_window()
    # Qt adds " — Copydesk" (the application's display name) to what the window sets.
    assert window.windowTitle() == "test store"


def test_empty_store_shows_welcome(make_window):
    window = make_window()
    page = window.articles_page
    assert page.showing_welcome
    assert page.welcome.import_button.text() == "Import a file…"
    assert page.welcome.sample_button.text() == "Load sample newsroom"
    assert nav_text(window, 0) == "Articles (0)"
    assert nav_text(window, 2) == "Moderation (pending 0)"


def test_the_window_fits_a_1280_pixel_wide_screen_on_every_page(qtbot, make_window):
    """A laptop's 1280 or 1366 pixels: no page may make the window wider than that (the
    moderation actions once needed 1,230 pixels beside the navigation)."""
    window = make_window()
    window.moderation_page.message.setText("A long message " * 20)
    for row in range(window.nav.count()):
        window.nav.setCurrentRow(row)
        qtbot.wait(10)
        assert window.minimumSizeHint().width() <= 1280, window.nav.item(row).text()


@pytest.fixture
def seeded(qtbot, make_window, monkeypatch, seed_page: Path) -> MainWindow:
    window = make_window()
    import_through_menu(qtbot, window, monkeypatch, [seed_page])
    qtbot.waitUntil(lambda: window.articles_page.model.rowCount() == 1)
    return window


def test_import_seed_page_fills_every_area(qtbot, seeded: MainWindow, errors: list[str]):
    window = seeded
    assert errors == []
    assert "Imported 1 article" in window.statusBar().currentMessage()
    page = window.articles_page
    assert not page.showing_welcome
    assert page.model.index(0, 0).data() == SEED_TITLE
    # The page's comments came in through the moderation pipeline: some held, some approved.
    pending = window.services.comments.count("pending")
    assert 0 < pending < 14
    assert page.model.index(0, 3).data() == f"14 ({pending} pending)"
    assert nav_text(window, 0) == "Articles (1)"
    assert nav_text(window, 1) == "Authors (1)"
    assert nav_text(window, 2) == f"Moderation (pending {pending})"

    text = page.view.toPlainText()
    assert SEED_TITLE in text
    assert "Presidency of the Republic of Turkey, July 25" in text
    assert "Wikimedia Commons/Yerevantsi/April 2016" in text
    assert "About the author" in text
    assert "assistant editor of the Armenian Weekly" in text
    # The first figure follows the second paragraph, before the third.
    assert text.index("Presidency of the Republic") < text.index("Talks between Turkey")
    assert text.index("told Turkish state television on July 25") < text.index(
        "Presidency of the Republic"
    )

    window.nav.setCurrentRow(NAV_AUTHORS)
    assert "Lillian Avedian" in window.authors_page.names()
    profile = window.authors_page.view.toPlainText()
    assert "Lillian Avedian" in profile and SEED_TITLE in profile

    window.nav.setCurrentRow(NAV_MODERATION)
    moderation = window.moderation_page
    assert moderation.model.rowCount() == pending  # the queue opens on Pending
    moderation.set_status_filter(None)
    assert moderation.model.rowCount() == 14


def test_selecting_a_reply_shows_its_parent(seeded: MainWindow):
    moderation = seeded.moderation_page
    moderation.set_status_filter(None)
    model = moderation.model
    reply_row = next(
        i for i in range(model.rowCount()) if (r := model.row_at(i)) and r.parent_id is not None
    )
    reply = model.row_at(reply_row)
    assert reply is not None
    parent_row = model.row_of_id(reply.parent_id or -1)
    parent = model.row_at(parent_row if parent_row is not None else -1)
    assert parent is not None
    moderation.table.selectRow(reply_row)
    text = moderation.context_view.toPlainText()
    assert "In reply to" in text
    assert parent.body.split()[0] in text
    assert " ".join(parent.body.split()[:6]) in " ".join(text.split())
    assert SEED_TITLE in text


def test_pressing_a_approves_and_updates_counts(qtbot, seeded: MainWindow):
    window = seeded
    window.nav.setCurrentRow(NAV_MODERATION)
    moderation = window.moderation_page
    moderation.set_status_filter("pending")
    pending = window.services.comments.count("pending")
    assert pending >= 2
    moderation.table.selectRow(0)
    first = moderation.model.row_at(0)
    assert first is not None and first.status == "pending"
    window.activateWindow()
    moderation.table.setFocus()
    qtbot.waitUntil(lambda: moderation.table.hasFocus())
    qtbot.keyClick(moderation.table, Qt.Key.Key_A)
    # The row changes and the selection moves on at once; the write lands just after.
    qtbot.waitUntil(
        lambda: nav_text(window, NAV_MODERATION) == f"Moderation (pending {pending - 1})"
    )
    assert moderation.model.index(0, 3).data() == "Approved"
    assert window.services.comments.get(first.id).status == "approved"
    second = moderation.model.row_at(1)
    assert second is not None and moderation.current_id() == second.id

    qtbot.keyClick(moderation.table, Qt.Key.Key_H)  # already pending: nothing changes
    assert moderation.current_id() == second.id
    assert "Already pending" in window.statusBar().currentMessage()
    # Said once, in full, in the status bar: not again, cut short, in the toolbar.
    assert moderation.message.isHidden()
    moderation.on_rules_saved(1)
    assert window.statusBar().currentMessage().startswith("Rules saved")
    qtbot.keyClick(moderation.table, Qt.Key.Key_S)
    qtbot.waitUntil(lambda: window.services.comments.get(second.id).status == "spam")
    qtbot.waitUntil(
        lambda: nav_text(window, NAV_MODERATION) == f"Moderation (pending {pending - 2})"
    )


def test_status_filter_limits_the_queue(qtbot, seeded: MainWindow):
    moderation = seeded.moderation_page
    counts = seeded.services.comments.counts()
    moderation.set_status_filter("pending")
    moderation.table.selectRow(0)
    moderation.on_action("approved")
    moderation.set_status_filter("approved")
    assert moderation.model.rowCount() == counts["approved"] + 1
    moderation.set_status_filter("pending")
    assert moderation.model.rowCount() == counts["pending"] - 1
    moderation.set_status_filter(None)
    assert moderation.model.rowCount() == 14


def test_search_finds_the_article_and_opens_it(qtbot, seeded: MainWindow):
    window = seeded
    window.find_action.trigger()
    window.search_box.setText("normalization")
    qtbot.keyClick(window.search_box, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.search_page
    tree = window.search_page.tree
    articles = tree.topLevelItem(0)
    assert articles is not None and articles.childCount() == 1
    hit = articles.child(0)
    assert hit is not None and hit.text(0).startswith(SEED_TITLE)
    window.search_page.on_item_activated(hit)
    assert window.stack.currentWidget() is window.articles_page
    assert SEED_TITLE in window.articles_page.view.toPlainText()


def test_search_result_opens_a_comment(qtbot, seeded: MainWindow):
    window = seeded
    window.search_box.setText("globalist")
    window.on_search_submitted()
    comments = window.search_page.tree.topLevelItem(1)
    assert comments is not None and comments.childCount() >= 1
    hit = comments.child(0)
    assert hit is not None
    # Where the word is, in bold: not only the comment's opening.
    assert "globalist" in hit.text(0).lower()
    assert "<b>globalist" in hit.data(0, HTML_ROLE).lower()
    window.search_page.on_item_activated(hit)
    assert window.stack.currentWidget() is window.moderation_page
    assert "globalist" in window.moderation_page.context_view.toPlainText()


def test_load_sample_newsroom(qtbot, make_window, errors: list[str]):
    window = make_window()
    window.articles_page.welcome.sample_button.click()
    qtbot.waitUntil(lambda: not window.jobs.running, timeout=30_000)
    assert errors == []
    qtbot.waitUntil(lambda: not window.articles_page.showing_welcome)
    assert window.articles_page.model.rowCount() > 0
    assert window.services.counts().articles == window.articles_page.model.rowCount()
    assert nav_text(window, 0) == f"Articles ({window.services.counts().articles})"


def test_failed_import_shows_one_line_message(
    qtbot, make_window, monkeypatch, tmp_path: Path, errors: list[str]
):
    window = make_window()
    import_through_menu(qtbot, window, monkeypatch, [tmp_path / "missing.txt"])
    qtbot.waitUntil(lambda: bool(errors))
    assert "no such file" in errors[0]
    assert "\n" not in errors[0]
    assert window.articles_page.showing_welcome


def test_content_made_through_the_importer(services: Services, make_window, tmp_path: Path):
    fill_store(
        services,
        tmp_path,
        [
            PageSpec(
                "Council approves the new library budget",
                ["The council voted on Tuesday.", "The library opens in May."],
                threads=[Thread("Good news for readers.", ("Agreed, finally.",))],
            ),
            PageSpec("Bridge repairs start in spring", ["Work begins in March."]),
        ],
    )
    window = make_window()
    assert window.articles_page.model.rowCount() == 2
    assert nav_text(window, 2) == "Moderation (pending 2)"
    # The pages out of sight are read on their first visit, not at start-up.
    assert window.authors_page.names() == []
    assert window.moderation_page.model.rowCount() == 0
    window.nav.setCurrentRow(NAV_AUTHORS)
    assert window.authors_page.names() == ["Mara Quill"]
    window.nav.setCurrentRow(NAV_MODERATION)
    assert window.moderation_page.model.rowCount() == 2


def test_settings_keep_splitter_sizes(
    qtbot, make_window, settings: QSettings, services: Services, tmp_path: Path
):
    fill_store(services, tmp_path, [PageSpec("A short note", ["One paragraph."])])
    window = make_window()
    window.articles_page.splitter.setSizes([300, 700])
    first, second = window.articles_page.splitter.sizes()
    window.close()
    assert settings.value("splitters/articles") is not None
    assert settings.value("window/geometry") is not None
    again = make_window()
    qtbot.waitExposed(again)
    left, right = again.articles_page.splitter.sizes()
    assert left / (left + right) == pytest.approx(first / (first + second), abs=0.02)
