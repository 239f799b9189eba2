"""Body HTML helpers shared by the importers and by the store's search text.

Bodies are stored as HTML in a small documented subset (docs/body-html.md). Importers that
only have paragraphs build it here so every format escapes and breaks lines the same way;
the store needs the reverse (plain text) to index bodies for search. Neither direction may
depend on Qt or on the ORM, so this module only uses the standard library and ``nh3``.

Quotations are not promoted to ``<blockquote>``: a paragraph that opens with “ and ends with
``…,” she said.`` is ordinary reporting. Block quotes only come from real ``<blockquote>``
elements in richer source formats.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Sequence
from html.parser import HTMLParser
from typing import Any, ClassVar

import nh3

from editor_app.domain.diff import Style, StyledBlock

__all__ = [
    "html_to_paragraphs",
    "html_to_styled_blocks",
    "html_to_text",
    "paragraphs_to_html",
    "sanitize_body_html",
]

# Elements whose boundaries separate blocks of text. Containers (ul, div …) are listed too so
# that loose text directly inside them does not run into a neighbouring paragraph.
_BLOCK_TAGS = frozenset(
    {
        "address",
        "article",
        "aside",
        "blockquote",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    }
)
# Their text is never part of what a reader sees.
_HIDDEN_TAGS = frozenset({"script", "style", "template", "noscript", "head", "title"})

_ALLOWED_TAGS = frozenset(
    {
        "p",
        "h2",
        "h3",
        "strong",
        "em",
        "b",
        "i",
        "a",
        "blockquote",
        "ul",
        "ol",
        "li",
        "br",
        "figure",
        "figcaption",
        "img",
        "span",
    }
)
_ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "a": {"href", "title"},
    "img": {"src", "alt"},
    "span": {"class"},
}
_URL_SCHEMES = frozenset({"http", "https", "mailto"})


def _collapse(text: str) -> str:
    return " ".join(text.split())


def paragraphs_to_html(paragraphs: Sequence[str]) -> str:
    """One ``<p>`` per paragraph; a line break the source kept inside a paragraph is a ``<br>``.

    Empty paragraphs are dropped because they would only render as vertical gaps.
    """
    out: list[str] = []
    for paragraph in paragraphs:
        lines = [line.strip() for line in paragraph.strip().split("\n")]
        lines = [line for line in lines if line]
        if not lines:
            continue
        out.append("<p>" + "<br>".join(html.escape(line, quote=False) for line in lines) + "</p>")
    return "\n".join(out)


class _TextCollector(HTMLParser):
    """Collects the visible text of a body, one entry per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._lines: list[list[str]] = [[]]
        self._hidden_depth = 0
        self._pre_depth = 0
        # Whether the block being collected is preformatted: its spacing is content.
        self._block_pre = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden_depth += 1
        elif tag == "br":
            self._lines.append([])
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag == "pre":
                self._pre_depth += 1
                self._block_pre = True

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A self-closed <p/> or <script/> opens nothing, so only <br/> and block edges count.
        if tag == "br":
            self._lines.append([])
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in _BLOCK_TAGS:
            self._flush()
            if tag == "pre":
                self._pre_depth = max(0, self._pre_depth - 1)
                self._block_pre = self._pre_depth > 0

    def handle_data(self, data: str) -> None:
        if self._hidden_depth:
            return
        if self._pre_depth:
            first, *rest = data.split("\n")
            self._lines[-1].append(first)
            for line in rest:
                self._lines.append([line])
        else:
            self._lines[-1].append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        texts = ["".join(parts) for parts in self._lines]
        self._lines = [[]]
        if self._block_pre:
            lines = [text.rstrip() for text in texts]
            while lines and not lines[0].strip():
                lines.pop(0)
            while lines and not lines[-1].strip():
                lines.pop()
        else:
            lines = [line for line in (_collapse(text) for text in texts) if line]
        if lines:
            self.blocks.append("\n".join(lines))


