"""Rough edges an editor hits in a first walk through the window, each as the user sees it."""

from __future__ import annotations

import pytest

from editor_app.formats.bundle import ArticleData, Bundle
from editor_app.services.container import Services
from editor_app.ui.editor.editor_area import EditorArea

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


def test_the_status_menu_speaks_like_the_list(
    qtbot, area: EditorArea, services: Services
) -> None:
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
