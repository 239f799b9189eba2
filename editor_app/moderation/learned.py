"""The learned comment model: a linear model over the features of ``features.py``.

It ships as plain arrays in ``resources/comment_model.npz`` (bucket indices, IDF values and
weights; no pickle, nothing executed on load) and is applied here with numpy, so it loads the
same under any scikit-learn version, or none. ``bench/train_scorer.py`` writes it.

:meth:`LearnedModel.run` scores a batch and gives every token's share of its comment's
log-odds (the words that pushed a score up, for reasons); :meth:`LearnedModel.explain` gives
them for one comment with their character spans.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import compress, pairwise, repeat
from operator import is_
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
    STOP_BUCKETS,
    bigram_bucket,
    char_vector,
    feature_of,
    lower,
    token_pattern,
    word_bucket,
    word_tokens,
)

__all__ = ["MODEL_FILE", "Contribution", "LearnedModel", "Pass", "word_counts"]

FORMAT = 1
_CACHE_LIMIT = 200_000

F32 = npt.NDArray[np.float32]
F64 = npt.NDArray[np.float64]


GROUP_BUCKET = word_bucket(GROUP_TOKEN)
# The unigram buckets of features.STOP_WORDS: IDF 0, so they weigh nothing and do not count in
# a comment's L2 norm (their bigrams do).
STOP_INDEX = np.asarray(sorted(STOP_BUCKETS), dtype=np.int64)


def without_stop_words(idf: F32) -> F32:
    """A copy of the IDF vector with the stop words' unigram buckets at 0."""
    out = np.array(idf, dtype=np.float32, copy=True)
    out[STOP_INDEX] = 0.0
    return out


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
    """Sublinear TF times IDF, L2-normalised per row (a new matrix; zeros dropped); the stop
    words' unigrams get IDF 0 (see :func:`without_stop_words`)."""
    idf = without_stop_words(idf)
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


def _unique(
    keys: npt.NDArray[np.int64], n: int
) -> tuple[npt.NDArray[Any], npt.NDArray[np.intp], npt.NDArray[np.intp]]:
    """``np.unique(keys, return_inverse=True, return_counts=True)`` (the same three arrays),
    faster: the keys of a batch of at most 4,096 comments (the comment in the high bits, the
    20-bit bucket below) fit 32 bits, which a stable sort orders by radix."""
    if n <= 1 << 12:
        keys = keys.astype(np.uint32)
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    first = np.empty(len(ordered), dtype=bool)
    first[:1] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    starts = np.flatnonzero(first)
    inverse = np.empty(len(ordered), dtype=np.intp)
    inverse[order] = np.cumsum(first) - 1
    counts = np.diff(np.append(starts, len(ordered)))
    return ordered[starts], inverse, counts


@dataclass(frozen=True)
class Contribution:
    """How much one word moved a comment's logit, and where the word is."""

    text: str
    start: int
    end: int
    weight: float
    index: int  # the token's position in the comment


