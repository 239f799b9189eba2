"""Moderation: the auto-moderation pipeline, actions with an audit trail and undo, settings.

Every decision, the machine's or a person's, lands in `moderation_actions` with who, when,
from, to and why. Actions taken together share a batch, which is what Ctrl+Z takes back.
"""

from __future__ import annotations

import csv
import io
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, fields, replace
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from editor_app.domain.commenters import commenter_key
from editor_app.domain.errors import Cancelled, Conflict, Contended, InvalidInput, NotFound
from editor_app.domain.statuses import CommentStatus
from editor_app.formats.comment_html import text_to_comment_html
from editor_app.moderation.rules import Facts, RuleSettings, decide
from editor_app.moderation.scorer import Scorer, ScoreResult
from editor_app.services import outbox
from editor_app.services.dto import (
    ActionResult,
    AuditEntry,
    AutoSummary,
    CommenterHistory,
    CommentRow,
    DryRunChange,
    Explanation,
    HighlightSpan,
    ReportRow,
)
from editor_app.services.mapping import comment_row
from editor_app.store.models import Comment, Commenter, ModerationAction, Setting
from editor_app.store.uow import UnitOfWork, UowFactory

RULES_KEY = "moderation.rules"
AUTO_ACTOR = "auto-moderator"
# Tries of a moderation action the server chose as a deadlock's victim.
_ATTEMPTS = 5
# A dry run stops after this many changes: enough to judge the rules by.
DRY_RUN_LIMIT = 5000
ACTION_TARGET = {
    "approve": CommentStatus.APPROVED.value,
    "hold": CommentStatus.PENDING.value,
    "spam": CommentStatus.SPAM.value,
    "trash": CommentStatus.TRASH.value,
}
Progress = Callable[[int, int, str], None]


class _CommentLike(Protocol):
    """A stored comment row or one about to be written: what the rules look at."""

    @property
    def id(self) -> int: ...
    @property
    def article_id(self) -> int: ...
    @property
    def commenter_key(self) -> str: ...
    @property
    def body(self) -> str: ...
    @property
    def posted_at(self) -> datetime: ...
    @property
    def author_name(self) -> str: ...
    @property
    def author_email(self) -> str: ...
    @property
    def author_url(self) -> str: ...
    @property
    def author_ip(self) -> str: ...


@dataclass(frozen=True)
class Incoming:
    """A comment an import is about to write, with the id it will have."""

    id: int
    article_id: int
    commenter_key: str
    body: str
    posted_at: datetime
    author_name: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""


@dataclass(frozen=True)
class Verdict:
    """Where an incoming comment goes, its score and reasons, and its audit entry."""

    status: str
    score: float
    reasons: tuple[str, ...]
    action: str
    reason: str

    @property
    def flagged(self) -> bool:
        return bool(self.reasons)


def _never() -> bool:
    return False


def _move(
    uow: UnitOfWork,
    comment: Comment,
    to_status: str,
    *,
    actor: str,
    action: str,
    reason: str,
    batch: str = "",
) -> None:
    """Every status change of an existing comment goes through here, so none escapes the
    audit log."""
    uow.comments.add_action(
        ModerationAction(
            comment_id=comment.id,
            actor=actor,
            action=action,
            from_status=comment.status,
            to_status=to_status,
            reason=reason,
            batch=batch,
        )
    )
    comment.status = to_status


class ScorerHolder:
    """Loads the scoring model once, on first use, for every thread of one app."""

    def __init__(self, factory: Callable[[], Scorer] = Scorer):
        self._factory = factory
        self._scorer: Scorer | None = None
        self._lock = threading.Lock()

    def get(self) -> Scorer:
        with self._lock:
            if self._scorer is None:
                self._scorer = self._factory()
            return self._scorer

    @property
    def ready(self) -> bool:
        return self._scorer is not None


def rules_from_json(data: dict[str, Any]) -> RuleSettings:
    known = {f.name for f in fields(RuleSettings)}
    clean = {k: v for k, v in data.items() if k in known}
    for key in ("disallowed_words", "hold_words"):
        if key in clean:
            clean[key] = tuple(str(w) for w in clean[key])
    return RuleSettings(**clean)


