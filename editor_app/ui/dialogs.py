"""Every modal question the window asks, in one place, so tests can answer them instead."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QMessageBox, QWidget

from editor_app.ui import file_dialogs

IMPORT_FILTER = (
    "Everything Copydesk reads (*.txt *.xml *.wxr *.md *.markdown *.docx *.html *.htm *.json);;"
    "Page dumps (*.txt);;WordPress exports (*.xml *.wxr);;Markdown (*.md *.markdown);;"
    "Word documents (*.docx);;Web pages (*.html *.htm);;Ghost or Copydesk JSON (*.json);;"
    "All files (*)"
)


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """An error, as plain text: messages quote readers' and sites' words, never markup."""
    box = QMessageBox(
        QMessageBox.Icon.Critical, title, message, QMessageBox.StandardButton.Ok, parent
    )
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.exec()


def confirm(
    parent: QWidget | None,
    title: str,
    text: str,
    yes: QMessageBox.StandardButton = QMessageBox.StandardButton.Yes,
    no: QMessageBox.StandardButton = QMessageBox.StandardButton.No,
) -> bool:
    """A question with two answers; the safe one (`no`) is the default."""
    return QMessageBox.question(parent, title, text, yes | no, no) == yes


def ask_import_paths(parent: QWidget | None) -> list[str]:
    return file_dialogs.open_file_names(parent, "Import files", "", IMPORT_FILTER)


def run_dialog(dialog: QDialog) -> int:
    """Show a dialog modally; tests replace this to fill it in and accept it."""
    return dialog.exec()
