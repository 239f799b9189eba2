"""Export…: which format, and where. The export itself runs as a job.

The dialog remembers the last format, PDF page size and folder (per user, QSettings); OK
stays disabled until there is somewhere to write; Choose… suggests the article's slug with
the format's own file filter.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtCore import QSettings
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

from editor_app.ui import file_dialogs, preferences

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
PAGE_SIZES = (("a4", "A4"), ("letter", "Letter"))
KEY_FORMAT = "export/format"
KEY_PAGE_SIZE = "export/page_size"
KEY_FOLDER = "export/folder"


def articles(n: int) -> str:
    """1 article, 2 articles, 1,200 articles."""
    return f"{n:,} article{'s' if n != 1 else ''}"


def file_filter(fmt: str) -> str:
    label, ext = FORMATS[fmt]
    return f"{label} (*{ext})"


def ask_save_path(parent: QWidget | None, suggested: str, fmt: str) -> str:
    return file_dialogs.save_file_name(parent, "Export to", suggested, file_filter(fmt))


def ask_folder(parent: QWidget | None, start: str) -> str:
    return file_dialogs.existing_directory(parent, "Export into folder", start)


class ExportDialog(QDialog):
    def __init__(
        self,
        count: int,
        parent: QWidget | None = None,
        *,
        suggested: str = "article",
        settings: QSettings | None = None,
        title: str = "",
    ):
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setMinimumWidth(520)
        self._count = count
        self._suggested = suggested or "article"
        self._settings = settings if settings is not None else preferences.user_settings()
        self.format = QComboBox()
        self.format.setObjectName("exportFormat")
        for key, (label, _ext) in FORMATS.items():
            self.format.addItem(label, key)
        self.page_size = QComboBox()
        self.page_size.setObjectName("exportPageSize")
        for key, label in PAGE_SIZES:
            self.page_size.addItem(label, key)
        self.page_size_label = QLabel("Page size")
        self.target = QLineEdit()
        self.target.setObjectName("exportTarget")
        self.target.setPlaceholderText(
            "A file to write" if self.one_file() else "A folder to write into"
        )
        self.browse = QPushButton("Choose…")
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(self.browse)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText("Export")
        form = QFormLayout(self)
        self.form = form
        self.what = QLabel(f"<b>{escape(title)}</b>" if title and count == 1 else articles(count))
        self.what.setObjectName("exportWhat")
        self.what.setWordWrap(True)
        form.addRow(self.what)
        form.addRow("Format", self.format)
        form.addRow(self.page_size_label, self.page_size)
        form.addRow("Save to", row)
        form.addRow(self.note)
        form.addRow(self.buttons)
        self._restore()
        self.browse.clicked.connect(self.on_browse)
        self.format.currentIndexChanged.connect(self.on_format_changed)
        self.target.textChanged.connect(self._update_ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.on_format_changed()

    def _restore(self) -> None:
        fmt = self._settings.value(KEY_FORMAT, "html")
        self.format.setCurrentIndex(max(self.format.findData(fmt), 0))
        size = self._settings.value(KEY_PAGE_SIZE, "a4")
        self.page_size.setCurrentIndex(max(self.page_size.findData(size), 0))
        # The second export of the day is Ctrl+E, Enter: the slug in the last folder.
        folder = str(self._settings.value(KEY_FOLDER, "") or "")
        if self._count == 1 and folder and Path(folder).is_dir():
            ext = FORMATS[str(self.format.currentData())][1]
            self.target.setText(str(Path(folder) / (self._suggested + ext)))

    def chosen(self) -> tuple[str, Path]:
        return str(self.format.currentData()), Path(self.target.text().strip())

    def chosen_page_size(self) -> str:
        return str(self.page_size.currentData())

    def one_file(self) -> bool:
        return self._count == 1 or self.format.currentData() in ONE_FILE

    def on_format_changed(self) -> None:
        key = str(self.format.currentData())
        pdf = key == "pdf"
        self.form.setRowVisible(self.page_size, pdf)
        self.note.setText(
            "Reader comments' emails and IPs are never exported; WXR carries approved comments."
            + ("" if self.one_file() else " Several articles go into a folder, one file each.")
        )
        text = self.target.text().strip()
        if text and self.one_file():
            self.target.setText(_with_extension(text, FORMATS[key][1]))
        self._update_ok()
        self.adjustSize()

    def _update_ok(self, *_args: object) -> None:
        problem = self.problem()
        self.ok.setEnabled(problem is None)
        # A disabled button says why (tooltips show on disabled buttons too).
        self.ok.setToolTip(problem or "")
        # A file there already is replaced: the button says so before Enter does it.
        text = self.target.text().strip()
        replaces = problem is None and self.one_file() and Path(text).expanduser().is_file()
        self.ok.setText("Replace" if replaces else "Export")
        if replaces:
            self.ok.setToolTip(f"{Path(text).name} is there already; exporting replaces it")

    def problem(self) -> str | None:
        """Why OK would fail, or None."""
        text = self.target.text().strip()
        if not text:
            return "Choose where to write the export"
        path = Path(text).expanduser()
        if self.one_file():
            if path.is_dir():
                return "That is a folder; give a file name"
            if not path.parent.is_dir():
                return f"There is no folder {path.parent}"
        elif not path.is_dir():
            return "Several articles go into an existing folder"
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem is not None:  # OK is disabled then; Enter in the field lands here
            self.note.setText(problem)
            return
        super().accept()

    def remember(self) -> None:
        """Keep the format, page size and folder for the next export (per user)."""
        fmt, target = self.chosen()
        s = self._settings
        s.setValue(KEY_FORMAT, fmt)
        s.setValue(KEY_PAGE_SIZE, self.chosen_page_size())
        s.setValue(KEY_FOLDER, str(target.parent if self.one_file() else target))
        s.sync()

    def on_browse(self) -> None:
        key = str(self.format.currentData())
        folder = str(self._settings.value(KEY_FOLDER, "") or "") or str(Path.home())
        if self.one_file():
            name = self._suggested + FORMATS[key][1]
            path = ask_save_path(self, str(Path(folder) / name), key)
            if path:
                path = _with_extension(path, FORMATS[key][1])
        else:
            path = ask_folder(self, folder)
        if path:
            self.target.setText(path)


def _with_extension(path: str, ext: str) -> str:
    """article.html → article.pdf; article.ninjs.json keeps one extension's worth."""
    p = Path(path)
    stem = p.name
    for known in sorted({e for _l, e in FORMATS.values()}, key=len, reverse=True):
        if stem.endswith(known):
            stem = stem[: -len(known)]
            break
    return str(p.with_name(stem + ext))
