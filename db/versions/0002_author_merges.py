"""author merges: what a merge of two profiles changed, so it can be undone

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "author_merges",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kept_id", sa.Integer(), nullable=False),
        sa.Column("merged_id", sa.Integer(), nullable=False),
        sa.Column("merged_name", sa.String(length=200), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("kept_before", sa.JSON(), nullable=False),
        sa.Column("merged_row", sa.JSON(), nullable=False),
        sa.Column("bylines_before", sa.JSON(), nullable=False),
        sa.Column("undone_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("author_merges", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_author_merges_kept_id"), ["kept_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("author_merges", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_author_merges_kept_id"))
    op.drop_table("author_merges")
