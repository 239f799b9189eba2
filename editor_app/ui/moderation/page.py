"""The Moderation area: queues, filters, the comment table, its detail, and the actions.

Single-key shortcuts (A, H, S, D, E, R; J/K to move; Ctrl+Z) belong to this page only, and a
text field takes its own keys first, so typing in the search box never moderates anything.

Speed: an action writes one small batch synchronously (a few milliseconds on SQLite), swaps
the returned rows into the model and moves the selection; the detail pane of the next comment
(thread, explanation, history: three reads and a scoring) and the queue counts are loaded just
after the table repaints, so the moderator sees the queue move at once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import partial

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QPoint,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QColor,
    QHideEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QSizePolicy,
    QSplitter,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor_app.domain.errors import Conflict, UserError
from editor_app.domain.identity import current_user
from editor_app.domain.sorting import natural_key
from editor_app.domain.statuses import CommentStatus
from editor_app.services.container import Services
from editor_app.services.dto import ActionResult, CommentFilter, CommentRow
from editor_app.services.moderation import ACTION_TARGET
from editor_app.ui import glyphs
from editor_app.ui.models import (
    COL_COMMENT,
    COL_SCORE,
    COL_SITE,
    COL_STATUS,
    CommentTableModel,
    excerpt,
)
from editor_app.ui.moderation import dialogs as moderation_dialogs
from editor_app.ui.moderation.audit import AuditDialog
from editor_app.ui.moderation.detail import ModerationDetail
from editor_app.ui.moderation.filters import QueueFilters
from editor_app.ui.moderation.html import risk_colour
from editor_app.ui.moderation.jobs import ModerationJobs
from editor_app.ui.moderation.settings import RulesDialog
from editor_app.ui.theme import mix
from editor_app.workers.jobs import JobManager

# (label, service action, target status, shortcut, icon)
ACTIONS: tuple[tuple[str, str, CommentStatus, str, str], ...] = (
    ("Approve", "approve", CommentStatus.APPROVED, "A", "fa6s.check"),
    ("Hold", "hold", CommentStatus.PENDING, "H", "fa6s.pause"),
    ("Spam", "spam", CommentStatus.SPAM, "S", "fa6s.ban"),
    ("Trash", "trash", CommentStatus.TRASH, "D", "fa6s.trash"),
)
ACTION_OF_STATUS = {status.value: action for _l, action, status, _k, _i in ACTIONS}
DONE_WORDS = {"approve": "Approved", "hold": "Held", "spam": "Marked as spam", "trash": "Trashed"}
STATUS_LABEL = {"pending": "Pending", "approved": "Approved", "spam": "Spam", "trash": "Trash"}
QUEUE_OF_STATUS = {status: status for status in STATUS_LABEL}


class ElidedLabel(QLabel):
    """One line that ends in … when the room is short; the whole text is its tooltip."""

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        painter.drawText(
            rect, int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft), text
        )


class ModerationPage(QWidget):
    """Signals:
    statuses_changed(): comments moved between queues; counts need a refresh
    article_requested(int article_id): the article title in the detail pane was clicked
    failed(str message): a moderation action was refused
    notice(str text, object undo): what an action did, for the status bar, and a callable
        that takes it back (None when it cannot be undone)
    status(str text): any other message of the page (a job's summary, rules saved…); a
        window that shows these in its status bar hides the page's own message line
    """

    statuses_changed = Signal()
    article_requested = Signal(int)
    failed = Signal(str)
    notice = Signal(str, object)
    status = Signal(str)

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        *,
        jobs: JobManager | None = None,
        detail: ModerationDetail | None = None,
    ):
        """``detail``: the comment's side panel, built already (the window's start-up builds
        it in a turn of the event loop of its own)."""
        super().__init__(parent)
        self._services = services
        self._jobs = jobs
        self._actor = current_user()
        self._shown: CommentRow | None = None
        self._defer_detail = False
        # Comments acted on since the queue was last loaded: the selection skips them.
        self._handled: set[int] = set()
        # Set by the Sites controller: a comment's state on its site, one line.
        self.site_state: Callable[[int], str] | None = None
        self.background = ModerationJobs(services.moderation, self.jobs, self)
        self.rules_dialog: RulesDialog | None = None
        self.audit_dialog: AuditDialog | None = None

        self.filters = QueueFilters()
        self.actions_by_status: dict[str, QAction] = {}
        # One row of buttons with short labels (the key in the tooltip) that fits a 1280 px
        # window whole: nothing hides behind an overflow button. What each action did is
        # said in the window's status bar, with Undo.
        bar = QWidget()
        bar.setObjectName("moderationActions")
        row = QHBoxLayout(bar)
        row.setContentsMargins(2, 0, 2, 0)
        row.setSpacing(0)
        for label, _action, status, key, icon in ACTIONS:
            action = self._shortcut(label, key, icon)
            action.setToolTip(f"{label} the selected comments ({key})")
            action.setData(status.value)
            self.actions_by_status[status.value] = action
            row.addWidget(self._button(action))
        row.addSpacing(8)
        self.edit_action = self._shortcut("Edit", "E", "fa6s.pen")
        self.edit_action.setToolTip("Edit the comment's text; the original is kept (E)")
        self.reply_action = self._shortcut("Reply", "R", "fa6s.reply")
        self.reply_action.setToolTip("Reply as an editor; a pending comment is approved (R)")
        self.undo_action = self._shortcut("Undo", "Ctrl+Z", "fa6s.rotate-left")
        self._can_undo = False  # an action of this session's is there to take back
        self.undo_action.setToolTip("Take back your last action, all of its comments (Ctrl+Z)")
        for action in (self.edit_action, self.reply_action, self.undo_action):
            row.addWidget(self._button(action))
        self.next_action = self._shortcut("Next comment", "J")
        self.previous_action = self._shortcut("Previous comment", "K")
        self.message = ElidedLabel()
        self.message.setObjectName("moderationMessage")
        # Takes the room that is left, and no more: a long message never widens the window.
        self.message.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.message.setContentsMargins(8, 0, 8, 0)
        row.addWidget(self.message, 1)
        row.addStretch(0)  # the buttons stay at the right when a window hides the message
        self.rules_button = self._tool_button("Rules…", "fa6s.sliders")
        self.rules_button.setToolTip("Moderation rules: words, links, score (with a dry run)")
        self.run_rules_button = self._tool_button("Run rules", "fa6s.play")
        self.run_rules_button.setToolTip("Run the rules on every pending comment, as a job")
        self.rescore_button = self._tool_button("Rescore", "fa6s.gauge")
        self.rescore_button.setToolTip("Score every comment again, as a job")
        self.audit_button = self._tool_button("Audit log…", "fa6s.clock-rotate-left")
        self.audit_button.setToolTip("Every moderation decision: who, when, which comment, why")
        for button in (
            self.rules_button,
            self.run_rules_button,
            self.rescore_button,
            self.audit_button,
        ):
            row.addWidget(button)

        self.model = CommentTableModel(services, parent=self)
        self.model.risk_brush = self._risk_brush
        self.model.dim_brush = QBrush(mix(self._colour("Text"), self._colour("Base"), 0.55))
        self.table = QTableView()
        self.table.setObjectName("commentsTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        # Two lines a row: the comment's words wrap onto the second (elided at its end, whole
        # in the tooltip), and a long name or title fits instead of being cut at once.
        self.table.setWordWrap(True)
        rows = self.table.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.table.fontMetrics().lineSpacing() * 2 + 10)
        self.table.verticalHeader().hide()
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        # The comment's words get the room; the rest is narrow, elided, with tooltips.
        header.setSectionResizeMode(COL_COMMENT, QHeaderView.ResizeMode.Stretch)
        widths = ((0, 104), (2, 100), (COL_STATUS, 66), (COL_SCORE, 44), (5, 92), (COL_SITE, 64))
        for col, width in widths:
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Interactive)
            self.table.setColumnWidth(col, width)
        header.setMinimumSectionSize(36)
        header.moveSection(COL_SCORE, COL_STATUS)  # shown as …, Article, Score, Status, Posted

        self.detail = detail if detail is not None else ModerationDetail()
        self.context_view = self.detail.context_view
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("moderationSplitter")
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([640, 380])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filters)
        layout.addWidget(bar)
        layout.addWidget(self.splitter, 1)

        self._detail_timer = QTimer(self)
        self._detail_timer.setSingleShot(True)
        self._detail_timer.setInterval(0)
        self._queued: list[tuple[str, list[CommentRow]]] = []
        self._write_timer = QTimer(self)
        self._write_timer.setSingleShot(True)
        self._write_timer.setInterval(0)
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(0)
        self.model.set_filter(self.filters.current_filter())  # the Pending queue
        self.model.hold()  # filled by refresh(), on the first visit
        self._connect_signals()
        self._update_actions()

    # Building ---------------------------------------------------------------------------
    def _colour(self, role: str) -> QColor:
        return self.palette().color(getattr(self.palette().ColorRole, role))

    def _risk_brush(self, score: float) -> QBrush | None:
        colour = risk_colour(self.palette(), score)
        return QBrush(colour) if colour is not None else None

    def _shortcut(self, text: str, key: str, icon: str = "") -> QAction:
        action = QAction(text, self)
        if icon:
            action.setIcon(glyphs.icon(icon, color=self._colour("WindowText")))
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(action)
        return action

    def _button(self, action: QAction) -> QToolButton:
        button = QToolButton()
        button.setDefaultAction(action)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        button.setIconSize(QSize(16, 16))
        return button

    def _tool_button(self, text: str, icon: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setIcon(glyphs.icon(icon, color=self._colour("WindowText")))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        button.setAutoRaise(True)
        button.setIconSize(QSize(16, 16))
        return button

    def _connect_signals(self) -> None:
        self.filters.changed.connect(self.on_filter_changed)
        self.filters.search.returnPressed.connect(self.filters.flush_typing)
        self.table.selectionModel().selectionChanged.connect(self.on_selection_changed)
        self.table.customContextMenuRequested.connect(self.on_context_menu)
        self.detail.article_requested.connect(self.article_requested)
        self.detail.ban_toggled.connect(self.on_ban_toggled)
        self.detail.trust_toggled.connect(self.on_trust_toggled)
        self.detail.commenter_requested.connect(self.on_commenter_requested)
        for action in self.actions_by_status.values():
            action.triggered.connect(lambda _c=False, a=action: self.on_action(str(a.data())))
        self.edit_action.triggered.connect(self.on_edit)
        self.reply_action.triggered.connect(self.on_reply)
        self.undo_action.triggered.connect(self.on_undo)
        self.next_action.triggered.connect(lambda: self.move_selection(1))
        self.previous_action.triggered.connect(lambda: self.move_selection(-1))
        self.rules_button.clicked.connect(self.on_rules_clicked)
        self.run_rules_button.clicked.connect(self.on_run_rules_clicked)
        self.rescore_button.clicked.connect(self.on_rescore_clicked)
        self.audit_button.clicked.connect(self.on_audit_clicked)
        self._detail_timer.timeout.connect(self.on_detail_due)
        self._write_timer.timeout.connect(self.flush_writes)
        self.background.started.connect(self._tell)
        self.background.finished.connect(self.on_job_finished)
        self.background.unavailable.connect(self.failed)
        self._counts_timer.timeout.connect(self.refresh_counts)

    # Reading ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the queue from the store, keeping the selected comment when it is still there."""
        self.flush_writes()
        keep = self.current_id()
        self._handled.clear()
        self.model.reset()
        if self.model.canFetchMore():
            self.model.fetchMore()
        row = self.model.row_of_id(keep) if keep is not None else None
        if row is not None:
            self._select_row(row, defer=False)
        elif self.model.rowCount():
            self._select_row(0, defer=False)
        else:
            self._show(None)
        self.refresh_counts()
        self._refresh_articles()

    def refresh_counts(self) -> None:
        self._counts_timer.stop()
        counts = self._services.comments.counts()
        labels = {k: str(v) for k, v in counts.items()}
        labels["all"] = str(sum(counts.values()))
        labels["held"] = str(self._services.comments.count_matching(CommentFilter(held_only=True)))
        self.filters.set_counts(labels)

    def _refresh_articles(self) -> None:
        choices = self._services.comments.article_choices()
        self.filters.set_articles(sorted(choices, key=lambda c: natural_key(c[1])))

    def set_status_filter(self, status: str | None) -> None:
        """Show a status's queue (None: all); "held" shows the comments the rules held."""
        self.filters.set_status(status)

    def current_row(self) -> CommentRow | None:
        sm = self.table.selectionModel()
        current = sm.currentIndex()
        if current.isValid() and sm.isRowSelected(current.row()):
            return self.model.row_at(current.row())
        rows = sm.selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def current_id(self) -> int | None:
        row = self.current_row()
        return row.id if row else None

    def selected_rows(self) -> list[CommentRow]:
        return self.model.rows_at([i.row() for i in self.table.selectionModel().selectedRows()])

    def show_comment(self, comment_id: int) -> None:
        """Select a comment (from search, say) in a queue that holds it.

        When the list in view does not hold it, the list switches to the comment's own
        queue on its article, so what is selected is what an action acts on and the
        comment stays in view after it.
        """
        self.flush_writes()
        row = self.model.row_of_id(comment_id)
        if row is None:
            try:
                found = self._services.comments.get(comment_id)
            except UserError as exc:
                self.table.clearSelection()
                self.detail.clear(str(exc))
                return
            queue = QUEUE_OF_STATUS.get(found.status, "all")
            self.filters.show_only(queue, found.article_id)
            self.model.set_filter(self.filters.current_filter())
            self.refresh()
            row = self._fetch_until(comment_id)
            label = self.filters.tabs.tabText(self.filters.tabs.currentIndex())
            self._say(f"Showing {label.split(' (')[0]} on “{found.article_title}”")
        if row is not None:
            self._select_row(row, defer=False)
        else:  # not in any queue list (should not happen): shown, and nothing selected
            self.table.clearSelection()
            self._show(self._services.comments.get(comment_id))

    def _fetch_until(self, comment_id: int) -> int | None:
        row = self.model.row_of_id(comment_id)
        while row is None and self.model.canFetchMore():
            self.model.fetchMore()
            row = self.model.row_of_id(comment_id)
        return row

    def move_selection(self, step: int) -> None:
        rows = self.table.selectionModel().selectedRows()
        current = self.table.currentIndex().row() if rows else -1
        target = current + step if rows else 0
        if target >= self.model.rowCount() and self.model.canFetchMore():
            self.model.fetchMore()
        if 0 <= target < self.model.rowCount():
            self._select_row(target)

    def _select_row(self, row: int, *, defer: bool = True) -> None:
        index = self.model.index(row, 0)
        self._defer_detail = defer
        try:
            self.table.selectionModel().setCurrentIndex(
                index,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        finally:
            self._defer_detail = False
        self.table.scrollTo(index)

    # Acting -----------------------------------------------------------------------------
    def act(self, action: str, rows: Sequence[CommentRow]) -> bool:
        """Show the action at once and move on; the batch is written right after the repaint.

        The rows change in the model first (the optimistic part) and the selection moves to
        the next comment; the write follows from the event loop, after the table has
        repainted. Anything that reads the store first calls :meth:`flush_writes`.
        """
        self.flush_writes()
        fresh = [r for r in (self._current_version(r) for r in rows) if r is not None]
        if not fresh:
            return False
        target = ACTION_TARGET[action]
        moving = [r for r in fresh if r.status != target]
        if not moving:
            # Nothing moved: the last action can still be taken back (its offer stays).
            self._say(self._already(action, fresh), self.undo if self._can_undo else None)
            return False
        self.model.replace_many([replace(r, status=target) for r in moving], site=False)
        self._handled.update(r.id for r in moving)
        self._advance_past(moving)
        self._tell(self._done(action, moving))
        self._queued.append((action, moving))
        self._write_timer.start()
        return True

    def _done(self, action: str, rows: Sequence[CommentRow]) -> str:
        """Spam: the comment by Ana (“The council…”) is now in Spam"""
        queue = STATUS_LABEL[ACTION_TARGET[action]]
        if len(rows) == 1:
            r = rows[0]
            what = f"the comment by {r.display_name} (“{excerpt(r.body, 48)}”) is"
        else:
            what = f"{self._count(len(rows))} are"
        return f"{DONE_WORDS[action]}: {what} now in {queue}"

    def _already(self, action: str, rows: Sequence[CommentRow]) -> str:
        if action == "hold":
            return (
                "Already pending: readers do not see it. Approve (A) publishes it; "
                "Spam (S) or Trash (D) removes it"
            )
        queue = STATUS_LABEL[ACTION_TARGET[action]]
        one = len(rows) == 1
        return f"{'This comment is' if one else 'These comments are'} already in {queue}"

    def _say(self, text: str, undo: Callable[[], None] | None = None) -> None:
        self.message.setText(text)
        self.notice.emit(text, undo)

    def _tell(self, text: str) -> None:
        self.message.setText(text)
        self.status.emit(text)

    @property
    def has_queued_writes(self) -> bool:
        return bool(self._queued)

    def flush_writes(self) -> None:
        """Write the actions shown but not yet stored, in the order they were taken."""
        self._write_timer.stop()
        while self._queued:
            action, rows = self._queued.pop(0)
            self._write(action, rows)

    def _write(self, action: str, rows: Sequence[CommentRow], *, force: bool = False) -> None:
        ids = [r.id for r in rows]
        # The versions the moderator was looking at: another's action since is a conflict.
        seen = {r.id: r.version for r in rows}
        try:
            result = self._services.moderation.act(
                ids, action, actor=self._actor, seen_versions=seen, force=force
            )
        except Conflict as exc:
            if not force and moderation_dialogs.ask_apply_anyway(self, str(exc)):
                self._write(action, rows, force=True)
            else:
                self._reload_rows(ids)
                self._tell("Not applied: another moderator acted first")
            return
        except UserError as exc:
            self._reload_rows(ids)
            self.failed.emit(str(exc))
            return
        self._after_change(result, self._done(action, rows))

    def _current_version(self, row: CommentRow) -> CommentRow | None:
        """The model's copy of a row (the one with the version last read or written)."""
        i = self.model.row_of_id(row.id)
        return self.model.row_at(i) if i is not None else row

    def _after_change(self, result: ActionResult, message: str, *, undoable: bool = True) -> None:
        self.model.replace_many(result.rows)
        self._can_undo = undoable
        self._say(message, self.undo if undoable else None)
        self._schedule_detail()
        self.statuses_changed.emit()
        self._counts_timer.start()

    def _advance_past(self, rows: Sequence[CommentRow]) -> None:
        """Select the next comment not yet handled: after the acted rows, else before them."""
        last = max((i for r in rows if (i := self.model.row_of_id(r.id)) is not None), default=-1)
        if last < 0:
            return
        target = self._unhandled_from(last + 1, 1)
        if target is None:
            target = self._unhandled_from(last - 1, -1)
        self._select_row(target if target is not None else last)

    def _unhandled_from(self, start: int, step: int) -> int | None:
        i = start
        while i >= 0:
            if i >= self.model.rowCount():
                if step < 0 or not self.model.canFetchMore():
                    return None
                self.model.fetchMore()
                continue
            r = self.model.row_at(i)
            if r is not None and r.id not in self._handled and not self.model.is_left(r.id):
                return i
            i += step
        return None

    def _reload_rows(self, ids: Sequence[int]) -> None:
        """After a refused action: show the rows as the store has them now."""
        fresh = []
        for comment_id in ids:
            try:
                fresh.append(self._services.comments.get(comment_id))
            except UserError:
                continue
        self.model.replace_many(fresh)
        self._schedule_detail()

    @staticmethod
    def _count(n: int) -> str:
        return f"{n} comment{'s' if n != 1 else ''}"

    def undo(self) -> None:
        self.flush_writes()
        try:
            result = self._services.moderation.undo(actor=self._actor)
        except UserError as exc:
            self.failed.emit(str(exc))
            return
        if result is None:
            self._say("Nothing to undo")
            return
        self._handled.difference_update(r.id for r in result.rows)
        self._after_change(
            result, f"Undone: {self._count(result.changed)} restored", undoable=False
        )
        rows = [i for r in result.rows if (i := self.model.row_of_id(r.id)) is not None]
        if rows:
            self._select_row(min(rows))
        for i in rows[1:]:
            self.table.selectionModel().select(
                self.model.index(i, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )

    # Slots ------------------------------------------------------------------------------
    def on_filter_changed(self) -> None:
        self.flush_writes()
        self._handled.clear()
        self.model.set_filter(self.filters.current_filter())
        self.refresh()

    def on_selection_changed(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        if self._defer_detail:
            self._schedule_detail()
        else:
            self._show(self.current_row())

    def on_detail_due(self) -> None:
        self._show(self.current_row())

    def on_action(self, status_or_action: str) -> None:
        """Approve, hold, spam or trash the selection (a status value names its action)."""
        action = ACTION_OF_STATUS.get(status_or_action, status_or_action)
        self.act(action, self.selected_rows() or ([self._shown] if self._shown else []))

    def on_undo(self) -> None:
        self.undo()

    def context_menu(self) -> QMenu:
        """Approve … Trash, Edit, Reply and the comment's article, for the selection."""
        menu = QMenu(self.table)
        for action in self.actions_by_status.values():
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.edit_action)
        menu.addAction(self.reply_action)
        row = self.current_row()
        if row is not None:
            menu.addSeparator()
            menu.addAction(
                f"Open “{excerpt(row.article_title, 40)}”",
                lambda: self.article_requested.emit(row.article_id),
            )
        return menu

    def on_context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid() and not self.table.selectionModel().isRowSelected(index.row()):
            self._select_row(index.row(), defer=False)
        self.context_menu().exec(self.table.viewport().mapToGlobal(pos))

    def on_edit(self) -> None:
        self.flush_writes()
        row = self.current_row()
        if row is None:
            return
        body = moderation_dialogs.ask_edit(self, row)
        if body is None:
            return
        try:
            result = self._services.moderation.edit(
                row.id, body, actor=self._actor, expected_version=row.version
            )
        except UserError as exc:
            self.failed.emit(str(exc))
            self._reload_rows([row.id])
            return
        self.model.replace_many(result.rows)
        self._say(f"Edited the comment by {row.display_name}; the original is kept")
        self._show(result.rows[0])

    def on_reply(self) -> None:
        self.flush_writes()
        row = self.current_row()
        if row is None:
            return
        authors = self._services.authors.list()
        if not authors:
            self.failed.emit("add an author profile first: a reply is signed with one")
            return
        answer = moderation_dialogs.ask_reply(
            self, row, authors, self._services.editor.my_author(self._actor)
        )
        if answer is None:
            return
        body, author_id = answer
        try:
            result = self._services.moderation.reply(
                row.id, body, author_id=author_id, actor=self._actor
            )
        except UserError as exc:
            self.failed.emit(str(exc))
            return
        approved = [r for r in result.rows if r.id == row.id]
        self.model.replace_many(approved)
        if approved:
            self._handled.add(row.id)
            self._can_undo = True
            self._say(f"Reply published; the comment by {row.display_name} is approved", self.undo)
        else:
            self._say(f"Reply to {row.display_name} published")
        self.statuses_changed.emit()
        self._counts_timer.start()
        self._show(approved[0] if approved else row)

    def on_ban_toggled(self, banned: bool) -> None:
        self._set_commenter(banned=banned)

    def on_trust_toggled(self, trusted: bool) -> None:
        self._set_commenter(trusted=trusted)

    def on_commenter_requested(self, key: str) -> None:
        name = self._shown.display_name if self._shown else key
        self.filters.set_commenter(key, name)

    def on_rules_clicked(self) -> None:
        self.open_rules_dialog()

    def on_audit_clicked(self) -> None:
        self.open_audit_dialog()

    def on_run_rules_clicked(self) -> None:
        self.flush_writes()
        self.background.run_rules()

    def on_rescore_clicked(self) -> None:
        self.flush_writes()
        self.background.rescore()

    def on_job_finished(self, summary: str) -> None:
        self._tell(summary)
        self.refresh()

    # Dialogs and jobs --------------------------------------------------------------------
    def open_rules_dialog(self) -> RulesDialog:
        self.flush_writes()
        dialog = RulesDialog(self._services.moderation, self._actor, self, jobs=self.jobs())
        dialog.saved.connect(self.on_rules_saved)
        self.rules_dialog = dialog
        dialog.open()
        return dialog

    def on_rules_saved(self, _version: int) -> None:
        self._tell("Rules saved; they apply to new comments (Run rules on pending)")
        self._schedule_detail()

    def open_audit_dialog(self) -> AuditDialog:
        self.flush_writes()
        dialog = AuditDialog(self._services.moderation, self, self._services.files)
        self.audit_dialog = dialog
        dialog.show()
        return dialog

    def jobs(self) -> JobManager | None:
        if self._jobs is None:
            found = getattr(self.window(), "jobs", None)
            self._jobs = found if isinstance(found, JobManager) else None
        return self._jobs

    # Helpers ----------------------------------------------------------------------------
    def _set_commenter(self, *, banned: bool | None = None, trusted: bool | None = None) -> None:
        self.flush_writes()
        row = self._shown
        if row is None or not row.commenter_key:
            return
        try:
            before = self._services.moderation.history(row.commenter_key)
            history = self._services.moderation.set_commenter(
                row.commenter_key,
                banned=banned,
                trusted=trusted,
                actor=self._actor,
                name=row.author_name,
            )
        except UserError as exc:
            self.failed.emit(str(exc))
            return
        self.detail.show_history(history, row.author_email, row.author_ip, row.author_url)
        state = (
            "banned"
            if history.banned
            else "trusted"
            if history.trusted
            else "neither banned nor trusted"
        )
        back = partial(self._put_commenter_back, row, before.banned, before.trusted)
        self._say(f"{row.display_name} is {state}", back)

    def _put_commenter_back(self, row: CommentRow, banned: bool, trusted: bool) -> None:
        try:
            history = self._services.moderation.set_commenter(
                row.commenter_key,
                banned=banned,
                trusted=trusted,
                actor=self._actor,
                name=row.author_name,
            )
        except UserError as exc:
            self.failed.emit(str(exc))
            return
        if self._shown is not None and self._shown.commenter_key == row.commenter_key:
            self.detail.show_history(history, row.author_email, row.author_ip, row.author_url)
        self._say(f"{row.display_name} is as before")

    def _schedule_detail(self) -> None:
        self._detail_timer.start()

    def _show(self, row: CommentRow | None) -> None:
        self.flush_writes()
        self._detail_timer.stop()
        self._shown = row
        self._update_actions()
        if row is None:
            self.detail.clear()
            return
        try:
            ctx = self._services.comments.context(row.id)
            moderation = self._services.moderation
            # Until the scorer has loaded (a job at start) the stored reasons stand alone.
            why = moderation.explain(row.id) if moderation.scorer_ready() else None
            history = (
                self._services.moderation.history(row.commenter_key) if row.commenter_key else None
            )
        except UserError as exc:
            self.detail.clear(str(exc))
            return
        self.detail.show_comment(ctx, why)
        self.detail.show_history(history, row.author_email, row.author_ip, row.author_url)
        if self.site_state is not None:
            self.detail.show_site_state(self.site_state(row.id))

    def _update_actions(self) -> None:
        enabled = self._shown is not None
        for action in (*self.actions_by_status.values(), self.edit_action, self.reply_action):
            action.setEnabled(enabled)

    def hideEvent(self, event: QHideEvent) -> None:
        self.flush_writes()
        super().hideEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self.model.dim_brush = QBrush(mix(self._colour("Text"), self._colour("Base"), 0.55))
