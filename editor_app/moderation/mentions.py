"""Words a comment mentions rather than uses: quoted, reported or denied.

"He called the protesters 'scum'", "Calling Armenians animals is disgusting", "Refugees are not
criminals": the insult is there, but the comment rejects it. :func:`blank_mentions` replaces
such words with spaces (so every other character keeps its position) before the comment is
scored. The patterns are deliberately narrow:

* a short quotation ("...", “...”, '...', at most four words: scare quotes and quoted
  insults, not a quoted post);
* a reporting verb and its object up to the end of the clause: "called/calling/labelled
  X (a|an) Y", "words like Y", "the word Y", unless the speaker says it ("I call you a liar");
* a sentence about saying it: "Calling X animals is disgusting", "Stop saying that ...",
  "If you think X should be deported, you are the problem", "People who say X are ...";
* a political charge against a state ("a terrorist state", "this criminal regime"): sharp,
  but criticism of a government rather than an insult to its people;
* a denial: "X are not Y", "isn't a Y" (one to three words), unless the words after the
  negation are themselves the insult ("not human", "not welcome", "no better than",
  "nothing but");
* violence reported as news: the words of violence in a sentence that cites its source
  ("..., police said", "according to the ministry", "historians estimate") and has no "I",
  "we" or "you" in it: the comment tells what happened, it does not call for it;
* not blanked but returned by :func:`mentioned_calls`, for the scorer to drop its newer
  phrases' matches there (the older rules and the learned model read the text as before):
  the calls to hang or lynch, "get his head kicked in", violence wished on a person ("I hope
  someone shoots him", "he needs a bullet"), "screw you" and the charges against a
  people ("X steal", "screw the X") inside a quotation (unless agreement follows: '"Hang
  them" - yes'), as the complement of a reporting word not said by the commenter ("the mob
  shouted that ...", not "the police said nothing, so ..."), before one that ends the clause
  ("..., police said"; not "..., as my granddad always said"), or in a yes/no question left
  unanswered ("Is it true that Roma steal?"; not "...? Absolutely.");
* not blanked but returned by :func:`denied_questions`: a question the comment answers "No"
  ("He deserves to be hanged? No, that is not what I said"), where the scorer drops the
  threats it found (an insult asked and answered, "Really, you idiot? No.", still counts).
"""

from __future__ import annotations

import re

from editor_app.moderation import lexicon as lx

__all__ = ["blank_mentions", "denied_questions", "mention_spans", "mentioned_calls"]

# Each pattern that starts with a look-behind starts with a look-ahead for the characters a
# match can start with, too: the regex engine then skips to those characters, where it would
# test the look-behind at every position (the matches are the same).
_QUOTE = re.compile(
    "(?=[\"\u201c'\u2018])"
    r"(?:(?<=\s)|(?<=^)|(?<=[(\[:]))(?:\"([^\"\n]{1,80})\"|\u201c([^\u201d\n]{1,80})\u201d"
    r"|'([^'\n]{1,80})'(?=[\s.,;:!?)]|$)|\u2018([^\u2019\n]{1,80})\u2019)"
)
# On lower-cased text. The object runs to the end of the clause, at most six words.
_REPORT = re.compile(
    r"(?=[iwclbdtsn])(?<![\w'])(?:(i|i'm|im|we|we're)\s+)?"
    r"(?:call(?:s|ed|ing)?|label(?:s|ed|led|ing|ling)?|brand(?:s|ed|ing)?|dub(?:s|bed|bing)?"
    r"|(?:words?|terms?|slurs?|names?|insults?)\s+(?:like|such\s+as)|the\s+(?:word|term|slur))"
    r"\s+((?:[\w'-]+\s+){0,5}?[\w'-]+)(?=\s*(?:[.,;:!?()]|\s(?:which|that|is|are|was|were|and"
    r"|but|because|when|just|only|for|in|on|to)\b|$))"
)
_DENIAL = re.compile(
    r"(?=[aiwb'])(?<![\w'])(?:(?:are|is|was|were|am|be|'re|'s)\s+(?:not|never)|aren't|isn't|wasn't|weren't"
    r"|ain't)\s+(?!(?:just|only|even|merely|human|humans|people|person|welcome|wanted|equal"
    r"|allowed|fit|worthy|real|normal|better|more|capable|smart|intelligent|clean|safe)\b)"
    r"(?:(?:a|an|all|really|our|my|your|their|his|her|the)\s+)?"
    r"([a-z'-]+(?:\s+(?:and|or)\s+[a-z'-]+)?)(?=[\s.,;:!?]|$)"
)
# A sentence about saying it: "Calling Armenians animals is disgusting", "Stop saying ...".
_META = re.compile(
    r"(?:^|(?<=[.!?\n]))\s*(?:(?:so\s+|please\s+)?stop\s+|quit\s+)?"
    r"(?:calling|saying|claiming|suggesting|implying|pretending|insisting|repeating|labelling"
    r"|labeling|branding|if\s+you\s+(?:think|believe)(?!\s+about)|(?:anyone|people|those)\s+who"
    r"\s+(?:says?|thinks?|claims?|believes?))\b[^.!?\n]{0,200}"
)
# A political charge against a state: "a terrorist state", "this criminal regime".
_CHARGE_ADJECTIVES = (
    "terrorist", "criminal", "fascist", "rogue", "apartheid", "genocidal", "corrupt",
    "illegitimate", "murderous", "authoritarian", "totalitarian", "nazi", "failed", "pariah",
    "occupying", "racist", "evil", "barbaric", "aggressor", "despotic", "tyrannical", "artificial",
)  # fmt: skip


