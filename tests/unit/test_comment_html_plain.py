"""A comment without markup skips the cleaner and the wpautop round trip, with the same result."""

from __future__ import annotations

import nh3
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from editor_app.formats import comment_html
from editor_app.formats.comment_html import (
    _ATTRIBUTES,
    _CONTROL,
    _SCHEMES,
    _TAGS,
    _plain_text,
    clean_comment_html,
    comment_forms,
)
from editor_app.formats.htmlbody import html_to_text
from editor_app.formats.wpautop import wpautop


def ammonia(source: str) -> str:
    """What `clean_comment_html` gives when every comment goes through the cleaner."""
    return nh3.clean(
        _CONTROL.sub("", source),
        tags=set(_TAGS),
        attributes={tag: set(attrs) for tag, attrs in _ATTRIBUTES.items()},
        url_schemes=set(_SCHEMES),
        link_rel="nofollow ugc",
        strip_comments=True,
    ).strip()


# Whitespace of every kind, the characters the cleaner changes, and ordinary text.
TRICKY = [
    " ",
    "\t",
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x85",
    "\u00a0",
    "\u2028",
    "\u2029",
    "\u3000",
    "\ufeff",
    "\x00",
    "\x7f",
    '"',
    "'",
    "=",
    "/",
    "!",
    "?",
    "é",
    "\U0001f389",
    "word",
    "two words",
    "<",
    ">",
    "&",
    "&amp;",
    "<3",
    "<b>",
    "</b>",
    "<p>",
]
TEXTS = st.lists(st.one_of(st.sampled_from(TRICKY), st.text(max_size=5)), max_size=25).map("".join)


@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_the_cleaned_html_is_what_the_cleaner_gives(source: str) -> None:
    assert clean_comment_html(source) == ammonia(source)


@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_the_text_of_a_comment_without_markup_is_what_wpautop_gives(source: str) -> None:
    html = clean_comment_html(source)
    if "<" in html or "&" in html:
        return
    assert _plain_text(html) == html_to_text(wpautop(html))


def test_plain_comments_keep_their_paragraphs_and_line_breaks() -> None:
    forms = comment_forms("  First line\nsecond   line \n\n \n Next paragraph\nend  ")
    assert forms.text == "First line\nsecond line\n\nNext paragraph\nend"
    assert forms.html == "First line\nsecond   line \n\n \n Next paragraph\nend"
    assert forms.original == "  First line\nsecond   line \n\n \n Next paragraph\nend  "


def test_only_what_the_cleaner_would_change_goes_through_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[str] = []
    real = comment_html._cleaner()

    def counting(source: str) -> str:
        calls.append(source)
        return real(source)

    monkeypatch.setattr(comment_html, "_cleaner", lambda: counting)
    assert clean_comment_html(" plain words\nand a line ") == "plain words\nand a line"
    assert calls == []
    assert clean_comment_html("a\u00a0b") == "a&nbsp;b"
    assert clean_comment_html("a\r\nb") == "a\nb"
    assert clean_comment_html("\ufeffab") == "ab"
    assert clean_comment_html("1 > 0") == "1 &gt; 0"
    assert clean_comment_html("<b>x</b><script>y</script>") == "<b>x</b>"
    assert len(calls) == 5
