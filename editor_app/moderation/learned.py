"""The learned comment model: a linear model over the features of ``features.py``.

It ships as plain arrays in ``resources/comment_model.npz`` (bucket indices, IDF values and
weights; no pickle, nothing executed on load) and is applied here with numpy, so it loads the
same under any scikit-learn version, or none. ``bench/train_scorer.py`` writes it.

:meth:`LearnedModel.logits` scores a batch; :meth:`LearnedModel.explain` says which words of
one comment pushed its score up, with their character spans.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from editor_app.moderation.features import (
    GROUP_NOUNS,
    GROUP_TOKEN,
    MODEL_FILE,
    N_FEATURES,
    TOKEN,
    bigram_bucket,
    char_vector,
    feature_of,
    lower,
    word_bucket,
)

__all__ = ["MODEL_FILE", "Contribution", "LearnedModel", "word_counts"]

FORMAT = 1
_CACHE_LIMIT = 200_000

F32 = npt.NDArray[np.float32]


GROUP_BUCKET = word_bucket(GROUP_TOKEN)


def _bigrams(ids: Sequence[int]) -> list[int]:
    """Bigram buckets; none with a group name ("xgroupx are" says nothing by itself)."""
    g = GROUP_BUCKET
    return [bigram_bucket(a, b) for a, b in pairwise(ids) if a != g and b != g]


_GROUP_ENTRY = (GROUP_BUCKET, 0.0)


def _group_nouns(words: list[str], entries: list[tuple[int, float]]) -> None:
    """ "people" after a group's name is part of it (as ``features.features`` does)."""
    if _GROUP_ENTRY in entries:
        for i in range(1, len(entries)):
            if entries[i - 1][0] == GROUP_BUCKET and words[i] in GROUP_NOUNS:
                entries[i] = _GROUP_ENTRY


def word_counts(docs: Sequence[Sequence[int]]) -> sp.csr_matrix:
    """Unigram and bigram bucket counts, one row per document of word buckets."""
    indptr = [0]
    indices: list[int] = []
    for ids in docs:
        indices.extend(ids)
        if len(ids) > 1:
            indices.extend(
                _bigrams(ids) if GROUP_BUCKET in ids else map(bigram_bucket, ids, ids[1:])
            )
        indptr.append(len(indices))
    m = sp.csr_matrix(
        (
            np.ones(len(indices), dtype=np.float32),
            np.asarray(indices, dtype=np.int32),
            np.asarray(indptr, dtype=np.int64),
        ),
        shape=(len(docs), N_FEATURES),
    )
    m.sum_duplicates()
    return m


def tfidf(counts: sp.csr_matrix, idf: F32) -> sp.csr_matrix:
    """Sublinear TF times IDF, L2-normalised per row (a new matrix; zeros dropped)."""
    out = counts.astype(np.float32, copy=True)
    np.log(out.data, out=out.data)
    out.data += 1.0
    out.data *= idf[out.indices]
    sq = np.asarray(out.multiply(out).sum(axis=1), dtype=np.float64).ravel()
    norms = np.sqrt(sq)
    norms[norms == 0.0] = 1.0
    out.data *= np.repeat((1.0 / norms).astype(np.float32), np.diff(out.indptr))
    out.eliminate_zeros()
    return out


@dataclass(frozen=True)
class Contribution:
    """How much one word moved a comment's logit, and where the word is."""

    text: str
    start: int
    end: int
    weight: float
    index: int  # the token's position in the comment


