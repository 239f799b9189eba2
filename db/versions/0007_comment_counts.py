"""comment counts: queue counts kept by the engine, so a million comments count in no time

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

SQLITE = [
    "CREATE TRIGGER comment_counts_ai AFTER INSERT ON comments BEGIN "
    "INSERT INTO comment_counts(status, flagged, n) VALUES (new.status, new.flagged, 1) "
    "ON CONFLICT(status, flagged) DO UPDATE SET n = n + 1; END",
    "CREATE TRIGGER comment_counts_ad AFTER DELETE ON comments BEGIN "
    "UPDATE comment_counts SET n = n - 1 WHERE status = old.status AND flagged = old.flagged; "
    "END",
    "CREATE TRIGGER comment_counts_au AFTER UPDATE OF status, flagged ON comments "
    "WHEN old.status <> new.status OR old.flagged <> new.flagged BEGIN "
    "UPDATE comment_counts SET n = n - 1 WHERE status = old.status AND flagged = old.flagged; "
    "INSERT INTO comment_counts(status, flagged, n) VALUES (new.status, new.flagged, 1) "
    "ON CONFLICT(status, flagged) DO UPDATE SET n = n + 1; END",
]

# Two moderators moving comments in opposite directions must not lock the two counter rows
# in opposite orders: the function always touches them in key order.
POSTGRES = [
    """
    CREATE FUNCTION copydesk_comment_counts() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
        old_key text := NULL;
        new_key text := NULL;
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            old_key := OLD.status || '/' || OLD.flagged::text;
        END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN
            new_key := NEW.status || '/' || NEW.flagged::text;
        END IF;
        IF old_key IS NOT DISTINCT FROM new_key THEN
            RETURN NULL;
        END IF;
        IF new_key IS NOT NULL AND (old_key IS NULL OR new_key < old_key) THEN
            INSERT INTO comment_counts(status, flagged, n) VALUES (NEW.status, NEW.flagged, 1)
            ON CONFLICT (status, flagged) DO UPDATE SET n = comment_counts.n + 1;
            new_key := NULL;
        END IF;
        IF old_key IS NOT NULL THEN
            UPDATE comment_counts SET n = n - 1
            WHERE status = OLD.status AND flagged = OLD.flagged;
        END IF;
        IF new_key IS NOT NULL THEN
            INSERT INTO comment_counts(status, flagged, n) VALUES (NEW.status, NEW.flagged, 1)
            ON CONFLICT (status, flagged) DO UPDATE SET n = comment_counts.n + 1;
        END IF;
        RETURN NULL;
    END $$
    """,
    "CREATE TRIGGER comment_counts_trg AFTER INSERT OR UPDATE OF status, flagged OR DELETE "
    "ON comments FOR EACH ROW EXECUTE FUNCTION copydesk_comment_counts()",
]


def upgrade() -> None:
    # Plain ALTERs, not a batch: a batch may copy `comments` anew on SQLite, which would
    # drop the full-text triggers that migration 0001 put on it.
    op.add_column(
        "comments", sa.Column("flagged", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.execute(
        "UPDATE comments SET flagged = "
        + ("true" if op.get_bind().dialect.name == "postgresql" else "1")
        + " WHERE CAST(reasons AS VARCHAR) NOT IN ('[]', 'null', '')"
    )
    op.create_index(
        "ix_comments_status_flagged", "comments", ["status", "flagged", "posted_at", "id"]
    )
    # "Has this commenter an approved comment?" is asked for every imported comment.
    op.create_index("ix_comments_commenter_status", "comments", ["commenter_key", "status"])
    op.create_table(
        "comment_counts",
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("flagged", sa.Boolean(), nullable=False),
        sa.Column("n", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("status", "flagged"),
    )
    op.execute(
        "INSERT INTO comment_counts(status, flagged, n) "
        "SELECT status, flagged, count(*) FROM comments GROUP BY status, flagged"
    )
    for stmt in SQLITE if op.get_bind().dialect.name == "sqlite" else POSTGRES:
        op.execute(stmt)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER IF EXISTS comment_counts_{name}")
    else:
        op.execute("DROP TRIGGER IF EXISTS comment_counts_trg ON comments")
        op.execute("DROP FUNCTION IF EXISTS copydesk_comment_counts()")
    op.drop_table("comment_counts")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_status_flagged")
        batch_op.drop_index("ix_comments_commenter_status")
        batch_op.drop_column("flagged")
