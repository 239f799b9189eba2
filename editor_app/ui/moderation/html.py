"""Rich text and colours of the moderation detail: a comment with its flagged words marked.

Every colour is derived from the view's palette. The marks are the palette's highlight colour
blended over the base (QTextDocument draws translucent backgrounds unevenly, so the blend is
done here); risk is the highlight colour turned to red at the same saturation and value, so it
reads on a light and a dark theme alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from itertools import pairwise

from PySide6.QtGui import QColor, QPalette

from editor_app.services.comments import walk
from editor_app.services.dto import CommentContext, CommentNode, CommentRow, HighlightSpan
from editor_app.ui.article_html import Colours
from editor_app.ui.models import format_time
from editor_app.ui.theme import css_colour, mix

MARK_SHARE = 0.38  # how much of the highlight colour shows through a marked span


def risk_base(palette: QPalette) -> QColor:
    highlight = palette.color(QPalette.ColorRole.Highlight)
    return QColor.fromHsv(4, max(highlight.hsvSaturation(), 160), max(highlight.value(), 170))


def risk_colour(palette: QPalette, score: float) -> QColor | None:
    """A tint for a score: none below 0.3, then stronger as the score rises."""
    if score < 0.3:
        return None
    share = 0.12 + 0.5 * min(1.0, (score - 0.3) / 0.7)
    return mix(palette.color(QPalette.ColorRole.Base), risk_base(palette), share)


def mark_colour(palette: QPalette) -> str:
    return css_colour(
        mix(
            palette.color(QPalette.ColorRole.Base),
            palette.color(QPalette.ColorRole.Highlight),
            MARK_SHARE,
        )
    )


def _segments(
    length: int, spans: Sequence[HighlightSpan]
) -> list[tuple[int, int, tuple[str, ...]]]:
    """Cut [0, length) where spans start or end; each piece carries the labels covering it.

    Rules and the scorer often mark the same words ("spam link" and "link"), so overlapping
    spans become one mark with both labels rather than nested marks.
    """
    clean = [s for s in spans if 0 <= s.start < s.end <= length]
    cuts = sorted({0, length, *(s.start for s in clean), *(s.end for s in clean)})
    out: list[tuple[int, int, tuple[str, ...]]] = []
    for a, b in pairwise(cuts):
        labels = tuple(dict.fromkeys(s.label for s in clean if s.start <= a and b <= s.end))
        if out and out[-1][2] == labels and out[-1][1] == a:
            out[-1] = (out[-1][0], b, labels)
        else:
            out.append((a, b, labels))
    return out


def _text(text: str) -> str:
    return "<br/>".join(escape(line) for line in text.split("\n"))


def highlighted_body(body: str, spans: Sequence[HighlightSpan], mark: str) -> str:
    parts = []
    for a, b, labels in _segments(len(body), spans):
        piece = _text(body[a:b])
        if labels:
            title = escape(", ".join(labels))
            parts.append(
                f'<span class="mark" style="background:{mark};" title="{title}">{piece}</span>'
            )
        else:
            parts.append(piece)
    return "".join(parts)


def span_legend(body: str, spans: Sequence[HighlightSpan]) -> list[tuple[str, str]]:
    """(words, labels) per marked stretch, for the list under the comment."""
    return [
        (body[a:b], ", ".join(labels)) for a, b, labels in _segments(len(body), spans) if labels
    ]


def _head(row: CommentRow, c: Colours) -> str:
    kind = ' <span style="font-weight:600;">· editor</span>' if row.kind == "editor" else ""
    return (
        f"<b>{escape(row.display_name)}</b>{kind} "
        f'<span style="color:{c["muted"]};">· {format_time(row.posted_at)} · </span>'
        f'<span class="status">{escape(row.status.capitalize())}</span>'
    )


def _box(inner: str, c: Colours, *, current: bool, indent: int) -> str:
    border = c["accent"] if current else c["box_border"]
    background = c["box"] if current else c["base"]
    return (
        f'<table width="100%" cellpadding="8" cellspacing="0" border="{2 if current else 1}" '
        f'style="border-color:{border}; border-style:solid; margin-left:{indent * 22}px;'
        f' margin-top:4px;"><tr><td bgcolor="{background}">{inner}</td></tr></table>'
    )


def edited_note(row: CommentRow, c: Colours) -> str:
    if row.original_body is None:
        return ""
    who = escape(row.edited_by or "a moderator")
    return (
        f'<p style="color:{c["muted"]};"><small>Edited by {who}; original: '
        f"<i>{_text(row.original_body)}</i></small></p>"
    )


# Deeper replies are drawn at this indentation (a thread may be hundreds of levels deep).
MAX_INDENT = 12


def imported_note(row: CommentRow, c: Colours) -> str:
    """The source's own HTML, where the import cleaned it: what the reader really sent."""
    if row.body_original is None:
        return ""
    return (
        f'<p style="color:{c["muted"]};"><small>Cleaned on import; original: '
        f"<code>{escape(row.body_original[:2000])}</code></small></p>"
    )


def _replies(nodes: tuple[CommentNode, ...], c: Colours, indent: int) -> list[str]:
    out: list[str] = []
    for n, depth in walk(nodes):
        row = n.comment
        at = min(indent + depth, MAX_INDENT)
        out.append(_box(f"{_head(row, c)}<br/>{_text(row.body)}", c, current=False, indent=at))
    return out


def detail_html(ctx: CommentContext, spans: Sequence[HighlightSpan], c: Colours, mark: str) -> str:
    """The comment in its thread: parents above, replies below, its flagged words marked."""
    row = ctx.comment
    title = ctx.article.title if ctx.article else row.article_title
    parts = [
        f'<p class="byline">On <a href="article:{row.article_id}"><b>{escape(title)}</b></a></p>'
    ]
    if ctx.ancestors:
        parts.append('<p class="byline"><small>In reply to</small></p>')
        parts.extend(
            _box(f"{_head(a, c)}<br/>{_text(a.body)}", c, current=False, indent=min(i, MAX_INDENT))
            for i, a in enumerate(ctx.ancestors)
        )
    depth = min(len(ctx.ancestors), MAX_INDENT)
    body = highlighted_body(row.body, spans, mark)
    parts.append(
        _box(
            f"{_head(row, c)}<br/>{body}{edited_note(row, c)}{imported_note(row, c)}",
            c,
            current=True,
            indent=depth,
        )
    )
    if ctx.replies:
        parts.append('<p class="byline"><small>Replies</small></p>')
        parts.extend(_replies(ctx.replies, c, depth + 1))
    return "<body>" + "".join(parts) + "</body>"
