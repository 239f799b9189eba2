"""A failed or crashed publish's post is known by the mark of what it sent: never a site
editor's post with no words (an image or an embed alone), never overwritten once a site
editor changed its markup, known after the article was renamed, and an adopting update
that crashes leaves the mark of what it sent."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from editor_app.domain.errors import InvalidInput
from editor_app.remote.wordpress import RemotePost, RemoteUser, WordPressClient
from editor_app.services.site_publish import PublishConflict
from editor_app.services.sites import SiteService
from tests.wordpress.conftest import Desk
from tests.wordpress.helpers import down_while, fails_after_the_post, ready_article, with_client
from tests.wordpress.test_publish_claims import _claim, _Crash, _posts_of, _slug
from tests.wordpress.test_publish_merge import _article
from tests.wordpress.wpsite import Seeder, WordPressSite


def _crashing(desk: Desk, made: list[int]) -> SiteService:
    """Publishes that crash between the site's answer and the link."""
    return with_client(desk, fails_after_the_post(made, _Crash))


def _crashed_publish(desk: Desk, made: list[int], status: str = "publish") -> int:
    """A publish of a new article crashed after the site made the post (in `made`), its
    claim left as a crash leaves it, long ago. The article's id."""
    desk.sites.pull("gazette")
    article_id = _article(desk)
    with pytest.raises(_Crash):
        _crashing(desk, made).publish("gazette", article_id, status)
    _claim(desk, article_id, holder="crashed", at=datetime.now(UTC) - timedelta(hours=1))
    return article_id


def _linked_to(desk: Desk, post_id: int) -> int | None:
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        link = uow.sites.links(site.id, "article", [post_id]).get(post_id)
        return link.local_id if link else None


def test_a_site_editors_image_only_post_with_the_title_of_an_empty_article_is_theirs(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    """Our article has no words; its publish failed before the site made the post. A site
    editor's post of the same title holding an image alone (no words either) is theirs: a
    pull takes it in with its comment, and the next publish makes our own post."""
    desk.sites.pull("gazette")
    h = uuid.uuid4().hex[:6]
    title = f"Photos of the week {h}"
    article_id = ready_article(
        desk, title=title, body_html="", slug=f"photos-of-the-week-{h}", source_key=f"test:{h}"
    )
    down = [True]
    sites = with_client(desk, down_while(down))
    with pytest.raises(RuntimeError):
        sites.publish("gazette", article_id, "publish")
    theirs_html = (
        '<figure><img src="https://example.org/a.jpg" alt="The harbour at dawn"/></figure>'
    )
    theirs = seed.post(title, theirs_html, slug=f"photos-of-the-week-{h}")
    remark = seed.comment(theirs, "Lovely pictures.")
    pulled = desk.sites.pull("gazette")
    assert pulled.articles == 1 and pulled.comments == 1
    assert _linked_to(desk, theirs) not in (None, article_id)

    down[0] = False
    ours = sites.publish("gazette", article_id, "publish")
    assert ours.remote_id != theirs
    got = wordpress.rest("GET", f"/wp/v2/posts/{theirs}", params={"context": "edit"})
    assert got["content"]["raw"] == theirs_html
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        assert remark in uow.sites.links(site.id, "comment", [remark])


def test_a_crashed_publishs_post_a_site_editor_added_a_link_to_is_not_overwritten(
    desk_on: Desk, wordpress: WordPressSite
) -> None:
    """A publish crashed after the site made the post; a site editor then linked a phrase
    in it (the same words, other markup). The next publish reports the post changed on the
    site rather than overwriting it, and a pull still holds it (no duplicate article)."""
    desk = desk_on
    article_id, post_id, edited = _crash_then_link_a_phrase(desk, wordpress)

    with pytest.raises(PublishConflict) as caught:
        desk.sites.publish("gazette", article_id, "publish")
    assert caught.value.remote_id == post_id
    now = wordpress.rest("GET", f"/wp/v2/posts/{post_id}", params={"context": "edit"})
    assert now["content"]["raw"] == edited
    pulled = desk.sites.pull("gazette")
    assert pulled.articles == 0
    assert _linked_to(desk, post_id) == article_id  # the article's post, edited there
    assert _posts_of(wordpress, _slug(desk, article_id)) == [post_id]


def test_an_adopting_update_that_crashes_leaves_its_mark(
    desk_on: Desk, wordpress: WordPressSite
) -> None:
    """A publish crashed after the site made the post; the user corrects the article and
    publishes again: that publish adopts the post, updates it, and crashes too. The next
    publish still knows the post (now with the corrected words) for ours: one post."""
    desk = desk_on
    desk.sites.pull("gazette")
    article_id = _article(desk)
    made: list[int] = []
    crashing = _crashing(desk, made)
    with pytest.raises(_Crash):
        crashing.publish("gazette", article_id, "publish")
    _claim(desk, article_id, holder="crashed", at=datetime.now(UTC) - timedelta(hours=1))
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id)
        assert a is not None
        a.body_html = "<p>Works start on Tuesday.</p><p>Buses take the ring road.</p>"
        uow.commit()
    with pytest.raises(_Crash):
        crashing.publish("gazette", article_id, "publish")  # adopts, updates, crashes
    assert made == [made[0], made[0]]
    _claim(desk, article_id, holder="crashed", at=datetime.now(UTC) - timedelta(hours=1))
    assert desk.sites.pull("gazette").articles == 0
    again = desk.sites.publish("gazette", article_id, "publish")
    assert again.remote_id == made[0]
    assert _posts_of(wordpress, _slug(desk, article_id)) == [made[0]]


