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
"""


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
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
