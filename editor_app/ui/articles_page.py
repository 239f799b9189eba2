"""The Articles area: the lazy list beside a read-only article view, or the welcome page.

The list has two views, the articles and the Trash; its context menu (and the Delete key)
opens, exports, moves along the workflow, deletes to the Trash, restores or deletes for good.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import QItemSelection, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from editor_app.domain.errors import UserError
from editor_app.domain.statuses import ArticleStatus, allowed_transitions
from editor_app.services.container import Services
from editor_app.services.dto import ArticleDetail, ArticleRow, Page
from editor_app.ui import dialogs
from editor_app.ui.article_html import article_html
from editor_app.ui.models import PAGE_SIZE, ArticleTableModel
from editor_app.ui.rich_view import RichView
from editor_app.ui.welcome import WelcomePage

VIEW_ARTICLES, VIEW_TRASH = 0, 1


@dataclass(frozen=True)
class FirstArticles:
    """What the Articles page shows first, read in one go off the GUI thread
    (:func:`read_first_articles`)."""

    trashed: int
    page: Page[ArticleRow] | None  # None: the store has no live articles
    detail: ArticleDetail | None  # the first row's article


def read_first_articles(services: Services, article_count: int) -> FirstArticles:
    """Reads only (services, no widget): ``app.Startup`` runs it on its worker thread."""
    articles = services.articles
    trashed = articles.count(trash=True)
    if article_count == 0:
        return FirstArticles(trashed, None, None)
    page = articles.page(limit=PAGE_SIZE)
    detail = None
    if page.rows:
        try:
            detail = articles.detail(page.rows[0].id)
        except UserError:  # deleted meanwhile: the page reads it again when shown
            detail = None
    return FirstArticles(trashed, page, detail)


class ArticlesPage(QStackedWidget):
    """Signals:
    open_requested(int article_id): open it in the editor
    export_requested(int article_id): ask how to export it
    articles_changed(): an article was deleted, restored or moved; counts need a refresh
    notice(str text, object undo): what an action did, and a callable that undoes it or None
    failed(str message): an action was refused
    """

    open_requested = Signal(int)
    export_requested = Signal(int)
    articles_changed = Signal()
    notice = Signal(str, object)
    failed = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self._services = services
        self._actor = getpass.getuser()
        self.welcome = WelcomePage()
        self.model = ArticleTableModel(services, parent=self)
        self.model.hold()  # filled by refresh()

        self.table = QTableView()
        self.table.setObjectName("articlesTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.delete_action = QAction("Move to the Trash", self.table)
        self.delete_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.delete_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.table.addAction(self.delete_action)
        self.views = QTabBar()
        self.views.setObjectName("articleViews")
        self.views.setExpanding(False)
        self.views.setDrawBase(False)
        self.views.addTab("Articles")
        self.views.addTab("Trash")
        self.views.setTabToolTip(VIEW_TRASH, "Deleted articles, kept until deleted permanently")
        header = self.table.horizontalHeader()
        # The title gets the room; the rest is narrow and elided, with tooltips.
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(36)
        for col, width in ((1, 76), (2, 110), (3, 104), (4, 92)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, width)

        self.view = RichView("Select an article to read it.")
        self.view.setObjectName("articleView")
        self.view.set_image_source(services.editor.figure_image)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("articlesSplitter")
        list_panel = QWidget()
        column = QVBoxLayout(list_panel)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.views)
        column.addWidget(self.table, 1)
        self.splitter.addWidget(list_panel)
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
        self.views.currentChanged.connect(self.on_view_changed)
        self.table.customContextMenuRequested.connect(self.on_context_menu)
        self.delete_action.triggered.connect(self.on_delete_key)

    # The article in the reader view and the version it shows.
    shown: tuple[int, int] | None = None
    # The first article's detail, read with the first page (``refresh(first=...)``).
    _prefetched: ArticleDetail | None = None

    @property
    def showing_welcome(self) -> bool:
        return self.currentWidget() is self.welcome

    def refresh(self, article_count: int, first: FirstArticles | None = None) -> None:
        """Reload the list after the store changed; an empty store gets the welcome page.

        ``first``: the Trash count, the list's first page and its first article, read
        already (off the GUI thread, at start-up); then nothing is read here."""
        trashed = first.trashed if first is not None else self._services.articles.count(trash=True)
        self.views.setTabText(VIEW_TRASH, f"Trash ({trashed:,})" if trashed else "Trash")
        self.views.setTabText(VIEW_ARTICLES, f"Articles ({article_count:,})")
        if article_count == 0 and trashed == 0:
            self.setCurrentWidget(self.welcome)
            self.model.reset()
            self.view.show_placeholder()
            return
        self.setCurrentWidget(self.splitter)
        selected = self.current_id()
        if first is not None and first.page is not None and not self.in_trash:
            self.model.prime(first.page)
            self._prefetched = first.detail
        else:
            self.model.reset()
            if self.model.canFetchMore():
                self.model.fetchMore()
        row = self.model.row_of_id(selected) if selected is not None else None
        try:
            if self.model.rowCount():
                self.table.selectRow(row if row is not None else 0)
            else:
                self.view.show_placeholder(
                    "The Trash is empty." if self.in_trash else "No articles; see the Trash."
                )
        finally:
            self._prefetched = None

    @property
    def in_trash(self) -> bool:
        return self.model.trash

    def show_trash(self, trash: bool) -> None:
        self.views.setCurrentIndex(VIEW_TRASH if trash else VIEW_ARTICLES)

    def on_view_changed(self, index: int) -> None:
        self.model.set_trash(index == VIEW_TRASH)
        self.refresh(self._services.articles.count())

    # Actions on the selected article -----------------------------------------------------
    def context_menu(self) -> QMenu:
        """The menu for the selected article (built fresh: the statuses depend on it)."""
        menu = QMenu(self.table)
        article_id = self.current_id()
        row = self.model.row_at(self.table.currentIndex().row())
        if article_id is None or row is None:
            return menu
        if self.in_trash:
            menu.addAction("Restore", lambda: self.restore(article_id))
            menu.addSeparator()
            menu.addAction("Delete permanently…", lambda: self.delete_for_good(article_id))
            return menu
        menu.addAction("Open in editor", lambda: self.open_requested.emit(article_id))
        menu.addAction("Export…", lambda: self.export_requested.emit(article_id))
        status_menu = menu.addMenu("Change status")
        for status in sorted(
            allowed_transitions(ArticleStatus(row.status)), key=list(ArticleStatus).index
        ):
            status_menu.addAction(status.label, partial(self.set_status, article_id, status.value))
        status_menu.setEnabled(not status_menu.isEmpty())
        menu.addSeparator()
        menu.addAction(self.delete_action)
        return menu

    def on_context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid():
            self.table.selectRow(index.row())
        menu = self.context_menu()
        if not menu.isEmpty():
            menu.exec(self.table.viewport().mapToGlobal(pos))

    def on_delete_key(self) -> None:
        article_id = self.current_id()
        if article_id is None:
            return
        if self.in_trash:
            self.delete_for_good(article_id)
        else:
            self.delete(article_id)

    def delete(self, article_id: int) -> bool:
        """Ask, then move the article to the Trash; the notice offers Undo."""
        title = self._title(article_id)
        if not dialogs.confirm(
            self,
            "Move to the Trash?",
            f"Move “{title}” to the Trash?\n\nIt leaves the lists, search and exports, with "
            "its comments; Restore in the Trash brings it back.",
        ):
            return False
        try:
            self._services.articles.delete(article_id, actor=self._actor)
        except UserError as exc:
            self.failed.emit(str(exc))
            return False
        self.articles_changed.emit()
        self.notice.emit(f"“{title}” moved to the Trash", partial(self.restore, article_id))
        return True

    def restore(self, article_id: int) -> bool:
        try:
            row = self._services.articles.restore(article_id, actor=self._actor)
        except UserError as exc:
            self.failed.emit(str(exc))
            return False
        self.articles_changed.emit()
        self.notice.emit(f"“{row.title}” is back from the Trash", None)
        return True

    def delete_for_good(self, article_id: int) -> bool:
        title = self._title(article_id)
        if not dialogs.confirm(
            self,
            "Delete permanently?",
            f"Delete “{title}” permanently, with its revisions and reader comments?\n\n"
            "This cannot be undone.",
        ):
            return False
        try:
            self._services.articles.delete_for_good(article_id)
        except UserError as exc:
            self.failed.emit(str(exc))
            return False
        self.articles_changed.emit()
        self.notice.emit(f"“{title}” was deleted permanently", None)
        return True

    def set_status(self, article_id: int, status: str) -> None:
        try:
            detail = self._services.articles.set_status(article_id, status, actor=self._actor)
        except UserError as exc:
            self.failed.emit(str(exc))
            return
        self.articles_changed.emit()
        self.notice.emit(f"“{detail.title}” is now {ArticleStatus(detail.status).label}", None)

    def _title(self, article_id: int) -> str:
        i = self.model.row_of_id(article_id)
        row = self.model.row_at(i) if i is not None else None
        return row.title if row is not None else f"article {article_id}"

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
        prefetched, self._prefetched = self._prefetched, None
        try:
            detail = (
                prefetched
                if prefetched is not None and prefetched.id == article_id
                else self._services.articles.detail(article_id)
            )
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
