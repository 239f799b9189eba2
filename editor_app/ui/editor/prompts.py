"""Every question the editor asks, in one place, so tests can answer them instead."""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from editor_app.ui import dialogs, file_dialogs

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.webp);;All files (*)"


def valid_link(url: str) -> bool:
    """http(s) with a host, or mailto with an address: what a published link may be."""
    parts = urlsplit(url.strip())
    if parts.scheme in ("http", "https"):
        return bool(parts.netloc) and " " not in url.strip()
    if parts.scheme == "mailto":
        return "@" in parts.path
    return False


class LinkDialog(QDialog):
    def __init__(self, current: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Link")
        self.url = QLineEdit(current)
        self.url.setPlaceholderText("https://… or mailto:…")
        self.hint = QLabel("")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Address (leave empty to remove the link):"))
        layout.addWidget(self.url)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.url.textChanged.connect(self.on_url_changed)
        self.on_url_changed(current)

    def on_url_changed(self, text: str) -> None:
        ok = not text.strip() or valid_link(text)
        self.hint.setText("" if ok else "Use an http://, https:// or mailto: address")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)


def ask_link(parent: QWidget | None, current: str) -> str | None:
    """The address to link to; "" removes the link, None cancels."""
    dialog = LinkDialog(current, parent)
    if dialogs.run_dialog(dialog) != QDialog.DialogCode.Accepted:
        return None
    return dialog.url.text().strip()


def ask_unsaved(parent: QWidget | None, title: str) -> str:
    """ "save", "discard" or "cancel" for an editor with unsaved work."""
    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(
        parent,
        "Unsaved changes",
        f"“{title or 'Untitled'}” has changes that are not saved.\nSave them?",
        buttons.Save | buttons.Discard | buttons.Cancel,
        buttons.Save,
    )
    return {buttons.Save: "save", buttons.Discard: "discard"}.get(answer, "cancel")


def ask_figure_path(parent: QWidget | None) -> str:
    return file_dialogs.open_file_name(parent, "Insert figure", "", IMAGE_FILTER)


def ask_choice(dialog: QDialog) -> str | None:
    """Run a dialog that sets ``choice`` (conflict, recovery); None when dismissed."""
    if dialogs.run_dialog(dialog) != QDialog.DialogCode.Accepted:
        return None
    choice = getattr(dialog, "choice", None)
    return str(choice) if choice else None
