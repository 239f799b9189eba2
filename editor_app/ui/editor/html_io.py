"""The body as clean HTML of the documented subset, in and out of a QTextDocument.

Qt's own ``toHtml()`` writes styled soup and ``setHtml()`` drops block quotes, so the editor
goes through a small block model instead: HTML of the subset (docs/body-html.md) is parsed
into blocks of styled spans, built into the document with explicit formats, and read back
from those formats. Figures are not part of the HTML: a figure block in the document carries
a token, and the reader reports where it stands (its anchor: the number of body blocks
before it).
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

from PySide6.QtCore import QUrl
from PySide6.QtGui import (
    QColor,
    QFont,
    QImage,
    QTextBlock,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
    QTextImageFormat,
    QTextList,
    QTextListFormat,
)

from editor_app.formats.htmlbody import sanitize_body_html

# Block properties the editor sets; Qt keeps user properties through edits and fragments.
QUOTE_PROPERTY = QTextFormat.Property.UserProperty + 1
FIGURE_PROPERTY = QTextFormat.Property.UserProperty + 2
FIGURE_SCHEME = "figure"
QUOTE_MARGIN = 28.0
# fontSizeAdjustment per heading level: 1.5 and 1.2 times the body (2 and 1.5 times outgrew the
# headline above them).
HEADING_SIZE = {2: 2, 3: 1}
HEADING_WEIGHT = QFont.Weight.DemiBold  # below Bold, so <strong> inside a heading survives
LINE_SEPARATOR = "\u2028"
BLOCK_KINDS = ("p", "h2", "h3", "quote", "ul", "ol")


@dataclass(frozen=True)
class Span:
    text: str  # "\n" stands for <br>
    bold: bool = False
    italic: bool = False
    href: str | None = None

    def same_style(self, other: Span) -> bool:
        return (self.bold, self.italic, self.href) == (other.bold, other.italic, other.href)


@dataclass(frozen=True)
class Block:
    kind: str  # one of BLOCK_KINDS
    spans: tuple[Span, ...]
    group: int = 0  # list items and quote paragraphs of one container share a group


@dataclass
class Figure:
    """Where a figure stands in the document: its token and its anchor."""

    token: int
    anchor: int


# Normalising spans --------------------------------------------------------------------------


_SPACES = re.compile(r"[^\S\n]+")
_AROUND_BREAK = re.compile(r" ?\n ?")


def _merge(spans: list[Span]) -> list[Span]:
    out: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if out and out[-1].same_style(span):
            out[-1] = Span(out[-1].text + span.text, span.bold, span.italic, span.href)
        else:
            out.append(span)
    return out


def normalise_spans(spans: list[Span]) -> tuple[Span, ...]:
    """HTML's whitespace rules on styled text: runs collapse, block edges trim, styles merge."""
    merged = _merge(
        [Span(_SPACES.sub(" ", s.text), s.bold, s.italic, s.href) for s in spans if s.text]
    )
    out: list[Span] = []
    prev_end = "\n"  # a block starts as after a break: its leading spaces go
    for span in merged:
        text = _AROUND_BREAK.sub("\n", span.text)
        if text.startswith(" ") and prev_end in " \n":
            text = text[1:]
        if text.startswith("\n") and prev_end == " " and out:
            last = out[-1]
            out[-1] = Span(last.text[:-1], last.bold, last.italic, last.href)
        if text:
            out.append(Span(text, span.bold, span.italic, span.href))
            prev_end = text[-1]
    while out and (out[-1].text.endswith((" ", "\n")) or not out[-1].text):
        last = out[-1]
        trimmed = last.text.rstrip(" \n")
        if trimmed:
            out[-1] = Span(trimmed, last.bold, last.italic, last.href)
        else:
            out.pop()
    return tuple(_merge(out))


# HTML of the subset -> blocks ---------------------------------------------------------------


