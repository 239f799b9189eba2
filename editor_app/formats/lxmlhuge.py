"""lxml's HTML parsers without libxml2's limit of 10,000,000 characters on one text node.

Past it libxml2's HTML parser drops the whole text run and says nothing (its XML parser at
least refuses): a body with one very long paragraph came out of an import or an export with
that paragraph gone. ``huge_tree`` lifts the limit and costs nothing on ordinary input; no
entity or DTD is read in HTML, so it opens no door the limit kept shut.
"""

from __future__ import annotations

from typing import Any

import lxml.html
from lxml import etree

__all__ = ["HTML_PARSER", "PLAIN_HTML_PARSER", "TEXT_LIMIT", "document", "fragment", "over_limit"]

TEXT_LIMIT = 10_000_000  # libxml2's XML_MAX_TEXT_LENGTH, in characters

# lxml.html's parser (its element classes), and the plain one (no per-element classes).
HTML_PARSER = lxml.html.HTMLParser(huge_tree=True)
PLAIN_HTML_PARSER = etree.HTMLParser(huge_tree=True)


def fragment(html: str) -> Any:
    """``lxml.html.fragment_fromstring(html, create_parent="div")``, whole however long."""
    return lxml.html.fragment_fromstring(html, create_parent="div", parser=HTML_PARSER)


def over_limit(data: bytes) -> bool:
    """Whether markup holds a run of text (no tag in it) longer than `TEXT_LIMIT` characters,
    for a parser that cannot be given ``huge_tree`` (a library's own). Bytes are counted
    first, characters (as UTF-8) only for a run that long in bytes."""
    return any(
        len(run) > TEXT_LIMIT and len(run.decode("utf-8", "replace")) > TEXT_LIMIT
        for run in data.split(b"<")
    )


def document(data: str | bytes) -> Any:
    """``lxml.html.document_fromstring(data)``, whole however long."""
    return lxml.html.document_fromstring(data, parser=HTML_PARSER)
