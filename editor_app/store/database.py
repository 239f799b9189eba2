"""The opened store: engine, schema check, a unit-of-work factory and backups."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from base64 import b64decode, b64encode
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, bindparam, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from editor_app.domain.errors import StoreError
from editor_app.store import migrate
from editor_app.store.engine import make_engine, resolve_url
from editor_app.store.models import Base, UTCDateTime
from editor_app.store.uow import UowFactory, make_uow_factory


class Database:
    def __init__(self, url: str | None = None, *, upgrade: bool = True):
        self.url = resolve_url(url)
        self.engine: Engine = make_engine(self.url)
        if upgrade:
            self.upgrade()
        self.uow: UowFactory = make_uow_factory(self.engine)

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def describe(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def upgrade(self) -> tuple[str | None, str]:
        return migrate.upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()

    def backup(self, target: Path) -> Path:
        """A consistent copy while others write: SQLite's online backup, else a JSON dump."""
        target = Path(target)
        if target.is_dir():
            raise StoreError(f"{target} is a folder; name the backup file")
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=".backup-", dir=target.parent)
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            if self.dialect == "sqlite":
                self._sqlite_backup(tmp)
            else:
                self._json_backup(tmp)
            tmp.replace(target)
        except (OSError, sqlite3.Error, SQLAlchemyError) as exc:
            tmp.unlink(missing_ok=True)
            raise StoreError(f"backup failed: {exc}") from exc
        return target

    def _sqlite_backup(self, tmp: Path) -> None:
        raw = self.engine.raw_connection()
        try:
            dest = sqlite3.connect(tmp)
            try:
                raw.driver_connection.backup(dest)  # type: ignore[union-attr]
            finally:
                dest.close()
        finally:
            raw.close()

    def _json_backup(self, tmp: Path) -> None:
        def plain(v: Any) -> Any:
            if isinstance(v, datetime | date):
                return v.isoformat()
            if isinstance(v, bytes | memoryview):
                return {"base64": b64encode(bytes(v)).decode()}
            return v

        with self.engine.connect() as conn, tmp.open("w", encoding="utf-8") as fh:
            revision = migrate.current_revision(self.engine)
            fh.write(
                '{"format": "copydesk-backup", "version": 1, '
                f'"schema": {json.dumps(revision)}, "tables": {{'
            )
            for i, table in enumerate(Base.metadata.sorted_tables):
                fh.write(("," if i else "") + json.dumps(table.name) + ": [")
                # A server-side cursor: a million comments are not held in memory at once.
                # In key order: a reply after the comment it answers, and the same backup
                # of the same store twice is the same file.
                rows = conn.execution_options(stream_results=True, yield_per=2000).execute(
                    select(table).order_by(*table.primary_key.columns)
                )
                for j, row in enumerate(rows):
                    record = {k: plain(v) for k, v in row._mapping.items()}
                    fh.write(("," if j else "") + json.dumps(record, ensure_ascii=False))
                fh.write("]")
            fh.write("}}")

    def ping(self) -> None:
        try:
            with self.engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
        except OperationalError as exc:
            raise StoreError(f"cannot reach the store: {exc.orig}") from exc

    # Restore -----------------------------------------------------------------

    def is_empty(self) -> bool:
        with self.engine.connect() as conn:
            for table in ("articles", "authors", "comments"):
                if conn.execute(select(Base.metadata.tables[table].c.id).limit(1)).first():
                    return False
        return True

    def restore(self, source: Path) -> dict[str, int]:
        """Everything from a backup (a SQLite store file or a JSON dump) into this empty store.

        One transaction: a bad backup leaves the store as it was. Returns rows per table.
        """
        source = Path(source)
        if not source.is_file():
            raise StoreError(f"{source}: no such backup file")
        if not self.is_empty():
            raise StoreError("restore goes into an empty store; name a new one with --db")
        with source.open("rb") as fh:
            head = fh.read(16)
        if head.startswith(b"SQLite format 3"):
            rows = self._rows_from_sqlite(source)
        elif head.lstrip().startswith(b"{"):
            rows = self._rows_from_json(source)
        else:
            raise StoreError(f"{source.name}: not a Copydesk backup (SQLite file or JSON dump)")
        counts: dict[str, int] = {}
        try:
            with self.engine.begin() as conn:
                for table in Base.metadata.sorted_tables:
                    batch = rows.get(table.name, [])
                    later = _parents_later(table, batch)
                    if batch:
                        conn.execute(table.insert(), batch)
                    if later:
                        stmt = (
                            table.update()
                            .where(table.c.id == bindparam("row_id"))
                            .values(parent_id=bindparam("parent"))
                        )
                        conn.execute(stmt, later)
                    counts[table.name] = len(batch)
                if self.dialect == "postgresql":
                    for table in Base.metadata.sorted_tables:
                        if "id" in table.c and counts.get(table.name):
                            conn.exec_driver_sql(
                                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                f"(SELECT max(id) FROM {table.name}))"
                            )
        except SQLAlchemyError as exc:
            orig = getattr(exc, "orig", exc)
            raise StoreError(f"restore failed, nothing was written: {orig}") from exc
        return counts

    def _rows_from_sqlite(self, source: Path) -> dict[str, list[dict[str, Any]]]:
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "restore.sqlite3"
            src = sqlite3.connect(source)
            dst = sqlite3.connect(copy)
            try:
                src.backup(dst)
            finally:
                src.close()
                dst.close()
            old = Database(f"sqlite:///{copy}")  # brings an older backup up to this schema
            try:
                with old.engine.connect() as conn:
                    return {
                        t.name: [dict(r._mapping) for r in conn.execute(select(t))]
                        for t in Base.metadata.sorted_tables
                    }
            finally:
                old.dispose()

    def _rows_from_json(self, source: Path) -> dict[str, list[dict[str, Any]]]:
        try:
            data = json.loads(source.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise StoreError(f"{source.name}: not a readable JSON backup") from exc
        if not isinstance(data, dict) or data.get("format") != "copydesk-backup":
            raise StoreError(f"{source.name}: not a Copydesk backup")
        if data.get("schema") != migrate.HEAD:
            raise StoreError(
                f"{source.name} has schema {data.get('schema')}, this Copydesk {migrate.HEAD}: "
                "restore it with the Copydesk that made it"
            )
        out: dict[str, list[dict[str, Any]]] = {}
        for table in Base.metadata.sorted_tables:
            rows = []
            for raw in data.get("tables", {}).get(table.name, []):
                row = {}
                for col in table.c:
                    if col.name not in raw:
                        continue
                    value = raw[col.name]
                    if isinstance(value, dict) and set(value) == {"base64"}:
                        value = b64decode(value["base64"])
                    elif isinstance(value, str) and _is_datetime(col.type):
                        value = datetime.fromisoformat(value)
                    row[col.name] = value
                rows.append(row)
            out[table.name] = rows
        return out


def _parents_later(table: Any, batch: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Rows of a table that points at itself (comments.parent_id) go in by id; a row whose
    parent is not in yet goes in without it, and gets it back by an UPDATE after the rest.
    Returns those updates; `batch` is sorted and edited in place."""
    if "parent_id" not in table.c or "id" not in table.c:
        return []
    batch.sort(key=lambda r: r["id"])
    seen: set[Any] = set()
    later = []
    for row in batch:
        parent = row.get("parent_id")
        if parent is not None and parent not in seen:
            later.append({"row_id": row["id"], "parent": parent})
            row["parent_id"] = None
        seen.add(row["id"])
    return later


def _is_datetime(type_: Any) -> bool:
    return isinstance(type_, UTCDateTime | DateTime)
