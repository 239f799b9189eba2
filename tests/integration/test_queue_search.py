"""The queue's full-text filter: the same comments, in the same order, however common the word."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from editor_app.formats.bundle import ArticleData, Bundle, CommentData
from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter
from editor_app.store import repositories
from editor_app.store.database import Database

T0 = datetime(2025, 6, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def s(db_url: str) -> Iterator[Services]:
    db = Database(db_url)
    services = Services.build(db.uow)
    comments = tuple(
        CommentData(
            str(k),
            # Every third comment mentions the ferry; the rest talk of the weather.
            f"Note {k}: " + ("the ferry was late again" if k % 3 == 0 else "rain all week"),
            author_name=f"Reader {k % 11}",
            posted_at=T0 + timedelta(minutes=k),
            status=("approved", "pending")[k % 2],
        )
        for k in range(300)
    )
    services.imports.import_bundles(
        [
            Bundle(
                articles=(
                    ArticleData(
                        title="Ferry timetable",
                        body_html="<p>Changes.</p>",
                        status="published",
                        source_key="test:ferry",
                        comments=comments,
                    ),
                )
            )
        ]
    )
    yield services
    db.dispose()


def _all_pages(s: Services, flt: CommentFilter) -> list[str]:
    bodies: list[str] = []
    after = None
    while True:
        page = s.comments.page(flt, after=after, limit=40)
        bodies += [r.body for r in page.rows]
        if page.next_cursor is None:
            return bodies
        after = page.next_cursor


@pytest.mark.parametrize("status", [None, "pending"])
@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_few_or_many_matches_give_the_same_queue(
    s: Services, monkeypatch: pytest.MonkeyPatch, status: str | None, order: str
) -> None:
    flt = CommentFilter(search="ferry", status=status, sort=order)
    few = _all_pages(s, flt)  # 100 matches: below the threshold, the matches drive the query
    monkeypatch.setattr(repositories, "_MANY_MATCHES", 10)  # now "many": the index walks
    many = _all_pages(s, flt)
    assert few == many
    expected = [f"Note {k}: the ferry was late again" for k in range(0, 300, 3)]
    if status == "pending":
        expected = [b for b in expected if int(b.split()[1].rstrip(":")) % 2 == 1]
    assert few == (expected[::-1] if order == "newest" else expected)


def test_global_search_ranks_the_newest_matches(
    s: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    everything = s.search.search("ferry", limit=200)
    assert len(everything.comments) == 100
    monkeypatch.setattr(repositories, "RANK_WINDOW", 5)
    newest = s.search.search("ferry", limit=200)
    # The five newest matches, best ranked first (equal here: any order of those five).
    assert sorted(c.body for c in newest.comments) == sorted(
        f"Note {k}: the ferry was late again" for k in range(285, 300, 3)
    )
