"""A read-only rich-text view whose HTML is rebuilt when the palette changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage
from PySide6.QtWidgets import QTextBrowser, QWidget

from editor_app.domain.errors import UserError
from editor_app.ui.article_html import FIGURE_SCHEME, Colours, style_sheet
from editor_app.ui.theme import html_colours

Render = Callable[[Colours], str]
# A figure's stored picture by figure id: (bytes, mime type) or None.
ImageSource = Callable[[int], "tuple[bytes, str] | None"]
MAX_FIGURE_WIDTH = 640


class RichView(QTextBrowser):
    """Signals:
    article_link(int article_id): an ``article:<id>`` link was clicked
    """

    article_link = Signal(int)

    def __init__(self, placeholder: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self._placeholder = placeholder
        self._render: Render | None = None
        self._image_source: ImageSource | None = None
        self.anchorClicked.connect(self.on_anchor_clicked)
        self.show_placeholder()

    def set_image_source(self, source: ImageSource | None) -> None:
        """Where ``figure:ID`` pictures come from (the store), for views that show figures."""
        self._image_source = source

    def loadResource(self, kind: int, name: QUrl | str, /) -> object:
        url = QUrl(name) if isinstance(name, str) else name
        if url.scheme() == FIGURE_SCHEME and self._image_source is not None:
            try:
                found = self._image_source(int(url.path()))
            except (ValueError, UserError):
                found = None
            image = QImage.fromData(found[0]) if found else QImage()
            if image.isNull():
                return self._missing_picture()
            width = min(MAX_FIGURE_WIDTH, max(120, self.viewport().width() - 80))
            if image.width() > width:
                image = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
            return image
        return super().loadResource(kind, url)

    def _missing_picture(self) -> QImage:
        image = QImage(240, 60, QImage.Format.Format_RGB32)
        image.fill(self.palette().color(self.palette().ColorRole.AlternateBase))
        return image

    def show_render(self, render: Render) -> None:
        self._render = render
        self._refresh()

    def show_placeholder(self, text: str | None = None) -> None:
        self._render = None
        self._placeholder = text if text is not None else self._placeholder
        self._refresh()

    def _refresh(self) -> None:
        colours = html_colours(self.palette())
        self.document().setDefaultStyleSheet(style_sheet(colours))
        if self._render is None:
            self.setHtml(
                f'<p align="center" style="color:{colours["muted"]};"><br/><br/>'
                f"{self._placeholder}</p>"
            )
        else:
            self.setHtml(self._render(colours))

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._refresh()

    def on_anchor_clicked(self, url: QUrl) -> None:
        if url.scheme() == "article":
            try:
                self.article_link.emit(int(url.path()))
            except ValueError:
                return
        elif url.scheme() in {"http", "https", "mailto"}:
            QDesktopServices.openUrl(url)
