"""Spell checking: a word list with the newsroom's own words, and the wavy underline.

QSyntaxHighlighter re-highlights only the blocks an edit touched (and the ones after, while
their state changes; we keep no state), so a keystroke costs one paragraph. Verdicts are
cached per word, so a paragraph costs dictionary look-ups only for new words.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

# Letters with inner apostrophes (don't, O\u2019Brien); digits and underscores are not words here.
WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")


class Speller:
    """An English word list (pyspellchecker, offline) plus words the newsroom added."""

    def __init__(self, extra: Iterable[str] = ()) -> None:
        from spellchecker import SpellChecker  # loading the word list takes ~0.2 s

        self._checker = SpellChecker(language="en")
        self._extra: set[str] = set()
        self._verdicts: dict[str, bool] = {}
        self.add_words(extra)

    def add_words(self, words: Iterable[str]) -> None:
        for word in words:
            self._extra.add(word)
            self._extra.add(word.lower())
            self._verdicts.pop(word, None)

    def is_correct(self, word: str) -> bool:
        verdict = self._verdicts.get(word)
        if verdict is None:
            verdict = self._check(word)
            self._verdicts[word] = verdict
        return verdict

    def _check(self, word: str) -> bool:
        if len(word) < 2 or word in self._extra or word.lower() in self._extra:
            return True
        if not word.isascii():
            return True  # the word list is English; other scripts are not flagged
        plain = word.replace("\u2019", "'")
        if plain.endswith("'s"):
            plain = plain[:-2]
        if plain.isupper():
            return True  # acronyms: NATO, BBC
        return plain.lower() in self._checker

    def suggestions(self, word: str, limit: int = 5) -> list[str]:
        found = self._checker.candidates(word.lower()) or set()
        ranked = sorted(found, key=lambda w: (-self._checker.word_usage_frequency(w), w))
        if word[:1].isupper():
            ranked = [w[:1].upper() + w[1:] for w in ranked]
        return ranked[:limit]


class SpellHighlighter(QSyntaxHighlighter):
    def __init__(self, document: QTextDocument, speller: Speller, colour: QColor) -> None:
        super().__init__(document)
        self.speller = speller
        self.enabled = True
        self._format = QTextCharFormat()
        self._format.setUnderlineStyle(QTextCharFormat.UnderlineStyle.SpellCheckUnderline)
        self._format.setUnderlineColor(colour)

    def highlightBlock(self, text: str) -> None:
        if not self.enabled:
            return
        for match in WORD.finditer(text):
            if not self.speller.is_correct(match.group()):
                self.setFormat(match.start(), match.end() - match.start(), self._format)


def misspelt_ranges(block_layout_formats: Iterable[object]) -> list[tuple[int, int]]:
    """(start, length) of the underlined words of a block layout's formats (for tests)."""
    out = []
    for rng in block_layout_formats:
        fmt = rng.format  # type: ignore[attr-defined]
        if fmt.underlineStyle() == QTextCharFormat.UnderlineStyle.SpellCheckUnderline:
            out.append((rng.start, rng.length))  # type: ignore[attr-defined]
    return out
