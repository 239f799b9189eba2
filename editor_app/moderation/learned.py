"""The learned comment model: a linear model over the features of ``features.py``.

It ships as plain arrays in ``resources/comment_model.npz`` (bucket indices, IDF values and
weights; no pickle, nothing executed on load) and is applied here with numpy, so it loads the
same under any scikit-learn version, or none. ``bench/train_scorer.py`` writes it.

:meth:`LearnedModel.logits` scores a batch; :meth:`LearnedModel.explain` says which words of
one comment pushed its score up, with their character spans.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from editor_app.moderation.features import (
    GROUP_TOKEN,
    N_FEATURES,
    TOKEN,
    bigram_bucket,
    char_vector,
    feature_of,
    lower,
    tokens,
    word_bucket,
)

__all__ = ["MODEL_FILE", "Contribution", "LearnedModel", "word_counts"]

MODEL_FILE = "comment_model.npz"
FORMAT = 1
_CACHE_LIMIT = 200_000

F32 = npt.NDArray[np.float32]


GROUP_BUCKET = word_bucket(GROUP_TOKEN)


def _bigrams(ids: Sequence[int]) -> list[int]:
    """Bigram buckets; none with a group name ("xgroupx are" says nothing by itself)."""
    g = GROUP_BUCKET
    return [bigram_bucket(a, b) for a, b in pairwise(ids) if a != g and b != g]


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


class LearnedModel:
    """Word block weights and IDF, character block weights, intercept (see ``features.py``)."""

    def __init__(
        self,
        word_idf: F32,
        word_coef: F32,
        char_coef: F32,
        intercept: float,
        meta: dict[str, Any] | None = None,
    ) -> None:
        self.word_idf = word_idf
        self.word_coef = word_coef
        self.char_coef = char_coef
        self.intercept = float(intercept)
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
            return cls(word_idf, word_coef, char_coef, float(z["intercept"]), meta)

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
                0.0  # naming a group weighs nothing by itself (its unigram's IDF is 0 too)
                if feature == GROUP_TOKEN
                else math.fsum(v * float(coef[h]) for h, v in char_vector(feature).items())
            )
            got = self._cache[word] = (word_bucket(feature), score)
        return got

    def logits(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """The model's log-odds for each comment (the intercept alone for an empty one)."""
        docs: list[list[int]] = []
        chars = np.zeros(len(texts), dtype=np.float64)
        cache = self._cache
        for k, text in enumerate(texts):
            words = TOKEN.findall(lower(text))
            entries = [cache.get(w) or self._entry(w) for w in words]
            docs.append([e[0] for e in entries])
            if entries:
                chars[k] = math.fsum(e[1] for e in entries) / math.sqrt(len(entries))
        x = tfidf(word_counts(docs), self.word_idf)
        return np.asarray(x @ self.word_coef, dtype=np.float64) + chars + self.intercept

    def probabilities(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        return np.asarray(1.0 / (1.0 + np.exp(-self.logits(texts))), dtype=np.float64)

    def explain(self, text: str) -> list[Contribution]:
        """Each token's share of the logit (minus the intercept), in text order.

        A token gets its character block score, its unigram's weight and half of each bigram
        it is part of, with the comment's TF-IDF values; a repeated word shares its n-gram's
        weight between its occurrences.
        """
        toks = tokens(text)
        if not toks:
            return []
        low = lower(text)
        entries = [self._entry(low[t.start : t.end]) for t in toks]
        ids = [e[0] for e in entries]
        x = tfidf(word_counts([ids]), self.word_idf)
        value: dict[int, float] = dict(zip(x.indices.tolist(), x.data.tolist(), strict=True))
        occurrences: dict[int, int] = {}
        grams = [*ids, *_bigrams(ids)]
        for g in grams:
            occurrences[g] = occurrences.get(g, 0) + 1

        def part(g: int) -> float:
            return value.get(g, 0.0) * float(self.word_coef[g]) / occurrences[g]

        root = math.sqrt(len(toks))
        shares = [e[1] / root + part(e[0]) for e in entries]
        for i in range(len(ids) - 1):
            if GROUP_BUCKET in (ids[i], ids[i + 1]):
                continue
            half = part(bigram_bucket(ids[i], ids[i + 1])) / 2
            shares[i] += half
            shares[i + 1] += half
        return [
            Contribution(text[t.start : t.end], t.start, t.end, w)
            for t, w in zip(toks, shares, strict=True)
        ]
