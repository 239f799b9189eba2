"""The quote ledger: every quotation in a body, with who said it, how, when and where.

Pure functions over the body's HTML. Attribution is heuristic and conservative: a speaker is
named only from the sentence of the quote (or, marked as such, from the quote it continues);
a pronoun goes to the person it most plausibly points to; anything else stays unknown.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from editor_app.copydesk.blocks import TextBlock, read_blocks
from editor_app.copydesk.names import (
    STOP_CAPS,
    WORD,
    fold,
    is_cap,
    similar_spelling,
    split_title,
    strip_possessive,
)

OPEN_DOUBLE = "\u201c"
CLOSE_DOUBLE = "\u201d"
OPEN_SINGLE = "\u2018"
CLOSE_SINGLE = "\u2019"

# Reporting verbs, in the forms copy uses them.
_VERB_STEMS = (
    "say said says told tell tells wrote write writes added add adds asked ask asks "
    "explained explains noted notes stated states declared declares insisted insists "
    "argued argues claimed claims replied replies responded responds continued continues "
    "warned warns recalled recalls tweeted tweets posted posts announced announces "
    "affirmed affirms emphasized emphasised emphasizes emphasises suggested suggests "
    "reads read concluded concludes admitted admits acknowledged acknowledges "
    "remarked remarks observed observes countered counters conceded concedes "
    "urged urges predicted predicts promised promises joked jokes "
    "confirmed confirms denied denies described describes called calls"
)
VERBS = frozenset(_VERB_STEMS.split())
# Verbs that may open a quoted fragment after its subject: Khamenei “expressed his ...”.
_FRAGMENT_STEMS = (
    "expressed expresses welcomed welcomes vowed vows pledged pledges hailed hails "
    "condemned condemns praised praises criticised criticized"
)
FRAGMENT_VERBS = VERBS | frozenset(_FRAGMENT_STEMS.split())
PRONOUNS = frozenset({"he", "she", "they", "him", "her"})
_VERB_RE = r"(?:" + "|".join(sorted(VERBS, key=len, reverse=True)) + r")"

_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|March|April|May|June|July|Aug(?:ust)?|"
    r"Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)"
)
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
DATE_RE = re.compile(
    rf"\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,\s*\d{{4}})?\b"
    rf"|\b(?:{_DAY}\s+)?\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH}(?:\s+\d{{4}})?\b"
    rf"|\b(?:on|last|this|next)\s+{_DAY}(?:\s+(?:night|morning|afternoon|evening))?\b"
    r"|\b(?:this|last) (?:week|month|year)\b|\byesterday\b|\bearlier this (?:week|month)\b"
    r"|\b(?:several|two|three|a few) days (?:earlier|ago|before)\b"
)
OCCASION_RE = re.compile(
    r"\b(?:during|at|in)\s+(?:a|an|the|his|her|their)\s+(?:[\w'-]+\s+){0,3}?"
    r"(?:meeting|interview|press conference|news conference|phone call|call|speech|"
    r"statement|briefing|rally|summit|hearing|debate|session|broadcast|podcast|address|"
    r"report|post|letter|email)"
    r"(?:\s+(?:with|to|on)\s+[^,.;\u201c\u201d]+?)?(?:\s+in\s+[A-Z][\w'-]+)?"
    r"(?=\s+on\s|\s+last\s|[,.;]|$)"
)
_TOLD_RE = re.compile(r"\btold\s+(?P<obj>[^,.;:\u201c\u201d]+)")
_ACCORDING_RE = re.compile(r"\b[Aa]ccording to (?P<np>[^,.;\u201c\u201d]+)")
_SENTENCE_END = re.compile(r"[.!?](?:[\u201d\u2019\"')\]]*)\s+(?=[\u201c\u2018\"'(A-Z0-9\W])")


@dataclass(frozen=True)
class Flag:
    kind: str  # no_speaker, speaker_from_context, name_spelling, changed, differs_elsewhere
    message: str
    by: str = ""  # who made the change (quote integrity)
    article_id: int | None = None  # the other piece (differs_elsewhere)
    old_text: str = ""  # the words before (changed, differs_elsewhere)


@dataclass(frozen=True)
class Quote:
    text: str  # the words between the marks; nested marks kept
    paragraph: int  # 1-based body block, as figure anchors count
    start: int  # offsets in the paragraph's plain text, marks included
    end: int
    kind: str = "inline"  # "inline", or "block" for a block quotation
    speaker: str | None = None
    verb: str | None = None
    date: str | None = None
    occasion: str | None = None
    link: str | None = None
    split: bool = False  # the second part of a quote split by its attribution
    nested: tuple[str, ...] = ()
    flags: tuple[Flag, ...] = field(default=())
    end_paragraph: int = 0  # the last block of a block quotation of several paragraphs

    def with_flag(self, flag: Flag) -> Quote:
        return replace(self, flags=(*self.flags, flag))


# ---- finding the marks -------------------------------------------------------------------


@dataclass
class _Span:
    start: int
    end: int  # exclusive, closing mark included when closed
    closed: bool

    def inner(self, text: str) -> str:
        return text[self.start + 1 : self.end - 1 if self.closed else self.end]


def _opens_straight(text: str, i: int) -> bool:
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] in ".,;:!?")


def scan_marks(text: str) -> list[_Span]:
    """Double-quoted spans: curly, or straight where a straight mark can open."""
    spans: list[_Span] = []
    start: int | None = None
    for i, ch in enumerate(text):
        if start is None:
            if ch == OPEN_DOUBLE or (ch == '"' and _opens_straight(text, i)):
                start = i
        elif ch in (CLOSE_DOUBLE, '"'):
            spans.append(_Span(start, i + 1, True))
            start = None
    if start is not None:
        spans.append(_Span(start, len(text), False))
    return spans


def nested_quotes(inner: str) -> tuple[str, ...]:
    """Single-quoted phrases inside a quotation (apostrophes are not marks)."""
    found: list[str] = []
    i = 0
    while i < len(inner):
        ch = inner[i]
        if ch in (OPEN_SINGLE, "'") and (i == 0 or not inner[i - 1].isalnum()):
            for j in range(i + 1, len(inner)):
                if inner[j] in (CLOSE_SINGLE, "'") and (
                    j + 1 == len(inner) or not inner[j + 1].isalnum()
                ):
                    if j > i + 1:
                        found.append(inner[i + 1 : j])
                    i = j
                    break
        i += 1
    return tuple(found)


def _masked(text: str, spans: list[_Span]) -> str:
    """The text with the inside of each quote blanked, its last character kept (.” or ,”)."""
    chars = list(text)
    for s in spans:
        last = s.end - 2 if s.closed else s.end - 1
        for k in range(s.start + 1, last):
            chars[k] = "x"
    return "".join(chars)


def _sentences(masked: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for m in _SENTENCE_END.finditer(masked):
        if _abbreviation(masked, m.start()):
            continue
        bounds.append((start, m.end()))
        start = m.end()
    bounds.append((start, len(masked)))
    return bounds


def _abbreviation(text: str, dot: int) -> bool:
    word = re.search(r"(\w+)$", text[:dot])
    return bool(word) and fold(word.group(1) if word else "") in {
        "mr", "mrs", "ms", "dr", "st", "jr", "sr", "gen", "gov", "sen", "rep", "prof", "rev",
        "u", "s", "no", "vs",
    }  # fmt: skip


# ---- names in the text ---------------------------------------------------------------------


@dataclass(frozen=True)
class _Run:
    start: int
    end: int
    words: tuple[str, ...]


def name_runs(text: str) -> list[_Run]:
    """Runs of capitalised words (possessives off), broken by anything else."""
    runs: list[_Run] = []
    cur: list[re.Match[str]] = []

    def flush() -> None:
        if cur:
            words = tuple(strip_possessive(m.group(0)) for m in cur)
            runs.append(_Run(cur[0].start(), cur[-1].end(), words))
            cur.clear()

    for m in WORD.finditer(text):
        w = m.group(0)
        bare = strip_possessive(w)
        if not is_cap(w) or fold(bare) in STOP_CAPS or re.search(r"-[a-z]", w):
            flush()
            continue
        if cur and (text[cur[-1].end() : m.start()] != " " or cur[-1].group(0) != bare):
            if text[cur[-1].end() : m.start()] != " ":
                flush()
            elif cur[-1].group(0) != strip_possessive(cur[-1].group(0)):
                flush()  # Iran's | Supreme Leader: the possessive ends a name
        cur.append(m)
    flush()
    return runs


@dataclass
class _People:
    """Who the piece names: full names, surnames, titles, and where each is mentioned."""

    full: dict[str, str] = field(default_factory=dict)  # folded surname -> full name
    titles: dict[str, str] = field(default_factory=dict)  # folded title -> full name
    mentions: list[tuple[int, int, str]] = field(default_factory=list)  # (block, pos, name)

    def add(self, name_words: Sequence[str], title_words: Sequence[str] = ()) -> str:
        name = " ".join(name_words)
        key = fold(name_words[-1])
        known = self.full.get(key)
        if known is None or len(known.split()) < len(name_words):
            self.full[key] = name
        if title_words:
            self.titles.setdefault(fold(" ".join(title_words)), self.full[key])
        return self.full[key]

    def canonical(self, name_words: Sequence[str]) -> str:
        return self.full.get(fold(name_words[-1]), " ".join(name_words))

    def by_title(self, phrase: str) -> str | None:
        words = [w for w in phrase.split() if fold(w) not in {"the", "a", "an"}]
        key = fold(" ".join(words))
        if not key:
            return None
        if key in self.titles:
            return self.titles[key]
        hits = {n for t, n in self.titles.items() if t.endswith(" " + key)}
        return hits.pop() if len(hits) == 1 else None


def _person_from_run(run: _Run, people: _People, *, speaker: bool) -> str | None:
    title, name = split_title(list(run.words))
    if not name:
        return None
    if title or speaker or fold(name[-1]) in people.full:
        return people.add(name, title)
    return None


# ---- attribution ---------------------------------------------------------------------------


@dataclass
class _Attribution:
    speaker: str | None = None
    verb: str | None = None
    where: str = ""  # the attribution's own words, for date and occasion
    inherit: bool = False  # "... and “expressed ...”": the previous quote's speaker


def _subject(np: str, block: int, pos: int, people: _People, sentence: str) -> str | None:
    """The speaker a subject phrase names, or the phrase itself when it names nobody."""
    np = np.strip(" ,;:\u2014\u2013-")
    if not np:
        return None
    words = np.split()
    low = fold(words[-1])
    if low in PRONOUNS or (len(words) == 1 and low == "who"):
        return _pronoun(low, block, pos, people, sentence)
    by_title = people.by_title(np)
    if by_title:
        return by_title
    runs = name_runs(np)
    if runs and np[runs[-1].end :].strip(" ,") == "":
        last = runs[-1]
        group = [last]
        for prev in reversed(runs[:-1]):
            gap = np[prev.end : group[0].start]
            if gap.strip(" ,") in ("and", "") and gap.strip() != "":
                group.insert(0, prev)
            else:
                break
        names = [_person_from_run(r, people, speaker=True) for r in group]
        found = [n for n in names if n]
        if found:
            return " and ".join(found)
    if len(words) > 14:
        return None
    return np


def _pronoun(low: str, block: int, pos: int, people: _People, sentence: str) -> str | None:
    if low == "they":
        # "X and Y ... they": the pair the sentence names.
        runs = name_runs(sentence)
        for a, b in itertools.pairwise(runs):
            if sentence[a.end : b.start].strip() == "and":
                pa = _person_from_run(a, people, speaker=False)
                pb = _person_from_run(b, people, speaker=False)
                if pa and pb:
                    return f"{pa} and {pb}"
        return None
    here = [n for b, p, n in people.mentions if b == block and p < pos]
    if here:
        return here[0]  # the paragraph's subject, named before the quote
    before = [n for b, _p, n in people.mentions if b < block]
    return before[-1] if before else None


def _after_attribution(after: str) -> _Attribution | None:
    """`,” Erdogan said on ...` or `,” said Councillor Alun Fenwick, who ...`."""
    text = after.lstrip(" ,\u2014\u2013-")
    if not text or text[0] in ".!?":
        return None
    m = re.match(rf"(?P<verb>{_VERB_RE})\s+(?P<np>[^,.;:!?\u201c\u201d]+)(?P<rest>.*)", text, re.S)
    if m and fold(m.group("np").split()[0]) not in {"that", "so"}:
        np = re.split(
            r"\s+(?:on|in|at|during|last|this|yesterday|after|before|when|while)\b", m.group("np")
        )[0]
        return _Attribution(np, m.group("verb"), m.group("np")[len(np) :] + m.group("rest"))
    m = re.match(
        rf"(?P<np>[^,.;:!?\u201c\u201d]{{1,140}}?)\s+(?:(?:also|later|then|once|simply)\s+)?"
        rf"(?P<verb>{_VERB_RE})\b(?P<rest>.*)",
        text,
        re.S,
    )
    if m and len(m.group("np").split()) <= 14:
        return _Attribution(m.group("np"), m.group("verb"), m.group("verb") + m.group("rest"))
    return None


def _before_attribution(before: str, first_word: str) -> _Attribution | None:
    """`Cavusoglu, who ... said that ... “` or `Khamenei “expressed ...”`."""
    stripped = before.rstrip()
    if first_word and fold(first_word) in FRAGMENT_VERBS and first_word[0].islower():
        tail = re.split(r"[,;:(]", stripped)[-1].strip()
        if tail and fold(tail.split()[-1]) in {"and", "or"}:
            return _Attribution(None, first_word, "", inherit=True)
        if tail:
            return _Attribution(tail, first_word, "")
    verbs = list(re.finditer(rf"\b(?P<verb>{_VERB_RE})\b", stripped))
    if not verbs:
        return None
    m = verbs[-1]
    head = stripped[: m.start()].rstrip(" ,")
    rel = re.search(r",\s*(?:who|which)\b[^,]*$", head)
    if rel:
        head = head[: rel.start()]
    head = re.split(r"[,;:(]", head)[-1]
    # Adverbs between subject and verb: "also both", "several days earlier".
    head = re.sub(r"(?:\s+(?:[a-z]+|several days earlier|days earlier))+$", "", head)
    head = re.sub(r"^\s*(?:[A-Z][a-z]+ )?(?:in|on|at|as|and|but|yet)\s*$", "", head)
    # The words around the verb carry its date: "who several days earlier said that".
    where = stripped[max(0, m.start() - 40) :]
    return _Attribution(head, m.group("verb"), where) if head.strip() else None


def _date(text: str) -> str | None:
    m = DATE_RE.search(text)
    if not m:
        return None
    found = m.group(0)
    return re.sub(r"^(?:on)\s+", "", found)


def _occasion(text: str, verb: str | None) -> str | None:
    m = OCCASION_RE.search(text)
    if m:
        return m.group(0).strip()
    if verb in ("told", "tell", "tells"):
        t = _TOLD_RE.search(text)
        if t:
            words: list[str] = []
            for w in t.group("obj").split():
                lw = fold(w)
                if lw in {"on", "in", "at", "during", "that", "last", "this"}:
                    break
                if words and lw in {"the", "a", "an"}:
                    break
                words.append(w)
                if len(words) == 5:
                    break
            obj = " ".join(words)
            if obj and fold(obj) not in {"me", "us", "him", "her", "them"}:
                return obj
    return None


# ---- the ledger -----------------------------------------------------------------------------


def find_quotes(body_html: str, *, people: Sequence[str] = ()) -> list[Quote]:
    """Every quotation of the body in order, attributed; `people`: the store's known names."""
    blocks = read_blocks(body_html)
    known = _People()
    for name in people:
        words = name.split()
        if words:
            known.add(words)
    # Two passes: the first learns the speakers, the second resolves surnames and pronouns
    # against everyone the piece names.
    _ledger(blocks, known)
    quotes = _ledger(blocks, known)
    return _spelling_flags(blocks, quotes, known, people)


