"""Word-level differences as rich text: insertions tinted green, deletions red and struck,
changes of formatting (a link, bold, a heading, a list) tinted blue with a note of what changed.

The tints are mixed from the palette's base colour, so they read on light and dark themes.
"""

from __future__ import annotations

import html

from PySide6.QtGui import QColor, QPalette

from editor_app.services.editing import FieldDiff
from editor_app.ui.theme import css_colour, mix

FIELD_LABELS = {
    "title": "Title",
    "dek": "Dek",
    "slug": "Slug",
    "section": "Section",
    "tags": "Tags",
    "status": "Status",
    "bylines": "Bylines",
    "excerpt": "Excerpt",
    "figures": "Figures",
    "body": "Body",
}
CONTEXT = 160  # characters of unchanged text kept on each side of a change


def diff_colours(palette: QPalette) -> dict[str, str]:
    base = palette.color(QPalette.ColorRole.Base)
    text = palette.color(QPalette.ColorRole.Text)
    return {
        "insert": css_colour(mix(base, QColor(46, 160, 67), 0.35)),
        "delete": css_colour(mix(base, QColor(218, 54, 51), 0.35)),
        "format": css_colour(mix(base, QColor(56, 132, 255), 0.28)),
        "note": css_colour(mix(text, QColor(56, 132, 255), 0.55)),
        "text": css_colour(text),
        "muted": css_colour(mix(text, base, 0.45)),
    }


def _escape(text: str) -> str:
    return html.escape(text, quote=False).replace("\n", "<br>")


def _equal(text: str, first: bool, last: bool, colours: dict[str, str]) -> str:
    """Long unchanged stretches are cut to the words around the changes."""
    if len(text) <= 2 * CONTEXT + 40:
        return _escape(text)
    head = "" if first else text[:CONTEXT]
    tail = "" if last else text[-CONTEXT:]
    gap = f'<span style="color:{colours["muted"]}"> … </span>'
    return _escape(head) + gap + _escape(tail)


def field_html(diff: FieldDiff, colours: dict[str, str]) -> str:
    parts = []
    for i, op in enumerate(diff.ops):
        if op.kind == "format":
            parts.append(_format_html(op.text, op.note, colours))
        elif op.kind == "insert":
            parts.append(f'<span style="background:{colours["insert"]}">{_escape(op.text)}</span>')
            if op.note:
                parts.append(_note(op.note, colours))
        elif op.kind == "delete":
            parts.append(
                f'<span style="background:{colours["delete"]};'
                f' text-decoration:line-through">{_escape(op.text)}</span>'
            )
        else:
            parts.append(_equal(op.text, i == 0, i == len(diff.ops) - 1, colours))
    return "".join(parts)


def _note(note: str, colours: dict[str, str]) -> str:
    return (
        f'<span style="color:{colours["note"]}; font-size:small; font-weight:600">'
        f" [{html.escape(note)}]</span>"
    )


def _format_html(text: str, note: str, colours: dict[str, str]) -> str:
    """Same words, other formatting: tinted blue and underlined, with what changed."""
    if not text:  # the block's kind changed (a paragraph became a heading or a list item)
        return (
            f'<span style="color:{colours["note"]}; font-size:small; font-weight:600">'
            f"¶ {html.escape(note)}:</span> "
        )
    return (
        f'<span style="background:{colours["format"]}; text-decoration:underline">'
        f"{_escape(text)}</span>{_note(note, colours)}"
    )


def diff_html(diffs: tuple[FieldDiff, ...], palette: QPalette, *, empty: str) -> str:
    colours = diff_colours(palette)
    if not diffs:
        return f'<p style="color:{colours["muted"]}">{html.escape(empty)}</p>'
    out = []
    for diff in diffs:
        label = FIELD_LABELS.get(diff.field, diff.field.capitalize())
        out.append(f'<h4 style="margin-bottom:2px">{html.escape(label)}</h4>')
        out.append(f"<p>{field_html(diff, colours)}</p>")
    return "".join(out)
