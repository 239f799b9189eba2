"""What an import looks up for every batch of comments stays as cheap in the last batch as in
the first: it reads a row or two per commenter, not every comment stored so far."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import event, text

from editor_app.domain.commenters import commenter_key
from editor_app.formats.bundle import ArticleData, Bundle, CommentData
from editor_app.services.container import Services
from editor_app.store.database import Database

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
REGULAR = ("Ada Quay", "ada@example.org")
NEWCOMER = ("Bo Pier", "bo@example.org")


def _store_with_a_regular(url: str, comments: int) -> tuple[Database, list[int]]:
    """A store where one commenter has `comments` approved comments and another one pending."""
    thread = [
        CommentData(
            str(k),
            f"Comment {k}: the ferry timetable again.",
            author_name=REGULAR[0],
            author_email=REGULAR[1],
            posted_at=T0 + timedelta(minutes=k),
            status="approved",
        )
        for k in range(comments)
    ]
    thread.append(
        CommentData(
            "new",
            "First time here.",
            author_name=NEWCOMER[0],
            author_email=NEWCOMER[1],
            posted_at=T0,
            status="pending",
        )
    )
    article = ArticleData(
        title="Harbour piece",
        body_html="<p>About the quay.</p>",
        status="published",
        source_key="test:lookups",
        comments=tuple(thread),
    )
    db = Database(url)
    Services.build(db.uow).imports.import_bundles([Bundle(articles=(article,))])
    with db.uow() as uow:
        ids = [
            int(i)
            for i in uow.session.scalars(
                text("SELECT id FROM comments WHERE status = 'approved' ORDER BY id")
            )
        ]
    return db, ids


def test_who_has_an_approved_comment_is_answered_on_both_engines(db_url: str) -> None:
    db, approved = _store_with_a_regular(db_url, 5)
    regular, newcomer = commenter_key(REGULAR[1], REGULAR[0]), commenter_key(*NEWCOMER[::-1])
    try:
        with db.uow() as uow:
            keys = uow.comments.keys_with_status
            assert keys([regular, newcomer, "nobody", ""], "approved") == {regular}
            assert keys([regular, newcomer], "pending") == {newcomer}
            # The comments being judged are not earlier approvals of their own commenter.
            assert keys([regular], "approved", exclude=approved[:-1]) == {regular}
            assert keys([regular], "approved", exclude=approved) == set()
            assert keys([], "approved") == set()
    finally:
        db.dispose()


def _rows_read(plan: dict[str, Any], table: str) -> float:
    """Rows the plan's scans of `table` produced, over all their loops."""
    own = 0.0
    if plan.get("Relation Name") == table:
        own = plan.get("Actual Rows", 0) * plan.get("Actual Loops", 1)
    return own + sum(_rows_read(p, table) for p in plan.get("Plans", ()))


def test_the_approval_lookup_reads_a_row_per_commenter_on_postgresql(pg_url: str) -> None:
    """It made PostgreSQL read every approved comment of the store for each batch of an
    import: the batches got slower as the store filled."""
    db, _approved = _store_with_a_regular(pg_url, 600)
    regular, newcomer = commenter_key(REGULAR[1], REGULAR[0]), commenter_key(*NEWCOMER[::-1])
    sent: list[tuple[str, Any]] = []

    def _seen(_conn: Any, _cursor: Any, statement: str, params: Any, *_args: Any) -> None:
        if "comments" in statement and "explain" not in statement.lower():
            sent.append((statement, params))

    try:
        with db.uow() as uow:
            event.listen(db.engine, "before_cursor_execute", _seen)
            try:
                found = uow.comments.keys_with_status([regular, newcomer], "approved")
            finally:
                event.remove(db.engine, "before_cursor_execute", _seen)
            assert found == {regular}
            ((statement, params),) = sent
            raw = uow.session.connection().connection.driver_connection
            assert raw is not None
            with raw.cursor() as cur:
                cur.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {statement}", params)
                row = cur.fetchone()
            assert row is not None
            plan = row[0] if isinstance(row[0], list) else json.loads(row[0])
            assert _rows_read(plan[0]["Plan"], "comments") <= 2
    finally:
        db.dispose()
