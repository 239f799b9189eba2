"""The article Trash on both engines: out of lists, search, counts and exports; restore;
delete for good with the comments; one-line refusals that change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from editor_app.domain.errors import InvalidInput, NotFound
from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter
from editor_app.services.sample import load_sample_newsroom
from editor_app.store.database import Database


@pytest.fixture
def s(db_url: str) -> Iterator[Services]:
    db = Database(db_url)
    db.upgrade()
    services = Services.build(db.uow)
    load_sample_newsroom(services.imports)
    yield services
    db.dispose()


def _water_deal(s: Services) -> int:
    return next(r.id for r in s.articles.page().rows if "water deal" in r.title)


def test_a_deleted_article_leaves_lists_search_counts_and_exports(s: Services, tmp_path: Path):
    article_id = _water_deal(s)
    title = s.articles.detail(article_id).title
    author = s.articles.detail(article_id).authors[0]
    before_articles = s.counts().articles
    before_author = next(a for a in s.authors.list() if a.id == author.id).articles
    assert any(a.id == article_id for a in s.search.search("Marrowick water deal").articles)
    assert any(c.article_id == article_id for c in s.search.search("council").comments)

    row = s.articles.delete(article_id, actor="ed")
    assert row.title == title and row.deleted_at is not None
    assert article_id not in [r.id for r in s.articles.page().rows]
    assert [r.id for r in s.articles.page(trash=True).rows] == [article_id]
    assert s.counts().articles == before_articles - 1
    assert s.articles.count(trash=True) == 1
    found = s.search.search("Marrowick water deal")
    assert all(a.id != article_id for a in found.articles)
    assert all(c.article_id != article_id for c in s.search.search("council").comments)
    assert article_id not in s.exports.all_ids()
    with pytest.raises(InvalidInput, match="in the Trash; restore it"):
        s.exports.export([article_id], "html", tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()
    assert next(a for a in s.authors.list() if a.id == author.id).articles == before_author - 1
    assert article_id not in [i for i, _t in s.comments.article_choices()]
    assert "Moved to the Trash" in [r.note for r in s.articles.revisions(article_id)]

    back = s.articles.restore(article_id, actor="ed")
    assert back.deleted_at is None
    assert article_id in [r.id for r in s.articles.page().rows]
    assert s.counts().articles == before_articles
    assert any(a.id == article_id for a in s.search.search("Marrowick water deal").articles)


def test_delete_for_good_only_from_the_trash_and_with_the_comments(s: Services):
    article_id = _water_deal(s)
    comments = s.comments.count_matching(CommentFilter(article_id=article_id))
    assert comments > 0
    total = sum(s.comments.counts().values())
    with pytest.raises(InvalidInput, match="not in the Trash"):
        s.articles.delete_for_good(article_id)
    assert s.articles.detail(article_id).id == article_id  # unchanged
    s.articles.delete(article_id, actor="ed")
    with pytest.raises(InvalidInput, match="already in the Trash"):
        s.articles.delete(article_id, actor="ed")
    title = s.articles.delete_for_good(article_id)
    assert "water deal" in title
    with pytest.raises(NotFound):
        s.articles.detail(article_id)
    assert s.articles.count(trash=True) == 0
    assert sum(s.comments.counts().values()) == total - comments
    with pytest.raises(NotFound):
        s.articles.restore(article_id, actor="ed")
    with pytest.raises(NotFound):
        s.articles.delete(10_000, actor="ed")


def _queue_ids(s: Services, flt: CommentFilter) -> set[int]:
    out: set[int] = set()
    after = None
    while True:
        page = s.comments.page(flt, after=after, limit=50)
        out.update(r.id for r in page.rows)
        if page.next_cursor is None:
            return out
        after = page.next_cursor


def test_the_comments_of_a_deleted_article_leave_the_queues_and_counts(s: Services):
    article_id = _water_deal(s)
    mine = _queue_ids(s, CommentFilter(article_id=article_id))
    assert mine
    counts = s.comments.counts()
    held = s.comments.count_matching(CommentFilter(held_only=True))
    by_status = {
        st: len(mine & _queue_ids(s, CommentFilter(status=st))) for st in counts if counts[st]
    }
    mine_held = len(mine & _queue_ids(s, CommentFilter(held_only=True)))

    s.articles.delete(article_id, actor="ed")
    assert not mine & _queue_ids(s, CommentFilter())
    assert not mine & _queue_ids(s, CommentFilter(status="pending"))
    assert not mine & _queue_ids(s, CommentFilter(held_only=True))
    after = s.comments.counts()
    assert after == {st: n - by_status.get(st, 0) for st, n in counts.items()}
    assert s.comments.count_matching(CommentFilter(held_only=True)) == held - mine_held
    # The counts still add up to the queues (what a moderator sees matches the tabs).
    for st, n in after.items():
        assert len(_queue_ids(s, CommentFilter(status=st))) == n
    # A comment of the trashed article moderated meanwhile (a site's pull, the CLI): the
    # counts of the live queues do not move, and restoring brings it back where it now is.
    one = min(mine)
    s.moderation.act([one], "spam", actor="ed")
    assert s.comments.counts() == after
    s.articles.restore(article_id, actor="ed")
    assert mine <= _queue_ids(s, CommentFilter())
    for st, n in s.comments.counts().items():
        assert len(_queue_ids(s, CommentFilter(status=st))) == n


def test_search_hits_are_the_queue_rows_and_leave_out_the_trash(s: Services):
    """The search box reads its comment rows in one query of plain values: the same rows,
    field for field, as the queue shows, in the search's order, none of the Trash."""
    queue = {r.id: r for r in s.comments.page(CommentFilter(), limit=10_000).rows}
    found = s.search.search("council").comments
    assert found and all(c == queue[c.id] for c in found)
    article_id = found[0].article_id
    s.articles.delete(article_id, actor="desk")
    after = s.search.search("council").comments
    assert [c.id for c in after] == [c.id for c in found if c.article_id != article_id]
