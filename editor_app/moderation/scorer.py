"""Comment toxicity score: a learned model, a word-list layer, and their trained combination.

The default :class:`Scorer` does, for a batch of comments:

1. Blanks words the comment mentions rather than uses (``mentions.py``): a short quotation,
   "called me an idiot", "Calling X animals is wrong", "X are not criminals", "a terrorist
   state". Positions stay the same, so every span below is a span of the original comment.
2. Scores the rest with the learned model (``learned.py`` over ``features.py``): a linear
   model over word 1-2-grams and character n-grams, trained on about 200,000 labelled public
   comments by ``bench/train_scorer.py``; names of peoples, nations, faiths and other groups
   are masked, so naming a group weighs nothing.
3. Runs the word-list layer below (``lexicon.py``) for findings such models miss:
   collective insults and dehumanising language against nations, peoples and religions
   ("terrorist Turkey", "X are vermin"), a people said to commit crimes as a people ("X
   steal everything"), contempt for a people ("screw the X") or for the voters of someone
   just insulted, personal attacks on other commenters, insults to public figures, threats
   (calls to hang or lynch and violence wished on a person among them: "I hope someone kicks
   his head in", "he needs a bullet"; not where the comment answers the call "No"),
   profanity and slurs, spam.
4. Combines the learned model's log-odds with the layer's findings by group in a small
   logistic model fitted on held-out public data and on news threads written for it
   (``Combination``; its weights, bounded at 0 for the rules, and the hold threshold, chosen
   on those threads, ship with the model). Where a rule found something, the model's
   log-odds count from 0 up: it may add to a finding, not cancel it. An insult to a public
   figure ("X is a puppet", "X the loser") is political opinion a news site publishes: it
   counts only beside another hostile finding and never holds a comment alone. A group of
   findings that got no positive weight gives no reasons either; spam findings (no training
   data has spam) add to the score as before.

Every held comment says why: the layer's findings and the words that weighed most in the
learned model's score (``hostile wording``), each with its character span, so the queue
highlights them. ``ScoreResult.model_score`` is the learned model's own probability.

For comparison, ``Scorer(learned=False)`` is the old scorer: the packaged alt-profanity-check
model (a linear model over word n-grams trained on tweets) and the layer, combined as
``1 - (1 - max(MODEL_WEIGHT * p_model, lexical)) * prod(1 - weight_i)``; ``model=False`` runs
the layer alone and ``layer=False`` the packaged model alone.

Speed: one pass of the learned model per batch, vectorised over the batch; it gives every
token's share of its comment's log-odds too, which the reasons read (no second pass). A
word's bucket and character part are computed once and kept. The layer tokenises each comment
once (ASCII text by a byte translation and a split, as the learned model does; other text with
one regex); a comment with no lexicon word, no phrase trigger, no link and no currency
sign stops there. A reason's span is found by searching for the comment's tokens up to the
one it needs (``_find_spans``), not by splitting the whole comment. ``bench/bench_scorer.py
--compare-rev main`` checks that a faster version gives the same results and measures both.
"""

from __future__ import annotations

import importlib
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from pathlib import Path
from typing import TYPE_CHECKING, Any

from editor_app.domain.paths import resources_dir
from editor_app.moderation import lexicon as lx
from editor_app.moderation.features import (
    MODEL_FILE,
    lower,
)
from editor_app.moderation.mentions import blank_mentions, denied_questions, mentioned_calls

if TYPE_CHECKING:  # numpy and scipy load with the model, in the start-up job, not on import
    from editor_app.moderation.learned import LearnedModel, Pass

__all__ = [
    "DEFAULT_THRESHOLD",
    "MODEL_WEIGHT",
    "STACK_FEATURES",
    "Reason",
    "ScoreResult",
    "Scorer",
    "stack_features",
]

DEFAULT_THRESHOLD = 0.5
# The model's probability counts at this weight in the combined score: it is trained on tweets,
# and a heated news comment with no insult in it often gets 0.4-0.6 from it.
MODEL_WEIGHT = 0.9

# Reason labels.
PROFANITY = "profanity"
SLUR = "slur"
COLLECTIVE = "collective insult"
DEHUMANISING = "dehumanising"
PERSONAL = "personal attack"
FIGURE = "insult to public figure"
INSULT = "insult"
THREAT = "threat"
SPAM_LINK = "spam link"
SPAM_PHRASE = "spam phrase"
WORDING = "hostile wording"
_LEXICAL = frozenset({PROFANITY, SLUR})
_SPAM_LABELS = frozenset({SPAM_LINK, SPAM_PHRASE})

# The combination's inputs: the learned model's log-odds and the findings of each group of
# the word-list layer (1 - the product of 1 - their weights). The packaged model is no input:
# fitted with it, the combination gave it almost no weight (see bench/train_scorer.py).
RULE_GROUPS: dict[str, frozenset[str]] = {
    "rule: collective or dehumanising": frozenset({COLLECTIVE, DEHUMANISING}),
    "rule: personal attack": frozenset({PERSONAL}),
    "rule: insult to a person": frozenset({INSULT}),
    "rule: threat": frozenset({THREAT}),
    "rule: profanity or slur": frozenset({PROFANITY, SLUR}),
    # Robust criticism of a politician ("Erdogan is a puppet", "Pashinyan the loser") is
    # opinion a news site publishes: this input is the finding's weight times the strongest
    # of the hostile groups below, so it only adds where the comment is otherwise hostile
    # (group hate, an attack on a commenter, a threat, a slur), never holds it alone, and
    # does not lift the learned model's log-odds to 0 (see stack_features).
    "rule: insult to public figure, with other hostility": frozenset({FIGURE}),
}
# The groups that make an insult to a public figure count.
_HOSTILE_GROUPS = (
    "rule: collective or dehumanising",
    "rule: personal attack",
    "rule: threat",
    "rule: profanity or slur",
)
_FIGURE_GROUP = "rule: insult to public figure, with other hostility"
STACK_FEATURES = ("learned model", *RULE_GROUPS)
_CLIP = 12.0
# Words never shown as a reason on their own (they weigh, but say nothing to a moderator).
_FUNCTION_WORDS = lx.words(
    "a an the and or but if of to in on at by for with from as is are was were be been being "
    "am have has had do does did will would shall should can could may might must not no nor "
    "so than then that this these those there here it its it's he she they them their theirs "
    "his her hers him we us our ours you your yours i me my mine who whom whose which what "
    "when where why how all any both each few more most other some such only own same too very "
    "just also about above after again against before below between into through during out "
    "over under up down off once s t d ll re ve m don't isn't aren't it's i'm you're they're "
    "like know knows get got go going even still ever never always back well now why hey oh"
)
# Model reasons ("hostile wording") are given from this combined score up.
EXPLAIN_FROM = 0.4


def _logit(p: float) -> float:
    p = min(max(p, 1e-5), 1.0 - 1e-5)
    return math.log(p / (1.0 - p))


def stack_features(learned: float, reasons: Sequence[Reason]) -> list[float]:
    """One comment's inputs to the combination (see :data:`STACK_FEATURES`).

    Where a rule found something, the learned model's log-odds count from 0 up: a short
    comment the model has seen nothing like ("Marrowick people are vermin") keeps the rule's
    weight; the model may add to a finding but not cancel it. An insult to a public figure is
    no such finding: its input is its weight times the strongest hostile group's, so "Erdogan
    is a puppet" alone is scored by the learned model as it stands, and adds only beside
    group hate, an attack on a commenter, a threat, profanity or a slur.
    """
    values: dict[str, float] = {}
    for name, labels in RULE_GROUPS.items():
        keep = 1.0  # several findings of a group count as independent evidence
        for r in reasons:
            if r.label in labels:
                keep *= 1.0 - r.weight
        values[name] = 1.0 - keep
    values[_FIGURE_GROUP] *= max(values[g] for g in _HOSTILE_GROUPS)
    out = [max(-_CLIP, min(_CLIP, learned))]
    out += values.values()
    found = any(v > 0.0 for name, v in values.items() if name != _FIGURE_GROUP)
    if found and out[0] < 0.0:
        out[0] = 0.0
    return out


@dataclass(frozen=True)
class Reason:
    """One finding: what kind, the words, their span in the comment, how much it weighs."""

    label: str
    text: str
    start: int
    end: int
    weight: float


@dataclass(frozen=True)
class ScoreResult:
    """The combined score in [0, 1], the findings behind it, and the model's own probability."""

    score: float
    reasons: tuple[Reason, ...] = ()
    # The model's own probability: the learned model's in the default scorer, the packaged
    # profanity model's with learned=False or layer=False.
    model_score: float = 0.0

    def held(self, threshold: float = DEFAULT_THRESHOLD) -> bool:
        return self.score >= threshold


# --- token kinds -------------------------------------------------------------------------------

GROUP = 1 << 0  # peoples, faiths, other groups
INST = 1 << 1  # politicians, officials, media
COUNTRY = 1 << 2
TITLE = 1 << 3
DEHUM = 1 << 4
INSULT_N = 1 << 5
PERSON_N = 1 << 6
PERSON_ADJ = 1 << 7
HOSTILE_ADJ = 1 << 8
DELEGIT = 1 << 9
STEREO = 1 << 10
PLACE = 1 << 11
COPULA = 1 << 12
NEG = 1 << 13
REPORT = 1 << 14
FILLER = 1 << 15
PREP = 1 << 16
RELATIVE = 1 << 17
GROUP_PRON = 1 << 18
GENERIC = 1 << 19
DEMONSTR = 1 << 20
VIOLENT = 1 << 21
MODAL = 1 << 22
PROF_STRONG = 1 << 23
PROF_MILD = 1 << 24
SLUR_K = 1 << 25
YOU = 1 << 26
HE = 1 << 27
BREAK = 1 << 28
PLACE_T = 1 << 29  # country, city, town: targets of "is a cesspool"

