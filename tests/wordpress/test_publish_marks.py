"""A failed or crashed publish's post is known by the mark of what it sent: never a site
editor's post with no words (an image or an embed alone), never overwritten once a site
editor changed its markup, known after the article was renamed, and an adopting update
that crashes leaves the mark of what it sent."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from editor_app.formats.bundle import ArticleData, Bundle
from editor_app.remote.wordpress import RemotePost, WordPressClient
from editor_app.services.site_publish import PublishConflict
from editor_app.services.sites import SiteService
from tests.wordpress.conftest import Desk
from tests.wordpress.test_publish_claims import _claim, _Crash, _posts_of, _slug
from tests.wordpress.test_publish_merge import _article
from tests.wordpress.wpsite import Seeder, WordPressSite


def _crashes_after(made: list[int]) -> type[WordPressClient]:
    class CrashesAfter(WordPressClient):
        def save_post(
            self, fields: Mapping[str, Any], post_id: int | None = None, kind: str = "posts"
        ) -> RemotePost:
            post = super().save_post(fields, post_id, kind)
            made.append(post.id)
            raise _Crash  # between the site's answer and the link

    return CrashesAfter


def _crashing(desk: Desk, made: list[int]) -> SiteService:
    return SiteService(
        desk.services.uow, desk.services.imports, desk.sites.credentials, _crashes_after(made)
    )


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
    (article_id,) = desk.services.imports.import_bundles(
        [
            Bundle(
                articles=(
                    ArticleData(
                        title=title,
                        body_html="",
                        slug=f"photos-of-the-week-{h}",
                        status="ready",
                        source_key=f"test:{h}",
                    ),
                )
            )
        ]
    ).article_ids
    down = [True]

    class Down(WordPressClient):
        def save_post(
            self, fields: Mapping[str, Any], post_id: int | None = None, kind: str = "posts"
        ) -> RemotePost:
            if down[0]:
                raise RuntimeError("site down")  # before the post was made
            return super().save_post(fields, post_id, kind)

    sites = SiteService(desk.services.uow, desk.services.imports, desk.sites.credentials, Down)
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
    desk.sites.pull("gazette")
    article_id = _article(desk)
    made: list[int] = []
    with pytest.raises(_Crash):
        _crashing(desk, made).publish("gazette", article_id, "publish")
    _claim(desk, article_id, holder="crashed", at=datetime.now(UTC) - timedelta(hours=1))
    got = wordpress.rest("GET", f"/wp/v2/posts/{made[0]}", params={"context": "edit"})
    edited = got["content"]["raw"].replace(
        "the ring road", '<a href="https://example.org/map">the ring road</a>'
    )
    assert edited != got["content"]["raw"]
    wordpress.rest("POST", f"/wp/v2/posts/{made[0]}", json={"content": edited})

    with pytest.raises(PublishConflict) as caught:
        desk.sites.publish("gazette", article_id, "publish")
    assert caught.value.remote_id == made[0]
    now = wordpress.rest("GET", f"/wp/v2/posts/{made[0]}", params={"context": "edit"})
    assert now["content"]["raw"] == edited
    pulled = desk.sites.pull("gazette")
    assert pulled.articles == 0
    assert _linked_to(desk, made[0]) is None
    assert _posts_of(wordpress, _slug(desk, article_id)) == made


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
    desk.sites.pull("gazette")
    article_id = _article(desk)
    made: list[int] = []
    with pytest.raises(_Crash):
        _crashing(desk, made).publish("gazette", article_id, "publish")
    _claim(desk, article_id, holder="crashed", at=datetime.now(UTC) - timedelta(hours=1))
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
