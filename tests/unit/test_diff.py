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


# Formatting-aware body diff -----------------------------------------------------------------

from editor_app.domain.diff import styled_diff  # noqa: E402
from editor_app.formats.htmlbody import html_to_styled_blocks  # noqa: E402


def _body_diff(old: str, new: str) -> list[tuple[str, str, str]]:
    ops = styled_diff(html_to_styled_blocks(old), html_to_styled_blocks(new))
    return [(o.kind, o.text, o.note) for o in ops if o.kind != "equal"]


def test_a_new_link_bold_a_heading_and_a_list_change_are_shown() -> None:
    old = "<p>The harbour wall fell.</p>\n<p>Read the report here.</p>\n<ul><li>one</li></ul>"
    new = (
        "<h2>The harbour wall fell.</h2>\n"
        '<p>Read the <a href="https://example.org/r">report</a> <strong>here</strong>.</p>\n'
        "<ol><li>one</li></ol>"
    )
    assert _body_diff(old, new) == [
        ("format", "", "Paragraph → Heading 2"),
        ("format", "report", "link to https://example.org/r"),
        ("format", "here", "bold"),
        ("format", "", "Bulleted list → Numbered list"),
    ]


def test_a_changed_link_target_and_removed_emphasis() -> None:
    old = '<p>See <a href="https://a.example/">the two reports</a> and <em>this</em>.</p>'
    new = '<p>See <a href="https://b.example/">the two reports</a> and this.</p>'
    assert _body_diff(old, new) == [
        ("format", "the two reports", "link https://a.example/ → https://b.example/"),
        ("format", "this", "no longer italic"),
    ]


blocks = st.lists(
    st.tuples(
        st.sampled_from(["p", "h2", "ul"]),
        st.lists(st.sampled_from(["pier", "vote", "Ana", "said"]), min_size=1, max_size=4),
        st.booleans(),
    ),
    max_size=5,
)


def _html(spec: list[tuple[str, list[str], bool]]) -> str:
    out = []
    for kind, ws, bold in spec:
        text = " ".join(ws)
        inner = f"<strong>{text}</strong>" if bold else text
        out.append(f"<ul><li>{inner}</li></ul>" if kind == "ul" else f"<{kind}>{inner}</{kind}>")
    return "\n".join(out)


@given(blocks, blocks)
def test_both_bodies_come_back_from_the_styled_diff(
    a: list[tuple[str, list[str], bool]], b: list[tuple[str, list[str], bool]]
) -> None:
    old, new = html_to_styled_blocks(_html(a)), html_to_styled_blocks(_html(b))
    ops = styled_diff(old, new)
    text = "\n\n".join
    assert "".join(o.text for o in ops if o.kind != "insert") == text(
        "".join(t for t, _ in blk[1]) for blk in old
    )
    assert "".join(o.text for o in ops if o.kind != "delete") == text(
        "".join(t for t, _ in blk[1]) for blk in new
    )
    assert (old != new) == any(o.kind != "equal" for o in ops)
