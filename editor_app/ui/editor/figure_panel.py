"""Caption, credit and alt text of the figure the cursor is on.

Signals:
    edited(): a field changed; read :meth:`apply`
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from editor_app.services.editing import FigureDraft


class FigurePanel(QWidget):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.hint = QLabel("Put the cursor on a figure to edit its caption, credit and alt text.")
        self.hint.setWordWrap(True)
        self.caption = QPlainTextEdit()
        self.caption.setObjectName("figureCaption")
        self.caption.setTabChangesFocus(True)
        self.caption.setMaximumHeight(80)
        self.credit = QLineEdit()
        self.credit.setObjectName("figureCredit")
        self.alt = QLineEdit()
        self.alt.setObjectName("figureAlt")
        self.alt.setPlaceholderText("what the image shows, for readers who cannot see it")
        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        form.addRow(self.hint)
        form.addRow("Caption", self.caption)
        form.addRow("Credit", self.credit)
        form.addRow("Alt text", self.alt)
        self._loading = False
        self.show_figure(None)
        self.caption.textChanged.connect(self.on_edited)
        self.credit.textEdited.connect(self.on_edited)
        self.alt.textEdited.connect(self.on_edited)

    def show_figure(self, fig: FigureDraft | None) -> None:
        self._loading = True
        for widget in (self.caption, self.credit, self.alt):
            widget.setEnabled(fig is not None)
        self.caption.setPlainText(fig.caption if fig else "")
        for field, text in (
            (self.credit, fig.credit if fig else ""),
            (self.alt, fig.alt if fig else ""),
        ):
            field.setText(text)
            field.setToolTip(text)
            if not field.hasFocus():
                # setText leaves the cursor at the end: a long credit read "hoto: Rosa Ker…".
                field.setCursorPosition(0)
        self.hint.setVisible(fig is None)
        self._loading = False

    def apply(self, fig: FigureDraft) -> FigureDraft:
        return replace(
            fig,
            caption=self.caption.toPlainText().strip(),
            credit=self.credit.text().strip(),
            alt=self.alt.text().strip(),
        )

    def on_edited(self, *_args: object) -> None:
        if not self._loading:
            self.edited.emit()