def _ledger(blocks: list[TextBlock], people: _People) -> list[Quote]:
    people.mentions.clear()
    found: list[Quote] = []
    groups_with_marks = {b.quote_group for b in blocks if b.quote_group and scan_marks(b.text)}
    handled_groups: set[int] = set()
    for bi, block in enumerate(blocks):
        spans = scan_marks(block.text)
        _note_mentions(block, spans, people)
        if block.quote_group and block.quote_group not in groups_with_marks:
            if block.quote_group not in handled_groups:
                handled_groups.add(block.quote_group)
                found.append(_block_quote(blocks, bi, people))
            continue
        found.extend(_block_quotes_of(block, spans, people))
    return _carry_context(found, blocks)


def _note_mentions(block: TextBlock, spans: list[_Span], people: _People) -> None:
    masked = _masked(block.text, spans)
    for run in name_runs(masked):
        if any(s.start <= run.start < s.end for s in spans):
            continue
        # "Jory Tremain, who skippers ...": a name that a `who` follows is a person.
        who = len(run.words) >= 2 and re.match(r",\s*who\b", masked[run.end :])
        person = _person_from_run(run, people, speaker=bool(who))
        if person:
            people.mentions.append((block.number, run.start, person))


def _block_quotes_of(block: TextBlock, spans: list[_Span], people: _People) -> list[Quote]:
    text = block.text
    masked = _masked(text, spans)
    sentences = _sentences(masked)
    out: list[Quote] = []
    prev_attr: list[_Attribution | None] = []
    for qi, span in enumerate(spans):
        inner = span.inner(text)
        s_start, s_end = next(((a, b) for a, b in sentences if a <= span.start < b), (0, len(text)))
        sentence_plain = _without_quotes(text, spans, s_start, s_end)
        nxt = next((s.start for s in spans[qi + 1 :] if s.start < s_end), s_end)
        prv = max([s.end for s in spans[:qi] if s.end > s_start] or [s_start])
        after, before = text[span.end : nxt], text[prv : span.start]
        ends_open = inner.rstrip()[-1:] in {",", "?", "!", "\u2014", "-", "\u2013"}
        attr = _after_attribution(after) if (ends_open or after[:1] == ",") else None
        if attr is None:
            first = WORD.match(inner.lstrip())
            attr = _before_attribution(before, first.group(0) if first else "")
        acc = _ACCORDING_RE.search(sentence_plain)
        if attr is None and acc:
            attr = _Attribution(acc.group("np"), "according to", sentence_plain)
        speaker = verb = None
        split = False
        if attr is not None and attr.inherit and out:
            speaker, verb = out[-1].speaker, attr.verb
        elif attr is not None and attr.speaker is not None:
            speaker = _subject(attr.speaker, block.number, span.start, people, sentence_plain)
            verb = attr.verb
        elif out and prev_attr and prev_attr[-1] is not None and out[-1].speaker:
            gap = text[spans[qi - 1].end : span.start]
            prev_inner = spans[qi - 1].inner(text).rstrip()
            if prev_inner[-1:] in {",", "?", "!", "\u2014"} and len(gap.split()) <= 12:
                speaker, verb, split = out[-1].speaker, out[-1].verb, True
        where = (attr.where if attr else "") + " " + sentence_plain
        out.append(
            Quote(
                text=inner.strip(),
                paragraph=block.number,
                start=span.start,
                end=span.end,
                kind="block" if block.in_blockquote else "inline",
                speaker=speaker,
                verb=verb.lower() if verb else None,
                date=_date(where),
                occasion=_occasion((attr.where if attr else "") or sentence_plain, verb),
                link=_link(block, span.start, span.end, s_start, s_end),
                split=split,
                nested=nested_quotes(inner),
                flags=() if speaker else (Flag("no_speaker", "no attributable speaker"),),
                end_paragraph=block.number,
            )
        )
        prev_attr.append(attr)
    return out


