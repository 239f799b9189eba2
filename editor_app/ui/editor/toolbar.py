"""The formatting buttons of the editor's toolbar, each naming its shortcut."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction

# (command, label, tooltip); None is a separator. The keys are handled by the body itself.
FORMAT_BUTTONS: tuple[tuple[str, str, str] | None, ...] = (
    ("p", "¶", "Paragraph (Ctrl+0)"),
    ("h2", "H2", "Heading 2 (Ctrl+2)"),
    ("h3", "H3", "Heading 3 (Ctrl+3)"),
    ("quote", "❝", "Block quote (Ctrl+Shift+9)"),
    ("ul", "• List", "Bulleted list (Ctrl+Shift+8)"),
    ("ol", "1. List", "Numbered list (Ctrl+Shift+7)"),
    None,
    ("bold", "B", "Bold (Ctrl+B)"),
    ("italic", "I", "Italic (Ctrl+I)"),
    ("link", "Link", "Link (Ctrl+K)"),
)


def make_format_actions(parent: QObject, run: Callable[[str], None]) -> list[QAction | None]:
    actions: list[QAction | None] = []
    for spec in FORMAT_BUTTONS:
        if spec is None:
            actions.append(None)
            continue
        command, label, tip = spec
        action = QAction(label, parent)
        action.setToolTip(tip)
        action.setObjectName(f"format_{command}")
        if command == "bold":
            font = action.font()
            font.setBold(True)
            action.setFont(font)
        elif command == "italic":
            font = action.font()
            font.setItalic(True)
            action.setFont(font)
        action.triggered.connect(lambda _c=False, name=command: run(name))
        actions.append(action)
    return actions
