"""Queue counts kept by the engine stay equal to counting the comments, whatever writes them."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from editor_app.formats.bundle import ArticleData, Bundle, CommentData
from editor_app.services import importing
from editor_app.services.container import Services
from editor_app.store.database import Database

T0 = datetime(2025, 5, 1, 8, 0, tzinfo=UTC)
STATUSES = ("approved", "pending", "spam", "trash")


@pytest.fixture
def store(db_url: str) -> Iterator[tuple[Database, Services]]:
    db = Database(db_url)
    yield db, Services.build(db.uow)
    db.dispose()


def _article(n: int, comments: int) -> ArticleData:
    return ArticleData(
        title=f"Counting piece {n}",
        body_html=f"<p>On the quay, part {n}.</p>",
        status="published",
        source_key=f"count:{n}",
        comments=tuple(
            CommentData(
                str(k),
                f"Reader note {k} on part {n} about the ferry.",
                author_name=f"Reader {k % 5}",
                posted_at=T0 + timedelta(days=n, minutes=k),
                status=STATUSES[(n + k) % 4],
            )
            for k in range(comments)
        ),
    )


def _truth(db: Database) -> tuple[dict[tuple[str, bool], int], dict[tuple[str, bool], int]]:
    """(the counter table without its zero rows, COUNT(*) of the comments themselves)."""
    with db.engine.connect() as c:
        kept = {
            (r[0], bool(r[1])): int(r[2])
            for r in c.execute(text("SELECT status, flagged, n FROM comment_counts"))
            if r[2]
        }
        counted = {
            (r[0], bool(r[1])): int(r[2])
            for r in c.execute(
                text("SELECT status, flagged, count(*) FROM comments GROUP BY status, flagged")
            )
        }
    return kept, counted


def test_counts_match_count_star_after_an_import_in_many_batches(
    store: tuple[Database, Services], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, s = store
    # Small batches: many insert statements in one transaction, as a large import makes.
    monkeypatch.setattr(importing._Batch, "MAX_ARTICLES", 4)
    monkeypatch.setattr(importing._Batch, "MAX_COMMENTS", 25)
    first = s.imports.import_bundles(
        [Bundle(articles=tuple(_article(n, n % 13) for n in range(30)))]
    )
    assert first.comments == sum(n % 13 for n in range(30))
    kept, counted = _truth(db)
    assert sum(counted.values()) == first.comments
    assert kept == counted
    assert s.comments.counts() == {
        st: sum(v for (k, _f), v in counted.items() if k == st) for st in STATUSES
    }

    # A second import on top, then moderation moves and deletes: still equal.
    more = s.imports.import_bundles([Bundle(articles=tuple(_article(n, 7) for n in range(30, 36)))])
    assert more.comments == 42
    with db.engine.begin() as c:
        c.execute(text("UPDATE comments SET status = 'approved' WHERE id % 3 = 0"))
        c.execute(text("UPDATE comments SET body = body || '!' WHERE id % 2 = 0"))
        c.execute(text("DELETE FROM comments WHERE id % 7 = 0 AND parent_id IS NULL"))
        left = c.execute(text("SELECT count(*) FROM comments")).scalar_one()
    kept, counted = _truth(db)
    assert kept == counted
    assert sum(counted.values()) == left < first.comments + more.comments


def test_a_failed_import_leaves_the_counts_as_they_were(
    store: tuple[Database, Services], monkeypatch: pytest.MonkeyPatch
) -> None:
    db, s = store
    s.imports.import_bundles([Bundle(articles=(_article(1, 9),))])
    before = _truth(db)
    monkeypatch.setattr(importing._Batch, "MAX_ARTICLES", 2)
    broken = (
        _article(2, 8),
        _article(3, 8),
        _article(4, 8),
        ArticleData(title=" ", body_html="", source_key="count:blank"),
    )
    with pytest.raises(importing.ImportFailed):
        s.imports.import_bundles([Bundle(articles=broken)])
    assert _truth(db) == before
    assert before[0] == before[1]