# The plain shape most comments and many bodies have: tags without attributes, no character
# references. ``_plain_paragraphs`` reads it without HTMLParser (pure Python, and 14% of a
# WordPress import's CPU for the comments alone) and gives the same blocks.
_PLAIN_TAG = re.compile(r"<(/?)([a-z][a-z0-9]*)\s*(/?)>")
_PLAIN_INLINE = frozenset({"em", "strong", "b", "i", "u", "s", "span", "q", "cite", "code"})


def _plain_paragraphs(body_html: str) -> list[str] | None:
    """``_TextCollector``'s blocks for plain HTML; None for anything else (an ``&``, a tag
    with attributes, a hidden or preformatted element, a ``<`` that is not such a tag)."""
    if "&" in body_html:
        return None
    pieces = _PLAIN_TAG.split(body_html)  # text, (close, name, self-closing, text)*
    blocks: list[str] = []
    lines: list[list[str]] = [[]]

    def flush() -> None:
        nonlocal lines
        kept = [line for line in (_collapse("".join(parts)) for parts in lines) if line]
        lines = [[]]
        if kept:
            blocks.append("\n".join(kept))

    for i in range(0, len(pieces), 4):
        text = pieces[i]
        if "<" in text:
            return None
        if text:
            lines[-1].append(text)
        if i + 3 >= len(pieces):
            break
        closing, name, self_closing = pieces[i + 1], pieces[i + 2], pieces[i + 3]
        if name == "br":
            if closing:
                return None
            lines.append([])
        elif name in _BLOCK_TAGS and name != "pre":
            if not (closing and self_closing):
                flush()
            else:
                return None
        elif name not in _PLAIN_INLINE or (closing and self_closing):
            return None
    flush()
    return blocks


def html_to_paragraphs(body_html: str) -> list[str]:
    """The text blocks of a body, in order; inner ``<br>`` kept as ``\\n``."""
    plain = _plain_paragraphs(body_html)
    if plain is not None:
        return plain
    collector = _TextCollector()
    collector.feed(body_html)
    collector.close()
    return collector.blocks


def html_to_text(body_html: str) -> str:
    """Plain text of a body for search and diffs: blocks separated by one blank line."""
    return "\n\n".join(html_to_paragraphs(body_html))


# Elements nest at most this deep before sanitising: html5ever (under nh3) checks the stack of
# open elements at every tag, so 100,000 nested <div> took 76 s. No real body nests past ~30.
MAX_NESTING = 200
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_RE_TAG = re.compile(r"<!--.*?(?:-->|$)|<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*>", re.S)


def _flatten_deep(body_html: str) -> str:
    """Drop the tags (never the text) of elements nested deeper than MAX_NESTING; linear."""
    if body_html.count("<") <= MAX_NESTING:
        return body_html
    depth = 0
    dropped = False

    def tag(m: re.Match[str]) -> str:
        nonlocal depth, dropped
        name = (m.group(2) or "").lower()
        if not name or name in _VOID or m.group(0).endswith("/>"):
            return m.group(0)
        if m.group(1):  # a closing tag
            depth = max(0, depth - 1)
            if depth >= MAX_NESTING:
                return ""
            return m.group(0)
        depth += 1
        if depth > MAX_NESTING:
            dropped = True
            return ""
        return m.group(0)

    out = _RE_TAG.sub(tag, body_html)
    return out if dropped else body_html


def make_cleaner(**options: Any) -> Callable[[str], str]:
    """ammonia with these options, built once: `nh3.clean` builds its sanitiser anew on every
    call, most of the time of cleaning a short comment. (Older nh3 has no Cleaner.)"""
    cleaner = getattr(nh3, "Cleaner", None)
    if cleaner is not None:
        return cleaner(**options).clean  # type: ignore[no-any-return]
    return functools.partial(nh3.clean, **options)


