"""Publishing an article that has no post yet: one publish holds it (a second is refused at
once), a publish that crashed after the site made the post has that post adopted by the next
one, a post deleted on the site is made anew, and an article in the Trash is refused."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from editor_app.domain.errors import InvalidInput, NotFound
from editor_app.remote.wordpress import RemoteMedia, RemotePost, WordPressClient
from editor_app.services.site_publish import PublishResult
from editor_app.services.sites import SiteService
from editor_app.store.models import Site
from editor_app.store.sites import PUBLISHING
from tests.wordpress.conftest import Desk
from tests.wordpress.helpers import (
    assert_comment_under,
    assert_not_skipped,
    down_while,
    fails_after_the_post,
    ready_article,
    with_client,
)
from tests.wordpress.test_publish_merge import _article
from tests.wordpress.wpsite import Seeder, WordPressSite


class _Crash(BaseException):
    """The process died (nothing after it runs, as far as the store is concerned)."""


def _slug(desk: Desk, article_id: int) -> str:
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id)
        assert a is not None
        return a.slug


def _posts_of(wordpress: WordPressSite, slug: str) -> list[int]:
    """The site's posts (any status but the trash) of an article's slug, "-2" and so on."""
    got = wordpress.rest(
        "GET",
        "/wp/v2/posts",
        params={
            "context": "edit",
            "search": "The bridge closes",
            "status": "publish,future,draft,pending,private",
            "per_page": 100,
        },
    )
    return sorted(int(p["id"]) for p in got if str(p["slug"]).startswith(slug))


def _claim(desk: Desk, article_id: int, *, holder: str, at: datetime) -> None:
    """The article's link as a publish leaves it between its claim and its link write."""
    with desk.db.uow() as uow:
        link = uow.sites.local_link("article", article_id)
        assert link is not None
        link.remote_id = -article_id
        link.remote_state = PUBLISHING
        link.remote_hash = holder
        link.remote_modified = at.isoformat()
        uow.commit()


def test_two_publishes_of_a_new_article_make_one_post(
    desk_on: Desk, wordpress: WordPressSite
) -> None:
    desk = desk_on
    article_id = _article(desk)
    results: list[PublishResult | Exception] = []
    barrier = threading.Barrier(2)

    def go() -> None:
        barrier.wait()
        try:
            results.append(desk.sites.publish("gazette", article_id, "publish"))
        except Exception as exc:  # the second one's refusal, kept to be checked
            results.append(exc)

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    sent = [r for r in results if isinstance(r, PublishResult)]
    refused = [r for r in results if not isinstance(r, PublishResult)]
    assert sent, results
    for exc in refused:
        assert isinstance(exc, InvalidInput), exc
        assert "is being published to gazette already" in str(exc)
        assert "\n" not in str(exc)
    assert {r.remote_id for r in sent} == {sent[0].remote_id}
    assert _posts_of(wordpress, _slug(desk, article_id)) == [sent[0].remote_id]
    # The link is the post's, with its hash: the next publish is no conflict.
    again = desk.sites.publish("gazette", article_id, "publish")
    assert again.remote_id == sent[0].remote_id
    desk.sites.pull("gazette")
    slug = _slug(desk, article_id)
    with desk.db.uow() as uow:
        ours = [a.id for a in uow.articles.page(limit=1000) if a.slug.startswith(slug)]
    assert ours == [article_id]  # the pull found no second post of it to import


def test_a_publish_under_way_refuses_another_at_once(desk: Desk, wordpress: WordPressSite) -> None:
    article_id = _article(desk)
    first = desk.sites.publish("gazette", article_id, "draft")
    _claim(desk, article_id, holder="another-publish", at=datetime.now(UTC))
    with pytest.raises(InvalidInput, match="is being published to gazette already"):
        desk.sites.publish("gazette", article_id, "publish")
    with desk.db.uow() as uow:
        link = uow.sites.local_link("article", article_id)
        assert link is not None and link.remote_hash == "another-publish"
    with pytest.raises(NotFound):
        desk.sites.take_theirs("gazette", article_id)
    assert _posts_of(wordpress, _slug(desk, article_id)) == [first.remote_id]