TARGET = GROUP | INST | COUNTRY
PREDICATE = DEHUM | INSULT_N | PERSON_N | PERSON_ADJ | HOSTILE_ADJ | STEREO | PLACE
NOUNISH = DEHUM | INSULT_N | PERSON_N | PLACE
# Kinds that carry a finding by themselves or start one.
TRIGGERS = PREDICATE | DELEGIT | VIOLENT | PROF_STRONG | PROF_MILD | SLUR_K


def _build_kinds() -> dict[str, int]:
    table: dict[str, int] = {}

    def add(words: frozenset[str] | set[str], kind: int) -> None:
        for w in words:
            table[w] = table.get(w, 0) | kind

    add(lx.PEOPLES | lx.FAITHS | lx.OTHER_GROUPS, GROUP)
    add(lx.INSTITUTIONAL_GROUPS, INST)
    add(lx.COUNTRIES, COUNTRY)
    add(lx.TITLES, TITLE)
    add(lx.DEHUMANISING, DEHUM)
    add(lx.INSULT_NOUNS, INSULT_N)
    add(lx.PERSON_NOUNS, PERSON_N)
    add(lx.PERSON_ADJECTIVES, PERSON_ADJ)
    add(lx.HOSTILE_ADJECTIVES, HOSTILE_ADJ)
    add(lx.DELEGITIMISING, DELEGIT)
    add(lx.STEREOTYPE_ADJECTIVES, STEREO)
    add(lx.PLACE_INSULTS, PLACE)
    add(lx.COPULAS, COPULA)
    add(lx.NEGATIONS, NEG)
    add(lx.REPORTING, REPORT)
    add(lx.FILLERS, FILLER)
    add(lx.PREPOSITIONS, PREP)
    add(lx.RELATIVES, RELATIVE)
    add(lx.GROUP_PRONOUNS, GROUP_PRON)
    add(lx.GENERIC_SUBJECTS, GENERIC)
    add(lx.DEMONSTRATIVES, DEMONSTR)
    add(lx.VIOLENT_VERBS, VIOLENT)
    add(lx.MODALS, MODAL)
    add(lx.PROFANITY_STRONG, PROF_STRONG)
    add(lx.PROFANITY_MILD, PROF_MILD)
    add(lx.SLURS, SLUR_K)
    add({"you", "u", "ya", "yourself", "yourselves"}, YOU)
    add({"he", "she", "him", "her"}, HE)
    add({".", "!", "?", ";", "\n"}, BREAK)
    add(lx.PLACE_NOUNS, PLACE_T)
    return table


_KINDS = _build_kinds()
# Words that may start a finding: a comment with none of them, no phrase trigger, no link and
# no currency sign has nothing for the layer and skips it after tokenising.
_TRIGGER_WORDS = frozenset(w for w, k in _KINDS.items() if k & TRIGGERS)

# Words (lexicon or not) that a subject search steps over: "Turks are all", "they themselves".
_SUBJECT_SKIP = lx.words(
    "all both really just only simply also too still always clearly obviously basically mostly "
    "themselves here truly definitely certainly actually honestly has have had will would"
)
# Capitalised words that are not names.
_NOT_NAMES = lx.words(
    "i it this that these those the a an and but or so if what which who whose where when why "
    "how there here everything nothing something someone everyone anyone nobody he she they we "
    "you my our your his her their its one some many most all both each every also yes no "
    "mr mrs ms dr sir madam god"
)
# Insults that stand without a target: "Only idiots would vote for this".
_BARE = lx.words(
    "idiot idiots moron morons imbecile imbeciles cretin cretins scumbag scumbags lowlife "
    "lowlifes subhuman subhumans degenerates vermin"
)
# Hostile adjectives that dehumanise rather than accuse.
_DEHUM_ADJ = lx.words("subhuman rabid filthy inbred mongrel stinking stinky smelly")
# Dehumanising words that name animals or pests: said of any people, not of things.
_ANIMALS = lx.DEHUMANISING - lx.words(
    "trash garbage filth cancer plague infestation virus bug bugs germ germs scum"
)
# Nouns an insulting word may qualify instead of the subject: "a terrorist state".
_THINGS = lx.words(
    "state states regime regimes government governments organisation organization group "
    "groups cell cells attack attacks network networks act acts activity activities threat "
    "sponsor sponsors enterprise enterprises policy policies war wars"
)
_PLURAL_EXTRA = lx.words(
    "vermin scum filth trash garbage sheep cattle lice thieves mafia swine lowlives"
)

# Tokens are taken from the lower-cased text, which keeps every character's position.
_TOKEN_ASCII = re.compile(r"[a-z0-9]+|[.!?;\n]")
_TOKEN_UNICODE = re.compile(r"[^\W_]+|[.!?;\n]")
_TOKEN_CASED = re.compile(r"[A-Za-z0-9]+|[.!?;\n]")  # the same tokens, in their own case
# _TOKEN_ASCII's tokens without the regex: every other character becomes a space (one C
# translation of the bytes), each sentence mark gets a space either side, and the text is split.
_ASCII_KEEP = b"abcdefghijklmnopqrstuvwxyz0123456789.!?;\n"
_ASCII_TABLE = bytes(i if i in _ASCII_KEEP else 32 for i in range(256))


def _tokens_ascii(lowtext: str) -> list[str]:
    """``_TOKEN_ASCII.findall(lowtext)`` for lower-cased ASCII text, faster."""
    s = lowtext.encode("ascii").translate(_ASCII_TABLE).decode("ascii")
    for mark in ".!?;\n":
        if mark in s:
            s = s.replace(mark, f" {mark} ")
    return list(filter(None, s.split(" ")))


# Run on the lower-cased text; it starts with a literal "." so the regex engine skips ahead.
_TLD_HINT = re.compile(
    r"\.(?:com|net|org|info|biz|io|xyz|ru|top|shop|online|site|club|live|store|app|ly|co|me|cc|"
    r"win|bid|loan|click|link|pro|vip)\b"
)
_LINK = re.compile(
    r"(?:https?://|www\.)[^\s<>\"')\]]+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|info|biz|io|xyz|ru|top|shop|online|"
    r"site|club|live|store|app|ly|co|me|cc|win|bid|loan|click|link|pro|vip)(?:/[^\s<>\"')\]]*)?"
    r"(?!\w)",
    re.I,
)
_CURRENCY = ("$", "£", "€")


# (trigger alternatives, needs a currency sign, regex, literal text every match starts with)
_Phrase = tuple[tuple[frozenset[str], ...], bool, re.Pattern[str], str]


# Words too common to key a phrase on; a phrase is keyed on the other words of its triggers.
_COMMON = lx.words(
    "you your ur go get what how me to out now from up down the back only good under know find "
    "pay put work people use check near area make i we with"
)


def _literal_prefix(pattern: str) -> str:
    """The literal text every match of a regex starts with ("you people"), or "" if none."""
    depth = 0
    escaped = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            return ""  # alternatives at the top level share no prefix
    out: list[str] = []
    for ch in pattern:
        if ch in "\\()[]{}?*+|.^$":
            if ch in "?*+{" and out:
                out.pop()  # the last literal was optional or repeated
            break
        out.append(ch)
    return "".join(out)


def _phrases(specs: Sequence[tuple[str, str]]) -> tuple[_Phrase, ...]:
    """Compile (triggers, regex) pairs; see ``lexicon.ATTACK_PHRASES`` for the trigger syntax."""
    out = []
    for triggers, pattern in specs:
        alternatives = triggers.split()
        out.append(
            (
                tuple(frozenset(a.split("+")) for a in alternatives if a != "$"),
                "$" in alternatives,
                # Matched against the lower-cased text: no IGNORECASE needed, which is faster.
                re.compile(rf"(?<!\w)(?:{pattern})(?!\w)"),
                _literal_prefix(pattern),
            )
        )
    return tuple(out)


def _key(words: frozenset[str]) -> str:
    """The word an alternative is looked up by: its longest uncommon word."""
    return max(words, key=lambda w: (w not in _COMMON, len(w), w))


_ATTACK = _phrases(lx.ATTACK_PHRASES)
_THREAT = _phrases(lx.THREAT_PHRASES)
_SPAM = _phrases(lx.SPAM_PHRASES)
_DEHUM_PHRASES = _phrases(lx.DEHUMANISING_PHRASES)
_CONSPIRACY = _phrases(lx.CONSPIRACY_PHRASES)
_GROUP_CONTEMPT = _phrases(lx.GROUP_CONTEMPT_PHRASES)
_VOTER_CONTEMPT = _phrases(lx.VOTER_CONTEMPT_PHRASES)
# The phrase groups in the order _phrase_matches returns their matches.
_GROUPS = (_ATTACK, _THREAT, _SPAM, _DEHUM_PHRASES, _CONSPIRACY, _GROUP_CONTEMPT, _VOTER_CONTEMPT)
_SPAM_GROUP = 2


# Key word -> (group, alternative, phrase index) for every phrase alternative.
def _index_phrases() -> dict[str, list[tuple[int, frozenset[str], int]]]:
    index: dict[str, list[tuple[int, frozenset[str], int]]] = {}
    for g, group in enumerate(_GROUPS):
        for p, phrase in enumerate(group):
            for alt in phrase[0]:
                index.setdefault(_key(alt), []).append((g, alt, p))
    return index


_PHRASE_KEYS = _index_phrases()
_MONEY_PHRASES = tuple(p for p, phrase in enumerate(_SPAM) if phrase[1])
_PHRASE_KEY_SET = frozenset(_PHRASE_KEYS)


def _occurrences(text: str, needle: str) -> list[int]:
    out = []
    pos = text.find(needle)
    while pos >= 0:
        out.append(pos)
        pos = text.find(needle, pos + 1)
    return out


# How far around a key word a phrase is searched for (no phrase is longer than this).
_REACH = 60


