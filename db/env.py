"""Alembic environment: the app passes its own connection; `alembic` on the shell uses the URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import engine_from_config, pool

from editor_app.store.models import Base
from editor_app.store.search_index import is_search_object

config = context.config
target_metadata = Base.metadata


def include_object(obj: object, name: str | None, type_: str, *_: object) -> bool:
    # The engines' own search indexes (FTS5 shadow tables, tsvector columns) live outside
    # the models on purpose; autogenerate must not try to drop them.
    return not is_search_object(name)


def run_with(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=include_object,
        render_as_batch=True,  # SQLite can only ALTER through batch (copy-and-move) migrations
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_with(connection)
else:
    engine = engine_from_config(
        config.get_section(config.config_ini_section, {}),
        prefix="sqlalchemy.",
        poolclass=pool.NullPool,
    )
    with engine.connect() as conn:
        run_with(conn)
