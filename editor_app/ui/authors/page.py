"""The Authors area: a searchable, sortable list of bylines beside one profile.

The list selects one author to show (the current item) or two to merge (Ctrl+click). The
profile pane shows and edits; this page owns the actions that touch more than one profile:
new author, merge and its undo, and the public author page export.
"""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QIcon, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QSplitter,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor_app.domain.errors import UserError
from editor_app.domain.identity import current_user
from editor_app.domain.text import normalise_name
from editor_app.services.authors import MergeResult
from editor_app.services.container import Services
from editor_app.services.dto import AuthorDetail, AuthorRow
from editor_app.ui import dialogs, glyphs
from editor_app.ui.authors import dialogs as author_dialogs
from editor_app.ui.authors.avatar import greyed, round_avatar
from editor_app.ui.authors.merge import MergeDialog
from editor_app.ui.authors.profile import ProfilePane
from editor_app.ui.models import ID_ROLE, format_time

SORTS = (("Name", "name"), ("Most articles", "articles"), ("Last published", "last_published"))
COL_NAME, COL_ROLE, COL_ARTICLES, COL_LAST = range(4)
LIST_AVATAR = 28


def page_file_name(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", normalise_name(name)).strip("-")
    return f"{slug or 'author'}.html"


class AuthorsPage(QWidget):
    """Signals:
    article_requested(int article_id): a title in a profile was clicked
    authors_changed(): profiles or bylines changed; counts and article views need a refresh
    merged(object result): a merge finished (a MergeResult); offer to undo it
    message(str): a line for the status bar
    """

    article_requested = Signal(int)
    authors_changed = Signal()
    merged = Signal(object)
    message = Signal(str)

    def __init__(
        self,
        services: Services,
        parent: QWidget | None = None,
        *,
        pane: ProfilePane | None = None,
    ):
        """``pane``: the profile pane, built already (the window's start-up builds it in a
        turn of the event loop of its own: it is half of this page's widgets)."""
        super().__init__(parent)
        self._services = services
        # author id -> (what the avatar was drawn from, the avatar)
        self._avatars: dict[int, tuple[tuple[object, ...], QIcon]] = {}
        self.last_merge: MergeResult | None = None
        colour = self.palette().color(QPalette.ColorRole.WindowText).name()

        self.new_action = QAction(glyphs.icon("fa6s.user-plus", color=colour), "&New author…")
        self.new_action.setShortcut(QKeySequence("Ctrl+Shift+N"))
        self.new_action.setToolTip("Add an author profile (Ctrl+Shift+N)")
        self.merge_action = QAction(glyphs.icon("fa6s.code-merge", color=colour), "&Merge authors…")
        self.merge_action.setToolTip("Merge the two selected profiles (Ctrl+click to select two)")
        self.merge_action.setEnabled(False)
        self.export_action = QAction("E&xport author page…")
        self.export_action.setToolTip("Save the selected author's public page as HTML")
        self.undo_merge_action = QAction("Undo &merge")
        self.undo_merge_action.setEnabled(False)
        for action in (
            self.new_action,
            self.merge_action,
            self.export_action,
            self.undo_merge_action,
        ):
            action.setParent(self)

        self.search = QLineEdit()
        self.search.setObjectName("authorSearch")
        self.search.setPlaceholderText("Search authors")
        self.search.setClearButtonEnabled(True)
        self.search.addAction(
            glyphs.icon("fa6s.magnifying-glass", color=colour),
            QLineEdit.ActionPosition.LeadingPosition,
        )
        self.sort = QComboBox()
        self.sort.setObjectName("authorSort")
        self.sort.setToolTip("Sort the list")
        for label, key in SORTS:
            self.sort.addItem(f"Sort: {label}", key)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)

        self.list = QTreeWidget()
        self.list.setObjectName("authorsList")
        self.list.setColumnCount(4)
        self.list.setHeaderLabels(["Name", "Role", "Articles", "Last published"])
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setIconSize(QSize(LIST_AVATAR, LIST_AVATAR))
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        header = self.list.header()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for col in (COL_ROLE, COL_ARTICLES, COL_LAST):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)

        self.pane = pane if pane is not None else ProfilePane(services)
        self.view = self.pane.view  # the read-only profile, as callers knew it before the pane
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("authorsSplitter")
        self.splitter.addWidget(self._list_panel())
        self.splitter.addWidget(self.pane)
        # Half and half: at 2:3 a 1280 px window cut "Dev Okonkwo-Hale" to "Dev Ok…", the
        # role and counts taking their room first.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([560, 560])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._connect_signals()

    def _list_panel(self) -> QWidget:
        panel = QWidget()
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.sort)
        for action in (self.new_action, self.merge_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
            bar.addWidget(button)
        column = QVBoxLayout(panel)
        column.setContentsMargins(0, 4, 0, 0)
        column.setSpacing(4)
        column.addLayout(bar)
        column.addWidget(self.list, 1)
        return panel

    def _connect_signals(self) -> None:
        self.list.currentItemChanged.connect(self.on_current_changed)
        self.list.itemSelectionChanged.connect(self.on_selection_changed)
        self.search.textChanged.connect(self._search_timer.start)
        self._search_timer.timeout.connect(self.on_search_changed)
        self.sort.currentIndexChanged.connect(self.on_sort_changed)
        self.pane.article_requested.connect(self.article_requested)
        self.pane.saved.connect(self.on_profile_saved)
        self.pane.photo_changed.connect(self.on_photo_changed)
        self.pane.export_requested.connect(self.export_author_page)
        self.pane.message.connect(self.message)
        self.new_action.triggered.connect(self.on_new_triggered)
        self.merge_action.triggered.connect(self.on_merge_triggered)
        self.export_action.triggered.connect(self.on_export_triggered)
        self.undo_merge_action.triggered.connect(self.on_undo_merge_triggered)

    # The list ---------------------------------------------------------------------------
    def sort_key(self) -> str:
        return str(self.sort.currentData())

    def refresh(self, select: int | None = None) -> None:
        """Reload the list; the selection and an open form survive it."""
        current = select if select is not None else (self.current_id() or self.pane.author_id)
        selected = {current} if select is not None else set(self.selected_ids())
        search = normalise_name(self.search.text())
        try:
            rows = self._services.authors.list(search=search, sort=self.sort_key())
        except UserError as exc:
            self.message.emit(str(exc))
            return
        self.list.blockSignals(True)
        self.list.clear()
        keep: QTreeWidgetItem | None = None
        for row in rows:
            item = self._item(row)
            self.list.addTopLevelItem(item)
            item.setSelected(row.id in selected)
            if row.id == current:
                keep = item
        if keep is None and self.list.topLevelItemCount() and not self.pane.is_editing:
            keep = self.list.topLevelItem(0)
        if keep is not None:
            self.list.setCurrentItem(keep, 0, QItemSelectionModel.SelectionFlag.NoUpdate)
            self.list.scrollToItem(keep)
        self.list.blockSignals(False)
        self.on_selection_changed()
        if self.pane.is_editing:
            return
        if keep is not None:
            self.pane.show_author(int(keep.data(COL_NAME, ID_ROLE)))
        else:
            self.pane.clear("No author matches the search." if search else "No authors yet.")

    def _item(self, row: AuthorRow) -> QTreeWidgetItem:
        last = format_time(row.last_published)[:10]
        item = QTreeWidgetItem([row.name, row.role, str(row.articles), last])
        item.setData(COL_NAME, ID_ROLE, row.id)
        item.setTextAlignment(
            COL_ARTICLES, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )
        item.setIcon(COL_NAME, self._avatar(row))
        item.setToolTip(COL_NAME, row.name)  # whole, should the column be narrowed
        if not row.active:
            grey = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
            for col in range(self.list.columnCount()):
                item.setForeground(col, grey)
                item.setToolTip(col, f"{row.name} — former, no longer writes for us")
        return item

    def _avatar(self, row: AuthorRow) -> QIcon:
        """The list's avatar, drawn once per author and change: a refresh (each keystroke of
        the search) then costs no photo query or decoding."""
        key = (row.name, row.active, row.has_photo, row.updated_at, self.devicePixelRatioF())
        cached = self._avatars.get(row.id)
        if cached is not None and cached[0] == key:
            return cached[1]
        photo = self._photo(row.id) if row.has_photo else None
        avatar = round_avatar(
            photo, row.name, LIST_AVATAR, self.palette(), dpr=self.devicePixelRatioF()
        )
        icon = QIcon(greyed(avatar) if not row.active else avatar)
        self._avatars[row.id] = (key, icon)
        return icon

    def _photo(self, author_id: int) -> bytes | None:
        try:
            found = self._services.authors.photo(author_id)
        except UserError:
            return None
        return found[0] if found else None

    def names(self) -> list[str]:
        items = (self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount()))
        return [item.text(COL_NAME) for item in items if item is not None]

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(COL_NAME, ID_ROLE)) if item is not None else None

    def selected_ids(self) -> list[int]:
        return [int(item.data(COL_NAME, ID_ROLE)) for item in self.list.selectedItems()]

    def select_author(self, author_id: int, *, add: bool = False) -> bool:
        """Make the author current (and, with `add`, add it to the selection)."""
        for i in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(i)
            if item is not None and int(item.data(COL_NAME, ID_ROLE)) == author_id:
                if add:
                    item.setSelected(True)
                    return True
                self.list.setCurrentItem(item)
                return True
        return False

    # Actions ----------------------------------------------------------------------------
    def start_new_author(self) -> None:
        if not self.pane.confirm_leave():
            return
        self.list.blockSignals(True)
        self.list.clearSelection()
        self.list.setCurrentIndex(QModelIndex())
        self.list.blockSignals(False)
        self.on_selection_changed()
        self.pane.start_new()

    def merge_selected(self) -> MergeResult | None:
        ids = self.selected_ids()
        if len(ids) != 2:
            self.message.emit("Select exactly two authors to merge (Ctrl+click the second)")
            return None
        if not self.pane.confirm_leave():
            return None
        self.pane.leave_edit()
        authors = self._services.authors
        try:
            first, second = (authors.detail(i) for i in ids)
        except UserError as exc:
            dialogs.show_error(self, "Copydesk", str(exc))
            return None
        dialog = MergeDialog(first, second, {i: self._photo(i) for i in ids}, self)
        if dialogs.run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return None
        try:
            result = authors.merge(
                dialog.keep_id, dialog.other_id, take=dialog.take(), actor=current_user()
            )
        except UserError as exc:
            dialogs.show_error(self, "Copydesk", str(exc))
            return None
        self.last_merge = result
        self.undo_merge_action.setEnabled(True)
        self.refresh(select=result.kept_id)
        self.merged.emit(result)
        self.authors_changed.emit()
        return result

    def undo_last_merge(self) -> AuthorDetail | None:
        result = self.last_merge
        if result is None:
            self.message.emit("There is no merge to undo")
            return None
        try:
            detail = self._services.authors.undo_merge(result.merge_id)
        except UserError as exc:
            dialogs.show_error(self, "Copydesk", str(exc))
            return None
        finally:
            self.last_merge = None
            self.undo_merge_action.setEnabled(False)
        self.pane.leave_edit()
        self.refresh(select=detail.id)
        self.message.emit(f"Merge undone: “{detail.name}” is back with their bylines")
        self.authors_changed.emit()
        return detail

    def export_author_page(self, author_id: int) -> Path | None:
        """The public page (name, bio, links, published work; never the email) as HTML."""
        name = self.pane.detail.name if self.pane.detail else "author"
        path = author_dialogs.ask_author_page_path(self, str(Path.home() / page_file_name(name)))
        if not path:
            return None
        try:
            written = self._services.files.write(
                Path(path), self._services.exports.author_page(author_id)
            )
        except UserError as exc:
            dialogs.show_error(self, "Copydesk", str(exc))
            return None
        self.message.emit(f"Exported the author page to {written}")
        return written

    # Slots ------------------------------------------------------------------------------
    def on_current_changed(
        self, current: QTreeWidgetItem | None, previous: QTreeWidgetItem | None
    ) -> None:
        if self.pane.is_editing:
            if not self.pane.confirm_leave():
                self.list.blockSignals(True)
                if previous is not None:
                    self.list.setCurrentItem(previous)
                else:
                    self.list.setCurrentIndex(QModelIndex())
                self.list.blockSignals(False)
                return
            self.pane.leave_edit()
        if current is None:
            self.pane.clear()
            return
        self.pane.show_author(int(current.data(COL_NAME, ID_ROLE)))

    def on_selection_changed(self) -> None:
        self.merge_action.setEnabled(len(self.list.selectedItems()) == 2)
        self.export_action.setEnabled(self.current_id() is not None)

    def on_search_changed(self) -> None:
        self.refresh()

    def on_sort_changed(self, _index: int) -> None:
        self.refresh()

    def on_new_triggered(self) -> None:
        self.start_new_author()

    def on_merge_triggered(self) -> None:
        self.merge_selected()

    def on_undo_merge_triggered(self) -> None:
        self.undo_last_merge()

    def on_export_triggered(self) -> None:
        author_id = self.current_id()
        if author_id is None:
            self.message.emit("Choose an author to export first")
            return
        self.export_author_page(author_id)

    def on_profile_saved(self, detail: AuthorDetail) -> None:
        self.refresh(select=detail.id)
        self.authors_changed.emit()

    def on_photo_changed(self, author_id: int) -> None:
        self.refresh(select=author_id)

    # Qt events --------------------------------------------------------------------------
    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self.list.topLevelItemCount():
            self._avatars.clear()  # initials are drawn in the palette's colours
            self.refresh()