def _by_first_letter(words: tuple[str, ...]) -> str:
    """An alternation of words grouped by their first letter ("t(?:errorist|yrannical)|..."):
    the regex engine tests one letter at each position instead of every word. The words
    match as the plain alternation does, none being the start of another."""
    assert not any(a != b and b.startswith(a) for a in words for b in words)
    groups: dict[str, list[str]] = {}
    for w in words:
        groups.setdefault(w[0], []).append(re.escape(w[1:]))
    return "|".join(f"{first}(?:{'|'.join(rest)})" for first, rest in groups.items())


_CHARGE = re.compile(
    f"(?=[{''.join(sorted({a[0] for a in _CHARGE_ADJECTIVES}))}])"
    rf"(?<![\w'])((?:(?:{_by_first_letter(_CHARGE_ADJECTIVES)})\s+)+)(?=(?:states?|regimes?|governments?"
    r"|administrations?|dictatorships?|juntas?)\b)"
)
_NOT_DENIED = (
    lx.words(
        "the a an all that this so too as very going doing being in on at to for with from of "
        "by about over here there sure happy"
    )
    # Negated, these insult ("not human", "not welcome"); "ain't shit" is no denial.
    | lx.words(
        "human humans people person welcome wanted equal allowed fit worthy real normal capable "
        "smart intelligent clean safe"
    )
    | lx.PROFANITY_STRONG
    | lx.PROFANITY_MILD
    | lx.SLURS
)


# A sentence of a report: its source named ("police said", "according to the ministry").
_SENTENCE = re.compile(r"(?:[^.!?\n]|\.(?=\d))+")
_REPORT_CUE = re.compile(
    r"\b(?:said|says|reported|reports|according to|told (?:reporters|journalists|the \w+)"
    r"|confirmed|estimates?|estimated|witnesses|officials|spokes(?:man|woman|person))\b"
)
_SPEAKER = re.compile(r"\b(?:i|i'm|i'll|i'd|we|we're|we'll|we'd|you|you're|you'll|u)\b")
_VIOLENCE = re.compile(
    r"\b(?:kill(?:s|ed|ing|ings)?|shot|shoot(?:s|ing|ings)?|murder(?:s|ed|ing)?"
    r"|massacre[sd]?|slaughter(?:s|ed)?|bomb(?:s|ed|ing|ings)?|stabb(?:ed|ing)|stab(?:s)?"
    r"|execut(?:ed|ion|ions)|behead(?:ed|ing)|attack(?:s|ed|ers?)?|dead|deaths?|died|wounded"
    r"|injured|threat(?:s|ened|ening)?|violence|genocide|gunmen|gunman|attacker)\b"
)
_CUE_HINTS = ("said", "says", "report", "according", "told", "confirmed", "estimat", "witness",
               "official", "spokes")  # fmt: skip