def _phrase_matches(
    low: list[str], lowtext: str, money: bool, text: str
) -> list[list[re.Match[str]]]:
    """Matches of each phrase group (see _GROUPS) whose triggers are among the tokens.

    A phrase is tried only if its triggers are all among the tokens and the literal text it
    starts with (if any) is in the comment, and then only in windows around its key word (or
    a currency sign): a regex run over a window costs a fraction of one over the comment.
    """
    # (group, phrase) -> the key words (or currency signs) to search around
    anchors: dict[tuple[int, int], set[str]] = {}
    keys = _PHRASE_KEY_SET.intersection(low)
    if keys:
        present = frozenset(low)
        for key in keys:
            for g, alt, p in _PHRASE_KEYS[key]:
                if alt <= present:
                    prefix = _GROUPS[g][p][3]
                    if not prefix or prefix in lowtext:
                        anchors.setdefault((g, p), set()).add(key)
    if money:
        signs = {sign for sign in _CURRENCY if sign in text}
        for p in _MONEY_PHRASES:
            anchors.setdefault((_SPAM_GROUP, p), set()).update(signs)
    out: list[list[re.Match[str]]] = [[] for _ in _GROUPS]
    if not anchors:
        return out
    n = len(text)
    seen: dict[str, list[int]] = {}
    found: dict[tuple[int, int, int], re.Match[str]] = {}
    for (g, p), needles in anchors.items():
        regex = _GROUPS[g][p][2]
        for needle in needles:
            where = seen.get(needle)
            if where is None:
                where = seen[needle] = _occurrences(lowtext, needle)
            for pos in where:
                lo = max(0, pos - _REACH)
                hi = min(n, pos + len(needle) + _REACH)
                while hi < n and lowtext[hi].isalnum():
                    hi += 1
                for m in regex.finditer(lowtext, lo, hi):
                    if m.start() <= pos < m.end() or m.start() <= pos + len(needle) <= m.end():
                        found.setdefault((g, *m.span()), m)
    for at in sorted(found):
        out[at[0]].append(found[at])
    return out


# The newer phrases (``lexicon.HANGING_PHRASES``, ``SCREW_YOU``, ``GROUP_CONTEMPT_PHRASES``)
# and the checks that keep them from holding civil comments. Their matches inside what a
# comment quotes, reports or asks (``mentions.mentioned_calls``) are dropped; the text is not
# blanked for them, so the older rules and the learned model read it as before.
_HANGING_KIND = {
    phrase[2]: lx.HANGING_PHRASES.index(spec)
    for spec, phrase in zip(lx.THREAT_PHRASES, _THREAT, strict=True)
    if spec in lx.HANGING_PHRASES
}
(
    _MODAL_HANGED,
    _LAMPPOST,
    _HEAD_KICKED,
    _KICK_HEAD_IN,
    _BEATING,
    _THIRD_PARTY,
    _NEEDS_BULLET,
) = range(len(lx.HANGING_PHRASES))
# Kinds whose match says who acts: its call word may be inside it ("someone should shoot him").
_SUBJECT_KINDS = frozenset({_THIRD_PARTY})
# "anyone who kills them ...", "they kill them with kindness": no call for violence.
_NOT_A_CALL_AFTER = re.compile(r"\s+with\s+kindness\b")
_RELATIVE_SUBJECT = re.compile(r"^\w+\s+(?:who|that|which|whom)\b")
_SCREW_YOU_RE = next(
    phrase[2]
    for spec, phrase in zip(lx.ATTACK_PHRASES, _ATTACK, strict=True)
    if spec is lx.SCREW_YOU
)


def _within(m: re.Match[str], spans: list[tuple[int, int]]) -> bool:
    a, b = m.span()
    return any(s0 < b and a < s1 for s0, s1 in spans)


# How far back a phrase's sentence or clause is read: its checks look at the last few words,
# and a bound keeps a long comment of many matches from being read again for each (a comment
# of 100,000 characters of "break his legs" took half a minute).
_LOOKBACK = 300


def _start_after(lowtext: str, at: int, marks: str) -> tuple[int, bool]:
    """Where the text after the last of ``marks`` before ``at`` starts, looking back at most
    _LOOKBACK characters, and whether the look-back stopped short of such a mark (the start
    is then moved past the word cut in two)."""
    lo = max(0, at - _LOOKBACK)
    start = max(lowtext.rfind(mark, lo, at) for mark in marks) + 1
    if start or lo == 0:
        return start, False
    while lo < at and not lowtext[lo].isspace():
        lo += 1
    return lo, True


def _sentence_before(lowtext: str, at: int) -> tuple[int, str, bool]:
    start, cut = _start_after(lowtext, at, ".!?;\n")
    return start, lowtext[start:at], cut


def _clause_before(lowtext: str, at: int) -> str:
    start, _ = _start_after(lowtext, at, '.!?;:,\n"()\u201c\u201d\u2013\u2014')
    dash = lowtext.rfind(" - ", start, at)
    return lowtext[dash + 3 if dash >= 0 else start : at]


# A negation before a phrase in its clause or sentence: "nobody deserves to be lynched".
_NEGATION = re.compile(r"\b(?:not|no|never|nobody|noone|none|neither|nor)\b|\bno one\b|n't\b")
# A call: "should", "let's", "hope", "ought to", "deserve to", "needs to", "he'll get ...",
# "I'd hang them" (an "'d" of the commenter's own only: "he'd get ..." forecasts).
_CALL_WORD = re.compile(
    r"\b(?:should|shall|must|ought|let's|lets|let|hope|hoping|wish|deserves?|need|needs|gonna"
    r"|going to|will|ll|would|want|wants|wanna|better|time to|have to|has to|like to|love to"
    r"|itching to)\b|\b(?:i|we)'d\b"
)
# "I'd like him to ...", "I'd love to see ...": the commenter's "'d" of a wish (not "I'd hate
# for him to ...").
_OWN_WISH_D = re.compile(
    r"\b(?:i|we)'d\s+(?:\w+ly\s+|really\s+|so\s+)?(?:like|love|want|enjoy|pay|relish"
    r"|be\s+(?:happy|glad|delighted|thrilled))\b"
)
# A wish or a demand that someone else act: "I hope someone ...", "somebody should ..." (not
# "will", "going to": "if he says so, they are going to kill him" fears it).
_WISH_WORD = re.compile(
    r"\b(?:should|must|ought|let's|lets|let|hope|hoping|wish|deserves?|need|needs|better"
    r"|want|wants|wanna|time to|have to|has to|like to|love to)\b"
)
# The commenter's own intent, which may be put as a forecast: "I'll break his legs", "I would
# gladly knock his teeth out", "I'm going to punch his lights out" (not "I'd say he'll ...").
_OWN_INTENT = re.compile(
    r"\bi(?:(?:'ll|'d|\s+will|\s+would|\s+shall|\s+could)|(?:'m|\s+am)\s+(?:gonna|going\s+to"
    r"|itching\s+to|dying\s+to|about\s+to)|\s+(?:gonna|wanna|can't\s+wait\s+to))"
    r"(?:\s+(?:\w+ly|just|really|so|then|personally|gladly|go|come|and|to|like|love|be|happy"
    r"|glad|more|than|also|still|even|soon|one|day|myself))*\s*$"
)
# "he'll break his neck", "you'd break your neck on those stairs": the possessive refers back
# to the subject, an accident foretold.
_OTHER_WORD = r"(?:(?!(?:i|i'\w+|you\S*|u|he\S*|she\S*|we\S*|they\S*|someone|somebody)\s)\S+\s)"
_OWN_BODY = re.compile(
    rf"\b(?:(?:he|he's|he'll|he'd)\s{_OTHER_WORD}{{1,5}}his"
    rf"|(?:she|she's|she'll|she'd)\s{_OTHER_WORD}{{1,5}}her"
    rf"|(?:you|you'll|you'd|you're|u)\s{_OTHER_WORD}{{1,5}}your"
    rf"|(?:they|they'll|they'd|they're)\s{_OTHER_WORD}{{1,5}}their)$"
)
_POSSESSIVE = re.compile(r"\b(?:his|her|your|their)\b")
_HOPE = re.compile(r"\b(?:hope|hoping|wish|pray|praying)\b")
# A side of the commenter's beating the other in a match: "I hope we beat the hell out of them".
_OWN_SIDE = re.compile(r"\b(?:we|let's|lets|us|we'll|we'd|we're)\b")
# A contest after the verb's object: "shoot him down in the debate", "murder them in the
# ratings", "beat the hell out of them 5-0", "kill him off" (a story's character).
_CONTEST_AFTER = re.compile(
    r"\s+(?:down(?!\s+like\b)|off\b|\d+\s*[-\u2013:]\s*\d+"
    r"|(?:down\s+|off\s+)?(?:in|at|on)\s+(?:the\s+|this\s+|that\s+|tonight's\s+|next\s+)?"
    r"(?:\w+\s+)?(?:polls?|ratings|finals?|vote|votes|debates?|games?|match(?:es)?|ladder"
    r"|elections?|race|primar(?:y|ies)|league|cup|tournament|derby|quiz|ring|octagon|rematch"
    r"|semis?|semi-finals?|box\s+office|charts?|ballot|showdown|playoffs?|season|exam"
    r"|interview))"
)
# A wish asked about or seen rather than made: "Detectives want to know why someone would
# shoot him", "police need anyone who saw someone stab him".
_NOT_WISHED = re.compile(
    r"\b(?:know|knows|why|whether|if|who|saw|seen|wonder|wondering|ask|asks|asked|asking"
    r"|find out)\b"
)
# Whom a bullet is wanted for: a person (a pronoun or a word for a person, insulting or not),
# not "his CV", "this paragraph", "the army".
_BULLET_PRONOUNS = lx.words("he she they you u who whoever everyone everybody someone somebody")
_PERSON_WORDS = lx.words(
    "man men woman women guy guys bloke blokes person people lad lads chap fella fellow bitch "
    "bitches animal animals creature creatures"
)
# What may stand between the subject and "needs a bullet": "he really needs", "they all need".
_BULLET_FILLER = re.compile(r"(?:\s+(?:\w+ly|just|really|so|all|both|also|still|too|simply))*\s*$")
_BULLET_SUBJECT = re.compile(r"([\w'-]+)" + _BULLET_FILLER.pattern)
# After the bullet: the clause's end, or where it goes ("in the head", "between the eyes").
_BULLET_END = re.compile(
    r"(?:\s+(?:too|now|already|asap|honestly|frankly|tbh|period|then|quickly|soon"
    r"|right now|and fast|and a rope))*"
    r"\s*(?:[.!?,;:)\"\u201d\u2013\u2014]|\s-\s|$|\s+(?:in|to|through|between|behind)\s+"
    r"(?:the|his|her|their|your|its|him|them)\b|\s+for\s+(?:what|being|saying|doing|treason"
    r"|(?:his|her|their)\s+(?:crimes|treason|betrayal|sins|lies))\b)"
)
# What may stand before an imperative at the start of a clause: "so just hang the X ...".
_IMPERATIVE_LEAD = re.compile(r"[\s'\"\u2018\u201c]*(?:(?:so|just|now|then|yes|go|and|please)\s+)*")


