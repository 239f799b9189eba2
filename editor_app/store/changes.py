"""Has another workstation changed the store? Cheap enough to ask every second.

PostgreSQL: triggers NOTIFY on every write (migration 0004) and a dedicated connection
LISTENs. SQLite: `PRAGMA data_version` moves whenever another connection commits.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError

CHANNEL = "copydesk_changes"
EVERYTHING = frozenset({"*"})


class ChangeWatcher:
    def __init__(self, engine: Engine):
        self._engine = engine
        self._sqlite: sqlite3.Connection | None = None
        self._pg: Any = None
        self._schema = ""
        self._version: int | None = None
        self._open()

    def _open(self) -> None:
        if self._engine.dialect.name == "sqlite":
            path = self._engine.url.database or ""
            if not path or path == ":memory:":
                return
            self._sqlite = sqlite3.connect(path, check_same_thread=False)
            self._version = self._data_version()
            return
        import psycopg

        url = self._engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._pg = psycopg.connect(url, autocommit=True, connect_timeout=5)
        row = self._pg.execute("SELECT current_schema()").fetchone()
        self._schema = row[0] if row else "public"
        self._pg.execute(f"LISTEN {CHANNEL}")

    def _data_version(self) -> int:
        assert self._sqlite is not None
        row = self._sqlite.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def poll(self) -> frozenset[str]:
        """Tables changed since the last poll ("*" where the engine cannot say which)."""
        if self._sqlite is not None:
            now = self._data_version()
            changed = now != self._version
            self._version = now
            return EVERYTHING if changed else frozenset()
        if self._pg is None:
            return frozenset()
        tables: set[str] = set()
        try:
            for note in self._pg.notifies(timeout=0, stop_after=10_000):
                schema, _, table = str(note.payload).partition(".")
                if schema == self._schema:
                    tables.add(table)
        except (DBAPIError, Exception) as exc:  # psycopg.OperationalError: server gone
            self.close()
            raise ConnectionError(f"lost the change feed: {exc}") from exc
        return frozenset(tables)

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
            self._sqlite = None
        if self._pg is not None:
            try:
                self._pg.close()
            finally:
                self._pg = None