@dataclass(frozen=True)
class Pass:
    """One batch through the model: each comment's log-odds, and each token's share of them
    (tokens of comment k are ``shares[offsets[k]:offsets[k + 1]]``, the words ``words[k]``,
    lower-cased, as ``features.TOKEN`` finds them)."""

    logits: F64
    shares: F64
    offsets: npt.NDArray[np.int64]
    words: list[list[str]]

    def token_shares(self, k: int) -> list[float]:
        return self.shares[self.offsets[k] : self.offsets[k + 1]].tolist()  # type: ignore[no-any-return]


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
        # The stop words' unigrams weigh nothing and do not count in the norm (as in tfidf).
        self.word_idf = without_stop_words(word_idf)
        self.word_coef = word_coef
        self.char_coef = char_coef
        self.intercept = float(intercept)
        # Weight of sqrt(token count) / 10: the character block sums its words over the square
        # root of their count, so it grows with length; this term lets the model take that out.
        self.length_coef = float(length_coef)
        self.meta = meta or {}
        # lower-cased word -> its row in the vocabulary arrays (filled as words come)
        self._index: dict[str, int] = {}
        self._vocab_rows: list[tuple[int, float, float]] = []
        self._bucket = np.zeros(0, dtype=np.int64)
        self._char = np.zeros(0, dtype=np.float64)
        self._noun = np.zeros(0, dtype=bool)

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

    def _vocabulary(self, words: Sequence[str]) -> None:
        """Add words to the vocabulary: each word's bucket, character-block score and whether
        it continues a group's name ("people" in "gay people")."""
        coef = self.char_coef
        for word in words:
            if word in self._index:
                continue
            feature = feature_of(word)
            score = (
                0.0  # naming a group weighs nothing by itself (nor does its unigram)
                if feature == GROUP_TOKEN
                else math.fsum(v * float(coef[h]) for h, v in char_vector(feature).items())
            )
            self._index[word] = len(self._vocab_rows)
            self._vocab_rows.append((word_bucket(feature), score, float(word in GROUP_NOUNS)))
        table = np.asarray(self._vocab_rows, dtype=np.float64).reshape(-1, 3)
        self._bucket = table[:, 0].astype(np.int64)
        self._char = table[:, 1].copy()
        self._noun = table[:, 2] > 0.0

    def run(self, texts: Sequence[str]) -> Pass:
        """Score a batch: each comment's log-odds and each token's share of them.

        Tokenising is the only per-comment Python; each word's row in the vocabulary comes
        from one ``map`` over the batch, and everything else is numpy.
        """
        n = len(texts)
        words: list[list[str]] = []
        flat: list[str] = []
        for text in texts:
            low = lower(text)
            w = word_tokens(low)
            words.append(w)
            flat.extend(w)
        lengths = np.fromiter(map(len, words), dtype=np.int64, count=n)
        m = len(flat)
        got = list(map(self._index.get, flat))
        if None in got:
            missing = list(compress(flat, map(is_, got, repeat(None))))  # got is None, in C
            if len(self._index) + len(missing) > _CACHE_LIMIT:
                self._index.clear()  # a bounded cache: start again with this batch's words
                self._vocab_rows.clear()
                missing = flat
            self._vocabulary(missing)
            got = list(map(self._index.__getitem__, flat))
        rows = np.fromiter(got, dtype=np.int64, count=m)
        ids = self._bucket[rows]
        chars = self._char[rows]
        doc = np.repeat(np.arange(n, dtype=np.int64), lengths)
        # "people" after a group's name is part of it (as ``features.features`` does).
        group = ids == GROUP_BUCKET
        if group.any():
            noun = self._noun[rows]
            same = doc[:-1] == doc[1:]
            while True:
                extend = group[:-1] & noun[1:] & same & ~group[1:]
                if not extend.any():
                    break
                at = np.flatnonzero(extend) + 1
                group[at] = True
                ids[at] = GROUP_BUCKET
                chars[at] = 0.0
        root = np.sqrt(lengths.astype(np.float64))
        safe_root = np.where(root > 0.0, root, 1.0)
        char_sum = np.bincount(doc, weights=chars, minlength=n)
        shares = chars / safe_root[doc]
        logits = char_sum / safe_root + (self.length_coef / 10) * root + self.intercept
        if m:
            logits += self._word_block(ids, doc, n, shares)
        offsets = np.zeros(n + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        return Pass(np.asarray(logits, dtype=np.float64), shares, offsets, words)

    def logits(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        """The model's log-odds for each comment (the intercept alone for an empty one)."""
        return self.run(texts).logits

    def _word_block(
        self, ids: npt.NDArray[np.int64], doc: npt.NDArray[np.int64], n: int, shares: F64
    ) -> F64:
        """The word block's part of each comment's logit, vectorised over the batch: the same
        values as ``tfidf(word_counts(docs), idf) @ coef`` (what training fits). Adds each
        token's part to ``shares``: its unigram's, and half of each bigram it is in (a
        repeated n-gram shares its weight between its occurrences)."""
        m = len(ids)
        left, right = ids[:-1], ids[1:]
        pair = (doc[:-1] == doc[1:]) & (left != GROUP_BUCKET) & (right != GROUP_BUCKET)
        bigrams = ((left[pair] * 0x9E3779B1) ^ (right[pair] + 0x7F4A7C15)) & (N_FEATURES - 1)
        keys = np.concatenate([(doc << 20) | ids, (doc[:-1][pair] << 20) | bigrams])
        unique, inverse, counts = _unique(keys, n)
        row = unique >> 20
        gram = unique & (N_FEATURES - 1)
        value = (1.0 + np.log(counts)) * self.word_idf[gram]
        square = np.bincount(row, weights=value * value, minlength=n)
        part = value * self.word_coef[gram]
        dot = np.bincount(row, weights=part, minlength=n)
        square[square == 0.0] = 1.0
        norm = np.sqrt(square)
        share = part / counts / norm[row]
        inverse = inverse.ravel()
        shares += share[inverse[:m]]
        if len(bigrams):
            half = share[inverse[m:]] / 2.0
            at = np.flatnonzero(pair)
            shares += np.bincount(at, weights=half, minlength=m)
            shares += np.bincount(at + 1, weights=half, minlength=m)
        return np.asarray(dot / norm, dtype=np.float64)

    def probabilities(self, texts: Sequence[str]) -> npt.NDArray[np.float64]:
        return np.asarray(1.0 / (1.0 + np.exp(-self.logits(texts))), dtype=np.float64)

    def explain(self, text: str, floor: float = -math.inf) -> list[Contribution]:
        """Each token's share of the logit (but the intercept and length term), in text order;
        with ``floor``, only the tokens whose share is at least ``floor`` and a quarter of
        the largest share.

        A token gets its character block score, its unigram's weight and half of each bigram
        it is part of, with the comment's TF-IDF values; a repeated word shares its n-gram's
        weight between its occurrences (see :meth:`run`).
        """
        shares = self.run([text]).shares.tolist()
        if not shares:
            return []
        low = lower(text)
        spans = [m.span() for m in token_pattern(low).finditer(low)]
        if floor > -math.inf:
            floor = max(floor, 0.25 * max(shares))
        return [
            Contribution(text[a:b], a, b, w, k)
            for k, ((a, b), w) in enumerate(zip(spans, shares, strict=True))
            if w >= floor
        ]
