"""The Quotes and Style panels in the editor: listing, selecting, underlining, fixing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialog, QMenu

from editor_app.services.container import Services
from editor_app.services.importing import ImportOptions
from editor_app.ui import dialogs
from editor_app.ui.editor import prompts
from editor_app.ui.editor.editor_area import EditorArea
from editor_app.ui.editor.editor_tab import EditorTab
from editor_app.ui.editor.style_panel import StyleSheetDialog
from tests.conftest import seed_path

pytestmark = pytest.mark.ui


@pytest.fixture
def area(qtbot, services: Services, errors: list[str]) -> Iterator[EditorArea]:
    widget = EditorArea(services, actor="tester")
    qtbot.addWidget(widget)
    widget.resize(1200, 800)
    widget.show()
    yield widget
    QThreadPool.globalInstance().waitForDone(10000)  # checks still running end before the store


def _open_seed(services: Services, area: EditorArea) -> EditorTab:
    result = services.imports.import_paths([seed_path()], ImportOptions())
    tab = area.open_article(result.article_ids[0])
    assert tab is not None
    return tab


def test_quotes_panel_lists_the_seed_and_selects_a_quote(
    qtbot, services: Services, area: EditorArea
) -> None:
    tab = _open_seed(services, area)
    panel = tab.desk.quotes
    assert tab.side.tabText(tab.side.indexOf(panel)) == "Quotes"
    with qtbot.waitSignal(panel.runner.finished, timeout=10000):
        panel.refresh()
    assert panel.tree.topLevelItemCount() == 23
    first = panel.tree.topLevelItem(0)
    assert [first.text(i) for i in range(4)] == ["2", "Recep Tayyip Erdogan", "told", "July 25"]
    assert panel.summary.text().startswith("23 quotations")
    # Clicking a quote selects its words in the body.
    cav = next(
        panel.tree.topLevelItem(i)
        for i in range(panel.tree.topLevelItemCount())
        if panel.tree.topLevelItem(i).text(4).startswith("We coordinate every step")
    )
    panel.on_item_clicked(cav)
    selected = tab.body.textCursor().selectedText()
    assert selected.startswith("We coordinate every step with Azerbaijan.")
    assert selected.endswith("Central Asian countries,")
    # An unattributed quote is flagged, with the reason as a child row.
    unknown = panel.tree.topLevelItem(1)
    assert unknown.text(1) == "?" and unknown.child(0).text(1) == "no speaker"


def test_quotes_panel_follows_typing(qtbot, services: Services, area: EditorArea) -> None:
    tab = area.new_article()
    panel = tab.desk.quotes
    tab.body.setFocus()
    qtbot.keyClicks(tab.body, '"We will wait," Ada Lin said.')  # keyClicks types ASCII only
    qtbot.waitUntil(lambda: panel.tree.topLevelItemCount() == 1, timeout=10000)
    item = panel.tree.topLevelItem(0)
    assert (item.text(1), item.text(2)) == ("Ada Lin", "said")


def test_style_underlines_and_fixes_only_on_click(
    qtbot, services: Services, area: EditorArea
) -> None:
    tab = area.new_article()
    layer = tab.desk.style_layer
    tab.body.setFocus()
    qtbot.keyClicks(tab.body, "President Erdogan sent an e-mail on July 25th.")
    qtbot.waitUntil(lambda: len(layer.found) == 3, timeout=10000)
    assert [i.rule for _c, i in layer.found] == ["names", "terms", "dates"]
    underlines = tab.body.extraSelections()
    assert len(underlines) == 3 and underlines[0].cursor.selectedText() == "Erdogan"
    # Nothing changed the text by itself.
    assert "Erdogan" in tab.body.toPlainText()
    # The right-click menu on the name offers the house form; picking it changes the text.
    cursor = layer.found[0][0]
    inside = QTextCursor(tab.body.document())
    inside.setPosition(cursor.selectionStart() + 3)
    menu = layer.context_menu(tab.body.cursorRect(inside).center())
    fixes = [a for a in menu.actions() if a.objectName() == "styleFix"]
    assert [a.text() for a in fixes] == ["Change to “Erdoğan”"]
    fixes[0].trigger()
    assert tab.body.toPlainText().startswith("President Erdoğan sent")
    assert cursor.selectedText() in ("Erdoğan", "")
    # Ignore in this piece: the e-mail finding goes away and stays away.
    layer.refresh(in_thread=False)
    term = next(i for _c, i in layer.found if i.rule == "terms")
    layer.ignore(term)
    assert [i.rule for _c, i in layer.found] == ["dates"]
    panel = tab.desk.style
    assert panel.tree.topLevelItemCount() == 1
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    panel.on_fix()
    assert tab.body.toPlainText() == "President Erdoğan sent an e-mail on July 25."
    assert layer.found == []


def test_ignore_is_remembered_with_the_saved_piece(
    qtbot, services: Services, area: EditorArea
) -> None:
    tab = area.new_article()
    qtbot.keyClicks(tab.title, "Ships")
    tab.body.setFocus()
    qtbot.keyClicks(tab.body, "Send an e-mail.")
    assert tab.save()
    layer = tab.desk.style_layer
    layer.refresh(in_thread=False)
    (found,) = layer.found
    layer.ignore(found[1])
    article_id = tab.draft.article_id
    assert article_id is not None
    assert services.style.ignored(article_id) == {found[1].key}


def test_style_sheet_dialog_refuses_a_bad_sheet_then_saves(
    qtbot, services: Services, area: EditorArea, monkeypatch: pytest.MonkeyPatch
) -> None:
    tab = area.new_article()
    seen: list[StyleSheetDialog] = []

    def fill(dialog: QDialog) -> int:
        assert isinstance(dialog, StyleSheetDialog)
        seen.append(dialog)
        dialog.editor.setPlainText("numbers: [ap")
        dialog.on_save()
        assert dialog.error.text().startswith("the style sheet is not valid YAML")
        dialog.editor.setPlainText("numbers: ap\n")
        dialog.on_save()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    tab.desk.style.on_edit_sheet()
    assert seen and services.style.sheet_info().text == "numbers: ap\n"
    tab.body.setFocus()
    qtbot.keyClicks(tab.body, "We saw 3 ships.")
    tab.desk.style_layer.refresh(in_thread=False)
    assert [i.rule for _c, i in tab.desk.style_layer.found] == ["numbers"]


def test_long_pieces_are_checked_off_the_gui_thread(
    qtbot, services: Services, area: EditorArea, tmp_path: Path
) -> None:
    tab = area.new_article()
    body = "".join(f"<p>Paragraph {n}: Erdogan spoke at length again.</p>" for n in range(400))
    tab.body.load(body, [])
    layer = tab.desk.style_layer
    with qtbot.waitSignal(layer.issues_changed, timeout=20000):
        layer.refresh()
    assert len([i for _c, i in layer.found if i.rule == "names"]) == 400


def test_edit_menu_house_style_saves_the_sheet_and_open_editors_follow(
    qtbot, services: Services, make_window, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(prompts, "ask_unsaved", lambda _p, _t: "discard")  # on closing
    window = make_window()
    tab = window.editor_area.new_article()
    tab.body.setFocus()
    qtbot.keyClicks(tab.body, "We saw 3 ships.")
    layer = tab.desk.style_layer
    layer.refresh(in_thread=False)
    assert [i.rule for _c, i in layer.found] == ["numbers"]  # the default sheet is AP

    def answer(dialog: QDialog) -> int:
        assert isinstance(dialog, StyleSheetDialog)
        dialog.editor.setPlainText("words:\n  - word: ships\n    level: caution\n")
        dialog.on_save()
        return dialog.result()

    monkeypatch.setattr(dialogs, "run_dialog", answer)
    edit_menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "&Edit")
    (action,) = [a for a in edit_menu.actions() if a.text() == "House style…"]
    action.trigger()
    assert services.style.sheet_info().version == 1
    layer.refresh(in_thread=False)
    assert [(i.rule, i.text) for _c, i in layer.found] == [("words", "ships")]
