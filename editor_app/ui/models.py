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
from editor_app.services.sites import SiteState
from editor_app.ui.site_state import describe_state, plain_tooltip, short_state

T = TypeVar("T")
Cursor = Any
AnyIndex = QModelIndex | QPersistentModelIndex
FetchPage = Callable[[Cursor, int], Page[T]]

ID_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE_SIZE = 200  # rows a model reads at a time


def format_time(value: datetime | None) -> str:
    if value is None:
        return ""
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def format_short_time(value: datetime | None) -> str:
    """A compact date for narrow columns: 30 Nov 14:05 this year, 2025-03-02 before."""
    if value is None:
        return ""
    local = value.astimezone()
    if local.year == datetime.now().astimezone().year:
        return local.strftime("%d %b %H:%M")
    return local.strftime("%Y-%m-%d")


def excerpt(text: str, limit: int = 120) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


class LazyTableModel(QAbstractTableModel, Generic[T]):
    """Rows come in pages; ``fetchMore`` asks the service for the next one."""

    columns: Sequence[str] = ()

    def __init__(
        self, fetch: FetchPage[T], page_size: int = PAGE_SIZE, parent: QObject | None = None
    ):
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
            self._install(self._fetch(self._cursor, self.page_size))
        finally:
            self._busy = False

    def _install(self, page: Page[T]) -> None:
        self._cursor = page.next_cursor
        self._more = page.next_cursor is not None
        if page.rows:
            first = len(self._rows)
            # Qt's last row is inclusive.
            self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()

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

    def hold(self) -> None:
        """Read nothing until the next ``reset`` or ``prime``. A page builds its model
        before it is filled; its view (even hidden) would otherwise fetch the first rows
        on its own, on the GUI thread, as soon as it is laid out."""
        self._more = False

    def prime(self, page: Page[T]) -> None:
        """Start over with a first page read already (off the GUI thread, at start-up): the
        rows are installed, nothing is read; ``fetchMore`` goes on from its cursor."""
        self.reset()
        self._busy = True
        try:
            self._install(page)
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
    columns: Sequence[str] = ("Title", "Status", "Byline", "Comments", "Updated")

    def __init__(
        self, services: Services, page_size: int = PAGE_SIZE, parent: QObject | None = None
    ):
        self.trash = False
        super().__init__(
            lambda after, limit: services.articles.page(after=after, limit=limit, trash=self.trash),
            page_size,
            parent,
        )

    def set_trash(self, trash: bool) -> None:
        """Show the Trash (the last column says when each was deleted) or the live list."""
        self.trash = trash
        self.columns = ("Title", "Status", "Byline", "Comments", "Deleted" if trash else "Updated")
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)
        self.reset()

    def display(self, row: ArticleRow, column: int) -> str:
        if column == 0:
            return row.title
        if column == 1:
            return row.status.capitalize()
        if column == 2:
            return row.byline
        if column == 3:
            return f"{row.comments} ({row.pending} pending)" if row.pending else str(row.comments)
        return format_short_time(row.deleted_at if self.trash else row.updated_at)

    def tooltip(self, row: ArticleRow, column: int) -> str | None:
        if column == 0:
            return row.title
        if column == 2:
            return row.byline or None
        if column == 3:
            comments = f"{row.comments:,} comment{'s' if row.comments != 1 else ''}"
            return f"{comments}, {row.pending:,} pending" if row.pending else comments
        if column == 4 and self.trash:
            return f"Moved to the Trash {format_time(row.deleted_at)}"
        if column == 4:
            return f"Updated {format_time(row.updated_at)}"
        return None


# Columns of the comment queue. Status keeps index 3 (callers read it); the view shows Score
# before it by moving the header section, which is a matter of display only.
COMMENT_COLUMNS = ("Commenter", "Comment", "Article", "Status", "Score", "Posted", "Site")
COL_COMMENT = 1
COL_STATUS = 3
COL_SCORE = 4
COL_POSTED = 5
COL_SITE = 6
RiskColour = Callable[[float], Any]
# The site states of some comments (those of a connected site), one query for a page.
SiteStates = Callable[[Sequence[int]], dict[int, SiteState]]
# Site states that change when the outbox drains or a conflict is settled: re-read after a
# send or a job.
_OPEN_SITE_STATES = frozenset({"waiting", "failed", "conflict"})


def format_score(score: float | None) -> str:
    return "" if score is None else f"{score:.2f}"


