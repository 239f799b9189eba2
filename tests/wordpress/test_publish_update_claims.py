"""Updating an article already on the site: one publish holds the update while it runs, so
two workstations never update the post at once (the second is refused at once, rather than
checking the site before the first's change is recorded and overwriting it); a hold left by
a publish that crashed is taken over once stale, and a failed update leaves none."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from editor_app.domain.errors import InvalidInput
from editor_app.remote.wordpress import RemotePost, WordPressClient
from editor_app.services.site_publish import PublishConflict
from editor_app.services.sites import SiteService
from editor_app.store.models import SiteLink
from editor_app.store.sites import PUBLISHING, UPDATING
from tests.wordpress.conftest import Desk
from tests.wordpress.test_publish_merge import _article
from tests.wordpress.wpsite import Seeder, WordPressSite


def _holds(desk: Desk) -> int:
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        return len(uow.sites.remote_ids(site.id, UPDATING))


def _retitle(desk: Desk, article_id: int, title: str) -> None:
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id)
        assert a is not None
        a.title = title
        a.version += 1
        uow.commit()


def _hold(desk: Desk, article_id: int, holder: str) -> None:
    """Another workstation's publish is updating the article's post (its hold, just now)."""
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        uow.sites.add_link(
            SiteLink(
                site_id=site.id,
                kind=UPDATING,
                local_id=article_id,
                remote_id=article_id,
                remote_modified=datetime.now(UTC).isoformat(),
                remote_state=PUBLISHING,
                remote_hash=holder,
                link="",
            )
        )
        uow.commit()


def test_two_updates_of_one_post_at_once_one_is_refused(
    desk_on: Desk, wordpress: WordPressSite
) -> None:
    desk = desk_on
    article_id = _article(desk)
    post_id = desk.sites.publish("gazette", article_id, "publish").remote_id
    _retitle(desk, article_id, "The bridge closes for longer")
    done: list[Any] = []

    def first() -> None:
        try:
            done.append(desk.sites.publish("gazette", article_id, "publish"))
        except Exception as exc:  # shown by the assertion
            done.append(exc)

    with wordpress.slow("POST", f"/wp/v2/posts/{post_id}", 3.0):
        thread = threading.Thread(target=first)
        thread.start()
        time.sleep(1.0)  # the first holds the update and waits on the site
        with pytest.raises(InvalidInput, match="being published to gazette already"):
            desk.sites.publish("gazette", article_id, "publish")
        thread.join()
    (result,) = done
    assert not isinstance(result, Exception), result
    assert result.remote_id == post_id
    assert _holds(desk) == 0
    # Recorded: the next publish goes on top of the first's change, with no conflict.
    assert desk.sites.publish("gazette", article_id, "publish").remote_id == post_id
    got = wordpress.rest("GET", f"/wp/v2/posts/{post_id}", params={"context": "edit"})
    assert got["title"]["raw"] == "The bridge closes for longer"


def test_a_hold_left_by_a_crashed_update_is_taken_over_once_stale(
    desk_on: Desk, wordpress: WordPressSite
) -> None:
    desk = desk_on
    article_id = _article(desk)
    post_id = desk.sites.publish("gazette", article_id, "publish").remote_id
    _hold(desk, article_id, "another-workstation")
    with pytest.raises(InvalidInput, match="being published"):
        desk.sites.publish("gazette", article_id, "publish")
    with desk.db.uow() as uow:
        (held,) = uow.sites.local_links(UPDATING, [article_id]).values()
        held.remote_modified = (datetime.now(UTC) - timedelta(minutes=11)).isoformat()
        uow.commit()
    assert desk.sites.publish("gazette", article_id, "publish").remote_id == post_id
    assert _holds(desk) == 0


def test_an_update_that_fails_holds_nothing(desk_on: Desk, wordpress: WordPressSite) -> None:
    desk = desk_on
    article_id = _article(desk)
    post_id = desk.sites.publish("gazette", article_id, "publish").remote_id
    wordpress.rest("POST", f"/wp/v2/posts/{post_id}", json={"title": "Changed there"})
    with pytest.raises(PublishConflict):
        desk.sites.publish("gazette", article_id, "publish")
    assert _holds(desk) == 0
    assert desk.sites.publish("gazette", article_id, "publish", force=True).remote_id == post_id
    assert _holds(desk) == 0


def test_settling_a_conflict_waits_for_an_update_under_way(
    desk: Desk, wordpress: WordPressSite
) -> None:
    """Take theirs and a merge are refused while a publish holds the update (what each
    records would undo the other's), as a second publish is; once it is done they work."""
    article_id = _article(desk)
    post_id = desk.sites.publish("gazette", article_id, "publish").remote_id
    wordpress.rest("POST", f"/wp/v2/posts/{post_id}", json={"title": "Shut on the site"})
    _retitle(desk, article_id, "Ours, edited here")
    theirs = desk.sites.site_version("gazette", article_id)
    with desk.db.uow() as uow:
        link = uow.sites.local_link("article", article_id)
        assert link is not None
        seen = (link.remote_modified, link.remote_hash)
    _hold(desk, article_id, "another-workstation")

    with pytest.raises(InvalidInput, match="being published to gazette already"):
        desk.sites.take_theirs("gazette", article_id)
    with pytest.raises(InvalidInput, match="being published to gazette already"):
        desk.sites.merged(theirs)
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id)
        link = uow.sites.local_link("article", article_id)
        assert a is not None and link is not None
        assert a.title == "Ours, edited here"  # not overwritten
        assert (link.remote_modified, link.remote_hash) == seen
        (held,) = uow.sites.local_links(UPDATING, [article_id]).values()
        assert held.remote_hash == "another-workstation"  # theirs, untouched
        uow.sites.remove_link(held)  # that publish is done
        uow.commit()

    desk.sites.take_theirs("gazette", article_id)
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id)
        assert a is not None and a.title == "Shut on the site"
    assert _holds(desk) == 0
    desk.sites.merged(desk.sites.site_version("gazette", article_id))
    assert _holds(desk) == 0
    assert desk.sites.publish("gazette", article_id, "publish").remote_id == post_id


