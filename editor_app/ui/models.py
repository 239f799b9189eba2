"""Lazy table models: pages of DTOs from a service, fetched as the view scrolls.

Each model keeps only frozen DTOs and the keyset cursor of the last page. ``reset()`` starts
over (a filter changed, or an import added rows); the view then asks ``canFetchMore`` again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from editor_app.services.container import Services
from editor_app.services.dto import ArticleRow, CommentFilter, CommentRow, Page

T = TypeVar("T")
Cursor = Any
AnyIndex = QModelIndex | QPersistentModelIndex
FetchPage = Callable[[Cursor, int], Page[T]]

ID_ROLE = Qt.ItemDataRole.UserRole + 1


def format_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def excerpt(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


class LazyTableModel(QAbstractTableModel, Generic[T]):
    """Rows come in pages; ``fetchMore`` asks the service for the next one."""

    columns: Sequence[str] = ()

    def __init__(self, fetch: FetchPage[T], page_size: int = 200, parent: QObject | None = None):
        super().__init__(parent)
        self._fetch = fetch
        self.page_size = page_size
        self._rows: list[T] = []
        self._cursor: Cursor = None
        self._more = True
        self._busy = False

    # Qt overrides -----------------------------------------------------------------------
    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return self.columns[section]
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self.display(row, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.tooltip(row, index.column())
        if role == ID_ROLE:
            return getattr(row, "id", None)
        return None

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008 - Qt's signature
        return not parent.isValid() and self._more

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008 - Qt's signature
        # Not from inside our own reset or insert signals (Qt's model tester calls back from
        # there): rows inserted while a change is being announced confuse listeners.
        if parent.isValid() or not self._more or self._busy:
            return
        self._busy = True
        try:
            page = self._fetch(self._cursor, self.page_size)
            self._cursor = page.next_cursor
            self._more = page.next_cursor is not None
            if page.rows:
                first = len(self._rows)
                # Qt's last row is inclusive.
                self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
                self._rows.extend(page.rows)
                self.endInsertRows()
        finally:
            self._busy = False

    # Our API ----------------------------------------------------------------------------
    def display(self, row: T, column: int) -> str:
        raise NotImplementedError

    def tooltip(self, row: T, column: int) -> str | None:
        return None

    def reset(self) -> None:
        self._busy = True
        try:
            self.beginResetModel()
            self._rows = []
            self._cursor = None
            self._more = True
            self.endResetModel()
        finally:
            self._busy = False

    def row_at(self, row: int) -> T | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of_id(self, item_id: int) -> int | None:
        for i, r in enumerate(self._rows):
            if getattr(r, "id", None) == item_id:
                return i
        return None

    def replace(self, item: T) -> None:
        """Swap in a fresher DTO of a row already shown (after a moderation action)."""
        i = self.row_of_id(getattr(item, "id", -1))
        if i is None:
            return
        self._rows[i] = item
        self.dataChanged.emit(self.index(i, 0), self.index(i, len(self.columns) - 1))


class ArticleTableModel(LazyTableModel[ArticleRow]):
    columns = ("Title", "Status", "Byline", "Comments", "Updated")

    def __init__(self, services: Services, page_size: int = 200, parent: QObject | None = None):
        super().__init__(
            lambda after, limit: services.articles.page(after=after, limit=limit),
            page_size,
            parent,
        )

    def display(self, row: ArticleRow, column: int) -> str:
        if column == 0:
            return row.title
        if column == 1:
            return row.status.capitalize()
        if column == 2:
            return row.byline
        if column == 3:
            return f"{row.comments} ({row.pending} pending)" if row.pending else str(row.comments)
        return format_time(row.updated_at)

    def tooltip(self, row: ArticleRow, column: int) -> str | None:
        return row.title if column == 0 else None


class CommentTableModel(LazyTableModel[CommentRow]):
    columns = ("Commenter", "Comment", "Article", "Status", "Posted")

    def __init__(self, services: Services, page_size: int = 200, parent: QObject | None = None):
        self._filter = CommentFilter()
        super().__init__(
            lambda after, limit: services.comments.page(self._filter, after=after, limit=limit),
            page_size,
            parent,
        )

    @property
    def filter(self) -> CommentFilter:
        return self._filter

    def set_filter(self, flt: CommentFilter) -> None:
        self._filter = flt
        self.reset()

    def display(self, row: CommentRow, column: int) -> str:
        if column == 0:
            return row.display_name
        if column == 1:
            return excerpt(row.body)
        if column == 2:
            return row.article_title
        if column == 3:
            return row.status.capitalize()
        return format_time(row.posted_at)

    def tooltip(self, row: CommentRow, column: int) -> str | None:
        return excerpt(row.body, 600) if column == 1 else None
