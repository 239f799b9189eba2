"""Search snippets: the part of a text around the words a search found, with those words marked."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_WS = re.compile(r"\s+")
ELLIPSIS = "…"


@dataclass(frozen=True)
class Snippet:
    """`text` with `marks`, the (start, end) spans in it of the words searched for."""

    text: str
    marks: tuple[tuple[int, int], ...] = ()


@lru_cache(maxsize=64)
def _pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """Whole words, and `word*` as a prefix, as the full-text search matches them."""
    parts = []
    for term in terms:
        word = term.rstrip("*")
        if not word:
            continue
        tail = r"\w*" if term.endswith("*") else r"(?!\w)"
        parts.append(rf"(?<!\w){re.escape(word)}{tail}")
    if not parts:
        return None
    return re.compile("|".join(sorted(parts, key=len, reverse=True)), re.IGNORECASE)


def find_snippet(text: str, terms: list[str] | tuple[str, ...], width: int = 160) -> Snippet:
    """About `width` characters of `text` (spacing folded), from a little before the first
    word searched for; `…` where it was cut. No match (an accent the index folded, say):
    the text's opening, unmarked."""
    pattern = _pattern(tuple(terms))
    found = pattern.search(text) if pattern is not None else None
    if pattern is None or found is None:
        flat = _WS.sub(" ", text[: width * 2]).strip()
        return Snippet(_cut_end(flat, width))
    # Fold the spacing of the part around the match only: bodies can be long.
    start = found.start()
    before = _WS.sub(" ", text[max(0, start - width) : start]).lstrip()
    after = _WS.sub(" ", text[start : start + width * 2]).rstrip()
    lead = min(width // 3, 30)  # a few words before it: a result shows one line
    if len(before) > lead:
        cut = before.find(" ", len(before) - lead)
        before = ELLIPSIS + before[cut + 1 :] if cut != -1 else ELLIPSIS
    elif text[: max(0, start - width)].strip():
        before = ELLIPSIS + before
    flat = _cut_end(before + after, width)
    return Snippet(flat, tuple(m.span() for m in pattern.finditer(flat)))


def _cut_end(flat: str, width: int) -> str:
    if len(flat) <= width:
        return flat
    cut = flat.rfind(" ", 0, width)
    return (flat[:cut] if cut > width // 2 else flat[:width]).rstrip(" ,;:") + ELLIPSIS
