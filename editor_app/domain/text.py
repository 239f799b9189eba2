"""Small text rules shared by importers, services and the store."""

from __future__ import annotations

import re
import unicodedata

_SLUG_STRIP = re.compile(r"[^\w\s-]", re.UNICODE)
_SLUG_DASH = re.compile(r"[-\s_]+")
_WS = re.compile(r"\s+")


def slugify(text: str, max_length: int = 80) -> str:
    """A URL slug: ASCII where the text can be folded to it, lowercase, dashes."""
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    folded = folded.replace("\u2019", "").replace("'", "")
    folded = _SLUG_STRIP.sub(" ", folded).strip().lower()
    slug = _SLUG_DASH.sub("-", folded).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] or slug[:max_length]
    return slug or "untitled"


def normalise_name(name: str) -> str:
    """The key two spellings of one person's name share: case, accents and spacing folded."""
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _WS.sub(" ", folded).strip().casefold()


def clean_space(text: str) -> str:
    """Trailing spaces and no-break spaces off each line; inner spacing kept."""
    return "\n".join(line.rstrip(" \t\u00a0\u202f") for line in text.split("\n")).strip("\n")


def byline(names: list[str]) -> str:
    """Names as a byline reads them: "A", "A and B", "A, B and C"."""
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