def test_a_publish_that_crashed_after_the_site_made_the_post_is_adopted(
    desk_on: Desk, wordpress: WordPressSite
) -> None:
    desk = desk_on
    article_id = _article(desk, figures=1)  # its words hold the figure's markup
    made: list[int] = []
    crashing = with_client(desk, fails_after_the_post(made, _Crash))
    with pytest.raises(_Crash):
        crashing.publish("gazette", article_id, "publish")
    # As a crash leaves it: the claim still held, long ago.
    _claim(desk, article_id, holder="crashed", at=datetime.now(UTC) - timedelta(hours=1))

    again = desk.sites.publish("gazette", article_id, "publish")
    assert [again.remote_id] == made
    assert any("interrupted" in m for m in again.messages)
    assert _posts_of(wordpress, _slug(desk, article_id)) == made
    with desk.db.uow() as uow:
        link = uow.sites.local_link("article", article_id)
        assert link is not None and [link.remote_id] == made
    assert [desk.sites.publish("gazette", article_id, "publish").remote_id] == made


def test_a_failed_publish_leaves_the_article_free_to_publish(desk: Desk) -> None:
    article_id = _article(desk)
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        url = site.url
        site.url = "http://127.0.0.1:9"  # nothing answers there
        uow.commit()
    desk.sites.credentials.set("http://127.0.0.1:9", "editor", "x")
    with pytest.raises(Exception, match="does not answer"):
        desk.sites.publish("gazette", article_id, "publish")
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        site.url = url
        uow.commit()
    sent = desk.sites.publish("gazette", article_id, "publish")
    assert sent.remote_id > 0 and not sent.messages


def test_a_failed_publish_to_one_site_leaves_the_article_free_for_another(desk: Desk) -> None:
    article_id = _article(desk)
    with desk.db.uow() as uow:
        uow.sites.add(Site(name="down", url="http://127.0.0.1:9", user="editor"))
        uow.commit()
    desk.sites.credentials.set("http://127.0.0.1:9", "editor", "x")
    with pytest.raises(Exception, match="does not answer"):
        desk.sites.publish("down", article_id, "publish")
    sent = desk.sites.publish("gazette", article_id, "publish")
    assert sent.remote_id > 0
    with desk.db.uow() as uow:
        link = uow.sites.local_link("article", article_id)
        gazette = uow.sites.by_name("gazette")
        assert link is not None and gazette is not None
        assert (link.site_id, link.remote_id) == (gazette.id, sent.remote_id)
    with pytest.raises(InvalidInput, match="belongs to another site"):
        desk.sites.publish("down", article_id, "publish")


def test_a_post_deleted_on_the_site_is_made_anew(desk: Desk, wordpress: WordPressSite) -> None:
    article_id = _article(desk)
    first = desk.sites.publish("gazette", article_id, "publish")
    wordpress.rest("DELETE", f"/wp/v2/posts/{first.remote_id}", params={"force": "true"})

    with pytest.raises(NotFound, match="deleted on gazette"):
        desk.sites.take_theirs("gazette", article_id)
    again = desk.sites.publish("gazette", article_id, "publish", force=True)
    assert again.remote_id != first.remote_id
    assert any(f"post {first.remote_id} was deleted on gazette" in m for m in again.messages)
    with desk.db.uow() as uow:
        link = uow.sites.local_link("article", article_id)
        assert link is not None and link.remote_id == again.remote_id
    assert _posts_of(wordpress, _slug(desk, article_id)) == [again.remote_id]
    assert desk.sites.publish("gazette", article_id, "publish").remote_id == again.remote_id


