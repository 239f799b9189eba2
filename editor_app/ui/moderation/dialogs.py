"""The questions the moderation area asks, in one place, so tests can answer them instead.

Each helper blocks in a modal dialog and returns plain values; tests monkeypatch the helper.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from editor_app.domain.sorting import natural_key
from editor_app.domain.statuses import CommentStatus
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
    """An editor's reply, signed with one of the newsroom's author profiles.

    The cursor starts in the reply (typing goes into the text, never into the list of
    names); "Sign as" starts on the user's own profile from Preferences and filters as you
    type. Replying to a pending comment approves it, and the dialog says so.
    """

    def __init__(
        self,
        row: CommentRow,
        authors: Sequence[AuthorRow],
        parent: QWidget | None = None,
        *,
        mine: int | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(f"Reply to {row.display_name}")
        self.resize(560, 340)
        self.text = QPlainTextEdit()
        self.text.setObjectName("replyText")
        self.text.setPlaceholderText("Your reply, published at once under the chosen byline")
        self.author = QComboBox()
        self.author.setObjectName("replySignAs")
        self.author.setEditable(True)
        self.author.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        for a in sorted(authors, key=lambda a: natural_key(a.name)):
            self.author.addItem(f"{a.name} ({a.role})" if a.role else a.name, a.id)
        completer = self.author.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        own = self.author.findData(mine) if mine is not None else -1
        self.author.setCurrentIndex(own)
        line = self.author.lineEdit()
        if own < 0 and line is not None:
            line.setPlaceholderText("Type a name (set yours in Preferences)")
        quoted = QLabel(f"<i>{escape(row.body[:240])}</i>")
        quoted.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(quoted)
        self.approves = QLabel(
            "This comment is pending: replying approves it, so readers see what you answer."
        )
        self.approves.setObjectName("replyApproves")
        self.approves.setWordWrap(True)
        self.approves.setVisible(row.status == CommentStatus.PENDING.value)
        layout.addWidget(self.approves)
        form = QFormLayout()
        form.addRow("Reply", self.text)
        form.addRow("Sign as", self.author)
        layout.addLayout(form)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Approve and reply" if self.approves.isVisibleTo(self) else "Reply")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.text.textChanged.connect(self._update_ok)
        self.author.currentTextChanged.connect(self._update_ok)
        self._update_ok()
        self.text.setFocus(Qt.FocusReason.OtherFocusReason)

    def author_id(self) -> int | None:
        """The profile whose name is in the box (typed or chosen), or None."""
        index = self.author.findText(self.author.currentText().strip())
        return int(self.author.itemData(index)) if index >= 0 else None

    def _update_ok(self, *_args: object) -> None:
        self.ok.setEnabled(bool(self.text.toPlainText().strip()) and self.author_id() is not None)


def ask_reply(
    parent: QWidget | None, row: CommentRow, authors: Sequence[AuthorRow], mine: int | None = None
) -> tuple[str, int] | None:
    dialog = ReplyDialog(row, authors, parent, mine=mine)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    author_id = dialog.author_id()
    if author_id is None:
        return None
    return dialog.text.toPlainText(), author_id
