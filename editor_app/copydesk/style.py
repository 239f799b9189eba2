"""House style checks: the newsroom's style sheet over a body, and proselint for the rest.

Pure functions. `check_paragraph` is what the editor runs on a block as you type;
`check_body` runs it over every block of a stored piece. Findings carry the fixes a
right-click offers; nothing here changes any text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib.resources import files
from typing import Any

import yaml

from editor_app.copydesk.blocks import read_blocks
from editor_app.copydesk.quotes import scan_marks

RULE_KINDS = ("names", "terms", "words", "titles", "numbers", "dates", "quotes", "spelling")


class SheetError(ValueError):
    """A style sheet that cannot be used; the message is one line for the user."""


@dataclass(frozen=True)
class Preferred:
    use: str
    flag: tuple[str, ...]
    note: str = ""


@dataclass(frozen=True)
class Caution:
    word: str
    level: str  # "banned" or "caution"
    use: str = ""
    note: str = ""


@dataclass(frozen=True)
class StyleSheet:
    language: str = ""  # "en-US", "en-GB", or "" for no spelling rule
    names: tuple[Preferred, ...] = ()
    terms: tuple[Preferred, ...] = ()
    words: tuple[Caution, ...] = ()
    titles: tuple[str, ...] = ()
    numbers: str = "ap"
    date_ordinals: bool = False
    quote_marks: str = "curly"
    quote_punctuation: str = "inside"
    generic: bool = True
    generic_disable: tuple[str, ...] = ()


@dataclass(frozen=True)
class Issue:
    rule: str  # one of RULE_KINDS, or "generic.<proselint check>"
    start: int  # offsets in the paragraph's plain text
    end: int
    text: str  # the words found
    message: str
    fixes: tuple[str, ...] = ()  # what a right-click can put in their place
    level: str = "warning"  # "error" (banned), "warning", "info"
    paragraph: int = 0  # 1-based body block, when checked over a body

    @property
    def key(self) -> str:
        """What "ignore in this piece" remembers: the rule and the words."""
        return f"{self.rule}|{self.text}"


# ---- the sheet ------------------------------------------------------------------------------


def default_sheet_text() -> str:
    return files("editor_app.copydesk").joinpath("house_style.yaml").read_text(encoding="utf-8")


def _strs(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise SheetError(f"{where}: expected a word or a list of words")


def _preferred(items: Any, where: str) -> tuple[Preferred, ...]:
    if items is None:
        return ()
    if not isinstance(items, list):
        raise SheetError(f"{where}: expected a list of entries with `use` and `flag`")
    out = []
    for i, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("use"), str):
            raise SheetError(f"{where} entry {i}: needs `use: the preferred form`")
        flag = _strs(item.get("flag"), f"{where} entry {i} `flag`")
        out.append(Preferred(item["use"], flag, str(item.get("note") or "")))
    return tuple(out)


def parse_sheet(text: str) -> StyleSheet:
    """The sheet of a YAML text; a clear one-line `SheetError` for anything unusable."""
    try:
        data = yaml.safe_load(text) if text.strip() else {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise SheetError(f"the style sheet is not valid YAML{where}: {problem}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SheetError("the style sheet must be a mapping of rule kinds (names:, words:, ...)")
    known = {"language", "names", "terms", "words", "titles", "numbers", "dates", "quotes"}
    unknown = sorted(set(data) - known - {"generic"})
    if unknown:
        raise SheetError(f"unknown style sheet section {unknown[0]!r}")
    # A section left out of a sheet is a rule kind the newsroom does not check.
    language = str(data.get("language") or "")
    if language not in ("", "en-US", "en-GB"):
        raise SheetError(f"language must be en-US or en-GB, not {language!r}")
    words = []
    raw_words = data.get("words") or []
    if not isinstance(raw_words, list):
        raise SheetError("words: expected a list of entries with `word` and `level`")
    for i, item in enumerate(raw_words, 1):
        if not isinstance(item, dict) or not isinstance(item.get("word"), str):
            raise SheetError(f"words entry {i}: needs `word: the word or phrase`")
        level = str(item.get("level") or "caution")
        if level not in ("banned", "caution"):
            raise SheetError(f"words entry {i}: level must be banned or caution")
        words.append(
            Caution(item["word"], level, str(item.get("use") or ""), str(item.get("note") or ""))
        )
    numbers = str(data.get("numbers") or "off")
    if numbers not in ("ap", "off"):
        raise SheetError("numbers must be ap or off")
    dates = data.get("dates") or {"ordinals": True}
    quotes = data.get("quotes") or {}
    generic = data.get("generic") or {}
    if not all(isinstance(d, dict) for d in (dates, quotes, generic)):
        raise SheetError("dates, quotes and generic are sections of settings (key: value)")
    marks = str(quotes.get("marks") or "any")
    punct = str(quotes.get("punctuation") or "any")
    if marks not in ("curly", "straight", "any") or punct not in ("inside", "outside", "any"):
        raise SheetError(
            "quotes: marks is curly, straight or any; punctuation inside, outside or any"
        )
    return StyleSheet(
        language=language,
        names=_preferred(data.get("names"), "names"),
        terms=_preferred(data.get("terms"), "terms"),
        words=tuple(words),
        titles=_strs(data.get("titles"), "titles"),
        numbers=numbers,
        date_ordinals=bool(dates.get("ordinals", False)),
        quote_marks=marks,
        quote_punctuation=punct,
        generic=bool(generic.get("enabled", bool(generic))),
        generic_disable=_strs(generic.get("disable"), "generic disable"),
    )


# ---- the rules -------------------------------------------------------------------------------


def _phrase(words: str) -> str:
    """A whole-word pattern for a word or phrase; spaces match any run of spaces."""
    parts = [re.escape(p) for p in words.split()]
    return r"(?<![\w-])" + r"\s+".join(parts) + r"(?![\w-])"


def _preferred_issues(text: str, rule: str, items: Sequence[Preferred]) -> Iterable[Issue]:
    for item in items:
        for form in item.flag:
            for m in re.finditer(_phrase(form), text):
                note = f" {item.note}" if item.note else ""
                yield Issue(
                    rule,
                    m.start(),
                    m.end(),
                    m.group(0),
                    f"House style: {item.use}, not {form}.{note}",
                    (item.use,),
                )


def _word_issues(text: str, items: Sequence[Caution]) -> Iterable[Issue]:
    for item in items:
        for m in re.finditer(_phrase(item.word), text, re.IGNORECASE):
            what = "Banned" if item.level == "banned" else "Use with care"
            use = f" Use {item.use}." if item.use else ""
            note = f" {item.note}" if item.note else ""
            yield Issue(
                "words",
                m.start(),
                m.end(),
                m.group(0),
                f"{what}: {item.word}.{use}{note}",
                (_match_case(item.use, m.group(0)),) if item.use else (),
                "error" if item.level == "banned" else "warning",
            )


def _match_case(new: str, old: str) -> str:
    return new[:1].upper() + new[1:] if old[:1].isupper() else new


def _title_issues(text: str, titles: Sequence[str]) -> Iterable[Issue]:
    for title in titles:
        low = title.lower()
        # lowercase title straight before a capitalised name: "president Erdoğan"
        pattern = r"(?<![\w-])" + r"\s+".join(re.escape(w) for w in low.split()) + r"(?=\s+[A-Z])"
        for m in re.finditer(pattern, text):
            after = text[m.end() :].lstrip()
            name = re.match(r"[^\W\d_]+", after)
            if name and name.group(0).lower() in {"of", "the"}:
                continue
            yield Issue(
                "titles",
                m.start(),
                m.end(),
                m.group(0),
                f"Capitalise a title before a name: {title}.",
                (title,),
            )


_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TENS = {
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
_MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December|"
    "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
# Figures always: ages, percentages, money, times, measures, dates, scores, "No. 3".
_FIGURE_CONTEXT_AFTER = re.compile(
    r"\s*(?:%|percent\b|per cent\b|-year-old|years? old\b|a\.m\.|p\.m\.|am\b|pm\b|"
    r"million\b|billion\b|trillion\b|km\b|kg\b|cm\b|mm\b|m\b|ft\b|in\.|°|-\d|:\d|\.\d|,\d)",
    re.IGNORECASE,
)
_FIGURE_CONTEXT_BEFORE = re.compile(
    rf"(?:[$£€¥]|No\.\s*|(?:{_MONTHS})\.?\s+|\d[-\u2013:/.]|[-\u2013/]|page\s+|chapter\s+|room\s+)$",
    re.IGNORECASE,
)


def _sentence_start(text: str, pos: int) -> bool:
    before = text[:pos].rstrip(" \u201c\u2018\"'(")
    return not before or before[-1] in ".!?\n"


def _number_issues(text: str) -> Iterable[Issue]:
    for m in re.finditer(r"(?<![\w.,/-])([1-9])(?![\w/])", text):
        if _FIGURE_CONTEXT_AFTER.match(text, m.end()) or _FIGURE_CONTEXT_BEFORE.search(
            text[: m.start()]
        ):
            continue
        word = _SMALL[int(m.group(1))]
        yield Issue(
            "numbers",
            m.start(),
            m.end(),
            m.group(0),
            f"AP style: spell out one to nine ({word}).",
            (_match_case(word, "A" if _sentence_start(text, m.start()) else "a"),),
            "info",
        )
    pattern = r"(?<![\w-])(" + "|".join(_TENS) + r")(?:-(" + "|".join(_SMALL[1:]) + r"))?(?![\w-])"
    for m in re.finditer(pattern, text, re.IGNORECASE):
        if _sentence_start(text, m.start()):
            continue  # AP spells out a number that starts a sentence
        if re.match(r"\s*(?:-|of\b|or so\b)", text[m.end() :]) and not m.group(2):
            continue
        tens = _TENS[m.group(1).lower()]
        value = tens + (_SMALL.index(m.group(2).lower()) if m.group(2) else 0)
        if m.group(2) and tens < 20:
            continue
        yield Issue(
            "numbers",
            m.start(),
            m.end(),
            m.group(0),
            f"AP style: figures for 10 and above ({value}).",
            (str(value),),
            "info",
        )


def _date_issues(text: str) -> Iterable[Issue]:
    day = r"(\d{1,2})(?:st|nd|rd|th)"
    for m in re.finditer(rf"\b({_MONTHS})\.?\s+{day}\b", text):
        fix = f"{m.group(1)} {m.group(2)}"
        yield Issue("dates", m.start(), m.end(), m.group(0), f'Dates: "{fix}", no ordinal.', (fix,))
    for m in re.finditer(rf"\b(?:the\s+)?{day}\s+(?:of\s+)?({_MONTHS})\b", text):
        fix = f"{m.group(2)} {m.group(1)}"
        yield Issue("dates", m.start(), m.end(), m.group(0), f'Dates: "{fix}", no ordinal.', (fix,))


def _quote_issues(text: str, marks: str, punctuation: str) -> Iterable[Issue]:
    if marks == "curly":
        for span in scan_marks(text):
            for pos in (span.start, span.end - 1 if span.closed else -1):
                if pos >= 0 and text[pos] == '"':
                    curly = "\u201c" if pos == span.start else "\u201d"
                    yield Issue(
                        "quotes", pos, pos + 1, '"', "Curly quotation marks: \u201c \u201d.",
                        (curly,),
                    )  # fmt: skip
    elif marks == "straight":
        for m in re.finditer("[\u201c\u201d]", text):
            yield Issue(
                "quotes", m.start(), m.end(), m.group(0), 'Straight quotation marks: ".', ('"',)
            )
    if punctuation == "inside":
        for m in re.finditer(r"([\u201d\"])([,.])", text):
            fix = m.group(2) + m.group(1)
            yield Issue(
                "quotes",
                m.start(),
                m.end(),
                m.group(0),
                "Commas and periods go inside the closing quotation mark.",
                (fix,),
            )
    elif punctuation == "outside":
        for m in re.finditer(r"(\w)([,.])([\u201d\"])(?=\s+[a-z])", text):
            yield Issue(
                "quotes",
                m.start() + 1,
                m.end(),
                m.group(2) + m.group(3),
                "House style puts the comma outside the closing quotation mark.",
                (m.group(3) + m.group(2),),
            )
    spans = scan_marks(text)
    if spans and not spans[-1].closed and spans[-1].start > 0:
        s = spans[-1]
        yield Issue(
            "quotes", s.start, s.start + 1, text[s.start], "This quotation mark is never closed."
        )


# A short list of the spellings that differ most often in news copy; (US, GB).
_US_GB = [
    ("color", "colour"), ("honor", "honour"), ("favor", "favour"), ("labor", "labour"),
    ("neighbor", "neighbour"), ("neighborly", "neighbourly"), ("behavior", "behaviour"),
    ("center", "centre"), ("theater", "theatre"), ("meter", "metre"), ("liter", "litre"),
    ("defense", "defence"), ("offense", "offence"), ("license", "licence"),
    ("organize", "organise"), ("organization", "organisation"), ("recognize", "recognise"),
    ("realize", "realise"), ("normalize", "normalise"), ("normalization", "normalisation"),
    ("emphasize", "emphasise"), ("emphasized", "emphasised"), ("criticize", "criticise"),
    ("criticized", "criticised"), ("apologize", "apologise"), ("analyze", "analyse"),
    ("digitize", "digitise"), ("catalog", "catalogue"), ("dialog", "dialogue"),
    ("traveled", "travelled"), ("traveling", "travelling"), ("canceled", "cancelled"),
    ("modeled", "modelled"), ("program", "programme"), ("gray", "grey"), ("tire", "tyre"),
    ("check", "cheque"), ("jewelry", "jewellery"), ("aluminum", "aluminium"),
    ("mold", "mould"), ("plow", "plough"), ("pajamas", "pyjamas"), ("councilor", "councillor"),
]  # fmt: skip


@lru_cache(maxsize=4)
def _spelling_map(language: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for us, gb in _US_GB:
        wrong, right = (gb, us) if language == "en-US" else (us, gb)
        out[wrong] = right
        if not wrong.endswith("s"):
            out[wrong + "s"] = right + "s"
    # "check"/"cheque", "program"/"programme", "tire"/"tyre" mean other things too in US copy.
    for ambiguous in ("check", "checks", "program", "programs", "tire", "tires", "meter"):
        out.pop(ambiguous, None)
    return out


def _spelling_issues(text: str, language: str) -> Iterable[Issue]:
    table = _spelling_map(language)
    for m in re.finditer(r"[A-Za-z]+", text):
        right = table.get(m.group(0).lower())
        if right:
            yield Issue(
                "spelling",
                m.start(),
                m.end(),
                m.group(0),
                f"{language} spelling: {right}.",
                (_match_case(right, m.group(0)),),
                "info",
            )


# ---- proselint ------------------------------------------------------------------------------


@lru_cache(maxsize=4)
def _proselint_checks(disabled: tuple[str, ...]) -> tuple[Any, ...]:
    from proselint.checks import __register__ as registered  # imports ~100 word lists
    from proselint.config import DEFAULT

    enabled: dict[str, bool] = dict(DEFAULT["checks"])
    for path in disabled:
        enabled[path] = False

    def on(check: Any) -> bool:
        keys = [k for k in enabled if check.matches_partial(k)]
        return bool(keys) and enabled[max(keys, key=len)]

    return tuple(c for c in registered if on(c))


def _generic_issues(text: str, disabled: tuple[str, ...]) -> Iterable[Issue]:
    padded = f"\n{text}\n"  # proselint's checks expect its own padding
    for check in _proselint_checks(disabled):
        for r in check.check_with_flags(padded):
            start, end = r.span[0] - 1, r.span[1] - 1
            if start < 0 or end > len(text) or "Surpassed" in r.message:
                continue
            fixes = (r.replacements,) if isinstance(r.replacements, str) else ()
            yield Issue(
                f"generic.{r.check_path}", start, end, text[start:end], r.message, fixes, "info"
            )


# ---- checking --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Where:
    quotes: tuple[tuple[int, int], ...] = field(default=())

    def quoted(self, start: int) -> bool:
        return any(a < start < b for a, b in self.quotes)


# Rules that hold inside a quotation too: names, marks, dates and numbers (AP) — not the
# speaker's choice of words.
_INSIDE_QUOTES = {"names", "quotes", "dates", "numbers", "titles"}


def check_paragraph(
    text: str,
    sheet: StyleSheet,
    *,
    ignored: frozenset[str] = frozenset(),
    generic: list[Issue] | None = None,
) -> list[Issue]:
    """Every finding in one paragraph's plain text, in reading order, overlaps dropped."""
    where = _Where(tuple((s.start, s.end) for s in scan_marks(text)))
    found: list[Issue] = []
    found += _preferred_issues(text, "names", sheet.names)
    found += _preferred_issues(text, "terms", sheet.terms)
    found += _word_issues(text, sheet.words)
    found += _title_issues(text, sheet.titles)
    if sheet.numbers == "ap":
        found += _number_issues(text)
    if not sheet.date_ordinals:
        found += _date_issues(text)
    found += _quote_issues(text, sheet.quote_marks, sheet.quote_punctuation)
    if sheet.language:
        found += _spelling_issues(text, sheet.language)
    if generic is not None:
        found += generic
    elif sheet.generic:
        found += _generic_issues(text, sheet.generic_disable)
    kept: list[Issue] = []
    for issue in sorted(
        found, key=lambda i: (i.start, i.rule.startswith("generic"), i.start - i.end)
    ):
        if issue.key in ignored:
            continue
        if issue.rule not in _INSIDE_QUOTES and where.quoted(issue.start):
            continue
        if kept and issue.start < kept[-1].end:
            continue  # one underline at a time: the house rule found first wins
        kept.append(issue)
    return kept


def check_body(
    body_html: str, sheet: StyleSheet, *, ignored: frozenset[str] = frozenset()
) -> list[Issue]:
    blocks = read_blocks(body_html)
    # proselint runs once over the whole text (its ~120 checks cost per call, not per
    # character); its findings go back to their paragraphs.
    generic: list[list[Issue]] = [[] for _ in blocks]
    if sheet.generic and blocks:
        starts, pos = [], 0
        for b in blocks:
            starts.append(pos)
            pos += len(b.text) + 2
        joined = "\n\n".join(b.text for b in blocks)
        for issue in _generic_issues(joined, sheet.generic_disable):
            k = bisect_right(starts, issue.start) - 1
            start, end = issue.start - starts[k], issue.end - starts[k]
            if end <= len(blocks[k].text):
                generic[k].append(replace(issue, start=start, end=end))
    out: list[Issue] = []
    for block, found in zip(blocks, generic, strict=True):
        for issue in check_paragraph(block.text, sheet, ignored=ignored, generic=found):
            out.append(replace(issue, paragraph=block.number))
    return out
