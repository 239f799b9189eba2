"""The store, through the services, on SQLite and on PostgreSQL alike."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from editor_app.domain.errors import ImportFailed, InvalidInput, NotFound
from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter
from editor_app.services.importing import ImportOptions
from editor_app.store.database import Database
from editor_app.store.migrate import current_revision, head_revision

PAGE = """The harbour council votes on the new ferry pier

The council met late on Tuesday to settle a question that has split the waterfront.

“We cannot wait another winter,” said the harbour master, Ines Vidal.

Dock workers at dawn (Photo by Tomas Reyes)

Opponents say the pier will cost more than the town can carry.

Mara Lindqvist

Mara Lindqvist

Mara Lindqvist covers the waterfront for the magazine.

  1. About time. The old pier is falling apart.

    • Falling apart is an exaggeration.

      • Have you walked on it lately?

  2. Who pays for this?

Leave a Reply

Your email address will not be published.
"""


@pytest.fixture
def store(db_url: str) -> Iterator[tuple[Database, Services]]:
    db = Database(db_url)
    yield db, Services.build(db.uow)
    db.dispose()


def _write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    p = tmp_path / name
    if isinstance(content, bytes):
        p.write_bytes(content)
    else:
        p.write_text(content, encoding="utf-8")
    return p


def _snapshot(db: Database) -> dict[str, int]:
    names = ["articles", "authors", "comments", "bylines", "figures", "moderation_actions"]
    with db.engine.connect() as conn:
        return {n: conn.execute(text(f"SELECT count(*) FROM {n}")).scalar_one() for n in names}


def test_migrations_reach_head_and_make_every_table(store: tuple[Database, Services]) -> None:
    db, _ = store
    assert current_revision(db.engine) == head_revision()
    tables = set(inspect(db.engine).get_table_names())
    assert {"articles", "authors", "bylines", "comments", "figures", "revisions"} <= tables
    assert {"moderation_actions", "article_tags", "jobs"} <= tables
    # A second start finds the schema current and changes nothing.
    assert db.upgrade() == (head_revision(), head_revision())


def test_seed_page_imports_article_author_and_threaded_comments(
    store: tuple[Database, Services], seed: Path
) -> None:
    _, s = store
    result = s.imports.import_paths([seed])
    assert (result.articles, result.authors, result.comments) == (1, 1, 14)
    article = s.articles.detail(result.article_ids[0])
    assert article.title == seed.read_text(encoding="utf-8").splitlines()[0].strip()
    assert len(article.body_text.split("\n\n")) == 26
    assert len(article.figures) == 2
    assert not article.figures[1].credit.startswith("Photo")
    assert [a.name for a in article.authors] == ["Lillian Avedian"]
    assert article.authors[0].bio.startswith("Lillian Avedian is")
    tree = s.comments.tree(article.id)
    assert [len(n.replies) for n in tree] == [2, 0, 1, 1, 0, 3, 0]
    # Multi-paragraph comments keep their breaks.
    assert tree[6].comment.body.count("\n\n") == 2
    # They came in through the moderation pipeline: scored, held only with a reason.
    rows = s.comments.page(CommentFilter(newest_first=False)).rows
    assert len(rows) == 14 and all(r.score is not None for r in rows)
    assert {r.status for r in rows} <= {"pending", "approved"}
    assert all(bool(r.reasons) == (r.status == "pending") for r in rows)
    assert sum(s.counts().comments.values()) == 14


def test_importing_the_same_page_twice_creates_nothing(
    store: tuple[Database, Services], tmp_path: Path
) -> None:
    db, s = store
    page = _write(tmp_path, "pier.txt", PAGE)
    first = s.imports.import_paths([page])
    before = _snapshot(db)
    again = s.imports.import_paths([page])
    assert (again.articles, again.authors, again.comments) == (0, 0, 0)
    assert again.skipped == 1 and again.skipped_comments == first.comments == 4
    assert again.article_ids == first.article_ids
    assert _snapshot(db) == before


def test_a_refetched_page_adds_only_its_new_comments(
    store: tuple[Database, Services], tmp_path: Path
) -> None:
    _, s = store
    s.imports.import_paths([_write(tmp_path, "a.txt", PAGE)])
    grown = PAGE.replace("  2. Who pays for this?", "  2. Who pays for this?\n\n    • We do.")
    result = s.imports.import_paths([_write(tmp_path, "b.txt", grown)])
    assert (result.articles, result.comments, result.skipped_comments) == (0, 1, 4)
    tree = s.comments.tree(result.article_ids[0])
    assert [n.comment.body for n in tree[1].replies] == ["We do."]


def test_deeper_threads_and_comment_status_choice(
    store: tuple[Database, Services], tmp_path: Path
) -> None:
    _, s = store
    result = s.imports.import_paths(
        [_write(tmp_path, "p.txt", PAGE)], ImportOptions(comments_status="approved")
    )
    tree = s.comments.tree(result.article_ids[0])
    assert tree[0].replies[0].replies[0].comment.body == "Have you walked on it lately?"
    assert {n.comment.status for n in tree} == {"approved"}
    with pytest.raises(InvalidInput):
        s.imports.import_paths([tmp_path / "p.txt"], ImportOptions(comments_status="maybe"))


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("empty.txt", ""),
        ("blank.txt", "   \n\n  \n"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x01"),
        ("latin1.txt", "Caf\xe9 au lait\n\nUn paragraphe.\n".encode("latin-1")),
    ],
)
def test_bad_input_is_refused_and_the_store_is_unchanged(
    store: tuple[Database, Services], tmp_path: Path, name: str, content: str | bytes
) -> None:
    db, s = store
    s.imports.import_paths([_write(tmp_path, "good.txt", PAGE)])
    before = _snapshot(db)
    bad = _write(tmp_path, name, content)
    with pytest.raises(ImportFailed) as info:
        # A good file beside a bad one: all or nothing.
        s.imports.import_paths([_write(tmp_path, "other.txt", PAGE.replace("pier", "quay")), bad])
    assert "\n" not in str(info.value)
    assert _snapshot(db) == before


def test_a_folder_is_refused(store: tuple[Database, Services], tmp_path: Path) -> None:
    _, s = store
    with pytest.raises(ImportFailed, match="folder"):
        s.imports.import_paths([tmp_path])


def test_full_text_search_finds_articles_and_comments(
    store: tuple[Database, Services], tmp_path: Path
) -> None:
    _, s = store
    s.imports.import_paths([_write(tmp_path, "p.txt", PAGE)])
    found = s.search.search("ferry")
    assert [a.title for a in found.articles] == ["The harbour council votes on the new ferry pier"]
    assert s.search.search("walked lately").comments[0].body == "Have you walked on it lately?"
    # Whole words match, prefixes with a `*`; punctuation and FTS operators in the box are
    # not syntax errors.
    assert s.search.search("harb").articles == ()
    assert s.search.search("harb*").articles
    assert s.search.search('"OR AND * (').articles == ()
    assert s.search.search("zeppelin").articles == ()


def test_keyset_pages_cover_every_comment_once(
    store: tuple[Database, Services], tmp_path: Path
) -> None:
    _, s = store
    thread = "\n\n".join(f"  {i}. Comment number {i} about the pier." for i in range(1, 53))
    page = PAGE.split("  1. About")[0] + thread + "\n"
    s.imports.import_paths(
        [_write(tmp_path, "many.txt", page)], ImportOptions(comments_status="pending")
    )
    for newest_first in (True, False):
        seen: list[int] = []
        cursor = None
        while True:
            pg = s.comments.page(
                CommentFilter(status="pending", newest_first=newest_first), after=cursor, limit=10
            )
            seen.extend(r.id for r in pg.rows)
            if pg.next_cursor is None:
                break
            cursor = pg.next_cursor
        assert len(seen) == len(set(seen)) == 52
        assert seen == sorted(seen, reverse=newest_first)


def test_moderation_actions_are_audited_and_all_or_nothing(
    store: tuple[Database, Services], tmp_path: Path
) -> None:
    db, s = store
    s.imports.import_paths(
        [_write(tmp_path, "p.txt", PAGE)], ImportOptions(comments_status="pending")
    )
    ids = [r.id for r in s.comments.page(CommentFilter()).rows]
    rows = s.comments.set_status(ids[:2], "approved", actor="mara")
    assert {r.status for r in rows} == {"approved"}
    assert s.comments.counts()["approved"] == 2
    before = _snapshot(db)
    with pytest.raises(NotFound):
        s.comments.set_status([ids[2], 999_999], "spam", actor="mara")
    assert _snapshot(db) == before
    assert s.comments.get(ids[2]).status == "pending"
    ctx = s.comments.context(ids[-1])
    assert ctx.article is not None and ctx.article.title.startswith("The harbour council")


def test_thread_context_lists_parents_and_replies(
    store: tuple[Database, Services], tmp_path: Path
) -> None:
    _, s = store
    result = s.imports.import_paths([_write(tmp_path, "p.txt", PAGE)])
    tree = s.comments.tree(result.article_ids[0])
    middle = tree[0].replies[0].comment
    ctx = s.comments.context(middle.id)
    assert [a.body for a in ctx.ancestors] == ["About time. The old pier is falling apart."]
    assert [r.comment.body for r in ctx.replies] == ["Have you walked on it lately?"]


def test_times_come_back_aware_in_utc(store: tuple[Database, Services], tmp_path: Path) -> None:
    _, s = store
    s.imports.import_paths([_write(tmp_path, "p.txt", PAGE)])
    row = s.articles.page().rows[0]
    assert row.updated_at.tzinfo is not None
    assert row.updated_at.utcoffset() == UTC.utcoffset(None)


def test_backup_is_a_consistent_copy(store: tuple[Database, Services], tmp_path: Path) -> None:
    db, s = store
    s.imports.import_paths([_write(tmp_path, "p.txt", PAGE)])
    target = db.backup(tmp_path / "out" / "backup.bin")
    assert target.stat().st_size > 0
    if db.dialect == "sqlite":
        copy = Database(f"sqlite:///{target}")
        assert Services.build(copy.uow).counts().articles == 1
        copy.dispose()
    else:
        assert b'"articles": [' in target.read_bytes()
