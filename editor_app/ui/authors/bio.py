"""The bio field: a small rich-text box with bold, italic and links, and nothing else.

What it hands back is the subset the store keeps (p, br, strong, em, a[href]); a bio with no
formatting at all stays plain text, as imported bios are. The service sanitises either way.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QSize, Qt, Signal
from PySide6.QtGui import (
    QAction,
    QFont,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QTextEdit, QToolBar, QVBoxLayout, QWidget

from editor_app.ui import glyphs
from editor_app.ui.authors import dialogs as author_dialogs

_OBJECT = "\ufffc"  # an embedded object (a pasted picture): bios carry none
_LINE = "\u2028"  # Shift+Enter: a line break inside a paragraph
_FORMAT_KEYS = {Qt.Key.Key_B: "bold", Qt.Key.Key_I: "italic", Qt.Key.Key_K: "link"}


def _fragment_html(text: str, fmt: QTextCharFormat) -> str:
    out = "<br>".join(escape(part, quote=False) for part in text.split(_LINE))
    if fmt.fontItalic():
        out = f"<em>{out}</em>"
    if fmt.fontWeight() >= QFont.Weight.DemiBold.value:
        out = f"<strong>{out}</strong>"
    return out


def _block_html(block: QTextBlock) -> tuple[str, bool]:
    """One paragraph as inline HTML, and whether it carried any formatting."""
    pieces: list[tuple[str, str]] = []  # (href or "", html)
    formatted = False
    item = block.begin()
    while not item.atEnd():
        frag = item.fragment()
        item += 1
        text = frag.text().replace(_OBJECT, "") if frag.isValid() else ""
        if text:
            fmt = frag.charFormat()
            html = _fragment_html(text, fmt)
            href = fmt.anchorHref() if fmt.isAnchor() else ""
            formatted = formatted or html != escape(text, quote=False) or bool(href)
            pieces.append((href, html))
    out: list[str] = []
    for href, html in pieces:
        if href and out and out[-1].endswith("</a>") and f'href="{escape(href)}"' in out[-1]:
            out[-1] = out[-1][: -len("</a>")] + html + "</a>"
        elif href:
            out.append(f'<a href="{escape(href)}">{html}</a>')
        else:
            out.append(html)
    return "".join(out), formatted


def document_to_inline_html(doc: QTextDocument) -> str:
    paragraphs: list[str] = []
    plain: list[str] = []
    formatted = False
    block = doc.begin()
    while block.isValid():
        html, fmt = _block_html(block)
        if block.text().strip(_OBJECT + " \t" + _LINE):
            paragraphs.append(html)
            plain.append(block.text())
            formatted = formatted or fmt
        block = block.next()
    if not paragraphs:
        return ""
    text = "\n".join(plain)
    if not formatted and len(paragraphs) == 1 and "<" not in text and _LINE not in text:
        return text
    return "".join(f"<p>{p}</p>" for p in paragraphs)


class _BioText(QTextEdit):
    """Keeps Ctrl+B, Ctrl+I and Ctrl+K for itself while it has the focus.

    The window uses Ctrl+I for Import; taking the shortcut here avoids an ambiguous one.
    """

    format_key = Signal(str)

    def _which(self, event: QKeyEvent) -> str | None:
        if event.modifiers() != Qt.KeyboardModifier.ControlModifier:
            return None
        return _FORMAT_KEYS.get(Qt.Key(event.key()))

    def event(self, event: QEvent) -> bool:
        overriding = event.type() == QEvent.Type.ShortcutOverride
        if overriding and isinstance(event, QKeyEvent) and self._which(event) is not None:
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        which = self._which(event)
        if which is not None:
            self.format_key.emit(which)
            event.accept()
            return
        super().keyPressEvent(event)


class BioEditor(QWidget):
    """Signals:
    changed(): the text or its formatting changed
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.text = _BioText()
        self.text.setObjectName("bioEdit")
        self.text.setAcceptRichText(True)
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(self.fontMetrics().lineSpacing() * 7 + 14)
        self.text.setPlaceholderText("A few lines about the author, as readers will see them.")
        colour = self.palette().color(QPalette.ColorRole.WindowText).name()
        self.bold_action = self._action("fa6s.bold", "Bold", "Ctrl+B", colour)
        self.italic_action = self._action("fa6s.italic", "Italic", "Ctrl+I", colour)
        self.link_action = self._action("fa6s.link", "Link…", "Ctrl+K", colour, checkable=False)
        self.bar = QToolBar()
        self.bar.setIconSize(QSize(14, 14))
        self.bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        for action in (self.bold_action, self.italic_action, self.link_action):
            self.bar.addAction(action)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.bar)
        layout.addWidget(self.text)
        self._connect_signals()

    def _action(
        self, icon: str, text: str, keys: str, colour: str, *, checkable: bool = True
    ) -> QAction:
        action = QAction(glyphs.icon(icon, color=colour), text, self)
        action.setCheckable(checkable)
        # The keys themselves are handled by the text box (see _BioText); this is the label.
        action.setToolTip(f"{text.rstrip('…')} ({QKeySequence(keys).toString()})")
        return action

    def _connect_signals(self) -> None:
        self.bold_action.triggered.connect(self.on_bold)
        self.italic_action.triggered.connect(self.on_italic)
        self.link_action.triggered.connect(self.on_link)
        self.text.format_key.connect(self.on_format_key)
        self.text.currentCharFormatChanged.connect(self.on_char_format_changed)
        self.text.textChanged.connect(self.changed)

    # Reading and writing ----------------------------------------------------------------
    def set_bio(self, bio: str) -> None:
        self.text.blockSignals(True)
        if "<" in bio:
            self.text.setHtml(bio)
        else:
            self.text.setPlainText(bio)
        self.text.blockSignals(False)
        self.on_char_format_changed(self.text.currentCharFormat())

    def bio(self) -> str:
        return document_to_inline_html(self.text.document())

    # Slots ------------------------------------------------------------------------------
    def on_format_key(self, which: str) -> None:
        {"bold": self.bold_action, "italic": self.italic_action, "link": self.link_action}[
            which
        ].trigger()

    def on_bold(self, on: bool) -> None:
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.Bold if on else QFont.Weight.Normal)
        self._merge(fmt)

    def on_italic(self, on: bool) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(on)
        self._merge(fmt)

    def on_link(self) -> None:
        cursor = self.text.textCursor()
        current = cursor.charFormat().anchorHref() if cursor.charFormat().isAnchor() else ""
        url = author_dialogs.ask_link_url(self, current)
        if url is None:
            return
        if url and "://" not in url and not url.startswith("mailto:"):
            url = "https://" + url
        self.apply_link(url)

    def apply_link(self, url: str) -> None:
        """Link the selection to `url` (an empty url unlinks it); no selection: insert it."""
        cursor = self.text.textCursor()
        fmt = QTextCharFormat()
        fmt.setAnchor(bool(url))
        fmt.setAnchorHref(url)
        fmt.setFontUnderline(bool(url))
        if url:
            fmt.setForeground(self.palette().color(QPalette.ColorRole.Link))
        else:
            fmt.setForeground(self.palette().color(QPalette.ColorRole.Text))
        if not cursor.hasSelection():
            if not url:
                cursor.select(QTextCursor.SelectionType.WordUnderCursor)
            else:
                cursor.insertText(url, fmt)
                cursor.setCharFormat(QTextCharFormat())
                self.text.setTextCursor(cursor)
                return
        cursor.mergeCharFormat(fmt)
        self.text.setFocus()

    def _merge(self, fmt: QTextCharFormat) -> None:
        cursor = self.text.textCursor()
        cursor.mergeCharFormat(fmt)
        self.text.mergeCurrentCharFormat(fmt)
        self.text.setFocus()

    def on_char_format_changed(self, fmt: QTextCharFormat) -> None:
        self.bold_action.setChecked(fmt.fontWeight() >= QFont.Weight.DemiBold.value)
        self.italic_action.setChecked(fmt.fontItalic())
