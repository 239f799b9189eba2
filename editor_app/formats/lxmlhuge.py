"""lxml's HTML parsers without libxml2's limit of 10,000,000 characters on one text node.

Past it libxml2's HTML parser drops the whole text run and says nothing (its XML parser at
least refuses): a body with one very long paragraph came out of an import or an export with
that paragraph gone. ``huge_tree`` lifts the limit and costs nothing on ordinary input; no
entity or DTD is read in HTML, so it opens no door the limit kept shut.
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml import etree

__all__ = [
    "HTML_PARSER",
    "PLAIN_HTML_PARSER",
    "TEXT_LIMIT",
    "document",
    "fit",
    "fragment",
]

TEXT_LIMIT = 10_000_000  # libxml2's XML_MAX_TEXT_LENGTH, in characters

# lxml.html's parser (its element classes), and the plain one (no per-element classes).
HTML_PARSER = lxml.html.HTMLParser(huge_tree=True)
PLAIN_HTML_PARSER = etree.HTMLParser(huge_tree=True)


def fragment(html: str) -> Any:
    """``lxml.html.fragment_fromstring(html, create_parent="div")``, whole however long."""
    return lxml.html.fragment_fromstring(html, create_parent="div", parser=HTML_PARSER)


def fit(data: bytes) -> tuple[bytes, bool]:
    """For a parser that cannot be given ``huge_tree``: the markup with each attribute value
    longer than `TEXT_LIMIT` emptied (such a parser drops that value and everything after
    it: a saved page's image as a ``data:`` URI took the article's text after it), and
    whether a run of text between tags, or a script's or style's content, is still longer
    than `TEXT_LIMIT` characters (that cannot be helped: the caller refuses the markup).
    Bytes are counted first, characters (as UTF-8) only for a run that long in bytes."""
    pieces = data.split(b"<")
    over = _too_long(pieces[0])
    raw_end = b""  # b"/script" or b"/style" inside one
    raw: list[bytes] = []
    changed = False
    for i in range(1, len(pieces)):
        piece = pieces[i]
        if raw_end:
            if piece[: len(raw_end)].lower() != raw_end:
                raw.append(piece)  # a "<" within the script or style
                continue
            over = over or _too_long(b"<".join(raw))
            raw_end, raw = b"", []
        tag, gt, run = piece.partition(b">")
        if not gt:
            tag, run = b"", piece  # a "<" in the text ("a < b")
        if len(tag) > TEXT_LIMIT:
            tag = _HUGE_VALUE.sub(b'""', tag)
            pieces[i], changed = tag + gt + run, True
            over = over or _too_long(tag)  # a "<" in the text after all, or no quotes
        name = tag[:7].lower()
        for raw_name in (b"script", b"style"):
            if name.startswith(raw_name) and name[len(raw_name) : len(raw_name) + 1] in _AFTER_NAME:
                raw_end, raw = b"/" + raw_name, [run]
        if not raw_end:
            over = over or _too_long(run)
    if raw_end:
        over = over or _too_long(b"<".join(raw))
    return (b"<".join(pieces) if changed else data), over


# What ends a tag's name.
_AFTER_NAME = (b"", b" ", b"\t", b"\n", b"\r", b"\f", b">", b"/")
# An attribute value too long for such a parser, quoted.
_HUGE_VALUE = re.compile(rb'"[^"]{%d,}"|\'[^\']{%d,}\'' % (TEXT_LIMIT, TEXT_LIMIT))


def _too_long(run: bytes) -> bool:
    return len(run) > TEXT_LIMIT and len(run.decode("utf-8", "replace")) > TEXT_LIMIT


def document(data: str | bytes) -> Any:
    """``lxml.html.document_fromstring(data)``, whole however long."""
    return lxml.html.document_fromstring(data, parser=HTML_PARSER)