class CommentTableModel(LazyTableModel[CommentRow]):
    columns = COMMENT_COLUMNS

    def __init__(
        self, services: Services, page_size: int = PAGE_SIZE, parent: QObject | None = None
    ):
        self._filter = CommentFilter()
        # Set by the view's owner: a palette-derived brush for a score, so the model has no
        # colours of its own and follows light and dark themes.
        self.risk_brush: RiskColour | None = None
        # Rows acted on since the last reset that no longer belong in the queue: shown dimmed
        # until the next reload, so the moderator's place in the list does not jump.
        self.dim_brush: Any = None
        self._left: set[int] = set()
        # Set by the Sites controller: each page's site states come with the page (lazy).
        self.site_states: SiteStates | None = None
        self._site: dict[int, SiteState] = {}
        super().__init__(self._page, page_size, parent)
        self._comments = services.comments

    def _page(self, after: Cursor, limit: int) -> Page[CommentRow]:
        page = self._comments.page(self._filter, after=after, limit=limit)
        if self.site_states is not None and page.rows:
            self._site.update(self.site_states([r.id for r in page.rows]))
        return page

    @property
    def filter(self) -> CommentFilter:
        return self._filter

    def set_filter(self, flt: CommentFilter) -> None:
        self._filter = flt
        self.reset()

    def reset(self) -> None:
        self._left = set()
        self._site = {}
        super().reset()

    def site_state(self, comment_id: int) -> SiteState | None:
        return self._site.get(comment_id)

    def refresh_site_states(self, ids: Sequence[int] | None = None) -> None:
        """Re-read the site state of some shown rows (default: those the outbox may have
        sent since), and repaint their Site cells."""
        if self.site_states is None:
            return
        if ids is None:
            ids = [i for i, st in self._site.items() if st.state in _OPEN_SITE_STATES]
        if not ids:
            return
        fresh = self.site_states(ids)
        for i in ids:
            if i in fresh:
                self._site[i] = fresh[i]
            else:
                self._site.pop(i, None)
            row = self.row_of_id(i)
            if row is not None:
                cell = self.index(row, COL_SITE)
                self.dataChanged.emit(cell, cell)

    def display(self, row: CommentRow, column: int) -> str:
        if column == 0:
            return row.display_name
        if column == 1:
            return excerpt(row.body)
        if column == 2:
            return row.article_title
        if column == COL_STATUS:
            return row.status.capitalize()
        if column == COL_SCORE:
            return format_score(row.score)
        if column == COL_SITE:
            return short_state(self._site.get(row.id))
        return format_short_time(row.posted_at)

    def tooltip(self, row: CommentRow, column: int) -> str | None:
        # Readers' words in every one of them: shown as written, never as markup.
        return plain_tooltip(self._tooltip(row, column))

    def _tooltip(self, row: CommentRow, column: int) -> str | None:
        if column == 0:
            return row.display_name + (f" <{row.author_email}>" if row.author_email else "")
        if column == COL_COMMENT:
            return excerpt(row.body, 600)
        if column == 2:
            return row.article_title
        if column == COL_SCORE and row.reasons:
            return "\n".join(row.reasons)
        if column == COL_POSTED:
            return f"Posted {format_time(row.posted_at)}"
        if column == COL_SITE:
            return describe_state(self._site.get(row.id)) or None
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == COL_SCORE:
            row = self.row_at(index.row())
            if row is None or row.score is None or self.risk_brush is None:
                return None
            return self.risk_brush(row.score)
        if role == Qt.ItemDataRole.BackgroundRole and index.column() == COL_SITE:
            # Failed and conflict stand out as a high score does (the palette's risk colour).
            row = self.row_at(index.row())
            st = self._site.get(row.id) if row is not None else None
            if st is None or st.state not in {"failed", "conflict"} or self.risk_brush is None:
                return None
            return self.risk_brush(1.0)
        if role == Qt.ItemDataRole.ForegroundRole and self.dim_brush is not None:
            row = self.row_at(index.row())
            return self.dim_brush if row is not None and row.id in self._left else None
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() == COL_SCORE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return super().data(index, role)

    # Moderation helpers ------------------------------------------------------------------
    def rows_at(self, rows: Sequence[int]) -> list[CommentRow]:
        return [r for i in sorted(set(rows)) if (r := self.row_at(i)) is not None]

    def replace_many(self, items: Sequence[CommentRow], *, site: bool = True) -> None:
        """Swap in fresher rows; those that left the current queue are marked, not removed.
        Their site state is read again (an action on a site comment waits to be sent), unless
        `site` is False (the optimistic repaint of a key: its write reads them after)."""
        for item in items:
            if not self._belongs(item):
                self._left.add(item.id)
            else:
                self._left.discard(item.id)
            self.replace(item)
        if site:
            self.refresh_site_states([item.id for item in items])

    def is_left(self, comment_id: int) -> bool:
        return comment_id in self._left

    def _belongs(self, row: CommentRow) -> bool:
        flt = self._filter
        if flt.held_only:
            return row.status == "pending" and bool(row.reasons)
        return not flt.status or row.status == flt.status
