"""Workstations at the same moment: imports that share a slug, moderators on the same comments.

On PostgreSQL for real (and on SQLite, which must stay right): concurrent sessions in threads
and in processes of their own. Issue 11.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import threading
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from editor_app.domain.errors import Conflict
from editor_app.formats.bundle import ArticleData, Bundle, CommentData
from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter
from editor_app.store.database import Database

ROOT = Path(__file__).resolve().parents[2]


def article(title: str, key: str) -> Bundle:
    return Bundle(articles=(ArticleData(title=title, body_html="<p>Text.</p>", source_key=key),))


@pytest.fixture
def two(db_url: str) -> Iterator[tuple[Services, Services, str]]:
    a, b = Database(db_url), Database(db_url)
    yield Services.build(a.uow), Services.build(b.uow), db_url
    a.dispose()
    b.dispose()


def test_two_imports_sharing_a_slug_both_succeed(two: tuple[Services, Services, str]) -> None:
    """Import A has written its article "Council vote" but not committed when import B
    brings another "Council vote": B takes the next slug (on PostgreSQL without waiting for
    A), and both commit. It was an IntegrityError on articles_slug_key."""
    a, b, url = two
    a_wrote = threading.Event()
    release_a = threading.Event()
    errors: list[BaseException] = []
    b_done_while_a_open: list[bool] = []

    def pause(_done: int, _total: int, title: str) -> None:
        if title == "Second of A":  # the first source is written, the transaction open
            a_wrote.set()
            release_a.wait(10)

    def import_a() -> None:
        try:
            a.imports.import_bundles(
                [article("Council vote", "a:1"), article("Second of A", "a:2")], progress=pause
            )
        except BaseException as exc:
            errors.append(exc)

    def import_b() -> None:
        try:
            b.imports.import_bundles([article("Council vote", "b:1")])
            b_done_while_a_open.append(not release_a.is_set())
        except BaseException as exc:
            errors.append(exc)

    ta = threading.Thread(target=import_a)
    ta.start()
    assert a_wrote.wait(30)
    tb = threading.Thread(target=import_b)
    tb.start()
    tb.join(3)
    release_a.set()
    ta.join(30)
    tb.join(30)
    assert not errors, errors
    slugs = sorted(
        b.editor.open(r.id).slug for r in b.articles.page().rows if r.title == "Council vote"
    )
    assert slugs == ["council-vote", "council-vote-2"]
    if not url.startswith("sqlite"):  # SQLite has one writer: B waits there, by design
        assert b_done_while_a_open == [True]


def test_many_imports_at_once_keep_slugs_unique(db_url: str) -> None:
    """Six workstations import 20 articles each, every one of them titled like the others'."""
    dbs = [Database(db_url) for _ in range(6)]
    start = threading.Barrier(len(dbs))
    errors: list[BaseException] = []

    def run(n: int) -> None:
        services = Services.build(dbs[n].uow)
        bundles = [article(f"Story {i}", f"w{n}:{i}") for i in range(20)]
        start.wait()
        try:
            services.imports.import_bundles(bundles)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(dbs))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    try:
        assert not errors, errors
        services = Services.build(dbs[0].uow)
        rows = services.articles.page(limit=500).rows
        assert len(rows) == 120
        slugs = [services.editor.open(r.id).slug for r in rows]
        assert len(set(slugs)) == 120
        assert {s for s in slugs if s.startswith("story-0")} == {"story-0"} | {
            f"story-0-{n}" for n in range(2, 7)
        }
    finally:
        for db in dbs:
            db.dispose()


MODERATOR = textwrap.dedent(
    """
    import json, sys
    from editor_app.domain.errors import UserError
    from editor_app.services.container import Services
    from editor_app.store.database import Database

    url, me, plan = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    db = Database(url, upgrade=False)
    services = Services.build(db.uow)
    sys.stdout.write("ready\\n")
    sys.stdout.flush()
    sys.stdin.readline()  # everyone starts at once
    out = []
    for action, ids in plan:
        try:
            result = services.moderation.act(ids, action, actor=me)
            out.append({"ok": result.changed})
        except UserError as exc:
            out.append({"error": str(exc)})
    db.dispose()
    print(json.dumps(out))
    """
)


