"""One engine factory for both engines: an embedded SQLite file or a shared PostgreSQL."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from platformdirs import user_data_dir
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from editor_app.domain.errors import StoreError
from editor_app.domain.storefiles import sqlite_files

APP_NAME = "Copydesk"
ENV_VAR = "EDITOR_APP_DB"


def default_db_path() -> Path:
    return Path(user_data_dir(APP_NAME, appauthor=False)) / "copydesk.sqlite3"


def resolve_url(cli_url: str | None = None) -> str:
    """`--db`, then `EDITOR_APP_DB`, then a SQLite file in the user's data folder."""
    if cli_url:
        return cli_url
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return env
    return f"sqlite:///{default_db_path()}"


def _prepare_sqlite_file(path: Path) -> None:
    """Only Copydesk's own data folder is made (0700); a store anywhere else goes into a
    folder that exists, so a mistyped `--db` is an error, not a new empty store. The store
    holds commenters' emails and IPs: it is the user's alone (0600), and SQLite gives its
    `-wal` and `-shm` the store file's mode."""
    default = default_db_path()
    own_folder = path.absolute().parent == default.parent.absolute()
    if not path.parent.is_dir():
        if not own_folder:
            raise StoreError(
                f"no such folder: {path.parent} (is the store's path mistyped?); "
                "create the folder first or name another store"
            )
        try:
            path.parent.mkdir(parents=True, mode=0o700, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the data folder {path.parent}: {exc}") from exc
    if own_folder:
        _private(path.parent, 0o700)
    if not path.exists():
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o600))
        except OSError as exc:
            raise StoreError(f"cannot create the store {path}: {exc.strerror}") from exc
    for name in sqlite_files(path):
        _private(name, 0o600)


def _private(path: Path, mode: int) -> None:
    """Take group and other permissions off a file or folder of ours (chmod opens nothing,
    so it costs a running store no lock)."""
    try:
        st = os.stat(path)
        if st.st_uid == os.getuid() and st.st_mode & 0o077:
            os.chmod(path, mode)
    except OSError:
        pass  # not there (a side file), or not ours to change: SQLite will say if it matters


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # Let SQLAlchemy own transactions (pysqlite's own BEGIN handling is off, see below).
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=10000")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str, *, echo: bool = False) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise StoreError(f"not a database URL: {url!r}") from exc
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        db = parsed.database
        if db and db != ":memory:" and not db.startswith("file:"):
            path = Path(db).expanduser()
            if path.is_dir():
                raise StoreError(f"the database path is a folder: {path}")
            _prepare_sqlite_file(path)
        engine = create_engine(url, echo=echo, connect_args={"timeout": 10})
        event.listen(engine, "connect", _sqlite_pragmas)
        _fix_sqlite_transactions(engine)
        return engine
    if backend == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, echo=echo, pool_pre_ping=True)
    raise StoreError(f"unsupported database {backend!r}: use sqlite:/// or postgresql+psycopg://")


def _fix_sqlite_transactions(engine: Engine) -> None:
    """pysqlite starts transactions late and never for reads; make BEGIN explicit.

    Without this a read-then-write unit of work is not isolated and SAVEPOINTs misbehave
    (SQLAlchemy's documented recipe).
    """

    @event.listens_for(engine, "connect")
    def _connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN")


def store_files(engine: Engine) -> tuple[Path, ...]:
    """The files of a SQLite store on disk (the store, its -wal, -shm, -journal); none for a
    server or an in-memory store."""
    if engine.dialect.name != "sqlite":
        return ()
    db = engine.url.database
    if not db or db == ":memory:" or db.startswith("file:"):
        return ()
    return sqlite_files(Path(db).expanduser())


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"
