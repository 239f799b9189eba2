"""This computer's preferences: the user's name and the theme.

Stored per user with QSettings. What belongs to the newsroom or follows the user to any
workstation lives in the store instead: the spelling language (one per store) and the author
profile each user signs with (``EditorService.spelling_language`` / ``my_author``). Read these
anywhere in the UI with the module functions::

    from editor_app.ui import preferences
    preferences.my_name()            # str: the user's name ("" when not set)
    preferences.theme()              # "system", "light" or "dark"

The window points them at its own QSettings (tests pass a temporary file), see
:func:`use_settings`; ``changed`` on :data:`notifier` tells listeners a value changed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal

THEMES = (("system", "Like the system"), ("light", "Light"), ("dark", "Dark"))

KEY_NAME = "preferences/name"
KEY_THEME = "preferences/theme"


class _Notifier(QObject):
    """changed(): a preference was saved; read the new values with the module functions"""

    changed = Signal()


notifier = _Notifier()
_settings: list[QSettings] = []


def use_settings(settings: QSettings | None) -> None:
    """Read and write preferences in these settings (None: the user's own again)."""
    _settings.clear()
    if settings is not None:
        _settings.append(settings)


def settings() -> QSettings:
    return _settings[0] if _settings else QSettings("Copydesk", "Copydesk")


def my_name() -> str:
    return str(settings().value(KEY_NAME, "") or "").strip()


def theme() -> str:
    value = str(settings().value(KEY_THEME, "system") or "system")
    return value if value in dict(THEMES) else "system"


def save(*, name: str, theme: str) -> None:
    """Store both at once and tell listeners."""
    if theme not in dict(THEMES):
        raise ValueError(f"unknown theme {theme!r}")
    s = settings()
    s.setValue(KEY_NAME, name.strip())
    s.setValue(KEY_THEME, theme)
    s.sync()
    notifier.changed.emit()
