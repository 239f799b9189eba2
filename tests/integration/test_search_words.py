"""Search matches whole words; a `*` after a word asks for every word it begins."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from editor_app.formats.bundle import ArticleData, Bundle, CommentData
from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter
from editor_app.store.database import Database

T0 = datetime(2025, 7, 1, 8, 0, tzinfo=UTC)
BODIES = (
    "The harbour wall is cracked",
    "Their boat left early",
    "Then the rain came",
    "A harbourmaster spoke at noon",
    "These gulls again",
)


@pytest.fixture
def s(db_url: str) -> Iterator[Services]:
    db = Database(db_url)
    services = Services.build(db.uow)
    comments = tuple(
        CommentData(str(k), body, author_name="Reader", posted_at=T0 + timedelta(minutes=k))
        for k, body in enumerate(BODIES)
    )
    articles = (
        ArticleData(
            title="Harbour works",
            body_html="<p>The quay.</p>",
            status="published",
            source_key="test:harbour",
            comments=comments,
        ),
        ArticleData(
            title="Harbourmaster retires",
            body_html="<p>After forty years.</p>",
            status="published",
            source_key="test:master",
        ),
    )
    services.imports.import_bundles([Bundle(articles=articles)])
    yield services
    db.dispose()


def _box(s: Services, query: str) -> tuple[set[str], set[str]]:
    r = s.search.search(query)
    return {a.title for a in r.articles}, {c.body for c in r.comments}


def _queue(s: Services, query: str) -> set[str]:
    return {c.body for c in s.comments.page(CommentFilter(search=query), limit=50).rows}


def test_a_word_matches_only_itself(s: Services) -> None:
    assert _box(s, "the")[1] == {BODIES[0], BODIES[2]}  # not their, then, these
    assert _queue(s, "the") == {BODIES[0], BODIES[2]}
    assert _box(s, "harbour") == ({"Harbour works"}, {BODIES[0]})
    assert _queue(s, "harbour") == {BODIES[0]}


def test_a_star_makes_a_word_a_prefix(s: Services) -> None:
    assert _box(s, "the*")[1] == {BODIES[0], BODIES[1], BODIES[2], BODIES[4]}
    assert _queue(s, "the*") == {BODIES[0], BODIES[1], BODIES[2], BODIES[4]}
    assert _box(s, "harb*") == (
        {"Harbour works", "Harbourmaster retires"},
        {BODIES[0], BODIES[3]},
    )
    assert _queue(s, "harb*") == {BODIES[0], BODIES[3]}
    # Words and prefixes together, in any case; other punctuation is no operator.
    assert _queue(s, 'HARB* "wall"') == {BODIES[0]}
    assert _queue(s, "rain -came") == {BODIES[2]}


@pytest.mark.parametrize("query", ["*", "**", "* *", "-"])
def test_a_star_alone_finds_nothing(s: Services, query: str) -> None:
    assert _box(s, query) == (set(), set())
    assert _queue(s, query) == set()


def test_where_thousands_match_the_newest_come_first(
    s: Services, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """bm25 would count every row holding a common word first; past the threshold the search
    box shows the newest matches instead (SQLite), the best ranked of the newest elsewhere."""
    from editor_app.store import repositories

    monkeypatch.setattr(repositories, "_MANY_MATCHES", 3)
    monkeypatch.setattr(repositories, "RANK_WINDOW", 4)
    bodies = [c.body for c in s.search.search("the*", limit=2).comments]
    if db_url.startswith("sqlite"):
        # Four comments match; the two newest are These gulls (k=4) and Then the rain (k=2).
        assert bodies == [BODIES[4], BODIES[2]]
    else:
        assert len(bodies) == 2 and set(bodies) <= {BODIES[0], BODIES[1], BODIES[2], BODIES[4]}
