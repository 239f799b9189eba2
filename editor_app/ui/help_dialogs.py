"""Help → Keyboard shortcuts and Help → About Copydesk."""

from __future__ import annotations

from html import escape
from importlib.metadata import PackageNotFoundError, version

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

SHORTCUTS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Everywhere",
        (
            ("Ctrl+1 … Ctrl+4", "Articles, Authors, Moderation, Editor"),
            ("Ctrl+F", "Search articles and comments (in the editor: find in the article)"),
            ("Ctrl+I", "Import files"),
            ("Ctrl+E", "Export the selected article"),
            ("Ctrl+N", "New article"),
            ("Ctrl+J", "Show or hide the Jobs panel"),
            ("F5", "Refresh the lists"),
            ("Ctrl+,", "Preferences"),
            ("F1", "This list"),
        ),
    ),
    (
        "Articles list",
        (
            ("Enter, double-click", "Open the article in the editor"),
            ("Delete", "Move the article to the Trash (undo from the status bar)"),
            ("Menu key, right-click", "Open, export, change status, delete"),
        ),
    ),
    (
        "Moderation queue",
        (
            ("A", "Approve"),
            ("H", "Hold (back to Pending)"),
            ("S", "Spam"),
            ("D", "Trash"),
            ("E", "Edit the comment (the original is kept)"),
            ("R", "Reply as an editor (approves a pending comment)"),
            ("J / K", "Next / previous comment"),
            ("Ctrl+Z", "Undo your last action"),
        ),
    ),
    (
        "Editor",
        (
            ("Ctrl+S", "Save (a revision)"),
            ("Ctrl+W", "Close the article"),
            ("Ctrl+B / Ctrl+I", "Bold / italic"),
            ("Ctrl+K", "Link"),
            ("Ctrl+2 / Ctrl+3 / Ctrl+0", "Heading 2 / heading 3 / paragraph"),
            ("Ctrl+Shift+9", "Block quote"),
            ("Ctrl+Shift+8 / Ctrl+Shift+7", "Bulleted / numbered list"),
            ("Ctrl+F / Ctrl+H", "Find / replace"),
            ("Ctrl+Z / Ctrl+Shift+Z", "Undo / redo"),
        ),
    ),
)


def shortcuts_html() -> str:
    """One table, so the keys line up across sections."""
    rows = []
    for title, keys in SHORTCUTS:
        rows.append(f"<tr><td colspan='2'><h3>{escape(title)}</h3></td></tr>")
        rows.extend(
            f"<tr><td width='210'><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in keys
        )
    return f"<table cellspacing='2'>{''.join(rows)}</table>"


class ShortcutsDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(560, 620)
        self.view = QTextBrowser()
        self.view.setObjectName("shortcutsView")
        self.view.setHtml(shortcuts_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(buttons)


def app_version() -> str:
    try:
        return version("editor-app")
    except PackageNotFoundError:
        return "development"


def about_html(store: str) -> str:
    return (
        f"<h3>Copydesk {escape(app_version())}</h3>"
        "<p>An editorial workstation for a small news magazine: articles, bylines and "
        "author profiles, and the reader comments with their moderation queue.</p>"
        f"<p>Store: {escape(store)}</p>"
    )
