"""The opened store: engine, schema check, a unit-of-work factory and backups."""

from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from base64 import b64encode
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from editor_app.domain.errors import StoreError
from editor_app.store import migrate
from editor_app.store.engine import make_engine, resolve_url
from editor_app.store.models import Base
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
            fh.write('{"format": "copydesk-backup", "version": 1, "tables": {')
            for i, table in enumerate(Base.metadata.sorted_tables):
                fh.write(("," if i else "") + json.dumps(table.name) + ": [")
                for j, row in enumerate(conn.execute(select(table))):
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