_VIOLENCE_HINTS = ("kill", "shot", "shoot", "murder", "massacre", "slaughter", "bomb", "stab",
                   "execut", "behead", "attack", "dead", "death", "died", "wounded", "injured",
                   "threat", "violence", "genocide", "gunm")  # fmt: skip


def _reported_violence(low: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for sentence in _SENTENCE.finditer(low):
        text = sentence.group()
        if _REPORT_CUE.search(text) and not _SPEAKER.search(text):
            base = sentence.start()
            out.extend(
                (base + a, base + b) for a, b in (m.span() for m in _VIOLENCE.finditer(text))
            )
    return out


# The scorer's calls to hang or lynch, "get his head kicked in" and other violence wished on a
# person, "screw you" and its charges against a people ("X steal", "screw the X", "to hell
# with X"), as the scorer matches them.
def _compiled(specs: tuple[tuple[str, str], ...]) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(rf"(?<!\w)(?:{rx})(?!\w)") for _, rx in specs)


# Each with the text it needs: most comments have none of it and skip the pattern.
_KILL_HINTS = ("kill", "shoot", "stab", "strangle", "lynch", "behead", "murder", "knife",
               "tortur", "execut", "butcher")  # fmt: skip
_CALLS = tuple(
    zip(
        _compiled((*lx.HANGING_PHRASES, lx.SCREW_YOU)),
        (
            ("strung up", "lynched", "hanged"),
            ("lamp", "tree", "bridge"),
            ("ed in",),  # "kicked in", "smashed in", ...
            ("kick", "smash", "bash", "cave", "punch"),
            ("out", "off", "break"),
            _KILL_HINTS,
            ("bullet",),
            ("screw",),
        ),
        strict=True,
    )
)
_CHARGES = _compiled(lx.GROUP_CONTEMPT_PHRASES)
_CHARGE_HINTS = (
    (" steal", " rob", " loot", " rape", " cheat", " scam", " swindle"),
    ("screw", "hell with"),
)
# A charge's first group must name a people or faith ("screw" a nation too), as in the scorer.
_PEOPLE_WORDS = lx.PEOPLES | lx.FAITHS | lx.OTHER_GROUPS
_NATION_WORDS = _PEOPLE_WORDS | lx.COUNTRIES
_CALL_HINTS = ("hanged", "lynched", "strung", "lamp", "tree", "bridge", "ed in", "screw",
               " steal", " rob", " loot", " rape", " cheat", " scam", " swindle",
               "hell with", "kick", "smash", "bash", "cave", "punch", "out", "off", "break",
               "bullet", *_KILL_HINTS)  # fmt: skip
# Words that report speech or writing: "shouted that ...", "told reporters", "a sign reading"
# (not "read my lips", not "justice demands").
_SPEECH_CUE = re.compile(
    r"\b(?:said|says|told|tells|reported|reports|according to|confirmed|claimed|claims|alleged"
    r"|wrote|writes|posted|tweeted|shout(?:ed|ing)|chant(?:ed|ing)|yell(?:ed|ing)"
    r"|scream(?:ed|ing)|threaten(?:ed|ing)|demand(?:ed|ing)|(?:call(?:s|ed|ing)|cries|cried)"
    r" for|(?:signs?|banners?|placards?|posters?|slogans?|graffiti|notes?|letters?|messages?"
    r"|texts?|emails?|cards?)\s+(?:that\s+)?(?:read|reading|reads)|witnesses)\b"
)
# With _CUE_HINTS (said, says, told, report, according, confirmed, witness), the text every
# reporting word above needs.
_SPEECH_HINTS = ("tells", "claim", "alleged", "wrote", "writes", "posted", "tweeted", "shout",
                 "chant", "yell", "scream", "threaten", "demand", "s for", "d for", "ing for",
                 "read")  # fmt: skip
# The commenter's own words: "I said it before", "as we told you".
_OWN_SPEECH = re.compile(r"\b(?:i|i'll|i'd|i've|we|we'll|we've|you|u)\s+(?:\w+\s+)?$")
# "..., everyone says so": the commenter's view, not a report.
_COMMON_VOICE = re.compile(r"\b(?:everyone|everybody|anyone|anybody|all|people|they)\b")
# A yes/no question: "Do Muslims rob ...?", "Is it true that Roma steal?" (not "Don't they
# steal everything?" nor "Why do they ...?", which assert it).
_ASKING = lx.words(
    "do does did is are was were am can could would will should shall has have had may might must"
)


