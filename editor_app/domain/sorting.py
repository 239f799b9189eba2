"""Sorting names and titles as people read them: user2 before user10, case and accents aside."""

from __future__ import annotations

import unicodedata
from typing import Any

from natsort import natsort_keygen


def _plain(text: str) -> str:
    """Émile → emile: accents and case do not move a name to the end of the list."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_key = natsort_keygen(key=_plain)


def natural_key(text: str) -> Any:
    """A sort key for text: ``sorted(names, key=natural_key)``; ties keep the exact text."""
    return (_key(text), text)