def test_forty_moderation_commands_from_eight_processes_all_land_once(db_url: str) -> None:
    db = Database(db_url)
    services = Services.build(db.uow)
    comments = tuple(
        CommentData(key=str(n), body=f"Comment number {n}", status="pending") for n in range(12)
    )
    services.imports.import_bundles(
        [
            Bundle(
                articles=(
                    ArticleData(
                        title="Busy thread",
                        body_html="<p>x</p>",
                        source_key="m:1",
                        comments=comments,
                    ),
                )
            )
        ]
    )
    ids = sorted(r.id for r in services.comments.page(CommentFilter(), limit=100).rows)
    assert len(ids) == 12
    actions = ["spam", "approve", "hold", "trash"]
    env = {k: v for k, v in os.environ.items() if k != "EDITOR_APP_DB"}
    procs = []
    for p in range(8):
        # Five commands each, on overlapping comments, in varying order.
        plan = [
            (actions[(p + k) % 4], [ids[(p * 3 + k * 5 + j) % 12] for j in range(4)])
            for k in range(5)
        ]
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", MODERATOR, db_url, f"mod{p}", json.dumps(plan)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
                cwd=ROOT,
            )
        )
    try:
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        results = []
        for proc in procs:
            out, err = proc.communicate(timeout=180)
            assert proc.returncode == 0, err
            results.extend(json.loads(out.strip().splitlines()[-1]))
    finally:
        for proc in procs:
            if proc.poll() is None:
                proc.kill()
    try:
        assert len(results) == 40
        assert [r for r in results if "error" in r] == []
        changed = sum(r["ok"] for r in results)
        # The audit: every change logged once, each one taking the comment from where the
        # previous one left it, and the comment where the last one put it.
        audit = [e for e in services.moderation.audit() if e.actor.startswith("mod")]
        assert len(audit) == changed
        by_comment: dict[int, list] = defaultdict(list)
        for e in sorted(audit, key=lambda e: e.id):
            by_comment[e.comment_id].append(e)
        for cid in ids:
            trail = by_comment[cid]
            status = "pending"
            for e in trail:
                assert e.from_status == status and e.to_status != status, (cid, trail)
                status = e.to_status
            assert services.comments.get(cid).status == status
    finally:
        db.dispose()


def test_an_action_on_a_comment_seen_in_an_older_state_is_still_a_conflict(
    two: tuple[Services, Services, str],
) -> None:
    a, b, _url = two
    a.imports.import_bundles(
        [
            Bundle(
                articles=(
                    ArticleData(
                        title="Seen",
                        body_html="<p>x</p>",
                        source_key="s:1",
                        comments=(CommentData(key="1", body="Hello there", status="pending"),),
                    ),
                )
            )
        ]
    )
    (seen,) = b.comments.page(CommentFilter()).rows
    a.moderation.act([seen.id], "approve", actor="ana")
    started = time.monotonic()
    with pytest.raises(Conflict, match=r"moved to approved by ana at \d\d:\d\d:\d\d"):
        b.moderation.act([seen.id], "trash", actor="bo", seen_versions={seen.id: seen.version})
    assert time.monotonic() - started < 5
    assert a.comments.get(seen.id).status == "approved"
    # Without a version it saw, the same command is no conflict: it applies.
    assert b.moderation.act([seen.id], "trash", actor="bo").changed == 1


def test_a_publish_that_lost_its_claim_between_read_and_write_notes_nothing(pg_url: str) -> None:
    """A publish reads its claim to note the mark of what it sends; before it writes, a
    publish on another workstation takes the claim over (PostgreSQL: no write lock holds
    it off). The first is told it holds the claim no more, and its mark is not written."""
    from datetime import UTC, datetime

    from sqlalchemy import event

    from editor_app.store.models import Site
    from editor_app.store.sites import PUBLISHING

    a, b = Database(pg_url), Database(pg_url)
    try:
        (article_id,) = (
            Services.build(a.uow).imports.import_bundles([article("Ferry", "k:1")]).article_ids
        )
        with a.uow() as uow:
            site = uow.sites.add(Site(name="gazette", url="https://g.example", user="desk"))
            uow.flush()
            assert uow.sites.claim_article(site.id, article_id, "first", "2026-01-01T00:00:00")
            uow.commit()
        with b.uow() as uow:
            claim = uow.sites.local_link("article", article_id)
            assert claim is not None and claim.remote_state == PUBLISHING
            claim_id = claim.id

        taken: list[bool] = []

        def take_over(*args: Any) -> None:  # after_cursor_execute: (conn, cursor, statement, ...)
            statement = str(args[2])
            if not taken and statement.lstrip().upper().startswith("SELECT"):
                with b.uow() as other:
                    taken.append(other.sites.retake_claim(claim_id, "first", "second", "2026"))
                    other.commit()

        with a.uow() as uow:
            connection = uow.session.connection()
            event.listen(connection, "after_cursor_execute", take_over)
            held = uow.sites.note_sent(article_id, "first", "mark", datetime.now(UTC))
            uow.commit()
        assert taken == [True]
        assert held is False
        with b.uow() as uow:
            claim = uow.sites.local_link("article", article_id)
            assert claim is not None and claim.remote_hash == "second" and claim.link == ""
    finally:
        a.dispose()
        b.dispose()