def _bullet_for_a_person(norm: str, lowtext: str, m: re.Match[str], clause: str) -> bool:
    """ "He needs a bullet", "that councillor deserves a bullet in the head": a person's, its
    phrase ending the clause (not "his CV needs a bullet or two", "the quarterback needs a
    bullet pass")."""
    if _BULLET_END.match(lowtext, m.end()) is None:
        return False
    s = _BULLET_SUBJECT.search(clause)
    if s is None:
        return False
    word = s.group(1)
    if _KINDS.get(word, 0) & (INSULT_N | PERSON_N | DEHUM):
        return True  # "those traitors need bullets"
    if m.group().startswith("need") and m.group().endswith("s"):
        return False  # "if you go hunting you need bullets", "the soldiers need bullets"
    if word in _BULLET_PRONOUNS or word in _PERSON_WORDS or _KINDS.get(word, 0) & TITLE:
        return True
    # A name: capitalised, no lexicon word nor function word ("Putin needs a bullet"; at a
    # sentence's start a bare singular noun with no determiner is a name).
    at = m.start() - len(clause) + s.start(1)
    return (
        norm[at : at + 1].isupper()
        and not _KINDS.get(word, 0)
        and word not in _NOT_NAMES
        and word not in _FUNCTION_WORDS
    )


def _hanging_call(norm: str, lowtext: str, m: re.Match[str], kind: int) -> bool:
    """A call to hang or lynch or to "get his head kicked in", or violence wished on a person,
    not a narration ("a mob hung him from a tree", "my neighbour got his head kicked in"), a
    forecast ("he'll break his neck on that ladder", "McGregor will knock his teeth out") nor
    a denial ("nobody deserves to be lynched"): a call word before it in its clause, or (to
    hang) an imperative at the clause's start; a pronoun hanged "from the nearest lamppost",
    not any tree. Only the last _LOOKBACK characters of the clause are read."""
    clause = _clause_before(lowtext, m.start())
    if kind in _SUBJECT_KINDS:
        if _RELATIVE_SUBJECT.match(m.group()) or _NOT_A_CALL_AFTER.match(lowtext, m.end()):
            return False
        if _CONTEST_AFTER.match(lowtext, m.end()):
            return False  # "I hope someone shoots him down in the debate"
        clause += " " + " ".join(m.group().split()[:-2])  # up to the verb: "someone should"
    if _NEGATION.search(clause):
        return False
    if kind == _NEEDS_BULLET:
        return _bullet_for_a_person(norm, lowtext, m, clause)
    if kind == _MODAL_HANGED:
        return True  # the phrase starts with its modal ("should be strung up")
    words = m.group().split()
    if kind == _HEAD_KICKED:
        if words[0] == "got":
            return False
        calls = [c.group() for c in _CALL_WORD.finditer(clause)]
        if calls and all(c.endswith("'d") for c in calls):
            return _OWN_WISH_D.search(clause) is not None  # not "I'd hate for him to ..."
        return bool(calls)
    if kind == _THIRD_PARTY:  # a wish, not a forecast ("they are going to kill him")
        wishes = list(_WISH_WORD.finditer(clause))
        # Not asked about or seen: "want to know why someone would shoot him".
        return bool(wishes) and _NOT_WISHED.search(clause, wishes[-1].end()) is None
    if kind in (_KICK_HEAD_IN, _BEATING):
        own = _POSSESSIVE.search(m.group())
        if own is not None and _OWN_BODY.search(clause + m.group()[: own.end()]):
            return _HOPE.search(clause) is not None  # "he'll break his neck", a forecast
        if m.group().endswith("out of them") and (
            _OWN_SIDE.search(clause) or _CONTEST_AFTER.match(lowtext, m.end())
        ):
            return False  # "I hope we beat the hell out of them in the derby"
        return _WISH_WORD.search(clause) is not None or _OWN_INTENT.search(clause) is not None
    if m.group("obj") is None and not {"nearest", "closest"} & set(words):
        return False  # "hang them on the tree every year"
    return _CALL_WORD.search(clause) is not None or (
        words[0] in ("hang", "string") and _IMPERATIVE_LEAD.fullmatch(clause) is not None
    )


# Just before a charge against a people in its sentence, a denial or a report of the charge:
# "it's not true that", "the idea that", "a myth that", "I don't believe", "nobody is saying".
_CHARGE_DENIED = re.compile(
    r"\b(?:not|no|never|nobody|none|nothing|neither|nor|myths?|idea|notion|claims?|claiming"
    r"|smears?|stereotypes?|tropes?|lie|lies|prejudice|saying|say|says|said|true|false"
    r"|whether|if|suggest|suggests|suggesting)\b|\bno one\b|n't\b"
)
_CHARGE_REACH = 8  # words before the group word searched for a denial or a report
_SAYING = frozenset({"say", "says", "said", "saying"})
# The commenter just before a word of saying: "I say", "I'm saying", "as we've always said".
_OWN_SAYING = re.compile(
    r"(?:^|\s)(?:i|we)(?:'m|'ve|'ll| am| are| have| will| do| did| just| always"
    r"| still| keep| kept)*\s*(?: always| just| still| keep| kept| again)*\s*$"
)
# After the verb: an idiom ("steal the show", "steal a late win"), a noun ("rape statistics"),
# or no object ("steal nothing").
_STEAL_IDIOM = re.compile(
    r"(?:\s+(?!(?:and|or)\b)[\w'-]+){0,2}?\s+(?:show|win|wins|victory|march|points?|headlines?"
    r"|limelight|spotlight|draw|goal|glances?|kiss|kisses|bases?|look|hearts?|scene|thunder"
    r"|title|lead|trophy|medal|bronze|silver|gold|equali[sz]er|winner|game|match|moment"
    r"|result|race|crown)\b"
)
_CHARGE_NOT_A_VERB = re.compile(
    r"\s+(?:statistics|stats|figures|data|cases?|rates?|claims?|allegations?|charges?|trials?"
    r"|victims?|gangs?|scandals?|convictions?|reports?|numbers|myths?|stor(?:y|ies)|accusations?"
    r"|culture|rumou?rs?|inquiry|inquiries|survivors?|crisis|epidemic|narrative|nothing"
    r"|no one|nobody|none)\b"
)


def _charge(lowtext: str, m: re.Match[str]) -> bool:
    """A people said to steal or rob as a people, not in a denial or report of it."""
    _, sentence, cut = _sentence_before(lowtext, m.start())
    words = sentence.split()
    if words and not cut and words[0].strip("\"'(\u201c").endswith("n't"):
        words = words[1:]  # "Don't Roma steal everything?" asks; it denies nothing
    # The last few words only: "... saying he did it to protest the girls that X rape" does
    # not deny the charge. The commenter's own saying asserts it: "I say X steal", "as I've
    # always said" (not "I never said", "if I say").
    window = " ".join(words[-_CHARGE_REACH:])
    for d in _CHARGE_DENIED.finditer(window):
        if d.group() not in _SAYING or not _OWN_SAYING.search(window, 0, d.start()):
            return False
    if _CHARGE_NOT_A_VERB.match(lowtext, m.end()):
        return False
    return not (m.group().endswith("steal") and _STEAL_IDIOM.match(lowtext, m.end()))


# "Screw the X" where X ends the noun phrase: not "screw the English weather".
_NOUN_PHRASE_END = re.compile(
    r"(?!'s?\s+\w)"  # not a possessive: "screw the Germans' new tax rules"
    r"\s*(?:[.,;:!?)\"'\u201d\u2013\u2014-]|$)|\s+(?:and|or|but|who|for|too|again|forever|all)\b"
)
# Sport banter: "Screw the Germans, we beat them on penalties!"
_SPORT = re.compile(
    r"\b(?:beat|beaten|beating|won|win|wins|penalt(?:y|ies)|match|goals?|cup|final|league"
    r"|team|squad|scored?|trophy|pitch|eurovision|medals?|olympics|tournament|rugby|football"
    r"|cricket|game|kick-off|derby|fixture)\b"
)


def _contempt(lowtext: str, m: re.Match[str]) -> bool:
    """Contempt ("screw / to hell with") for a people or nation, not for a thing of
    theirs nor in a match."""
    if _NOUN_PHRASE_END.match(lowtext, m.end()) is None:
        return False
    if _NEGATION.search(_clause_before(lowtext, m.start())):
        return False
    return _SPORT.search(lowtext) is None


def _insult_before(lowtext: str, at: int) -> bool:
    """An insulting noun earlier in the sentence that ends at ``at`` ("the mayor is a crook,
    and so is everyone who voted for him")."""
    start, _ = _start_after(lowtext, at, ".!?;\n")
    words = _TOKEN_UNICODE.findall(lowtext, start, at)
    return any(_KINDS.get(w, 0) & (INSULT_N | PERSON_N | DEHUM) for w in words)


