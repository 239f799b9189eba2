"""The batched import: rows written a batch at a time keep every thread, id and audit entry."""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from editor_app.domain.errors import StoreError
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData
from editor_app.services import importing
from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter
from editor_app.store.database import Database

T0 = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def store(db_url: str) -> Iterator[tuple[Database, Services]]:
    db = Database(db_url)
    yield db, Services.build(db.uow)
    db.dispose()


def _article(n: int, comments: int) -> ArticleData:
    """Article n with a thread: every third comment replies to the one before it."""
    thread = []
    for k in range(comments):
        parent = str(k - 1) if k % 3 == 2 else None
        thread.append(
            CommentData(
                str(k),
                f"Comment {k} on piece {n}: the ferry timetable again.",
                parent_key=parent,
                author_name=f"Reader {k % 7}",
                author_email=f"reader{k % 7}@example.org",
                posted_at=T0 + timedelta(days=n, minutes=k),
                status=("approved", "pending", "spam")[k % 3],
            )
        )
    return ArticleData(
        title=f"Harbour piece {n}",
        body_html=f"<p>Paragraph about the quay, number {n}.</p>",
        slug="harbour-piece",  # the same slug every time: each needs its own
        status="published",
        tags=("harbour", f"tag {n % 3}"),
        authors=(AuthorData(name="Ines Varga", email="ines@desk.example", bio="Ines writes."),),
        source_key=f"test:piece-{n}",
        comments=tuple(thread),
    )


def _rows(db: Database) -> dict[str, object]:
    """What a reader of the store sees, by natural keys rather than ids."""
    with db.engine.connect() as c:
        articles = c.execute(
            text("SELECT id, source_key, slug FROM articles ORDER BY source_key")
        ).all()
        key_of = {r[0]: r[1] for r in articles}
        comments = c.execute(
            text("SELECT id, article_id, parent_id, body, status, score FROM comments")
        ).all()
        body_of = {r[0]: r[3] for r in comments}
        threads = sorted(
            (key_of[r[1]], r[3], body_of.get(r[2]), r[4], r[5] is not None) for r in comments
        )
        actions = c.execute(
            text(
                "SELECT c.body, a.action, a.to_status FROM moderation_actions a "
                "JOIN comments c ON c.id = a.comment_id"
            )
        ).all()
        revisions = c.execute(text("SELECT article_id FROM revisions")).all()
        bylines = c.execute(text("SELECT article_id, author_id FROM bylines")).all()
        tags = c.execute(text("SELECT article_id, tag FROM article_tags")).all()
    return {
        "slugs": sorted(r[2] for r in articles),
        "threads": threads,
        "actions": sorted(actions),
        "revisions": sorted(key_of[r[0]] for r in revisions),
        "bylines": len(bylines),
        "tags": sorted((key_of[r[0]], r[1]) for r in tags),
    }


