"""Every modal question the window asks, in one place, so tests can answer them instead."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

IMPORT_FILTER = "Page dumps (*.txt);;All files (*)"


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    QMessageBox.critical(parent, title, message)


def ask_import_paths(parent: QWidget | None) -> list[str]:
    paths, _ = QFileDialog.getOpenFileNames(parent, "Import files", "", IMPORT_FILTER)
    return list(paths)
