"""Deletions a count does not show: a comment deleted on a site that also has comments a
pull does not carry (on a media attachment), and a post deleted from the site's trash."""

from __future__ import annotations

from editor_app.remote.wordpress import WordPressClient
from editor_app.services.site_deletions import find_gone
from tests.wordpress.conftest import Desk
from tests.wordpress.test_site_deletions import _local
from tests.wordpress.wpsite import ADMIN, Seeder, WordPressSite


def test_a_comment_deleted_there_is_seen_beside_comments_we_do_not_carry(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    post = seed.post("Harbour works")
    rude = seed.comment(post, "A reader's rude remark", status="approved")
    desk.sites.pull("gazette")
    local = _local(desk, "comment", rude)
    photo = seed.media("A photo of the works", "The works")
    on_photo = seed.comment(photo["id"], "Nice photo", status="approved")
    assert desk.sites.pull("gazette").skipped == 1  # on an attachment: not carried

    wordpress.rest("DELETE", f"/wp/v2/comments/{rude}", params={"force": "true"})
    result = desk.sites.pull("gazette")
    assert result.updated == 1
    with desk.db.uow() as uow:
        c = uow.comments.get(local)
        assert c is not None and c.status == "trash"
        assert uow.sites.local_link("comment", local) is None

    # The one not carried, deleted there in turn, is no longer counted.
    wordpress.rest("DELETE", f"/wp/v2/comments/{on_photo}", params={"force": "true"})
    assert desk.sites.pull("gazette").updated == 0
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        assert on_photo not in uow.sites.remote_ids(site.id, "skipped-comment")


def test_a_post_deleted_from_the_sites_trash_can_be_published_again(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    post = seed.post("Ferry timetable")
    desk.sites.pull("gazette")
    article_id = _local(desk, "article", post)
    wordpress.rest("DELETE", f"/wp/v2/posts/{post}")  # to the site's trash
    desk.sites.pull("gazette")
    wordpress.rest("DELETE", f"/wp/v2/posts/{post}", params={"force": "true"})  # emptied
    assert desk.sites.pull("gazette").messages == ()
    with desk.db.uow() as uow:
        assert uow.sites.local_link("article", article_id) is None
        a = uow.articles.get(article_id)
        assert a is not None and a.deleted_at is not None  # in our Trash still

    desk.services.articles.restore(article_id, actor="desk")
    sent = desk.sites.publish("gazette", article_id, "publish")
    assert sent.remote_id != post
    assert _local(desk, "article", sent.remote_id) == article_id


def test_an_article_restored_here_hears_its_post_left_the_sites_trash(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    post = seed.post("Quay lights")
    desk.sites.pull("gazette")
    article_id = _local(desk, "article", post)
    wordpress.rest("DELETE", f"/wp/v2/posts/{post}")
    desk.sites.pull("gazette")
    desk.services.articles.restore(article_id, actor="desk")
    wordpress.rest("DELETE", f"/wp/v2/posts/{post}", params={"force": "true"})
    result = desk.sites.pull("gazette")
    assert any("was deleted from the site's trash" in m for m in result.messages)
    with desk.db.uow() as uow:
        assert uow.sites.local_link("article", article_id) is None


def test_a_store_from_before_skipped_comments_were_noted_notes_them_once(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    """A store whose pulls did not note the comments they did not carry (an older Copydesk)
    counts fewer comments than the site has: the next pull notes them, and the pulls after
    it count, rather than read every comment id back each time."""
    post = seed.post("Quay repairs")
    seed.comment(post, "When will it reopen?", status="approved")
    photo = seed.media("The quay", "The quay at low tide")
    seed.comment(photo["id"], "Lovely light", status="approved")
    desk.sites.pull("gazette")
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        site_id = site.id
        noted = uow.sites.remote_ids(site_id, "skipped-comment")
        assert noted
        for link in uow.sites.links(site_id, "skipped-comment", noted).values():
            uow.sites.remove_link(link)  # as an older Copydesk left the store
        uow.commit()

    assert desk.sites.pull("gazette").updated == 0
    with desk.db.uow() as uow:
        assert uow.sites.remote_ids(site_id, "skipped-comment") == noted
    with WordPressClient(wordpress.url, ADMIN, wordpress.app_password) as client:
        assert not find_gone(client, desk.db.uow, site_id, lambda: None)
        assert client.counter.by_route.get("/wp/v2/comments") == 1  # the count only
