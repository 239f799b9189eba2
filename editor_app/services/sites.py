"""A connected WordPress site: add, pull, push the outbox, publish.

Remote things map to local ones by (site, kind, remote id) in `site_links`. Pulled articles
and comments go through the importer, so they are checked, cleaned and auto-moderated as an
import is, and a post also imported from the site's WXR export is the same article (the same
source key). Outgoing comment changes were queued by moderation in the same transaction as the
change; `push` drains them in order and checks the site's current state first, so a change
made there meanwhile is reported as a conflict, never overwritten.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from editor_app.domain.errors import InvalidInput, NotFound
from editor_app.formats.htmlbody import html_to_text
from editor_app.remote.credentials import Credentials
from editor_app.remote.wordpress import (
    PER_PAGE,
    RemoteComment,
    SiteError,
    SiteRefused,
    SiteUnreachable,
    WordPressClient,
    normalise_url,
)
from editor_app.services.importing import ImportService
from editor_app.services.outbox import FROM_WORDPRESS, content_hash, seen_now
from editor_app.services.site_deletions import DELETED_THERE
from editor_app.services.site_publish import (
    PublishConflict as PublishConflict,
)
from editor_app.services.site_publish import (
    PublishResult as PublishResult,
)
from editor_app.services.site_publish import (
    SitePublish,
    find_site,
)
from editor_app.services.site_publish import (
    SiteVersion as SiteVersion,
)
from editor_app.services.site_pull import PullResult, SitePull
from editor_app.store.models import ModerationAction, Site
from editor_app.store.sites import OPEN_STATES, SENDING, new_link
from editor_app.store.uow import UowFactory

Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]
ClientFactory = Callable[[str, str, str], WordPressClient]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")
# An entry still "sending" after this long was claimed by a push that crashed: sent again
# (each send checks the site's state first, and a reply already there is adopted).
SENDING_STALE = timedelta(minutes=10)


def _never() -> bool:
    return False


@dataclass(frozen=True)
class SiteInfo:
    id: int
    name: str
    url: str
    user: str
    last_pull_at: datetime | None
    last_error: str
    password_kept_in: str
    auto_send: bool = False
    pull_every_minutes: int = 0


@dataclass(frozen=True)
class SiteStatus:
    site: SiteInfo
    outbox: dict[str, int]


@dataclass(frozen=True)
class PushResult:
    sent: int
    failed: int
    conflicts: int
    waiting: int
    messages: tuple[str, ...] = ()


@dataclass(frozen=True)
class SiteState:
    """Where a local thing stands with its site (the queue and `show` read it)."""

    site: str
    remote_id: int | None
    state: str  # "" (on the site), waiting, sent, failed, conflict
    error: str = ""


def _info(site: Site, where: str) -> SiteInfo:
    return SiteInfo(
        site.id,
        site.name,
        site.url,
        site.user,
        site.last_pull_at,
        site.last_error,
        where,
        bool(site.auto_send),
        int(site.pull_every_minutes or 0),
    )


def _default_client(url: str, user: str, password: str) -> WordPressClient:
    return WordPressClient(url, user, password)


class SiteService:
    def __init__(
        self,
        uow: UowFactory,
        importer: ImportService,
        credentials: Credentials | None = None,
        client_factory: ClientFactory = _default_client,
    ):
        self._uow = uow
        self._importer = importer
        self.credentials = credentials or Credentials()
        self._client = client_factory
        self._publish = SitePublish(uow, importer, self._open_by_id, self._note_error)

    # -- sites ------------------------------------------------------------------------------

    def add(
        self, name: str, url: str, user: str, password: str, *, auto_send: bool = False
    ) -> SiteInfo:
        """Check the site takes the password, then keep the site (and the password apart).

        `auto_send`: the rules' verdicts on comments the site holds go to the site; off, they
        stay suggestions here and the site keeps the comments held until a moderator acts."""
        name = name.strip()
        if not _NAME.match(name):
            raise InvalidInput(f"a site name is letters, digits, '.', '_' or '-' (got {name!r})")
        url = normalise_url(url)
        if not user.strip():
            raise InvalidInput("give the WordPress user (--user)")
        if not password.strip():
            raise InvalidInput("give the application password (stdin or EDITOR_APP_SITE_PASSWORD)")
        with self._uow() as uow:
            if uow.sites.by_name(name) is not None:
                raise InvalidInput(f"there is already a site named {name!r}")
        with self._client(url, user.strip(), password.strip()) as client:
            client.check()
        self.credentials.set(url, user.strip(), password.strip())
        with self._uow() as uow:
            site = uow.sites.add(
                Site(
                    name=name,
                    url=url,
                    user=user.strip(),
                    last_error="",
                    posts_modified_after="",
                    last_comment_id=0,
                    auto_send=auto_send,
                    pull_every_minutes=0,
                )
            )
            uow.commit()
            return _info(site, self.credentials.where())

    def all(self, *, where: bool = True) -> tuple[SiteInfo, ...]:
        """The sites; `where=False` leaves `password_kept_in` empty and the keyring alone (its
        first look-up can take seconds: the window's timers and start-up ask so)."""
        with self._uow() as uow:
            kept_in = self.credentials.where() if where else ""
            return tuple(_info(s, kept_in) for s in uow.sites.all())

    def set_options(
        self,
        name: str,
        *,
        auto_send: bool | None = None,
        pull_every_minutes: int | None = None,
        where: bool = True,
    ) -> SiteInfo:
        """Change a site's settings (kept in the store, restored when the window starts)."""
        if pull_every_minutes is not None and not 0 <= pull_every_minutes <= 1440:
            raise InvalidInput("pull every 0 (never) to 1440 minutes")
        with self._uow() as uow:
            site = self._site(uow, name)
            if auto_send is not None:
                site.auto_send = auto_send
            if pull_every_minutes is not None:
                site.pull_every_minutes = pull_every_minutes
            uow.commit()
            return _info(site, self.credentials.where() if where else "")

    def remove(self, name: str) -> None:
        with self._uow() as uow:
            site = self._site(uow, name)
            url, user = site.url, site.user
            uow.sites.delete(site)
            uow.commit()
        self.credentials.delete(url, user)

    def status(self, name: str, *, where: bool = True) -> SiteStatus:
        with self._uow() as uow:
            site = self._site(uow, name)
            kept_in = self.credentials.where() if where else ""
            return SiteStatus(_info(site, kept_in), uow.sites.outbox_counts(site.id))

    def states(self, kind: str, local_ids: Sequence[int]) -> dict[int, SiteState]:
        """The site state of each local thing that has one (for the queue, `show`)."""
        with self._uow() as uow:
            links = uow.sites.local_links(kind, local_ids)
            entries = uow.sites.latest_entries(kind, local_ids)
            names = {s.id: s.name for s in uow.sites.all()}
            out: dict[int, SiteState] = {}
            for local_id in local_ids:
                link = links.get(local_id)
                entry = entries.get(local_id)
                if link is None and entry is None:
                    continue
                site_id = link.site_id if link else entry.site_id if entry else 0
                out[local_id] = SiteState(
                    site=names.get(site_id, ""),
                    remote_id=link.remote_id if link else None,
                    state=entry.state if entry else "",
                    error=entry.error if entry else "",
                )
            return out

    _site = staticmethod(find_site)

    def _open(self, site: Site) -> WordPressClient:
        password = self.credentials.get(site.url, site.user)
        if not password:
            raise InvalidInput(
                f"no application password kept for {site.user} at {site.url}; "
                f"remove the site and add it again"
            )
        return self._client(site.url, site.user, password)

    def _note_error(self, site_id: int, message: str) -> None:
        with self._uow() as uow:
            site = uow.sites.get(site_id)
            if site is not None:
                site.last_error = message
                uow.commit()

    # -- pull -------------------------------------------------------------------------------

    def pull(
        self,
        name: str,
        *,
        progress: Progress | None = None,
        cancelled: IsCancelled = _never,
    ) -> PullResult:
        """Posts, pages, their authors, terms, figures and comments since the last pull.

        Nothing is written until everything new was read; a failure or Cancel before then
        leaves the store as it was (the site's error is noted for `site status`). What is new
        is then written in one transaction. Last, what went from the site (deletions) is
        checked in a transaction of its own: a Cancel or a site error there keeps the pull
        and is said among the result's messages ("pulled; checking deletions failed: …").
        """
        with self._uow() as uow:
            site = self._site(uow, name)
            site_id, url = site.id, site.url
            after, last_comment = site.posts_modified_after, site.last_comment_id
            auto_send = bool(site.auto_send)
        try:
            with self._open_by_id(site_id) as client:
                result = SitePull(self._uow, self._importer).run(
                    client,
                    site_id,
                    url,
                    after,
                    last_comment,
                    progress,
                    cancelled,
                    auto_send=auto_send,
                )
        except SiteError as exc:
            self._note_error(site_id, str(exc))
            raise
        return result

    def _open_by_id(self, site_id: int) -> WordPressClient:
        with self._uow() as uow:
            site = uow.sites.get(site_id)
            if site is None:
                raise NotFound("the site was removed meanwhile")
            return self._open(site)

    def push(self, name: str) -> PushResult:
        """Send the outbox in order; stop at the first sign that the site is down.

        Each entry is claimed ("sending", committed) before it is sent, so two pushes at
        once (the window's timer and a Send now, two workstations) never send one twice.
        No transaction is open while the site is asked (a slow site never holds the store's
        write lock): what it answered is written after, if the claim is still ours."""
        with self._uow() as uow:
            site = self._site(uow, name)
            site_id = site.id
            entry_ids = [e.id for e in uow.sites.outbox(site_id, (*OPEN_STATES, SENDING))]
        sent = failed = conflicts = 0
        messages: list[str] = []
        blocked: set[int] = set()  # comments with a conflict: later changes wait for it
        with self._uow() as uow:
            blocked.update(e.local_id for e in uow.sites.outbox(site_id, states=("conflict",)))
        client = self._open_by_id(site_id)
        # The comments' state on the site, read a hundred at a time just before their turn
        # (one request, not one per change); a send updates it for later changes.
        current: dict[int, RemoteComment] = {}
        try:
            for i, entry_id in enumerate(entry_ids):
                if i % PER_PAGE == 0:
                    try:
                        current = self._current(client, entry_ids[i : i + PER_PAGE])
                    except SiteUnreachable as exc:
                        current = {}
                        messages.append(str(exc))
                claim = self._claim(entry_id, blocked)
                if claim is None:
                    continue  # sent, settled, blocked, or being sent by another push
                # The site is asked with no transaction open: on SQLite a slow site would
                # otherwise hold the store's write lock (the editor's saves would wait and
                # fail with "database is locked"). What it answered is recorded after, in a
                # short transaction of its own, if the claim is still ours.
                try:
                    sent_now = _send(client, claim, current)
                except SiteUnreachable as exc:
                    self._settle(claim, "failed", str(exc))
                    failed += 1
                    messages.append(str(exc))
                    self._note_error(site_id, str(exc))
                    break
                except SiteError as exc:
                    self._settle(claim, "failed", str(exc))
                    failed += 1
                    messages.append(f"comment {claim.local_id}: {exc}")
                    continue
                except BaseException:
                    # Not the site's answer (a bug, a stop): open again.
                    self._unclaim(claim)
                    raise
                if not self._settle(claim, "conflict" if sent_now.conflict else "sent", sent_now):
                    messages.append(
                        f"comment {claim.local_id}: sent, but its claim went stale and another "
                        "send took it over; that one records it"
                    )
                    continue
                if sent_now.conflict:
                    conflicts += 1
                    blocked.add(claim.local_id)
                    messages.append(f"comment {claim.local_id}: {sent_now.conflict}")
                else:
                    sent += 1
        finally:
            client.close()
        with self._uow() as uow:
            waiting = uow.sites.outbox_counts(site_id).get("waiting", 0)
            if sent and not failed:
                s = uow.sites.get(site_id)
                if s is not None and s.last_error:
                    s.last_error = ""
                    uow.commit()
        return PushResult(sent, failed, conflicts, waiting, tuple(messages))

    def _unclaim(self, claim: _Claim) -> None:
        with self._uow() as uow:
            uow.bulk.begin_write()
            if uow.sites.settle_entry(claim.entry_id, claim.attempt, "waiting", "", None):
                uow.commit()

    def _current(
        self, client: WordPressClient, entry_ids: Sequence[int]
    ) -> dict[int, RemoteComment]:
        with self._uow() as uow:
            local_ids = [
                e.local_id
                for e in (uow.sites.outbox_entry(i) for i in entry_ids)
                if e is not None and e.op in {"status", "edit"}
            ]
            remote_ids = [
                lnk.remote_id for lnk in uow.sites.local_links("comment", local_ids).values()
            ]
        if not remote_ids:
            return {}
        return {c.id: c for c in client.comments(include=remote_ids)}

    def _claim(self, entry_id: int, blocked: set[int]) -> _Claim | None:
        """Claim one entry ("sending", committed) and read what its send needs."""
        with self._uow() as uow:
            # The write lock first: a claim read before another's commit could not be
            # written on SQLite.
            uow.bulk.begin_write()
            entry = uow.sites.outbox_entry(entry_id)
            if entry is None or entry.local_id in blocked:
                return None
            now = datetime.now(UTC)
            if not uow.sites.claim_entry(entry_id, now, now - SENDING_STALE):
                return None
            payload: dict[str, Any] = dict(entry.payload)
            link = uow.sites.local_link("comment", entry.local_id)
            parent = None
            here = True
            if entry.op == "reply":
                parent = uow.sites.local_link("comment", int(payload["parent"]))
                here = uow.comments.get(entry.local_id) is not None
            claim = _Claim(
                entry_id=entry_id,
                attempt=uow.sites.claim_attempt(entry_id),
                site_id=entry.site_id,
                op=entry.op,
                payload=payload,
                local_id=entry.local_id,
                remote_id=link.remote_id if link else None,
                remote_state=link.remote_state if link else "",
                remote_hash=link.remote_hash if link else "",
                remote_modified=link.remote_modified if link else "",
                parent_remote_id=parent.remote_id if parent and here else None,
            )
            uow.commit()
            return claim

    def _settle(self, claim: _Claim, state: str, result: _Sent | str) -> bool:
        """Record a send's outcome with what it learnt of the comment, in one short
        transaction, if the claim is still ours (False otherwise: nothing is written)."""
        with self._uow() as uow:
            uow.bulk.begin_write()
            if isinstance(result, str):
                error, sent = result, None
            else:
                error, sent = result.conflict, result
            at = datetime.now(UTC) if state == "sent" else None
            if not uow.sites.settle_entry(claim.entry_id, claim.attempt, state, error, at):
                uow.rollback()
                return False
            if sent is not None:
                link = uow.sites.local_link("comment", claim.local_id)
                if sent.reply is not None and link is None:
                    link = uow.sites.add_link(
                        new_link(claim.site_id, "comment", claim.local_id, sent.reply.id)
                    )
                if link is not None:
                    for field, value in sent.link.items():
                        setattr(link, field, value)
            uow.commit()
            return True

    def resolve(self, name: str, comment_id: int, keep: str, *, actor: str) -> int:
        """Settle a comment's conflict: `mine` sends ours over the site's change at the next
        push; `theirs` takes the site's status and words here. Returns the entries settled."""
        if keep not in {"mine", "theirs"}:
            raise InvalidInput("keep 'mine' or 'theirs'")
        with self._uow() as uow:
            site = self._site(uow, name)
            site_id = site.id
            entries = [
                e for e in uow.sites.outbox(site_id, ("conflict",)) if e.local_id == comment_id
            ]
            if not entries:
                raise NotFound(f"comment {comment_id} has no conflict with {name}")
            if keep == "mine" and any(e.error == DELETED_THERE for e in entries):
                # Sending ours would fail at every push: there is nothing there to change.
                raise InvalidInput(
                    f"comment {comment_id} was deleted on {name}; ours cannot be sent there "
                    "(keep theirs to trash it here)"
                )
            link = uow.sites.local_link("comment", comment_id)
            remote_id = link.remote_id if link else None
        remote = None
        deleted = False  # on the site no more: taking theirs trashes it here
        if keep == "theirs" and remote_id is not None:
            with self._open_by_id(site_id) as client:
                try:
                    remote = client.comment(remote_id)
                except SiteRefused as exc:
                    if exc.status != 404:
                        raise
                    deleted = True
        with self._uow() as uow:
            uow.bulk.begin_write()  # writes follow: the lock before the reads (SQLite)
            settled = 0
            for e in uow.sites.outbox(site_id, ("conflict", "waiting", "failed")):
                if e.local_id != comment_id:
                    continue
                if keep == "mine":
                    if e.state == "conflict":
                        e.payload = {**e.payload, "force": True}
                        e.state, e.error = "waiting", ""
                        settled += 1
                else:
                    e.state, e.error = "dropped", "the site's version was taken"
                    settled += 1
            local = uow.comments.get(comment_id)
            link = uow.sites.local_link("comment", comment_id)
            if deleted and local is not None and link:
                if local.status != "trash":
                    uow.comments.add_action(
                        ModerationAction(
                            comment_id=local.id,
                            actor=actor,
                            action="trash",
                            from_status=local.status,
                            to_status="trash",
                            reason="took the site's decision (deleted there)",
                        )
                    )
                    local.status = "trash"
                uow.sites.remove_link(link)
            if keep == "theirs" and remote is not None and local is not None and link:
                target = FROM_WORDPRESS.get(remote.status, local.status)
                if target != local.status:
                    uow.comments.add_action(
                        ModerationAction(
                            comment_id=local.id,
                            actor=actor,
                            action={"approved": "approve", "pending": "hold"}.get(target, target),
                            from_status=local.status,
                            to_status=target,
                            reason="took the site's decision",
                        )
                    )
                    local.status = target
                if content_hash(remote.content) != content_hash(local.body):
                    if local.original_body is None:
                        local.original_body = local.body
                    local.body = remote.content
                link.remote_state = remote.status
                link.remote_hash = content_hash(remote.content)
            uow.commit()
        return settled

    # -- publish (services/site_publish.py) -------------------------------------------------

    def publish(
        self,
        name: str,
        article_id: int,
        status: str | None = None,
        *,
        force: bool = False,
        base: str | None = None,
    ) -> PublishResult:
        return self._publish.publish(name, article_id, status, force=force, base=base)

    def take_theirs(self, name: str, article_id: int) -> PublishResult:
        return self._publish.take_theirs(name, article_id)

    def site_version(self, name: str, article_id: int) -> SiteVersion:
        return self._publish.site_version(name, article_id)

    def merged(self, theirs: SiteVersion) -> None:
        self._publish.merged(theirs)

    def diff(self, name: str, article_id: int) -> tuple[SiteVersion, str]:
        return self._publish.diff(name, article_id)

    def unpublish(self, name: str, article_id: int) -> PublishResult:
        """Back to draft on the site (the article here is left as it is)."""
        return self.publish(name, article_id, "draft")


@dataclass(frozen=True)
class _Claim:
    """An outbox entry claimed by this push, and what its send needs from the store."""

    entry_id: int
    attempt: int
    site_id: int
    op: str
    payload: dict[str, Any]
    local_id: int
    remote_id: int | None  # the comment's on the site (None: not linked)
    remote_state: str
    remote_hash: str
    remote_modified: str
    parent_remote_id: int | None  # a reply's parent on the site


@dataclass(frozen=True)
class _Sent:
    """What one send did: why it is a conflict ('' when it is on the site), what the
    comment's link now knows of it, the reply made (or found) there."""

    conflict: str = ""
    link: dict[str, Any] = field(default_factory=dict)
    reply: RemoteComment | None = None


def _send(client: WordPressClient, claim: _Claim, current: dict[int, RemoteComment]) -> _Sent:
    """Send one change (HTTP only: no transaction is open)."""
    payload = claim.payload
    if claim.op == "reply":
        return _send_reply(client, claim)
    if claim.remote_id is None:
        raise SiteRefused("the comment is not linked to the site any more", status=0)
    remote = current.get(claim.remote_id) or client.comment(claim.remote_id)
    force = bool(payload.get("force"))
    if claim.op == "status":
        target = str(payload["status"])
        if remote.status == target:
            return _Sent(link={"remote_state": target, "remote_modified": seen_now()})
        if remote.status != claim.remote_state and not force:
            return _Sent(
                _changed_there(
                    remote,
                    claim.remote_modified,
                    f"to {remote.status} (it was {claim.remote_state})",
                )
            )
        done = client.save_comment({"status": target}, claim.remote_id)
        current[done.id] = done
        return _Sent(link={"remote_state": done.status, "remote_modified": seen_now()})
    if claim.op == "edit":
        content = str(payload["content"])
        if content_hash(remote.content) == content_hash(content):
            return _Sent(link={"remote_hash": content_hash(content)})
        if content_hash(remote.content) != claim.remote_hash and not force:
            return _Sent(_changed_there(remote, claim.remote_modified, "(its words)"))
        done = client.save_comment({"content": content}, claim.remote_id)
        current[done.id] = done
        return _Sent(
            link={"remote_hash": content_hash(done.content), "remote_modified": seen_now()}
        )
    raise SiteRefused(f"unknown outbox change {claim.op!r}", status=0)


def _send_reply(client: WordPressClient, claim: _Claim) -> _Sent:
    if claim.parent_remote_id is None:
        raise SiteRefused("the comment replied to is not on the site", status=0)
    parent_remote = client.comment(claim.parent_remote_id)
    content = str(claim.payload["content"])
    # A reply sent just before a crash is on the site already: adopt it, do not repeat it.
    done = None
    for c in client.replies(parent_remote.post, claim.parent_remote_id):
        if content_hash(c.content) == content_hash(content):
            done = c
            break
    if done is None:
        done = client.save_comment(
            {
                "post": parent_remote.post,
                "parent": claim.parent_remote_id,
                "content": content,
                "status": "approved",
            }
        )
    return _Sent(
        link={
            "remote_id": done.id,
            "remote_state": done.status,
            "remote_hash": content_hash(done.content),
        },
        reply=done,
    )


def _changed_there(remote: RemoteComment, seen_at: str, what: str) -> str:
    """Why a comment's change was not sent: what the site has now and when we last saw it.

    WordPress records no editor for a comment (no revisions, no `modified` field), so unlike
    a post the message cannot say who changed it."""
    seen = f"when we last saw it at {seen_at} UTC" if seen_at else ""
    words = " ".join(html_to_text(remote.content).split())
    words = words if len(words) <= 80 else words[:79] + "…"
    return (
        f"changed on the site {what}{', ' if seen else ''}{seen}; the site has it now as "
        f"{remote.status}: “{words}” (WordPress does not record who edits a comment); "
        "not overwritten"
    )