# Between a reporting word and the call it reports, a few words of the same clause ("shouted
# that he", "said the judge"): not a clause break ("The police said nothing, so the thugs ...").
# A colon just after the reporting word introduces its words: "the note read: he needs ...".
_COMPLEMENT = re.compile(r"\s*:?[^,;:.!?\n\-\u2013\u2014]*")
_CLAUSE_LINK = re.compile(r"\b(?:so|but|and|then|therefore|because|yet)\b")
# "..., as my granddad always said", "..., my dad always says": the commenter endorses it.
_ENDORSING = re.compile(
    r"^\W*as\b|\b(?:my|our)\s+(?:\w+\s+)?(?:dad|father|mum|mom|mother|gran|granny|nan|nana"
    r"|grandad|granddad|grandpa|grandfather|grandma|grandmother|uncle|aunt|auntie|brother"
    r"|sister|wife|husband|family|parents|folks|mates?|friends?|old man)\b|\balways\b"
)


def _reported_speech(low: str, a: int, b: int, sentence: re.Match[str]) -> bool:
    """The words low[a:b] are reported: a reporting word not said by the commenter whose
    complement they are, a few words after it in the same clause ("the mob shouted that
    ..."), or one just after them that ends the sentence or its clause ("..., police said")
    unless the commenter endorses it ("..., as my granddad always said"). Only reporting words
    within _QUESTION_REACH characters of the words are read: a long sentence of many matches
    is not read again for each."""
    s0, s1 = sentence.span()
    s0 = max(s0, a - _QUESTION_REACH)
    for cue in _SPEECH_CUE.finditer(low, s0, min(s1, b + _QUESTION_REACH)):
        if cue.end() <= a:
            between = low[cue.end() : a]
            if (
                len(between.split()) <= 4
                and _COMPLEMENT.fullmatch(between)
                and not _CLAUSE_LINK.search(between)
                and not _OWN_SPEECH.search(low, s0, cue.start())
            ):
                return True
        elif (
            cue.start() >= b
            and len(low[cue.end() : min(s1, cue.end() + _QUESTION_REACH)].split(",", 1)[0].split())
            <= 3
        ):
            return (
                not _OWN_SPEECH.search(low, b, cue.start())
                and not _COMMON_VOICE.search(low, b, cue.start())
                and not _ENDORSING.search(low[b : cue.end()])
            )
    return False


# An answer after a question: "Should they be hanged? Absolutely." is the commenter's view.
_ANSWER = re.compile(
    r"\?+[\s\"'\u201d)]*(?:yes|yeah|yep|yup|absolutely|definitely|certainly|of course|sure"
    r"|obviously|damn right|too right|hell yes|you bet|without (?:a )?doubt|100|exactly"
    r"|no doubt|undoubtedly|indeed|amen)\b"
)


# A question answered no: "He deserves to be hanged? No, he deserves a fair trial." The
# answer is a word of its own, ended by a stop, a comma or the text's end: not "No doubt",
# "No less than ...", "No mercy", which agree, nor "No?", which asks again.
_NO_ANSWER = re.compile(
    r"\?+[\s\"'\u201d)]*(?:no|nope|of course not|certainly not|absolutely not)"
    r"(?=\s*(?:[.,!;\u2013\u2014]|\s-\s|$))"
)
# How far from its words a question answered no, or a reporting word, is looked for.
_QUESTION_REACH = 300


def _asked(low: str, sentence: re.Match[str]) -> bool:
    end = sentence.end()
    if end >= len(low) or low[end] != "?":
        return False
    if _NO_ANSWER.match(low, end) is not None:
        return True
    words = low[sentence.start() : end].split(None, 1)
    return bool(words) and words[0].strip("\"'(") in _ASKING and _ANSWER.match(low, end) is None


# After a quotation, agreement: '"Hang them" - yes, exactly what they deserve.'
_AGREEING = re.compile(
    r"[\"'\u201d\u2019]?[\s,.:;!\-\u2013\u2014]*(?:yes|yeah|yep|yup|exactly|absolutely|agreed"
    r"|i agree|agree|quite right|so right|spot on|damn right|too right|hear,? hear|well said"
    r"|amen|correct|true|100|this|precisely|definitely|couldn'?t agree|right on)\b"
)
_DESERVED = re.compile(r"\b(?:deserve[sd]?|about time|long overdue)\b")


