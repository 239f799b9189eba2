"""bench/generate.py: a small synthetic newsroom the store, the search and the services accept."""

from __future__ import annotations

import importlib.util
import json
import sqlite3
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter
from editor_app.store.database import Database

pytestmark = pytest.mark.unit

GENERATOR = Path(__file__).resolve().parents[2] / "bench" / "generate.py"
ARTICLES, COMMENTS = 20, 500


def _load_generator() -> ModuleType:
    name = "copydesk_bench_generate_under_test"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    return _load_generator()


@pytest.fixture(scope="module")
def store(gen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "newsroom.sqlite3"
    gen.generate(f"sqlite:///{path}", ARTICLES, COMMENTS, seed=1, quiet=True)
    return path


@pytest.fixture
def con(store: Path) -> Iterator[sqlite3.Connection]:
    c = sqlite3.connect(store)
    try:
        yield c
    finally:
        c.close()


@pytest.fixture
def services(store: Path) -> Iterator[Services]:
    db = Database(f"sqlite:///{store}")
    try:
        yield Services.build(db.uow)
    finally:
        db.dispose()


def test_the_counts_asked_for_and_a_sound_store(con: sqlite3.Connection) -> None:
    assert con.execute("SELECT count(*) FROM articles").fetchone()[0] == ARTICLES
    assert con.execute("SELECT count(*) FROM comments").fetchone()[0] == COMMENTS
    assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # Every comments FTS trigger is back after the load (the rebuild drops them meanwhile).
    triggers = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='trigger'")}
    assert {"comments_fts_ai", "comments_fts_ad", "comments_fts_au"} <= triggers


def test_threads_are_valid(con: sqlite3.Connection) -> None:
    rows = con.execute("SELECT id, article_id, parent_id, posted_at FROM comments").fetchall()
    by_id = {r[0]: r for r in rows}
    depth: dict[int, int] = {}
    for cid, article, parent, posted in sorted(rows):
        if parent is None:
            depth[cid] = 0
            continue
        p = by_id[parent]
        assert p[1] == article, f"comment {cid}'s parent is on another article"
        assert p[0] < cid and p[3] <= posted, f"comment {cid}'s parent is not earlier"
        depth[cid] = depth[parent] + 1
        assert 1 <= depth[cid] <= 4
    top = sum(1 for d in depth.values() if d == 0) / len(depth)
    assert 0.45 < top < 0.75
    assert max(depth.values()) >= 2


def test_columns_are_filled_like_the_app_fills_them(con: sqlite3.Connection) -> None:
    for reasons, kind, version, fp, body in con.execute(
        "SELECT reasons, kind, version, fingerprint, body FROM comments"
    ):
        assert isinstance(json.loads(reasons), list)
        assert kind == "comment" and version == 1 and len(fp) == 40
        assert 5 <= len(body.split()) <= 200
    statuses = dict(con.execute("SELECT status, count(*) FROM comments GROUP BY status"))
    assert set(statuses) <= {"pending", "approved", "spam", "trash"}
    assert statuses["pending"] == max(statuses.values())
    # Commenters come back: far fewer names than comments.
    names = con.execute("SELECT count(DISTINCT commenter_key) FROM comments").fetchone()[0]
    assert names < COMMENTS / 3
    for html, text in con.execute("SELECT body_html, body_text FROM articles"):
        assert html.startswith(("<p>", "<blockquote>"))
        assert 600 <= len(text.split()) <= 2000
    quoted = "SELECT count(*) FROM articles WHERE body_html LIKE '%<blockquote>%'"
    assert con.execute(quoted).fetchone()[0] > 0
    assert con.execute("SELECT count(*) FROM bylines").fetchone()[0] > 0


def test_full_text_search_finds_a_generated_word(
    gen: ModuleType, con: sqlite3.Connection, services: Services
) -> None:
    # The first invented word of the vocabulary that some comment uses.
    word = next(
        w
        for w in gen.INVENTED
        if con.execute("SELECT 1 FROM comments WHERE body LIKE ?", (f"% {w} %",)).fetchone()
    )
    found = services.search.search(word)
    assert found.comments and all(word in c.body.lower() for c in found.comments)
    page = services.comments.page(CommentFilter(search=word))
    assert page.rows and all(word in c.body.lower() for c in page.rows)


def test_services_page_through_the_pending_queue(services: Services) -> None:
    total = services.comments.count("pending")
    seen: list[int] = []
    keys = []
    cursor = None
    while True:
        page = services.comments.page(CommentFilter(status="pending"), after=cursor, limit=37)
        seen += [r.id for r in page.rows]
        keys += [(r.posted_at, r.id) for r in page.rows]
        assert all(r.status == "pending" for r in page.rows)
        cursor = page.next_cursor
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == total
    assert keys == sorted(keys, reverse=True)
    assert sum(services.comments.counts().values()) == COMMENTS
    articles = services.articles.page(limit=ARTICLES)
    assert len(articles.rows) == ARTICLES
    assert sum(a.comments for a in articles.rows) == COMMENTS


def test_the_same_seed_makes_the_same_store(gen: ModuleType, store: Path, tmp_path: Path) -> None:
    again = tmp_path / "again.sqlite3"
    gen.generate(f"sqlite:///{again}", ARTICLES, COMMENTS, seed=1, quiet=True)
    query = "SELECT id, article_id, parent_id, author_name, body, posted_at, status FROM comments"
    with sqlite3.connect(store) as a, sqlite3.connect(again) as b:
        assert a.execute(query).fetchall() == b.execute(query).fetchall()