def _without_quotes(text: str, spans: list[_Span], start: int, end: int) -> str:
    chars = list(text[start:end])
    for s in spans:
        for k in range(max(s.start, start), min(s.end, end)):
            chars[k - start] = " "
    return re.sub(r"\s+", " ", "".join(chars)).strip()


def _link(block: TextBlock, q0: int, q1: int, s0: int, s1: int) -> str | None:
    inside = [link.href for link in block.links if link.start < q1 and link.end > q0]
    if inside:
        return inside[0]
    near = [link.href for link in block.links if link.start < s1 and link.end > s0]
    return near[0] if near else None


def _block_quote(blocks: list[TextBlock], bi: int, people: _People) -> Quote:
    """A <blockquote> without quotation marks: the whole block is the quotation."""
    group = blocks[bi].quote_group
    members = [b for b in blocks[bi:] if b.quote_group == group]
    lines = [b.text for b in members]
    speaker = verb = None
    last = lines[-1].strip()
    dash = re.match(r"^[\u2014\u2015\u2013-]+\s*(?P<np>.+)$", last)
    if dash and len(lines) > 1:
        lines = lines[:-1]
        np = dash.group("np").split(",")[0]
        speaker = _subject(np, members[-1].number, 0, people, np)
    elif bi > 0 and blocks[bi - 1].text.rstrip().endswith(":"):
        prev = blocks[bi - 1]
        attr = _before_attribution(prev.text.rstrip()[:-1].rsplit(". ", 1)[-1] + " ", "")
        if attr is not None and attr.speaker:
            speaker = _subject(attr.speaker, prev.number, len(prev.text), people, prev.text)
            verb = attr.verb
    text = "\n".join(lines)
    return Quote(
        text=text,
        paragraph=members[0].number,
        start=0,
        end=len(members[len(lines) - 1].text),
        kind="block",
        speaker=speaker,
        verb=verb,
        link=next((link.href for b in members for link in b.links), None),
        nested=nested_quotes(text),
        flags=() if speaker else (Flag("no_speaker", "no attributable speaker"),),
        end_paragraph=members[len(lines) - 1].number,
    )


