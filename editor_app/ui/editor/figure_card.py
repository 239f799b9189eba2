"""A figure as the body editor shows it: the picture (or a neat placeholder), its caption and
its credit, drawn as one tidy block the width of the writing column.

The document holds one image per figure block; this module paints that image, so the caption
and credit the writer edits in the Figure panel show in place, and a figure with no picture in
the store (every figure of an imported page) reads as a labelled placeholder rather than a
broken-file icon.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QImage, QPainter, QPalette, QTextOption

from editor_app.services.editing import FigureDraft
from editor_app.ui import glyphs
from editor_app.ui.theme import mix

CARD_WIDTH = 600  # logical pixels; the writing column is a little wider
MAX_PICTURE_HEIGHT = 420
PLACEHOLDER_HEIGHT = 120
PAD = 12
NO_PICTURE = "No picture in the store"


def _text_height(text: str, font: QFont, width: float) -> float:
    if not text:
        return 0.0
    metrics = QFontMetricsF(font)
    rect = metrics.boundingRect(QRectF(0, 0, width, 10_000), int(Qt.TextFlag.TextWordWrap), text)
    return rect.height()


def render_card(
    fig: FigureDraft,
    picture: QImage | None,
    palette: QPalette,
    *,
    font: QFont,
    width: int = CARD_WIDTH,
    ratio: float = 1.0,
) -> QImage:
    """The figure block's image at ``width`` logical pixels (``ratio`` device pixels each)."""
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    inner = width - 2 * PAD
    if picture is not None and not picture.isNull():
        scale = min(
            1.0, inner / max(1, picture.width()), MAX_PICTURE_HEIGHT / max(1, picture.height())
        )
        pic_size = QSize(
            max(1, round(picture.width() * scale)), max(1, round(picture.height() * scale))
        )
    else:
        pic_size = QSize(inner, PLACEHOLDER_HEIGHT)
    caption_font = QFont(font)
    caption_font.setItalic(False)
    credit_font = QFont(font)
    if font.pixelSize() > 0:
        credit_font.setPixelSize(max(10, round(font.pixelSize() * 0.85)))
    else:
        credit_font.setPointSizeF(max(7.0, font.pointSizeF() * 0.85))
    caption = fig.caption.strip() or "No caption yet: put the cursor here and add one."
    credit = fig.credit.strip()
    cap_h = _text_height(caption, caption_font, inner)
    cred_h = _text_height(credit, credit_font, inner)
    height = PAD + pic_size.height() + 8 + cap_h + (4 + cred_h if credit else 0) + PAD

    image = QImage(
        round(width * ratio), round(height * ratio), QImage.Format.Format_ARGB32_Premultiplied
    )
    image.setDevicePixelRatio(ratio)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    frame = QRectF(0.5, 0.5, width - 1, height - 1)
    p.setPen(mix(base, text, 0.18))
    p.setBrush(mix(base, text, 0.035))
    p.drawRoundedRect(frame, 6, 6)

    pic_rect = QRectF(
        PAD + (inner - pic_size.width()) / 2, PAD, pic_size.width(), pic_size.height()
    )
    if picture is not None and not picture.isNull():
        p.drawImage(pic_rect, picture)
    else:
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(mix(base, text, 0.09))
        p.drawRoundedRect(pic_rect, 4, 4)
        muted = mix(text, base, 0.45)
        icon = glyphs.icon("fa6s.image", color=muted)
        icon_size = 36
        icon.paint(
            p,
            round(pic_rect.center().x() - icon_size / 2),
            round(pic_rect.center().y() - icon_size / 2 - 12),
            icon_size,
            icon_size,
        )
        p.setPen(muted)
        p.setFont(credit_font)
        label = NO_PICTURE + (f" · alt: {fig.alt}" if fig.alt else "")
        label = QFontMetricsF(credit_font).elidedText(
            label, Qt.TextElideMode.ElideRight, inner - 24
        )
        p.drawText(
            QRectF(pic_rect.left(), pic_rect.center().y() + 14, pic_rect.width(), 24),
            int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop),
            label,
        )

    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WordWrap)
    y = PAD + pic_size.height() + 8.0
    p.setFont(caption_font)
    p.setPen(text if fig.caption.strip() else mix(text, base, 0.5))
    p.drawText(QRectF(PAD, y, inner, cap_h + 2), caption, option)
    if credit:
        y += cap_h + 4
        p.setFont(credit_font)
        p.setPen(mix(text, base, 0.4))
        p.drawText(QRectF(PAD, y, inner, cred_h + 2), credit, option)
    p.end()
    return image


def card_colour_key(palette: QPalette) -> tuple[str, str]:
    """What the cards depend on in the palette (re-render when it changes)."""
    return (
        QColor(palette.color(QPalette.ColorRole.Base)).name(),
        QColor(palette.color(QPalette.ColorRole.Text)).name(),
    )
