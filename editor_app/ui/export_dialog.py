"""Export…: which format, and where. The export itself runs as a job."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from editor_app.ui import file_dialogs

FORMATS = {
    "html": ("Web page (HTML)", ".html"),
    "markdown": ("Markdown with front matter", ".md"),
    "docx": ("Word document (DOCX)", ".docx"),
    "pdf": ("PDF proof", ".pdf"),
    "ninjs": ("NINJS 2.0 (IPTC JSON)", ".ninjs.json"),
    "wxr": ("WordPress export (WXR)", ".xml"),
    "json": ("Copydesk bundle (JSON)", ".json"),
}
ONE_FILE = ("wxr", "json")


class ExportDialog(QDialog):
    def __init__(self, count: int, parent: QWidget | None = None, *, suggested: str = "article"):
        super().__init__(parent)
        self.setWindowTitle("Export")
        self._count = count
        self._suggested = suggested
        self.format = QComboBox()
        for key, (label, _ext) in FORMATS.items():
            self.format.addItem(label, key)
        self.target = QLineEdit()
        browse = QPushButton("Choose…")
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(browse)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout(self)
        form.addRow(QLabel(f"{count} article{'s' if count != 1 else ''}"))
        form.addRow("Format", self.format)
        form.addRow("Save to", row)
        form.addRow(self.note)
        form.addRow(self.buttons)
        browse.clicked.connect(self.on_browse)
        self.format.currentIndexChanged.connect(self.on_format_changed)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.on_format_changed()

    def chosen(self) -> tuple[str, Path]:
        return str(self.format.currentData()), Path(self.target.text().strip())

    def one_file(self) -> bool:
        return self._count == 1 or self.format.currentData() in ONE_FILE

    def on_format_changed(self) -> None:
        key = str(self.format.currentData())
        self.note.setText(
            "Reader comments' emails and IPs are never exported; WXR carries approved comments."
            + ("" if self.one_file() else " Several articles go into a folder, one file each.")
        )
        text = self.target.text().strip()
        if text and self.one_file():
            self.target.setText(str(Path(text).with_suffix("")) + FORMATS[key][1])

    def on_browse(self) -> None:
        key = str(self.format.currentData())
        if self.one_file():
            path = file_dialogs.save_file_name(self, "Export to", self._suggested + FORMATS[key][1])
        else:
            path = file_dialogs.existing_directory(self, "Export into folder")
        if path:
            self.target.setText(path)