def test_take_theirs_refuses_when_a_publish_linked_another_post_before_its_hold(
    desk: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    """Take theirs reads which post the article is on, then holds it. A publish that
    finished in between (its post was deleted there: it made a new one) linked the article
    to another post: the post read first is not written over the article, nor its times
    over the new link; take theirs is refused, to be tried again."""
    article_id = _article(desk)
    first = desk.sites.publish("gazette", article_id, "publish").remote_id
    wordpress.rest("POST", f"/wp/v2/posts/{first}", json={"title": "Shut on the site"})
    _retitle(desk, article_id, "Ours, edited here")
    second = seed.post("Ours, edited here", "<p>Made by the publish meanwhile.</p>")

    class PublishedMeanwhile(WordPressClient):
        def post(self, post_id: int, kind: str = "posts") -> RemotePost:
            with desk.db.uow() as uow:  # as that publish recorded it, before our hold
                link = uow.sites.local_link("article", article_id)
                assert link is not None
                link.remote_id, link.remote_modified, link.remote_hash = second, "new", "new"
                uow.commit()
            return super().post(post_id, kind)

    sites = SiteService(
        desk.services.uow, desk.services.imports, desk.sites.credentials, PublishedMeanwhile
    )
    with pytest.raises(InvalidInput, match="try again"):
        sites.take_theirs("gazette", article_id)
    with desk.db.uow() as uow:
        a = uow.articles.get(article_id)
        link = uow.sites.local_link("article", article_id)
        assert a is not None and a.title == "Ours, edited here"
        assert link is not None
        assert (link.remote_id, link.remote_modified, link.remote_hash) == (second, "new", "new")
    assert _holds(desk) == 0
