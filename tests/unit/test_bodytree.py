"""`body_tree` / `outer_html` give what lxml.html's fragment parser and `tostring` give."""

from __future__ import annotations

import lxml.html
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from editor_app.formats.bodytree import body_tree, outer_html, text_content
from editor_app.formats.htmlbody import sanitize_body_html

_PIECES = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<h2>",
        "</h2>",
        "<blockquote>",
        "</blockquote>",
        "<ul><li>",
        "</li></ul>",
        "<em>",
        "</em>",
        "<strong>",
        "<br>",
        "<br/>",
        '<a href="https://example.org/?a=1&amp;b=2" title="t">',
        "</a>",
        '<img src="https://img.example.org/x.png" alt="x">',
        "<figure>",
        "<figcaption>",
        "</figure>",
        '<span class="k">',
        "<script>alert(1)</script>",
        "<!-- note -->",
        "<div>",
        "</div>",
        "<table><tr><td>",
        "<meta http-equiv='Content-Type' content='text/html'>",
        "text",
        "  ",
        "\n",
        "&amp;",
        "&lt;",
        "&nbsp;",
        "ümlaut 東京",
        "<",
        ">",
        "&",
        "<html>",
        "</body>",
    ]
)
_FRAGMENTS = st.lists(_PIECES, max_size=14).map("".join)


def _shape(root: object) -> list[str]:
    out = [repr(root.text)]  # type: ignore[attr-defined]
    for child in root:  # type: ignore[attr-defined]
        if isinstance(child.tag, str):
            out.append(lxml.html.tostring(child, encoding="unicode", with_tail=False))
            out.append(outer_html(child))
            out.append(text_content(child))
        out.append(repr(child.tail))
    return out


@settings(max_examples=500)
@given(fragment=_FRAGMENTS, sanitise=st.booleans())
def test_body_tree_is_the_fragment_parsers_tree(fragment: str, sanitise: bool) -> None:
    """The writers pass sanitised bodies; raw ones are held too, where lxml.html takes them."""
    html = sanitize_body_html(fragment) if sanitise else fragment
    try:
        expected = lxml.html.fragment_fromstring(html, create_parent="div")
    except (AssertionError, etree.ParserError):
        assume(False)  # a whole document (`<html>` first): lxml.html itself refuses it
    got = body_tree(html)
    assert [repr(expected.text)] + [
        x
        for child in expected
        for x in (
            (
                lxml.html.tostring(child, encoding="unicode", with_tail=False),
                lxml.html.tostring(child, encoding="unicode", with_tail=False),
                child.text_content(),
            )
            if isinstance(child.tag, str)
            else ()
        )
        + (repr(child.tail),)
    ] == _shape(got)
