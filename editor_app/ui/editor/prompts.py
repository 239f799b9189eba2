"""Every question the editor asks, in one place, so tests can answer them instead."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
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


@dataclass(frozen=True)
class FigureDetails:
    caption: str
    credit: str
    alt: str  # empty only when the writer said the picture is decorative


class FigureDialog(QDialog):
    """Caption, credit and alt text of a new figure, with the picture beside them.

    Alt text is required, unless the writer deliberately marks the picture decorative.
    """

    def __init__(self, image: QImage, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Insert figure")
        self.preview = QLabel()
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setPixmap(
            QPixmap.fromImage(image).scaled(
                420,
                240,
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
        )
        self.file_label = QLabel(f"{name} · {image.width()} × {image.height()} px")  # noqa: RUF001
        self.caption = QPlainTextEdit()
        self.caption.setObjectName("newFigureCaption")
        self.caption.setTabChangesFocus(True)
        self.caption.setPlaceholderText("What the picture shows and why it matters")
        self.caption.setFixedHeight(64)
        self.credit = QLineEdit()
        self.credit.setObjectName("newFigureCredit")
        self.credit.setPlaceholderText("Photographer / agency")
        self.alt = QLineEdit()
        self.alt.setObjectName("newFigureAlt")
        self.alt.setPlaceholderText("What the image shows, for readers who cannot see it")
        self.decorative = QCheckBox("Decorative: it adds nothing a screen reader should say")
        self.decorative.setObjectName("newFigureDecorative")
        self.hint = QLabel("")
        self.hint.setObjectName("newFigureHint")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Insert")
        form = QFormLayout()
        form.addRow("Caption", self.caption)
        form.addRow("Credit", self.credit)
        form.addRow("Alt text", self.alt)
        form.addRow("", self.decorative)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview)
        layout.addWidget(self.file_label)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.alt.textChanged.connect(self.update_state)
        self.decorative.toggled.connect(self.update_state)
        self.update_state()
        self.caption.setFocus()

    def update_state(self, *_args: object) -> None:
        decorative = self.decorative.isChecked()
        self.alt.setEnabled(not decorative)
        ok = decorative or bool(self.alt.text().strip())
        self.hint.setText(
            "" if ok else "Describe the picture in the alt text, or mark it decorative."
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def details(self) -> FigureDetails:
        return FigureDetails(
            caption=" ".join(self.caption.toPlainText().split()),
            credit=self.credit.text().strip(),
            alt="" if self.decorative.isChecked() else self.alt.text().strip(),
        )


def ask_figure_details(parent: QWidget | None, image: QImage, path: str) -> FigureDetails | None:
    """Caption, credit and alt text for a picture about to go in; None cancels."""
    dialog = FigureDialog(image, Path(path).name, parent)
    if dialogs.run_dialog(dialog) != QDialog.DialogCode.Accepted:
        return None
    return dialog.details()