def check_rules(rules: RuleSettings) -> RuleSettings:
    if rules.disallowed_action not in (CommentStatus.TRASH.value, CommentStatus.SPAM.value):
        raise InvalidInput("disallowed words send a comment to trash or spam")
    if not 0.0 <= rules.score_threshold <= 1.0:
        raise InvalidInput("the score threshold is a number from 0 to 1")
    if rules.max_links < 0 or rules.flood_count < 0 or rules.flood_seconds < 1:
        raise InvalidInput("link and flood limits cannot be negative")
    return RuleSettings(
        **{
            **asdict(rules),
            "disallowed_words": tuple(
                dict.fromkeys(w.strip() for w in rules.disallowed_words if w.strip())
            ),
            "hold_words": tuple(dict.fromkeys(w.strip() for w in rules.hold_words if w.strip())),
        }
    )


class ModerationService:
    def __init__(self, uow: UowFactory, scorer: ScorerHolder | None = None):
        self._uow = uow
        self._scorer = scorer or ScorerHolder()

    # Settings -----------------------------------------------------------------

    def rules(self) -> tuple[RuleSettings, int]:
        """The rules in force and their version (0 before anyone saved any)."""
        with self._uow() as uow:
            return self._rules(uow)

    @staticmethod
    def _rules(uow: UnitOfWork) -> tuple[RuleSettings, int]:
        row = uow.settings.get(RULES_KEY)
        if row is None:
            return RuleSettings(), 0
        return rules_from_json(dict(row.value)), row.version

    def save_rules(self, rules: RuleSettings, *, expected_version: int, actor: str) -> int:
        rules = check_rules(rules)
        value: dict[str, object] = {
            k: list(v) if isinstance(v, tuple) else v for k, v in asdict(rules).items()
        }
        with self._uow() as uow:
            row = uow.settings.get(RULES_KEY)
            current = row.version if row else 0
            if current != expected_version:
                who = row.updated_by if row else ""
                raise Conflict(
                    f"the rules were changed by {who or 'someone else'} meanwhile",
                    current_version=current,
                    saved_by=who,
                )
            if row is None:
                row = Setting(key=RULES_KEY, value=value, updated_by=actor)
                uow.settings.add(row)
            else:
                row.value = value
                row.updated_by = actor
                row.updated_at = datetime.now(UTC)
            uow.flush()
            version = row.version
            uow.commit()
        return version

    # The pipeline -----------------------------------------------------------------

    def scorer_ready(self) -> bool:
        """Whether the model is loaded; the window asks before it highlights (loading takes
        seconds, and happens in a job at start instead of on the GUI thread)."""
        return self._scorer.ready

    def warm_up(self) -> str:
        self._scorer.get()
        return "The comment scorer is ready"

    def score_texts(self, texts: Sequence[str]) -> list[ScoreResult]:
        return self._scorer.get().score_many(list(texts))

    def judge_incoming(
        self,
        uow: UnitOfWork,
        comments: Sequence[Incoming],
        *,
        decided: Sequence[str | None],
        fresh_articles: Iterable[int] = (),
    ) -> list[Verdict]:
        """Score and decide comments about to be written (an import's front door).

        A comment whose source already decided (`decided[i]` is a status) keeps it but gets
        its score and reasons; the others go where the rules send them. Nothing is written:
        the caller stores each comment with its verdict and the verdict's audit entry.
        `fresh_articles` are articles written in the same import, with no stored comments.
        """
        if not comments:
            return []
        rules, _ = self._rules(uow)
        scores = self.score_texts([c.body for c in comments])
        facts = self._facts(
            uow, comments, scores, rules=rules, stored=False, fresh_articles=set(fresh_articles)
        )
        out = []
        # Approved in an earlier article of this batch counts as a prior approval, as it did
        # when every article was written and judged on its own.
        approved_before: set[str] = set()
        approved_here: set[str] = set()
        article = None
        for c, fact, score, forced in zip(comments, facts, scores, decided, strict=True):
            if c.article_id != article:
                approved_before |= approved_here
                approved_here = set()
                article = c.article_id
            if c.commenter_key in approved_before and not fact.has_prior_approved:
                fact = replace(fact, has_prior_approved=True)
            decision = decide(fact, rules)
            if (forced or decision.status) == CommentStatus.APPROVED.value and c.commenter_key:
                approved_here.add(c.commenter_key)
            out.append(
                Verdict(
                    status=forced or decision.status,
                    score=round(score.score, 4),
                    reasons=tuple(decision.reasons),
                    action="auto" if not forced else "import",
                    reason="; ".join(decision.reasons)
                    or ("kept the source's status" if forced else "no rule held it"),
                )
            )
        return out

    def _facts(
        self,
        uow: UnitOfWork,
        comments: Sequence[_CommentLike],
        scores: Sequence[ScoreResult],
        *,
        rules: RuleSettings | None = None,
        stored: bool = True,
        fresh_articles: set[int] | None = None,
    ) -> list[Facts]:
        """What the rules need to know of each comment.

        `stored`: the comments are rows already (their own rows are not "earlier" ones);
        `fresh_articles` have no stored comments, so nothing is looked up for them.
        """
        keys = {c.commenter_key for c in comments if c.commenter_key}
        people = uow.comments.commenters(keys)
        ids = {c.id for c in comments}
        approved = uow.comments.keys_with_status(
            keys, CommentStatus.APPROVED.value, exclude=sorted(ids) if stored else ()
        )
        if rules is None:
            rules, _ = self._rules(uow)
        window = timedelta(seconds=rules.flood_seconds)
        fresh = fresh_articles or set()
        # Earlier words of the same commenter on the same article: exact duplicates.
        seen: dict[tuple[int, str, str], int] = {}
        by_article: dict[int, set[str]] = defaultdict(set)
        for c in comments:
            if c.commenter_key and c.article_id not in fresh:
                by_article[c.article_id].add(c.commenter_key)
        earlier: dict[tuple[int, str, str], int] = {}
        # A flood is counted per article: the commenter's earlier comments there.
        times: dict[tuple[int, str], list[datetime]] = defaultdict(list)
        for article_id, article_keys in by_article.items():
            for cid, key, body, posted in uow.comments.bodies_by(article_id, article_keys):
                if cid not in ids:
                    earlier.setdefault((article_id, key, body.strip()), cid)
                    times[(article_id, key)].append(posted)
        out = []
        for c, s in zip(comments, scores, strict=True):
            key = c.commenter_key
            person = people.get(key)
            dup_key = (c.article_id, key, c.body.strip())
            duplicate = (earlier.get(dup_key) or seen.get(dup_key)) if key else None
            if key:
                seen.setdefault(dup_key, c.id)
            recent = 0
            if key:
                mine = times[(c.article_id, key)]
                recent = sum(1 for t in mine if c.posted_at - window <= t <= c.posted_at)
                mine.append(c.posted_at)
            out.append(
                Facts(
                    body=c.body,
                    author_name=c.author_name,
                    author_email=c.author_email,
                    author_url=c.author_url,
                    author_ip=c.author_ip,
                    banned=bool(person and person.banned),
                    trusted=bool(person and person.trusted),
                    has_prior_approved=key in approved,
                    duplicate_of=duplicate,
                    recent_count=recent,
                    score=s.score,
                    score_reasons=tuple((r.label, r.text, r.start, r.end) for r in s.reasons),
                )
            )
        return out

    def auto(
        self,
        *,
        actor: str = AUTO_ACTOR,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] = _never,
        batch_size: int = 500,
    ) -> AutoSummary:
        """Rules and scores over the pending queue; each change is audited.

        Comments of articles in the Trash are left alone. A comment linked to a site whose
        `auto_send` is off keeps its status: the rules' verdict becomes a suggestion among its
        reasons (as when it was pulled), and nothing is queued for the site."""
        counts: dict[str, int] = defaultdict(int)
        after = 0
        done = 0
        with self._uow() as uow:
            total = uow.comments.count(status=CommentStatus.PENDING.value)
        while True:
            if cancelled():
                raise Cancelled("auto-moderation stopped; what was done so far is kept")
            with self._uow() as uow:
                ids = uow.comments.pending_ids(after_id=after, limit=batch_size)
                if not ids:
                    break
                after = ids[-1]
                comments = uow.comments.by_ids(ids)
                rules, _ = self._rules(uow)
                scores = self.score_texts([c.body for c in comments])
                batch = uuid.uuid4().hex
                moved: list[Comment] = []
                suggest_only = _suggest_only(uow, comments)
                for c, fact, s in zip(
                    comments, self._facts(uow, comments, scores), scores, strict=True
                ):
                    d = decide(fact, rules)
                    c.score = round(s.score, 4)
                    c.reasons = list(d.reasons)
                    c.flagged = bool(d.reasons)
                    if c.id in suggest_only and d.status != CommentStatus.PENDING.value:
                        # A comment the site holds, on a site whose user keeps the rules'
                        # verdicts here: a suggestion for a moderator, nothing moves or is sent.
                        c.reasons = [*d.reasons, f"Rules suggest: {d.status}"]
                        c.flagged = True
                        counts["held"] += 1
                        continue
                    if d.status == CommentStatus.PENDING.value:
                        counts["held"] += 1
                    if d.status != c.status:
                        reason = "; ".join(d.reasons) or "no rule held it"
                        _move(
                            uow, c, d.status, actor=actor, action="auto", reason=reason, batch=batch
                        )
                        moved.append(c)
                        counts[d.status] += 1
                    elif d.status != CommentStatus.PENDING.value:
                        counts["unchanged"] += 1
                outbox.queue_statuses(uow, moved, actor=actor)
                uow.commit()
            done += len(ids)
            if progress:
                progress(done, total, "")
        return AutoSummary(
            checked=done,
            approved=counts[CommentStatus.APPROVED.value],
            held=counts["held"],
            spam=counts[CommentStatus.SPAM.value],
            trash=counts[CommentStatus.TRASH.value],
            unchanged=counts["unchanged"],
        )

    def dry_run(
        self,
        rules: RuleSettings,
        *,
        limit: int = DRY_RUN_LIMIT,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] = _never,
    ) -> tuple[DryRunChange, ...]:
        """Which pending comments the proposed rules would move, and why. Nothing is written.

        Goes through the pending queue oldest first until `limit` changes are found; on a big
        queue that takes a while (every comment is scored), so it reports progress and stops
        when `cancelled()` says so.
        """
        rules = check_rules(rules)
        changes: list[DryRunChange] = []
        after = 0
        seen = 0
        with self._uow() as uow:
            total = uow.comments.count(status=CommentStatus.PENDING.value)
        while len(changes) < limit:
            if cancelled():
                raise Cancelled("dry run stopped; nothing was changed")
            with self._uow() as uow:
                ids = uow.comments.pending_ids(after_id=after, limit=500)
                if not ids:
                    break
                seen += len(ids)
                if progress:
                    progress(min(seen, total), total, f"{len(changes):,} would change")
                after = ids[-1]
                comments = uow.comments.by_ids(ids)
                scores = self.score_texts([c.body for c in comments])
                for c, fact in zip(comments, self._facts(uow, comments, scores), strict=True):
                    d = decide(fact, rules)
                    now_reasons = tuple(c.reasons or ())
                    if d.status != c.status or (d.held and d.reasons != now_reasons):
                        changes.append(
                            DryRunChange(
                                c.id,
                                c.body[:120],
                                c.status,
                                d.status,
                                d.reasons,
                                commenter=c.author_name or "Anonymous",
                            )
                        )
        return tuple(changes[:limit])

    def rescore(
        self,
        *,
        progress: Progress | None = None,
        cancelled: Callable[[], bool] = _never,
        batch_size: int = 2000,
    ) -> int:
        """New scores for every comment (after a scorer update); statuses stay as they are."""
        after = 0
        done = 0
        with self._uow() as uow:
            total = uow.comments.count()
        while True:
            if cancelled():
                raise Cancelled("rescoring stopped; comments done so far keep their new scores")
            with self._uow() as uow:
                ids = uow.comments.ids_after(after, batch_size)
                if not ids:
                    break
                after = ids[-1]
                comments = uow.comments.by_ids(ids)
                for c, s in zip(
                    comments, self.score_texts([c.body for c in comments]), strict=True
                ):
                    c.score = round(s.score, 4)
                uow.commit()
            done += len(ids)
            if progress:
                progress(done, total, "")
        return done

    def explain(self, comment_id: int) -> Explanation:
        """Why the pipeline would hold this comment now, with the spans to highlight."""
        with self._uow() as uow:
            c = uow.comments.get(comment_id)
            if c is None:
                raise NotFound(f"no comment with id {comment_id}")
            rules, _ = self._rules(uow)
            scores = self.score_texts([c.body])
            d = decide(self._facts(uow, [c], scores)[0], rules)
            return Explanation(
                comment_id=c.id,
                score=round(scores[0].score, 4),
                reasons=d.reasons,
                spans=tuple(
                    HighlightSpan(sp.start, sp.end, sp.label)
                    for sp in d.spans
                    if sp.field == "body"
                ),
                would_be=d.status,
            )

    # Actions -----------------------------------------------------------------

    def act(
        self,
        ids: Sequence[int],
        action: str,
        *,
        actor: str,
        reason: str = "",
        seen_versions: dict[int, int] | None = None,
        force: bool = False,
    ) -> ActionResult:
        """Approve, hold, spam or trash comments, all or none, as one undoable batch.

        `seen_versions` are the versions the moderator was looking at: a comment another
        moderator acted on since raises Conflict naming who and when, unless `force`.
        """
        if action not in ACTION_TARGET:
            raise InvalidInput(f"unknown action {action!r}; use {', '.join(ACTION_TARGET)}")
        if not ids:
            raise InvalidInput("no comments chosen")
        for attempt in range(_ATTEMPTS):
            try:
                return self._act(ids, action, actor, reason, seen_versions, force)
            except Contended:
                # The server broke a deadlock on the shared counters (another workstation's
                # import or moderation): nothing was written, so doing it again is safe.
                if attempt == _ATTEMPTS - 1:
                    raise
                time.sleep(0.05 * (attempt + 1))
        raise AssertionError("unreachable")

    def _act(
        self,
        ids: Sequence[int],
        action: str,
        actor: str,
        reason: str,
        seen_versions: dict[int, int] | None,
        force: bool,
    ) -> ActionResult:
        target = ACTION_TARGET[action]
        batch = uuid.uuid4().hex
        with self._uow() as uow:
            # Held until commit: a command that names comments without a version it saw
            # waits for another moderator's action and then applies its own (issue 11).
            comments = uow.comments.by_ids_for_update(list(dict.fromkeys(ids)))
            missing = set(ids) - {c.id for c in comments}
            if missing:
                raise NotFound(f"no comment with id {min(missing)}")
            uow.comments.lock_counts({c.status for c in comments} | {target})
            if seen_versions and not force:
                for c in comments:
                    seen = seen_versions.get(c.id)
                    if seen is not None and seen != c.version:
                        last = uow.comments.last_action_on(c.id)
                        who = last.actor if last else "someone"
                        when = f" at {last.at:%H:%M:%S}" if last else ""
                        raise Conflict(
                            f"comment {c.id} was moved to {c.status} by {who}{when}",
                            current_version=c.version,
                            saved_by=who,
                        )
            moved = []
            for c in comments:
                if c.status == target:
                    continue
                _move(uow, c, target, actor=actor, action=action, reason=reason, batch=batch)
                moved.append(c)
            changed = len(moved)
            outbox.queue_statuses(uow, moved, actor=actor)
            uow.flush()
            titles = uow.articles.titles(c.article_id for c in comments)
            rows = tuple(comment_row(c, titles) for c in comments)
            uow.commit()
        return ActionResult(rows, batch, changed)

    def undo(self, *, actor: str) -> ActionResult | None:
        """Take back the actor's last batch of actions (Ctrl+Z); None when there is none."""
        with self._uow() as uow:
            actions = uow.comments.last_batch(actor)
            if not actions:
                return None
            batch = uuid.uuid4().hex
            comments = []
            for a in actions:
                c = uow.comments.get(a.comment_id)
                a.undone = True
                if c is None or c.status != a.to_status:
                    continue  # someone moved it since; their decision stands
                _move(
                    uow, c, a.from_status, actor=actor, action="undo", reason=f"undo of {a.action}"
                )
                comments.append(c)
            outbox.queue_statuses(uow, comments, actor=actor)
            uow.flush()
            titles = uow.articles.titles(c.article_id for c in comments)
            rows = tuple(comment_row(c, titles) for c in comments)
            uow.commit()
        return ActionResult(rows, batch, len(rows))

    def edit(
        self, comment_id: int, body: str, *, actor: str, expected_version: int | None = None
    ) -> ActionResult:
        """Change a comment's words; the reader's original is kept and the edit audited."""
        body = body.strip()
        if not body:
            raise InvalidInput("a comment cannot be empty; trash it instead")
        with self._uow() as uow:
            c = uow.comments.get(comment_id)
            if c is None:
                raise NotFound(f"no comment with id {comment_id}")
            if expected_version is not None and c.version != expected_version:
                raise Conflict(f"comment {c.id} changed meanwhile", current_version=c.version)
            if c.original_body is None:
                c.original_body = c.body
            c.body = body
            c.body_html = text_to_comment_html(body)
            c.edited_by = actor
            uow.comments.add_action(
                ModerationAction(
                    comment_id=c.id,
                    actor=actor,
                    action="edit",
                    from_status=c.status,
                    to_status=c.status,
                    reason="edited the text",
                )
            )
            outbox.queue_edit(uow, c, actor=actor)
            uow.flush()
            rows = (comment_row(c, uow.articles.titles([c.article_id])),)
            uow.commit()
        return ActionResult(rows, "", 1)

    def reply(self, comment_id: int, body: str, *, author_id: int, actor: str) -> ActionResult:
        """An editor's reply: approved at once, signed with the editor's author profile.

        Replying to a pending comment approves it, as WordPress does: the reply would
        otherwise answer something readers cannot see. The approval is in the audit log and
        undoable like any other action (the returned rows hold the parent first when it moved).
        """
        body = body.strip()
        if not body:
            raise InvalidInput("the reply is empty")
        with self._uow() as uow:
            parent = uow.comments.get(comment_id)
            if parent is None:
                raise NotFound(f"no comment with id {comment_id}")
            author = uow.authors.get(author_id)
            if author is None:
                raise NotFound(f"no author with id {author_id}")
            now = datetime.now(UTC)
            c = Comment(
                article_id=parent.article_id,
                parent_id=parent.id,
                author_name=author.byline_name or author.name,
                author_email=author.email,
                body=body,
                body_html=text_to_comment_html(body),
                posted_at=now,
                status=CommentStatus.APPROVED.value,
                kind="editor",
                fingerprint=uuid.uuid4().hex,
                commenter_key=commenter_key(author.email, author.name),
                reasons=[],
            )
            uow.comments.add(c)
            uow.flush()
            uow.comments.add_action(
                ModerationAction(
                    comment_id=c.id,
                    actor=actor,
                    action="reply",
                    from_status="new",
                    to_status=c.status,
                    reason=f"editor's reply to comment {parent.id}",
                )
            )
            outbox.queue_reply(uow, c, parent.id, actor=actor)
            uow.flush()
            titles = uow.articles.titles([c.article_id])
            rows: tuple[CommentRow, ...] = (comment_row(c, titles),)
            batch = ""
            if parent.status == CommentStatus.PENDING.value:
                batch = uuid.uuid4().hex
                _move(
                    uow,
                    parent,
                    CommentStatus.APPROVED.value,
                    actor=actor,
                    action="approve",
                    reason="approved by replying",
                    batch=batch,
                )
                uow.flush()
                rows = (comment_row(parent, titles), *rows)
            uow.commit()
        return ActionResult(rows, batch, len(rows))

    def set_commenter(
        self,
        key: str,
        *,
        actor: str,
        banned: bool | None = None,
        trusted: bool | None = None,
        name: str = "",
    ) -> CommenterHistory:
        """Ban (later comments go to spam) or trust (skips the hold rules) a commenter."""
        if not key:
            raise InvalidInput("this comment has no name or email to know its writer by")
        with self._uow() as uow:
            person = uow.comments.commenters([key]).get(key)
            if person is None:
                person = Commenter(key=key, display_name=name)
                uow.comments.add_commenter(person)
            if banned is not None:
                person.banned = banned
                if banned:
                    person.trusted = False
            if trusted is not None:
                person.trusted = trusted
                if trusted:
                    person.banned = False
            person.updated_by = actor
            person.updated_at = datetime.now(UTC)
            uow.commit()
        return self.history(key)

    def history(self, key: str) -> CommenterHistory:
        with self._uow() as uow:
            person = uow.comments.commenters([key]).get(key) if key else None
            counts = uow.comments.status_counts_of(key) if key else {}
            recent = uow.comments.recent_of(key) if key else []
            titles = uow.articles.titles(c.article_id for c in recent)
            return CommenterHistory(
                key=key,
                name=(person.display_name if person else "")
                or (recent[0].author_name if recent else ""),
                counts={s.value: counts.get(s.value, 0) for s in CommentStatus},
                banned=bool(person and person.banned),
                trusted=bool(person and person.trusted),
                recent=tuple(comment_row(c, titles) for c in recent),
            )

    # Audit -----------------------------------------------------------------

    def audit(
        self, *, comment_id: int | None = None, since: datetime | None = None
    ) -> tuple[AuditEntry, ...]:
        with self._uow() as uow:
            actions = uow.comments.actions(comment_id=comment_id, since=since)
            who = uow.comments.writers_and_openings({a.comment_id for a in actions})
            return tuple(
                AuditEntry(
                    id=a.id,
                    comment_id=a.comment_id,
                    actor=a.actor,
                    action=a.action,
                    from_status=a.from_status,
                    to_status=a.to_status,
                    reason=a.reason,
                    at=a.at,
                    undone=a.undone,
                    commenter=who.get(a.comment_id, ("", ""))[0] or "Anonymous",
                    excerpt=" ".join(who.get(a.comment_id, ("", ""))[1].split()),
                )
                for a in actions
            )

    @staticmethod
    def audit_csv(entries: Iterable[AuditEntry]) -> str:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(
            [
                "id",
                "at",
                "actor",
                "comment_id",
                "action",
                "from",
                "to",
                "why",
                "undone",
                "commenter",
                "excerpt",
            ]
        )
        for e in entries:
            writer.writerow(
                [
                    e.id,
                    e.at.isoformat(),
                    e.actor,
                    e.comment_id,
                    e.action,
                    e.from_status,
                    e.to_status,
                    e.reason,
                    "yes" if e.undone else "",
                    e.commenter,
                    e.excerpt,
                ]
            )
        return out.getvalue()

    def report(
        self, *, since: datetime | None = None, until: datetime | None = None
    ) -> tuple[ReportRow, ...]:
        with self._uow() as uow:
            return tuple(ReportRow(*r) for r in uow.comments.action_report(since, until))


def _suggest_only(uow: UnitOfWork, comments: Sequence[Comment]) -> set[int]:
    """The comments linked to a site that keeps the rules' verdicts as suggestions."""
    links = uow.sites.local_links("comment", [c.id for c in comments])
    if not links:
        return set()
    keeps = {site.id for site in uow.sites.all() if not site.auto_send}
    return {cid for cid, link in links.items() if link.site_id in keeps}
