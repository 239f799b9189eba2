"""The questions the Authors area asks, in one place, so tests can answer them instead.

Each helper blocks in a modal dialog and returns plain values; tests monkeypatch the helper.
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import Enum

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from editor_app.ui import dialogs, file_dialogs

PHOTO_FILTER = "Pictures (*.jpg *.jpeg *.png *.gif *.webp);;All files (*)"
PAGE_FILTER = "Web pages (*.html *.htm);;All files (*)"


class ConflictChoice(Enum):
    RELOAD = "reload"
    OVERWRITE = "overwrite"
    CANCEL = "cancel"


def ask_photo_path(parent: QWidget | None) -> str:
    return file_dialogs.open_file_name(parent, "Choose a photo", "", PHOTO_FILTER)


def ask_author_page_path(parent: QWidget | None, suggested: str) -> str:
    return file_dialogs.save_file_name(parent, "Export the author page", suggested, PAGE_FILTER)


def ask_link_url(parent: QWidget | None, current: str) -> str | None:
    """The address for a link in the bio; an empty answer removes the link, None cancels."""
    text, ok = QInputDialog.getText(
        parent,
        "Link",
        "Web address (leave empty to remove the link):",
        QLineEdit.EchoMode.Normal,
        current or "https://",
    )
    return text.strip() if ok else None


def ask_conflict(parent: QWidget | None, message: str, changed: Sequence[str]) -> ConflictChoice:
    """Someone saved the profile first: take their version, or save ours over it?"""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("The profile was changed elsewhere")
    box.setText(message + ".")
    what = ", ".join(changed) if changed else "the profile (no field you can see differs)"
    box.setInformativeText(
        f"They changed: {what}.\n\n"
        "Reload their version (your edits are dropped), or overwrite it with yours?"
    )
    reload = box.addButton("Reload their version", QMessageBox.ButtonRole.AcceptRole)
    overwrite = box.addButton("Overwrite with mine", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(reload)
    box.exec()
    clicked = box.clickedButton()
    if clicked is reload:
        return ConflictChoice.RELOAD
    if clicked is overwrite:
        return ConflictChoice.OVERWRITE
    return ConflictChoice.CANCEL


def ask_discard_changes(parent: QWidget | None, name: str) -> bool:
    """The profile form has unsaved edits and the user is leaving it."""
    return dialogs.confirm(
        parent,
        "Unsaved changes",
        f"Discard your unsaved changes to “{name}”?",
        QMessageBox.StandardButton.Discard,
        QMessageBox.StandardButton.Cancel,
    )
