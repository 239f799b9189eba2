"""The user's own preferences: their name, their author profile, spelling language, theme.

Stored per user with QSettings (never in the store: two editors on one shared newsroom each
sign with their own profile). Read them anywhere in the UI with the module functions::

    from editor_app.ui import preferences
    preferences.my_author_id()       # int | None: the author profile that signs bylines/replies
    preferences.my_name()            # str: the user's name ("" when not set)
    preferences.spelling_language()  # "en_US" or "en_GB"
    preferences.theme()              # "system", "light" or "dark"

The window points them at its own QSettings (tests pass a temporary file), see
:func:`use_settings`; ``changed`` on :data:`notifier` tells listeners a value changed.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QSettings, Signal

SPELLING_LANGUAGES = (("en_US", "English (United States)"), ("en_GB", "English (United Kingdom)"))
THEMES = (("system", "Like the system"), ("light", "Light"), ("dark", "Dark"))

KEY_NAME = "preferences/name"
KEY_AUTHOR = "preferences/author_id"
KEY_SPELLING = "preferences/spelling_language"
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


def my_author_id() -> int | None:
    value = settings().value(KEY_AUTHOR, None)
    try:
        return int(value) if value not in (None, "") else None  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None


def spelling_language() -> str:
    value = str(settings().value(KEY_SPELLING, "en_US") or "en_US")
    return value if value in dict(SPELLING_LANGUAGES) else "en_US"


def theme() -> str:
    value = str(settings().value(KEY_THEME, "system") or "system")
    return value if value in dict(THEMES) else "system"


def save(*, name: str, author_id: int | None, spelling_language: str, theme: str) -> None:
    """Store all four at once and tell listeners."""
    if spelling_language not in dict(SPELLING_LANGUAGES):
        raise ValueError(f"unknown spelling language {spelling_language!r}")
    if theme not in dict(THEMES):
        raise ValueError(f"unknown theme {theme!r}")
    s = settings()
    s.setValue(KEY_NAME, name.strip())
    s.setValue(KEY_AUTHOR, "" if author_id is None else int(author_id))
    s.setValue(KEY_SPELLING, spelling_language)
    s.setValue(KEY_THEME, theme)
    s.sync()
    notifier.changed.emit()
