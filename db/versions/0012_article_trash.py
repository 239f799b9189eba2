"""article trash: a deleted article is kept, out of every list, until deleted for good

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    op.create_index("ix_articles_deleted_at", "articles", ["deleted_at"])


def downgrade() -> None:
    # Not batch mode: a rebuild of `articles` on SQLite drops the old table, and with foreign
    # keys on that DROP cascades to every comment, figure and link of every article.
    # SQLite 3.35 and later drops a column in place.
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        import sqlite3

        if sqlite3.sqlite_version_info < (3, 35, 0):
            raise RuntimeError(
                f"this downgrade needs SQLite 3.35 or later (this is {sqlite3.sqlite_version}): "
                "an older SQLite would rebuild the articles table and its foreign keys would "
                "delete every comment"
            )
    op.drop_index("ix_articles_deleted_at", table_name="articles")
    op.drop_column("articles", "deleted_at")
