"""Word-level differences between two texts, as a reader of a revision history wants them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher

# Words, punctuation and spaces as separate pieces: joined, they give the text back exactly.
_TOKEN = re.compile(r"\w+|[^\w\s]+|\s+", re.UNICODE)


@dataclass(frozen=True)
class DiffOp:
    kind: str  # "equal", "insert" or "delete"
    text: str


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


def _add(ops: list[DiffOp], kind: str, text: str) -> None:
    if not text:
        return
    if ops and ops[-1].kind == kind:
        ops[-1] = DiffOp(kind, ops[-1].text + text)
    else:
        ops.append(DiffOp(kind, text))


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
