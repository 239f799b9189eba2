"""The queue's full-text filter: the same comments, in the same order, however common the word."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
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


def test_each_result_shows_the_words_found(s: Services) -> None:
    found = s.search.search("changes")
    assert [a.title for a in found.articles] == ["Ferry timetable"]
    assert [(x.text, x.marks) for x in found.article_snippets] == [("Changes.", ((0, 7),))]
    found = s.search.search("late ferry", limit=3)
    assert len(found.comment_snippets) == len(found.comments) == 3
    for comment, snippet in zip(found.comments, found.comment_snippets, strict=True):
        assert snippet.text == comment.body
        assert [snippet.text[a:b] for a, b in snippet.marks] == ["ferry", "late"]


@pytest.fixture
def shuffled(db_url: str) -> Iterator[Services]:
    """Comments whose ids do not follow their times: imported in one order, posted in another."""
    db = Database(db_url)
    services = Services.build(db.uow)
    order = list(range(240))
    random.Random(7).shuffle(order)
    articles = []
    for a in range(2):
        comments = tuple(
            CommentData(
                f"{a}-{k}",
                f"Note {a}-{k}: " + ("the tide came in" if k % 4 else "dry spell"),
                author_name=f"Reader {k % 5}",
                # Some times repeat: the id breaks the tie, as in the queue's keyset.
                posted_at=T0 + timedelta(minutes=order[k] // 2),
                status=("approved", "pending", "spam")[k % 3],
            )
            for k in range(240)
        )
        articles.append(
            ArticleData(
                title=f"Harbour {a}",
                body_html="<p>Tides.</p>",
                status="published",
                source_key=f"test:harbour{a}",
                comments=comments,
            )
        )
    services.imports.import_bundles([Bundle(articles=tuple(articles))])
    yield services
    db.dispose()


@pytest.mark.parametrize("window", [3, 400])
@pytest.mark.parametrize("status", [None, "pending"])
@pytest.mark.parametrize("order", ["newest", "oldest"])
def test_windowed_queue_search_pages_like_the_whole_query(
    shuffled: Services,
    monkeypatch: pytest.MonkeyPatch,
    window: int,
    status: str | None,
    order: str,
) -> None:
    s = shuffled
    article = s.comments.article_choices()[0][0]
    for article_id in (None, article):
        flt = CommentFilter(search="tide", status=status, sort=order, article_id=article_id)
        plain = _all_pages(s, flt)  # few matches: the matches drive the query
        monkeypatch.setattr(repositories, "_MANY_MATCHES", 10)
        monkeypatch.setattr(repositories, "_WINDOW_MIN", window)
        windowed = _all_pages(s, flt)  # SQLite: a window of the queue at a time
        monkeypatch.undo()
        # What the queue shows without search, filtered by hand, is the answer.
        everything = _all_pages(s, replace(flt, search=""))
        assert plain == windowed == [b for b in everything if "tide" in b]
        assert len(windowed) == (360 if status is None else 120) // (2 if article_id else 1)
