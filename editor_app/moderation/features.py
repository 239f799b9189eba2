"""The learned scorer's features, shared by training (``bench/train_scorer.py``) and scoring.

* Text is lower-cased and split into tokens (words with inner apostrophes, numbers). A link
  becomes the token ``xurlx``, an @mention ``xuserx``, and every word that names a people,
  nation, faith or other identity group becomes ``xgroupx``: the model never learns which
  group a comment names, only what it says about it ("xgroupx are vermin" and "xgroupx are
  welcome" differ; "Muslims" and "Armenians" do not). A word like "people" right after a
  group's name is part of the name ("gay people").
* Word block: word unigrams and bigrams, hashed into :data:`N_FEATURES` buckets (CRC-32 of the
  word; a bigram's bucket mixes its words' buckets), sublinear TF times IDF, L2-normalised.
  Buckets seen in fewer than ``min_df`` training comments have IDF 0 and drop out, and so do
  the unigrams of :data:`STOP_WORDS` (articles, prepositions, conjunctions, forms of "be",
  "have" and "do"; their bigrams stay): L2-normalised, a comment of one or two words gives
  such a word nearly its whole weight, learned as a sliver of longer comments, so that "the
  Irish" (the group masked) scored as "the" alone, over the hold threshold.
* Character block: each token's character 2-6-grams (inside the word padded with spaces, as
  scikit-learn's ``char_wb``), hashed, counted and L2-normalised per word; a comment's block is
  the sum of its tokens' vectors divided by the square root of its token count. The model is
  linear, so at scoring time a word's whole character part is one number (its vector times the
  weights), cached per word: misspelt and obfuscated words ("idiiot", "st00pid") share n-grams
  with the words they imitate, at the cost of one dictionary look-up per token.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass

from editor_app.moderation import lexicon as lx

__all__ = [
    "GROUP_NOUNS",
    "GROUP_TOKEN",
    "MODEL_FILE",
    "N_FEATURES",
    "STOP_BUCKETS",
    "STOP_WORDS",
    "TOKEN",
    "TOKEN_ASCII",
    "Token",
    "bigram_bucket",
    "char_vector",
    "features",
    "identity_words",
    "token_pattern",
    "tokens",
    "word_bucket",
]

# The learned model's file in resources/ (written by bench/train_scorer.py, read by learned.py).
MODEL_FILE = "comment_model.npz"
N_FEATURES = 1 << 20
_MASK = N_FEATURES - 1
GROUP_TOKEN = "xgroupx"
URL_TOKEN = "xurlx"
USER_TOKEN = "xuserx"
CHAR_MIN, CHAR_MAX = 2, 6

# Links, @mentions, words (letters with inner apostrophes), numbers; on lower-cased text.
TOKEN = re.compile(r"(?:https?://|www\.)\S+|@\w+|[^\W\d_]+(?:'[^\W\d_]+)*|\d+")
# The same tokens in ASCII text, found faster than with Unicode classes.
TOKEN_ASCII = re.compile(r"(?:https?://|www\.)\S+|@\w+|[a-z]+(?:'[a-z]+)*|[0-9]+")


def token_pattern(low: str) -> re.Pattern[str]:
    """The tokenising regex for a lower-cased text (see :func:`lower`)."""
    return TOKEN_ASCII if low.isascii() else TOKEN


# Text whose ASCII tokens :func:`word_tokens` finds without the regex: no link, no @name.
_ASCII_WORD = bytes(
    i if chr(i) in "abcdefghijklmnopqrstuvwxyz0123456789'" else 32 for i in range(256)
)


def word_tokens(low: str) -> list[str]:
    """``token_pattern(low).findall(low)``, faster for ASCII text with no link or "@".

    No token crosses a character other than a letter, a digit or "'" there, so the text is cut
    at those (one C translation of the bytes) and each piece that is all letters or all digits
    is a token; any other piece ("don't", "'tis", "90s") is tokenised by the regex alone.
    """
    if not low.isascii() or "@" in low or "://" in low or "www." in low:
        return token_pattern(low).findall(low)
    out: list[str] = []
    find = TOKEN_ASCII.findall
    for w in low.encode("ascii").translate(_ASCII_WORD).decode("ascii").split():
        if w.isalpha() or w.isdigit():
            out.append(w)
        else:
            out.extend(find(w))
    return out


def identity_words() -> frozenset[str]:
    """Words that name a people, nation, faith or identity group (masked as ``xgroupx``).

    Nationalities, peoples, faiths and countries from the lexicon, plus the identity terms of
    the debiasing templates (sexual orientation, gender identity, race, disability). Words that
    insult are never here: a slur stays a slur.
    """
    extra = lx.words(
        "islam judaism christianity hinduism buddhism sikhism muslim muslims jewish jews jew "
        "gay gays lesbian lesbians bisexual queer homosexual homosexuals heterosexual "
        "trans transgender nonbinary lgbt lgbtq black blacks white whites latinx latino latina "
        "asian asians african africans hispanic hispanics mexican mexicans indian indians "
        "chinese japanese american americans european europeans arab arabs christian christians "
        "catholic catholics protestant protestants hindu hindus sikh sikhs buddhist buddhists "
        "immigrant immigrants migrant migrants refugee refugees women woman disabled"
    )
    return frozenset(lx.PEOPLES | lx.FAITHS | lx.COUNTRIES | extra)


IDENTITY = identity_words()


@dataclass(frozen=True)
class Token:
    """One token of a comment: the text the model sees and where it came from."""

    feature: str
    start: int
    end: int


def feature_of(word: str) -> str:
    """The token the model sees for one lower-cased word."""
    if word in IDENTITY:
        return GROUP_TOKEN
    first = word[0]
    if first == "@":
        return USER_TOKEN
    if (first == "h" or first == "w") and word.startswith(("http://", "https://", "www.")):
        return URL_TOKEN
    return word


def lower(text: str) -> str:
    """Lower-cased text with the same length as ``text`` and straight apostrophes."""
    low = text.lower()
    if len(low) != len(text):  # "İ" lowers to two characters: keep such characters
        low = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    if "\u2019" in low:
        low = low.replace("\u2019", "'")
    return low


# After a group's name these words name the group too: "gay people", "Muslim women".
GROUP_NOUNS = lx.words(
    "people person persons folk folks men man community communities guys kids children "
    "families family population populations"
)


def features(text: str) -> list[str]:
    """The model's tokens for one comment."""
    out = [feature_of(w) for w in TOKEN.findall(lower(text))]
    if GROUP_TOKEN in out:
        for i in range(1, len(out)):
            if out[i - 1] == GROUP_TOKEN and out[i] in GROUP_NOUNS:
                out[i] = GROUP_TOKEN
    return out


