"""After a merge, the status bar says what happened and offers to undo it.

The offer is a permanent status-bar widget (temporary messages hide ordinary ones) that shows
while the merge message does, and triggers the page's Undo merge action.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QPushButton, QStatusBar

from editor_app.services.authors import MergeResult

OFFER_MS = 30_000


class MergeUndoOffer(QObject):
    def __init__(self, status_bar: QStatusBar, undo_action: QAction):
        super().__init__(status_bar)
        self._bar = status_bar
        self._action = undo_action
        self._text = ""
        self.button = QPushButton("Undo merge")
        self.button.setObjectName("undoMergeButton")
        self.button.setFlat(True)
        self.button.setToolTip("Bring the merged profile back with its bylines (Edit → Undo merge)")
        self.button.hide()
        status_bar.addPermanentWidget(self.button)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.button.clicked.connect(self._action.trigger)
        self._bar.messageChanged.connect(self.on_message_changed)
        self._action.changed.connect(self.on_action_changed)

    def offer(self, result: MergeResult) -> None:
        moved = result.moved_bylines
        self._text = f"Merged two author profiles; {moved} byline{'s' if moved != 1 else ''} moved"
        self._bar.showMessage(self._text, OFFER_MS)
        self.button.show()

    def on_message_changed(self, text: str) -> None:
        if text != self._text:
            self.button.hide()

    def on_action_changed(self) -> None:
        if not self._action.isEnabled():
            self.button.hide()