def _lower_same_length(text: str) -> str:
    """``text.lower()`` that keeps every character's index ("İ" lowers to two characters)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(lc if len(lc := ch.lower()) == 1 else ch for ch in text)


class _Comment:
    """One comment's tokens, lower-cased, with their kinds; spans are found only if needed."""

    __slots__ = (
        "_cased",
        "_reported",
        "_spans",
        "_starts",
        "kinds",
        "low",
        "lowtext",
        "norm",
        "text",
    )
    _spans: list[int] | None

    def __init__(self, text: str, norm: str, lowtext: str, low: list[str]) -> None:
        self.text = text
        self.norm = norm
        self.lowtext = lowtext
        self.low = low
        self._cased: list[str] | None = None
        self.kinds: list[int] = []  # filled by the word patterns, which alone need them
        self._spans = None
        self._starts = (0, 0)  # the token last asked about and its sentence start
        self._reported: dict[int, bool] = {}  # a sentence's start: a reporting word in it

    def _bounds(self, i: int) -> list[int]:
        """Token k spans bounds[2k]..bounds[2k+1], known up to token i at least."""
        if self._spans is None:
            self._spans = []
        if len(self._spans) <= 2 * i + 1:
            _find_spans(self.lowtext, self.low, self._spans, i)
        return self._spans

    def start(self, i: int) -> int:
        return self._bounds(i)[2 * i]

    def end(self, i: int) -> int:
        return self._bounds(i)[2 * i + 1]

    def is_name(self, i: int) -> bool:
        """A capitalised word that is no lexicon word: a name ("Erdogan", "Brandt")."""
        if self.kinds[i] & (TARGET | PREDICATE | COPULA | BREAK) or self.low[i] in _NOT_NAMES:
            return False
        cased = self._cased
        if cased is None:
            pattern = _TOKEN_CASED if self.lowtext.isascii() else _TOKEN_UNICODE
            cased = self._cased = pattern.findall(self.norm)
            if len(cased) != len(self.low):  # lower-casing changed a word's shape: go by spans
                cased = self._cased = [self.text[self.start(k)] for k in range(len(self.low))]
        return cased[i][:1].isupper()


def _find_spans(text: str, tokens: list[str], bounds: list[int], i: int) -> None:
    """Extend ``bounds`` (start, end, start, end, ...) to token i of ``tokens``, the tokens a
    regex found in ``text`` in order. Each token starts where its text is first found after
    the end of the one before: the characters between two tokens are those no token can
    start with (a letter, a digit, a sentence mark or "@" before a word character each
    starts a token), so no earlier copy of the token's text can start there. Only the
    tokens a reason needs are looked for, from the first on: cheaper than splitting the text.
    """
    pos = bounds[-1] if bounds else 0
    find = text.find
    for k in range(len(bounds) // 2, i + 1):
        token = tokens[k]
        start = find(token, pos)
        pos = start + len(token)
        bounds.append(start)
        bounds.append(pos)


class _Finder:
    """Collects reasons for one comment; one reason per insulting word, the heaviest wins."""

    def __init__(self, c: _Comment) -> None:
        self.c = c
        self.by_anchor: dict[tuple[str, int], tuple[str, int, int, float]] = {}
        self.extra: list[Reason] = []

    def add(self, label: str, first: int, last: int, weight: float, anchor: int) -> None:
        if weight <= 0.0:
            return
        key = ("tok", anchor)
        old = self.by_anchor.get(key)
        if old is None or old[3] < weight:
            self.by_anchor[key] = (label, first, last, weight)

    def add_span(self, label: str, start: int, end: int, weight: float) -> None:
        self.extra.append(Reason(label, self.c.text[start:end], start, end, weight))

    def reasons(self) -> list[Reason]:
        out: list[Reason] = []
        if self.by_anchor:
            c = self.c
            text = c.text
            for label, first, last, weight in self.by_anchor.values():
                start, end = c.start(first), c.end(last)
                out.append(Reason(label, text[start:end], start, end, round(weight, 3)))
        out.extend(self.extra)
        out.sort(key=lambda r: (r.start, r.end))
        if len(out) > 1:
            out = _distinct(out)
        return out


def _distinct(found: list[Reason]) -> list[Reason]:
    """One reason where two findings of the same kind overlap ("I will kill" and "I will kill
    you"): the heavier, else the longer; the same words count once. A twin has the same
    label, so each reason is compared with the kept ones of its label alone, in their order.
    The findings come in order of their starts: a kept one that ends before a finding starts
    can overlap no later one and is no longer compared (a comment of thousands of threats
    was compared pair by pair)."""
    out: list[Reason] = []
    by_label: dict[str, list[int]] = {}
    for r in found:
        kept = by_label.get(r.label)
        if kept is None:
            kept = by_label[r.label] = []
        elif kept and out[kept[0]].end <= r.start:
            kept = by_label[r.label] = [k for k in kept if out[k].end > r.start]
        for k in kept:
            o = out[k]
            if o.start < r.end and r.start < o.end:
                if (r.weight, r.end - r.start) > (o.weight, o.end - o.start):
                    out[k] = r
                break
        else:
            kept.append(len(out))
            out.append(r)
    return out


def _is_plural(word: str) -> bool:
    return word.endswith("s") or word in _PLURAL_EXTRA


def _has_break(kinds: list[int], lo: int, hi: int) -> bool:
    return any(kinds[k] & BREAK for k in range(max(lo, 0), hi))


def _negated(c: _Comment, lo: int, hi: int) -> bool:
    """A negation among tokens lo..hi-1 ("no better than" and "nothing but" are not one)."""
    for k in range(max(lo, 0), hi):
        if c.kinds[k] & NEG and not (
            c.low[k] == "no" and k + 1 < len(c.low) and c.low[k + 1] in ("better", "more")
        ):
            return True
    return False


def _reported(c: _Comment, subject: int) -> bool:
    """A reporting word ("calling", "claims", "stereotype") shortly before the subject."""
    for k in range(subject - 1, max(subject - 7, -1), -1):
        kind = c.kinds[k]
        if kind & BREAK:
            return False
        if kind & REPORT:
            return True
    return False


def _not_all(c: _Comment, subject: int) -> bool:
    lo = max(subject - 3, 0)
    window = c.low[lo:subject]
    return any(w in ("not", "no") for w in window) and any(
        w in ("all", "every", "most", "many") for w in window
    )


# After "you", "him": a second object ("shoot you an email", "hang him a picture").
_DETERMINERS = lx.words("a an the some my our your his her their this that")
# Objects of a threat that name people without a lexicon kind ("kill every one of them").
_PERSON_OBJECT = {w: 1 for w in ("people", "one", "them", "you", "person", "man", "woman")}
# Houses of worship: "burn every mosque" attacks the faith's people.
_WORSHIP = lx.words("mosque mosques church churches synagogue synagogues temple temples")
# "beat them at the polls", "in the final": a contest, not violence.
_CONTEST = lx.words("at in on by to")
# Words that may stand before an order: "just nuke them", "so wipe them out".
_ORDER_LEAD = lx.words("just so then now and please go simply")
# Words that make a sentence a report: "police said", "according to the ministry".
_REPORT_WORDS = lx.words(
    "said says reported reports according told claimed alleged confirmed witnesses police "
    "officials ministry spokesman spokeswoman"
)


def _sentence_start(c: _Comment, i: int) -> int:
    """The first token of token i's sentence. The walk back stops at the token last asked
    about (its sentence start is known): a long comment of one sentence is not walked back
    to its start again for each of its words."""
    kinds = c.kinds
    last, last_start = c._starts
    floor = last if last <= i else 0
    k = i
    while k > floor and not kinds[k - 1] & BREAK:
        k -= 1
    if k == floor and floor and last_start >= 0:
        k = last_start
    c._starts = (i, k)
    return k


def _starts_sentence(c: _Comment, i: int) -> bool:
    """Token i is an order: the first word of its sentence, after at most "just", "so"."""
    k = _sentence_start(c, i)
    return all(c.low[t] in _ORDER_LEAD for t in range(k, i))


def _speaker_before(c: _Comment, i: int) -> bool:
    """ "I", "we" within the five words before i, in the same sentence: the commenter's own
    intent ("I'm going to kill you", "we will wipe them out")."""
    lo = max(_sentence_start(c, i), i - 5)
    return any(c.low[t] in ("i", "we") for t in range(lo, i))


def _reporting_sentence(c: _Comment, i: int) -> bool:
    """A reporting word in the sentence of token i ("..., police said")."""
    kinds, low = c.kinds, c.low
    k = _sentence_start(c, i)
    found = c._reported.get(k)
    if found is None:
        start, n = k, len(low)
        found = False
        while k < n and not kinds[k] & BREAK:
            if low[k] in _REPORT_WORDS:
                found = True
                break
            k += 1
        c._reported[start] = found
    return found


def _antecedent(c: _Comment, i: int) -> int:
    """The kind of the nearest group or country named within the 40 tokens before i."""
    for k in range(i - 1, max(i - 41, -1), -1):
        kind = c.kinds[k] & TARGET
        if kind:
            return kind
    return 0


def _subject(c: _Comment, copula: int) -> int:
    """The token index of the copula's subject, or -1; follows "X who ... is"."""
    k = copula - 1
    while k >= 0 and c.low[k] in _SUBJECT_SKIP:
        k -= 1
    if k < 0 or c.kinds[k] & BREAK:
        return -1
    kind = c.kinds[k]
    # "him" or "her" before "are" ends a relative clause ("the Greeks who vote for him are
    # vermin"): the subject is further back.
    if c.low[k] not in ("him", "her") and (
        kind & (TARGET | TITLE | GROUP_PRON | GENERIC | YOU | HE | PLACE_T) or c.is_name(k)
    ):
        return k
    if k > 0 and c.low[k - 1] in ("your", "ur"):
        return k  # "your comment is idiotic"
    # "Turks who support him are ...", "people living here are ...".
    for j in range(k - 1, max(k - 9, -1), -1):
        if c.kinds[j] & BREAK:
            break
        if c.kinds[j + 1] & RELATIVE and (
            c.kinds[j] & (TARGET | GENERIC | GROUP_PRON | TITLE) or c.is_name(j)
        ):
            return j
    return -1


class Combination:
    """The logistic combination of :data:`STACK_FEATURES`, shifted so that the hold threshold
    chosen on calibration data falls on :data:`DEFAULT_THRESHOLD`."""

    def __init__(self, coef: Sequence[float], intercept: float, shift: float) -> None:
        if len(coef) != len(STACK_FEATURES):
            raise ValueError(f"the combination has {len(coef)} weights, not {len(STACK_FEATURES)}")
        self.coef = tuple(float(c) for c in coef)
        self.intercept = float(intercept)
        self.shift = float(shift)
        # Rule groups the combination does not count positively give no reasons either.
        self.kept = frozenset().union(
            *(
                labels
                for labels, c in zip(RULE_GROUPS.values(), self.coef[1:], strict=True)
                if c > 0.0
            )
        )

    @classmethod
    def from_model(cls, model: LearnedModel) -> Combination:
        meta = model.meta
        try:
            names = [str(n) for n in meta["stack_names"]]
            coef = [float(c) for c in meta["stack_coef"]]
            intercept, shift = float(meta["stack_intercept"]), float(meta["stack_shift"])
        except KeyError as e:
            raise ValueError(f"the comment model has no combination ({e.args[0]})") from None
        if names != list(STACK_FEATURES):
            raise ValueError("the comment model was trained for other combination inputs")
        return cls(coef, intercept, shift)

    def learned_only(self, learned: float) -> float:
        """``probability(stack_features(learned, []))``, the same float, faster: every rule
        input is 0, so the sum is the learned model's term alone."""
        term = self.coef[0] * max(-_CLIP, min(_CLIP, learned))
        z = self.intercept - self.shift + (term if term != 0.0 else 0.0)
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))

    def probability(self, features: Sequence[float]) -> float:
        z = (
            self.intercept
            - self.shift
            + math.fsum(c * x for c, x in zip(self.coef, features, strict=True))
        )
        return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def default_model_path() -> Path:
    return resources_dir() / MODEL_FILE


