"""editing: autosaves and the newsroom dictionary

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "autosaves",
        sa.Column("draft_key", sa.String(length=40), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("draft_key"),
    )
    with op.batch_alter_table("autosaves", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_autosaves_article_id"), ["article_id"])
        batch_op.create_index(batch_op.f("ix_autosaves_actor"), ["actor"])
    op.create_table(
        "dictionary_words",
        sa.Column("word", sa.String(length=100), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("word"),
    )
    if op.get_bind().dialect.name == "postgresql":
        for table in ("autosaves", "dictionary_words"):
            op.execute(
                f"CREATE TRIGGER {table}_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION copydesk_notify()"
            )


def downgrade() -> None:
    op.drop_table("dictionary_words")
    with op.batch_alter_table("autosaves", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_autosaves_actor"))
        batch_op.drop_index(batch_op.f("ix_autosaves_article_id"))
    op.drop_table("autosaves")
