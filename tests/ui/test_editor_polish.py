"""The editor and the reader as a writer sees them: figures as tidy blocks, a figure dialog,
wrapping headline, a writing column, icons, find and Ctrl+Home, the wide diff, bylines."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontInfo, QImage, QTextCursor
from PySide6.QtWidgets import QDialog, QTabBar, QToolButton

from editor_app.domain.profile import ProfileInput
from editor_app.formats.bundle import ArticleData, Bundle, FigureData
from editor_app.services.container import Services
from editor_app.services.dto import FigureView
from editor_app.services.editing import FigureDraft
from editor_app.ui import dialogs
from editor_app.ui.article_html import _figure_html
from editor_app.ui.editor import prompts
from editor_app.ui.editor.editor_area import EditorArea
from editor_app.ui.editor.figure_card import CARD_WIDTH, PLACEHOLDER_HEIGHT
from editor_app.ui.rich_view import RichView
from editor_app.ui.theme import html_colours

pytestmark = pytest.mark.ui

CTRL = Qt.KeyboardModifier.ControlModifier
LONG_TITLE = (
    "Azerbaijan is Turkey's red line in its normalization talks with Armenia, officials say"
)


@pytest.fixture
def area(qtbot, services: Services, errors: list[str]) -> EditorArea:
    widget = EditorArea(services, actor="tester")
    qtbot.addWidget(widget)
    widget.resize(1280, 760)
    widget.show()
    return widget


def _png(tmp_path: Path, w: int = 800, h: int = 500) -> Path:
    image = QImage(w, h, QImage.Format.Format_RGB32)
    image.fill(QColor("steelblue"))
    path = tmp_path / "pier.png"
    assert image.save(str(path))
    return path


def _imported_article(services: Services, caption: str = "The pier at dusk") -> int:
    """An imported page's article: published, no date, a figure with no stored picture."""
    article = ArticleData(
        title=LONG_TITLE,
        body_html="<p>First paragraph.</p>\n<p>Second paragraph.</p>",
        status="published",
        figures=(FigureData(caption, "Harbour Ledger", "", 1),),
        source_key="test:imported",
    )
    [article_id] = services.imports.import_bundles([Bundle(articles=(article,))]).article_ids
    return article_id


def _figure_token(area: EditorArea) -> int:
    tab = area.current()
    assert tab is not None
    [token] = tab.body.figures
    return token


def test_a_figure_without_a_picture_is_a_card_with_its_caption(
    qtbot, area: EditorArea, services: Services
) -> None:
    tab = area.open_article(_imported_article(services))
    assert tab is not None
    token = _figure_token(area)
    card = tab.body.figure_card(token)
    assert not card.isNull()  # was a broken-file icon: the resource was cleared on load
    ratio = card.devicePixelRatio()
    assert card.width() / ratio == CARD_WIDTH
    short = card.height() / ratio
    assert short > PLACEHOLDER_HEIGHT + 30  # placeholder plus the caption and credit lines
    # A longer caption makes the block taller: the caption is drawn in it, wrapped.
    tab.body.update_figure(
        token, replace(tab.body.figures[token], caption="A much longer caption " * 12)
    )
    assert tab.body.figure_card(token).height() / ratio > short + 30


