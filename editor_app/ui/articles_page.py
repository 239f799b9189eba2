"""The Articles area: the lazy list beside a read-only article view, or the welcome page."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSplitter,
    QStackedWidget,
    QTableView,
    QWidget,
)

from editor_app.domain.errors import UserError
from editor_app.services.container import Services
from editor_app.ui.article_html import article_html
from editor_app.ui.models import ArticleTableModel
from editor_app.ui.rich_view import RichView
from editor_app.ui.welcome import WelcomePage


class ArticlesPage(QStackedWidget):
    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self._services = services
        self.welcome = WelcomePage()
        self.model = ArticleTableModel(services, parent=self)

        self.table = QTableView()
        self.table.setObjectName("articlesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        # The title gets the room; the rest is narrow and elided, with tooltips.
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(36)
        for col, width in ((1, 72), (2, 110), (3, 92), (4, 88)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, width)

        self.view = RichView("Select an article to read it.")
        self.view.setObjectName("articleView")

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("articlesSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.view)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([640, 380])

        self.addWidget(self.welcome)
        self.addWidget(self.splitter)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.table.selectionModel().selectionChanged.connect(self.on_selection_changed)
        self.view.article_link.connect(self.show_article)

    # The article in the reader view and the version it shows.
    shown: tuple[int, int] | None = None

    @property
    def showing_welcome(self) -> bool:
        return self.currentWidget() is self.welcome

    def refresh(self, article_count: int) -> None:
        """Reload the list after the store changed; an empty store gets the welcome page."""
        if article_count == 0:
            self.setCurrentWidget(self.welcome)
            self.model.reset()
            self.view.show_placeholder()
            return
        self.setCurrentWidget(self.splitter)
        selected = self.current_id()
        self.model.reset()
        if self.model.canFetchMore():
            self.model.fetchMore()
        row = self.model.row_of_id(selected) if selected is not None else None
        self.table.selectRow(row if row is not None else 0)

    def current_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.model.row_at(rows[0].row())
        return item.id if item else None

    def show_article(self, article_id: int) -> None:
        """Select the article when it is loaded in the list, and show it either way."""
        self.setCurrentWidget(self.splitter)
        row = self.model.row_of_id(article_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        self._render(article_id)

    def on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        article_id = self.current_id()
        if article_id is None:
            self.view.show_placeholder()
        else:
            self._render(article_id)

    def _render(self, article_id: int) -> None:
        try:
            detail = self._services.articles.detail(article_id)
        except UserError as exc:
            self.shown = None
            self.view.show_placeholder(str(exc))
            return
        self.shown = (detail.id, detail.version)
        self.view.show_render(lambda colours: article_html(detail, colours))

    def reload_if_changed(self) -> str | None:
        """Show the open article anew if someone saved it; returns its title when they did."""
        if self.shown is None:
            return None
        article_id, version = self.shown
        try:
            detail = self._services.articles.detail(article_id)
        except UserError:
            return None
        if detail.version == version:
            return None
        self._render(article_id)
        return detail.title
