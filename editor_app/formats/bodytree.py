"""A sanitised body as an lxml tree for the writers, made once per article and cheaply.

``lxml.html.fragment_fromstring(html, create_parent="div")`` wraps the fragment in a
document, parses it, moves the body's children under a new ``div`` and gives every element a
Python class of its own (a Python call per element): a third of the parse. The writers only
walk the tree, so they get the parsed ``body`` itself, from lxml's plain HTML parser: the same
elements, text and tails, in the same order (a test holds the two equal).
"""

from __future__ import annotations

import re
from typing import Any

import lxml.html
from lxml import etree

from editor_app.formats.lxmlhuge import PLAIN_HTML_PARSER, fragment

__all__ = ["body_tree", "outer_html", "text_content"]

# lxml's plain HTML parser (lxml.html's adds its element classes), without libxml2's limit
# on a text node: past it a run was dropped unsaid (see lxmlhuge).
_PARSER = PLAIN_HTML_PARSER
_FULL_DOCUMENT = re.compile(r"^\s*<(?:html|!doctype)", re.I)  # as lxml.html tells one
# lxml.html's `tostring` drops these; a sanitised body never has one.
_META = re.compile(r"<meta", re.I)
# lxml.html's `text_content`, exactly: the XPath string value (no comments' text).
text_content: Any = etree.XPath("string()", smart_strings=False)


def body_tree(html: str) -> Any:
    """The children (and leading text, when it is more than white space) of
    ``fragment_fromstring(html, create_parent="div")``, under the document's ``body``."""
    if _FULL_DOCUMENT.match(html):
        return fragment(html)
    doc = etree.fromstring(f"<html><body>{html}</body></html>", _PARSER)
    body = doc.find("body") if doc is not None else None
    if body is None:  # not a shape libxml2 gives for this wrapper; the library decides
        return fragment(html)
    if body.text is not None and not body.text.strip():
        body.text = None
    return body


def outer_html(node: Any) -> str:
    """``lxml.html.tostring(node, encoding="unicode", with_tail=False)``."""
    out: str = etree.tostring(node, method="html", encoding="unicode", with_tail=False)
    if _META.search(out):
        return str(lxml.html.tostring(node, encoding="unicode", with_tail=False))
    return out
