"""Icons drawn from the icon fonts that qtawesome ships, without importing qtawesome.

``import qtawesome`` costs about 0.5 s (qtpy star-imports QtCore, QtGui, QtWidgets and
QtOpenGL) and its first icon another 0.15 s (it registers a dozen fonts): more than a bare
Qt window takes to show. The window needs a handful of glyphs for its first paint, so this
module registers only the font a glyph comes from, the first time one is asked for, and
paints it the way qtawesome's default ``"text"`` painter does (a glyph of 0.875 times the icon's
height, centred; the palette's text colour, its disabled text colour for a disabled icon).
The names are qtawesome's (``fa6s.newspaper``, ``mdi6.numeric-2``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QIconEngine,
    QPainter,
    QPalette,
    QPixmap,
)

# prefix → (font file, charmap file), as qtawesome names them.
FONTS = {
    "fa6s": (
        "fontawesome6-solid-webfont-6.7.2.ttf",
        "fontawesome6-solid-webfont-charmap-6.7.2.json",
    ),
    "fa6": (
        "fontawesome6-regular-webfont-6.7.2.ttf",
        "fontawesome6-regular-webfont-charmap-6.7.2.json",
    ),
    "mdi6": (
        "materialdesignicons6-webfont-6.9.96.ttf",
        "materialdesignicons6-webfont-charmap-6.9.96.json",
    ),
}


@cache
def _fonts_dir() -> Path:
    spec = find_spec("qtawesome")  # finds the package without importing it
    if spec is None or spec.origin is None:
        raise RuntimeError("qtawesome's fonts are not installed")
    return Path(spec.origin).parent / "fonts"


@cache
def _font(prefix: str) -> tuple[str, dict[str, str]]:
    """The registered family of a prefix's font and its name → codepoint map."""
    font_file, charmap_file = FONTS[prefix]
    folder = _fonts_dir()
    font_id = QFontDatabase.addApplicationFont(str(folder / font_file))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        raise RuntimeError(f"the icon font {font_file} could not be loaded")
    with open(folder / charmap_file, encoding="utf-8") as fh:
        charmap = json.load(fh)
    return families[0], charmap


@dataclass(frozen=True)
class Layer:
    prefix: str
    char: str
    color: QColor | None  # None: the palette's text colour when painted
    scale: float = 1.0
    offset: tuple[float, float] = (0.0, 0.0)


def _palette_text(disabled: bool) -> QColor:
    app = QGuiApplication.instance()
    palette = app.palette() if isinstance(app, QGuiApplication) else QPalette()
    group = QPalette.ColorGroup.Disabled if disabled else QPalette.ColorGroup.Active
    return palette.color(group, QPalette.ColorRole.Text)


class GlyphEngine(QIconEngine):
    def __init__(self, layers: tuple[Layer, ...]):
        super().__init__()
        self.layers = layers

    def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State) -> None:
        disabled = mode == QIcon.Mode.Disabled
        for layer in self.layers:
            family, _ = _font(layer.prefix)
            painter.save()
            colour = (
                _palette_text(True)
                if disabled
                else (layer.color if layer.color is not None else _palette_text(False))
            )
            painter.setPen(colour)
            font = QFont()
            font.setFamily(family)
            font.setPixelSize(max(1, round(0.875 * rect.height() * layer.scale)))
            if layer.prefix.endswith("s"):
                font.setStyleName("Solid")
            painter.setFont(font)
            target = QRect(rect)
            target.translate(
                round(layer.offset[0] * rect.width()), round(layer.offset[1] * rect.height())
            )
            painter.drawText(target, int(Qt.AlignmentFlag.AlignCenter), layer.char)
            painter.restore()

    def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
        pm = QPixmap(size)
        pm.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pm)
        self.paint(painter, QRect(QPoint(0, 0), size), mode, state)
        painter.end()
        return pm

    def clone(self) -> QIconEngine:
        return GlyphEngine(self.layers)


def _layer(name: str, options: dict[str, object]) -> Layer:
    prefix, _, glyph = name.partition(".")
    if prefix not in FONTS:
        raise ValueError(f"no icon font for {name!r}")
    _, charmap = _font(prefix)
    if glyph not in charmap:
        raise ValueError(f"no icon named {name!r}")
    color = options.get("color")
    assert color is None or isinstance(color, (str, QColor))
    scale = options.get("scale_factor", 1.0)
    offset = options.get("offset", (0.0, 0.0))
    assert isinstance(scale, (int, float)) and isinstance(offset, tuple)
    return Layer(
        prefix,
        chr(int(charmap[glyph], 16)),
        QColor(color) if color is not None else None,
        float(scale),
        (float(offset[0]), float(offset[1])),
    )


def icon(
    *names: str, color: str | QColor | None = None, options: list[dict[str, object]] | None = None
) -> QIcon:
    """An icon of one glyph, or of several drawn over each other (``options`` per glyph:
    ``color``, ``scale_factor``, ``offset`` as fractions of the icon's size)."""
    if not names:
        raise ValueError("an icon needs a glyph name")
    each = options or [{} for _ in names]
    if len(each) != len(names):
        raise ValueError("one option set per glyph")
    layers = tuple(
        _layer(name, {"color": color, **opts}) for name, opts in zip(names, each, strict=True)
    )
    return QIcon(GlyphEngine(layers))