def tokens(text: str) -> list[Token]:
    """The model's tokens with their character spans in ``text`` (for reasons)."""
    return [Token(feature_of(m.group()), m.start(), m.end()) for m in TOKEN.finditer(lower(text))]


def word_bucket(feature: str) -> int:
    return zlib.crc32(b"w " + feature.encode("utf-8")) & _MASK


# Words whose unigram says nothing about a comment: no word-block weight of their own (see the
# module's docstring); pronouns, negations and modals keep theirs.
STOP_WORDS = lx.words(
    "a an the and or but nor if of to in on at by for with from as into onto upon about than "
    "then that this these those there here it its is are was were be been being am has have "
    "had having do does did doing s t d ll re ve m"
)


def bigram_bucket(a: int, b: int) -> int:
    """The bucket of a bigram from its words' buckets (cheap, and stable across runs)."""
    return ((a * 0x9E3779B1) ^ (b + 0x7F4A7C15)) & _MASK


STOP_BUCKETS = frozenset(word_bucket(w) for w in STOP_WORDS)


def char_vector(feature: str) -> dict[int, float]:
    """A token's character n-grams: hashed bucket -> count, L2-normalised."""
    padded = f" {feature} "
    n = len(padded)
    counts: dict[int, float] = {}
    for k in range(CHAR_MIN, min(CHAR_MAX, n) + 1):
        for i in range(n - k + 1):
            h = zlib.crc32(padded[i : i + k].encode("utf-8")) & _MASK
            counts[h] = counts.get(h, 0.0) + 1.0
    norm = math.sqrt(sum(v * v for v in counts.values()))
    return {h: v / norm for h, v in counts.items()}
