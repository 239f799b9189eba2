"""Rough edges an editor hits in a first walk through the window, each as the user sees it."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QToolBar

from editor_app.formats.bundle import ArticleData, Bundle, FigureData
from editor_app.services.container import Services
from editor_app.services.sample import load_sample_newsroom
from editor_app.ui.editor.editor_area import EditorArea
from editor_app.ui.export_dialog import ExportDialog
from editor_app.ui.main_window import NAV_AUTHORS

pytestmark = pytest.mark.ui


@pytest.fixture
def area(qtbot, services: Services, errors: list[str]) -> EditorArea:
    widget = EditorArea(services, actor="tester")
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    return widget


def _article(services: Services, status: str = "copyedit") -> int:
    article = ArticleData(
        title="Keep the harbour room open",
        body_html="<p>It should not be closed.</p>",
        status=status,
        source_key="test:polish",
    )
    [article_id] = services.imports.import_bundles([Bundle(articles=(article,))]).article_ids
    return article_id


def test_the_status_menu_speaks_like_the_list(qtbot, area: EditorArea, services: Services) -> None:
    article_id = _article(services)
    tab = area.open_article(article_id)
    assert tab is not None
    combo = tab.meta.status
    shown = [combo.itemText(i) for i in range(combo.count())]
    assert combo.currentText() == "Copyedit"  # was "copyedit", the stored value
    assert all(text[:1].isupper() for text in shown), shown
    # Picking "Ready" saves the stored value.
    combo.setCurrentIndex(combo.findText("Ready"))
    assert tab.current_draft().status == "ready"
    assert tab.save()
    qtbot.waitUntil(lambda: not tab.dirty)
    assert services.editor.open(article_id).status == "ready"
    assert tab.meta.status.currentText() == "Ready"
    # The history says the move, not just "Saved".
    qtbot.waitUntil(lambda: tab.history.list.count() == 2)
    top = tab.history.list.item(0)
    assert top.text().endswith("· Copyedit → Ready")  # as `articles status` writes it
    assert top.toolTip() == top.text()
    history = tab.history.list
    tab.side.setCurrentWidget(tab.history)
    qtbot.waitUntil(history.isVisible)
    # In a narrow side panel a long entry wraps instead of running off the edge.
    history.setFixedWidth(200)
    line = history.fontMetrics().height()
    qtbot.waitUntil(lambda: history.visualItemRect(top).height() > 1.5 * line)
    assert history.visualItemRect(top).right() <= history.viewport().width()
    tab.title.setText("Keep the harbour room open now")
    assert tab.save()
    qtbot.waitUntil(lambda: tab.history.list.count() == 3)
    assert tab.history.list.item(0).text().endswith("· Saved")


def test_the_byline_field_says_what_it_is_for_in_full(
    qtbot, area: EditorArea, services: Services
) -> None:
    tab = area.open_article(_article(services))
    assert tab is not None
    tab.side.setCurrentWidget(tab.meta)
    edit = tab.meta.author_pick.lineEdit()
    assert edit is not None
    qtbot.waitUntil(edit.isVisible)
    hint = edit.placeholderText()
    assert hint
    # Was "Type a name to a…": cut off in the side panel at the window's usual size.
    room = edit.contentsRect().width() - 8
    assert edit.fontMetrics().horizontalAdvance(hint) <= room, (hint, room)
    assert "Enter" in tab.meta.author_pick.toolTip()


def test_export_says_why_it_is_disabled_and_remembers_the_folder(qtbot, settings, tmp_path):
    first = ExportDialog(1, settings=settings, suggested="harbour-room")
    qtbot.addWidget(first)
    assert not first.ok.isEnabled()
    assert first.ok.toolTip() == "Choose where to write the export"
    first.target.setText(str(tmp_path / "nowhere" / "piece.html"))
    assert "There is no folder" in first.ok.toolTip()
    first.target.setText(str(tmp_path / "piece.html"))
    assert first.ok.isEnabled() and first.ok.toolTip() == ""
    first.remember()
    # The next export is ready to go: the article's slug in the folder used last time.
    again = ExportDialog(1, settings=settings, suggested="night-market")
    qtbot.addWidget(again)
    assert again.target.text() == str(tmp_path / "night-market.html")
    assert again.ok.isEnabled()
    again.format.setCurrentIndex(again.format.findData("docx"))
    assert again.target.text() == str(tmp_path / "night-market.docx")
    several = ExportDialog(3, settings=settings)
    qtbot.addWidget(several)
    assert several.target.text() == ""  # several articles: a folder, asked for


def test_export_says_when_it_replaces_a_file(qtbot, settings, tmp_path):
    (tmp_path / "night-market.html").write_text("an older export", encoding="utf-8")
    dialog = ExportDialog(1, settings=settings, suggested="night-market")
    qtbot.addWidget(dialog)
    dialog.target.setText(str(tmp_path / "night-market.html"))
    assert dialog.ok.isEnabled() and dialog.ok.text() == "Replace"
    assert "replaces" in dialog.ok.toolTip()
    dialog.format.setCurrentIndex(dialog.format.findData("markdown"))
    assert dialog.ok.text() == "Export"


def test_history_says_why_restore_is_greyed_out(
    qtbot, area: EditorArea, services: Services
) -> None:
    article_id = _article(services)
    tab = area.open_article(article_id)
    assert tab is not None
    tab.title.setText("Keep the harbour room open now")
    assert tab.save()
    qtbot.waitUntil(lambda: tab.history.list.count() == 2)
    history = tab.history
    restore = history.restore_button
    assert not restore.isEnabled() and "Pick an earlier revision" in restore.toolTip()
    assert history.view.placeholderText()  # the empty pane is not a blank box
    history.list.item(0).setSelected(True)  # newest first: the current version
    assert not restore.isEnabled() and "current version" in restore.toolTip()
    history.list.item(1).setSelected(True)  # both: a comparison
    assert not restore.isEnabled() and "Pick one revision" in restore.toolTip()
    history.list.item(0).setSelected(False)
    assert restore.isEnabled() and "new revision" in restore.toolTip()


def test_author_names_are_read_whole_in_the_list(qtbot, make_window, services: Services) -> None:
    load_sample_newsroom(services.imports)
    window = make_window()
    window.resize(1280, 800)
    window.nav.setCurrentRow(NAV_AUTHORS)
    page = window.authors_page
    qtbot.waitUntil(lambda: page.list.topLevelItemCount() == 2)
    qtbot.wait(50)
    header = page.list.header()
    icon = page.list.iconSize().width()
    for i in range(page.list.topLevelItemCount()):
        item = page.list.topLevelItem(i)
        name = item.text(0)
        needed = page.list.fontMetrics().horizontalAdvance(name) + icon + 16
        # Was 102 px for "Dev Okonkwo-Hale" (about 140 needed): shown as "Dev Ok…".
        assert header.sectionSize(0) >= needed, (name, header.sectionSize(0), needed)
        assert item.toolTip(0) == name


def _toolbar_texts(window) -> list[str]:
    bar = window.findChild(QToolBar, "mainToolbar")
    assert bar is not None
    return [a.text() for a in bar.actions() if a.isVisible() and a.text()]


def test_sample_newsroom_leaves_the_toolbar_once_there_is_content(
    qtbot, make_window, services: Services
) -> None:
    window = make_window()
    qtbot.waitUntil(lambda: "Load sample newsroom" in _toolbar_texts(window))
    window.sample_tool_action.trigger()
    qtbot.waitUntil(lambda: window.nav.item(0).text() == "Articles (5)", timeout=20_000)
    # A working newsroom's toolbar is Import and Export; the sample stays under File.
    assert "Load sample newsroom" not in _toolbar_texts(window)
    assert window.sample_action.isVisible()


def test_a_long_credit_and_alt_text_are_shown_from_their_start(
    qtbot, area: EditorArea, services: Services
) -> None:
    credit = "Photo: Rosa Kerensa / The Harbour Ledger, for the Port Calloway archive"
    alt = "An older woman seated beside a heap of green fishing net, holding a wooden needle."
    article = ArticleData(
        title="The last net-mender",
        body_html="<p>First paragraph.</p>",
        status="editing",
        figures=(FigureData("Agnes Pellow at work", credit, alt, 1),),
        source_key="test:figure",
    )
    [article_id] = services.imports.import_bundles([Bundle(articles=(article,))]).article_ids
    tab = area.open_article(article_id)
    assert tab is not None
    [token] = tab.body.figures
    tab.body.figure_selected.emit(token)  # the cursor entered the figure
    panel = tab.figure_panel
    assert panel.credit.text() == credit and panel.alt.text() == alt
    # Read from the start (was scrolled to the end), and whole in the tooltip.
    assert panel.credit.cursorPosition() == 0 and panel.alt.cursorPosition() == 0
    assert panel.credit.toolTip() == credit and panel.alt.toolTip() == alt


def test_a_heading_in_the_body_is_smaller_than_the_headline(
    qtbot, area: EditorArea, services: Services
) -> None:
    article = ArticleData(
        title="Tidal barrier bill rises again",
        body_html="<p>The cost has risen.</p><h2>Who pays</h2><p>The city.</p><h3>The levy</h3>",
        status="editing",
        source_key="test:headings",
    )
    [article_id] = services.imports.import_bundles([Bundle(articles=(article,))]).article_ids
    tab = area.open_article(article_id)
    assert tab is not None
    qtbot.waitUntil(tab.body.isVisible)
    doc = tab.body.document()

    def height(text: str) -> float:
        block = doc.firstBlock()
        while block.isValid() and block.text() != text:
            block = block.next()
        assert block.isValid(), text
        layout = block.layout()
        assert layout is not None and layout.lineCount() >= 1
        return layout.lineAt(0).height()

    headline = tab.title.fontMetrics().height()
    body, h2, h3 = height("The cost has risen."), height("Who pays"), height("The levy")
    # Was twice the body's size, taller than the headline above it.
    assert body < h3 < h2 < headline, (body, h3, h2, headline)


def test_the_items_of_a_list_stand_in_one_column(
    qtbot, area: EditorArea, services: Services
) -> None:
    article = ArticleData(
        title="Salt Lane night market returns",
        body_html=(
            "<h2>Getting there</h2><ol><li>The lane closes at 5pm.</li>"
            "<li>Extra buses run until midnight.</li><li>Bicycle racks at both ends.</li></ol>"
            "<ul><li>Oysters</li><li>Books</li></ul>"
        ),
        status="editing",
        source_key="test:lists",
    )
    [article_id] = services.imports.import_bundles([Bundle(articles=(article,))]).article_ids
    tab = area.open_article(article_id)
    assert tab is not None
    qtbot.waitUntil(tab.body.isVisible)
    starts: dict[str, list[float]] = {}
    block = tab.body.document().firstBlock()
    while block.isValid():
        text_list = block.textList()
        layout = block.layout()
        if text_list is not None and layout is not None and layout.lineCount():
            kind = "ol" if text_list.format().style().value < -3 else "ul"
            starts.setdefault(kind, []).append(layout.lineAt(0).x())
        block = block.next()
    # Was 40 px for the first item and 80 px for the others.
    assert len(starts["ol"]) == 3 and len(set(starts["ol"])) == 1, starts
    assert len(starts["ul"]) == 2 and len(set(starts["ul"])) == 1, starts
    body, _figures = tab.body.body_and_figures()
    assert body.count("<li>") == 5 and "<ol>" in body and "<ul>" in body
