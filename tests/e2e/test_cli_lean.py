"""`list articles` / `list comments` on a current SQLite store take a lean read path (the
standard library's sqlite3, no SQLAlchemy): the same output as the ordinary path."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData
from editor_app.services.container import Services
from editor_app.store import engine, lean, migrate
from editor_app.store.database import Database

ROOT = Path(__file__).resolve().parents[2]
T0 = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)

LEAN = """
import sys
from editor_app.cli import main
code = main(sys.argv[1:])
assert "sqlalchemy" not in sys.modules, "the ordinary path answered"
raise SystemExit(code)
"""
ORDINARY = """
import sys
from editor_app.store import lean
lean.LeanStore.open = classmethod(lambda cls, url: None)
from editor_app.cli import main
raise SystemExit(main(sys.argv[1:]))
"""


def _run(code: str, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k != "EDITOR_APP_DB"}
    proc = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture
def store(sqlite_url: str) -> Iterator[str]:
    db = Database(sqlite_url)
    s = Services.build(db.uow)
    people = [
        AuthorData(name=n, byline_name=b)
        for n, b in (("Ana Ruiz", ""), ("Bo Lind", "B. Lind"), ("Cy Marr", ""))
    ]
    articles = tuple(
        ArticleData(
            title=f"Quay “note” {n}",
            body_html=f"<p>Note {n}.</p>",
            status=("published", "draft", "ready")[n % 3],
            authors=tuple(people[: n % 4]),
            source_key=f"test:lean-{n}",
            published_at=T0 + timedelta(hours=n),
            comments=tuple(
                CommentData(
                    str(k),
                    f"Reader {k} on {n}: ça va? " + ("Buy cheap pills now" if k == 2 else ""),
                    parent_key=str(k - 1) if k % 3 == 2 else None,
                    author_name=f"Reader {k}",
                    posted_at=T0 + timedelta(hours=n, minutes=k * 7 % 11),
                    status=("approved", "pending", "spam", "trash")[k % 4],
                )
                for k in range(n % 5 * 3)
            ),
        )
        for n in range(9)
    )
    ids = s.imports.import_bundles([Bundle(articles=articles)]).article_ids
    s.articles.delete(ids[4], actor="ed")  # one in the Trash
    db.dispose()
    yield sqlite_url


@pytest.mark.parametrize(
    "args",
    [
        ("list", "articles", "--json"),
        ("list", "articles", "--json", "--limit", "3"),
        ("list", "articles", "--json", "--status", "draft"),
        ("list", "articles", "--json", "--trash"),
        ("list", "articles"),
        ("list", "comments", "--json"),
        ("list", "comments", "--json", "--limit", "5"),
        ("list", "comments", "--json", "--status", "pending"),
        ("list", "comments", "--json", "--article", "2", "--limit", "50"),
        ("list", "comments", "--status", "spam"),
    ],
)
def test_the_lean_list_is_the_ordinary_list(store: str, args: tuple[str, ...]) -> None:
    argv = ("--db", store, *args)
    ordinary = _run(ORDINARY, *argv)
    assert _run(LEAN, *argv) == ordinary
    assert ordinary.strip() not in ("", "[]")


def test_the_lean_path_reads_only_the_schema_it_knows(
    store: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert lean.SCHEMA == migrate.HEAD  # a new migration: check the lean queries, bump it
    assert lean.LeanStore.open(store) is not None
    monkeypatch.setattr(lean, "SCHEMA", "0001")
    assert lean.LeanStore.open(store) is None  # another schema: the ordinary path
    assert lean.LeanStore.open("sqlite:///does/not/exist.sqlite3") is None
    assert lean.LeanStore.open("postgresql+psycopg://postgres@127.0.0.1/test") is None


@pytest.mark.parametrize("env", [None, "sqlite:////tmp/elsewhere.sqlite3"])
def test_the_lean_path_finds_the_same_store(
    monkeypatch: pytest.MonkeyPatch, env: str | None
) -> None:
    if env is None:
        monkeypatch.delenv("EDITOR_APP_DB", raising=False)
    else:
        monkeypatch.setenv("EDITOR_APP_DB", env)
    assert lean.resolve_url(None) == engine.resolve_url(None)
    assert lean.resolve_url("sqlite:///x.db") == engine.resolve_url("sqlite:///x.db")
