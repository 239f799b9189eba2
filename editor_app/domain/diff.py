"""Word-level differences between two texts, as a reader of a revision history wants them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

# Words, punctuation and spaces as separate pieces: joined, they give the text back exactly.
_TOKEN = re.compile(r"\w+|[^\w\s]+|\s+", re.UNICODE)


@dataclass(frozen=True)
class DiffOp:
    kind: str  # "equal", "insert", "delete" or "format" (same words, other formatting)
    text: str
    # What changed for a "format" op ("bold", "link to …", "Paragraph → Heading 2"), or the
    # formatting of inserted text; empty otherwise.
    note: str = ""


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> tuple[DiffOp, ...]:
    """Paragraphs are matched first, words only inside the paragraphs that changed.

    A word-by-word match over a whole 10,000-word article is quadratic (seconds); most
    revisions touch a few paragraphs, so this stays in milliseconds.
    """
    ops: list[DiffOp] = []
    old_paras, new_paras = _paragraphs(old), _paragraphs(new)
    matcher = SequenceMatcher(None, old_paras, new_paras, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _add(ops, "equal", "".join(old_paras[i1:i2]))
        elif tag == "delete":
            _add(ops, "delete", "".join(old_paras[i1:i2]))
        elif tag == "insert":
            _add(ops, "insert", "".join(new_paras[j1:j2]))
        else:
            for op in _words(tokens("".join(old_paras[i1:i2])), tokens("".join(new_paras[j1:j2]))):
                _add(ops, op.kind, op.text)
    return tuple(ops)


_PARAGRAPH = re.compile(r".*?(?:\n\n+|$)", re.S)


def _paragraphs(text: str) -> list[str]:
    return [p for p in _PARAGRAPH.findall(text) if p]


def _add(ops: list[DiffOp], kind: str, text: str, note: str = "") -> None:
    if not text and not note:
        return
    if ops and ops[-1].kind == kind and ops[-1].note == note and text:
        ops[-1] = DiffOp(kind, ops[-1].text + text, note)
    else:
        ops.append(DiffOp(kind, text, note))


def _words(a: list[str], b: list[str]) -> tuple[DiffOp, ...]:
    ops: list[DiffOp] = []

    def add(kind: str, text: str) -> None:
        _add(ops, kind, text)

    # autojunk off: common words must not be thrown away in long articles.
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", "".join(a[i1:i2]))
        else:
            add("delete", "".join(a[i1:i2]))
            add("insert", "".join(b[j1:j2]))
    return tuple(ops)


def changed(ops: tuple[DiffOp, ...]) -> bool:
    return any(op.kind != "equal" for op in ops)


# Formatting-aware diff of bodies -------------------------------------------------------------

# A run's style: (bold, italic, link target or "").
Style = tuple[bool, bool, str]
Run = tuple[str, Style]
# A block: its kind ("p", "h2", "h3", "quote", "ul", "ol") and its styled runs.
StyledBlock = tuple[str, tuple[Run, ...]]

BLOCK_LABELS = {
    "p": "Paragraph",
    "h2": "Heading 2",
    "h3": "Heading 3",
    "quote": "Block quote",
    "ul": "Bulleted list",
    "ol": "Numbered list",
}
_PLAIN: Style = (False, False, "")
_BLOCK_GAP = "\n\n"


def _block_text(block: StyledBlock) -> str:
    return "".join(text for text, _style in block[1])


def _styled_tokens(block: StyledBlock) -> list[tuple[str, Style]]:
    return [(tok, style) for text, style in block[1] for tok in tokens(text)]


def style_note(old: Style, new: Style) -> str:
    """What a reader needs to know about a change of formatting, in words."""
    notes = []
    if old[0] != new[0]:
        notes.append("bold" if new[0] else "no longer bold")
    if old[1] != new[1]:
        notes.append("italic" if new[1] else "no longer italic")
    if old[2] != new[2]:
        if not old[2]:
            notes.append(f"link to {new[2]}")
        elif not new[2]:
            notes.append(f"link to {old[2]} removed")
        else:
            notes.append(f"link {old[2]} → {new[2]}")
    return ", ".join(notes)


def _style_of_new(style: Style) -> str:
    return style_note(_PLAIN, style) if style != _PLAIN else ""


def _inline_diff(ops: list[DiffOp], a: list[tuple[str, Style]], b: list[tuple[str, Style]]) -> None:
    matcher = SequenceMatcher(None, [t for t, _ in a], [t for t, _ in b], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            _add(ops, "delete", "".join(t for t, _ in a[i1:i2]))
            added = [t for t, _ in b[j1:j2]]
            notes = _smooth(added, [_style_of_new(st) for _t, st in b[j1:j2]])
            for tok, note in zip(added, notes, strict=True):
                _add(ops, "insert", tok, note)
            continue
        words = [t for t, _ in a[i1:i2]]
        notes = _smooth(
            words,
            [style_note(sa, sb) for (_ta, sa), (_tb, sb) in zip(a[i1:i2], b[j1:j2], strict=True)],
        )
        for tok, note in zip(words, notes, strict=True):
            _add(ops, "format" if note else "equal", tok, note)


def _smooth(words: list[str], notes: list[str]) -> list[str]:
    """Spaces carry no formatting of their own: one between two words noted alike joins them."""
    out = ["" if w.isspace() else n for w, n in zip(words, notes, strict=True)]
    for k in range(1, len(words) - 1):
        if words[k].isspace() and out[k - 1] and out[k - 1] == out[k + 1]:
            out[k] = out[k - 1]
    return out


def _pair_diff(ops: list[DiffOp], a: StyledBlock, b: StyledBlock) -> None:
    if a[0] != b[0]:
        label = f"{BLOCK_LABELS.get(a[0], a[0])} → {BLOCK_LABELS.get(b[0], b[0])}"
        ops.append(DiffOp("format", "", label))
    _inline_diff(ops, _styled_tokens(a), _styled_tokens(b))


def styled_diff(old: list[StyledBlock], new: list[StyledBlock]) -> tuple[DiffOp, ...]:
    """Word-level diff of two bodies that also reports changes of formatting.

    Blocks are matched first (as paragraphs are in :func:`word_diff`); inside a changed block
    the words are compared with their style, so a word made bold, a new link target or a
    paragraph turned into a heading or a list item comes out as a "format" op with a note.
    Blocks are joined by a blank line, as in the plain text of a body.
    """
    ops: list[DiffOp] = []
    started = [False, False]  # a block of the old / the new side was written

    def separate(old_side: bool, new_side: bool) -> None:
        """The blank line before a block, on the sides that already have one."""
        before_old, before_new = old_side and started[0], new_side and started[1]
        if before_old and before_new:
            _add(ops, "equal", _BLOCK_GAP)
        elif before_old:
            _add(ops, "delete", _BLOCK_GAP)
        elif before_new:
            _add(ops, "insert", _BLOCK_GAP)
        started[0] = started[0] or old_side
        started[1] = started[1] or new_side

    matcher = SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for i in range(i1, i2):
                separate(True, True)
                _add(ops, "equal", _block_text(old[i]))
            continue
        a_texts = [_block_text(x) for x in old[i1:i2]]
        b_texts = [_block_text(x) for x in new[j1:j2]]
        inner = SequenceMatcher(None, a_texts, b_texts, autojunk=False)
        for itag, k1, k2, m1, m2 in inner.get_opcodes():
            paired = min(k2 - k1, m2 - m1) if itag in ("equal", "replace") else 0
            for n in range(paired):
                separate(True, True)
                _pair_diff(ops, old[i1 + k1 + n], new[j1 + m1 + n])
            for i in range(i1 + k1 + paired, i1 + k2):
                separate(True, False)
                _add(ops, "delete", _block_text(old[i]))
            for j in range(j1 + m1 + paired, j1 + m2):
                separate(False, True)
                _add(ops, "insert", _block_text(new[j]))
    return tuple(ops)
