"""Names of people in running copy: titles stripped, surnames matched, spellings compared."""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher
from functools import lru_cache

# A word: letters, with inner hyphens or apostrophes (Okonkwo-Hale, O'Neill).
WORD = re.compile(r"[^\W\d_]+(?:[-'\u2019][^\W\d_]+)*")

# Words that stand before a name as its title or description, not part of it.
_TITLES = """
    president vice prime minister foreign defense defence interior finance deputy secretary
    state general supreme leader ayatollah pm mp mep senator sen rep representative gov governor
    mayor councillor councilor chair chairman chairwoman chairperson chief executive ceo cfo
    director spokesman spokeswoman spokesperson ambassador envoy special judge justice king
    queen prince princess pope bishop rabbi imam reverend rev dr mr mrs ms miss professor prof
    sir dame lord lady commissioner officer inspector sergeant captain colonel major lieutenant
    admiral analyst archivist owner founder editor reporter chancellor premier speaker
    congressman congresswoman assemblyman sheriff superintendent principal manager head
"""
TITLE_WORDS = frozenset(_TITLES.split())

# Capitalised words that begin sentences or stand alone without being names.
_STOPS = """
    a an the and but or yet so if when while since after before as at by for from in into of
    on to with without this that these those there here it its he she they we you i his her
    their our my your according however meanwhile still also then though although because
    now today yesterday tomorrow last next every each some many most more few all both
    monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december us uk eu un
"""
STOP_CAPS = frozenset(_STOPS.split())

NATIONALITY = re.compile(r"(?:ish|ian|ese|ean|i|an)$")


@lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Case, accents and the dotless i folded: Çavuşoğlu and Cavusoglu give one key."""
    text = text.replace("\u0131", "i").replace("\u0130", "I")
    folded = unicodedata.normalize("NFKD", text)
    return "".join(c for c in folded if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=8192)
def sound_key(word: str) -> str:
    """A looser key: y/i, ph/f, ck/k, doubled letters (Pashinyan / Pashinian)."""
    key = fold(word)
    for a, b in (("ph", "f"), ("ck", "k"), ("y", "i"), ("j", "i"), ("w", "v"), ("q", "k")):
        key = key.replace(a, b)
    return re.sub(r"(.)\1+", r"\1", key)


def strip_possessive(word: str) -> str:
    for suffix in ("\u2019s", "'s", "\u2019", "'"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)]
    return word


def is_cap(word: str) -> bool:
    return bool(word) and word[0].isupper()


def split_title(words: list[str]) -> tuple[list[str], list[str]]:
    """(title words, name words) of a run like `Turkish Foreign Minister Mevlut Cavusoglu`."""
    last_title = -1
    for i, w in enumerate(words):
        if fold(w).rstrip(".") in TITLE_WORDS:
            last_title = i
    title, name = words[: last_title + 1], words[last_title + 1 :]
    # A leading nationality or place before a title is part of the title (Armenian PM ...).
    while len(name) > 2 and NATIONALITY.search(fold(name[0])) and last_title >= 0:
        title.append(name.pop(0))
    return title, name


def similar_spelling(a: str, b: str) -> bool:
    """Two different spellings that very likely mean one name."""
    if a == b:
        return False
    fa, fb = fold(a), fold(b)
    if fa == fb:
        return True  # accents or case only: Erdoğan / Erdogan
    if len(fa) < 4 or len(fb) < 4:
        return False
    if sound_key(a) == sound_key(b):
        return True  # Pashinyan / Pashinian, Osei / Oseii
    if len(fa) < 5 or len(fb) < 5 or fa.startswith(fb) or fb.startswith(fa):
        return False  # Armenia / Armenian: another word, not another spelling
    return fa[0] == fb[0] and SequenceMatcher(None, fa, fb).ratio() >= 0.86