class LearnedModel:
    """Word block weights and IDF, character block weights, intercept (see ``features.py``)."""

    def __init__(
        self,
        word_idf: F32,
        word_coef: F32,
        char_coef: F32,
        intercept: float,
        meta: dict[str, Any] | None = None,
        length_coef: float = 0.0,
    ) -> None:
        self.word_idf = word_idf
        self.word_coef = word_coef
        self.char_coef = char_coef
        self.intercept = float(intercept)
        # Weight of sqrt(token count) / 10: the character block sums its words over the square
        # root of their count, so it grows with length; this term lets the model take that out.
        self.length_coef = float(length_coef)
        self.meta = meta or {}
        # lower-cased word -> (word bucket, character-block score)
        self._cache: dict[str, tuple[int, float]] = {}

    # --- persistence ------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path) -> LearnedModel:
        with np.load(path, allow_pickle=False) as z:
            if int(z["format"]) != FORMAT:
                raise ValueError(f"{path.name}: model format {int(z['format'])}, not {FORMAT}")
            word_idf = np.zeros(N_FEATURES, dtype=np.float32)
            word_coef = np.zeros(N_FEATURES, dtype=np.float32)
            char_coef = np.zeros(N_FEATURES, dtype=np.float32)
            word_idf[z["word_idx"]] = z["word_idf"]
            word_coef[z["word_idx"]] = z["word_coef"]
            char_coef[z["char_idx"]] = z["char_coef"]
            meta = {k[5:]: z[k] for k in z.files if k.startswith("meta_")}
            length = float(z["length_coef"]) if "length_coef" in z.files else 0.0
            return cls(word_idf, word_coef, char_coef, float(z["intercept"]), meta, length)

    def save(self, path: Path, meta: dict[str, npt.ArrayLike] | None = None) -> None:
        word_idx = np.flatnonzero(self.word_idf).astype(np.int32)
        char_idx = np.flatnonzero(self.char_coef).astype(np.int32)
        extra = {f"meta_{k}": np.asarray(v) for k, v in (meta or {}).items()}
        arrays: dict[str, Any] = {
            "format": np.int32(FORMAT),
            "word_idx": word_idx,
            "word_idf": self.word_idf[word_idx],
            "word_coef": self.word_coef[word_idx],
            "char_idx": char_idx,
            "char_coef": self.char_coef[char_idx],
            "intercept": np.float64(self.intercept),
            "length_coef": np.float64(self.length_coef),
            **extra,
        }
        with path.open("wb") as f:
            np.savez_compressed(f, **arrays)

    # --- scoring ----------------------------------------------------------------------------

    def _entry(self, word: str) -> tuple[int, float]:
        got = self._cache.get(word)
        if got is None:
            if len(self._cache) >= _CACHE_LIMIT:
                self._cache.clear()
            feature = feature_of(word)
            coef = self.char_coef
            score = (
                0.0  # naming a group weighs nothing by itself (nor does its unigram)
                if feature == GROUP_TOKEN
                else math.fsum(v * float(coef[h]) for h, v in char_vector(feature).items())
            )
            got = self._cache[word] = (word_bucket(feature), score)
        return got

    def logits(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """The model's log-odds for each comment (the intercept alone for an empty one)."""
        n = len(texts)
        flat: list[int] = []
        lengths: list[int] = []
        chars = np.zeros(n, dtype=np.float64)
        cache = self._cache
        entry = self._entry
        tenth = self.length_coef / 10
        for k, text in enumerate(texts):
            words = TOKEN.findall(lower(text))
            entries = [cache.get(w) or entry(w) for w in words]
            _group_nouns(words, entries)
            lengths.append(len(entries))
            if entries:
                flat.extend([e[0] for e in entries])
                root = math.sqrt(len(entries))
                chars[k] = math.fsum([e[1] for e in entries]) / root + tenth * root
        return self._word_block(flat, lengths) + chars + self.intercept

    def _word_block(self, flat: list[int], lengths: list[int]) -> npt.NDArray[np.float64]:
        """The word block's part of each comment's logit, vectorised over the batch: the same
        values as ``tfidf(word_counts(docs), idf) @ coef`` (what training fits)."""
        n = len(lengths)
        if not flat:
            return np.zeros(n, dtype=np.float64)
        ids = np.asarray(flat, dtype=np.int64)
        doc = np.repeat(np.arange(n, dtype=np.int64), lengths)
        left, right = ids[:-1], ids[1:]
        pair = (doc[:-1] == doc[1:]) & (left != GROUP_BUCKET) & (right != GROUP_BUCKET)
        bigrams = ((left[pair] * 0x9E3779B1) ^ (right[pair] + 0x7F4A7C15)) & (N_FEATURES - 1)
        keys = np.concatenate([(doc << 20) | ids, (doc[:-1][pair] << 20) | bigrams])
        unique, counts = np.unique(keys, return_counts=True)
        row = unique >> 20
        gram = unique & (N_FEATURES - 1)
        value = (1.0 + np.log(counts)) * self.word_idf[gram]
        square = np.bincount(row, weights=value * value, minlength=n)
        dot = np.bincount(row, weights=value * self.word_coef[gram], minlength=n)
        square[square == 0.0] = 1.0
        return np.asarray(dot / np.sqrt(square), dtype=np.float64)

    def probabilities(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        return np.asarray(1.0 / (1.0 + np.exp(-self.logits(texts))), dtype=np.float64)

    def explain(self, text: str, floor: float = -math.inf) -> list[Contribution]:
        """Each token's share of the logit (but the intercept and length term), in text order;
        with ``floor``, only the tokens whose share is at least ``floor`` and a quarter of
        the largest share.

        A token gets its character block score, its unigram's weight and half of each bigram
        it is part of, with the comment's TF-IDF values; a repeated word shares its n-gram's
        weight between its occurrences.
        """
        low = lower(text)
        spans = [m.span() for m in TOKEN.finditer(low)]
        if not spans:
            return []
        entries = [self._entry(low[a:b]) for a, b in spans]
        _group_nouns([low[a:b] for a, b in spans], entries)
        ids = [e[0] for e in entries]
        g = GROUP_BUCKET
        pairs = [(x, y) for x, y in pairwise(ids) if x != g and y != g]
        bigrams = [bigram_bucket(x, y) for x, y in pairs]
        occurrences = Counter(ids)
        occurrences.update(bigrams)
        # The same TF-IDF values as tfidf(word_counts(...)), for one comment, vectorised.
        grams = np.fromiter(occurrences.keys(), dtype=np.int64, count=len(occurrences))
        n = np.fromiter(occurrences.values(), dtype=np.float64, count=len(occurrences))
        value = (1.0 + np.log(n)) * self.word_idf[grams]
        norm = float(np.sqrt(value @ value)) or 1.0
        weights = (value * self.word_coef[grams] / n / norm).tolist()
        share = dict(zip(grams.tolist(), weights, strict=True))
        root = math.sqrt(len(spans))
        # The length term and the intercept are about the comment, not any word: left out.
        shares = [e[1] / root + share[e[0]] for e in entries]
        if bigrams:
            half = {k: share[k] / 2 for k in bigrams}
            k = 0
            for i in range(len(ids) - 1):
                if ids[i] == g or ids[i + 1] == g:
                    continue
                h = half[bigrams[k]]
                k += 1
                shares[i] += h
                shares[i + 1] += h
        if floor > -math.inf:
            floor = max(floor, 0.25 * max(shares))
        return [
            Contribution(text[a:b], a, b, w, k)
            for k, ((a, b), w) in enumerate(zip(spans, shares, strict=True))
            if w >= floor
        ]
