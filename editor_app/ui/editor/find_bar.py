"""Find and replace in the body: plain text or regular expressions, whole words, case.

Matching runs Python's ``re`` on the document's raw text, whose positions are the
document's positions, so a replacement may use groups (``\\1``) and "Replace all" is one
edit block: one Ctrl+Z undoes it.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextEdit,
    QWidget,
)


class FindBar(QWidget):
    def __init__(self, edit: QTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findBar")
        self.edit = edit
        self.find_text = QLineEdit()
        self.find_text.setObjectName("findText")
        self.find_text.setPlaceholderText("Find")
        self.find_text.setMinimumWidth(220)
        self.replace_text = QLineEdit()
        self.replace_text.setObjectName("replaceText")
        self.replace_text.setPlaceholderText("Replace with")
        self.replace_text.setMinimumWidth(220)
        self.regex = QCheckBox("Regular expression")
        self.whole = QCheckBox("Whole words")
        self.case = QCheckBox("Match case")
        self.next_button = QPushButton("Next")
        self.prev_button = QPushButton("Previous")
        self.replace_button = QPushButton("Replace")
        self.replace_all_button = QPushButton("Replace all")
        self.close_button = QPushButton("✕")
        self.close_button.setFlat(True)
        self.close_button.setToolTip("Close (Esc)")
        self.status = QLabel("")
        grid = QGridLayout(self)
        grid.setContentsMargins(6, 4, 6, 4)
        grid.addWidget(self.find_text, 0, 0)
        grid.addWidget(self.prev_button, 0, 1)
        grid.addWidget(self.next_button, 0, 2)
        grid.addWidget(self.regex, 0, 3)
        grid.addWidget(self.whole, 0, 4)
        grid.addWidget(self.case, 0, 5)
        grid.addWidget(self.close_button, 0, 6)
        grid.addWidget(self.replace_text, 1, 0)
        grid.addWidget(self.replace_button, 1, 1)
        grid.addWidget(self.replace_all_button, 1, 2)
        grid.addWidget(self.status, 1, 3, 1, 4)
        grid.setColumnStretch(0, 1)
        self._connect_signals()
        self.hide()

    def _connect_signals(self) -> None:
        self.find_text.returnPressed.connect(self.find_next)
        self.next_button.clicked.connect(self.find_next)
        self.prev_button.clicked.connect(lambda: self.find_next(backward=True))
        self.replace_button.clicked.connect(self.replace_one)
        self.replace_all_button.clicked.connect(self.replace_all)
        self.replace_text.returnPressed.connect(self.replace_one)
        self.close_button.clicked.connect(self.close_bar)

    def open_bar(self, *, with_replace: bool) -> None:
        for widget in (self.replace_text, self.replace_button, self.replace_all_button):
            widget.setVisible(with_replace)
        self.show()
        selected = self.edit.textCursor().selectedText()
        if selected and "\u2029" not in selected:
            self.find_text.setText(selected)
        self.find_text.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_text.selectAll()

    def close_bar(self) -> None:
        self.hide()
        self.edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def keyPressEvent(self, e: QKeyEvent) -> None:
        if e.key() == Qt.Key.Key_Escape:
            self.close_bar()
            return
        super().keyPressEvent(e)

    # Matching ---------------------------------------------------------------------------------
    def pattern(self) -> re.Pattern[str] | None:
        text = self.find_text.text()
        if not text:
            return None
        source = text if self.regex.isChecked() else re.escape(text)
        if self.whole.isChecked():
            source = rf"\b(?:{source})\b"
        try:
            return re.compile(source, 0 if self.case.isChecked() else re.IGNORECASE)
        except re.error as exc:
            self.status.setText(f"Not a valid expression: {exc}")
            return None

    def _text(self) -> str:
        raw = self.edit.document().toRawText()
        return raw.replace("\u2029", "\n").replace("\u2028", "\n")

    def matches(self) -> list[re.Match[str]]:
        pattern = self.pattern()
        if pattern is None:
            return []
        return [m for m in pattern.finditer(self._text()) if m.end() > m.start()]

    def find_next(self, backward: bool = False) -> bool:
        found = self.matches()
        if not found:
            self.status.setText("No matches" if self.find_text.text() else "")
            return False
        cursor = self.edit.textCursor()
        if backward:
            before = [m for m in found if m.end() < cursor.selectionEnd()]
            match = before[-1] if before else found[-1]
        else:
            after = [m for m in found if m.start() >= cursor.selectionEnd()]
            if cursor.hasSelection():
                after = [m for m in found if m.start() >= cursor.selectionEnd()]
            match = after[0] if after else found[0]
        self._select(match.start(), match.end())
        index = found.index(match) + 1
        self.status.setText(f"{index} of {len(found)}")
        return True

    def _select(self, start: int, end: int) -> None:
        cursor = self.edit.textCursor()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        self.edit.setTextCursor(cursor)
        # Not at the bottom edge, right above this bar: a third of the way down.
        reveal = getattr(self.edit, "reveal", None)
        if reveal is not None:
            reveal(cursor)

    def replace_one(self) -> None:
        """Replace the selected match (if the selection is one) and go to the next."""
        cursor = self.edit.textCursor()
        pattern = self.pattern()
        if pattern is not None and cursor.hasSelection():
            text = self._text()
            match = pattern.fullmatch(text, cursor.selectionStart(), cursor.selectionEnd())
            if match is not None:
                cursor.insertText(match.expand(self.replace_text.text()))
        self.find_next()

    def replace_all(self) -> int:
        found = self.matches()
        if not found:
            self.status.setText("No matches")
            return 0
        replacement = self.replace_text.text()
        cursor = QTextCursor(self.edit.document())
        cursor.beginEditBlock()
        for match in reversed(found):
            cursor.setPosition(match.start())
            cursor.setPosition(match.end(), QTextCursor.MoveMode.KeepAnchor)
            cursor.insertText(match.expand(replacement))
        cursor.endEditBlock()
        self.status.setText(f"Replaced {len(found)}")
        return len(found)
