"""WordPress-style discussion rules, decided for one comment from facts gathered elsewhere.

The rules take the meaning WordPress gives them (Settings → Discussion): disallowed words send a
comment to the trash (or spam), hold words and too many links hold it, "must have a previously
approved comment" holds a newcomer. To these Copydesk adds duplicates, floods, the commenter's
ban or trust, and the toxicity score. Every decision carries its reasons and the spans of text
that triggered them, so a moderator sees why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from editor_app.domain.statuses import CommentStatus

LINK = re.compile(r"(?:https?://|www\.)[^\s<>\"]+|<a\s[^>]*href=", re.I)


def _links(body: str) -> list[re.Match[str]]:
    """LINK's matches; a body with no "://", "www." or "<a" (most comments) has none, and
    ``in`` finds that faster than the regex."""
    if "://" not in body:
        low = body.lower()
        if "www." not in low and "<a" not in low:
            return []
    return list(LINK.finditer(body))


@dataclass(frozen=True)
class RuleSettings:
    disallowed_words: tuple[str, ...] = ()
    # Where a comment with a disallowed word goes: "trash" (WordPress's choice) or "spam".
    disallowed_action: str = CommentStatus.TRASH.value
    hold_words: tuple[str, ...] = ()
    # Hold a comment with this many links or more (WordPress's default is 2); 0 turns it off.
    max_links: int = 2
    require_prior_approval: bool = False
    # Hold every comment for a moderator, whatever the rules say (WordPress's manual approval).
    manual_approval: bool = False
    spam_duplicates: bool = True
    flood_count: int = 5
    flood_seconds: int = 120
    # Whole words (Copydesk's default) or WordPress's substring matching ("ass" in "class").
    whole_words: bool = True
    use_score: bool = True
    score_threshold: float = 0.5


@dataclass(frozen=True)
class Span:
    field: str
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class Facts:
    """What the store knows around one comment; the rules themselves touch no store."""

    body: str
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    banned: bool = False
    trusted: bool = False
    has_prior_approved: bool = False
    duplicate_of: int | None = None
    recent_count: int = 0
    score: float | None = None
    score_reasons: tuple[tuple[str, str, int, int], ...] = ()


@dataclass(frozen=True)
class Decision:
    status: str
    reasons: tuple[str, ...] = ()
    spans: tuple[Span, ...] = field(default_factory=tuple)

    @property
    def held(self) -> bool:
        return self.status == CommentStatus.PENDING.value


@lru_cache(maxsize=64)
def _pattern(words: tuple[str, ...], whole: bool) -> re.Pattern[str] | None:
    cleaned = sorted({w.strip() for w in words if w.strip()}, key=len, reverse=True)
    if not cleaned:
        return None
    alts = "|".join(re.escape(w) for w in cleaned)
    return re.compile(rf"(?<!\w)(?:{alts})(?!\w)" if whole else f"(?:{alts})", re.I)


def find_words(
    words: tuple[str, ...], facts: Facts, whole: bool, label: str
) -> list[tuple[str, Span]]:
    """Matches of a word list in the author, email, URL, IP and text, as WordPress checks."""
    pattern = _pattern(tuple(words), whole)
    if pattern is None:
        return []
    found = []
    for name, value in (
        ("author", facts.author_name),
        ("email", facts.author_email),
        ("url", facts.author_url),
        ("ip", facts.author_ip),
        ("body", facts.body),
    ):
        for m in pattern.finditer(value):
            found.append((m.group(0), Span(name, m.start(), m.end(), label)))
    return found


def _quoted(matches: list[tuple[str, Span]]) -> str:
    words = list(dict.fromkeys(w.lower() for w, _ in matches))
    return ", ".join(f"“{w}”" for w in words[:5])


def decide(facts: Facts, rules: RuleSettings) -> Decision:
    reasons: list[str] = []
    spans: list[Span] = []

    if facts.banned:
        return Decision(CommentStatus.SPAM.value, ("commenter is banned",))

    disallowed = find_words(rules.disallowed_words, facts, rules.whole_words, "disallowed word")
    if disallowed:
        target = (
            CommentStatus.SPAM.value
            if rules.disallowed_action == CommentStatus.SPAM.value
            else CommentStatus.TRASH.value
        )
        return Decision(
            target,
            (f"disallowed word {_quoted(disallowed)}",),
            tuple(s for _, s in disallowed),
        )

    if rules.spam_duplicates and facts.duplicate_of is not None:
        return Decision(CommentStatus.SPAM.value, (f"duplicate of comment {facts.duplicate_of}",))

    if facts.score is not None:
        for label, _text, start, end in facts.score_reasons:
            spans.append(Span("body", start, end, label))

    if facts.trusted:
        return Decision(CommentStatus.APPROVED.value, ("trusted commenter",), tuple(spans))

    held = find_words(rules.hold_words, facts, rules.whole_words, "hold word")
    if held:
        reasons.append(f"hold word {_quoted(held)}")
        spans.extend(s for _, s in held)
    links = _links(facts.body)
    if rules.max_links and len(links) >= rules.max_links:
        reasons.append(f"{len(links)} links (hold at {rules.max_links})")
        spans.extend(Span("body", m.start(), m.end(), "link") for m in links)
    if rules.require_prior_approval and not facts.has_prior_approved:
        reasons.append("no previously approved comment")
    if rules.flood_count and facts.recent_count >= rules.flood_count:
        reasons.append(f"flood: {facts.recent_count} comments within {rules.flood_seconds} s")
    if rules.use_score and facts.score is not None and facts.score >= rules.score_threshold:
        what = ", ".join(
            dict.fromkeys(f"{label} “{text}”" for label, text, _, _ in facts.score_reasons[:4])
        )
        reasons.append(f"score {facts.score:.2f}" + (f": {what}" if what else ""))
    if not reasons and rules.manual_approval:
        reasons.append("manual approval is on")
    status = CommentStatus.PENDING.value if reasons else CommentStatus.APPROVED.value
    return Decision(status, tuple(reasons), tuple(spans))
