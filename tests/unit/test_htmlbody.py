"""Body HTML helpers: building paragraphs, reading text back, and sanitising foreign HTML."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from editor_app.formats.htmlbody import (
    html_to_paragraphs,
    html_to_text,
    paragraphs_to_html,
    sanitize_body_html,
)

pytestmark = pytest.mark.unit


def test_paragraphs_are_escaped_and_broken() -> None:
    html = paragraphs_to_html(["Fish & chips <cheap>", "first line\nsecond line", "  "])
    assert html == "<p>Fish &amp; chips &lt;cheap&gt;</p>\n<p>first line<br>second line</p>"


def test_quotation_paragraph_stays_a_paragraph() -> None:
    quote = "“We will rebuild the bandstand by June,” the mayor said."
    html = paragraphs_to_html([quote, '"Short and plain," said Ana.'])
    assert "blockquote" not in html
    assert html.startswith("<p>“We will rebuild") and html.count("<p>") == 2
    assert '"Short and plain,"' in html  # quotes are not entity-escaped


def test_html_to_text_blocks_breaks_and_entities() -> None:
    body = (
        "<h2>Budget</h2>\n<p>Tom &amp; Jerry   met\n  at <em>noon</em>.</p>"
        "<blockquote><p>A quoted line</p></blockquote>"
        "<ul><li>one</li><li>two<br>lines</li></ul>"
        "<figure><img src='x.jpg' alt='ignored'><figcaption>The square</figcaption></figure>"
        "<p>caf&eacute; &#8212; &nbsp;done</p>"
    )
    assert html_to_text(body) == (
        "Budget\n\nTom & Jerry met at noon.\n\nA quoted line\n\none\n\ntwo\nlines"
        "\n\nThe square\n\ncafé — done"
    )


def test_html_to_text_ignores_scripts_and_keeps_pre() -> None:
    body = "<p>a</p><script>var x = 1;</script><style>p{}</style><pre>  x = 1\n  y = 2</pre>"
    assert html_to_paragraphs(body) == ["a", "  x = 1\n  y = 2"]


def test_html_to_text_of_nothing() -> None:
    assert html_to_text("") == ""
    assert html_to_paragraphs("<p> </p><p><br></p>") == []


def test_loose_text_between_blocks_is_its_own_block() -> None:
    assert html_to_paragraphs("intro<p>para</p>tail") == ["intro", "para", "tail"]


def test_sanitize_removes_active_content() -> None:
    dirty = (
        '<p onclick="steal()">Hi<script>alert(1)</script>'
        '<a href="javascript:alert(1)">bad</a> '
        '<a href="https://example.org/x" title="t" target="_blank">ok</a></p>'
        '<div style="color:red"><span class="dek" style="x">s</span></div>'
        '<img src="https://example.org/a.jpg" alt="A" onerror="x()">'
        "<!-- note --><iframe src='https://example.org'></iframe>"
    )
    clean = sanitize_body_html(dirty)
    for banned in ("script", "alert", "onclick", "onerror", "javascript", "style", "div"):
        assert banned not in clean
    assert "iframe" not in clean and "note" not in clean and "target" not in clean
    assert '<a href="https://example.org/x" title="t">ok</a>' in clean
    assert '<span class="dek">s</span>' in clean
    assert '<img src="https://example.org/a.jpg" alt="A">' in clean


def test_sanitize_keeps_the_documented_subset() -> None:
    html = (
        "<h2>H</h2><h3>S</h3><p><strong>a</strong> <em>b</em> <b>c</b> <i>d</i><br>e</p>"
        "<blockquote><p>q</p></blockquote><ol><li>1</li></ol><ul><li>2</li></ul>"
        "<figure><figcaption>f</figcaption></figure>"
        '<p><a href="mailto:desk@example.org">mail</a></p>'
    )
    assert sanitize_body_html(html) == html


_LINE = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=40
).map(lambda s: " ".join(s.split()))
_PARAGRAPH = st.lists(_LINE.filter(bool), min_size=1, max_size=3).map("\n".join)


@given(st.lists(_PARAGRAPH, max_size=6))
def test_paragraphs_round_trip(paragraphs: list[str]) -> None:
    assert html_to_paragraphs(paragraphs_to_html(paragraphs)) == paragraphs


@given(st.lists(_PARAGRAPH, max_size=6))
def test_sanitize_leaves_built_paragraphs_alone(paragraphs: list[str]) -> None:
    html = paragraphs_to_html(paragraphs)
    assert html_to_paragraphs(sanitize_body_html(html)) == paragraphs
