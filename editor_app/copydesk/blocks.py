"""A body of the HTML subset as numbered blocks of plain text, with their links.

Paragraph numbers count the body blocks as figure anchors do (docs/body-html.md): each `p`,
`h2`, `h3`, each `p` of a block quote and each `li`, from 1.
"""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

_BLOCK_TAGS = {"p", "h2", "h3", "li"}


@dataclass(frozen=True)
class Link:
    start: int
    end: int
    href: str


@dataclass(frozen=True)
class TextBlock:
    number: int  # 1-based, as figure anchors count
    kind: str  # "p", "h2", "h3", "li"
    text: str
    in_blockquote: bool
    quote_group: int  # consecutive paragraphs of one <blockquote> share it (0: none)
    links: tuple[Link, ...] = ()


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[TextBlock] = []
        self._kind: str | None = None
        self._parts: list[str] = []
        self._links: list[Link] = []
        self._href: tuple[int, str] | None = None
        self._quote_depth = 0
        self._group = 0

    def _length(self) -> int:
        return sum(len(p) for p in self._parts)

    def _start_block(self, kind: str) -> None:
        self._end_block()
        self._kind = kind

    def _end_block(self) -> None:
        if self._kind is None:
            return
        raw = "".join(self._parts)
        # Runs of space collapse as HTML reads them; a <br> stays a line break.
        text, links = _collapse(raw, self._links)
        if text.strip():
            self.blocks.append(
                TextBlock(
                    number=len(self.blocks) + 1,
                    kind=self._kind,
                    text=text,
                    in_blockquote=self._quote_depth > 0,
                    quote_group=self._group if self._quote_depth > 0 else 0,
                    links=tuple(links),
                )
            )
        self._kind, self._parts, self._links = None, [], []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "blockquote":
            self._end_block()
            self._quote_depth += 1
            self._group += 1
        elif tag in _BLOCK_TAGS:
            self._start_block(tag)
        elif tag == "br":
            self._data("\n")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            self._href = (self._length(), href)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._data("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "blockquote":
            self._end_block()
            self._quote_depth = max(0, self._quote_depth - 1)
        elif tag in _BLOCK_TAGS:
            self._end_block()
        elif tag == "a" and self._href is not None:
            start, href = self._href
            if href:
                self._links.append(Link(start, self._length(), href))
            self._href = None

    def handle_data(self, data: str) -> None:
        self._data(data)

    def _data(self, data: str) -> None:
        if self._kind is None:
            if not data.strip():
                return
            self._kind = "p"  # loose text outside any block reads as a paragraph
        self._parts.append(data)


def _collapse(raw: str, links: list[Link]) -> tuple[str, list[Link]]:
    """Collapse spaces as HTML does, moving link offsets with the text."""
    out: list[str] = []
    index_map: list[int] = []
    prev_space = True
    for ch in raw:
        if ch == "\n":
            while out and out[-1] == " ":
                out.pop()
                index_map.pop()
            out.append("\n")
            prev_space = True
        elif ch.isspace() and ch != "\u00a0":
            if not prev_space:
                out.append(" ")
                prev_space = True
            else:
                index_map.append(len(out))
                continue
        else:
            out.append(ch)
            prev_space = False
        index_map.append(len(out) - 1)
    index_map.append(len(out))
    text = "".join(out)
    stripped = text.rstrip()
    lead = len(stripped) - len(stripped.lstrip())
    text = stripped.lstrip()

    def pos(i: int) -> int:
        return max(0, min(len(text), index_map[min(i, len(index_map) - 1)] - lead))

    return text, [Link(pos(link.start), pos(link.end), link.href) for link in links]


def read_blocks(body_html: str) -> list[TextBlock]:
    reader = _Reader()
    reader.feed(body_html or "")
    reader.close()
    reader._end_block()
    return reader.blocks
