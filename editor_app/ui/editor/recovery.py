"""Work the last session did not save: offered at start, with what differs from the save."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from editor_app.services.editing import AutosaveInfo
from editor_app.ui.editor.diff_view import diff_html

RECOVER, DISCARD = "recover", "discard"


class RecoveryDialog(QDialog):
    """Checked drafts are recovered (or discarded); unchecked ones are asked about next time."""

    def __init__(self, infos: tuple[AutosaveInfo, ...], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Recover unsaved work")
        self.resize(720, 520)
        self.infos = {info.draft_key: info for info in infos}
        self.choice: str | None = None
        intro = QLabel(
            "Copydesk kept work that was not saved when it last closed. Recover it to open it "
            "in the editor (marked unsaved), or discard it."
        )
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setObjectName("recoveryList")
        # A long title is elided (whole in the tooltip): no sideways scrolling.
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        for info in infos:
            when = info.saved_at.astimezone().strftime("%Y-%m-%d %H:%M")
            kind = "new article" if info.article_id is None else f"article #{info.article_id}"
            item = QListWidgetItem(f"{info.title} — {kind}, autosaved {when}")
            item.setData(Qt.ItemDataRole.UserRole, info.draft_key)
            item.setToolTip(item.text())
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self.view = QTextBrowser()
        self.view.setObjectName("recoveryDiff")
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.list)
        split.addWidget(self.view)
        split.setSizes([140, 360])
        buttons = QDialogButtonBox()
        self.recover_button = QPushButton("Recover")
        self.discard_button = QPushButton("Discard")
        buttons.addButton(self.recover_button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(self.discard_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        later = buttons.addButton("Ask me later", QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)
        self.recover_button.clicked.connect(lambda: self.choose(RECOVER))
        self.discard_button.clicked.connect(lambda: self.choose(DISCARD))
        later.clicked.connect(self.reject)
        self.list.currentRowChanged.connect(self.on_row_changed)
        self.list.setCurrentRow(0)

    def on_row_changed(self, row: int) -> None:
        item = self.list.item(row)
        if item is None:
            return
        info = self.infos[item.data(Qt.ItemDataRole.UserRole)]
        self.view.setHtml(diff_html(info.diff, self.palette(), empty="No differences."))

    def checked_keys(self) -> list[str]:
        return [
            str(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()
