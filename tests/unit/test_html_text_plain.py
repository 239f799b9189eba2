"""The plain-HTML reading of ``html_to_paragraphs`` gives what HTMLParser gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from editor_app.formats.htmlbody import (
    _plain_paragraphs,
    _TextCollector,
    html_to_paragraphs,
    html_to_text,
)

TOKENS = [
    "<p>",
    "</p>",
    "<br>",
    "<br />",
    "<br/>",
    "<p/>",
    "<em>",
    "</em>",
    "<strong>",
    "</strong>",
    "<blockquote>",
    "</blockquote>",
    "<li>",
    "</li>",
    "<h2>",
    "</h2>",
    # These take the full parser.
    "<pre>",
    "</pre>",
    "<script>",
    "</script>",
    '<a href="https://example.com/?a=1">',
    "</a>",
    "</br>",
    "<P>",
    "&amp;",
    "&#39;",
    "a < b",
    "<",
]
WORDS = st.sampled_from(["word", "two words", " ", "\n", "\n\n", "  spaced  ", "\t", "é", ">"])


def collector(body: str) -> list[str]:
    c = _TextCollector()
    c.feed(body)
    c.close()
    return c.blocks


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(TOKENS), WORDS), max_size=30))
def test_the_plain_reading_matches_the_parser(parts: list[str]) -> None:
    body = "".join(parts)
    plain = _plain_paragraphs(body)
    if plain is not None:
        assert plain == collector(body)
    assert html_to_paragraphs(body) == collector(body)


def test_a_plain_comment_takes_the_fast_path() -> None:
    body = "<p>Good news for  readers.<br />\nAgreed, <em>finally</em>.</p>\n<p>Second</p>"
    assert _plain_paragraphs(body) == ["Good news for readers.\nAgreed, finally.", "Second"]
    assert html_to_text(body) == "Good news for readers.\nAgreed, finally.\n\nSecond"


def test_anything_else_takes_the_parser() -> None:
    for body in (
        "<p>Fish &amp; chips</p>",
        '<p><a href="x">link</a></p>',
        "<pre>  kept  </pre>",
        "<p>a < b</p>",
        "<script>hidden</script>",
    ):
        assert _plain_paragraphs(body) is None
    assert html_to_text("<p>Fish &amp; chips</p><script>x</script>") == "Fish & chips"
