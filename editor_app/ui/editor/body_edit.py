"""The body editor: a QTextEdit that only makes what the body HTML subset can say.

Signals:
    figure_selected(int token): the cursor entered a figure block (-1: left it)
    link_requested(): Ctrl+K; the tab asks for the address and calls :meth:`set_link`
    word_added(str word): "Add to dictionary" was chosen in the context menu
"""

from __future__ import annotations

import itertools
from dataclasses import replace

from PySide6.QtCore import QEvent, QMimeData, QPoint, QRectF, Qt, QUrl, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QFont,
    QFontMetricsF,
    QImage,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextBlock,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextDocumentFragment,
)
from PySide6.QtWidgets import QApplication, QFrame, QMenu, QTextEdit, QWidget

from editor_app.services.editing import FigureDraft
from editor_app.ui.editor import html_io
from editor_app.ui.editor.figure_card import CARD_WIDTH, render_card
from editor_app.ui.editor.html_io import FIGURE_PROPERTY, QUOTE_PROPERTY, Figure, Styles
from editor_app.ui.editor.spelling import WORD, Speller, SpellHighlighter

CTRL = Qt.KeyboardModifier.ControlModifier
COLUMN_CHARS = 70
MAX_COLUMN = 760
# Serifs made for reading on screen first; whichever the machine has.
WRITING_FAMILIES = (
    "Charter",
    "Source Serif 4",
    "Source Serif Pro",
    "Literata",
    "Georgia",
    "Noto Serif",
    "P052",
    "DejaVu Serif",
)
WRITING_PIXELS = 18


def caption_font() -> QFont:
    """Captions and credits under figures: the interface's sans, a size below the body."""
    font = QFont(QApplication.font())
    font.setPixelSize(round(WRITING_PIXELS * 0.8))
    return font


def writing_font(scale: float = 1.0) -> QFont:
    font = QFont()
    font.setFamilies(list(WRITING_FAMILIES))
    font.setStyleHint(QFont.StyleHint.Serif)
    font.setPixelSize(round(WRITING_PIXELS * scale))
    return font


SHIFT = Qt.KeyboardModifier.ShiftModifier
_MODS = CTRL | SHIFT | Qt.KeyboardModifier.AltModifier | Qt.KeyboardModifier.MetaModifier

# Keys the body claims even where the window has a shortcut on them (Ctrl+I imports,
# Ctrl+2 and Ctrl+3 switch pages): inside the text they format.
KEYS: dict[tuple[int, int], str] = {
    (Qt.Key.Key_B, CTRL.value): "bold",
    (Qt.Key.Key_I, CTRL.value): "italic",
    (Qt.Key.Key_K, CTRL.value): "link",
    (Qt.Key.Key_0, CTRL.value): "p",
    (Qt.Key.Key_2, CTRL.value): "h2",
    (Qt.Key.Key_3, CTRL.value): "h3",
    (Qt.Key.Key_8, (CTRL | SHIFT).value): "ul",
    (Qt.Key.Key_Asterisk, (CTRL | SHIFT).value): "ul",
    (Qt.Key.Key_7, (CTRL | SHIFT).value): "ol",
    (Qt.Key.Key_Ampersand, (CTRL | SHIFT).value): "ol",
    (Qt.Key.Key_9, (CTRL | SHIFT).value): "quote",
    (Qt.Key.Key_ParenLeft, (CTRL | SHIFT).value): "quote",
}


def key_command(event: QKeyEvent) -> str | None:
    mods = (event.modifiers() & _MODS).value
    return KEYS.get((event.key(), mods))


