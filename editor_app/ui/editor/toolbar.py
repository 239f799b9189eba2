"""The buttons of the editor's toolbar: icon-font glyphs, each tooltip naming its shortcut."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QIcon, QPalette
from PySide6.QtWidgets import QApplication

from editor_app.ui import glyphs

# (command, icon, label, tooltip); None is a separator. The keys are handled by the body itself.
# The subset's two heading levels have no icons of their own: a heading icon with its level.
FORMAT_BUTTONS: tuple[tuple[str, str, str, str] | None, ...] = (
    ("p", "fa6s.paragraph", "Paragraph", "Paragraph (Ctrl+0)"),
    ("h2", "fa6s.heading+2", "Heading 2", "Heading 2 (Ctrl+2)"),
    ("h3", "fa6s.heading+3", "Heading 3", "Heading 3 (Ctrl+3)"),
    ("quote", "fa6s.quote-left", "Block quote", "Block quote (Ctrl+Shift+9)"),
    ("ul", "fa6s.list-ul", "Bulleted list", "Bulleted list (Ctrl+Shift+8)"),
    ("ol", "fa6s.list-ol", "Numbered list", "Numbered list (Ctrl+Shift+7)"),
    None,
    ("bold", "fa6s.bold", "Bold", "Bold (Ctrl+B)"),
    ("italic", "fa6s.italic", "Italic", "Italic (Ctrl+I)"),
    ("link", "fa6s.link", "Link", "Link (Ctrl+K)"),
)


def icon_colour() -> str:
    app = QApplication.instance()
    palette = app.palette() if isinstance(app, QApplication) else QPalette()
    return palette.color(QPalette.ColorRole.ButtonText).name()


def make_icon(name: str) -> QIcon:
    """A glyph icon (ui.glyphs); ``name+N`` puts a small N beside it (heading levels)."""
    colour = icon_colour()
    if "+" not in name:
        icon: QIcon = glyphs.icon(name, color=colour)
        return icon
    base, level = name.split("+", 1)
    icon = glyphs.icon(
        base,
        f"mdi6.numeric-{level}",
        options=[
            {"color": colour, "scale_factor": 0.8, "offset": (-0.15, 0.0)},
            {"color": colour, "scale_factor": 0.9, "offset": (0.3, 0.2)},
        ],
    )
    return icon


def icon_action(parent: QObject, icon: str, label: str, tip: str) -> QAction:
    action = QAction(make_icon(icon), label, parent)
    action.setToolTip(tip)
    action.setIconText(label)
    return action


def make_format_actions(parent: QObject, run: Callable[[str], None]) -> list[QAction | None]:
    actions: list[QAction | None] = []
    for spec in FORMAT_BUTTONS:
        if spec is None:
            actions.append(None)
            continue
        command, icon, label, tip = spec
        action = icon_action(parent, icon, label, tip)
        action.setObjectName(f"format_{command}")
        action.triggered.connect(lambda _c=False, name=command: run(name))
        actions.append(action)
    return actions
