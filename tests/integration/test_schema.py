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
