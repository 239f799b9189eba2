"""Word count, reading time and readability that work in any script."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Han, Hiragana, Katakana, Hangul syllables: each character counts as a word, as word
# processors count them; other scripts count runs of word characters.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af"
_APOSTROPHES = "'\u2019-"
_WORD = re.compile(rf"[{_CJK}]|[^\W{_CJK}]+(?:[{_APOSTROPHES}][^\W{_CJK}]+)*", re.UNICODE)
_SENTENCE = re.compile("[.!?\u3002\uff01\uff1f]+")
_VOWELS = re.compile(r"[aeiouy]+", re.I)
WORDS_PER_MINUTE = 230


@dataclass(frozen=True)
class TextStats:
    words: int
    characters: int
    reading_minutes: int
    # Flesch reading ease (English; higher is easier), None for too little text.
    readability: float | None


def count_words(text: str) -> int:
    return sum(1 for _ in _WORD.finditer(text))


def _syllables(word: str) -> int:
    word = word.lower().rstrip("e")
    return max(1, len(_VOWELS.findall(word)))


def text_stats(text: str) -> TextStats:
    words = [m.group(0) for m in _WORD.finditer(text)]
    n = len(words)
    minutes = max(1, round(n / WORDS_PER_MINUTE)) if n else 0
    readability: float | None = None
    latin = [w for w in words if w.isascii()]
    if len(latin) >= 20:
        sentences = max(1, len(_SENTENCE.findall(text)))
        syllables = sum(_syllables(w) for w in latin)
        readability = round(
            206.835 - 1.015 * (len(latin) / sentences) - 84.6 * (syllables / len(latin)), 1
        )
    return TextStats(n, len(text), minutes, readability)
