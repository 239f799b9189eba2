"""The article's revisions: pick one (against the one before it) or two to compare.

Signals:
    restore_requested(int revision_id)
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from editor_app.domain.errors import UserError
from editor_app.services.dto import RevisionInfo
from editor_app.services.editing import EditorService
from editor_app.ui.editor.diff_view import diff_html

RESTORE_WHY = {
    "none": "Pick an earlier revision in the list to restore it",
    "several": "Pick one revision to restore it; two are for comparing",
    "latest": "This is the current version already",
    "ok": "Make this revision the current text again, as a new revision (nothing is lost)",
}


class HistoryPanel(QWidget):
    restore_requested = Signal(int)

    def __init__(self, editor: EditorService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self.article_id: int | None = None
        self.revisions: tuple[RevisionInfo, ...] = ()
        self.hint = QLabel("Pick a revision to see what it changed, or two to compare them.")
        self.hint.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("revisionList")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setWordWrap(True)  # a long note goes on a second line, not off the edge
        self.view = QTextBrowser()
        self.view.setObjectName("revisionDiff")
        self.restore_button = QPushButton("Restore this version")
        self.view.setPlaceholderText("What the picked revision changed shows here.")
        self.restore_button.setEnabled(False)
        self.restore_button.setToolTip(RESTORE_WHY["none"])
        self.wide_button = QPushButton("Open wide…")
        self.wide_button.setObjectName("openDiffWide")
        self.wide_button.setToolTip("Compare in a large window")
        self.wide_button.setEnabled(False)
        self.wide: DiffWindow | None = None
        self._last_html = ""
        self._last_title = ""
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.list)
        split.addWidget(self.view)
        split.setSizes([160, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.hint)
        layout.addWidget(split, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.wide_button)
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        layout.addLayout(buttons)
        self.list.itemSelectionChanged.connect(self.on_selection_changed)
        self.restore_button.clicked.connect(self.on_restore_clicked)
        self.wide_button.clicked.connect(self.open_wide)

    def load(self, article_id: int | None) -> None:
        self.article_id = article_id
        self.list.clear()
        self.view.clear()
        found = self._editor.revisions(article_id) if article_id is not None else ()
        self.revisions = tuple(sorted(found, key=lambda r: r.id))  # oldest first
        for rev in reversed(self.revisions):  # newest first
            when = rev.saved_at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            item = QListWidgetItem(f"{when} · {rev.saved_by} · {rev.note}")
            item.setToolTip(item.text())
            item.setData(Qt.ItemDataRole.UserRole, rev.id)
            self.list.addItem(item)
        self._update_restore([])

    def _update_restore(self, ids: list[int]) -> None:
        """Restore is for one earlier revision; when it is greyed out, its tooltip says why."""
        if not ids:
            why = "none"
        elif len(ids) > 1:
            why = "several"
        elif ids[0] == self._latest():
            why = "latest"
        else:
            why = "ok"
        self.restore_button.setEnabled(why == "ok")
        self.restore_button.setToolTip(RESTORE_WHY[why])

    def selected_ids(self) -> list[int]:
        ids = [int(i.data(Qt.ItemDataRole.UserRole)) for i in self.list.selectedItems()]
        return sorted(ids)

    def select(self, *revision_ids: int) -> None:
        self.list.clearSelection()
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) in revision_ids:
                item.setSelected(True)

    def on_selection_changed(self) -> None:
        ids = self.selected_ids()
        self.wide_button.setEnabled(False)
        self._last_html = ""
        self._update_restore(ids)
        if self.article_id is None or not ids or len(ids) > 2:
            self.view.clear()
            return
        if len(ids) == 1:
            older = [r.id for r in self.revisions if r.id < ids[0]]
            if not older:
                self.view.setHtml("<p>The first saved version.</p>")
                return
            ids = [older[-1], ids[0]]
        try:
            diffs = self._editor.diff(self.article_id, ids[0], ids[1])
        except UserError as exc:
            self.view.setPlainText(str(exc))
            return
        self._last_html = diff_html(diffs, self.palette(), empty="No differences.")
        self._last_title = " → ".join(self._label(i) for i in ids)
        self.view.setHtml(self._last_html)
        self.wide_button.setEnabled(True)
        if self.wide is not None and self.wide.isVisible():
            self.wide.show_diff(self._last_title, self._last_html)

    def _label(self, revision_id: int) -> str:
        for rev in self.revisions:
            if rev.id == revision_id:
                when = rev.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
                return f"{when} ({rev.saved_by})"
        return f"revision {revision_id}"

    def open_wide(self) -> None:
        """The selected comparison in a large window beside the editor."""
        if not self._last_html:
            return
        if self.wide is None:
            self.wide = DiffWindow(self.window())
        self.wide.show_diff(self._last_title, self._last_html)
        self.wide.show()

    def _latest(self) -> int | None:
        return self.revisions[-1].id if self.revisions else None

    def on_restore_clicked(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.restore_requested.emit(ids[0])


class DiffWindow(QDialog):
    """A wide, non-modal view of one comparison: the side panel is too narrow to read in."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("diffWindow")
        self.setWindowTitle("Compare revisions")
        self.setModal(False)
        self.heading = QLabel("")
        self.heading.setWordWrap(True)
        self.view = QTextBrowser()
        self.view.setObjectName("wideDiff")
        font = self.view.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.view.setFont(font)
        self.view.document().setDocumentMargin(18)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.view, 1)
        layout.addWidget(close)
        # Most of the main window (at least 900 px where the screen has them).
        area = self.screen().availableGeometry()
        owner = parent.window().size() if parent is not None else area.size()
        width = min(area.width(), max(900, int(owner.width() * 0.8)))
        height = min(area.height(), max(600, int(owner.height() * 0.85)))
        self.resize(width, height)

    def show_diff(self, title: str, body_html: str) -> None:
        self.heading.setText(f"<b>{title}</b>")
        self.view.setHtml(body_html)
