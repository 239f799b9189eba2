"""Alembic's migrations and the models describe the same schema, on both engines."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from editor_app.store.database import Database
from editor_app.store.models import Base
from editor_app.store.search_index import is_search_object


def test_models_match_the_migrated_schema(db_url: str) -> None:
    db = Database(db_url)
    try:
        with db.engine.connect() as conn:
            ctx = MigrationContext.configure(
                conn,
                opts={
                    "compare_type": False,
                    "include_object": lambda obj, name, *_: not is_search_object(name),
                },
            )
            diff = compare_metadata(ctx, Base.metadata)
    finally:
        db.dispose()
    assert diff == []


def test_the_quick_head_check_matches_alembic() -> None:
    from editor_app.store.migrate import HEAD, head_revision

    assert head_revision() == HEAD


def test_a_store_from_a_newer_copydesk_is_refused(sqlite_url: str) -> None:
    import pytest
    from sqlalchemy import text

    from editor_app.domain.errors import StoreError

    db = Database(sqlite_url)
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    db.dispose()
    with pytest.raises(StoreError, match="newer than this Copydesk"):
        Database(sqlite_url)


def test_every_search_and_count_trigger_survives_the_migrations(sqlite_url: str) -> None:
    from sqlalchemy import text

    db = Database(sqlite_url)
    with db.engine.connect() as conn:
        names = set(
            conn.execute(text("SELECT name FROM sqlite_master WHERE type='trigger'")).scalars()
        )
    db.dispose()
    for table in ("articles_fts", "comments_fts", "comment_counts"):
        assert {f"{table}_ai", f"{table}_ad", f"{table}_au"} <= names


def test_long_bodies_are_stored_with_lz4_on_postgresql(pg_url: str) -> None:
    """0014: pglz took a fifth of a bulk load's server time; lz4 where the server has it."""
    import pytest
    from sqlalchemy import text

    db = Database(pg_url)
    try:
        with db.engine.begin() as conn:
            if not conn.execute(
                text(
                    "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                    "WHERE name = 'default_toast_compression'"
                )
            ).scalar():
                pytest.skip("this PostgreSQL server was built without lz4")
            body = " ".join(f"word{i % 400}" for i in range(4000))  # compressible, > 2 KB
            conn.execute(
                text(
                    "INSERT INTO articles (title, dek, slug, body_html, body_text, status, "
                    "kind, section, excerpt, created_at, updated_at, version) VALUES "
                    "('t', '', 't', :b, :b, 'draft', 'post', '', '', now(), now(), 1)"
                ),
                {"b": body},
            )
            used = conn.execute(
                text(
                    "SELECT pg_column_compression(body_html), pg_column_compression(body_text) "
                    "FROM articles"
                )
            ).one()
    finally:
        db.dispose()
    assert tuple(used) == ("lz4", "lz4")


def test_no_index_repeats_the_start_of_another(db_url: str) -> None:
    """An index whose columns begin another index of its table serves no query the longer one
    does not, and costs a write for every row (0015 dropped ix_comments_commenter_key, the
    first column of ix_comments_commenter_status)."""
    from sqlalchemy import inspect

    db = Database(db_url)
    try:
        insp = inspect(db.engine)
        redundant = []
        for table in insp.get_table_names():
            plain = {
                ix["name"]: tuple(ix["column_names"])
                for ix in insp.get_indexes(table)
                if not ix.get("unique") and not is_search_object(ix["name"])
            }
            keys = [tuple(insp.get_pk_constraint(table)["constrained_columns"])]
            keys += [tuple(u["column_names"]) for u in insp.get_unique_constraints(table)]
            keys += [
                tuple(ix["column_names"]) for ix in insp.get_indexes(table) if ix.get("unique")
            ]
            for name, cols in plain.items():
                others = [c for n, c in plain.items() if n != name] + keys
                if any(len(o) > len(cols) and o[: len(cols)] == cols for o in others):
                    redundant.append(f"{table}.{name}")
    finally:
        db.dispose()
    assert redundant == []
