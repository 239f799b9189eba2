"""A one-line field that wraps: the headline, the dek and the slug show whole at any width.

It is a QPlainTextEdit that grows to fit its text and refuses line breaks (Enter moves on,
pasted breaks become spaces), with the part of QLineEdit's interface the editor uses.

Signals:
    textEdited(str): the writer changed the text (not emitted by :meth:`setText`)
"""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QKeyEvent, QResizeEvent, QTextOption
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QSizePolicy, QWidget


class WrapLineEdit(QPlainTextEdit):
    textEdited = Signal(str)

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._setting = False
        self.setPlainText(text)
        self.textChanged.connect(self._on_changed)
        self.document().documentLayout().documentSizeChanged.connect(self._fit)
        self._fit()

    # The QLineEdit part ------------------------------------------------------------------------
    def text(self) -> str:
        return self.toPlainText()

    def setText(self, text: str) -> None:
        self._setting = True
        try:
            self.setPlainText(" ".join(text.splitlines()))
        finally:
            self._setting = False
        self._fit()

    def selectAll(self) -> None:
        super().selectAll()

    def setFlat(self) -> None:
        """No frame: the field reads as part of the page (headline, dek)."""
        self.setFrameShape(QFrame.Shape.NoFrame)

    # Behaviour -------------------------------------------------------------------------------
    def _on_changed(self) -> None:
        self._fit()
        if not self._setting:
            self.textEdited.emit(self.toPlainText())

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.focusNextChild()
            e.accept()
            return
        super().keyPressEvent(e)

    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasText():
            self.insertPlainText(" ".join(source.text().split()))

    def _fit(self, *_args: object) -> None:
        lines = max(1, round(self.document().documentLayout().documentSize().height()))
        line_height = self.fontMetrics().lineSpacing()
        margins = self.contentsMargins()
        doc_margin = self.document().documentMargin()
        # Two pixels of slack: a text that fills the viewport exactly still makes
        # QPlainTextEdit count its last line as cut off (a scroll range of one line).
        height = lines * line_height + 2 * doc_margin + margins.top() + margins.bottom() + 2
        if self.height() != height:
            self.setFixedHeight(int(height))

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        self._fit()

    def sizeHint(self) -> QSize:
        return QSize(200, self.height())
