"""Moderation through the services: the pipeline, actions, undo, audit, on both engines."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from editor_app.domain.errors import Conflict, InvalidInput
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData
from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter
from editor_app.store.database import Database

T0 = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def s(db_url: str) -> Iterator[Services]:
    db = Database(db_url)
    yield Services.build(db.uow)
    db.dispose()


def comment(
    key: str,
    body: str,
    *,
    name: str = "Reader",
    email: str = "",
    minutes: int = 0,
    parent: str | None = None,
    status: str | None = None,
) -> CommentData:
    return CommentData(
        key=key,
        body=body,
        parent_key=parent,
        author_name=name,
        author_email=email,
        author_ip="192.0.2.7",
        posted_at=T0 + timedelta(minutes=minutes),
        status=status,
    )


def load(s: Services, *comments: CommentData, title: str = "Ferry pier vote") -> int:
    data = ArticleData(
        title=title,
        body_html="<p>The council voted.</p>",
        authors=(AuthorData(name="Mara Lindqvist"),),
        source_key=f"test:{title}",
        comments=comments,
    )
    return s.imports.import_bundles([Bundle(articles=(data,))]).article_ids[0]


def by_body(s: Services) -> dict[str, str]:
    rows = s.comments.page(CommentFilter(newest_first=False), limit=500).rows
    return {r.body: r.status for r in rows}


def set_rules(s: Services, **changes: object) -> None:
    rules, version = s.moderation.rules()
    s.moderation.save_rules(replace(rules, **changes), expected_version=version, actor="ed")


def test_hostile_comments_are_held_with_reasons_and_civil_ones_approved(s: Services) -> None:
    load(
        s,
        comment("1", "I disagree with the council; the pier costs too much.", name="Ana"),
        comment("2", "People from Marrowick are all parasites and liars.", name="Bo"),
        comment("3", "You are an idiot, Ana.", name="Cy", parent="1"),
    )
    rows = {r.author_name: r for r in s.comments.page(CommentFilter(), limit=10).rows}
    assert rows["Ana"].status == "approved" and rows["Ana"].reasons == ()
    for name in ("Bo", "Cy"):
        assert rows[name].status == "pending"
        assert rows[name].reasons[0].startswith("score ")
    audit = s.moderation.audit(comment_id=rows["Bo"].id)
    assert [(a.actor, a.from_status, a.to_status) for a in audit] == [
        ("auto-moderator", "new", "pending")
    ]


def test_wordpress_rules_on_words_links_and_prior_approval(s: Services) -> None:
    set_rules(
        s,
        disallowed_words=("casino",),
        hold_words=("refund",),
        max_links=2,
        require_prior_approval=True,
    )
    load(
        s,
        comment("1", "Win big at the casino tonight", name="Spammy"),
        comment("2", "I want a refund for my subscription", name="Dee", email="dee@example.com"),
        comment("3", "See https://a.example and https://b.example", name="Eli", email="eli@x.org"),
        comment("4", "A first comment from a newcomer", name="Flo", email="flo@x.org"),
    )
    status = by_body(s)
    assert status["Win big at the casino tonight"] == "trash"
    assert status["I want a refund for my subscription"] == "pending"
    assert status["See https://a.example and https://b.example"] == "pending"
    assert status["A first comment from a newcomer"] == "pending"
    reasons = {r.body: r.reasons for r in s.comments.page(CommentFilter(), limit=10).rows}
    assert reasons["I want a refund for my subscription"][0] == "hold word “refund”"
    assert "2 links (hold at 2)" in reasons["See https://a.example and https://b.example"]
    assert "no previously approved comment" in reasons["A first comment from a newcomer"]


def test_whole_words_by_default_and_wordpress_substrings_on_request(s: Services) -> None:
    set_rules(s, hold_words=("ass",))
    load(s, comment("1", "A classic class assembly", name="Gus"), title="One")
    assert by_body(s)["A classic class assembly"] == "approved"
    set_rules(s, whole_words=False)
    changes = s.moderation.dry_run(replace(s.moderation.rules()[0], whole_words=False))
    assert changes == ()  # the dry run covers the pending queue only
    load(s, comment("1", "Another classic", name="Hal"), title="Two")
    assert by_body(s)["Another classic"] == "pending"


def test_dry_run_lists_what_a_rule_change_would_move_and_writes_nothing(s: Services) -> None:
    load(
        s,
        comment("1", "Buy cheap pills now", name="Ivy", status="pending"),
        comment("2", "Thoughtful words about the harbour", name="Jo", status="pending"),
    )
    before = by_body(s)
    rules, _ = s.moderation.rules()
    changes = s.moderation.dry_run(replace(rules, disallowed_words=("pills",)))
    moved = {c.excerpt: (c.from_status, c.to_status) for c in changes}
    assert moved["Buy cheap pills now"] == ("pending", "trash")
    assert moved["Thoughtful words about the harbour"] == ("pending", "approved")
    assert by_body(s) == before


def test_banned_commenters_go_to_spam_and_trusted_ones_skip_holds(s: Services) -> None:
    load(s, comment("1", "First words", name="Kim", email="kim@x.org"), title="One")
    s.moderation.set_commenter("kim@x.org", banned=True, actor="ed")
    s.moderation.set_commenter("lou@x.org", trusted=True, actor="ed")
    set_rules(s, hold_words=("pier",))
    load(
        s,
        comment("1", "More from Kim", name="Kim", email="KIM@x.org"),
        comment("2", "The pier again", name="Lou", email="lou@x.org"),
        title="Two",
    )
    status = by_body(s)
    assert status["More from Kim"] == "spam"
    assert status["The pier again"] == "approved"
    history = s.moderation.history("kim@x.org")
    assert history.banned and history.counts["spam"] == 1


def test_duplicates_and_floods(s: Services) -> None:
    set_rules(s, flood_count=3, flood_seconds=120)
    load(
        s,
        comment("1", "Same words", name="Max", email="max@x.org", minutes=0),
        comment("2", "Same words", name="Max", email="max@x.org", minutes=10),
        comment("3", "a", name="Ned", email="ned@x.org", minutes=20),
        comment("4", "b", name="Ned", email="ned@x.org", minutes=20),
        comment("5", "c", name="Ned", email="ned@x.org", minutes=21),
        comment("6", "d", name="Ned", email="ned@x.org", minutes=21),
    )
    rows = s.comments.page(CommentFilter(newest_first=False), limit=10).rows
    assert [r.status for r in rows[:2]] == ["approved", "spam"]
    assert rows[1].reasons == (f"duplicate of comment {rows[0].id}",)
    assert rows[5].status == "pending" and rows[5].reasons[0].startswith("flood: 3 comments")


def test_sources_that_decided_keep_their_status_but_get_scores(s: Services) -> None:
    load(s, comment("1", "You are an idiot and a liar", name="Oz", status="approved"))
    (row,) = s.comments.page(CommentFilter()).rows
    assert row.status == "approved" and row.score is not None and row.score >= 0.5
    assert row.reasons


def test_actions_batch_undo_and_audit(s: Services) -> None:
    load(
        s,
        *(comment(str(i), f"Comment number {i}", name=f"R{i}", status="pending") for i in range(4)),
    )
    ids = [r.id for r in s.comments.page(CommentFilter(newest_first=False)).rows]
    s.moderation.act(ids[:1], "approve", actor="ana")
    bulk = s.moderation.act(ids[1:], "spam", actor="ana", reason="bot wave")
    assert bulk.changed == 3
    assert s.comments.counts()["spam"] == 3
    undone = s.moderation.undo(actor="ana")
    assert undone is not None and sorted(r.id for r in undone.rows) == sorted(ids[1:])
    assert s.comments.counts() == {"pending": 3, "approved": 1, "spam": 0, "trash": 0}
    s.moderation.undo(actor="ana")
    assert s.comments.counts()["pending"] == 4
    assert s.moderation.undo(actor="ana") is None
    entries = s.moderation.audit(comment_id=ids[1])
    assert [(e.action, e.from_status, e.to_status) for e in entries][-2:] == [
        ("spam", "pending", "spam"),
        ("undo", "spam", "pending"),
    ]
    table = list(csv.reader(io.StringIO(s.moderation.audit_csv(s.moderation.audit()))))
    assert table[0][:4] == ["id", "at", "actor", "comment_id"] and len(table) > 5
    report = {(r.actor, r.action): r.count for r in s.moderation.report()}
    assert report[("ana", "spam")] == 3 and report[("ana", "approve")] == 1


def test_a_second_moderator_is_told_who_acted_first(s: Services) -> None:
    load(s, comment("1", "Something to decide on", name="Pia", status="pending"))
    (row,) = s.comments.page(CommentFilter()).rows
    s.moderation.act([row.id], "approve", actor="ana", seen_versions={row.id: row.version})
    with pytest.raises(Conflict, match="moved to approved by ana"):
        s.moderation.act([row.id], "trash", actor="bo", seen_versions={row.id: row.version})
    assert s.comments.get(row.id).status == "approved"
    s.moderation.act([row.id], "trash", actor="bo", seen_versions={row.id: row.version}, force=True)
    assert s.comments.get(row.id).status == "trash"


def test_edit_keeps_the_original_and_reply_is_signed_by_an_author(s: Services) -> None:
    load(s, comment("1", "Original words, with a typo", name="Quinn", status="pending"))
    (row,) = s.comments.page(CommentFilter()).rows
    s.moderation.edit(row.id, "Original words", actor="ed")
    edited = s.comments.get(row.id)
    assert edited.body == "Original words" and edited.original_body == "Original words, with a typo"
    with pytest.raises(InvalidInput):
        s.moderation.edit(row.id, "   ", actor="ed")
    author_id = s.authors.list()[0].id
    reply = s.moderation.reply(row.id, "Thanks for reading.", author_id=author_id, actor="ed")
    # The pending comment replied to is approved (as WordPress does), in the same batch.
    parent, r = reply.rows
    assert (parent.id, parent.status) == (row.id, "approved")
    assert (r.parent_id, r.status, r.author_name, r.kind) == (
        row.id,
        "approved",
        "Mara Lindqvist",
        "editor",
    )
    assert [(e.action, e.reason) for e in s.moderation.audit(comment_id=row.id)][-1] == (
        "approve",
        "approved by replying",
    )
    # One undo takes the approval back; the reply stays.
    s.moderation.undo(actor="ed")
    assert s.comments.get(row.id).status == "pending"
    assert s.comments.get(r.id).status == "approved"
    # Replying to an approved comment moves nothing else.
    s.moderation.act([row.id], "approve", actor="ed")
    again = s.moderation.reply(row.id, "One more thing.", author_id=author_id, actor="ed")
    assert [x.parent_id for x in again.rows] == [row.id]


def test_auto_runs_the_rules_over_the_pending_queue(s: Services) -> None:
    load(
        s,
        comment("1", "A calm and reasonable remark", name="Ray", status="pending"),
        comment("2", "Marrowick people are vermin", name="Sol", status="pending"),
    )
    summary = s.moderation.auto()
    assert (summary.checked, summary.approved, summary.held) == (2, 1, 1)
    explained = s.moderation.explain(
        next(r.id for r in s.comments.page(CommentFilter(status="pending")).rows)
    )
    assert explained.would_be == "pending" and explained.spans
    held = s.comments.page(CommentFilter(held_only=True)).rows
    assert [r.author_name for r in held] == ["Sol"]


def test_queue_filters_and_risk_order(s: Services) -> None:
    load(
        s,
        comment("1", "Lovely harbour photos", name="Tia", email="tia@x.org", minutes=0),
        comment("2", "You are a moron", name="Uma", minutes=5),
        comment("3", "Marrowick people are all liars and thieves", name="Vic", minutes=10),
    )
    risk = s.comments.page(CommentFilter(sort="risk")).rows
    scores = [r.score or 0 for r in risk]
    assert scores == sorted(scores, reverse=True) and risk[-1].author_name == "Tia"
    assert [r.author_name for r in s.comments.page(CommentFilter(commenter="tia@x.org")).rows] == [
        "Tia"
    ]
    late = s.comments.page(CommentFilter(since=T0 + timedelta(minutes=4))).rows
    assert {r.author_name for r in late} == {"Uma", "Vic"}
    assert [r.author_name for r in s.comments.page(CommentFilter(max_score=0.3)).rows] == ["Tia"]
    assert s.comments.page(CommentFilter(reason="score")).rows


def test_rules_settings_are_versioned(s: Services) -> None:
    rules, v = s.moderation.rules()
    assert v == 0
    v1 = s.moderation.save_rules(replace(rules, max_links=3), expected_version=0, actor="ana")
    with pytest.raises(Conflict, match="ana"):
        s.moderation.save_rules(replace(rules, max_links=4), expected_version=0, actor="bo")
    assert s.moderation.rules() == (replace(rules, max_links=3), v1)
    with pytest.raises(InvalidInput):
        s.moderation.save_rules(replace(rules, score_threshold=2.0), expected_version=v1, actor="a")


def test_queue_counts_kept_by_the_engine_match_the_rows(s: Services, db_url: str) -> None:
    from sqlalchemy import text

    load(
        s,
        comment("1", "Fine words", name="Al"),
        comment("2", "Marrowick people are vermin", name="Bea"),
        comment("3", "Another fine one", name="Cal", status="pending"),
    )
    ids = [r.id for r in s.comments.page(CommentFilter(newest_first=False)).rows]
    s.moderation.act(ids[:2], "spam", actor="ed")
    s.moderation.undo(actor="ed")
    s.moderation.act([ids[2]], "trash", actor="ed")
    db = Database(db_url)
    with db.engine.connect() as c:
        real = dict(c.execute(text("SELECT status, count(*) FROM comments GROUP BY status")).all())
        held = c.execute(
            text("SELECT count(*) FROM comments WHERE status = 'pending' AND flagged")
        ).scalar_one()
    db.dispose()
    counted = {k: v for k, v in s.comments.counts().items() if v}
    assert counted == real
    assert s.comments.count_matching(CommentFilter(held_only=True)) == held == 1
