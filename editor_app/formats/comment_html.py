"""Reader comments are untrusted HTML: the one place that cleans them, and short text fields.

A comment is kept in three forms (docs/formats.md, "Reader comments"):

* its **HTML**, cleaned to what WordPress lets a reader write in a comment (``a href title``,
  ``abbr``/``acronym title``, ``b``, ``blockquote cite``, ``cite``, ``code``, ``del datetime``,
  ``em``, ``i``, ``q cite``, ``s``, ``strike``, ``strong``, paragraphs and line breaks), links
  only to ``http(s)``/``mailto`` and marked ``rel="nofollow ugc"``. Every export writes this.
* its **text** (what a reader sees): the scorer, the search index, the counts and the queue's
  highlights read it;
* the **original** as the source gave it, kept for moderators when it differs from the HTML.

Plain-text sources (page dumps, an editor's reply typed in a text box) are escaped and made
into paragraphs, so ``a < b`` and ``<3`` stay text. ammonia (through nh3) does the cleaning.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable
from typing import NamedTuple

from editor_app.formats.htmlbody import html_to_text, make_cleaner
from editor_app.formats.wpautop import wpautop

__all__ = [
    "CommentForms",
    "clean_comment_html",
    "clean_url",
    "comment_forms",
    "no_markup",
    "text_to_comment_html",
]

_TAGS = frozenset(
    {
        "a",
        "abbr",
        "acronym",
        "b",
        "blockquote",
        "br",
        "cite",
        "code",
        "del",
        "em",
        "i",
        "p",
        "q",
        "s",
        "strike",
        "strong",
    }
)
_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "acronym": {"title"},
    "blockquote": {"cite"},
    "del": {"datetime"},
    "q": {"cite"},
}
_SCHEMES = {"http", "https", "mailto"}
# Anything that could open a tag once written out: "<" before a letter, "/", "!" or "?".
_TAG_LIKE = re.compile(r"<[A-Za-z/!?][^<>]*>?")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# What ammonia changes in a text without markup (checked for every code point: html5ever turns
# a carriage return into a newline, writes a no-break space as `&nbsp;` and drops a leading byte
# order mark; `<`, `>` and `&` are markup or get escaped) and what it cannot take at all (a lone
# surrogate). A comment with none of these comes out of `clean_comment_html` as it went in,
# stripped, so most comments (plain words and line breaks) skip the cleaner.
_CLEANER_CHANGES = re.compile("[<>&\r\u00a0\ufeff\ud800-\udfff]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


class CommentForms(NamedTuple):
    text: str
    html: str
    # The source as it came, when it differs from ``html`` (None otherwise).
    original: str | None


def clean_comment_html(source: str) -> str:
    """The comment's HTML reduced to what WordPress allows in comments; idempotent."""
    source = _CONTROL.sub("", source)
    if not _CLEANER_CHANGES.search(source):
        return source.strip()
    return _cleaner()(source).strip()


@functools.cache
def _cleaner() -> Callable[[str], str]:
    return make_cleaner(
        tags=set(_TAGS),
        attributes={tag: set(attrs) for tag, attrs in _ATTRIBUTES.items()},
        url_schemes=set(_SCHEMES),
        link_rel="nofollow ugc",
        strip_comments=True,
    )


def text_to_comment_html(text: str) -> str:
    """Plain text as comment HTML: escaped, blank lines make paragraphs, newlines ``<br />``."""
    escaped = html.escape(_CONTROL.sub("", text).strip(), quote=False)
    return wpautop(escaped).strip()


def _text_of(comment_html: str) -> str:
    # WordPress shows comments through wpautop: its newlines are line breaks and paragraphs.
    if "<" not in comment_html and "&" not in comment_html:
        return _plain_text(comment_html)
    return html_to_text(wpautop(comment_html) if "<p" not in comment_html else comment_html)


def _plain_text(text: str) -> str:
    """`html_to_text(wpautop(text))` for a text without markup or character references,
    without writing the HTML and reading it back: wpautop's paragraphs (split at blank lines),
    each line's spaces collapsed, empty lines left out. A test holds the two equal."""
    blocks = []
    for para in _PARAGRAPH_BREAK.split(text.replace("\r\n", "\n").replace("\r", "\n")):
        lines = [line for line in (" ".join(part.split()) for part in para.split("\n")) if line]
        if lines:
            blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def comment_forms(source: str, *, is_text: bool = False) -> CommentForms:
    """Text, cleaned HTML and (if it differs) original of a comment as a source gave it."""
    if is_text:
        text = _CONTROL.sub("", source).strip()
        return CommentForms(text, text_to_comment_html(text), None)
    cleaned = clean_comment_html(source)
    return CommentForms(_text_of(cleaned), cleaned, None if cleaned == source else source)


def clean_url(url: str) -> str:
    """A commenter's or author's web address, kept only if it is http(s)."""
    url = url.strip()
    if not url or _CONTROL.search(url) or any(c.isspace() for c in url):
        return ""
    scheme, sep, _rest = url.partition(":")
    if not sep or scheme.lower() not in {"http", "https"}:
        return ""
    return url


def no_markup(text: str) -> str:
    """A title, section or tag name with nothing in it that could open a tag.

    ``a < b`` and ``<3`` stay; ``<b>x</b>`` becomes ``x`` and a script's tags go (its words
    stay, harmless as text). Exports escape the result where their target reads HTML.
    """
    previous = None
    text = _CONTROL.sub("", text)
    while previous != text:
        previous = text
        text = _TAG_LIKE.sub("", text)
    return text
