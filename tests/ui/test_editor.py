"""The article editor: formatting by keyboard, saving, figures, find, spelling, autosave."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage, QTextCursor
from PySide6.QtWidgets import QApplication

from editor_app.services.container import Services
from editor_app.ui.editor import editor_tab, prompts
from editor_app.ui.editor.editor_area import EditorArea
from editor_app.ui.editor.editor_tab import EditorTab
from editor_app.ui.editor.spelling import misspelt_ranges

pytestmark = pytest.mark.ui

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


@pytest.fixture
def area(qtbot, services: Services, errors: list[str]) -> EditorArea:
    widget = EditorArea(services, actor="tester")
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    return widget


def type_line(qtbot, tab: EditorTab, text: str) -> None:
    qtbot.keyClicks(tab.body, text)


def new_tab(qtbot, area: EditorArea, title: str = "A test piece") -> EditorTab:
    tab = area.new_article()
    qtbot.keyClicks(tab.title, title)
    return tab


def test_formatting_by_keyboard_then_save_shows_in_detail(
    qtbot, area: EditorArea, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = new_tab(qtbot, area)
    body = tab.body
    body.setFocus()
    qtbot.keyClicks(body, "Intro ")
    qtbot.keyClick(body, Qt.Key.Key_B, CTRL)
    qtbot.keyClicks(body, "bold")
    qtbot.keyClick(body, Qt.Key.Key_B, CTRL)
    qtbot.keyClicks(body, " and ")
    qtbot.keyClick(body, Qt.Key.Key_I, CTRL)
    qtbot.keyClicks(body, "italic")
    qtbot.keyClick(body, Qt.Key.Key_I, CTRL)
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClicks(body, "A heading")
    qtbot.keyClick(body, Qt.Key.Key_2, CTRL)
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClick(body, Qt.Key.Key_0, CTRL)
    qtbot.keyClicks(body, "Quoted words")
    qtbot.keyClick(body, Qt.Key.Key_9, CTRL | SHIFT)
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClick(body, Qt.Key.Key_9, CTRL | SHIFT)
    qtbot.keyClicks(body, "first")
    qtbot.keyClick(body, Qt.Key.Key_8, CTRL | SHIFT)
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClicks(body, "second")
    qtbot.keyClick(body, Qt.Key.Key_Return)
    qtbot.keyClick(body, Qt.Key.Key_8, CTRL | SHIFT)
    qtbot.keyClicks(body, "See the site")
    cursor = body.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.StartOfBlock)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
    body.setTextCursor(cursor)
    monkeypatch.setattr(prompts, "ask_link", lambda _parent, _current: "https://example.org/")
    qtbot.keyClick(body, Qt.Key.Key_K, CTRL)

    assert tab.dirty
    assert area.tabs.tabText(0).startswith("•")
    assert tab.save()
    assert not tab.dirty
    detail = services.articles.detail(tab.draft.article_id)
    assert detail.body_html == (
        "<p>Intro <strong>bold</strong> and <em>italic</em></p>\n"
        "<h2>A heading</h2>\n"
        "<blockquote>\n<p>Quoted words</p>\n</blockquote>\n"
        "<ul>\n<li>first</li>\n<li>second</li>\n</ul>\n"
        '<p><a href="https://example.org/">See the site</a></p>'
    )
    assert detail.title == "A test piece"
    assert detail.slug == "a-test-piece"
    assert not area.tabs.tabText(0).startswith("•")


def test_invalid_link_is_refused() -> None:
    assert prompts.valid_link("https://example.org/x")
    assert prompts.valid_link("mailto:desk@example.org")
    assert not prompts.valid_link("javascript:alert(1)")
    assert not prompts.valid_link("example.org")


def test_new_article_focus_in_title_and_tab_order(qtbot, make_window) -> None:
    window = make_window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    tab = window.editor_area.current()
    assert tab is not None
    qtbot.waitUntil(tab.title.hasFocus)
    qtbot.keyClick(tab.title, Qt.Key.Key_Tab)
    qtbot.waitUntil(tab.dek.hasFocus)
    qtbot.keyClick(tab.dek, Qt.Key.Key_Tab)
    qtbot.waitUntil(tab.body.hasFocus)


def test_figure_round_trip_through_the_store(
    qtbot, area: EditorArea, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        prompts,
        "ask_figure_details",
        lambda _parent, _image, _path: prompts.FigureDetails("At first light", "", ""),
    )
    image = QImage(64, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("steelblue"))
    png = tmp_path / "pic.png"
    assert image.save(str(png))
    tab = new_tab(qtbot, area, "With a picture")
    tab.body.setFocus()
    qtbot.keyClicks(tab.body, "First paragraph")
    qtbot.keyClick(tab.body, Qt.Key.Key_Return)
    qtbot.keyClicks(tab.body, "Second paragraph")
    cursor = tab.body.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    tab.body.setTextCursor(cursor)
    assert tab.insert_figure_file(str(png))
    # the cursor went past the figure; put it back on it
    cursor = tab.body.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.PreviousBlock)
    tab.body.setTextCursor(cursor)
    assert tab.figure_panel.caption.isEnabled()
    tab.figure_panel.caption.setPlainText("The river at dawn")
    qtbot.keyClicks(tab.figure_panel.credit, "A. Photographer")
    qtbot.keyClicks(tab.figure_panel.alt, "A grey river")
    assert tab.save()
    article_id = tab.draft.article_id
    assert area.close_tab(0)

    reopened = area.open_article(article_id)
    body, figures = reopened.body.body_and_figures()
    assert body == "<p>First paragraph</p>\n<p>Second paragraph</p>"
    assert len(figures) == 1
    fig = figures[0]
    assert (fig.anchor, fig.caption, fig.credit, fig.alt) == (
        1,
        "The river at dawn",
        "A. Photographer",
        "A grey river",
    )
    assert fig.has_image and fig.id is not None
    stored = services.editor.figure_image(fig.id)
    assert stored is not None and QImage.fromData(stored[0]).width() == 64


def test_find_and_replace_regex_whole_words_one_undo(qtbot, area: EditorArea) -> None:
    tab = new_tab(qtbot, area)
    tab.body.setPlainText("cat catalogue cat. Cat 2024 and 1999")
    bar = tab.find_bar
    bar.open_bar(with_replace=True)
    bar.find_text.setText("cat")
    bar.whole.setChecked(True)
    assert len(bar.matches()) == 3  # case-insensitive, not "catalogue"
    bar.case.setChecked(True)
    assert len(bar.matches()) == 2
    bar.replace_text.setText("dog")
    assert bar.replace_all() == 2
    assert tab.body.toPlainText() == "dog catalogue dog. Cat 2024 and 1999"
    bar.whole.setChecked(False)
    bar.regex.setChecked(True)
    bar.find_text.setText(r"(\d{2})(\d{2})")
    bar.replace_text.setText(r"'\2")
    assert bar.replace_all() == 2
    assert tab.body.toPlainText() == "dog catalogue dog. Cat '24 and '99"
    tab.body.undo()
    assert tab.body.toPlainText() == "dog catalogue dog. Cat 2024 and 1999"
    assert bar.find_next()
    assert tab.body.textCursor().selectedText() == "2024"


def test_ctrl_f_and_ctrl_h_open_the_bar(qtbot, area: EditorArea) -> None:
    tab = new_tab(qtbot, area)
    tab.body.setFocus()
    qtbot.keyClick(tab.body, Qt.Key.Key_F, CTRL)
    qtbot.waitUntil(tab.find_bar.isVisible)
    assert not tab.find_bar.replace_text.isVisible()
    qtbot.keyClick(tab.body, Qt.Key.Key_H, CTRL)
    qtbot.waitUntil(tab.find_bar.replace_text.isVisible)


def test_spelling_underline_and_add_to_dictionary(
    qtbot, area: EditorArea, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    from editor_app.ui.editor import spelling

    # The menu's short wait for suggestions is for a quiet machine; here, time to get them.
    monkeypatch.setattr(spelling, "SUGGESTION_BUDGET_S", 10.0)
    tab = new_tab(qtbot, area)
    qtbot.waitUntil(area.spelling_ready, timeout=60_000)
    tab.body.setFocus()
    qtbot.keyClicks(tab.body, "The minister sayd Zhuravlyova spoke")
    block = tab.body.document().firstBlock()

    def underlined() -> list[str]:
        text = block.text()
        return [text[s : s + n] for s, n in misspelt_ranges(block.layout().formats())]

    assert underlined() == ["sayd", "Zhuravlyova"]
    rect = tab.body.cursorRect(_cursor_at(tab, "Zhuravlyova"))
    menu = tab.body.build_context_menu(rect.center())
    add = next(a for a in menu.actions() if a.objectName() == "addToDictionary")
    suggestions = tab.body.build_context_menu(tab.body.cursorRect(_cursor_at(tab, "sayd")).center())
    assert "said" in [a.text() for a in suggestions.actions()]
    add.trigger()
    assert underlined() == ["sayd"]
    assert "Zhuravlyova" in services.editor.dictionary_words()


@pytest.mark.parametrize(
    ("language", "flagged"), [("en_GB", ["harbor", "color"]), ("en_US", ["harbour", "colour"])]
)
def test_spelling_follows_the_store_language(
    qtbot, area: EditorArea, services: Services, language: str, flagged: list[str]
) -> None:
    services.editor.set_spelling_language(language, actor="tester")
    tab = new_tab(qtbot, area)
    qtbot.waitUntil(
        lambda: area.spelling_ready() and area.speller.language == language, timeout=60_000
    )
    tab.body.setPlainText("The harbour and the harbor; colour or color.")
    block = tab.body.document().firstBlock()
    text = block.text()
    assert [text[s : s + n] for s, n in misspelt_ranges(block.layout().formats())] == flagged


def test_changing_the_language_underlines_again(
    qtbot, area: EditorArea, services: Services
) -> None:
    tab = new_tab(qtbot, area)
    qtbot.waitUntil(
        lambda: area.spelling_ready() and area.speller.language == "en_US", timeout=60_000
    )
    tab.body.setPlainText("The harbour wall")
    block = tab.body.document().firstBlock()
    assert misspelt_ranges(block.layout().formats()) == [(4, 7)]
    services.editor.set_spelling_language("en_GB", actor="tester")
    area.reload_spelling()
    qtbot.waitUntil(lambda: area.speller.language == "en_GB", timeout=60_000)
    assert misspelt_ranges(block.layout().formats()) == []


def _cursor_at(tab: EditorTab, word: str) -> QTextCursor:
    cursor = QTextCursor(tab.body.document())
    cursor.setPosition(tab.body.toPlainText().index(word) + 2)
    return cursor


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Բարև ձեզ, ինչպես եք", 4),  # Armenian
        ("Καλημέρα σας, τι κάνετε;", 4),  # Greek
        ("我们今天去北京", 7),  # Chinese: one word a character
        ("Mixed 中文 and English", 5),
    ],
)
def test_word_count_in_any_script(qtbot, area: EditorArea, text: str, words: int) -> None:
    tab = new_tab(qtbot, area)
    tab.body.setFocus()
    tab.body.insertPlainText(text)  # QTest can only type Latin-1 keys
    qtbot.waitUntil(lambda: tab.stats.text().startswith(f"{words} word"), timeout=2000)


def test_autosave_after_the_pause_and_recoverable_when_dropped(
    qtbot, area: EditorArea, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = new_tab(qtbot, area, "Never saved")
    tab.autosave_timer.setInterval(200)
    tab.body.setFocus()
    qtbot.keyClicks(tab.body, "Words that must not be lost")
    qtbot.waitUntil(lambda: tab.last_autosave_ms is not None, timeout=3000)
    # A stall check, not a benchmark: generous, as the machine may be busy.
    assert tab.last_autosave_ms is not None and tab.last_autosave_ms < 2000
    assert services.editor.recoverable(actor="tester") != ()
    area.tabs.removeTab(0)  # dropped: no question, no save
    tab.deleteLater()
    infos = services.editor.recoverable(actor="tester")
    assert [i.title for i in infos] == ["Never saved"]
    recovered = services.editor.recover(infos[0].draft_key)
    assert "Words that must not be lost" in recovered.body_html
    assert recovered.article_id is None


def test_recovery_offer_opens_the_draft_marked_unsaved(
    qtbot, area: EditorArea, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    draft = services.editor.new_draft()
    from dataclasses import replace

    services.editor.autosave(
        replace(draft, title="Crash piece", body_html="<p>typed before the crash</p>"),
        actor="tester",
    )
    monkeypatch.setattr(prompts, "ask_choice", lambda dialog: "recover")
    assert area.offer_recovery() == 1
    tab = area.current()
    assert tab is not None and tab.dirty
    assert tab.title.text() == "Crash piece"
    assert area.tabs.tabText(0).startswith("•")


def test_closing_with_unsaved_work_asks(
    qtbot, area: EditorArea, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers: list[str] = []
    monkeypatch.setattr(prompts, "ask_unsaved", lambda _p, _t: answers.pop(0))
    tab = new_tab(qtbot, area, "Unsaved")
    answers.append("cancel")
    assert not area.close_tab(0)
    assert area.tabs.count() == 1
    answers.append("save")
    qtbot.keyClick(tab.title, Qt.Key.Key_W, CTRL)
    qtbot.waitUntil(lambda: area.tabs.count() == 0)
    assert services.articles.detail(tab.draft.article_id).title == "Unsaved"
    tab2 = new_tab(qtbot, area, "Throw away")
    tab2.autosave_now()
    answers.append("discard")
    assert area.close_tab(0)
    assert services.editor.recoverable(actor="tester") == ()


def test_closing_the_window_with_unsaved_tabs_asks(
    qtbot, make_window, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def answer(_parent, title: str) -> str:
        asked.append(title)
        return "cancel"

    monkeypatch.setattr(prompts, "ask_unsaved", answer)
    window = make_window()
    tab = window.editor_area.new_article()
    qtbot.keyClicks(tab.title, "Half written")
    assert not window.close()
    assert asked == ["Half written"]
    monkeypatch.setattr(prompts, "ask_unsaved", lambda _p, _t: "discard")


def test_autosave_interval_default_is_about_three_seconds() -> None:
    assert 2000 <= editor_tab.AUTOSAVE_MS <= 4000
    assert QApplication.instance() is not None
