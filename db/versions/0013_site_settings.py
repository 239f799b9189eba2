"""site settings: send automatic moderation decisions to the site, and the pull timer

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30

No batch mode here: a batch rebuild of `sites` on SQLite drops the old table, and with foreign
keys on that DROP cascades to every `site_links` and `site_outbox` row. Adding a column with a
constant default is a plain ALTER TABLE on both engines, and SQLite (3.35 and later) drops a
column in place.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # server_default "0", not sa.false(): an expression default makes Alembic rebuild the table.
    op.add_column("sites", sa.Column("auto_send", sa.Boolean(), nullable=False, server_default="0"))
    op.add_column(
        "sites",
        sa.Column("pull_every_minutes", sa.Integer(), nullable=False, server_default="0"),
    )


def downgrade() -> None:
    _refuse_old_sqlite()
    op.drop_column("sites", "pull_every_minutes")
    op.drop_column("sites", "auto_send")


def _refuse_old_sqlite() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    import sqlite3

    if sqlite3.sqlite_version_info < (3, 35, 0):
        raise RuntimeError(
            f"this downgrade needs SQLite 3.35 or later (this is {sqlite3.sqlite_version}): "
            "an older SQLite would rebuild the table and its foreign keys would delete "
            "the rows that refer to it"
        )
