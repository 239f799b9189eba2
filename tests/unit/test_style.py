"""House style: each rule kind of the sheet, the default sheet, bad sheets, ignoring."""

from __future__ import annotations

import pytest

from editor_app.copydesk.style import (
    Issue,
    SheetError,
    StyleSheet,
    check_body,
    check_paragraph,
    default_sheet_text,
    parse_sheet,
)
from tests.conftest import seed_path

SHEET = parse_sheet(
    """
language: en-US
names:
  - use: Erdoğan
    flag: [Erdogan]
terms:
  - use: email
    flag: [e-mail]
words:
  - word: irregardless
    level: banned
    use: regardless
  - word: allegedly
    level: caution
    note: Say who alleges it.
titles: [President, Prime Minister]
numbers: ap
dates: {ordinals: false}
quotes: {marks: curly, punctuation: inside}
generic: {enabled: true}
"""
)


def found(text: str, sheet: StyleSheet = SHEET) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(i.rule, i.text, i.fixes) for i in check_paragraph(text, sheet)]


def test_names_preferred_form_with_possessive_and_the_reverse_choice() -> None:
    assert found("Erdogan\u2019s party met. Erdoğan spoke.") == [("names", "Erdogan", ("Erdoğan",))]
    reverse = parse_sheet("names:\n  - use: Erdogan\n    flag: [Erdoğan]\n")
    assert found("Erdogan\u2019s party met. Erdoğan spoke.", reverse) == [
        ("names", "Erdoğan", ("Erdogan",))
    ]


def test_terms_and_banned_or_cautioned_words_with_their_note() -> None:
    (term,) = check_paragraph("Send an e-mail today.", SHEET)
    assert (term.rule, term.text, term.fixes) == ("terms", "e-mail", ("email",))
    banned, caution = check_paragraph("Irregardless, he allegedly left.", SHEET)
    assert (banned.rule, banned.level, banned.fixes) == ("words", "error", ("Regardless",))
    assert (caution.level, caution.fixes) == ("warning", ())
    assert "Say who alleges it." in caution.message


def test_titles_capitalised_before_a_name_only() -> None:
    assert found("Then prime minister Nikol Pashinyan spoke.") == [
        ("titles", "prime minister", ("Prime Minister",))
    ]
    assert found("The president said no.") == []
    assert found("The president of Turkey said no.") == []


def test_numbers_ap_style() -> None:
    assert found("They bought 3 boats and twelve nets.") == [
        ("numbers", "3", ("three",)),
        ("numbers", "twelve", ("12",)),
    ]
    # Figures stay: ages, percentages, money, times, dates, decimals; a sentence may start
    # with a spelled-out number.
    assert found("A 5-year-old paid $4 at 5 p.m. on July 5 for 2.5% more. Twelve left.") == []
    assert found("He won 3 of 4.", parse_sheet("numbers: off")) == []


def test_dates_without_ordinals() -> None:
    assert found("On July 25th and the 3rd of August.") == [
        ("dates", "July 25th", ("July 25",)),
        ("dates", "the 3rd of August", ("August 3",)),
    ]
    assert found("On July 25th.", parse_sheet("dates: {ordinals: true}")) == []
    assert found("On July 25th.", parse_sheet("numbers: ap")) == []  # no dates section


def test_quotation_marks_and_punctuation() -> None:
    assert found('"We won," she said.') == [
        ("quotes", '"', ("\u201c",)),
        ("quotes", '"', ("\u201d",)),
    ]
    assert found("She called it \u201ca cheque\u201d.") == [("quotes", "\u201d.", (".\u201d",))]
    uk = parse_sheet("quotes: {marks: curly, punctuation: outside}")
    assert found("\u201cWe won,\u201d she said.", uk) == [("quotes", ",\u201d", ("\u201d,",))]
    assert found("She said: \u201cWe won.")[-1][0:2] == ("quotes", "\u201c")  # never closed
    # A paragraph that opens a quote and runs on into the next one is AP's long quote.
    assert found("\u201cWe won.") == []


def test_spelling_language() -> None:
    assert found("The colour of the centre.") == [
        ("spelling", "colour", ("color",)),
        ("spelling", "centre", ("center",)),
    ]
    gb = parse_sheet("language: en-GB")
    assert found("The color of the center.", gb) == [
        ("spelling", "color", ("colour",)),
        ("spelling", "center", ("centre",)),
    ]


def test_generic_checks_from_proselint_can_be_switched_off() -> None:
    rules = [
        i.rule
        for i in check_paragraph(
            "It was a very unique day.", parse_sheet("generic: {enabled: true}")
        )
    ]
    assert rules == ["generic.uncomparables"]  # the longer finding wins over "very"
    off = parse_sheet("generic: {disable: [uncomparables, weasel_words.very]}")
    assert check_paragraph("It was a very unique day.", parse_sheet("numbers: ap")) == []
    assert check_paragraph("It was a very unique day.", off) == []


def test_a_speakers_words_are_theirs_but_names_in_quotes_follow_house_style() -> None:
    text = "\u201cIrregardless of Erdogan, we wait,\u201d she said."
    assert found(text) == [("names", "Erdogan", ("Erdoğan",))]


def test_ignore_here() -> None:
    (issue,) = check_paragraph("Send an e-mail.", SHEET)
    assert check_paragraph("Send an e-mail.", SHEET, ignored=frozenset({issue.key})) == []


def test_bad_sheets_give_one_line_errors() -> None:
    for text, message in [
        ("names: [", "not valid YAML at line"),
        ("- just a list", "must be a mapping"),
        ("colours: red", "unknown style sheet section 'colours'"),
        ("words:\n  - word: x\n    level: forbidden", "level must be banned or caution"),
        ("names:\n  - flag: [x]", "needs `use"),
        ("language: fr", "language must be en-US or en-GB"),
    ]:
        with pytest.raises(SheetError, match=message) as err:
            parse_sheet(text)
        assert "\n" not in str(err.value)


def test_default_sheet_on_the_seed() -> None:
    from editor_app.formats.pagedump import parse_page

    sheet = parse_sheet(default_sheet_text())
    body = parse_page(seed_path().read_text(encoding="utf-8")).body_html
    issues: list[Issue] = check_body(body, sheet)
    names = [i for i in issues if i.rule == "names"]
    assert {i.text for i in names} == {"Erdogan", "Cavusoglu"}
    assert all(i.paragraph >= 1 for i in issues)
    assert any(i.rule.startswith("generic.") for i in issues)
