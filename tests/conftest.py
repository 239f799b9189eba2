"""Shared fixtures: a fresh store on SQLite, and on PostgreSQL where a server answers.

PostgreSQL tests skip with a reason when no server answers, except under CI=true, where
a missing server is a failure: CI must test the shared-newsroom engine for real.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

# Property tests: no per-example deadline (a busy machine or a collector pass broke the
# 200 ms default), no example database written into the checkout; under CI the same examples
# every run, so a red CI is a real regression and can be rerun as it was.
hypothesis_settings.register_profile(
    "copydesk", deadline=None, database=None, derandomize=os.environ.get("CI") == "true"
)
hypothesis_settings.load_profile("copydesk")

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_737975484842bf06.txt"
PG_ADMIN_URL = os.environ.get(
    "EDITOR_APP_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)

_MARK_BY_FOLDER = {"unit": "unit", "integration": "integration", "ui": "ui", "e2e": "e2e"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        folder = Path(str(item.fspath)).parent.name
        mark = _MARK_BY_FOLDER.get(folder)
        if mark:
            item.add_marker(getattr(pytest.mark, mark))


def seed_path() -> Path:
    if not SEED.is_file():
        pytest.skip(f"the seed page is not here ({SEED}); it lives in ../shared beside the repo")
    return SEED


@pytest.fixture
def seed() -> Path:
    return seed_path()


def _pg_reason() -> str | None:
    try:
        import psycopg

        with psycopg.connect(
            PG_ADMIN_URL.replace("postgresql+psycopg", "postgresql"), connect_timeout=3
        ):
            return None
    except Exception as exc:
        return f"no PostgreSQL server answers at {PG_ADMIN_URL}: {str(exc).strip()[:120]}"


_PG_REASON: list[str | None] = []


def pg_unavailable() -> str | None:
    if not _PG_REASON:
        _PG_REASON.append(_pg_reason())
    return _PG_REASON[0]


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A URL whose search_path is a new, empty schema; dropped after the test."""
    reason = pg_unavailable()
    if reason:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and {reason}")
        pytest.skip(reason)
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(PG_ADMIN_URL)
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_ADMIN_URL}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite3'}"
    return str(request.getfixturevalue("pg_url"))


def _held_locks(pid: int, paths: list[Path]) -> set[str]:
    """Names of the files among `paths` on which process `pid` holds a lock (/proc/locks)."""
    by_inode = {(os.stat(p).st_dev, os.stat(p).st_ino): p.name for p in paths if p.exists()}
    held = set()
    for line in Path("/proc/locks").read_text().splitlines():
        fields = line.split()
        if "->" in fields or int(fields[4]) != pid:  # a waiter, or another process
            continue
        major, minor, inode = fields[5].split(":")
        name = by_inode.get((os.makedev(int(major, 16), int(minor, 16)), int(inode)))
        if name:
            held.add(name)
    return held


@pytest.fixture
def held_locks():  # type: ignore[no-untyped-def]
    """The files a process holds POSIX locks on (Linux's /proc/locks), as a function."""
    if not Path("/proc/locks").exists():
        pytest.skip("no /proc/locks here: the lock checks need Linux")
    return _held_locks