class _Words:
    """One comment's tokens as the learned model saw them, with their shares of its score;
    their spans are found only when a reason needs them."""

    __slots__ = ("_bounds", "_low", "blanked", "shares", "text", "words")

    def __init__(self, text: str, blanked: str, words: list[str], shares: list[float]) -> None:
        self.text = text
        self.blanked = blanked
        self.words = words
        self.shares = shares
        self._bounds: list[int] = []
        self._low = ""

    def span(self, k: int) -> tuple[int, int]:
        """Token k's span (the tokens up to k are found, see _find_spans)."""
        bounds = self._bounds
        if len(bounds) <= 2 * k + 1:
            if not bounds:
                self._low = lower(self.blanked)
            _find_spans(self._low, self.words, bounds, k)
        return bounds[2 * k], bounds[2 * k + 1]

    def heaviest(self) -> list[Reason]:
        """The word that weighed most in the learned model's score, if any weighed up; never a
        function word ("the", "you"): it says nothing to a moderator."""
        shares = self.shares
        words = self.words
        candidates = [k for k in range(len(shares)) if words[k] not in _FUNCTION_WORDS]
        if not candidates:
            return []
        k = max(candidates, key=shares.__getitem__)
        if shares[k] <= 0.0:
            return []
        a, b = self.span(k)
        weight = min(1.0, max(0.001, round(self.shares[k], 3)))
        return [Reason(WORDING, self.text[a:b], a, b, weight)]


