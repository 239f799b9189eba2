"""Every file dialog of the window, made one way, so that none can cost the store its locks.

A running SQLite store is guarded by POSIX advisory locks on the store file and its `-shm`.
They belong to the process, and the kernel drops them all when the process closes *any*
descriptor of that file (SQLite's "How To Corrupt An SQLite Database File", 2.2). Then the
next `editor-app` on the same store takes itself for the last user, checkpoints and deletes
the `-wal` and `-shm` the window still writes into. Qt's dialog opens the files it lists to
tell their type (QMimeDatabase reads the first bytes of a `-wal` or `-shm`, or of a store
named without a known extension), and a desktop's native dialog may sniff or thumbnail them
in-process. So every dialog here is Qt's own widget dialog with an icon provider that tells a
file's type by its name only, and SQLite's side files are not listed at all.
"""

from __future__ import annotations

import os
import re
from typing import Any

from PySide6.QtCore import (
    QFileInfo,
    QMimeDatabase,
    QMimeType,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
)
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QDialog, QFileDialog, QFileIconProvider, QFileSystemModel, QWidget

# SQLite's own files beside a store: never anything to import, pick or overwrite.
SIDE_FILE = re.compile(r".-(wal|shm|journal)$", re.IGNORECASE)


class NameOnlyIconProvider(QFileIconProvider):
    """Icons and type names from the file name alone: it never opens a file it describes."""

    def __init__(self) -> None:
        super().__init__()
        self._mime = QMimeDatabase()

    def icon(self, what: Any) -> QIcon:
        if isinstance(what, QFileInfo):
            kind = (
                QFileIconProvider.IconType.Folder
                if what.isDir()
                else QFileIconProvider.IconType.File
            )
            if what.isFile():
                themed = QIcon.fromTheme(self._by_name(what).iconName())
                if not themed.isNull():
                    return themed
            return super().icon(kind)
        return super().icon(what)

    def type(self, info: QFileInfo) -> str:
        if info.isDir():
            return "Folder"
        mime = self._by_name(info)
        return mime.comment() or mime.name()

    def _by_name(self, info: QFileInfo) -> QMimeType:
        return self._mime.mimeTypeForFile(info.fileName(), QMimeDatabase.MatchMode.MatchExtension)


class HideSideFiles(QSortFilterProxyModel):
    """The folder as listed, less SQLite's `-wal`, `-shm` and `-journal` files (those beside
    a file of their name: a stat, never an open)."""

    def filterAcceptsRow(
        self, source_row: int, source_parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        path = str(index.data(QFileSystemModel.Roles.FilePathRole) or "")
        side = SIDE_FILE.search(path)
        return side is None or not os.path.exists(path[: side.start() + 1])


def make_file_dialog(
    parent: QWidget | None, caption: str, directory: str = "", name_filter: str = ""
) -> QFileDialog:
    """A Qt widget dialog that lists a folder without opening any file in it."""
    dialog = QFileDialog(parent, caption, directory, name_filter)
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dialog.setOption(QFileDialog.Option.DontUseCustomDirectoryIcons, True)
    provider = NameOnlyIconProvider()
    dialog.setIconProvider(provider)
    dialog._copydesk_icons = provider  # type: ignore[attr-defined]  # the dialog does not own it
    dialog.setProxyModel(HideSideFiles(dialog))
    return dialog


def _run(dialog: QFileDialog) -> list[str]:
    try:
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return []
        return [str(f) for f in dialog.selectedFiles()]
    finally:
        dialog.deleteLater()


def open_file_name(
    parent: QWidget | None, caption: str, directory: str = "", name_filter: str = ""
) -> str:
    dialog = make_file_dialog(parent, caption, directory, name_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
    chosen = _run(dialog)
    return chosen[0] if chosen else ""


def open_file_names(
    parent: QWidget | None, caption: str, directory: str = "", name_filter: str = ""
) -> list[str]:
    dialog = make_file_dialog(parent, caption, directory, name_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return _run(dialog)


def save_file_name(
    parent: QWidget | None, caption: str, directory: str = "", name_filter: str = ""
) -> str:
    dialog = make_file_dialog(parent, caption, directory, name_filter)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile)
    chosen = _run(dialog)
    return chosen[0] if chosen else ""


def existing_directory(parent: QWidget | None, caption: str, directory: str = "") -> str:
    dialog = make_file_dialog(parent, caption, directory)
    dialog.setFileMode(QFileDialog.FileMode.Directory)
    dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
    chosen = _run(dialog)
    return chosen[0] if chosen else ""