def test_small_batches_write_what_one_batch_writes(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundle = Bundle(articles=tuple(_article(n, 4 + n % 5) for n in range(9)))
    one = Database(db_url)
    r1 = Services.build(one.uow).imports.import_bundles([bundle])
    expected = _rows(one)
    one.dispose()

    # The same import again into a fresh store, three articles or five comments a batch.
    other_url = f"sqlite:///{tmp_path / 'batched.sqlite3'}"
    monkeypatch.setattr(importing._Batch, "MAX_ARTICLES", 3)
    monkeypatch.setattr(importing._Batch, "MAX_COMMENTS", 5)
    many = Database(other_url)
    r2 = Services.build(many.uow).imports.import_bundles([bundle])
    assert (r2.articles, r2.comments, r2.authors) == (r1.articles, r1.comments, r1.authors)
    assert (r1.articles, r1.authors) == (9, 1)
    got = _rows(many)
    many.dispose()
    assert got == expected
    assert expected["slugs"] == ["harbour-piece"] + [f"harbour-piece-{n}" for n in range(2, 10)]
    # Replies point at their parents; each comment has one audit entry and a score.
    replies = [t for t in got["threads"] if t[2] is not None]  # type: ignore[union-attr]
    assert replies and all(t[2].startswith("Comment ") for t in replies)
    assert len(got["actions"]) == r1.comments  # type: ignore[arg-type]
    assert all(t[4] for t in got["threads"])  # type: ignore[union-attr]
    assert got["revisions"] == sorted(f"test:piece-{n}" for n in range(9))


def test_an_article_twice_in_one_import_is_written_once(
    store: tuple[Database, Services], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, s = store
    first = _article(1, 3)
    more = ArticleData(
        **{
            **first.__dict__,
            "comments": (*first.comments, CommentData("9", "A late word.", author_name="Zed")),
        }
    )
    result = s.imports.import_bundles([Bundle(articles=(first, _article(2, 2), more))])
    assert (result.articles, result.skipped, result.comments) == (2, 1, 6)
    assert any("already in the store" in m for m in result.messages)
    with db.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM articles")).scalar_one() == 2
        bodies = c.execute(text("SELECT body FROM comments")).scalars().all()
    assert sorted(bodies).count("A late word.") == 1


def test_importing_again_adds_only_the_new_replies_under_old_parents(
    store: tuple[Database, Services],
) -> None:
    db, s = store
    s.imports.import_bundles([Bundle(articles=(_article(1, 3),))])
    grown = _article(1, 3)
    grown = ArticleData(
        **{
            **grown.__dict__,
            "comments": (
                *grown.comments,
                CommentData("7", "Answering the first.", parent_key="0", author_name="Uma"),
            ),
        }
    )
    again = s.imports.import_bundles([Bundle(articles=(grown,))])
    assert (again.articles, again.skipped, again.comments, again.skipped_comments) == (0, 1, 1, 3)
    with db.engine.connect() as c:
        parent = c.execute(
            text(
                "SELECT p.body FROM comments c JOIN comments p ON p.id = c.parent_id "
                "WHERE c.body = 'Answering the first.'"
            )
        ).scalar_one()
    assert parent.startswith("Comment 0 on piece 1")


def test_ids_handed_out_to_an_import_are_nobody_elses(db_url: str) -> None:
    """While an import holds ids, another workstation's new comment gets a different one."""
    db = Database(db_url)
    s = Services.build(db.uow)
    s.imports.import_bundles([Bundle(articles=(_article(1, 1),))])
    with db.uow() as uow:
        reserved = uow.bulk.reserve("comments", 3)
        if db.engine.dialect.name == "sqlite":
            # SQLite: the import holds the write lock, so the other writer waits (or gives up).
            path = db.engine.url.database
            assert path
            other = sqlite3.connect(path, timeout=0.2)
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute(
                    "INSERT INTO dictionary_words(word, added_by, added_at) "
                    "VALUES ('x', '', '2025-01-01')"
                )
            other.close()
        else:
            with db.uow() as second:
                theirs = second.bulk.reserve("comments", 3)
                second.commit()
            assert not set(theirs) & set(reserved)
        assert len(set(reserved)) == 3
    db.dispose()


@pytest.mark.parametrize("per_batch", [1, 200])
def test_an_approval_in_an_earlier_article_counts_whatever_the_batch(
    store: tuple[Database, Services], monkeypatch: pytest.MonkeyPatch, per_batch: int
) -> None:
    """Prior approval: a reader approved on one piece is not held as a newcomer on the next."""
    db, s = store
    rules, version = s.moderation.rules()
    s.moderation.save_rules(
        dataclasses.replace(rules, require_prior_approval=True, manual_approval=False),
        expected_version=version,
        actor="ed",
    )
    monkeypatch.setattr(importing._Batch, "MAX_ARTICLES", per_batch)

    def piece(n: int, status: str | None) -> ArticleData:
        words = CommentData(
            "1",
            f"Thanks for piece {n}, useful.",
            author_name="Kim",
            author_email="kim@example.org",
            status=status,
        )
        newcomer = CommentData(
            "2",
            f"First time here, piece {n}.",
            author_name=f"New {n}",
            author_email=f"new{n}@example.org",
        )
        return ArticleData(
            title=f"Piece {n}",
            body_html="<p>Text.</p>",
            source_key=f"test:prior-{n}",
            status="published",
            comments=(words, newcomer),
        )

    s.imports.import_bundles([Bundle(articles=(piece(1, "approved"), piece(2, None)))])
    with db.engine.connect() as c:
        rows = dict(
            c.execute(text("SELECT body, status FROM comments WHERE body LIKE '%piece 2%'")).all()
        )
    assert rows == {
        "Thanks for piece 2, useful.": "approved",
        "First time here, piece 2.": "pending",
    }


@pytest.mark.parametrize("fmt", ["wxr", "json"])
def test_a_streamed_import_tells_how_many_articles_it_holds(
    store: tuple[Database, Services], tmp_path: Path, fmt: str
) -> None:
    """The progress bar of a WordPress or bundle import counts to a known end."""
    _db, s = store
    ids = list(
        s.imports.import_bundles(
            [Bundle(articles=tuple(_article(n, 2) for n in range(7)))]
        ).article_ids
    )
    (path,) = s.exports.export(ids, fmt, tmp_path / f"all.{fmt}")
    other = Database(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    seen: list[tuple[int, int]] = []
    result = Services.build(other.uow).imports.import_paths(
        [path], progress=lambda done, total, _title: seen.append((done, total))
    )
    other.dispose()
    assert result.articles == 7
    assert seen[-1] == (7, 7)
    assert [total for _done, total in seen] == [7] * len(seen)  # known from the first article
    assert [done for done, _total in seen[:-1]] == list(range(7))


def test_a_change_while_an_import_holds_the_store_says_busy(sqlite_url: str) -> None:
    """SQLite has one writer: while an import writes, a moderator's action is refused in
    one line (not an internal error) and nothing of it is saved."""
    db = Database(sqlite_url)
    s = Services.build(db.uow)
    s.imports.import_bundles([Bundle(articles=(_article(1, 3),))])
    (comment,) = [r for r in s.comments.page(CommentFilter(status="pending")).rows][:1]
    path = db.engine.url.database
    assert path
    importer = sqlite3.connect(path, timeout=0.1, isolation_level=None)
    importer.execute("BEGIN IMMEDIATE")  # what a running import holds
    importer.execute("UPDATE articles SET version = version WHERE 0")
    try:
        with pytest.raises(StoreError, match="busy"):
            s.moderation.act([comment.id], "approve", actor="mod")
    finally:
        importer.execute("ROLLBACK")
        importer.close()
    assert s.comments.page(CommentFilter(status="pending")).rows[0].status == "pending"
    s.moderation.act([comment.id], "approve", actor="mod")  # once the store is free
    db.dispose()


def _matches(db: Database, word: str) -> int:
    """Comments the engine's own full-text index finds for `word`."""
    sql = (
        "SELECT count(*) FROM comments_fts WHERE comments_fts MATCH :w"
        if db.dialect == "sqlite"
        else "SELECT count(*) FROM comments WHERE search_tsv @@ to_tsquery('simple', :w)"
    )
    with db.engine.connect() as c:
        return int(c.execute(text(sql), {"w": word}).scalar_one())


def test_a_cancel_after_some_batches_leaves_nothing_and_the_next_import_is_whole(
    store: tuple[Database, Services], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches go through a staging table on SQLite (COPY on PostgreSQL): a cancel after some
    of them were written leaves no row, count or index entry behind, and the next import on
    the same connection writes its own rows once, all of them searchable."""
    from editor_app.domain.errors import Cancelled

    db, s = store
    monkeypatch.setattr(importing._Batch, "MAX_ARTICLES", 2)
    bundle = Bundle(articles=tuple(_article(n, 6) for n in range(7)))
    seen: list[int] = []

    def progress(done: int, _total: int, _title: str) -> None:
        seen.append(done)

    with pytest.raises(Cancelled):
        s.imports.import_bundles([bundle], progress=progress, cancelled=lambda: len(seen) > 5)
    with db.engine.connect() as c:
        for table in ("articles", "comments", "moderation_actions", "revisions", "bylines"):
            assert c.execute(text(f"SELECT count(*) FROM {table}")).scalar_one() == 0, table
        assert (c.execute(text("SELECT sum(n) FROM comment_counts")).scalar() or 0) == 0
    assert _matches(db, "ferry") == 0

    result = s.imports.import_bundles([bundle])
    assert (result.articles, result.comments) == (7, 42)
    with db.engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM comments")).scalar_one() == 42
        counted = dict(
            c.execute(text("SELECT status, sum(n) FROM comment_counts GROUP BY status")).all()
        )
        actual = dict(
            c.execute(text("SELECT status, count(*) FROM comments GROUP BY status")).all()
        )
    assert {k: v for k, v in counted.items() if v} == actual
    assert _matches(db, "ferry") == 42
