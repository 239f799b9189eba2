"""Revisions, restore and the three ways out of an edit conflict."""

from __future__ import annotations

from dataclasses import replace

import pytest

from editor_app.services.container import Services
from editor_app.ui.editor import prompts
from editor_app.ui.editor.conflict import ConflictDialog
from editor_app.ui.editor.editor_area import EditorArea
from editor_app.ui.editor.editor_tab import EditorTab

pytestmark = pytest.mark.ui


@pytest.fixture
def area(qtbot, services: Services, errors: list[str]) -> EditorArea:
    widget = EditorArea(services, actor="tester")
    qtbot.addWidget(widget)
    widget.show()
    return widget


def saved_article(services: Services, body: str = "<p>The council met on Monday.</p>") -> int:
    draft = replace(services.editor.new_draft(), title="Council meets", body_html=body)
    article_id = services.editor.save(draft, actor="writer").draft.article_id
    assert article_id is not None
    return article_id


def test_revisions_diff_and_restore(
    qtbot, area: EditorArea, services: Services, errors: list[str]
) -> None:
    article_id = saved_article(services)
    tab = area.open_article(article_id)
    assert tab is not None
    tab.body.load("<p>The council met on Tuesday.</p>", [])
    tab.title.setText("Council meets again")
    assert tab.save()
    history = tab.history
    assert history.list.count() == 2
    first, second = (r.id for r in history.revisions)
    history.select(first, second)
    shown = history.view.toPlainText()
    assert "Monday" in shown and "Tuesday" in shown and "again" in shown
    html = history.view.toHtml()
    assert "line-through" in html
    history.select(first)
    assert history.restore_button.isEnabled()
    history.restore_button.click()
    assert errors == []
    assert tab.title.text() == "Council meets"
    assert "Monday" in tab.body.toPlainText()
    assert history.list.count() == 3
    assert services.articles.detail(article_id).title == "Council meets"


def conflict_setup(qtbot, area: EditorArea, services: Services) -> tuple[EditorTab, int]:
    article_id = saved_article(services)
    tab = area.open_article(article_id)
    assert tab is not None
    # someone else saves behind the editor's back
    theirs = services.editor.open(article_id)
    services.editor.save(
        replace(theirs, body_html="<p>The council met on Friday.</p>"), actor="other"
    )
    tab.body.load("<p>The council met on Wednesday evening.</p>", [])
    tab.on_edited()
    return tab, article_id


def choose(monkeypatch: pytest.MonkeyPatch, choice: str, seen: list[ConflictDialog]) -> None:
    def answer(dialog: ConflictDialog) -> str:
        seen.append(dialog)
        return choice

    monkeypatch.setattr(prompts, "ask_choice", answer)


def test_conflict_keep_mine(qtbot, area, services, monkeypatch) -> None:
    tab, article_id = conflict_setup(qtbot, area, services)
    seen: list[ConflictDialog] = []
    choose(monkeypatch, "mine", seen)
    assert tab.save()
    assert len(seen) == 1
    assert "Friday" in seen[0].view.toPlainText() and "Wednesday" in seen[0].view.toPlainText()
    assert "Wednesday" in services.articles.detail(article_id).body_html
    notes = [r.note for r in services.editor.revisions(article_id)]
    assert len(notes) == 3  # theirs is still in the history
    assert not tab.dirty


def test_conflict_take_theirs(qtbot, area, services, monkeypatch) -> None:
    tab, article_id = conflict_setup(qtbot, area, services)
    choose(monkeypatch, "theirs", [])
    assert tab.save()
    assert "Friday" in tab.body.toPlainText()
    assert not tab.dirty
    assert "Friday" in services.articles.detail(article_id).body_html


def test_conflict_merge_by_hand(qtbot, area, services, monkeypatch) -> None:
    tab, article_id = conflict_setup(qtbot, area, services)
    choose(monkeypatch, "merge", [])
    assert not tab.save()
    assert tab.merge_box.isVisible()
    assert tab.theirs_view.isReadOnly()
    assert "Friday" in tab.theirs_view.toPlainText()
    tab.body.load("<p>The council met on Friday and Wednesday evening.</p>", [])
    tab.on_edited()
    monkeypatch.setattr(prompts, "ask_choice", lambda _d: pytest.fail("no second conflict"))
    assert tab.save()
    assert not tab.merge_box.isVisible()
    assert "Friday and Wednesday" in services.articles.detail(article_id).body_html
