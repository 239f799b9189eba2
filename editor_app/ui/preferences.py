"""This computer's preferences: the user's name and the theme.

Stored per user with QSettings. What belongs to the newsroom or follows the user to any
workstation lives in the store instead: the spelling language (one per store) and the author
profile each user signs with (``EditorService.spelling_language`` / ``my_author``).

The window owns one :class:`Preferences` on its own QSettings (tests pass a temporary file)
and hands it to what needs it; ``changed`` tells listeners a value was saved. There is no
module-level state: two windows on two settings files never read each other's.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal

THEMES = (("system", "Like the system"), ("light", "Light"), ("dark", "Dark"))

KEY_NAME = "preferences/name"
KEY_THEME = "preferences/theme"


def user_settings() -> QSettings:
    """The user's own settings (the organisation and application names set on the app)."""
    return QSettings("Copydesk", "Copydesk")


class Preferences(QObject):
    """changed(): a preference was saved; read the new values with the methods."""

    changed = Signal()

    def __init__(self, settings: QSettings | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.settings = settings if settings is not None else user_settings()

    def my_name(self) -> str:
        return str(self.settings.value(KEY_NAME, "") or "").strip()

    def theme(self) -> str:
        return theme_of(self.settings)

    def save(self, *, name: str, theme: str) -> None:
        """Store both at once and tell listeners."""
        if theme not in dict(THEMES):
            raise ValueError(f"unknown theme {theme!r}")
        self.settings.setValue(KEY_NAME, name.strip())
        self.settings.setValue(KEY_THEME, theme)
        self.settings.sync()
        self.changed.emit()


def theme_of(settings: QSettings) -> str:
    """The theme saved in `settings` ("system" when none or an unknown one)."""
    value = str(settings.value(KEY_THEME, "system") or "system")
    return value if value in dict(THEMES) else "system"
