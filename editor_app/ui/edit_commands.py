"""Edit menu commands (undo, redo, cut, copy, paste) run on the widget that has the focus.

Text fields do them themselves; a list or table copies its selected rows as text; anything
else says it cannot, so the caller can fall back (the moderation queue's own Undo, say).
"""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

COMMANDS = ("undo", "redo", "cut", "copy", "paste")
_CHANGES = ("undo", "redo", "cut", "paste")


def _text_widget(widget: QWidget | None) -> QLineEdit | QTextEdit | QPlainTextEdit | None:
    if isinstance(widget, QLineEdit | QTextEdit | QPlainTextEdit):
        return widget
    if isinstance(widget, QComboBox) and widget.isEditable():
        return widget.lineEdit()
    if isinstance(widget, QAbstractSpinBox):
        return widget.findChild(QLineEdit)
    return None


def run(widget: QWidget | None, command: str) -> bool:
    """Run the command on `widget`; False when it has nothing to do it with."""
    if command not in COMMANDS:
        raise ValueError(f"unknown edit command {command!r}")
    text = _text_widget(widget)
    if text is not None:
        if command in _CHANGES and text.isReadOnly():
            return False
        getattr(text, command)()
        return True
    if command == "copy" and isinstance(widget, QAbstractItemView):
        return copy_rows(widget)
    return False


def copy_rows(view: QAbstractItemView) -> bool:
    """The selected rows' cells, tab-separated, one row a line (as a spreadsheet pastes)."""
    model = view.model()
    selection = view.selectionModel()
    if model is None or selection is None:
        return False
    rows = sorted({i.row() for i in selection.selectedIndexes()})
    if not rows:
        return False
    columns = range(model.columnCount())
    lines = ["\t".join(str(model.index(r, c).data() or "") for c in columns) for r in rows]
    QGuiApplication.clipboard().setText("\n".join(lines))
    return True