@functools.cache
def _body_cleaner() -> Callable[[str], str]:
    return make_cleaner(
        tags=set(_ALLOWED_TAGS),
        attributes={tag: set(attrs) for tag, attrs in _ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(_URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def sanitize_body_html(body_html: str) -> str:
    """Reduce foreign HTML to the documented subset before it reaches the store.

    Scripts, event handlers and ``javascript:`` links are what a pasted or imported body can
    carry that would run inside the editor's preview; ammonia removes them. ``rel`` is not
    added to links because exporters decide how links are rendered on the site.
    """
    return _body_cleaner()(_flatten_deep(body_html))


_INLINE_TAGS = frozenset({"p", "br", "strong", "em", "b", "i", "a"})


def sanitize_inline_html(text: str) -> str:
    """Rich text of a short field (a bio): emphasis and links only.

    Plain text (no markup at all) is kept as written, so imported bios stay readable as text.
    """
    if "<" not in text:
        return text
    return _inline_cleaner()(text)


@functools.cache
def _inline_cleaner() -> Callable[[str], str]:
    return make_cleaner(
        tags=set(_INLINE_TAGS),
        attributes={"a": {"href", "title"}},
        url_schemes=set(_URL_SCHEMES),
        link_rel=None,
        strip_comments=True,
    )


def inline_to_text(text: str) -> str:
    """A short rich-text field as plain text (a bio in a JSON export or a tooltip)."""
    return html_to_text(text) if "<" in text else text


class _StyledCollector(HTMLParser):
    """Blocks of a body in the subset with their kind and styled runs, for diffs."""

    _KINDS: ClassVar[dict[str, str]] = {"h1": "h2", "h2": "h2", "h3": "h3", "h4": "h3"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[StyledBlock] = []
        self._runs: list[tuple[str, Style]] = []
        self._container: list[str] = []
        self._kind = ""
        self._bold = 0
        self._italic = 0
        self._links: list[str] = []
        self._hidden = 0

    def _style(self) -> Style:
        return (self._bold > 0, self._italic > 0, next((h for h in reversed(self._links) if h), ""))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif tag in ("blockquote", "ul", "ol"):
            self._flush()
            self._container.append("quote" if tag == "blockquote" else tag)
        elif tag in ("strong", "b"):
            self._bold += 1
        elif tag in ("em", "i"):
            self._italic += 1
        elif tag == "a":
            self._links.append(dict(attrs).get("href") or "")
        elif tag == "br":
            self._runs.append(("\n", self._style()))
        elif tag in _BLOCK_TAGS:
            self._flush()
            self._kind = self._KINDS.get(tag, "")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self._runs.append(("\n", self._style()))

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN_TAGS:
            self._hidden = max(0, self._hidden - 1)
        elif tag in ("blockquote", "ul", "ol"):
            self._flush()
            if self._container:
                self._container.pop()
        elif tag in ("strong", "b"):
            self._bold = max(0, self._bold - 1)
        elif tag in ("em", "i"):
            self._italic = max(0, self._italic - 1)
        elif tag == "a":
            if self._links:
                self._links.pop()
        elif tag in _BLOCK_TAGS:
            self._flush()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._runs.append((data, self._style()))

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        runs: list[tuple[str, Style]] = []
        ends_open = True  # at the start of the block or after a space or a break
        for raw, style in self._runs:
            text = raw if raw == "\n" else re.sub(r"\s+", " ", raw)
            if text.startswith(" ") and ends_open:
                text = text[1:]
            if not text:
                continue
            ends_open = text.endswith((" ", "\n"))
            if runs and runs[-1][1] == style:
                runs[-1] = (runs[-1][0] + text, style)
            else:
                runs.append((text, style))
        while runs:
            trimmed = runs[-1][0].rstrip(" \n")
            if trimmed == runs[-1][0]:
                break
            runs[-1:] = [(trimmed, runs[-1][1])] if trimmed else []
        if runs:
            kind = self._kind or (self._container[-1] if self._container else "p")
            self.blocks.append((kind, tuple(runs)))
        self._runs = []
        self._kind = ""


def html_to_styled_blocks(body_html: str) -> list[StyledBlock]:
    """The blocks of a body with their kind and formatting (bold, italic, link target)."""
    collector = _StyledCollector()
    collector.feed(body_html)
    collector.close()
    return collector.blocks
