"""A slow site never holds the store: while a send or a publish waits on WordPress, no
transaction is open, so on SQLite the editor's saves (another connection, as another window
or workstation) go through at once instead of waiting on the write lock, and failing with
"database is locked" once the site is slower than SQLite's busy timeout.

The site is made slow for real: its PHP router sleeps before WordPress answers the request."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from editor_app.services.container import Services
from editor_app.services.editing import ArticleDraft
from editor_app.store.database import Database
from tests.wordpress.conftest import Desk
from tests.wordpress.test_moderation_push import _local, _remote
from tests.wordpress.wpsite import Seeder, WordPressSite

SLOW = 4.0  # seconds the site takes to answer the write
PROMPT = 1.5  # an editor's save while the site is slow takes less (it waited SLOW before)


@pytest.fixture
def other(desk: Desk) -> Iterator[Services]:
    """The same store through a connection of its own (another window, another process)."""
    db = Database(desk.url)
    try:
        yield Services.build(db.uow)
    finally:
        db.dispose()


def _in_flight(work: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    done: list[Any] = []

    def run() -> None:
        try:
            done.append(work())
        except Exception as exc:  # shown by the assertion
            done.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, done


def _save_takes(services: Services, title: str) -> float:
    start = time.monotonic()
    services.editor.save(
        ArticleDraft(article_id=None, draft_key=f"lock-{title}", title=title, body_html="<p>x</p>"),
        actor="writer",
    )
    return time.monotonic() - start


def _until_the_slow_request(started: float) -> None:
    """A second after the work began: its claim and the quick requests before the slow one
    are done, and the slow one is in WordPress's hands (it takes SLOW)."""
    time.sleep(max(0.0, started + 1.0 - time.monotonic()))


def _save_while_slow(
    wordpress: WordPressSite,
    method: str,
    path: str,
    work: Callable[[], Any],
    other: Services,
    title: str,
) -> tuple[float, list[Any], float]:
    """Runs `work` while the site takes SLOW to answer `method` on `path`, and saves an
    article through `other` once the slow request is under way. (the save's seconds, what
    the work returned or raised, when it began)"""
    with wordpress.slow(method, path, SLOW):
        started = time.monotonic()
        thread, done = _in_flight(work)
        _until_the_slow_request(started)
        took = _save_takes(other, title)
        thread.join()
    return took, done, started


def test_a_save_goes_through_while_a_send_waits_on_a_slow_site(
    desk: Desk, seed: Seeder, wordpress: WordPressSite, other: Services
) -> None:
    post = seed.post("Tolls on the new bridge")
    held = seed.comment(post, "Who pays for the bridge?", status="hold")
    desk.sites.pull("gazette")
    desk.services.moderation.act([_local(desk, held)], "approve", actor="desk")
    took, done, started = _save_while_slow(
        wordpress,
        "POST",
        "/wp/v2/comments/",
        lambda: desk.sites.push("gazette"),
        other,
        "Bridge tolls explained",
    )
    assert took < PROMPT, f"the save waited {took:.1f} s on the send's write lock"
    (result,) = done
    assert not isinstance(result, Exception), result
    assert result.sent == 1 and result.failed == 0, result.messages
    assert time.monotonic() - started >= SLOW  # the site really was slow
    assert _remote(wordpress, held)["status"] == "approved"
    assert desk.sites.status("gazette").outbox.get("sent") == 1


def test_a_save_goes_through_while_a_publish_waits_on_a_slow_site(
    desk: Desk, wordpress: WordPressSite, other: Services
) -> None:
    article_id = desk.services.editor.save(
        ArticleDraft(
            article_id=None, draft_key="lock-pub", title="Ferry timetable", body_html="<p>y</p>"
        ),
        actor="writer",
    ).draft.article_id
    assert article_id is not None
    took, done, started = _save_while_slow(
        wordpress,
        "POST",
        "/wp/v2/posts",
        lambda: desk.sites.publish("gazette", article_id, "publish"),
        other,
        "Ferry timetable, the sequel",
    )
    assert took < PROMPT, f"the save waited {took:.1f} s on the publish's write lock"
    (result,) = done
    assert not isinstance(result, Exception), result
    assert result.status == "publish"
    assert time.monotonic() - started >= SLOW


def test_a_save_goes_through_while_a_pull_waits_on_a_slow_site(
    desk: Desk, seed: Seeder, wordpress: WordPressSite, other: Services
) -> None:
    post = seed.post("Night buses return")
    seed.comment(post, "Which lines?", status="approved")
    took, done, _ = _save_while_slow(
        wordpress,
        "GET",
        "/wp/v2/comments",
        lambda: desk.sites.pull("gazette"),
        other,
        "Night buses, the lines",
    )
    assert took < PROMPT, f"the save waited {took:.1f} s on the pull's write lock"
    (result,) = done
    assert not isinstance(result, Exception), result
    assert result.comments >= 1  # the session's site holds earlier tests' posts too
