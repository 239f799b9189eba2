"""queue indexes: the All queue's keyset order and per-article pending counts

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index("ix_comments_posted", ["posted_at", "id"])
        batch_op.create_index("ix_comments_article_status", ["article_id", "status"])


def downgrade() -> None:
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index("ix_comments_article_status")
        batch_op.drop_index("ix_comments_posted")
