"""The Moderation area: the comment queue, one comment in its thread, and the four actions.

Single-key shortcuts (A, H, S, D; J/K to move) only fire while focus is inside this page,
so typing in the search box never moderates anything.
"""

from __future__ import annotations

import getpass

import qtawesome
from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor_app.domain.errors import UserError
from editor_app.domain.statuses import CommentStatus
from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter
from editor_app.ui.article_html import comment_context_html
from editor_app.ui.models import CommentTableModel
from editor_app.ui.rich_view import RichView

FILTERS: tuple[tuple[str, str | None], ...] = (
    ("All", None),
    ("Pending", CommentStatus.PENDING.value),
    ("Approved", CommentStatus.APPROVED.value),
    ("Spam", CommentStatus.SPAM.value),
    ("Trash", CommentStatus.TRASH.value),
)

# (label, target status, shortcut, icon)
ACTIONS: tuple[tuple[str, CommentStatus, str, str], ...] = (
    ("Approve", CommentStatus.APPROVED, "A", "fa6s.check"),
    ("Hold", CommentStatus.PENDING, "H", "fa6s.pause"),
    ("Spam", CommentStatus.SPAM, "S", "fa6s.ban"),
    ("Trash", CommentStatus.TRASH, "D", "fa6s.trash"),
)


class ModerationPage(QWidget):
    """Signals:
    statuses_changed(): comments moved between queues; counts need a refresh
    article_requested(int article_id): the article title in the context pane was clicked
    failed(str message): a moderation action was refused
    """

    statuses_changed = Signal()
    article_requested = Signal(int)
    failed = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self._services = services
        self._actor = getpass.getuser()
        self._shown_id: int | None = None

        self.filter_combo = QComboBox()
        self.filter_combo.setObjectName("statusFilter")
        for label, status in FILTERS:
            self.filter_combo.addItem(label, status)

        bar = QHBoxLayout()
        bar.addWidget(QLabel("Show:"))
        bar.addWidget(self.filter_combo)
        bar.addStretch(1)
        self.actions_by_status: dict[str, QAction] = {}
        for label, status, key, icon in ACTIONS:
            action = QAction(qtawesome.icon(icon), f"{label} ({key})", self)
            action.setShortcut(QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setToolTip(f"{label} the selected comment ({key})")
            action.setData(status.value)
            self.addAction(action)
            self.actions_by_status[status.value] = action
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            bar.addWidget(button)
        self.next_action = self._move_action("Next comment", "J", 1)
        self.previous_action = self._move_action("Previous comment", "K", -1)

        self.model = CommentTableModel(services, parent=self)
        self.table = QTableView()
        self.table.setObjectName("commentsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 110), (2, 170), (3, 75), (4, 120)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, width)

        self.context_view = RichView("Select a comment to see it in its thread.")
        self.context_view.setObjectName("commentContext")

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("moderationSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.context_view)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([720, 440])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.splitter)
        self._connect_signals()
        self._update_actions()

    def _move_action(self, text: str, key: str, step: int) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda: self.move_selection(step))
        self.addAction(action)
        return action

    def _connect_signals(self) -> None:
        self.filter_combo.currentIndexChanged.connect(self.on_filter_changed)
        self.table.selectionModel().selectionChanged.connect(self.on_selection_changed)
        self.context_view.article_link.connect(self.article_requested)
        for action in self.actions_by_status.values():
            action.triggered.connect(lambda _c=False, a=action: self.on_action(str(a.data())))

    # Reading --------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the queue from the store, keeping the selected comment when it is still there."""
        keep = self.current_id()
        self.model.reset()
        if self.model.canFetchMore():
            self.model.fetchMore()
        row = self.model.row_of_id(keep) if keep is not None else None
        if row is not None:
            self.table.selectRow(row)
        elif self.model.rowCount():
            self.table.selectRow(0)
        else:
            self._show(None)

    def set_status_filter(self, status: str | None) -> None:
        index = self.filter_combo.findData(status)
        self.filter_combo.setCurrentIndex(max(index, 0))

    def current_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        item = self.model.row_at(rows[0].row())
        return item.id if item else None

    def show_comment(self, comment_id: int) -> None:
        row = self.model.row_of_id(comment_id)
        if row is not None:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self.table.clearSelection()
            self._show(comment_id)

    def move_selection(self, step: int) -> None:
        rows = self.table.selectionModel().selectedRows()
        target = rows[0].row() + step if rows else 0
        if target >= self.model.rowCount() and self.model.canFetchMore():
            self.model.fetchMore()
        if 0 <= target < self.model.rowCount():
            self.table.selectRow(target)
            self.table.scrollTo(self.model.index(target, 0))

    # Slots ----------------------------------------------------------------------------
    def on_filter_changed(self, _index: int) -> None:
        status = self.filter_combo.currentData()
        self.model.set_filter(CommentFilter(status=status))
        self.refresh()

    def on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        self._show(self.current_id())

    def on_action(self, status: str) -> None:
        comment_id = self._shown_id
        if comment_id is None:
            return
        try:
            changed = self._services.comments.set_status([comment_id], status, actor=self._actor)
        except UserError as exc:
            self.failed.emit(str(exc))
            return
        for row in changed:
            self.model.replace(row)
        self._show(comment_id)
        self.statuses_changed.emit()

    def _show(self, comment_id: int | None) -> None:
        self._shown_id = comment_id
        self._update_actions()
        if comment_id is None:
            self.context_view.show_placeholder()
            return
        try:
            ctx = self._services.comments.context(comment_id)
        except UserError as exc:
            self.context_view.show_placeholder(str(exc))
            return
        self.context_view.show_render(lambda colours: comment_context_html(ctx, colours))

    def _update_actions(self) -> None:
        for action in self.actions_by_status.values():
            action.setEnabled(self._shown_id is not None)
