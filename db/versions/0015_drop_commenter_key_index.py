"""drop ix_comments_commenter_key: ix_comments_commenter_status (commenter_key, status) serves
every query it served

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30

Every query on a commenter's comments names the key by equality (or IN), with or without a
status: the two-column index answers them all from its first column, so the one-column index
only cost a write per comment (an import of 200,000 comments kept both). Dropping an index
leaves its table as it is (no rebuild on SQLite, no cascade).
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_comments_commenter_key", table_name="comments")


def downgrade() -> None:
    op.create_index("ix_comments_commenter_key", "comments", ["commenter_key"])
