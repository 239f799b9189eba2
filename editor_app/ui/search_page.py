"""Search results: articles and comments from the store's full-text index."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor_app.services.dto import SearchResults
from editor_app.ui.models import ID_ROLE, excerpt, format_time

KIND_ROLE = ID_ROLE + 1


class SearchPage(QWidget):
    """Signals:
    article_requested(int article_id)
    comment_requested(int comment_id)
    """

    article_requested = Signal(int)
    comment_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.heading = QLabel("Search")
        self.heading.setObjectName("pageTitle")
        self.tree = QTreeWidget()
        self.tree.setObjectName("searchResults")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Result", "Where", "When"])
        self.tree.setAlternatingRowColors(True)
        # One line each: the tree need not measure every row to lay out (half the time of
        # showing 100 results).
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.tree.setColumnWidth(1, 320)
        self.tree.setColumnWidth(2, 130)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.tree.itemActivated.connect(self.on_item_activated)
        self.tree.itemDoubleClicked.connect(self.on_item_activated)

    def show_results(self, results: SearchResults) -> None:
        self.tree.clear()
        total = len(results.articles) + len(results.comments)
        self.heading.setText(f"{total} result{'s' if total != 1 else ''} for “{results.query}”")
        articles = QTreeWidgetItem([f"Articles ({len(results.articles)})"])
        for a in results.articles:
            item = QTreeWidgetItem([a.title, a.byline, format_time(a.updated_at)])
            item.setData(0, ID_ROLE, a.id)
            item.setData(0, KIND_ROLE, "article")
            articles.addChild(item)
        comments = QTreeWidgetItem([f"Comments ({len(results.comments)})"])
        for c in results.comments:
            item = QTreeWidgetItem(
                [
                    f"{c.display_name}: {excerpt(c.body, 160)}",
                    c.article_title,
                    format_time(c.posted_at),
                ]
            )
            item.setData(0, ID_ROLE, c.id)
            item.setData(0, KIND_ROLE, "comment")
            comments.addChild(item)
        for group in (articles, comments):
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            group.setExpanded(True)
        first = articles.child(0) or comments.child(0)
        if first is not None:
            self.tree.setCurrentItem(first)

    def on_item_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        kind = item.data(0, KIND_ROLE)
        if kind == "article":
            self.article_requested.emit(int(item.data(0, ID_ROLE)))
        elif kind == "comment":
            self.comment_requested.emit(int(item.data(0, ID_ROLE)))
