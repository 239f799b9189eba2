"""Round avatars: the author's square photo clipped to a circle, or initials on a tint."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, Qt
from PySide6.QtGui import QFont, QIcon, QPainter, QPainterPath, QPalette, QPixmap
from PySide6.QtWidgets import QLabel, QWidget

from editor_app.ui.theme import mix


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha()]
    if not words:
        return "?"
    if len(words) == 1:
        return words[0][0].upper()
    return (words[0][0] + words[-1][0]).upper()


def round_avatar(
    photo: bytes | None, name: str, size: int, palette: QPalette, *, dpr: float = 1.0
) -> QPixmap:
    """A circle of `size` logical pixels; sharp on high-DPI screens through `dpr`."""
    side = max(1, round(size * dpr))
    out = QPixmap(side, side)
    out.fill(Qt.GlobalColor.transparent)
    source = QPixmap()
    has_photo = bool(photo) and source.loadFromData(photo or b"")
    painter = QPainter(out)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    circle = QPainterPath()
    circle.addEllipse(QRectF(0, 0, side, side))
    painter.setClipPath(circle)
    if has_photo:
        scaled = source.scaled(
            side,
            side,
            Qt.AspectRatioMode.KeepAspectRatioByExpanding,
            Qt.TransformationMode.SmoothTransformation,
        )
        painter.drawPixmap((side - scaled.width()) // 2, (side - scaled.height()) // 2, scaled)
    else:
        highlight = palette.color(QPalette.ColorRole.Highlight)
        base = palette.color(QPalette.ColorRole.Base)
        painter.fillRect(0, 0, side, side, mix(base, highlight, 0.35))
        font = QFont(painter.font())
        font.setPixelSize(max(6, round(side * 0.38)))
        font.setWeight(QFont.Weight.DemiBold)
        painter.setFont(font)
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        painter.drawText(QRectF(0, 0, side, side), Qt.AlignmentFlag.AlignCenter, initials(name))
    painter.end()
    out.setDevicePixelRatio(dpr)
    return out


def greyed(pixmap: QPixmap) -> QPixmap:
    """A former author's avatar: the disabled look of the current style."""
    return QIcon(pixmap).pixmap(pixmap.deviceIndependentSize().toSize(), QIcon.Mode.Disabled)


class AvatarLabel(QLabel):
    """The profile's large avatar; redrawn when the palette (light or dark) changes."""

    def __init__(self, size: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._size = size
        self._photo: bytes | None = None
        self._name = ""
        self.setFixedSize(size, size)
        self.setObjectName("authorAvatar")

    @property
    def has_photo(self) -> bool:
        return self._photo is not None

    def show_avatar(self, photo: bytes | None, name: str) -> None:
        self._photo, self._name = photo, name
        self._redraw()

    def _redraw(self) -> None:
        self.setPixmap(
            round_avatar(
                self._photo, self._name, self._size, self.palette(), dpr=self.devicePixelRatioF()
            )
        )

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._redraw()
