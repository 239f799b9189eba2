"""The questions the moderation area asks, in one place, so tests can answer them instead.

Each helper blocks in a modal dialog and returns plain values; tests monkeypatch the helper.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from editor_app.services.dto import AuthorRow, CommentRow
from editor_app.ui import dialogs, file_dialogs

CSV_FILTER = "CSV files (*.csv);;All files (*)"


def ask_apply_anyway(parent: QWidget | None, message: str) -> bool:
    """Another moderator acted first: apply ours over theirs?"""
    return dialogs.confirm(
        parent, "Someone else moderated this", f"{message}.\n\nApply your action anyway?"
    )


def ask_csv_path(parent: QWidget | None, suggested: str) -> str:
    return file_dialogs.save_file_name(parent, "Export the audit log", suggested, CSV_FILTER)


class EditDialog(QDialog):
    """The comment's words to change; the reader's original stays on record."""

    def __init__(self, row: CommentRow, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Edit the comment by {row.display_name}")
        self.resize(560, 320)
        self.text = QPlainTextEdit(row.body)
        layout = QVBoxLayout(self)
        if row.original_body is not None:
            note = QLabel(
                f"Edited before by {escape(row.edited_by or 'a moderator')}. "
                f"Original: <i>{escape(row.original_body[:300])}</i>"
            )
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addWidget(self.text)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def ask_edit(parent: QWidget | None, row: CommentRow) -> str | None:
    dialog = EditDialog(row, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.text.toPlainText()


class ReplyDialog(QDialog):
    """An editor's reply, signed with one of the newsroom's author profiles."""

    def __init__(
        self, row: CommentRow, authors: Sequence[AuthorRow], parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.setWindowTitle(f"Reply to {row.display_name}")
        self.resize(560, 320)
        self.author = QComboBox()
        for a in authors:
            self.author.addItem(f"{a.name} ({a.role})" if a.role else a.name, a.id)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Your reply, published at once under the chosen byline")
        form = QFormLayout()
        form.addRow("Sign as", self.author)
        form.addRow("Reply", self.text)
        quoted = QLabel(f"<i>{escape(row.body[:240])}</i>")
        quoted.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(quoted)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)


def ask_reply(
    parent: QWidget | None, row: CommentRow, authors: Sequence[AuthorRow]
) -> tuple[str, int] | None:
    dialog = ReplyDialog(row, authors, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.author.currentIndex() < 0:
        return None
    return dialog.text.toPlainText(), int(dialog.author.currentData())