def test_a_crashed_publishs_post_is_known_after_the_article_is_renamed(
    desk_on: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    """A publish crashed after the site made the post; the article is renamed and
    re-slugged before the next try. A pull still holds the post (its comment waits), and
    the next publish adopts it under the new title rather than making a second."""
    desk = desk_on
    made: list[int] = []
    article_id = _crashed_publish(desk, made)
    remark = seed.comment(made[0], "A reader on the crashed publish's post.")
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id)
        assert a is not None
        a.title = "The bridge closes for three weeks"
        a.slug = f"bridge-weeks-{uuid.uuid4().hex[:6]}"
        uow.commit()
    pulled = desk.sites.pull("gazette")
    assert pulled.articles == 0
    assert _linked_to(desk, made[0]) is None
    again = desk.sites.publish("gazette", article_id, "publish")
    assert again.remote_id == made[0]
    got = wordpress.rest("GET", f"/wp/v2/posts/{made[0]}", params={"context": "edit"})
    assert got["title"]["raw"] == "The bridge closes for three weeks"
    desk.sites.pull("gazette")
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        comment = uow.sites.links(site.id, "comment", [remark]).get(remark)
        assert comment is not None


def _backdate_sends(desk: Desk, article_id: int, by: timedelta) -> None:
    """The claim's marks as if its publish had sent that long ago."""
    with desk.db.uow() as uow:
        link = uow.sites.local_link("article", article_id)
        assert link is not None
        items = [item.partition("@") for item in link.link.split()]
        link.link = " ".join(f"{mark}@{int(at) - int(by.total_seconds())}" for mark, _, at in items)
        uow.commit()


def _crash_then_link_a_phrase(desk: Desk, wordpress: WordPressSite) -> tuple[int, int, str]:
    """A publish crashed after the site made the post; a site editor linked a phrase in
    it. (article id, post id, the post's words as the site editor left them)"""
    made: list[int] = []
    article_id = _crashed_publish(desk, made)
    got = wordpress.rest("GET", f"/wp/v2/posts/{made[0]}", params={"context": "edit"})
    edited = got["content"]["raw"].replace(
        "the ring road", '<a href="https://example.org/map">the ring road</a>'
    )
    assert edited != got["content"]["raw"]
    wordpress.rest("POST", f"/wp/v2/posts/{made[0]}", json={"content": edited})
    return article_id, made[0], edited


