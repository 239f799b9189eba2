"""The opened store: engine, schema check, a unit-of-work factory and backups."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from base64 import b64decode, b64encode
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import DateTime, Engine, bindparam, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from editor_app.domain.errors import StoreError
from editor_app.domain.storefiles import refuse_store_file
from editor_app.store import migrate
from editor_app.store.engine import make_engine, resolve_url, store_files
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

    def display_name(self) -> str:
        """The store as a person names it: the file's name, or database@host (no password)."""
        url = self.engine.url
        if url.get_backend_name() == "sqlite":
            path = url.database or ""
            return Path(path).name if path and path != ":memory:" else "temporary store"
        host = url.host or "localhost"
        port = f":{url.port}" if url.port else ""
        return f"{url.database or 'postgres'}@{host}{port}"

    def upgrade(self) -> tuple[str | None, str]:
        return migrate.upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()

    def backup(self, target: Path) -> Path:
        """A consistent copy while others write: SQLite's online backup, else a JSON dump."""
        target = Path(target)
        if target.is_dir():
            raise StoreError(f"{target} is a folder; name the backup file")
        refuse_store_file(target, store_files(self.engine))
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

        One transaction: a bad backup leaves the store as it was. Rows are read and written a
        few thousand at a time, so a backup of any size restores in flat memory. Returns rows
        per table.
        """
        source = Path(source)
        if not source.is_file():
            raise StoreError(f"{source}: no such backup file")
        refuse_store_file(source, store_files(self.engine))
        if not self.is_empty():
            raise StoreError("restore goes into an empty store; name a new one with --db")
        with source.open("rb") as fh:
            head = fh.read(16)
        if head.startswith(b"SQLite format 3"):
            reader = self._rows_from_sqlite
        elif head.lstrip().startswith(b"{"):
            reader = self._rows_from_json
        else:
            raise StoreError(f"{source.name}: not a Copydesk backup (SQLite file or JSON dump)")
        try:
            with self.engine.begin() as conn:
                counts = _write_tables(conn, reader(source))
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

    def _rows_from_sqlite(self, source: Path) -> Iterator[tuple[str, dict[str, Any]]]:
        """(table, row) of a SQLite backup, table by table in key order."""
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
                    for t in Base.metadata.sorted_tables:
                        stmt = select(t).order_by(*t.primary_key.columns)
                        for r in conn.execution_options(yield_per=2000).execute(stmt):
                            yield t.name, dict(r._mapping)
            finally:
                old.dispose()

    def _rows_from_json(self, source: Path) -> Iterator[tuple[str, dict[str, Any]]]:
        """(table, row) of a JSON dump, parsed as it is read (ijson), never whole."""
        import ijson  # only a restore needs it

        tables = Base.metadata.tables
        header: dict[str, Any] = {}
        with source.open("rb") as fh:
            events = ijson.parse(fh, use_float=True)
            try:
                for prefix, event, value in events:
                    if prefix in ("format", "schema") and event in ("string", "null"):
                        header[prefix] = value
                    elif prefix == "tables" and event == "start_map":
                        _check_header(source, header)
                    elif event == "start_map" and prefix.endswith(".item"):
                        name = prefix[len("tables.") : -len(".item")]
                        table = tables.get(name) if prefix.startswith("tables.") else None
                        raw = _build(events, prefix, event, value)
                        if table is not None and isinstance(raw, dict):
                            yield name, _row(table, raw)
            except (ijson.JSONError, ValueError) as exc:
                why = str(exc).strip().splitlines()[0].strip("b'\"") if str(exc).strip() else ""
                raise StoreError(f"{source.name}: not a readable JSON backup ({why})") from exc
        _check_header(source, header)


def _check_header(source: Path, header: dict[str, Any]) -> None:
    if header.get("format") != "copydesk-backup":
        raise StoreError(f"{source.name}: not a Copydesk backup")
    if header.get("schema") != migrate.HEAD:
        raise StoreError(
            f"{source.name} has schema {header.get('schema')}, this Copydesk {migrate.HEAD}: "
            "restore it with the Copydesk that made it"
        )


def _build(events: Iterator[tuple[str, str, Any]], prefix: str, event: str, value: Any) -> Any:
    """The whole value that starts with (prefix, event): one row of a table."""
    import ijson

    builder = ijson.ObjectBuilder()
    builder.event(event, value)
    for p, e, v in events:
        builder.event(e, v)
        if p == prefix and e == "end_map":
            break
    return builder.value


def _row(table: Any, raw: dict[str, Any]) -> dict[str, Any]:
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
    return row


_RESTORE_BATCH = 2000


def _write_tables(conn: Any, rows: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, int]:
    """Insert rows that come table by table, parents' tables first, a batch at a time."""
    order = [t.name for t in Base.metadata.sorted_tables]
    counts = dict.fromkeys(order, 0)
    batch: list[dict[str, Any]] = []
    current: str | None = None
    seen_ids: set[Any] = set()
    later: list[dict[str, Any]] = []

    def flush() -> None:
        if current is None or not batch:
            return
        table = Base.metadata.tables[current]
        later.extend(_parents_later(table, batch, seen_ids))
        conn.execute(table.insert(), [_fill(table, r) for r in batch])
        counts[current] += len(batch)
        batch.clear()

    def finish() -> None:
        flush()
        if current is not None and later:
            table = Base.metadata.tables[current]
            stmt = (
                table.update()
                .where(table.c.id == bindparam("row_id"))
                .values(parent_id=bindparam("parent"))
            )
            conn.execute(stmt, later)
        later.clear()
        seen_ids.clear()

    started: set[str] = set()
    for name, row in rows:
        if name != current:
            finish()
            # Tables come parents first, as backups write them: else keys would break.
            table = Base.metadata.tables[name]
            # (A required key: its rows exist, so that table must have come already.)
            parents = {
                fk.column.table.name for fk in table.foreign_keys if not fk.parent.nullable
            } - {name}
            for parent in sorted(parents - started):
                raise StoreError(f"the backup lists table {name} before {parent}")
            if name in started:
                raise StoreError(f"the backup lists table {name} twice")
            started.add(name)
            current = name
        batch.append(row)
        if len(batch) >= _RESTORE_BATCH:
            flush()
    finish()
    return counts


def _fill(table: Any, row: dict[str, Any]) -> dict[str, Any]:
    """Every column in every row (executemany wants the same keys in each): a column a row
    lacks gets its plain default, else NULL."""
    out = {}
    for c in table.c:
        if c.name in row:
            out[c.name] = row[c.name]
        elif c.default is not None and c.default.is_scalar:
            out[c.name] = c.default.arg
        elif not c.primary_key:
            out[c.name] = None
    return out


def _parents_later(table: Any, batch: list[dict[str, Any]], seen: set[Any]) -> list[dict[str, Any]]:
    """Rows of a table that points at itself (comments.parent_id): a row whose parent is not
    in yet (`seen`: ids written so far) goes in without it, and gets it back by an UPDATE
    after the whole table. Returns those updates; `batch` is sorted and edited in place."""
    if "parent_id" not in table.c or "id" not in table.c:
        return []
    batch.sort(key=lambda r: r["id"])
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