def _carry_context(quotes: list[Quote], blocks: list[TextBlock]) -> list[Quote]:
    """A paragraph that is nothing but a quote continues the speaker of the one before it."""
    texts = {b.number: b.text for b in blocks}
    out = list(quotes)
    for i, q in enumerate(out):
        if q.speaker or i == 0:
            continue
        whole = texts.get(q.paragraph, "")
        if whole[q.start : q.start + 1] not in (OPEN_DOUBLE, '"'):
            continue  # a block quotation without marks speaks for itself
        rest = (whole[: q.start] + whole[q.end :]).strip(" .")
        prev = out[i - 1]
        if not rest and prev.speaker and q.paragraph - prev.end_paragraph == 1:
            out[i] = replace(
                q,
                speaker=prev.speaker,
                flags=(
                    Flag(
                        "speaker_from_context",
                        f"speaker carried from paragraph {prev.paragraph}; the quote's "
                        "sentence names nobody",
                    ),
                ),
            )
    # An unclosed quote whose paragraph runs on into a quote: AP's multi-paragraph quote.
    for i in range(len(out) - 2, -1, -1):
        q, nxt = out[i], out[i + 1]
        text = texts.get(q.paragraph, "")
        unclosed = text.rstrip()[-1:] not in (CLOSE_DOUBLE, '"') and q.end == len(text)
        follows = nxt.start == 0 and nxt.paragraph == q.paragraph + 1
        if not q.speaker and nxt.speaker and unclosed and follows:
            out[i] = replace(q, speaker=nxt.speaker, verb=nxt.verb, flags=())
    return out