def test_an_article_in_the_trash_is_not_published(desk: Desk, wordpress: WordPressSite) -> None:
    article_id = _article(desk)
    desk.services.articles.delete(article_id, actor="desk")
    with pytest.raises(InvalidInput, match=r"is in the Trash; restore it first"):
        desk.sites.publish("gazette", article_id, "publish")
    with desk.db.uow() as uow:
        assert uow.sites.local_link("article", article_id) is None
    assert _posts_of(wordpress, _slug(desk, article_id)) == []


def test_a_link_made_meanwhile_to_another_post_is_kept_and_the_duplicate_reported(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    article_id = _article(desk)
    theirs = seed.post("The bridge closes for repairs (another workstation's)")

    def meanwhile() -> None:
        # Another workstation's publish of the same article finished first (its claim
        # had gone stale), linking the article to its post.
        with desk.db.uow() as uow:
            link = uow.sites.local_link("article", article_id)
            assert link is not None
            link.remote_id, link.remote_state, link.remote_hash = theirs, "v1", ""
            uow.commit()

    class Meanwhile(WordPressClient):
        def save_post(
            self, fields: Mapping[str, Any], post_id: int | None = None, kind: str = "posts"
        ) -> RemotePost:
            post = super().save_post(fields, post_id, kind)
            meanwhile()
            return post

    sites = SiteService(desk.services.uow, desk.services.imports, desk.sites.credentials, Meanwhile)
    with pytest.raises(InvalidInput, match=r"as post \d+, and this publish made post \d+"):
        sites.publish("gazette", article_id, "draft")
    with desk.db.uow() as uow:
        link = uow.sites.local_link("article", article_id)
        assert link is not None and link.remote_id == theirs


def test_a_pull_while_a_new_article_is_published_does_not_import_its_post(
    desk: Desk, wordpress: WordPressSite
) -> None:
    """The site made the post and the publish has not linked it yet: a pull then sees a post
    it does not know. It is the article being published (its claim), not a new article."""
    article_id = _article(desk)
    pulled: list[int] = []

    class PullMeanwhile(WordPressClient):
        def save_post(
            self, fields: Mapping[str, Any], post_id: int | None = None, kind: str = "posts"
        ) -> RemotePost:
            post = super().save_post(fields, post_id, kind)
            if post_id is None:
                pulled.append(desk.sites.pull("gazette").articles)
            return post

    sites = SiteService(
        desk.services.uow, desk.services.imports, desk.sites.credentials, PullMeanwhile
    )
    sent = sites.publish("gazette", article_id, "publish")  # no duplicate reported
    slug = _slug(desk, article_id)
    with desk.db.uow() as uow:
        ours = [a.id for a in uow.articles.page(limit=1000) if a.slug.startswith(slug)]
        link = uow.sites.local_link("article", article_id)
        assert link is not None and link.remote_id == sent.remote_id
    assert ours == [article_id]
    assert desk.sites.pull("gazette").articles == 0
    assert desk.sites.publish("gazette", article_id, "publish").remote_id == sent.remote_id
    assert _posts_of(wordpress, slug) == [sent.remote_id]


def test_taking_over_a_crashed_publish_reuses_the_figures_it_uploaded(
    desk: Desk, wordpress: WordPressSite
) -> None:
    article_id = _article(desk, figures=2)
    uploads: list[int] = []
    crash = [True]

    class Recording(WordPressClient):
        def upload_media(self, filename: str, data: bytes, mime: str) -> RemoteMedia:
            media = super().upload_media(filename, data, mime)
            uploads.append(media.id)
            return media

        def save_post(
            self, fields: Mapping[str, Any], post_id: int | None = None, kind: str = "posts"
        ) -> RemotePost:
            if crash[0]:
                raise _Crash  # after the figures went up, before the post was made
            return super().save_post(fields, post_id, kind)

    sites = SiteService(desk.services.uow, desk.services.imports, desk.sites.credentials, Recording)
    with pytest.raises(_Crash):
        sites.publish("gazette", article_id, "publish")
    assert len(uploads) == 2
    first = list(uploads)
    # As a crash leaves it: the claim still held, long ago.
    _claim(desk, article_id, holder="crashed", at=datetime.now(UTC) - timedelta(hours=1))
    crash[0] = False
    sent = sites.publish("gazette", article_id, "publish")
    assert uploads == first  # nothing uploaded twice
    got = wordpress.rest("GET", f"/wp/v2/posts/{sent.remote_id}", params={"context": "edit"})
    assert got["featured_media"] == first[0]
    for media_id in first:
        media = wordpress.rest("GET", f"/wp/v2/media/{media_id}", params={"context": "edit"})
        assert media["source_url"] in got["content"]["raw"]
    # The next update uses them too.
    assert sites.publish("gazette", article_id, "publish").remote_id == sent.remote_id
    assert uploads == first
    # A figure's image deleted on the site is uploaded anew rather than failing the publish.
    wordpress.rest("DELETE", f"/wp/v2/media/{first[1]}", params={"force": "true"})
    assert sites.publish("gazette", article_id, "publish").remote_id == sent.remote_id
    assert len(uploads) == 3


def _failed_publish_with_a_comment(desk: Desk, seed: Seeder) -> tuple[int, int, int]:
    """After a pull of what the site had before, a publish failed after the site made the
    post (its claim left for the next one), and a reader commented on that post.
    (article id, post id, comment id)"""
    desk.sites.pull("gazette")  # what the site had before
    article_id = _article(desk)
    made: list[int] = []
    sites = with_client(
        desk, fails_after_the_post(made, lambda: RuntimeError("the answer was lost"))
    )
    with pytest.raises(RuntimeError):
        sites.publish("gazette", article_id, "publish")
    (post,) = made
    remark = seed.comment(post, "Will the buses be free?", status="approved")
    return article_id, post, remark


def test_comments_on_the_post_of_a_failed_publish_come_in_once_it_is_adopted(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    """A publish failed after the site made the post (its claim left for the next one).
    Pulls leave that post to the publish, and its comments wait for it: not noted as
    skipped and lost, but pulled once the next publish has adopted the post."""
    article_id, post, remark = _failed_publish_with_a_comment(desk, seed)
    pulled = desk.sites.pull("gazette")
    assert pulled.articles == 0 and pulled.comments == 0
    assert_not_skipped(desk, remark)

    again = desk.sites.publish("gazette", article_id, "publish")
    assert again.remote_id == post and any("interrupted" in m for m in again.messages)
    assert desk.sites.pull("gazette").comments == 1
    assert_comment_under(desk, remark, article_id)


def test_a_comment_on_a_failed_publishs_post_is_kept_after_the_posts_mark_moved_on(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    """A publish failed after the site made the post; a reader comments on it; pulls go on
    while the site changes (the posts mark moves past that post). The comment still waits
    for the post (not noted as skipped) and comes in once the next publish adopts it."""
    article_id, post, remark = _failed_publish_with_a_comment(desk, seed)
    assert desk.sites.pull("gazette").comments == 0
    time.sleep(2.5)  # the site's modified times count whole seconds
    seed.post("Something else entirely")  # the posts mark moves past the publish's post
    for _ in range(2):
        pulled = desk.sites.pull("gazette")
        assert pulled.comments == 0 and pulled.skipped == 0
    assert_not_skipped(desk, remark)

    again = desk.sites.publish("gazette", article_id, "publish")
    assert again.remote_id == post
    assert desk.sites.pull("gazette").comments == 1
    assert_comment_under(desk, remark, article_id)


def test_a_site_editors_post_with_the_title_of_a_failed_publish_is_theirs(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    """A publish failed before the site made the post. A site editor then writes a post of
    their own with the same title (and so the same slug): a pull takes it in as theirs, with
    its comment, and the next publish makes our post rather than overwriting theirs."""
    desk.sites.pull("gazette")
    h = uuid.uuid4().hex[:6]
    title = f"Budget vote {h}"
    article_id = ready_article(
        desk, title=title, body_html="<p>Ours.</p>", slug=f"budget-vote-{h}", source_key=f"test:{h}"
    )
    down = [True]
    sites = with_client(desk, down_while(down))
    with pytest.raises(RuntimeError):
        sites.publish("gazette", article_id, "publish")
    theirs = seed.post(title, "<p>The site editor's own piece.</p>")
    remark = seed.comment(theirs, "A reader on the editor's piece.")
    pulled = desk.sites.pull("gazette")
    assert pulled.articles == 1 and pulled.comments == 1
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        linked = uow.sites.links(site.id, "article", [theirs])
        assert theirs in linked and linked[theirs].local_id != article_id
        assert remark in uow.sites.links(site.id, "comment", [remark])

    down[0] = False
    ours = sites.publish("gazette", article_id, "publish")
    assert ours.remote_id != theirs
    got = wordpress.rest("GET", f"/wp/v2/posts/{theirs}", params={"context": "edit"})
    assert got["content"]["raw"] == "<p>The site editor's own piece.</p>"


def test_a_crashed_publish_does_not_adopt_a_post_it_did_not_send(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    """A publish crashed before the site made the post (its claim left). A post of the same
    title and slug that someone else wrote meanwhile is not adopted and overwritten."""
    h = uuid.uuid4().hex[:6]
    title = f"Council meets {h}"
    article_id = ready_article(
        desk,
        title=title,
        body_html="<p>Ours.</p>",
        slug=f"council-meets-{h}",
        source_key=f"test:{h}",
    )
    crash = [True]
    sites = with_client(desk, down_while(crash, _Crash))
    with pytest.raises(_Crash):
        sites.publish("gazette", article_id, "publish")
    _claim(desk, article_id, holder="crashed", at=datetime.now(UTC) - timedelta(hours=1))
    theirs = seed.post(title, "<p>Someone else's piece.</p>", slug=f"council-meets-{h}")
    crash[0] = False
    ours = sites.publish("gazette", article_id, "publish")
    assert ours.remote_id != theirs
    assert not any("interrupted" in m for m in ours.messages)
    got = wordpress.rest("GET", f"/wp/v2/posts/{theirs}", params={"context": "edit"})
    assert got["content"]["raw"] == "<p>Someone else's piece.</p>"


def test_the_post_of_an_earlier_attempt_is_held_and_adopted_after_a_later_attempt(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    """The first publish made the post and failed; a second, long after, failed before the
    site made anything (its claim's time is its own). The first one's post is still this
    article's: a pull leaves it (and its comment) to the publish, and the third adopts it."""
    desk.sites.pull("gazette")
    article_id = _article(desk)
    made: list[int] = []
    mode = ["made, then lost"]

    class Flaky(WordPressClient):
        def save_post(
            self, fields: Mapping[str, Any], post_id: int | None = None, kind: str = "posts"
        ) -> RemotePost:
            if mode[0] == "down":
                raise RuntimeError("site down")
            post = super().save_post(fields, post_id, kind)
            if mode[0] == "made, then lost":
                made.append(post.id)
                raise RuntimeError("the answer was lost")
            return post

    sites = SiteService(desk.services.uow, desk.services.imports, desk.sites.credentials, Flaky)
    with pytest.raises(RuntimeError):
        sites.publish("gazette", article_id, "publish")
    (post,) = made
    remark = seed.comment(post, "Will the buses be free?", status="approved")
    mode[0] = "down"
    with pytest.raises(RuntimeError):
        sites.publish("gazette", article_id, "publish")
    with desk.db.uow() as uow:  # that second attempt was an hour after the first
        link = uow.sites.local_link("article", article_id)
        assert link is not None and link.remote_state == PUBLISHING
        link.remote_modified = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
        uow.commit()
    pulled = desk.sites.pull("gazette")
    assert (pulled.articles, pulled.comments, pulled.skipped) == (0, 0, 0)

    mode[0] = "up"
    again = sites.publish("gazette", article_id, "publish")
    assert again.remote_id == post and any("interrupted" in m for m in again.messages)
    assert desk.sites.pull("gazette").comments == 1
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        assert remark in uow.sites.links(site.id, "comment", [remark])
