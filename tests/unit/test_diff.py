"""Word-level diffs: both sides come back exactly, and long articles stay fast."""

from __future__ import annotations

import time

from hypothesis import given
from hypothesis import strategies as st

from editor_app.domain.diff import word_diff

words = st.lists(st.sampled_from(["the", "pier", "vote", "Ana", "said", ".", ",", "\n\n", " "]))


@given(words, words)
def test_both_texts_are_rebuilt_from_the_diff(a: list[str], b: list[str]) -> None:
    old, new = " ".join(a), " ".join(b)
    ops = word_diff(old, new)
    assert "".join(o.text for o in ops if o.kind != "insert") == old
    assert "".join(o.text for o in ops if o.kind != "delete") == new


def test_a_small_change_in_a_long_article_is_found_quickly() -> None:
    paragraphs = [" ".join(f"word{i * 100 + j}" for j in range(100)) for i in range(100)]
    changed = list(paragraphs)
    changed[40] = changed[40].replace("word4050", "harbour")
    started = time.perf_counter()
    ops = word_diff("\n\n".join(paragraphs), "\n\n".join(changed))
    assert time.perf_counter() - started < 1.0
    assert [(o.kind, o.text) for o in ops if o.kind != "equal"] == [
        ("delete", "word4050"),
        ("insert", "harbour"),
    ]
