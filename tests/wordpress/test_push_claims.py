"""Two sends of one outbox at once (the window's timer and Send now, two workstations):
each change is claimed before it is sent, so none reaches the site twice; a claim left by a
send that crashed is taken up again later."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from editor_app.services.sites import PushResult
from editor_app.store.models import Author
from tests.wordpress.conftest import Desk
from tests.wordpress.test_moderation_push import _local
from tests.wordpress.wpsite import Seeder, WordPressSite


def _editor(desk: Desk) -> int:
    with desk.db.uow() as uow:
        uow.authors.add(Author(name="Desk Editor", name_key="desk editor", email="desk@x.org"))
        uow.commit()
        editor = uow.authors.by_email("desk@x.org")
        assert editor is not None
        return editor.id


def _replies(wordpress: WordPressSite, parent: int) -> list[str]:
    got = wordpress.rest(
        "GET", "/wp/v2/comments", params={"parent": parent, "status": "any", "context": "edit"}
    )
    return [str(r["content"]["raw"]) for r in got]


def test_two_sends_at_once_send_each_reply_once(
    desk_on: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    desk = desk_on
    post = seed.post("Ferry fares rise again")
    asked = [seed.comment(post, f"Question {i}?", status="approved") for i in range(6)]
    desk.sites.pull("gazette")
    editor = _editor(desk)
    for i, remote in enumerate(asked):
        desk.services.moderation.reply(
            _local(desk, remote), f"Answer {i}.", author_id=editor, actor="desk"
        )
    results: list[PushResult | Exception] = []
    barrier = threading.Barrier(2)

    def go() -> None:
        barrier.wait()
        try:
            results.append(desk.sites.push("gazette"))
        except Exception as exc:  # kept to be shown by the assertion
            results.append(exc)

    threads = [threading.Thread(target=go) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(r, PushResult) for r in results), results
    assert sum(r.sent for r in results if isinstance(r, PushResult)) == 6
    for i, remote in enumerate(asked):
        assert _replies(wordpress, remote) == [f"Answer {i}."]
    assert desk.sites.status("gazette").outbox.get("sent") == 6


def test_a_send_left_by_a_crash_is_taken_up_once_stale(
    desk_on: Desk, seed: Seeder, wordpress: WordPressSite
) -> None:
    desk = desk_on
    post = seed.post("Harbour master retires")
    asked = seed.comment(post, "Who replaces her?", status="approved")
    desk.sites.pull("gazette")
    desk.services.moderation.reply(
        _local(desk, asked), "The deputy, for now.", author_id=_editor(desk), actor="desk"
    )
    with desk.db.uow() as uow:
        site = uow.sites.by_name("gazette")
        assert site is not None
        (entry,) = uow.sites.outbox(site.id)
        entry_id = entry.id
        entry.state, entry.sent_at = "sending", datetime.now(UTC)  # another send has it
        uow.commit()
    assert desk.sites.push("gazette").sent == 0
    assert _replies(wordpress, asked) == []
    with desk.db.uow() as uow:
        entry = uow.sites.outbox_entry(entry_id)
        assert entry is not None
        entry.sent_at = datetime.now(UTC) - timedelta(hours=1)  # that send crashed
        uow.commit()
    assert desk.sites.push("gazette").sent == 1
    assert _replies(wordpress, asked) == ["The deputy, for now."]
    assert desk.sites.push("gazette").sent == 0