class _SubsetParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self._spans: list[Span] = []
        self._kind: str | None = None
        self._bold = 0
        self._italic = 0
        self._href: list[str | None] = []
        self._container: list[tuple[str, int]] = []
        self._groups = 0

    def _open(self, kind: str) -> None:
        self._flush()
        self._kind = kind

    def _flush(self) -> None:
        spans = normalise_spans(self._spans)
        self._spans = []
        if spans:
            kind = self._kind or self._implicit_kind()
            group = self._container[-1][1] if self._container else 0
            self.blocks.append(Block(kind, spans, group))
        self._kind = None

    def _implicit_kind(self) -> str:
        if self._container:
            return self._container[-1][0]
        return "p"

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("blockquote", "ul", "ol"):
            self._flush()
            self._groups += 1
            self._container.append(("quote" if tag == "blockquote" else tag, self._groups))
        elif tag in ("p", "h2", "h3", "h1", "h4", "h5", "h6", "div", "li", "figure"):
            kind = {"h1": "h2", "h4": "h3", "h5": "h3", "h6": "h3"}.get(tag, tag)
            if kind in ("p", "div", "li", "figure"):
                kind = self._implicit_kind() if self._container else "p"
            self._open(kind)
        elif tag == "br":
            self._spans.append(self._span("\n"))
        elif tag in ("strong", "b"):
            self._bold += 1
        elif tag in ("em", "i"):
            self._italic += 1
        elif tag == "a":
            self._href.append(dict(attrs).get("href") or None)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._spans.append(self._span("\n"))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("blockquote", "ul", "ol"):
            self._flush()
            if self._container:
                self._container.pop()
        elif tag in ("p", "h1", "h2", "h3", "h4", "h5", "h6", "div", "li", "figure"):
            self._flush()
        elif tag in ("strong", "b"):
            self._bold = max(0, self._bold - 1)
        elif tag in ("em", "i"):
            self._italic = max(0, self._italic - 1)
        elif tag == "a" and self._href:
            self._href.pop()

    def handle_data(self, data: str) -> None:
        self._spans.append(self._span(data.replace("\n", " ")))

    def _span(self, text: str) -> Span:
        href = next((h for h in reversed(self._href) if h), None)
        return Span(text, self._bold > 0, self._italic > 0, href)

    def close(self) -> None:
        super().close()
        self._flush()


_HEADINGS = re.compile(r"<(/?)h([1456])\b", re.IGNORECASE)


def parse_body(body_html: str) -> list[Block]:
    """Blocks of a body; foreign HTML is reduced to the subset first."""
    parser = _SubsetParser()
    # The subset has two heading levels: a pasted h1 is a big heading, h4-h6 small ones.
    body_html = _HEADINGS.sub(lambda m: f"<{m[1]}h{'2' if m[2] == '1' else '3'}", body_html)
    parser.feed(sanitize_body_html(body_html))
    parser.close()
    return parser.blocks


# Blocks -> HTML of the subset ---------------------------------------------------------------


def _styled(span: Span) -> str:
    text = "<br>".join(html.escape(part, quote=False) for part in span.text.split("\n"))
    if span.italic:
        text = f"<em>{text}</em>"
    if span.bold:
        text = f"<strong>{text}</strong>"
    return text


def _inline_html(spans: tuple[Span, ...]) -> str:
    out = []
    for href, group in itertools.groupby(spans, key=lambda s: s.href):
        inner = "".join(_styled(span) for span in group)
        out.append(f'<a href="{html.escape(href, quote=True)}">{inner}</a>' if href else inner)
    return "".join(out)


def blocks_to_html(blocks: list[Block]) -> str:
    lines: list[str] = []
    open_container: tuple[str, int] | None = None
    for block in blocks:
        # Adjacent block quotes are one quotation (the editor cannot tell them apart).
        container = (block.kind, block.group) if block.kind in ("ul", "ol") else None
        if block.kind == "quote":
            container = ("quote", 0)
        if container != open_container:
            if open_container is not None:
                lines.append(_CLOSE[open_container[0]])
            if container is not None:
                lines.append(_OPEN[container[0]])
            open_container = container
        inner = _inline_html(block.spans)
        tag = {"quote": "p", "ul": "li", "ol": "li"}.get(block.kind, block.kind)
        lines.append(f"<{tag}>{inner}</{tag}>")
    if open_container is not None:
        lines.append(_CLOSE[open_container[0]])
    return "\n".join(lines)


_OPEN = {"quote": "<blockquote>", "ul": "<ul>", "ol": "<ol>"}
_CLOSE = {"quote": "</blockquote>", "ul": "</ul>", "ol": "</ol>"}


def normalise_body_html(body_html: str) -> str:
    """The canonical form of a body: what the editor writes for it."""
    return blocks_to_html(parse_body(body_html))


# Blocks -> QTextDocument --------------------------------------------------------------------


@dataclass
class Styles:
    """Display-only formats (link colour); the reader ignores them."""

    link: QColor = field(default_factory=lambda: QColor("#2a6cd6"))


