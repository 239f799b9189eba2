"""moderation: settings, commenters, edit history, action batches

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "settings",
        sa.Column("key", sa.String(length=100), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "commenters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=320), nullable=False),
        sa.Column("display_name", sa.String(length=250), nullable=False),
        sa.Column("banned", sa.Boolean(), nullable=False),
        sa.Column("trusted", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("commenter_key", sa.String(length=320), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("original_body", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("edited_by", sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f("ix_comments_commenter_key"), ["commenter_key"])
    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("batch", sa.String(length=40), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("undone", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index(batch_op.f("ix_moderation_actions_batch"), ["batch"])
    # Commenters of comments already in the store: the email, else the name.
    op.execute(
        "UPDATE comments SET commenter_key = CASE "
        "WHEN author_email <> '' THEN lower(author_email) "
        "WHEN author_name <> '' THEN 'name:' || lower(author_name) ELSE '' END"
    )


def downgrade() -> None:
    with op.batch_alter_table("moderation_actions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_moderation_actions_batch"))
        batch_op.drop_column("undone")
        batch_op.drop_column("batch")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comments_commenter_key"))
        batch_op.drop_column("edited_by")
        batch_op.drop_column("original_body")
        batch_op.drop_column("commenter_key")
    op.drop_table("commenters")
    op.drop_table("settings")