class Scorer:
    """Scores comments for hostility.

    By default: the learned model and the word-list layer, combined by the weights trained
    with them (``bench/train_scorer.py``). For comparison, ``learned=False`` gives the old
    scorer (the packaged alt-profanity-check model and the layer, fixed formula),
    ``model=False`` the layer alone and ``layer=False`` the packaged model alone.
    """

    def __init__(
        self,
        model: bool = True,
        layer: bool = True,
        batch_size: int = 4096,
        model_weight: float = MODEL_WEIGHT,
        learned: bool = True,
        learned_model: LearnedModel | None = None,
        combination: Combination | None = None,
    ) -> None:
        self.use_model = model
        self.model_weight = model_weight
        self.use_layer = layer
        self.batch_size = max(1, batch_size)
        self._predict: Callable[[list[str]], Any] | None = None
        self.learned: LearnedModel | None = None
        self.combination: Combination | None = None
        if learned and model and layer:
            if learned_model is None:
                from editor_app.moderation.learned import LearnedModel

                learned_model = LearnedModel.load(default_model_path())
            self.learned = learned_model
            self.combination = combination or Combination.from_model(self.learned)
        elif model:
            # alt-profanity-check ships no type information; import it by name.
            module = importlib.import_module("profanity_check")
            self._predict = module.predict_prob

    # --- public ----------------------------------------------------------------------------

    def score(self, text: str) -> ScoreResult:
        return self.score_many([text])[0]

    def score_many(self, texts: Sequence[str]) -> list[ScoreResult]:
        results: list[ScoreResult] = []
        for lo in range(0, len(texts), self.batch_size):
            batch = list(texts[lo : lo + self.batch_size])
            if self.combination is not None:
                results.extend(self._stacked(batch))
                continue
            probs = self.model_scores(batch)
            for text, p in zip(batch, probs, strict=True):
                results.append(self._combine(text, p))
        return results

    def components(self, texts: Sequence[str]) -> tuple[list[str], list[float], list[list[Reason]]]:
        """What the combination weighs, for a batch: the texts with mentioned words blanked
        (``mentions.py``), the learned model's log-odds and the layer's findings (spans in
        the original texts)."""
        blanked, run, reasons = self._components(texts)
        return blanked, run.logits.tolist(), reasons

    def _components(self, texts: Sequence[str]) -> tuple[list[str], Pass, list[list[Reason]]]:
        if self.learned is None:
            raise ValueError("this scorer has no learned model")
        blanked = [blank_mentions(t) for t in texts]
        run = self.learned.run(blanked)
        reasons = []
        for text, b in zip(texts, blanked, strict=True):
            found = self.reasons(b)
            if b is not text and found:
                found = [
                    Reason(r.label, text[r.start : r.end], r.start, r.end, r.weight) for r in found
                ]
            reasons.append(found)
        return blanked, run, reasons

    def _stacked(self, texts: list[str]) -> list[ScoreResult]:
        assert self.combination is not None and self.learned is not None
        comb = self.combination
        blanked, run, found = self._components(texts)
        out = []
        for k, (text, b, z, reasons) in enumerate(
            zip(texts, blanked, run.logits.tolist(), found, strict=True)
        ):
            if not text or text.isspace():
                out.append(ScoreResult(0.0, (), 0.0))
                continue
            if reasons:
                score = comb.probability(stack_features(z, reasons))
                keep = [r for r in reasons if r.label in comb.kept or r.label in _SPAM_LABELS]
                spam = 1.0
                for r in reasons:
                    if r.label in _SPAM_LABELS:
                        spam *= 1.0 - r.weight
                score = 1.0 - (1.0 - score) * spam
            else:  # the same arithmetic with no finding: every rule input is 0
                score = 1.0 - (1.0 - comb.learned_only(z))
                keep = []
            if score >= EXPLAIN_FROM:
                words = _Words(text, b, run.words[k], run.token_shares(k))
                keep += self._wording(words, keep)
                if not keep:
                    # Nothing the combination counts stood out: the layer's other findings
                    # ("should all be shot"), else the heaviest token, so it still says why.
                    keep = list(reasons) or words.heaviest()
                keep.sort(key=lambda r: (r.start, r.end))
            p = 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))
            out.append(ScoreResult(round(score, 4), tuple(keep), round(p, 4)))
        return out

    def _wording(self, words: _Words, found: Sequence[Reason]) -> list[Reason]:
        """The words that weighed most in the learned model's score, as reasons.

        The words whose share of the log-odds is at least 0.15 and a quarter of the largest
        share (at most three spans; neighbouring words join one span), except those a
        finding of the layer already covers and function words; with no finding and no such
        word, the heaviest word.
        """
        shares = words.shares
        tokens = words.words
        candidates = [
            k
            for k in compress(range(len(tokens)), map((0.0).__lt__, shares))  # shares > 0, in C
            if tokens[k] not in _FUNCTION_WORDS
        ]
        if not candidates:
            return []
        top = max(candidates, key=shares.__getitem__)
        floor = max(0.15, 0.25 * shares[top])
        parts = [k for k in candidates if shares[k] >= floor]
        if parts and found:
            covered = [(r.start, r.end) for r in found]
            parts = [
                k
                for k, (start, end) in zip(parts, map(words.span, parts), strict=True)
                if not any(a <= start < b or a < end <= b for a, b in covered)
            ]
        if not parts and not found:
            parts = [top]  # nothing else stood out
        if not parts:
            return []
        parts = sorted(sorted(parts, key=lambda k: -shares[k])[:3])
        joined: list[tuple[int, int, float]] = []
        last = -2
        for k in parts:
            a, b = words.span(k)
            if k == last + 1 and joined:
                a, _, w = joined[-1]
                joined[-1] = (a, b, w + shares[k])
            else:
                joined.append((a, b, shares[k]))
            last = k
        text = words.text
        return [
            Reason(WORDING, text[a:b], a, b, round(min(1.0, w), 3)) for a, b, w in joined if w > 0
        ]

    def model_scores(self, texts: Sequence[str]) -> list[float]:
        """The model's probabilities for a batch (zeros without the model, 0 for blank text)."""
        if self._predict is None or not texts:
            return [0.0] * len(texts)
        probs = [float(p) for p in self._predict(list(texts))]
        return [p if t.strip() else 0.0 for t, p in zip(texts, probs, strict=True)]

    def reasons(self, text: str) -> list[Reason]:
        """The layer's findings for one comment, in text order."""
        if not text or text.isspace():
            return []
        norm = text.replace("\u2019", "'") if "\u2019" in text else text
        lowtext = _lower_same_length(norm)
        low = _tokens_ascii(lowtext) if lowtext.isascii() else _TOKEN_UNICODE.findall(lowtext)
        words = not _TRIGGER_WORDS.isdisjoint(low)
        phrases = not _PHRASE_KEY_SET.isdisjoint(low)
        linky = "://" in lowtext or "www." in lowtext or _TLD_HINT.search(lowtext) is not None
        money = any(sign in text for sign in _CURRENCY)
        if not (words or phrases or linky or money):
            return []
        c = _Comment(text, norm, lowtext, low)
        f = _Finder(c)
        if words:
            self._words(c, f)
        n_spam = 0
        if phrases or money:
            attacks, threats, spam, dehum, conspiracy, contempt, voters = _phrase_matches(
                low, lowtext, money, norm
            )
            for m in dehum:
                f.add_span(DEHUMANISING, m.start(), m.end(), 0.6)
            for m in conspiracy:
                if _KINDS.get(m.group(1).lower(), 0) & GROUP:
                    f.add_span(COLLECTIVE, m.start(), m.end(), 0.55)
            mentioned: list[tuple[int, int]] | None = None
            for m in contempt:
                # "Screw" may take a country; a crime done as a people needs a people.
                screw = m.group().startswith(("screw", "to hell"))
                need = GROUP | COUNTRY if screw else GROUP
                if not _KINDS.get(m.group(1), 0) & need:
                    continue
                if not (_contempt(lowtext, m) if screw else _charge(lowtext, m)):
                    continue
                if mentioned is None:
                    mentioned = mentioned_calls(text)
                if not _within(m, mentioned):
                    f.add_span(COLLECTIVE, m.start(), m.end(), 0.55)
            for m in voters:
                if _insult_before(lowtext, m.start()):
                    f.add_span(COLLECTIVE, m.start(), m.end(), 0.5)
            for m in attacks:
                if m.re is _SCREW_YOU_RE:
                    if mentioned is None:
                        mentioned = mentioned_calls(text)
                    if _within(m, mentioned):
                        continue
                f.add_span(PERSONAL, m.start(), m.end(), 0.55)
            for m in threats:
                obj = m.groupdict().get("obj")
                if (
                    obj is not None
                    and not _PERSON_OBJECT.get(obj, 0)
                    and not (_KINDS.get(obj, 0) & (GROUP | DEHUM | INSULT_N | PERSON_N))
                ):
                    continue  # "I want to kill all the weeds"
                kind = _HANGING_KIND.get(m.re)
                if kind is not None:
                    if not _hanging_call(norm, lowtext, m, kind):
                        continue
                    if mentioned is None:
                        mentioned = mentioned_calls(text)
                    if _within(m, mentioned):
                        continue
                f.add_span(THREAT, m.start(), m.end(), 0.7)
            for m in spam:
                f.add_span(SPAM_PHRASE, m.start(), m.end(), 0.4)
            n_spam = len(spam)
        if linky:
            links = list(_LINK.finditer(text))
            if len(links) >= 2 or (links and n_spam):
                for m in links:
                    f.add_span(SPAM_LINK, m.start(), m.end(), 0.45)
        found = f.reasons()
        if "?" in text and any(r.label == THREAT for r in found):
            # "He deserves to be hanged? No, that is not what I said": put only to reject it.
            denied = denied_questions(text)
            if denied:
                found = [
                    r
                    for r in found
                    if r.label != THREAT or not any(a < r.end and r.start < b for a, b in denied)
                ]
        return found

    def _words(self, c: _Comment, f: _Finder) -> None:
        low = c.low
        kinds = c.kinds = list(map(_KINDS.get, low, repeat(0)))  # dict.get(w, 0) for each, in C
        # The indices of the trigger tokens, found in C (nothing changes kinds below).
        for i in compress(range(len(kinds)), map(TRIGGERS.__and__, kinds)):
            k = kinds[i]
            if k & PREDICATE:
                self._predicate(c, f, i)
            if k & (HOSTILE_ADJ | DELEGIT):
                self._attributive(c, f, i)
            elif k & PERSON_ADJ:
                self._epithet(c, f, i)
            if k & VIOLENT:
                self._violence(c, f, i)
            if k & SLUR_K:
                f.add(SLUR, i, i, 0.7, i)
            elif k & PROF_STRONG or (
                k & PROF_MILD == 0 and low[i].startswith(lx.PROFANITY_PREFIXES)
            ):
                f.add(PROFANITY, i, i, 0.35, i)
            elif k & PROF_MILD:
                f.add(PROFANITY, i, i, 0.1, i)

    # --- patterns --------------------------------------------------------------------------

    def _predicate(self, c: _Comment, f: _Finder, i: int) -> None:
        """Y at i; find "subject (is|are) (fillers) Y", "you Y", "these Y", "X the Y"."""
        kinds, low = c.kinds, c.low
        kind = kinds[i]
        word = low[i]
        if i + 1 < len(low) and low[i + 1] in _THINGS:
            # "Turkey is a terrorist state", "a criminal regime": said of a state or an act,
            # a political charge rather than an insult to the people.
            return
        if kind & PERSON_N and i >= 2 and low[i - 1] == "the" and c.is_name(i - 2):
            # "Pashinyan the loser", "Pashinyan-the loser".
            f.add(FIGURE, i - 2, i, 0.4, i)
            return
        if (
            kind & PERSON_N
            and i >= 1
            and low[i - 1] in ("that", "this", "the")
            and i + 1 < len(low)
            and (c.is_name(i + 1) or kinds[i + 1] & TITLE)
        ):
            # "that clown Vance", "the traitor mayor".
            f.add(FIGURE, i - 1, i + 1, 0.4, i)
            return
        j = i - 1
        steps = 0
        while (
            j >= 0
            and steps < 6
            and (
                kinds[j] & (FILLER | HOSTILE_ADJ | PERSON_ADJ | STEREO)
                # "thieves and liars": the second insult stands behind the first.
                or (low[j] in ("and", "or") and j > 0 and kinds[j - 1] & PREDICATE)
            )
            and not kinds[j] & (COPULA | NEG | BREAK | YOU)
        ):
            j -= 1
            steps += 1
        if j < 0 or kinds[j] & BREAK:
            self._bare(c, f, i)
            return
        pk = kinds[j]
        if pk & NEG:
            return  # "they are not animals", "no savages here"
        # "you idiot", "you bunch of clowns", "are you stupid".
        if pk & YOU and low[j] in ("you", "u", "ya"):
            inverted = j > 0 and low[j - 1] in ("are", "were", "r")
            insulting = kind & (NOUNISH | INSULT_N) or (inverted and kind & (PERSON_ADJ | STEREO))
            if insulting and not _negated(c, j, i) and not (j > 0 and kinds[j - 1] & NEG):
                f.add(PERSONAL, j - 1 if inverted else j, i, 0.6, i)
            return
        # "these animals", "those vermin".
        if pk & DEMONSTR and kind & DEHUM and j == i - 1 and low[j] != "your":
            if _is_plural(word):
                # "these animals" may be animals; "these vermin" are people.
                f.add(DEHUMANISING, j, i, 0.4 if word in ("animals", "creatures") else 0.65, i)
            elif low[j] in ("that", "this"):
                f.add(INSULT, j, i, 0.3, i)
            return
        # "X are Y", "X act like Y".
        if pk & COPULA or (low[j] == "like" and j > 0):
            cop = j - 1 if low[j] == "like" else j
            if _negated(c, cop, i):
                return
            s = _subject(c, cop)
            if s < 0:
                k = cop - 1
                if (
                    word in _ANIMALS
                    and k >= 0
                    and kinds[k] == 0
                    and len(low[k]) > 3
                    and low[k].endswith("s")
                    and not _negated(c, cop, i)
                ):
                    # "our neighbours are savages", "the fans behaved like animals".
                    f.add(DEHUMANISING, k, i, 0.5, i)
                    return
                self._group_noun(c, f, i)
                return
            self._judge(c, f, s, i)
            return
        self._group_noun(c, f, i)

    def _judge(self, c: _Comment, f: _Finder, s: int, i: int) -> None:
        """Weigh "subject is predicate" by who the subject is and what the predicate says."""
        sk = c.kinds[s]
        kind = c.kinds[i]
        if _not_all(c, s) or (s > 0 and c.kinds[s - 1] & NEG):
            return
        scale = 0.3 if _reported(c, s) else 1.0
        dehum = bool(kind & DEHUM) or c.low[i] in _DEHUM_ADJ
        insult = bool(kind & (INSULT_N | PERSON_N | STEREO | HOSTILE_ADJ | DEHUM | PLACE))
        person_only = bool(kind & (PERSON_N | PERSON_ADJ))
        if sk & YOU:
            if kind & (NOUNISH | INSULT_N | PERSON_ADJ | STEREO | HOSTILE_ADJ):
                f.add(PERSONAL, s, i, 0.65 * scale, i)
            return
        if s > 0 and c.low[s - 1] in ("your", "ur") and not sk & (TARGET | PLACE_T):
            if kind & (NOUNISH | INSULT_N | PERSON_ADJ):
                f.add(PERSONAL, s - 1, i, 0.45 * scale, i)
            return
        if sk & PLACE_T and not sk & TARGET:
            if kind & PLACE:
                f.add(COLLECTIVE, s, i, 0.45 * scale, i)
            return
        target = sk & TARGET
        if sk & GROUP_PRON:
            ante = _antecedent(c, s)
            if ante and insult:
                target = ante
                scale *= 0.85
            elif dehum:
                f.add(DEHUMANISING, s, i, 0.35 * scale, i)
                return
            elif person_only or kind & INSULT_N:
                f.add(INSULT, s, i, 0.25 * scale, i)
                return
            else:
                return
        if target & GROUP:
            if dehum:
                f.add(DEHUMANISING, s, i, 0.7 * scale, i)
            elif kind & (INSULT_N | PERSON_N | PLACE):
                f.add(COLLECTIVE, s, i, 0.6 * scale, i)
            elif kind & (STEREO | HOSTILE_ADJ | PERSON_ADJ):
                f.add(COLLECTIVE, s, i, 0.5 * scale, i)
            return
        if target & COUNTRY:
            if kind & PLACE:
                f.add(COLLECTIVE, s, i, 0.6 * scale, i)
            elif dehum:
                f.add(DEHUMANISING, s, i, 0.55 * scale, i)
            elif insult:
                f.add(COLLECTIVE, s, i, 0.5 * scale, i)
            return
        if target & INST:
            if insult or person_only:
                f.add(COLLECTIVE, s, i, (0.5 if dehum else 0.3) * scale, i)
            return
        if sk & GENERIC:
            if insult or person_only:
                f.add(COLLECTIVE, s, i, (0.6 if dehum else 0.45) * scale, i)
            return
        person = sk & (TITLE | HE) or c.is_name(s)
        if person and (
            kind & (PERSON_N | INSULT_N | DEHUM) or (kind & PERSON_ADJ and sk & HE == 0)
        ):
            # A named or titled figure ("the mayor", "Brandt"); "he" may be anyone. Calling
            # them a puppet or a loser is political opinion (FIGURE, which counts only beside
            # other hostility); calling them vermin or a snake is dehumanising whoever it is.
            weight = (0.5 if dehum else 0.45) - (0.05 if sk & HE else 0.0)
            f.add(DEHUMANISING if dehum else FIGURE, s, i, weight * scale, i)

    def _group_noun(self, c: _Comment, f: _Finder, i: int) -> None:
        """A group word just before a plural insult: "Azerbaijani criminals", "Kurdish rats"."""
        kinds, low = c.kinds, c.low
        kind = kinds[i]
        if not (kind & (INSULT_N | DEHUM | PERSON_N)) or not _is_plural(low[i]):
            self._near(c, f, i)
            return
        j = i - 1
        while j >= 0 and j >= i - 3 and kinds[j] & (HOSTILE_ADJ | FILLER) and not kinds[j] & BREAK:
            j -= 1
        if j >= 0 and kinds[j] & (GROUP | INST) and not (j > 0 and kinds[j - 1] & NEG):
            scale = 0.3 if _reported(c, j) else 1.0
            if kind & DEHUM:
                f.add(DEHUMANISING, j, i, 0.6 * scale, i)
            else:
                f.add(COLLECTIVE, j, i, (0.45 if kinds[j] & GROUP else 0.3) * scale, i)
            return
        self._near(c, f, i)

    def _near(self, c: _Comment, f: _Finder, i: int) -> None:
        """A dehumanising plural near a group with nothing better found: weak evidence."""
        kinds = c.kinds
        if kinds[i] & DEHUM and _is_plural(c.low[i]):
            lo, hi = max(i - 4, 0), min(i + 5, len(kinds))
            for k in range(lo, hi):
                if k == i or not kinds[k] & (GROUP | COUNTRY):
                    continue
                a, b = (k, i) if k < i else (i, k)
                if _has_break(kinds, a, b) or any(kinds[t] & (PREP | NEG) for t in range(a, b)):
                    continue
                f.add(DEHUMANISING, a, b, 0.3, i)
                return
        self._bare(c, f, i)

    def _bare(self, c: _Comment, f: _Finder, i: int) -> None:
        if c.low[i] in _BARE:
            f.add(INSULT, i, i, 0.2, i)

    def _attributive(self, c: _Comment, f: _Finder, i: int) -> None:
        """A hostile adjective before a group or country: "terrorist Turkey", "filthy Arabs"."""
        kinds, low = c.kinds, c.low
        n = len(kinds)
        k = i + 1
        while (
            k < n
            and k <= i + 3
            and (kinds[k] & (HOSTILE_ADJ | DELEGIT) or low[k] in ("and", "so", "called"))
        ):
            k += 1
        if k >= n or not kinds[k] & (GROUP | COUNTRY):
            self._epithet(c, f, i)
            return
        if i > 0 and kinds[i - 1] & NEG:
            return
        scale = 0.3 if _reported(c, i) else 1.0
        if kinds[i] & DELEGIT and not kinds[i] & HOSTILE_ADJ:
            f.add(COLLECTIVE, i, k, 0.2 * scale, i)
            return
        # "criminal Russian invasion": the adjective is about a thing, not the people.
        thing = (
            kinds[k] & GROUP
            and not low[k].endswith("s")
            and k + 1 < n
            and kinds[k + 1] & (TARGET | PREDICATE | BREAK | COPULA) == 0
            and c.text[c.start(k + 1)].islower()
            and low[k + 1] not in ("and", "or", "'s")
        )
        if thing:
            f.add(COLLECTIVE, i, k + 1, 0.15 * scale, i)
        elif low[i] in _DEHUM_ADJ:
            f.add(DEHUMANISING, i, k, 0.65 * scale, i)
        else:
            # An epithet for a whole people or country ("terrorist Turkey"): said of everyone
            # in it, where "a terrorist state" (blanked by mentions.py) charges its government.
            f.add(COLLECTIVE, i, k, 0.6 * scale, i)

    def _epithet(self, c: _Comment, f: _Finder, i: int) -> None:
        """An insulting adjective before an insulting noun, no target named: "rabid (barking)
        dog", "brainwashed sheep", "pathetic clowns"."""
        kinds, low = c.kinds, c.low
        if not (low[i] in _DEHUM_ADJ or kinds[i] & PERSON_ADJ):
            return
        for d in range(i + 1, min(i + 3, len(kinds))):
            if kinds[d] & (DEHUM | PERSON_N):
                if not (i > 0 and kinds[i - 1] & NEG):
                    label = DEHUMANISING if kinds[d] & DEHUM else INSULT
                    f.add(label, i, d, 0.35, d)
                return
            if kinds[d] & BREAK:
                return

    def _violence(self, c: _Comment, f: _Finder, i: int) -> None:
        """ "They should be wiped out", "kill them all", "Erdogan must hang"; not a report of
        violence ("Gunmen killed three people", "the rebels want to kill every villager")."""
        kinds, low = c.kinds, c.low
        n = len(kinds)
        word = low[i]
        mild = word.startswith(("deport", "expel"))
        weight = 0.35 if mild else 0.7
        if _reporting_sentence(c, i):
            weight *= 0.3  # "the minister said they would be wiped out"
        # Subject, modal, optional "all", "be", "get": "they should all be shot".
        j = i - 1
        while j >= 0 and j >= i - 4 and low[j] in ("all", "be", "get", "just", "simply", "to", "s"):
            j -= 1
        if j >= 0 and kinds[j] & MODAL and not _negated(c, j - 1, i):
            s = j - 1
            while s >= 0 and low[s] in ("all", "really", "just", "simply", "also"):
                s -= 1
            who = GROUP | GROUP_PRON | GENERIC | YOU | HE | TITLE | DEHUM | INSULT_N
            if s >= 0 and not (kinds[s] & who or c.is_name(s) or low[s] in ("we", "i")):
                # "Every Turk on our land should be shot": the subject a few words back.
                for k in range(s - 1, max(s - 6, -1), -1):
                    if kinds[k] & (BREAK | NEG):
                        break
                    if kinds[k] & (GROUP | DEHUM | INSULT_N):
                        s = k
                        break
            if s >= 0 and (
                kinds[s] & who or c.is_name(s) or low[s] in ("we", "i") or low[j] in ("let", "lets")
            ):
                speaker = low[s] in ("we", "i") or low[j] in ("let", "lets")
                o = self._object(c, i + 1, i)
                if speaker and not o:
                    return  # "we should kill them" needs a person object
                if word.startswith("beat") and o and o + 1 < n and low[o + 1] in _CONTEST:
                    return  # "we will beat them at the polls"
                f.add(THREAT, s, i, weight, i)
                return
        # Verb and a person object: "nuke them", "wipe them out", "kill every Turk". An order
        # (the verb starts its sentence) or the commenter's own wish; a third party's act or
        # wish is news ("the rebels want to kill every villager").
        o = self._object(c, i + 1, i)
        if o and (word in ("die", "rot") or not word.endswith("ed")):
            if not (_starts_sentence(c, i) or _speaker_before(c, i)):
                return
            if word.startswith("beat") and o + 1 < n and low[o + 1] in _CONTEST:
                return  # "we will beat them at the polls"
            end = o
            if end + 1 < n and low[end + 1] in ("all", "out"):
                end += 1
            if not _negated(c, max(i - 3, 0), i):
                f.add(THREAT, i, end, weight, i)

    def _object(self, c: _Comment, k: int, verb: int = -1) -> int:
        """The index of a person object at k ("them", "every Turk", "those people", "every
        mosque"; a name after an order: "Nuke Ankara"), or 0."""
        kinds, low = c.kinds, c.low
        n = len(kinds)
        if k >= n:
            return 0
        if low[k] in ("them", "him", "her", "you", "em"):
            if k + 1 < n and low[k + 1] in _DETERMINERS:
                return 0  # "I'll shoot you an email"
            return k
        if low[k] in ("all", "every", "these", "those", "the") and k + 1 < n:
            k += 1
        if kinds[k] & (GROUP | DEHUM | INSULT_N) or low[k] in ("people", *_WORSHIP):
            return k
        if kinds[k] & COUNTRY and (k < 2 or kinds[k - 2] & BREAK):
            return k  # an order at the start of a sentence: "Nuke Baku."
        if verb >= 0 and k == verb + 1 and _starts_sentence(c, verb) and c.is_name(k):
            return k  # "Nuke Ankara and be done with it."
        return 0

    # --- combination -------------------------------------------------------------------------

    def _combine(self, text: str, p: float) -> ScoreResult:
        if not text or text.isspace():
            return ScoreResult(0.0, (), 0.0)
        reasons = tuple(self.reasons(text)) if self.use_layer else ()
        # Profanity and slurs are what the model knows already: take the larger of the two
        # rather than counting the same words twice. Everything else adds to it.
        lexical = 1.0
        keep = 1.0
        for r in reasons:
            if r.label in _LEXICAL:
                lexical *= 1.0 - r.weight
            else:
                keep *= 1.0 - r.weight
        base = 1.0 - lexical
        if self.use_model:
            base = max(base, p * self.model_weight)
        score = min(1.0, max(0.0, 1.0 - (1.0 - base) * keep))
        return ScoreResult(round(score, 4), reasons, round(p, 4))