def block_format(kind: str) -> QTextBlockFormat:
    fmt = QTextBlockFormat()
    fmt.setBottomMargin(12.0)
    # Display only (the reader ignores it): reading line spacing for the body's serif.
    fmt.setLineHeight(
        110.0 if kind in ("h2", "h3") else 118.0,
        QTextBlockFormat.LineHeightTypes.ProportionalHeight.value,
    )
    if kind in ("h2", "h3"):
        fmt.setHeadingLevel(int(kind[1]))
        fmt.setTopMargin(14.0)
    elif kind == "quote":
        fmt.setProperty(QUOTE_PROPERTY, True)
        fmt.setLeftMargin(QUOTE_MARGIN)
        fmt.setRightMargin(QUOTE_MARGIN / 2)
    return fmt


def heading_char_format(level: int) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if level in HEADING_SIZE:
        fmt.setProperty(QTextFormat.Property.FontSizeAdjustment, HEADING_SIZE[level])
        fmt.setFontWeight(HEADING_WEIGHT)
    else:
        fmt.setProperty(QTextFormat.Property.FontSizeAdjustment, 0)
        fmt.setFontWeight(QFont.Weight.Normal)
    return fmt


def char_format(span: Span, level: int, styles: Styles) -> QTextCharFormat:
    fmt = heading_char_format(level)
    if span.bold:
        fmt.setFontWeight(QFont.Weight.Bold)
    fmt.setFontItalic(span.italic)
    if span.href:
        fmt.setAnchor(True)
        fmt.setAnchorHref(span.href)
        fmt.setFontUnderline(True)
        fmt.setForeground(styles.link)
    return fmt


def _insert_spans(cursor: QTextCursor, block: Block, styles: Styles) -> None:
    level = int(block.kind[1]) if block.kind in ("h2", "h3") else 0
    for span in block.spans:
        cursor.insertText(span.text.replace("\n", LINE_SEPARATOR), char_format(span, level, styles))


def insert_blocks(
    cursor: QTextCursor, blocks: list[Block], styles: Styles, *, first_in_place: bool
) -> None:
    """Write blocks at the cursor; the first goes into the cursor's (empty) block when asked."""
    lists: dict[tuple[str, int], QTextList] = {}
    for i, block in enumerate(blocks):
        if i or not first_in_place:
            cursor.insertBlock(block_format(block.kind), heading_char_format(0))
        else:
            cursor.setBlockFormat(block_format(block.kind))
            cursor.setBlockCharFormat(heading_char_format(0))
        if block.kind in ("ul", "ol"):
            key = (block.kind, block.group)
            existing = lists.get(key)
            if existing is not None:
                existing.add(cursor.block())
            else:
                lists[key] = cursor.createList(list_format(block.kind))
        _insert_spans(cursor, block, styles)


def list_format(kind: str) -> QTextListFormat:
    fmt = QTextListFormat()
    fmt.setStyle(
        QTextListFormat.Style.ListDecimal if kind == "ol" else QTextListFormat.Style.ListDisc
    )
    fmt.setIndent(1)
    return fmt


def figure_image_format(token: int, width: float) -> QTextImageFormat:
    fmt = QTextImageFormat()
    fmt.setName(f"{FIGURE_SCHEME}:{token}")
    if width > 0:
        fmt.setWidth(width)
    return fmt


def add_figure_resource(doc: QTextDocument, token: int, image: QImage) -> None:
    doc.addResource(
        QTextDocument.ResourceType.ImageResource, QUrl(f"{FIGURE_SCHEME}:{token}"), image
    )


def insert_figure_block(
    cursor: QTextCursor, token: int, width: float, *, first_in_place: bool
) -> None:
    fmt = QTextBlockFormat()
    fmt.setProperty(FIGURE_PROPERTY, token)
    fmt.setBottomMargin(8.0)
    if first_in_place:
        cursor.setBlockFormat(fmt)
    else:
        cursor.insertBlock(fmt, QTextCharFormat())
    cursor.insertImage(figure_image_format(token, width))


def load_document(
    doc: QTextDocument,
    body_html: str,
    figures: list[Figure],
    styles: Styles,
    figure_width: dict[int, float] | None = None,
) -> None:
    """Replace the document with the body and its figures, as one step nobody can undo."""
    blocks = parse_body(body_html)
    widths = figure_width or {}
    doc.setUndoRedoEnabled(False)
    doc.clear()
    cursor = QTextCursor(doc)
    cursor.beginEditBlock()
    pending = sorted(figures, key=lambda f: f.anchor)
    first = True
    for index in range(len(blocks) + 1):
        while pending and min(pending[0].anchor, len(blocks)) == index:
            fig = pending.pop(0)
            insert_figure_block(cursor, fig.token, widths.get(fig.token, 0), first_in_place=first)
            first = False
        if index < len(blocks):
            insert_blocks(cursor, [blocks[index]], styles, first_in_place=first)
            first = False
    _relink_lists(doc, blocks)
    cursor.endEditBlock()
    doc.setUndoRedoEnabled(True)
    doc.setModified(False)


