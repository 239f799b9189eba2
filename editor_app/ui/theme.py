"""The look: Fusion plus a style sheet written only in palette roles, so light and dark work."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

STYLE_SHEET = """
QListWidget#navigation {
    background: palette(window);
    border: none;
    border-right: 1px solid palette(mid);
    font-size: 11pt;
    padding-top: 6px;
    outline: 0;
}
QListWidget#navigation::item {
    padding: 8px 10px;
    border-radius: 4px;
    margin: 1px 6px;
}
QListWidget#navigation::item:selected {
    background: palette(highlight);
    color: palette(highlighted-text);
}
QLabel#pageTitle {
    font-size: 13pt;
    font-weight: 600;
    padding: 4px 2px;
}
QLabel#welcomeTitle {
    font-size: 20pt;
    font-weight: 600;
}
QLabel#welcomeText {
    color: palette(placeholder-text);
    font-size: 11pt;
}
QPushButton#bigButton {
    font-size: 12pt;
    padding: 14px 28px;
    min-width: 240px;
}
QTextBrowser {
    background: palette(base);
    border: 1px solid palette(mid);
}
QTableView {
    gridline-color: palette(midlight);
}
QLineEdit#searchBox {
    min-width: 260px;
    padding: 3px 6px;
}
QScrollBar:vertical {
    background: palette(base);
    width: 13px;
    margin: 0;
    border-left: 1px solid palette(midlight);
}
QScrollBar:horizontal {
    background: palette(base);
    height: 13px;
    margin: 0;
    border-top: 1px solid palette(midlight);
}
QScrollBar::handle:vertical {
    background: palette(dark);
    min-height: 28px;
    margin: 2px 2px 2px 3px;
    border-radius: 4px;
}
QScrollBar::handle:horizontal {
    background: palette(dark);
    min-width: 28px;
    margin: 3px 2px 2px 2px;
    border-radius: 4px;
}
QScrollBar::handle:hover, QScrollBar::handle:pressed {
    background: palette(highlight);
}
QScrollBar::add-line, QScrollBar::sub-line {
    width: 0;
    height: 0;
    border: none;
}
QScrollBar::add-page, QScrollBar::sub-page {
    background: none;
}
"""

THEMES = ("system", "light", "dark")


def _palette(mode: str, system: QPalette) -> QPalette:
    """Light or dark Fusion colours; "system" keeps what the platform gave."""
    if mode == "system":
        return QPalette(system)
    dark = mode == "dark"
    colours = {
        QPalette.ColorRole.Window: "#2b2d31" if dark else "#f3f3f3",
        QPalette.ColorRole.WindowText: "#e6e6e6" if dark else "#1d1d1f",
        QPalette.ColorRole.Base: "#1e1f22" if dark else "#ffffff",
        QPalette.ColorRole.AlternateBase: "#26282c" if dark else "#f6f7f9",
        QPalette.ColorRole.Text: "#e6e6e6" if dark else "#1d1d1f",
        QPalette.ColorRole.Button: "#33363b" if dark else "#ececec",
        QPalette.ColorRole.ButtonText: "#e6e6e6" if dark else "#1d1d1f",
        QPalette.ColorRole.Highlight: "#3d7bd9" if dark else "#2f6fd6",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#7fb0ff" if dark else "#1f5fbf",
        QPalette.ColorRole.ToolTipBase: "#33363b" if dark else "#ffffe8",
        QPalette.ColorRole.ToolTipText: "#e6e6e6" if dark else "#1d1d1f",
        QPalette.ColorRole.PlaceholderText: "#8b8f96" if dark else "#7a7d83",
        QPalette.ColorRole.Light: "#4a4d53" if dark else "#ffffff",
        QPalette.ColorRole.Midlight: "#3a3d42" if dark else "#dcdcdc",
        QPalette.ColorRole.Mid: "#55585e" if dark else "#b4b4b4",
        QPalette.ColorRole.Dark: "#8a8e95" if dark else "#8c8c8c",
        QPalette.ColorRole.Shadow: "#000000" if dark else "#6a6a6a",
    }
    palette = QPalette()
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    muted = QColor("#777a80" if dark else "#a0a0a0")
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, muted)
    return palette


_SYSTEM: list[QPalette] = []


def apply_theme(app: QApplication, mode: str = "system") -> None:
    """Fusion with our style sheet, in the system's colours or a light or dark palette.

    Scroll bars get a handle in the palette's dark role on the base colour: easy to tell
    from its track in either theme.
    """
    if mode not in THEMES:
        raise ValueError(f"unknown theme {mode!r}; use one of {', '.join(THEMES)}")
    app.setStyle("Fusion")
    if not _SYSTEM:
        _SYSTEM.append(QPalette(app.palette()))
    app.setPalette(_palette(mode, _SYSTEM[0]))
    app.setStyleSheet(STYLE_SHEET)


def css_colour(colour: QColor) -> str:
    return colour.name(QColor.NameFormat.HexRgb)


def mix(a: QColor, b: QColor, share_of_b: float) -> QColor:
    """A colour between two palette roles, for tints that work on light and dark alike."""
    t = max(0.0, min(1.0, share_of_b))
    return QColor(
        round(a.red() * (1 - t) + b.red() * t),
        round(a.green() * (1 - t) + b.green() * t),
        round(a.blue() * (1 - t) + b.blue() * t),
    )


def html_colours(palette: QPalette) -> dict[str, str]:
    """Colours for rich-text views, derived from the palette in use."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    highlight = palette.color(QPalette.ColorRole.Highlight)
    return {
        "text": css_colour(text),
        "base": css_colour(base),
        "muted": css_colour(mix(text, base, 0.4)),
        "box": css_colour(mix(base, text, 0.06)),
        "box_border": css_colour(mix(base, text, 0.25)),
        "accent": css_colour(highlight),
        "placeholder": css_colour(mix(base, text, 0.12)),
        "link": css_colour(palette.color(QPalette.ColorRole.Link)),
    }
