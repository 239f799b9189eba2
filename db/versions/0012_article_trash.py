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
    op.drop_index("ix_articles_deleted_at", table_name="articles")
    with op.batch_alter_table("articles") as batch:
        batch.drop_column("deleted_at")
