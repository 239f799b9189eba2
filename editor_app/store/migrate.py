"""Schema upgrades at start: Alembic owns the schema on SQLite and PostgreSQL alike.

Alembic itself is imported only when there is something to do: a current store (every start
but the first after an update) opens without paying for it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError, SQLAlchemyError

from editor_app.domain.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

# The newest revision in db/versions; a test holds it equal to Alembic's own head.
HEAD = "0015"


def migrations_dir() -> Path:
    here = Path(__file__).resolve()
    for candidate in (here.parents[2] / "db", here.parents[1] / "_db"):
        if (candidate / "env.py").is_file():
            return candidate
    raise StoreError("the schema migrations (db/) are missing from this installation")


def _config() -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as conn:
            row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    except (OperationalError, ProgrammingError) as exc:
        if "alembic_version" in str(exc.orig):
            return None  # a new, empty store
        raise
    return str(row[0]) if row else None


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Bring the store to the newest schema; returns (from, to) revisions.

    A store written by a newer Copydesk is refused rather than touched.
    """
    try:
        before = current_revision(engine)
    except SQLAlchemyError as exc:
        orig = getattr(exc, "orig", exc)
        first = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
        raise StoreError(f"cannot open the store: {first}") from exc
    if before == HEAD:
        return before, HEAD
    from alembic import command
    from alembic.script import ScriptDirectory

    cfg = _config()
    script = ScriptDirectory.from_config(cfg)
    if before is not None:
        try:
            script.get_revision(before)
        except Exception as exc:  # alembic raises several kinds for an unknown revision
            raise StoreError(
                f"the store has schema {before}, newer than this Copydesk knows ({HEAD}); "
                "update Copydesk"
            ) from exc
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
    except SQLAlchemyError as exc:
        orig = str(getattr(exc, "orig", exc))
        if "permission denied" in orig or "must be owner" in orig:
            raise StoreError(
                f"the store needs a schema upgrade ({before} → {HEAD}) that this database role "
                "may not run; ask the owner to run `editor-app db upgrade`"
            ) from exc
        raise StoreError(f"the schema upgrade failed: {orig.splitlines()[0]}") from exc
    return before, HEAD
