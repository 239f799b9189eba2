"""Has another workstation changed the store? Cheap enough to ask every second.

PostgreSQL: triggers NOTIFY on every write (migration 0004) and a dedicated connection
LISTENs. SQLite: `PRAGMA data_version` moves whenever another connection commits.

Neither tells this workstation's own writes (its engine's sessions, in any thread) from
another's, and the window said "changed on another workstation" a second after every save.
So the watcher also watches its own engine. PostgreSQL: a notification carries the backend
pid of the session that sent it, and the watcher knows its engine's pids. SQLite: SQLite
lets one writer commit at a time, so just before one of ours commits (the write lock held)
`data_version` says whether anyone else committed since the last look, and just after, the
watcher takes the new value as seen.
"""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

from sqlalchemy import Connection, Engine, event
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
        self._lock = threading.Lock()
        self._foreign = False  # SQLite: another's commit seen at one of ours
        self._own_commits = 0  # SQLite: ours under way (counted before, settled after)
        self._own_pids: set[int] = set()  # PostgreSQL: backends of our engine's sessions
        self._listeners: list[tuple[Any, str, Any]] = []
        self._open()
        self._watch_own_engine()

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

    def _watch_own_engine(self) -> None:
        if self._sqlite is not None:
            self._listen(self._engine, "begin", self._on_begin)
            self._listen(self._engine, "commit", self._before_own_commit)
            self._listen(self._engine, "rollback", self._on_rollback)
            self._listen(self._engine, "checkin", self._on_checkin)
        elif self._pg is not None:
            # Sessions opened before the watcher (the start-up's) get their pid at checkout.
            self._listen(self._engine, "checkout", self._on_checkout)
            self._listen(self._engine, "close", self._forget_pid)
            self._listen(self._engine, "detach", self._forget_pid)
            self._listen(self._engine, "invalidate", self._forget_pid)

    def _listen(self, target: Any, name: str, fn: Any) -> None:
        event.listen(target, name, fn)
        self._listeners.append((target, name, fn))

    # SQLite: our own commits -------------------------------------------------

    @staticmethod
    def _changes(conn: Connection) -> int:
        return int(getattr(conn.connection.driver_connection, "total_changes", 0))

    def _on_begin(self, conn: Connection) -> None:
        self._settle(conn.info)  # the commit before this transaction is done
        conn.info["copydesk_changes"] = self._changes(conn)

    def _before_own_commit(self, conn: Connection) -> None:
        if self._changes(conn) == conn.info.get("copydesk_changes"):
            return  # it wrote nothing: no lock held, nothing of ours to tell apart
        with self._lock:
            if self._sqlite is None:
                return
            # We hold SQLite's write lock: whatever moved data_version is someone else's.
            if self._data_version() != self._version:
                self._foreign = True
            self._own_commits += 1
            conn.info["copydesk_own_commit"] = True

    def _on_checkin(self, _dbapi_conn: Any, record: Any) -> None:
        if record is not None:
            self._settle(record.info)  # the session that committed gave its connection back

    def _settle(self, info: dict[Any, Any]) -> None:
        """Our commit is in: its change to data_version is seen (a commit of someone else's
        in the instant between our COMMIT and this would be taken for ours)."""
        if not info.pop("copydesk_own_commit", False):
            return
        with self._lock:
            self._own_commits = max(0, self._own_commits - 1)
            if self._sqlite is not None:
                self._version = self._data_version()

    def _on_rollback(self, conn: Connection) -> None:
        # A commit that failed after `_before_own_commit` (the store busy) wrote nothing.
        if conn.info.pop("copydesk_own_commit", False):
            with self._lock:
                self._own_commits = max(0, self._own_commits - 1)

    # PostgreSQL: our own sessions' backends ----------------------------------

    def _on_checkout(self, dbapi_conn: Any, record: Any, _proxy: Any) -> None:
        pid = record.info.get("copydesk_pid")
        if pid is None:
            pid = int(dbapi_conn.info.backend_pid)
            record.info["copydesk_pid"] = pid
        self._own_pids.add(pid)

    def _forget_pid(self, _dbapi_conn: Any, record: Any, *_rest: Any) -> None:
        pid = record.info.pop("copydesk_pid", None) if record is not None else None
        if pid is not None:
            self._own_pids.discard(pid)

    def _data_version(self) -> int:
        assert self._sqlite is not None
        row = self._sqlite.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def poll(self) -> frozenset[str]:
        """Tables changed since the last poll ("*" where the engine cannot say which)."""
        if self._sqlite is not None:
            with self._lock:
                now = self._data_version()
                changed = (now != self._version and not self._own_commits) or self._foreign
                if not self._own_commits:  # else the commit under way settles it
                    self._version = now
                self._foreign = False
            return EVERYTHING if changed else frozenset()
        if self._pg is None:
            return frozenset()
        tables: set[str] = set()
        try:
            for note in self._pg.notifies(timeout=0, stop_after=10_000):
                schema, _, table = str(note.payload).partition(".")
                if schema == self._schema and note.pid not in self._own_pids:
                    tables.add(table)
        except (DBAPIError, Exception) as exc:  # psycopg.OperationalError: server gone
            self.close()
            raise ConnectionError(f"lost the change feed: {exc}") from exc
        return frozenset(tables)

    def close(self) -> None:
        for target, name, fn in self._listeners:
            event.remove(target, name, fn)
        self._listeners.clear()
        if self._sqlite is not None:
            with self._lock:
                self._sqlite.close()
                self._sqlite = None
        if self._pg is not None:
            try:
                self._pg.close()
            finally:
                self._pg = None