def _relink_lists(doc: QTextDocument, blocks: list[Block]) -> None:
    """Items of one source list were created one block at a time: join them in one list."""
    by_group: dict[tuple[str, int], QTextList] = {}
    index = 0
    for qblock in iter_blocks(doc):
        if qblock.blockFormat().hasProperty(FIGURE_PROPERTY):
            continue
        if index >= len(blocks):
            break
        block = blocks[index]
        index += 1
        if block.kind not in ("ul", "ol"):
            continue
        key = (block.kind, block.group)
        current = qblock.textList()
        owner = by_group.get(key)
        if owner is None:
            if current is not None:
                by_group[key] = current
        elif current is not None and current is not owner:
            current.remove(qblock)
            # remove() gives the block the list's indent: left there, every item after the
            # first stood one step further in.
            unindented = qblock.blockFormat()
            unindented.setIndent(0)
            QTextCursor(qblock).setBlockFormat(unindented)
            owner.add(qblock)


# QTextDocument -> blocks --------------------------------------------------------------------


def iter_blocks(doc: QTextDocument) -> Iterator[QTextBlock]:
    block = doc.begin()
    while block.isValid():
        yield block
        block = block.next()


def block_kind(block: QTextBlock) -> str:
    text_list = block.textList()
    if text_list is not None:
        style = text_list.format().style()
        return "ol" if style in _ORDERED else "ul"
    fmt = block.blockFormat()
    if fmt.boolProperty(QUOTE_PROPERTY):
        return "quote"
    level = fmt.headingLevel()
    if level == 2 or level == 1:
        return "h2"
    if level >= 3:
        return "h3"
    return "p"


_ORDERED = (
    QTextListFormat.Style.ListDecimal,
    QTextListFormat.Style.ListLowerAlpha,
    QTextListFormat.Style.ListUpperAlpha,
    QTextListFormat.Style.ListLowerRoman,
    QTextListFormat.Style.ListUpperRoman,
)


def block_spans(block: QTextBlock) -> list[Span]:
    spans = []
    it = block.begin()
    while not it.atEnd():
        frag = it.fragment()
        it += 1
        if not frag.isValid():
            continue
        fmt = frag.charFormat()
        if fmt.isImageFormat():
            continue
        text = frag.text().replace(LINE_SEPARATOR, "\n").replace("\ufffc", "")
        href = fmt.anchorHref() if fmt.isAnchor() and fmt.anchorHref() else None
        bold = fmt.fontWeight() >= QFont.Weight.Bold
        spans.append(Span(text, bold, fmt.fontItalic(), href))
    return spans


def read_document(doc: QTextDocument) -> tuple[str, list[Figure]]:
    """The body HTML and where each figure stands, in document order."""
    blocks: list[Block] = []
    figures: list[Figure] = []
    group = 0
    previous: tuple[str, int] | None = None
    key: tuple[str, int] | None
    for qblock in iter_blocks(doc):
        token = qblock.blockFormat().property(FIGURE_PROPERTY)
        if isinstance(token, int) and _has_image(qblock):
            figures.append(Figure(token, len(blocks)))
        spans = normalise_spans(block_spans(qblock))
        if not spans:
            continue
        kind = block_kind(qblock)
        if kind in ("ul", "ol"):
            text_list = qblock.textList()
            key = (kind, text_list.objectIndex() if text_list is not None else 0)
        elif kind == "quote":
            key = (kind, 0)
        else:
            key = None
        if key is not None and key != previous:
            group += 1
        previous = key
        blocks.append(Block(kind, spans, group if key is not None else 0))
    return blocks_to_html(blocks), figures


def _has_image(block: QTextBlock) -> bool:
    it = block.begin()
    while not it.atEnd():
        frag = it.fragment()
        it += 1
        if frag.isValid() and frag.charFormat().isImageFormat():
            return True
    return False


def fragment_blocks(doc: QTextDocument) -> list[Block]:
    """Blocks of a whole document, for copying a selection out as clean HTML."""
    body, _figures = read_document(doc)
    return parse_body(body)
