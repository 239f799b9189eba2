"""What the WXR reader and writer share: namespaces, status maps and the block splitter."""

from __future__ import annotations

import re
from html.parser import HTMLParser

WP_NAMESPACES = (
    "http://wordpress.org/export/1.0/",
    "http://wordpress.org/export/1.1/",
    "http://wordpress.org/export/1.2/",
)
EXCERPT_NAMESPACES = tuple(ns + "excerpt/" for ns in WP_NAMESPACES)
# What the reader takes for WordPress's namespace: any wordpress.org/export/1.x/, over http or
# https (current WordPress test exports declare https), as WordPress reads the prefix's binding.
READ_WP_NAMESPACES = tuple(
    f"{scheme}://wordpress.org/export/1.{minor}/"
    for scheme in ("http", "https")
    for minor in range(10)
)
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
WFW_NS = "http://wellformedweb.org/CommentAPI/"
_WP12 = WP_NAMESPACES[2]

# WordPress's private status has no counterpart in the workflow: such a post is imported as a
# draft carrying this tag (never public by accident), and the writer turns it back into private.
PRIVATE_TAG = "wp:private"
# Postmeta the writer adds when an article has more than one byline (WXR has one dc:creator).
BYLINES_META = "_copydesk_bylines"

_XML_SPACE = " \t\r\n"
_ZERO_DATE = "0000-00-00 00:00:00"
_VERSION = re.compile(r"\d+\.\d+")
_POST_TYPES = frozenset({"post", "page"})
_SKIPPED_STATUSES = frozenset({"auto-draft", "inherit"})
_STATUS_IN = {
    "publish": "published",
    "draft": "draft",
    # Submitted for review: it waits for an editor's read, which is the copy desk's stage.
    "pending": "copyedit",
    "future": "scheduled",
    "private": "draft",
    "trash": "spiked",
}
_STATUS_OUT = {"published": "publish", "scheduled": "future", "spiked": "trash"}
_COMMENT_STATUS_IN = {
    "1": "approved",
    "approve": "approved",
    "approved": "approved",
    "0": "pending",
    "hold": "pending",
    "spam": "spam",
    "trash": "trash",
    "post-trashed": "trash",
}
_COMMENT_STATUS_OUT = {"approved": "1", "pending": "0", "spam": "spam", "trash": "trash"}
_PING_KINDS = frozenset({"pingback", "trackback"})

# Markers that stand for an extracted figure while the body goes through wpautop and nh3.
_MARK = re.compile("\ue000copydesk-figure-(\\d+)\ue001")

# Characters XML 1.0 cannot carry at all; the writer drops them.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _never() -> bool:
    return False


def _one_line(text: str) -> str:
    return " ".join(text.split())


# ----------------------------------------------------------------------------- blocks


class _BlockSpans(HTMLParser):
    """Where the top-level blocks of an HTML fragment start and end (offsets in the source)."""

    _VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
    )

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self._source = source
        self._line_starts = [0]
        self._line_starts.extend(m.end() for m in re.finditer("\n", source))
        self.spans: list[tuple[int, int]] = []
        self._depth = 0
        self._start = 0
        self._text_start: int | None = None

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _end_text(self, at: int) -> None:
        if self._text_start is not None:
            self.spans.append((self._text_start, at))
            self._text_start = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = self._offset()
        if self._depth == 0:
            self._end_text(at)
            if tag in self._VOID:
                self.spans.append((at, at + len(self.get_starttag_text() or "")))
                return
            self._start = at
        if tag not in self._VOID:
            self._depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = self._offset()
        if self._depth == 0:
            self._end_text(at)
            self.spans.append((at, at + len(self.get_starttag_text() or "")))

    def handle_endtag(self, tag: str) -> None:
        if tag in self._VOID or self._depth == 0:
            return
        self._depth -= 1
        if self._depth == 0:
            at = self._offset()
            end = self._source.find(">", at)
            self.spans.append((self._start, end + 1 if end >= 0 else len(self._source)))

    def handle_data(self, data: str) -> None:
        if self._depth == 0 and self._text_start is None and data.strip():
            self._text_start = self._offset()

    def close(self) -> None:
        super().close()
        self._end_text(len(self._source))
        if self._depth > 0:
            self.spans.append((self._start, len(self._source)))


def _blocks(body_html: str) -> list[str]:
    """The top-level blocks of a body, as written (a figure's anchor counts these)."""
    parser = _BlockSpans(body_html)
    parser.feed(body_html)
    parser.close()
    out = [body_html[s:e].strip() for s, e in parser.spans]
    return [b for b in out if b]