def test_take_theirs_settles_the_conflict_over_a_crashed_publishs_edited_post(
    desk_on: Desk, wordpress: WordPressSite
) -> None:
    """The conflict over a crashed publish's post a site editor changed is settled as any
    other: take theirs brings the site editor's version here, a pull takes the post for
    the article's (no duplicate, no longer held), and the next publish updates it."""
    desk = desk_on
    article_id, post_id, _ = _crash_then_link_a_phrase(desk, wordpress)
    with pytest.raises(PublishConflict) as caught:
        desk.sites.publish("gazette", article_id, "publish")
    assert caught.value.remote_id == post_id
    with pytest.raises(PublishConflict):  # asked again: the same conflict
        desk.sites.publish("gazette", article_id, "publish")

    desk.sites.take_theirs("gazette", article_id)
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id)
        assert a is not None
        assert 'href="https://example.org/map"' in a.body_html
    assert desk.sites.pull("gazette").articles == 0
    assert _linked_to(desk, post_id) == article_id
    again = desk.sites.publish("gazette", article_id, "publish")
    assert again.remote_id == post_id
    got = wordpress.rest("GET", f"/wp/v2/posts/{post_id}", params={"context": "edit"})
    assert "https://example.org/map" in got["content"]["raw"]
    assert _posts_of(wordpress, _slug(desk, article_id)) == [post_id]


def test_a_merge_settles_the_conflict_over_a_crashed_publishs_edited_post(
    desk: Desk, wordpress: WordPressSite
) -> None:
    """Merge: the site's version is shown (the site editor's link in it); once the merged
    article is saved, the next publish goes on top of it."""
    article_id, post_id, _ = _crash_then_link_a_phrase(desk, wordpress)
    with pytest.raises(PublishConflict):
        desk.sites.publish("gazette", article_id, "publish")
    theirs = desk.sites.site_version("gazette", article_id)
    assert theirs.remote_id == post_id
    assert 'href="https://example.org/map"' in theirs.body_html
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id)
        assert a is not None
        a.body_html = theirs.body_html.replace("Monday", "Tuesday")
        uow.commit()
    desk.sites.merged(theirs)
    sent = desk.sites.publish("gazette", article_id, "publish")
    assert sent.remote_id == post_id
    got = wordpress.rest("GET", f"/wp/v2/posts/{post_id}", params={"context": "edit"})
    assert "https://example.org/map" in got["content"]["raw"]
    assert "Tuesday" in got["content"]["raw"]
    assert _posts_of(wordpress, _slug(desk, article_id)) == [post_id]


def test_a_crashed_publishs_post_a_site_editor_published_is_not_taken_down(
    desk: Desk, wordpress: WordPressSite
) -> None:
    """A draft's publish crashed after the site made the post; later a site editor
    published it and wrote its excerpt (the words untouched). The next publish reports
    the conflict rather than making the live post a draft again."""
    made: list[int] = []
    article_id = _crashed_publish(desk, made, "draft")
    _backdate_sends(desk, article_id, timedelta(hours=1))  # the site editor came later
    wordpress.rest(
        "POST",
        f"/wp/v2/posts/{made[0]}",
        json={"excerpt": "A site editor's own excerpt.", "status": "publish"},
    )
    with pytest.raises(PublishConflict) as caught:
        desk.sites.publish("gazette", article_id, "draft")
    assert caught.value.remote_id == made[0]
    got = wordpress.rest("GET", f"/wp/v2/posts/{made[0]}", params={"context": "edit"})
    assert got["status"] == "publish"
    assert got["excerpt"]["raw"] == "A site editor's own excerpt."


def test_a_publish_of_an_article_without_words_taken_over_sends_nothing(
    desk: Desk, wordpress: WordPressSite
) -> None:
    """An article with no words (no mark to note): a publish whose claim another publish
    took over before it sent sends nothing, as one with words does."""
    desk.sites.pull("gazette")
    h = uuid.uuid4().hex[:6]
    article_id = ready_article(
        desk,
        title=f"Photos of the week {h}",
        body_html="",
        slug=f"photos-of-the-week-{h}",
        source_key=f"test:{h}",
    )
    saved: list[int] = []

    class TakenOver(WordPressClient):
        def users(self) -> Iterator[RemoteUser]:
            """Read just before the send: another publish takes the claim over."""
            _claim(desk, article_id, holder="another", at=datetime.now(UTC))
            return super().users()

        def save_post(
            self, fields: Mapping[str, Any], post_id: int | None = None, kind: str = "posts"
        ) -> RemotePost:
            post = super().save_post(fields, post_id, kind)
            saved.append(post.id)
            return post

    sites = SiteService(desk.services.uow, desk.services.imports, desk.sites.credentials, TakenOver)
    with pytest.raises(InvalidInput, match="taken over by another publish"):
        sites.publish("gazette", article_id, "publish")
    assert saved == []
