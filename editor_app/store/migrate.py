"""Schema upgrades at start: Alembic owns the schema on SQLite and PostgreSQL alike."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from editor_app.domain.errors import StoreError


def migrations_dir() -> Path:
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "db", here.parents[1] / "_db"):
        if (candidate / "env.py").is_file():
            return candidate
    raise StoreError("the schema migrations (db/) are missing from this installation")


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the store to the newest schema; returns (from, to) revisions.

    A store written by a newer Copydesk is refused rather than touched.
    """
    cfg = _config()
    script = ScriptDirectory.from_config(cfg)
    try:
        before = current_revision(engine)
    except OperationalError as exc:
        raise StoreError(f"cannot open the store: {exc.orig}") from exc
    head = script.get_current_head()
    if before is not None and before != head:
        try:
            script.get_revision(before)
        except Exception as exc:  # alembic raises several kinds for an unknown revision
            raise StoreError(
                f"the store has schema {before}, newer than this Copydesk knows ({head}); "
                "update Copydesk"
            ) from exc
    if before == head:
        return before, head or ""
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except SQLAlchemyError as exc:
        raise StoreError(f"the schema upgrade failed: {exc}") from exc
    return before, head or ""
