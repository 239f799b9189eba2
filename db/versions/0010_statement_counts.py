"""statement counts: PostgreSQL keeps the queue counts once per statement, not once per row

Revision ID: 0010
Revises: 0008
Create Date: 2026-11-30

The row-level trigger of 0007 updated the same few `comment_counts` rows for every comment
an import wrote in one transaction: each update leaves a dead row version behind, which
every later update has to step over, so a long import got slower as it went (3.5 s for the
first 20,000 comments, 7.6 s for the next). Statement-level triggers with transition tables
add each statement's counts at once: one upsert per statement (a bulk insert of a thousand
comments is one statement), in key order, so two moderators never lock the counter rows in
opposite orders. SQLite keeps its row triggers (its rows are updated in place; there are no
statement-level triggers there).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic import op

revision = "0010"
down_revision = "0008"
branch_labels = None
depends_on = None

# Transition tables cannot go with a column list (`UPDATE OF status, flagged`), so the
# update trigger fires for every UPDATE of comments and counts only the rows whose key moved.
_UPSERT = """
        INSERT INTO comment_counts(status, flagged, n)
        SELECT status, flagged, sum(d) FROM ({rows}) AS delta
        GROUP BY status, flagged HAVING sum(d) <> 0
        ORDER BY status, flagged
        ON CONFLICT (status, flagged) DO UPDATE SET n = comment_counts.n + EXCLUDED.n;
"""
_MOVED = (
    "SELECT o.status, o.flagged, -1 AS d FROM old_rows o JOIN new_rows n ON n.id = o.id "
    "WHERE o.status <> n.status OR o.flagged <> n.flagged "
    "UNION ALL "
    "SELECT n.status, n.flagged, 1 FROM old_rows o JOIN new_rows n ON n.id = o.id "
    "WHERE o.status <> n.status OR o.flagged <> n.flagged"
)

POSTGRES = [
    "DROP TRIGGER IF EXISTS comment_counts_trg ON comments",
    "DROP FUNCTION IF EXISTS copydesk_comment_counts()",
    f"""
    CREATE FUNCTION copydesk_comment_counts_ins() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {_UPSERT.format(rows="SELECT status, flagged, 1 AS d FROM new_rows")}
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION copydesk_comment_counts_del() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {_UPSERT.format(rows="SELECT status, flagged, -1 AS d FROM old_rows")}
        RETURN NULL;
    END $$
    """,
    f"""
    CREATE FUNCTION copydesk_comment_counts_upd() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        {_UPSERT.format(rows=_MOVED)}
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER comment_counts_ins AFTER INSERT ON comments "
    "REFERENCING NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION copydesk_comment_counts_ins()",
    "CREATE TRIGGER comment_counts_del AFTER DELETE ON comments "
    "REFERENCING OLD TABLE AS old_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION copydesk_comment_counts_del()",
    "CREATE TRIGGER comment_counts_upd AFTER UPDATE ON comments "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION copydesk_comment_counts_upd()",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # The counts stay right across the swap: the new triggers count only later statements,
    # and this runs in the migration's transaction.
    for stmt in POSTGRES:
        op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name in ("ins", "del", "upd"):
        op.execute(f"DROP TRIGGER IF EXISTS comment_counts_{name} ON comments")
        op.execute(f"DROP FUNCTION IF EXISTS copydesk_comment_counts_{name}()")
    # Back to 0007's row trigger, from that file itself (not copied).
    path = Path(__file__).with_name("0007_comment_counts.py")
    spec = importlib.util.spec_from_file_location("copydesk_migration_0007", path)
    assert spec is not None and spec.loader is not None
    previous = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(previous)
    for stmt in previous.POSTGRES:
        op.execute(stmt)