def _agreed(low: str, q1: int) -> bool:
    """A quotation ending at q1 that the comment agrees with: the commenter's own view."""
    tail = low[q1 : q1 + 80]
    return (
        _AGREEING.match(tail) is not None
        or _DESERVED.search(tail.split(".", 1)[0].split("\n", 1)[0]) is not None
    )


def _mentioned_calls(low: str, quotes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans of the calls and charges above that a comment quotes, reports or asks
    about: the scorer's newer phrases respect mentions as its word rules do."""
    found: list[tuple[int, int]] = []
    for pattern, hints in _CALLS:
        if _has(low, hints):
            found.extend(m.span() for m in pattern.finditer(low))
    for pattern, hints in zip(_CHARGES, _CHARGE_HINTS, strict=True):
        if not _has(low, hints):
            continue
        for m in pattern.finditer(low):
            need = _NATION_WORDS if m.group().startswith(("screw", "to hell")) else _PEOPLE_WORDS
            if m.group(1) in need:
                found.append(m.span())
    if not found:
        return []
    out: list[tuple[int, int]] = []
    sentences = list(_SENTENCE.finditer(low))
    for a, b in found:
        quoted = [q1 for q0, q1 in quotes if q0 <= a and b <= q1]
        if quoted:
            if not _agreed(low, quoted[0]):
                out.append((a, b))
            continue
        for sentence in sentences:
            if sentence.start() <= a < sentence.end():
                if _asked(low, sentence) or _reported_speech(low, a, b, sentence):
                    out.append((a, b))
                break
    return out


# Text each pattern needs: most comments have none and skip the pattern. Literal ``in`` tests
# (C's fast search) cost a fraction of a regex alternation over the comment.
_QUOTE_HINTS = ('"', "\u201c", "\u2018", " '", "\n'", "('", "['", ":'", "\t'")
_META_HINTS = (
    "calling", "saying", "claiming", "suggesting", "implying", "pretending", "insisting",
    "repeating", "label", "branding", "if you", "who say", "who think", "who claim",
    "who believe",
)  # fmt: skip
_CHARGE_NOUNS = ("state", "regime", "govern", "administration", "dictatorship", "junta")
_REPORT_HINTS = ("call", "label", "brand", "dub", "word", "term", "slur", "name", "insult")
_DENIAL_HINTS = ("not ", "n't", "never")


def _meta_spans(low: str) -> list[tuple[int, int]]:
    """The spans of _META.finditer(low), found faster: a match starts only at the start of the
    text or after ".", "!", "?" or a line break, so it is tried there alone."""
    out: list[tuple[int, int]] = []
    end = 0
    match = _META.match
    for start in (0, *(m.end() for m in _SENTENCE_END.finditer(low))):
        if start < end:
            continue
        m = match(low, start)
        if m is not None:
            out.append(m.span())
            end = m.end()
    return out


_SENTENCE_END = re.compile(r"[.!?\n]")


def _near(
    pattern: re.Pattern[str], low: str, needles: tuple[str, ...], hops: int, back: int
) -> list[re.Match[str]]:
    """``list(pattern.finditer(low))``, found faster for a pattern whose every match starts
    at most ``hops`` words of at most ``back`` characters (each with the white space after
    it) before one of ``needles``.

    A match is tried only at the positions from there up to each needle, in text order and
    after the end of the last match: every match starts at one of them, so these are
    finditer's matches (a look-behind sees the text before the position, as in a search).
    """
    starts: set[int] = set()
    space = str.isspace
    for needle in needles:
        q = low.find(needle)
        while q >= 0:
            w = q
            for _ in range(hops):
                while w > 0 and space(low[w - 1]):
                    w -= 1
                stop = max(w - back, 0)
                while w > stop and not space(low[w - 1]):
                    w -= 1
            starts.update(range(w, q + 1))
            q = low.find(needle, q + 1)
    out: list[re.Match[str]] = []
    end = 0
    match = pattern.match
    for start in sorted(starts):
        if start >= end:
            m = match(low, start)
            if m is not None:
                out.append(m)
                end = max(m.end(), start + 1)
    return out


# Every match of _DENIAL starts at most one word of 4 characters before "not", "never" or
# "n't" ("were not", "weren't"); every match of _REPORT at most two words of 5 characters
# before a word of _REPORT_HINTS ("we're calling", "i the word").
_DENIAL_NEEDLES = ("not", "never", "n't")
_REPORT_NEEDLES = _REPORT_HINTS


def _has(text: str, needles: tuple[str, ...]) -> bool:
    for needle in needles:  # noqa: SIM110 (a loop is faster than any() over a generator)
        if needle in text:
            return True
    return False


def denied_questions(text: str) -> list[tuple[int, int]]:
    """Spans of the questions ``text`` answers "No" ("He deserves to be hanged? No, that is
    not what I said"): the commenter puts a call for violence there only to reject it. Not
    blanked (an insult asked, "Really, you idiot? No.", is still one): the scorer drops its
    threats found there."""
    low = text.lower()
    if len(low) != len(text):
        return []
    out: list[tuple[int, int]] = []
    q = low.find("?")
    while q >= 0:
        if _NO_ANSWER.match(low, q) is not None:
            # From the last stop or comma: a tag question ("I will kill you, do you
            # understand? No?") is asked about the words before it, which it does not deny.
            lo = max(0, q - _QUESTION_REACH)
            start = max(low.rfind(mark, lo, q) for mark in ".!?\n,;:") + 1 or lo
            while start < q and low[start].isspace():
                start += 1
            if start < q:
                out.append((start, q))
        q = low.find("?", q + 1)
    return out


def mention_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of words mentioned rather than used, in text order."""
    spans: list[tuple[int, int]] = []
    # Each pattern runs only where a word it needs is in the text: most comments have none.
    if _has(text, _QUOTE_HINTS) or text.startswith("'"):
        for m in _QUOTE.finditer(text):
            g = m.lastindex or 1
            quoted = m.group(g)
            if len(quoted.split()) <= 4 and not quoted.lstrip().startswith("@"):
                spans.append(m.span(g))
    low = text.lower()
    if len(low) != len(text):
        return sorted(spans)
    if "\u2019" in low:
        low = low.replace("\u2019", "'")
    if _has(low, _META_HINTS):
        spans.extend(_meta_spans(low))
    if _has(low, _CHARGE_NOUNS) and _has(low, _CHARGE_ADJECTIVES):
        spans.extend(m.span(1) for m in _CHARGE.finditer(low))
    if _has(low, _REPORT_HINTS):
        for m in _near(_REPORT, low, _REPORT_NEEDLES, 2, 5):
            if m.group(1) is None:
                spans.append(m.span())  # the verb too: "calling X Y is wrong" judges the calling
    cue = _has(low, _CUE_HINTS)
    if cue and _has(low, _VIOLENCE_HINTS):
        spans.extend(_reported_violence(low))
    if _has(low, _DENIAL_HINTS):
        for m in _near(_DENIAL, low, _DENIAL_NEEDLES, 1, 4):
            words = m.group(1).split()
            if words[0] not in _NOT_DENIED:
                spans.append(m.span(1))
    return sorted(spans)


def mentioned_calls(text: str) -> list[tuple[int, int]]:
    """Spans of the scorer's newer phrases (calls to hang or lynch, "get his head kicked in",
    violence wished on a person, "screw you", the charges against a people) that ``text``
    quotes, reports or asks about.

    The scorer drops those phrases' matches inside these spans; the text is not blanked, so
    what the older rules find (and the learned model reads) is as it was before them.
    """
    low = text.lower()
    if len(low) != len(text):
        return []
    if "\u2019" in low:
        low = low.replace("\u2019", "'")
    quotes: list[tuple[int, int]] = []
    if _has(text, _QUOTE_HINTS) or text.startswith("'"):
        quotes = [m.span(m.lastindex or 1) for m in _QUOTE.finditer(text)]
    if not (quotes or "?" in low or _has(low, _CUE_HINTS) or _has(low, _SPEECH_HINTS)):
        return []
    if not _has(low, _CALL_HINTS):
        return []
    return _mentioned_calls(low, quotes)


def blank_mentions(text: str) -> str:
    """``text`` with mentioned words replaced by spaces (same length, same positions)."""
    if not text:
        return text
    spans = mention_spans(text)
    if not spans:
        return text
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)