def test_figure_blocks_follow_a_dark_theme(qtbot, area: EditorArea, services: Services) -> None:
    tab = area.open_article(_imported_article(services))
    assert tab is not None
    token = _figure_token(area)
    ratio = tab.body.figure_card(token).devicePixelRatio()
    inside = (int(CARD_WIDTH * ratio) // 2, int(6 * ratio))  # x, y: the block, not its border
    assert tab.body.figure_card(token).pixelColor(*inside).lightness() > 180
    dark = tab.body.palette()
    dark.setColor(dark.ColorRole.Base, QColor("#1e1f22"))
    dark.setColor(dark.ColorRole.Text, QColor("#e6e6e6"))
    tab.body.setPalette(dark)
    assert tab.body.figure_card(token).pixelColor(*inside).lightness() < 80


def test_figure_asks_for_caption_credit_and_alt(
    qtbot, area: EditorArea, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[prompts.FigureDialog] = []

    def fill(dialog: QDialog) -> int:
        assert isinstance(dialog, prompts.FigureDialog)
        seen.append(dialog)
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        assert not ok.isEnabled()  # alt text is required ...
        dialog.caption.setPlainText("Nets drying on Gullwing Pier")
        dialog.credit.setText("Tomás Reyes")
        dialog.alt.setText("Green nets hung over a wooden rail")
        assert ok.isEnabled()
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(dialogs, "run_dialog", fill)
    tab = area.new_article()
    tab.title.setText("Nets")
    assert tab.insert_figure_file(str(_png(tmp_path)))
    assert seen
    _body, [fig] = tab.body.body_and_figures()
    assert (fig.caption, fig.credit, fig.alt) == (
        "Nets drying on Gullwing Pier",
        "Tomás Reyes",
        "Green nets hung over a wooden rail",
    )
    assert tab.dirty


def test_figure_dialog_decorative_or_cancel(qtbot, tmp_path: Path) -> None:
    image = QImage(str(_png(tmp_path, 40, 30)))
    dialog = prompts.FigureDialog(image, "pier.png")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    assert not ok.isEnabled() and dialog.hint.text()
    dialog.decorative.setChecked(True)
    assert ok.isEnabled() and not dialog.alt.isEnabled()
    assert dialog.details().alt == ""


def test_cancelling_the_figure_dialog_inserts_nothing(
    qtbot, area: EditorArea, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(dialogs, "run_dialog", lambda _d: QDialog.DialogCode.Rejected)
    tab = area.new_article()
    assert not tab.insert_figure_file(str(_png(tmp_path)))
    assert tab.body.figures == {}


def test_headline_dek_and_slug_wrap_and_show_whole(
    qtbot, area: EditorArea, services: Services
) -> None:
    tab = area.open_article(_imported_article(services))
    assert tab is not None
    qtbot.waitUntil(lambda: tab.title.height() > 0)
    line = tab.title.fontMetrics().lineSpacing()
    assert tab.title.height() >= 2 * line  # two lines, not one scrolled to its end
    assert tab.title.verticalScrollBar().maximum() == 0
    assert tab.title.text() == LONG_TITLE
    assert tab.meta.slug.height() >= 2 * tab.meta.slug.fontMetrics().lineSpacing()
    assert tab.meta.slug.verticalScrollBar().maximum() == 0
    # Enter moves on instead of breaking the line; typing is an edit.
    tab.title.setFocus()
    tab.title.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClicks(tab.title, "!")
    qtbot.keyClick(tab.title, Qt.Key.Key_Return)
    assert tab.title.text() == LONG_TITLE + "!" and tab.dirty


def test_the_body_is_a_centred_serif_column_of_about_seventy_characters(
    qtbot, area: EditorArea
) -> None:
    area.resize(1600, 900)
    tab = area.new_article()
    qtbot.waitUntil(lambda: tab.body.viewportMargins().left() > 0)
    body = tab.body
    font = body.document().defaultFont()
    assert QFontInfo(font).pixelSize() >= 17
    text_width = body.viewport().width() - 2 * body.document().documentMargin()
    chars = text_width / body.fontMetrics().averageCharWidth()
    assert 60 <= chars <= 80
    margins = body.viewportMargins()
    assert abs(margins.left() - margins.right()) <= 1


def test_toolbar_has_icons_with_tooltips_and_the_tab_a_quiet_close(qtbot, area: EditorArea) -> None:
    tab = area.new_article()
    actions = [a for a in tab.toolbar.actions() if not a.isSeparator()]
    assert len(actions) >= 13
    for action in actions:
        assert not action.icon().isNull(), action.text()
        assert action.toolTip() and action.toolTip() != action.text()
    button = area.tabs.tabBar().tabButton(0, QTabBar.ButtonPosition.RightSide)
    assert isinstance(button, QToolButton) and button.objectName() == "closeTab"
    assert not button.icon().isNull()
    button.click()
    assert area.tabs.count() == 0


def test_find_puts_the_match_in_view_above_the_bar_and_ctrl_home_shows_the_top(
    qtbot, area: EditorArea
) -> None:
    tab = area.new_article()
    body = tab.body
    body.setHtml("".join(f"<p>Paragraph {i} about the harbour wall.</p>" for i in range(120)))
    body.insertPlainText("")
    tab.find_bar.open_bar(with_replace=False)
    tab.find_bar.find_text.setText("Paragraph 90 ")
    assert tab.find_bar.find_next()
    rect = body.cursorRect()
    height = body.viewport().height()
    assert height * 0.15 <= rect.top() and rect.bottom() <= height * 0.8
    body.setFocus()
    qtbot.keyClick(body, Qt.Key.Key_Home, CTRL)
    assert body.verticalScrollBar().value() == 0
    assert body.cursorRect().top() >= 0


def test_a_new_article_is_bylined_to_my_profile_and_the_picker_filters(
    qtbot, services: Services, errors: list[str]
) -> None:
    mine = services.authors.create(ProfileInput(name="Imogen Tarrant"))
    for name in ("a11y Team", "Dev Okonkwo-Hale", "Tomás Reyes"):
        services.authors.create(ProfileInput(name=name))
    services.editor.set_my_author("tester", mine.id)
    area = EditorArea(services, actor="tester")
    qtbot.addWidget(area)
    area.show()
    tab = area.new_article()
    bylines = tab.meta.bylines
    assert [bylines.item(i).text() for i in range(bylines.count())] == ["Imogen Tarrant"]
    assert tab.current_draft().author_ids == (mine.id,)
    # Type part of a name: the list narrows to the names that contain it, Enter adds it.
    pick = tab.meta.author_pick
    completer = tab.meta.author_completer
    completer.setCompletionPrefix("okon")
    model = completer.completionModel()
    assert [model.index(i, 0).data() for i in range(model.rowCount())] == ["Dev Okonkwo-Hale"]
    pick.setEditText("Dev Okonkwo-Hale")
    qtbot.keyClick(pick.lineEdit(), Qt.Key.Key_Return)
    assert [bylines.item(i).text() for i in range(bylines.count())] == [
        "Imogen Tarrant",
        "Dev Okonkwo-Hale",
    ]


def test_without_my_profile_a_new_article_has_no_byline(
    qtbot, area: EditorArea, services: Services
) -> None:
    services.authors.create(ProfileInput(name="Imogen Tarrant"))
    tab = area.new_article()
    assert tab.meta.bylines.count() == 0
    assert tab.meta.author_pick.currentIndex() == -1  # not "the first name alphabetically"


def test_an_unknown_publication_date_stays_unknown_through_a_save(
    qtbot, area: EditorArea, services: Services
) -> None:
    article_id = _imported_article(services)
    assert services.articles.detail(article_id).published_at is None
    tab = area.open_article(article_id)
    assert tab is not None
    assert tab.meta.published.text() == "Unknown"
    tab.dek.setText("A dek")
    assert tab.save()
    assert services.articles.detail(article_id).published_at is None


def test_opening_an_article_is_not_an_edit_when_the_dictionary_arrives(
    qtbot, area: EditorArea, services: Services
) -> None:
    tab = area.open_article(_imported_article(services))
    assert tab is not None
    qtbot.waitUntil(area.spelling_ready, timeout=60_000)
    area.on_dictionary_loaded(area.speller.language, area.speller._dictionary)
    assert not tab.dirty


def test_the_history_diff_opens_wide_and_shows_a_new_link(
    qtbot, area: EditorArea, services: Services
) -> None:
    article_id = _imported_article(services)
    tab = area.open_article(article_id)
    assert tab is not None
    cursor = tab.body.textCursor()
    cursor.movePosition(QTextCursor.MoveOperation.Start)
    cursor.movePosition(QTextCursor.MoveOperation.EndOfWord, QTextCursor.MoveMode.KeepAnchor)
    tab.body.setTextCursor(cursor)
    tab.body.set_link("https://harbourledger.example/")
    assert tab.save()
    history = tab.history
    history.select(*(r.id for r in history.revisions))
    assert "link to https://harbourledger.example/" in history.view.toPlainText()
    assert history.wide_button.isEnabled()
    history.open_wide()
    assert history.wide is not None and history.wide.isVisible()
    assert history.wide.width() >= 2 * tab.side.width()  # room to read, not the side panel
    assert "link to https://harbourledger.example/" in history.wide.view.toPlainText()


def test_reader_view_shows_the_picture_and_the_caption_once(
    qtbot, services: Services, tmp_path: Path
) -> None:
    data = _png(tmp_path, 300, 200).read_bytes()
    draft = replace(
        services.editor.new_draft(),
        title="Nets",
        body_html="<p>One.</p>",
        figures=(
            FigureDraft(
                None, "Nets on the pier", "T. Reyes", "Green nets", 1, data, "image/png", True
            ),
            FigureDraft(None, "The old sail loft", "Archive", "", 1),
        ),
    )
    article_id = services.editor.save(draft, actor="t").draft.article_id
    assert article_id is not None
    detail = services.articles.detail(article_id)
    view = RichView()
    qtbot.addWidget(view)
    view.resize(700, 800)
    view.set_image_source(services.editor.figure_image)
    from editor_app.ui.article_html import article_html

    view.show_render(lambda c: article_html(detail, c))
    view.show()
    text = view.toPlainText()
    assert text.count("Nets on the pier") == 1
    assert text.count("The old sail loft") == 1  # the placeholder no longer repeats it
    assert "Photo:" not in text
    with_picture = next(f for f in detail.figures if f.has_image)
    shown = view.document().resource(
        view.document().ResourceType.ImageResource.value, f"figure:{with_picture.id}"
    )
    assert isinstance(shown, QImage) and shown.width() == 300
    html = _figure_html(FigureView(7, "Cap", "Cred", "Alt", 0, True), html_colours(view.palette()))
    assert '<img src="figure:7"' in html


class _SlowDictionary:
    """Hunspell's suggest as a generator: `slow` words yield one suggestion and then take
    their time (as its compound passes do on a long name) until `release` is set."""

    def __init__(self) -> None:
        import threading

        self.release = threading.Event()
        self.ended: list[str] = []

    def suggest(self, word: str):
        try:
            yield {"goverment": "government", "sayd": "said"}.get(word, word + "e")
            if word in ("goverment", "Zhuravlyova"):
                self.release.wait(20)
                yield word + "s"
                yield word + "ss"
        finally:
            self.ended.append(word)


def test_suggestions_come_quickly_and_the_slow_ones_later(qtbot) -> None:
    import time

    from editor_app.ui.editor.spelling import SUGGESTION_BUDGET_S, Speller

    speller = Speller(language="en_GB")
    slow = _SlowDictionary()
    speller.set_dictionary("en_GB", slow)
    started = time.perf_counter()
    first = speller.suggestions("goverment")
    # The menu waits for its budget, not for the slow pass (20 s here).
    assert time.perf_counter() - started < SUGGESTION_BUDGET_S + 3
    assert first in ([], ["government"])
    slow.release.set()
    qtbot.waitUntil(lambda: "goverment" in speller._suggested, timeout=30_000)
    assert speller.suggestions("goverment")[:2] == ["government", "goverments"]


def test_a_word_asked_for_after_a_slow_one_is_not_kept_waiting(qtbot, monkeypatch) -> None:
    from editor_app.ui.editor import spelling

    speller = spelling.Speller(language="en_GB")
    slow = _SlowDictionary()
    speller.set_dictionary("en_GB", slow)
    spelling._suggesting.submit(lambda: None).result()  # no earlier search in the way
    try:
        speller.suggestions("Zhuravlyova")  # its search goes on past the menu's budget
        # The next right-click: its word had waited behind the long one, and got nothing.
        monkeypatch.setattr(spelling, "SUGGESTION_BUDGET_S", 10.0)
        assert speller.suggestions("sayd")[:1] == ["said"]
    finally:
        slow.release.set()
    # The long search, left behind, stopped at its next suggestion and is not remembered.
    qtbot.waitUntil(lambda: "Zhuravlyova" in slow.ended, timeout=20_000)
    assert "Zhuravlyova" not in speller._suggested


def test_a_quotation_of_two_paragraphs_has_one_unbroken_bar(qtbot) -> None:
    from PySide6.QtGui import QPalette

    from editor_app.ui.editor.body_edit import BodyEdit

    body = BodyEdit(None)
    qtbot.addWidget(body)
    body.resize(700, 400)
    body.load(
        "<p>Before.</p><blockquote><p>First paragraph of the quotation.</p>"
        "<p>Second paragraph of it.</p></blockquote><p>After.</p><blockquote><p>Another."
        "</p></blockquote>",
        [],
    )
    body.show()
    qtbot.waitExposed(body)
    image = body.viewport().grab().toImage()
    colour = body.palette().color(QPalette.ColorRole.Highlight)
    doc = body.document()
    layout = doc.documentLayout()
    first, second, after = (
        doc.findBlockByNumber(1),
        doc.findBlockByNumber(2),
        doc.findBlockByNumber(3),
    )
    x = round(layout.blockBoundingRect(first).left() + first.blockFormat().leftMargin() - 13)
    x -= body.horizontalScrollBar().value()
    dy = body.verticalScrollBar().value()

    def bar_at(y: float) -> bool:
        return image.pixelColor(x, round(y - dy)) == colour

    top = layout.blockBoundingRect(first).top() + 2
    bottom = layout.blockBoundingRect(second).bottom() - 14
    assert all(bar_at(y) for y in range(int(top), int(bottom)))  # no gap between paragraphs
    # A paragraph between two quotations: two bars, a gap beside "After."
    middle = layout.blockBoundingRect(after)
    assert not bar_at(middle.center().y())