def _spelling_flags(
    blocks: list[TextBlock], quotes: list[Quote], people: _People, store_names: Sequence[str]
) -> list[Quote]:
    """A speaker's name spelled two ways in the piece, or unlike the store's people list."""
    forms: dict[str, list[int]] = {}
    for b in blocks:
        for m in WORD.finditer(b.text):
            w = strip_possessive(m.group(0))
            if is_cap(w):
                forms.setdefault(w, []).append(b.number)
    store_words = {w for n in store_names for w in n.split() if len(w) >= 4}
    memo: dict[str, list[Flag]] = {}

    def variants(word: str) -> list[Flag]:
        if word not in memo:
            found: list[Flag] = []
            for other, where in sorted(forms.items()):
                if similar_spelling(word, other):
                    paras = ", ".join(str(p) for p in sorted(set(where))[:3])
                    found.append(
                        Flag("name_spelling", f"{word} is also spelled {other} (paragraph {paras})")
                    )
            for other in sorted(store_words):
                if similar_spelling(word, other):
                    found.append(
                        Flag("name_spelling", f"{word}: the store's people list spells it {other}")
                    )
            memo[word] = found
        return memo[word]

    out: list[Quote] = []
    for q in quotes:
        if not q.speaker:
            out.append(q)
            continue
        words = sorted({w for w in q.speaker.split() if len(w) >= 4 and is_cap(w)})
        flags = [f for w in words for f in variants(w)]
        out.append(replace(q, flags=(*q.flags, *flags)) if flags else q)
    return out
