"""What an action did, in the status bar, with an Undo button beside it.

The button is a permanent status-bar widget (temporary messages hide ordinary ones) shown
while its message is; it runs the undo it was offered with, once.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QPushButton, QStatusBar

from editor_app.ui import glyphs

OFFER_MS = 30_000


class UndoOffer(QObject):
    def __init__(self, status_bar: QStatusBar, name: str = "undoOfferButton"):
        super().__init__(status_bar)
        self._bar = status_bar
        self._text = ""
        self._undo: Callable[[], None] | None = None
        self.button = QPushButton("Undo")
        self.button.setObjectName(name)
        colour = status_bar.palette().color(status_bar.palette().ColorRole.WindowText).name()
        self.button.setIcon(glyphs.icon("fa6s.rotate-left", color=colour))
        self.button.hide()
        status_bar.addPermanentWidget(self.button)
        self.button.clicked.connect(self.on_clicked)
        self._bar.messageChanged.connect(self.on_message_changed)

    @property
    def text(self) -> str:
        return self._text

    def offer(self, text: str, undo: Callable[[], None] | None, *, tip: str = "") -> None:
        """Show the message; with `undo`, an Undo button that runs it."""
        self._text = text
        self._undo = undo
        self.button.setToolTip(tip or "Take this back")
        self._bar.showMessage(text, OFFER_MS)
        self.button.setVisible(undo is not None)

    def on_message_changed(self, text: str) -> None:
        if text != self._text:
            self.button.hide()
            self._undo = None

    def on_clicked(self) -> None:
        undo, self._undo = self._undo, None
        self.button.hide()
        if undo is not None:
            undo()
