"""comment html: a comment's cleaned HTML (what exports write) and its original as imported

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (nullable): no table rebuild, so the search and count triggers stay.
    # Rows from before have no HTML yet; exporters clean their body when they write them.
    op.add_column("comments", sa.Column("body_html", sa.Text(), nullable=True))
    op.add_column("comments", sa.Column("body_original", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("comments", "body_original")
    op.drop_column("comments", "body_html")