class BodyEdit(QTextEdit):
    figure_selected = Signal(int)
    link_requested = Signal()
    word_added = Signal(str)

    def __init__(self, speller: Speller | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("bodyEdit")
        self.setAcceptRichText(True)
        self.setTabChangesFocus(False)
        self.document().setDocumentMargin(16)
        # A writing column, not the full width: a serif at a size meant for reading, about
        # seventy characters a line, centred, the margins the same colour as the page.
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.document().setDefaultFont(writing_font())
        self.setFont(writing_font())
        self.setBackgroundRole(QPalette.ColorRole.Base)  # follows a change of theme
        self.setAutoFillBackground(True)
        self.figures: dict[int, FigureDraft] = {}
        self.pictures: dict[int, QImage | None] = {}
        self._tokens = itertools.count(1)
        self._selected_figure = -1
        self.styles = Styles(link=self.palette().color(QPalette.ColorRole.Link))
        self.speller = speller
        self.highlighter: SpellHighlighter | None = None
        if speller is not None:
            red = QColor(Qt.GlobalColor.red)
            self.highlighter = SpellHighlighter(self.document(), speller, red)
        self.cursorPositionChanged.connect(self.on_cursor_moved)

    # Loading and reading ---------------------------------------------------------------
    def load(self, body_html: str, figures: list[tuple[FigureDraft, QImage | None]]) -> None:
        self.figures.clear()
        self.pictures.clear()
        placed: list[Figure] = []
        widths: dict[int, float] = {}
        for fig, image in figures:
            token = self._register(fig, image)
            widths[token] = float(CARD_WIDTH)
            placed.append(Figure(token, fig.anchor))
        html_io.load_document(self.document(), body_html, placed, self.styles, widths)
        # Loading clears the document's resources: the cards go in after it.
        for token in self.figures:
            self._add_card(token)
        self.moveCursor(QTextCursor.MoveOperation.Start)

    def body_and_figures(self) -> tuple[str, tuple[FigureDraft, ...]]:
        body, placed = html_io.read_document(self.document())
        figures = tuple(
            replace(self.figures[p.token], anchor=p.anchor)
            for p in placed
            if p.token in self.figures
        )
        return body, figures

    def _register(self, fig: FigureDraft, image: QImage | None) -> int:
        token = next(self._tokens)
        self.figures[token] = fig
        self.pictures[token] = None if image is None or image.isNull() else image
        return token

    def _add_card(self, token: int) -> None:
        card = render_card(
            self.figures[token],
            self.pictures.get(token),
            self.palette(),
            font=caption_font(),
            ratio=self.devicePixelRatioF(),
        )
        html_io.add_figure_resource(self.document(), token, card)

    def figure_card(self, token: int) -> QImage:
        """The image the document shows for a figure (for tests and screenshots)."""
        resource = self.document().resource(
            QTextDocument.ResourceType.ImageResource, QUrl(f"{html_io.FIGURE_SCHEME}:{token}")
        )
        return resource if isinstance(resource, QImage) else QImage()

    def changeEvent(self, e: QEvent) -> None:
        kind = e.type()
        super().changeEvent(e)
        if kind == QEvent.Type.PaletteChange and getattr(self, "figures", None):
            # The figure blocks are drawn in the theme's colours: draw them again.
            for token in self.figures:
                self._add_card(token)
            doc = self.document()
            doc.markContentsDirty(0, doc.characterCount())

    # The writing column --------------------------------------------------------------------
    def column_width(self) -> int:
        """About COLUMN_CHARS characters of the body font, with the document's margins."""
        chars = QFontMetricsF(self.document().defaultFont()).averageCharWidth() * COLUMN_CHARS
        margin = 2 * self.document().documentMargin()
        return int(max(CARD_WIDTH + margin, min(chars + margin, MAX_COLUMN)))

    def centre_column(self) -> None:
        bar = self.verticalScrollBar()
        total = self.width() - 2 * self.frameWidth() - (bar.width() if bar.isVisible() else 0)
        side = max(0, (total - self.column_width()) // 2)
        if self.viewportMargins().left() != side:
            self.setViewportMargins(side, 0, side, 0)

    def resizeEvent(self, e: QResizeEvent) -> None:
        super().resizeEvent(e)
        self.centre_column()

    def reveal(self, cursor: QTextCursor) -> None:
        """Scroll so the cursor sits a third of the way down, clear of any bar below."""
        rect = self.cursorRect(cursor)
        height = self.viewport().height()
        if height * 0.15 <= rect.top() and rect.bottom() <= height * 0.8:
            return
        bar = self.verticalScrollBar()
        bar.setValue(bar.value() + rect.top() - height // 3)

    # Commands ----------------------------------------------------------------------------
    def run_command(self, name: str) -> None:
        if name == "bold":
            self.toggle_bold()
        elif name == "italic":
            self.toggle_italic()
        elif name == "link":
            self.link_requested.emit()
        elif name in ("p", "h2", "h3", "quote", "ul", "ol"):
            self.set_block_kind(name)

    def toggle_bold(self) -> None:
        cursor = self.textCursor()
        bold = self.currentCharFormat().fontWeight() >= QFont.Weight.Bold
        base = html_io.heading_char_format(self._level(cursor.block())).fontWeight()
        fmt = QTextCharFormat()
        fmt.setFontWeight(base if bold else QFont.Weight.Bold)
        self.mergeCurrentCharFormat(fmt)

    def toggle_italic(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(not self.currentCharFormat().fontItalic())
        self.mergeCurrentCharFormat(fmt)

    def current_href(self) -> str:
        fmt = self.textCursor().charFormat()
        return fmt.anchorHref() if fmt.isAnchor() else ""

    def set_link(self, href: str) -> None:
        """Link the selection (or the word at the cursor); an empty address unlinks."""
        cursor = self.textCursor()
        if not cursor.hasSelection():
            cursor.select(QTextCursor.SelectionType.WordUnderCursor)
        if not cursor.hasSelection():
            return
        fmt = QTextCharFormat()
        fmt.setAnchor(bool(href))
        fmt.setAnchorHref(href)
        fmt.setFontUnderline(bool(href))
        if href:
            fmt.setForeground(self.styles.link)
        else:
            fmt.setForeground(self.palette().color(QPalette.ColorRole.Text))
        cursor.mergeCharFormat(fmt)
        self.setTextCursor(cursor)

    def selected_blocks(self) -> list[QTextBlock]:
        cursor = self.textCursor()
        doc = self.document()
        first = doc.findBlock(cursor.selectionStart())
        last = doc.findBlock(cursor.selectionEnd())
        out = [first]
        block = first
        while block != last and block.isValid():
            block = block.next()
            out.append(block)
        return [b for b in out if b.isValid()]

    def set_block_kind(self, kind: str) -> None:
        """Make the selected blocks paragraphs, headings, quotes or list items (toggles)."""
        blocks = [b for b in self.selected_blocks() if not _is_figure(b)]
        if not blocks:
            return
        if kind != "p" and all(html_io.block_kind(b) == kind for b in blocks):
            kind = "p"
        cursor = self.textCursor()
        cursor.beginEditBlock()
        for block in blocks:
            text_list = block.textList()
            if text_list is not None:
                text_list.remove(block)
            c = QTextCursor(block)
            fmt = html_io.block_format(kind)
            fmt.setIndent(0)
            c.setBlockFormat(fmt)
            self._restyle_chars(block, int(kind[1]) if kind in ("h2", "h3") else 0)
        if kind in ("ul", "ol"):
            c = QTextCursor(blocks[0])
            prev = blocks[0].previous()
            joined = prev.textList() if prev.isValid() else None
            if joined is not None and html_io.block_kind(prev) == kind:
                for block in blocks:
                    joined.add(block)
            else:
                c.setPosition(blocks[-1].position(), QTextCursor.MoveMode.KeepAnchor)
                c.createList(html_io.list_format(kind))
        cursor.endEditBlock()

    def _restyle_chars(self, block: QTextBlock, level: int) -> None:
        base = html_io.heading_char_format(level)
        c = QTextCursor(block)
        c.setBlockCharFormat(base)
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            it += 1
            if not frag.isValid() or frag.charFormat().isImageFormat():
                continue
            fmt = QTextCharFormat(base)
            if frag.charFormat().fontWeight() >= QFont.Weight.Bold:
                fmt.setFontWeight(QFont.Weight.Bold)
            c.setPosition(frag.position())
            c.setPosition(frag.position() + frag.length(), QTextCursor.MoveMode.KeepAnchor)
            c.mergeCharFormat(fmt)

    @staticmethod
    def _level(block: QTextBlock) -> int:
        kind = html_io.block_kind(block)
        return int(kind[1]) if kind in ("h2", "h3") else 0

    def insert_figure(self, fig: FigureDraft, image: QImage | None) -> int:
        """Insert a figure after the cursor's paragraph; returns its token."""
        token = self._register(fig, image)
        self._add_card(token)
        cursor = self.textCursor()
        cursor.beginEditBlock()
        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
        empty = cursor.block().length() <= 1 and not _is_figure(cursor.block())
        html_io.insert_figure_block(cursor, token, float(CARD_WIDTH), first_in_place=empty)
        if not cursor.block().next().isValid():
            cursor.insertBlock(html_io.block_format("p"), html_io.heading_char_format(0))
        else:
            cursor.movePosition(QTextCursor.MoveOperation.NextBlock)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        return token

    def update_figure(self, token: int, fig: FigureDraft) -> None:
        if token in self.figures:
            self.figures[token] = fig
            self._add_card(token)
            doc = self.document()
            doc.markContentsDirty(0, doc.characterCount())
            doc.setModified(True)

    # Events --------------------------------------------------------------------------------
    def event(self, e: object) -> bool:
        if (
            isinstance(e, QKeyEvent)
            and e.type() == QEvent.Type.ShortcutOverride
            and key_command(e) is not None
        ):
            e.accept()
            return True
        return super().event(e)  # type: ignore[arg-type]

    def keyPressEvent(self, e: QKeyEvent) -> None:
        command = key_command(e)
        if command is not None:
            self.run_command(command)
            e.accept()
            return
        super().keyPressEvent(e)
        if e.matches(QKeySequence.StandardKey.MoveToStartOfDocument) or e.matches(
            QKeySequence.StandardKey.SelectStartOfDocument
        ):
            # The top of the document, margin and all, not just the first line's bottom edge.
            self.verticalScrollBar().setValue(0)

    def on_cursor_moved(self) -> None:
        block = self.textCursor().block()
        token = block.blockFormat().property(FIGURE_PROPERTY) if _is_figure(block) else -1
        token = token if isinstance(token, int) else -1
        if token != self._selected_figure:
            self._selected_figure = token
            self.figure_selected.emit(token)

    @property
    def selected_figure(self) -> int:
        return self._selected_figure

    def paintEvent(self, e: QPaintEvent) -> None:
        super().paintEvent(e)
        painter = QPainter(self.viewport())
        colour = self.palette().color(QPalette.ColorRole.Highlight)
        layout = self.document().documentLayout()
        dx = -self.horizontalScrollBar().value()
        dy = -self.verticalScrollBar().value()
        height = self.viewport().height()
        block = self.cursorForPosition(QPoint(0, 0)).block()
        while block.isValid():
            rect = layout.blockBoundingRect(block).translated(dx, dy)
            if rect.top() > height:
                break
            following = block.next()
            if block.blockFormat().boolProperty(QUOTE_PROPERTY):
                fmt = block.blockFormat()
                bottom = rect.bottom() - fmt.bottomMargin() + 8
                if following.isValid() and following.blockFormat().boolProperty(QUOTE_PROPERTY):
                    # Paragraphs of one quotation (the editor writes adjacent quote blocks as
                    # one <blockquote>) share one unbroken bar, as on the published page.
                    bottom = layout.blockBoundingRect(following).translated(dx, dy).top()
                top = rect.top() + fmt.topMargin()
                painter.fillRect(
                    QRectF(rect.left() + fmt.leftMargin() - 14, top, 3, bottom - top), colour
                )
            block = following
        painter.end()

    # Clipboard: in and out through the subset -------------------------------------------------
    def insertFromMimeData(self, source: QMimeData) -> None:
        if source.hasHtml():
            blocks = html_io.parse_body(source.html())
            if blocks:
                scratch = QTextDocument()
                html_io.insert_blocks(
                    QTextCursor(scratch), blocks, self.styles, first_in_place=True
                )
                self.textCursor().insertFragment(QTextDocumentFragment(scratch))
                self.ensureCursorVisible()
                return
        if source.hasText():
            self.textCursor().insertText(source.text())
            self.ensureCursorVisible()

    def createMimeDataFromSelection(self) -> QMimeData:
        cursor = self.textCursor()
        scratch = QTextDocument()
        QTextCursor(scratch).insertFragment(cursor.selection())
        body, _figures = html_io.read_document(scratch)
        mime = QMimeData()
        mime.setHtml(body)
        mime.setText(cursor.selectedText().replace("\u2029", "\n").replace("\u2028", "\n"))
        return mime

    # Spelling in the context menu ----------------------------------------------------------------
    def contextMenuEvent(self, e: QContextMenuEvent) -> None:
        menu = self.build_context_menu(e.pos())
        menu.exec(e.globalPos())
        menu.deleteLater()

    def build_context_menu(self, pos: QPoint) -> QMenu:
        """The standard menu with spelling suggestions and "Add to dictionary" on top."""
        menu = self.createStandardContextMenu(pos)
        word_cursor = self.word_at(pos)
        word = word_cursor.selectedText() if word_cursor is not None else ""
        if word and self.speller is not None and not self.speller.is_correct(word):
            actions = menu.actions()
            first = actions[0] if actions else menu.addSeparator()
            for suggestion in self.speller.suggestions(word):
                action = menu.addAction(suggestion)
                action.triggered.connect(
                    lambda _c=False, s=suggestion, c=word_cursor: self.replace_word(c, s)
                )
                menu.insertAction(first, action)
            add = menu.addAction(f"Add “{word}” to dictionary")
            add.setObjectName("addToDictionary")
            add.triggered.connect(lambda _c=False, w=word: self.word_added.emit(w))
            menu.insertAction(first, add)
            menu.insertSeparator(first)
        return menu

    def word_at(self, pos: QPoint) -> QTextCursor | None:
        cursor = self.cursorForPosition(pos)
        block = cursor.block()
        offset = cursor.position() - block.position()
        for match in WORD.finditer(block.text()):
            if match.start() <= offset <= match.end():
                c = QTextCursor(block)
                c.setPosition(block.position() + match.start())
                c.setPosition(block.position() + match.end(), QTextCursor.MoveMode.KeepAnchor)
                return c
        return None

    def replace_word(self, cursor: QTextCursor, word: str) -> None:
        cursor.insertText(word)

    def add_known_word(self, word: str) -> None:
        if self.speller is not None and self.highlighter is not None:
            self.speller.add_words([word])
            for block in html_io.iter_blocks(self.document()):
                if word in block.text():
                    self.highlighter.rehighlightBlock(block)


def _is_figure(block: QTextBlock) -> bool:
    return block.blockFormat().hasProperty(FIGURE_PROPERTY)
