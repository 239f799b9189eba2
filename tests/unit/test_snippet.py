"""Search snippets: the words found, in view and marked."""

from __future__ import annotations

from editor_app.domain.snippet import ELLIPSIS, Snippet, find_snippet


def marked(s: Snippet) -> list[str]:
    return [s.text[a:b] for a, b in s.marks]


def test_a_match_deep_in_a_long_text_is_shown_with_a_little_before_it():
    text = "Opening words. " * 40 + "The ferry was late again,\n\n  said the harbour master. " * 3
    s = find_snippet(text, ["ferry"], width=80)
    assert s.text.startswith(ELLIPSIS) and s.text.endswith(ELLIPSIS)
    assert len(s.text) <= 82
    assert marked(s)[0] == "ferry"
    assert s.text.index("ferry") <= 32  # a few words before it, not a paragraph
    assert "\n" not in s.text and "  " not in s.text


def test_whole_words_unless_a_prefix_was_asked_for():
    text = "Their ship, then the other one: the ferry."
    assert marked(find_snippet(text, ["the"])) == ["the", "the"]
    assert marked(find_snippet(text, ["the*"])) == ["Their", "then", "the", "the"]
    assert marked(find_snippet(text, ["THE", "ferry"])) == ["the", "the", "ferry"]


def test_a_short_text_whole_and_a_text_without_the_word_from_its_opening():
    assert find_snippet("A ferry at dawn.", ["ferry"]) == Snippet("A ferry at dawn.", ((2, 7),))
    s = find_snippet("Café society " * 30, ["cafe"], width=40)
    assert s.marks == () and s.text.startswith("Café society") and s.text.endswith(ELLIPSIS)
    assert find_snippet("", ["x"]) == Snippet("")
    assert find_snippet("words", []) == Snippet("words")
