"""Changes to site comments, queued in the same transaction as the change itself.

Moderation calls these just before it commits: the outbox row and the local change stick
together or not at all, so a crash never loses a decision nor sends one that was not made.
A comment that came from no site queues nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime

from editor_app.store.models import Comment, OutboxEntry
from editor_app.store.uow import UnitOfWork

# Our statuses as WordPress names them.
TO_WORDPRESS = {"approved": "approved", "pending": "hold", "spam": "spam", "trash": "trash"}
FROM_WORDPRESS = {"approved": "approved", "hold": "pending", "spam": "spam", "trash": "trash"}


def seen_now() -> str:
    """When we saw a comment's state on the site (kept on its link; a conflict quotes it)."""
    return datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.strip().encode()).hexdigest()[:40]


def unsent(
    site_id: int, op: str, local_id: int, payload: dict[str, object], *, actor: str
) -> OutboxEntry:
    """A comment change for the site, not sent yet."""
    return OutboxEntry(
        site_id=site_id,
        kind="comment",
        op=op,
        local_id=local_id,
        payload=payload,
        actor=actor,
        state="waiting",
        error="",
        attempts=0,
    )


def queue_statuses(uow: UnitOfWork, comments: Sequence[Comment], *, actor: str) -> int:
    links = uow.sites.local_links("comment", [c.id for c in comments])
    n = 0
    for c in comments:
        link = links.get(c.id)
        if link is None:
            continue
        status = TO_WORDPRESS.get(c.status, "hold")
        uow.sites.queue(unsent(link.site_id, "status", c.id, {"status": status}, actor=actor))
        n += 1
    return n


def queue_edit(uow: UnitOfWork, comment: Comment, *, actor: str) -> bool:
    link = uow.sites.local_link("comment", comment.id)
    if link is None:
        return False
    payload: dict[str, object] = {"content": comment.body}
    uow.sites.queue(unsent(link.site_id, "edit", comment.id, payload, actor=actor))
    return True


def queue_reply(uow: UnitOfWork, reply: Comment, parent_id: int, *, actor: str) -> bool:
    link = uow.sites.local_link("comment", parent_id)
    if link is None:
        return False
    payload: dict[str, object] = {"parent": parent_id, "content": reply.body}
    uow.sites.queue(unsent(link.site_id, "reply", reply.id, payload, actor=actor))
    return True
