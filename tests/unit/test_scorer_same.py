"""The comment scorer's results stay the same while it is made faster.

``tests/unit/data/scorer_results.json.gz`` holds the scorer's results (written on main before
the speed work by ``python bench/bench_scorer.py --write-fixture``) on the equality sets of
``bench/bench_scorer.py``: the bench data, the seed page's comments, bench comments and a fixed
sample of the training sources in ../shared. Each set must score the same: scores within 1e-9,
the same held decisions, the same reasons. A change meant to change results (a new rule, a
retrained model) writes the file again, in the same commit, and says what changed.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from editor_app.moderation.scorer import DEFAULT_THRESHOLD, Scorer

pytestmark = pytest.mark.unit

BENCH = Path(__file__).resolve().parents[2] / "bench"


def _bench() -> ModuleType:
    name = "copydesk_bench_scorer_under_test"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, BENCH / "bench_scorer.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return _bench()


@pytest.fixture(scope="module")
def expected(bench: ModuleType) -> dict[str, Any]:
    with gzip.open(bench.FIXTURE, "rt", encoding="utf-8") as f:
        data: dict[str, Any] = json.load(f)
    return data


@pytest.fixture(scope="module")
def sets(bench: ModuleType) -> dict[str, list[str]]:
    found: dict[str, list[str]] = bench.equality_sets()
    return found


@pytest.fixture(scope="module")
def scorer() -> Scorer:
    return Scorer()


SETS = [
    "calibration_threads.csv",
    "functional_templates.csv",
    "labelled_comments.csv",
    "news_threads.csv",
    "seed page",
    "bench typical",
    "bench dense",
    "training sample",
    "edge cases",
]


@pytest.mark.parametrize("name", SETS)
def test_scores_decisions_and_reasons_are_those_of_main(
    name: str, sets: dict[str, list[str]], expected: dict[str, Any], scorer: Scorer
) -> None:
    if name not in sets:
        pytest.skip(f"{name}: its comments are in ../shared, which is not beside the repo")
    texts = sets[name]
    rows = expected[name]
    keys = [row[0] for row in rows]
    if name in ("seed page", "training sample") and keys != list(map(_bench().text_key, texts)):
        pytest.skip(f"{name}: ../shared holds other comments than when the fixture was written")
    assert keys == [_bench().text_key(t) for t in texts], (
        f"{name} changed since the fixture was written: run bench/bench_scorer.py --write-fixture"
    )
    # Scored in one batch, and in small batches (the batch must not change a comment's result).
    for batch_size in (4096, 7):
        results = Scorer(
            learned_model=scorer.learned, combination=scorer.combination, batch_size=batch_size
        ).score_many(texts)
        wrong = []
        for text, row, got in zip(texts, rows, results, strict=True):
            _, score, model, reasons = row
            want = [(label, text[a:b], a, b, w) for label, a, b, w in reasons]
            have = [(r.label, r.text, r.start, r.end, r.weight) for r in got.reasons]
            if (
                abs(got.score - score) >= 1e-9
                or abs(got.model_score - model) >= 1e-9
                or (got.score >= DEFAULT_THRESHOLD) != (score >= DEFAULT_THRESHOLD)
                or have != want
            ):
                wrong.append((text[:60], (score, got.score), want, have))
        assert not wrong, wrong[:5]


TRICKY = [
    "a1b2 _x_ @ @bob x@y.z http://a.b/c?d=e www.x.y isn't 'quoted' ''double'' dogs' 'tis",
    "½ ² ³ x²y 5½ naïve café İstanbul ΟΔΟΣ Σ. émigré e\u0301t\u0301e ﬁne Straße",
    "idiot idiotidiot idiot. idiot!idiot?? ;; \n\n you...you",
    "rock'n'roll o'neil ' a' 'b a''b 12ab34 ab12 __init__ a_b",
    "emoji \U0001f600idiot\U0001f600 \u200bzero\u200bwidth tab\tsep",
]


def test_token_spans_found_by_search_are_the_regexes_spans(sets: dict[str, list[str]]) -> None:
    """_find_spans gives each token the span the tokenising regex found it at, for the
    layer's tokens and the learned model's, on every equality set and on awkward text."""
    from editor_app.moderation import features as ft
    from editor_app.moderation import scorer as sc

    texts = [t for v in sets.values() for t in v] + TRICKY
    for text in texts:
        layer_low = sc._lower_same_length(text.replace("\u2019", "'"))
        model_low = ft.lower(text)
        for low, pattern in (
            (layer_low, sc._TOKEN_ASCII if layer_low.isascii() else sc._TOKEN_UNICODE),
            (model_low, ft.token_pattern(model_low)),
            (layer_low, sc._TOKEN_UNICODE),
            (model_low, ft.TOKEN),
        ):
            matches = list(pattern.finditer(low))
            bounds: list[int] = []
            if matches:
                sc._find_spans(low, [m.group() for m in matches], bounds, len(matches) - 1)
            assert bounds == [x for m in matches for x in m.span()], text


def test_denials_and_reports_found_near_their_words_are_finditers(
    sets: dict[str, list[str]],
) -> None:
    """mentions._near gives _DENIAL's and _REPORT's finditer matches, on every equality set
    and on random strings of the words and spaces the patterns are made of."""
    import random

    from editor_app.moderation import mentions as mn

    words = (
        "i i'm im we we're you they the a an all really our not never n't aren't isn't "
        "wasn't weren't ain't is are was were am be 're 's call calls called calling "
        "labelled branded dub dubbed word words term terms slur slurs name names insult "
        "insults like such as which that is and but because when just for idiots scum "
        "animals human welcome x-y o'neil"
    )
    pieces = words.split()
    seps = (" ", "  ", "\n", ". ", ", ", "\t", "", "'", '"')
    rng = random.Random(13)
    texts = [t.lower() for v in sets.values() for t in v]
    texts += [
        "".join(rng.choice(pieces) + rng.choice(seps) for _ in range(rng.randint(1, 30)))
        for _ in range(5000)
    ]
    # A speaker two words before the reporting word: "we the word ...".
    texts += ["we the word idiots.", "i'm   the   slur scum, which", "so we're\tthe term animals"]
    for low in texts:
        for pattern, needles, hops, back in (
            (mn._DENIAL, mn._DENIAL_NEEDLES, 1, 4),
            (mn._REPORT, mn._REPORT_NEEDLES, 2, 5),
        ):
            want = [(m.span(), m.groups()) for m in pattern.finditer(low)]
            got = [(m.span(), m.groups()) for m in mn._near(pattern, low, needles, hops, back)]
            assert got == want, low


def test_ascii_tokens_without_the_regex_are_the_regexes(sets: dict[str, list[str]]) -> None:
    """The layer's ASCII tokeniser gives _TOKEN_ASCII's tokens, on every equality set, on
    awkward text and on random ASCII strings (every printable character, tabs, line breaks)."""
    import random
    import string

    from editor_app.moderation import scorer as sc

    rng = random.Random(17)
    alphabet = string.printable + "...!!??;;\n\n    aaaa0"
    texts = [t for v in sets.values() for t in v] + TRICKY
    texts += [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 120))) for _ in range(20000)
    ]
    texts += ["", " ", ".", "\n", "a", "a.b", "..a..", "\r\n\x0b\x0c\x00\x7f"]
    for text in texts:
        low = sc._lower_same_length(text.replace("\u2019", "'"))
        if low.isascii():
            assert sc._tokens_ascii(low) == sc._TOKEN_ASCII.findall(low), text


def test_model_tokens_without_the_regex_are_the_regexes(sets: dict[str, list[str]]) -> None:
    """features.word_tokens gives the learned model's regex tokens, on every equality set, on
    awkward text and on random ASCII strings of letters, digits, apostrophes and marks."""
    import random

    from editor_app.moderation import features as ft

    rng = random.Random(19)
    alphabet = "abcxyz019'''  ..,!?;:-_@/\n\t\"()" + "AZ"
    texts = [t for v in sets.values() for t in v] + TRICKY
    texts += [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80))) for _ in range(20000)
    ]
    texts += ["", "'", "''", "a'", "'a", "a'b'c", "a''b", "9's", "www.x", "http://x y", "@a b"]
    for text in texts:
        low = ft.lower(text)
        assert ft.word_tokens(low) == ft.token_pattern(low).findall(low), text


def test_distinct_by_label_is_the_pairwise_search() -> None:
    """_distinct, comparing each reason with the kept ones of its label only, keeps what the
    search over every kept reason kept, on 20,000 random lists of overlapping reasons."""
    import random

    from editor_app.moderation import scorer as sc

    def pairwise(found: list[sc.Reason]) -> list[sc.Reason]:
        out: list[sc.Reason] = []
        for r in found:
            twin = next(
                (
                    k
                    for k, o in enumerate(out)
                    if o.label == r.label and o.start < r.end and r.start < o.end
                ),
                None,
            )
            if twin is None:
                out.append(r)
            elif (r.weight, r.end - r.start) > (
                out[twin].weight,
                out[twin].end - out[twin].start,
            ):
                out[twin] = r
        return out

    rng = random.Random(23)
    for _ in range(20000):
        found = []
        for _ in range(rng.randint(0, 9)):
            a = rng.randint(0, 30)
            b = a + rng.randint(1, 8)
            found.append(sc.Reason(rng.choice("abc"), "", a, b, rng.choice((0.1, 0.5, 0.7))))
        found.sort(key=lambda r: (r.start, r.end))
        assert sc._distinct(found) == pairwise(found), found
