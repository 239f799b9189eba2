"""The lazy models: paging through the services, checked by Qt's own model tester."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtTest import QAbstractItemModelTester
from PySide6.QtWidgets import QTableView

from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter
from editor_app.ui.models import ArticleTableModel, CommentTableModel

from .pages import PageSpec, fill_store, many_comments_page

pytestmark = pytest.mark.ui

Mode = QAbstractItemModelTester.FailureReportingMode


def model_failures(qtlog) -> list[str]:
    return [r.message for r in qtlog.records if "FAIL" in r.message]


@pytest.fixture
def thousand(services: Services, tmp_path: Path) -> Services:
    result = fill_store(services, tmp_path, [many_comments_page(1000)])
    assert result.comments == 1000
    return services


def test_comment_model_pages_lazily(qtbot, qtlog, thousand: Services):
    model = CommentTableModel(thousand, page_size=200)
    assert model.rowCount() == 0
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 200 < thousand.comments.count()
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 400
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 1000
    ids = [model.row_at(i).id for i in range(model.rowCount())]  # type: ignore[union-attr]
    assert len(set(ids)) == 1000
    # Qt's tester fetches on its own, so it watches from the reset on.
    tester = QAbstractItemModelTester(model, Mode.Warning)
    model.set_filter(CommentFilter(status="approved"))
    assert model.rowCount() == 0
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())
    model.set_filter(CommentFilter(status="pending"))
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 1000
    del tester
    assert model_failures(qtlog) == []


def test_comment_model_in_a_view_fetches_as_it_scrolls(qtbot, thousand: Services):
    model = CommentTableModel(thousand, page_size=100)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.resize(600, 300)
    view.show()
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    assert model.rowCount() < 1000
    view.scrollToBottom()
    qtbot.waitUntil(lambda: model.rowCount() > 100)


def test_article_model_pages_and_formats(qtbot, qtlog, services: Services, tmp_path: Path):
    fill_store(
        services,
        tmp_path,
        [PageSpec(f"Story number {i} on the harbour", [f"Paragraph {i}."]) for i in range(7)],
    )
    model = ArticleTableModel(services, page_size=3)
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 3
    tester = QAbstractItemModelTester(model, Mode.Warning)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 7
    titles = {model.index(i, 0).data() for i in range(7)}
    assert titles == {f"Story number {i} on the harbour" for i in range(7)}
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(5)]
    assert headers == ["Title", "Status", "Byline", "Comments", "Updated"]
    model.reset()
    model.fetchMore(QModelIndex())
    assert model.rowCount() >= 3
    del tester
    assert model_failures(qtlog) == []


def test_a_primed_model_installs_a_page_read_elsewhere_and_goes_on_from_it(
    qtbot, services: Services, tmp_path: Path
):
    fill_store(
        services,
        tmp_path,
        [PageSpec(f"Story number {i} on the harbour", [f"Paragraph {i}."]) for i in range(7)],
    )
    first = services.articles.page(limit=3)  # as start-up reads it, off the GUI thread
    reads: list[object] = []
    model = ArticleTableModel(services, page_size=3)
    real = model._fetch
    model._fetch = lambda after, limit: reads.append(after) or real(after, limit)
    model.prime(first)
    assert reads == []  # installed, not read
    assert [model.index(i, 0).data() for i in range(3)] == [r.title for r in first.rows]
    assert model.canFetchMore()
    while model.canFetchMore():
        model.fetchMore()
    assert reads[0] == first.next_cursor
    assert model.rowCount() == 7


def test_a_held_model_reads_nothing_until_reset(qtbot, services: Services, tmp_path: Path):
    """A page built before it is filled: its view, even hidden, would fetch on its own."""
    fill_store(services, tmp_path, [PageSpec("Harbour story", ["Paragraph."])])
    model = CommentTableModel(services)
    model.hold()
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.show()
    qtbot.wait(20)
    assert model.rowCount() == 0 and not model.canFetchMore()
    model.reset()
    assert model.canFetchMore()
