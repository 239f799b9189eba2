"""Posts trashed or deleted and comments deleted on a real WordPress reach the store on the
next pull, without losing work here that the site has not had yet."""

from __future__ import annotations

import pytest

from editor_app.domain.errors import InvalidInput
from editor_app.domain.queries import CommentFilter
from editor_app.remote.wordpress import WordPressClient
from editor_app.services.site_deletions import find_gone
from tests.wordpress.conftest import Desk
from tests.wordpress.wpsite import ADMIN, Seeder, WordPressSite


def _local(desk: Desk, kind: str, remote_id: int) -> int:
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        link = uow.sites.links(site.id, kind, [remote_id]).get(remote_id)
        assert link is not None, f"{kind} {remote_id} is not linked"
        return link.local_id


def test_what_went_from_the_site_goes_here_unless_changed_here(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    gone = seed.post("Old ferry fares")
    trashed = seed.post("Quay closed (cancelled)")
    ours = seed.post("Lighthouse tours")
    c_gone = seed.comment(ours, "Tours on Sundays?", status="approved")
    c_kept = seed.comment(ours, "Only in summer?", status="approved")
    c_on_trashed = seed.comment(trashed, "Good riddance.", status="approved")
    desk.sites.pull("gazette")
    a_gone, a_trashed, a_ours = (_local(desk, "article", p) for p in (gone, trashed, ours))
    l_gone, l_kept, l_on_trashed = (
        _local(desk, "comment", c) for c in (c_gone, c_kept, c_on_trashed)
    )
    # Work here the site has not had: an edit of an article, a decision on a comment.
    with desk.db.uow() as uow:
        a = uow.articles.get(a_ours)
        assert a is not None
        a.title = "Lighthouse tours: our headline"
        uow.commit()
    desk.services.moderation.act([l_kept], "spam", actor="desk")

    wordpress.rest("DELETE", f"/wp/v2/posts/{gone}", params={"force": "true"})
    wordpress.rest("DELETE", f"/wp/v2/posts/{trashed}")  # to the site's trash
    wordpress.rest("DELETE", f"/wp/v2/posts/{ours}")
    for c in (c_gone, c_kept):
        wordpress.rest("DELETE", f"/wp/v2/comments/{c}", params={"force": "true"})

    result = desk.sites.pull("gazette")
    assert result.updated == 3  # two articles to the Trash, one comment to the trash
    with desk.db.uow() as uow:
        got = {i: uow.articles.get(i) for i in (a_gone, a_trashed, a_ours)}
        assert got[a_gone].deleted_at is not None  # type: ignore[union-attr]
        assert got[a_trashed].deleted_at is not None  # type: ignore[union-attr]
        assert got[a_ours].deleted_at is None  # type: ignore[union-attr]
        notes = [r.note for r in uow.articles.revisions(a_gone)]
        assert "Deleted on the site" in notes
        assert "Moved to the site's trash" in [r.note for r in uow.articles.revisions(a_trashed)]
        c_trash = uow.comments.get(l_gone)
        c_spam = uow.comments.get(l_kept)
        assert c_trash is not None and c_trash.status == "trash"
        assert c_spam is not None and c_spam.status == "spam"  # ours, kept
        assert uow.sites.local_link("comment", l_gone) is None
    messages = " ".join(result.messages)
    assert "“Lighthouse tours: our headline” was moved to the site's trash but changed here" in (
        messages
    )
    assert f"comment {l_kept} was deleted on the site but has changes here" in messages
    state = desk.sites.states("comment", [l_kept])[l_kept]
    assert state.state == "conflict" and "deleted on the site" in state.error
    # Ours cannot go to a comment that is gone: refused in one line, not retried for ever.
    with pytest.raises(InvalidInput, match=f"comment {l_kept} was deleted on gazette"):
        desk.sites.resolve("gazette", l_kept, "mine", actor="desk")
    assert desk.sites.states("comment", [l_kept])[l_kept].state == "conflict"
    assert desk.sites.push("gazette").sent == 0  # nothing sent to a comment that is gone
    # The comments of the trashed article left the queues with it.
    queue = desk.services.comments.page(CommentFilter(), limit=1000).rows
    assert l_on_trashed not in [r.id for r in queue]
    # Pulling again changes nothing more, and the comment known gone (kept for our unsent
    # decision) no longer makes every pull read all the linked comments back.
    assert desk.sites.pull("gazette").updated == 0
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        site_id = site.id
    with WordPressClient(wordpress.url, ADMIN, wordpress.app_password) as client:
        assert find_gone(client, desk.db.uow, site_id, lambda: None).comments == []
        assert client.counter.by_route.get("/wp/v2/comments") == 1  # the count only
    # A post restored from the site's trash comes back from ours.
    wordpress.rest("POST", f"/wp/v2/posts/{trashed}", json={"status": "publish"})
    assert desk.sites.pull("gazette").updated == 1
    with desk.db.uow() as uow:
        back = uow.articles.get(a_trashed)
        assert back is not None and back.deleted_at is None and back.status == "published"
        assert "Restored on the site (pull)" in [r.note for r in uow.articles.revisions(a_trashed)]
    # Taking the site's side of that conflict: the comment goes to the trash here too.
    assert desk.sites.resolve("gazette", l_kept, "theirs", actor="desk") == 1
    with desk.db.uow() as uow:
        c = uow.comments.get(l_kept)
        assert c is not None and c.status == "trash"
        assert uow.sites.local_link("comment", l_kept) is None
    assert desk.sites.pull("gazette").messages == ()


def test_a_post_missing_from_the_listing_is_not_taken_as_deleted(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    """A workflow plugin's own status hides a post from the listing a pull asks for; the
    post is still there, so its article stays and keeps its link (no duplicate on publish)."""
    hidden = seed.post("Harbour works: in review")
    desk.sites.pull("gazette")
    article_id = _local(desk, "article", hidden)
    wordpress.php(
        "global $wpdb;\n"
        f"$wpdb->update($wpdb->posts, ['post_status' => 'in-review'], ['ID' => {hidden}]);\n"
        f"clean_post_cache({hidden});\n"
    )
    assert (
        wordpress.rest("GET", f"/wp/v2/posts/{hidden}", params={"context": "edit"})["status"]
        == "in-review"
    )
    result = desk.sites.pull("gazette")
    assert result.updated == 0
    with desk.db.uow() as uow:
        article = uow.articles.get(article_id)
        assert article is not None and article.deleted_at is None
    assert _local(desk, "article", hidden) == article_id  # still linked
    assert not any("Harbour works" in m for m in result.messages)


def test_a_cancel_or_a_failure_while_checking_deletions_keeps_the_pull(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    """The deletion check runs after the pull was written: stopping it or losing the site
    then is said as such, and what was pulled stays."""
    doomed = seed.post("Pier repairs: old notice")
    desk.sites.pull("gazette")
    a_doomed = _local(desk, "article", doomed)
    wordpress.rest("DELETE", f"/wp/v2/posts/{doomed}", params={"force": "true"})
    fresh = seed.post("Pier repairs: new notice")
    stop = {"now": False}

    def progress(done: int, total: int, what: str) -> None:
        if what == "deletions":
            stop["now"] = True

    result = desk.sites.pull("gazette", progress=progress, cancelled=lambda: stop["now"])
    assert result.articles == 1
    assert result.messages == (
        "pulled; checking deletions was cancelled (the next pull checks them)",
    )
    _local(desk, "article", fresh)  # the new post was pulled and kept
    with desk.db.uow() as uow:
        kept = uow.articles.get(a_doomed)
        assert kept is not None and kept.deleted_at is None  # left for the next pull

    also_fresh = seed.post("Pier repairs: timetable")

    def site_goes_down(done: int, total: int, what: str) -> None:
        if what == "deletions":
            wordpress.stop()

    try:
        result = desk.sites.pull("gazette", progress=site_goes_down)
    finally:
        wordpress.start()
    assert result.articles == 1
    assert len(result.messages) == 1
    assert result.messages[0].startswith("pulled; checking deletions failed: ")
    assert "does not answer" in result.messages[0]
    _local(desk, "article", also_fresh)
    assert desk.sites.status("gazette").site.last_error == result.messages[0]
    # The next pull checks them.
    assert desk.sites.pull("gazette").updated == 1
    with desk.db.uow() as uow:
        gone = uow.articles.get(a_doomed)
        assert gone is not None and gone.deleted_at is not None


def test_publishing_an_article_kept_while_its_post_was_trashed_restores_the_post(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    post = seed.post("Ferry strike called off")
    desk.sites.pull("gazette")
    article_id = _local(desk, "article", post)
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id)
        assert a is not None
        a.title = "Ferry strike called off: our headline"
        uow.commit()
    wordpress.rest("DELETE", f"/wp/v2/posts/{post}")  # to the site's trash
    result = desk.sites.pull("gazette")
    assert any("publish it to put it back on the site" in m for m in result.messages)
    sent = desk.sites.publish("gazette", article_id, "publish")
    assert sent.remote_id == post
    got = wordpress.rest("GET", f"/wp/v2/posts/{post}", params={"context": "edit"})
    assert got["status"] == "publish"
    assert got["title"]["raw"] == "Ferry strike called off: our headline"
    assert desk.sites.pull("gazette").updated == 0
