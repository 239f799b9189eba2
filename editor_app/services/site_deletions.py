"""What was trashed or deleted on a site since the last pull, reflected here.

The REST API lists what exists, not what went, so a pull compares counts first: the site's
posts and pages (of the statuses a pull carries) against the ones linked here, and its
comments (every status) against the ones linked here plus those a pull saw and did not carry
(on an attachment, say: they are noted as "skipped"). Only when the counts differ does it
read ids back, a hundred a request, to find which went (a count that is higher there hides a
deletion as well as it shows an addition); for comments it reads the site's ids, and those a
pull saw (up to its mark) that nothing here counts are noted as skipped then (a store from
before pulls noted them would otherwise read them all back at every pull). Posts in the
site's trash are read back by id every time: the trash holds posts never linked here, so its
count proves nothing. So a pull where nothing went costs three small requests (and one per
hundred posts trashed there). A post missing from those listings (a workflow plugin's own
status, a changed type) is asked for by its id, and only the site's 404 or 410 counts as
deleted; anything else keeps the link.

A post trashed or deleted there moves its article to the Trash here (a revision notes it);
one deleted from the site's trash loses its link (a publish makes a new post);
a comment deleted there goes to the trash here and loses its link. Local work not yet sent
is never lost: an article edited here since it was last sent or pulled is kept (the pull
says so; publishing it puts it back on the site), and a comment with changes waiting in the
outbox keeps them, marked as a conflict.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from editor_app.remote.wordpress import POST_STATUSES, SiteRefused, WordPressClient
from editor_app.services.revisions import make_revision
from editor_app.store.models import ModerationAction
from editor_app.store.sites import new_link
from editor_app.store.uow import UnitOfWork, UowFactory

TRASHED = "trashed"  # an article link's state once its post went to the site's trash
GONE = "deleted"  # a comment link's state once the site deleted it (kept for unsent changes)
# The kind of a link that notes a comment a pull saw and did not carry (local id 0): counted
# with the linked ones, so that it does not hide a deletion.
SKIPPED_COMMENT = "skipped-comment"
DELETED_THERE = "deleted on the site; not sent"  # a conflict's error for a comment gone there
_ON_ITS_WAY = ("waiting", "failed", "conflict")


def note_skipped(uow: UnitOfWork, site_id: int, remote_ids: Iterable[int]) -> None:
    """Note comments a pull saw and did not carry, so the check for deletions counts them."""
    for remote_id in dict.fromkeys(remote_ids):
        uow.sites.add_link(new_link(site_id, SKIPPED_COMMENT, 0, remote_id))


@dataclass
class Gone:
    posts: dict[int, str] = field(default_factory=dict)  # remote id -> "trash" | "deleted"
    comments: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)  # comments not carried, deleted there
    # Comments a pull saw and did not carry, never noted (a store from before they were):
    # noted now, so the count holds from the next pull on.
    unnoted: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.posts or self.comments or self.skipped or self.unnoted)


def find_gone(
    client: WordPressClient, uow: UowFactory, site_id: int, check: Callable[[], None]
) -> Gone:
    """Which linked posts and comments the site no longer has (or has in its trash)."""
    with uow() as u:
        posts = u.sites.remote_ids(site_id, "article", but_state=TRASHED)
        trashed = u.sites.remote_ids(site_id, "article", state=TRASHED)
        # A comment found gone but kept for its unsent changes is counted out (it is known).
        comments = u.sites.remote_ids(site_id, "comment", but_state=GONE)
        skipped = u.sites.remote_ids(site_id, SKIPPED_COMMENT)
        site = u.sites.get(site_id)
        last_comment = site.last_comment_id if site is not None else 0
    gone = Gone()
    total = client.total("/wp/v2/posts", status=POST_STATUSES, context="edit")
    total += client.total("/wp/v2/pages", status=POST_STATUSES, context="edit")
    to_read = (posts if total != len(posts) else []) + trashed
    if to_read:
        check()
        found: dict[int, str] = {}
        for route in ("/wp/v2/posts", "/wp/v2/pages"):
            found.update(client.statuses(route, to_read, status=f"{POST_STATUSES},trash"))
        in_trash = set(trashed)
        for remote_id in to_read:
            status = found.get(remote_id)
            if status is None:
                # Missing from the listing is not gone: a workflow plugin's own status or a
                # changed type hides a post from it. Only the site's "no such post" is.
                check()
                status = _confirmed_status(client, remote_id)
            if remote_id in in_trash:
                # Still in the site's trash, or back from it (the pull took that): only its
                # deletion from the trash is news.
                if status is None:
                    gone.posts[remote_id] = "deleted"
            elif status is None or status == "trash":
                gone.posts[remote_id] = "deleted" if status is None else "trash"
    known = len(comments) + len(skipped)
    if known and client.total("/wp/v2/comments", status="any", context="edit") != known:
        # Every id there (as many requests as reading ours back): what went, and what a
        # pull saw (up to its mark) but no link here counts.
        check()
        there = set(client.ids("/wp/v2/comments", status="any"))
        ours = set(comments) | set(skipped)
        missing = [c for c in (*comments, *skipped) if c not in there]
        if missing:
            # A deletion while we paged shifts the pages: what seems missing is asked by id.
            check()
            there.update(client.statuses("/wp/v2/comments", missing, status="any"))
        gone.comments = [c for c in comments if c not in there]
        gone.skipped = [c for c in skipped if c not in there]
        gone.unnoted = sorted(c for c in there - ours if c <= last_comment)
    return gone


def _confirmed_status(client: WordPressClient, remote_id: int) -> str | None:
    """The post's status read by its id; None only when the site answers 404 or 410. Any
    other refusal keeps the link (a post we may not read is not a post deleted)."""
    try:
        return client.post_status(remote_id)
    except SiteRefused:
        return "unreadable"


def apply_gone(uow: UowFactory, site_id: int, url: str, gone: Gone) -> tuple[int, list[str]]:
    """Reflect what went on the site; returns (things changed here, messages)."""
    changed = 0
    messages: list[str] = []
    now = datetime.now(UTC)
    with uow() as u:
        links = u.sites.links(site_id, "article", list(gone.posts))
        for remote_id, how in gone.posts.items():
            link = links.get(remote_id)
            article = u.articles.get(link.local_id) if link else None
            if link is None or article is None:
                continue
            if how == "deleted" and link.remote_state == TRASHED:
                # Deleted from the site's trash: nothing there to restore any more.
                u.sites.remove_link(link)
                if article.deleted_at is None:
                    messages.append(
                        f"“{article.title}” was deleted from the site's trash; kept here "
                        "(publish it to put it back on the site as a new post)"
                    )
                continue
            where = "deleted on the site" if how == "deleted" else "moved to the site's trash"
            if link.remote_state != f"v{article.version}":
                messages.append(
                    f"“{article.title}” was {where} but changed here since; kept "
                    "(publish it to put it back on the site)"
                )
                if how == "deleted":
                    u.sites.remove_link(link)  # the next publish makes a new post
                else:
                    link.remote_state = TRASHED
                continue
            if article.deleted_at is None:
                article.deleted_at = now
                u.flush()
                u.articles.add_revision(
                    make_revision(article, saved_by=f"site:{url}", note=f"{where.capitalize()}")
                )
                u.flush()
                changed += 1
            if how == "deleted":
                u.sites.remove_link(link)
            else:
                link.remote_state = TRASHED
        for lnk in u.sites.links(site_id, SKIPPED_COMMENT, gone.skipped).values():
            u.sites.remove_link(lnk)
        # Not linked meanwhile (a reply of ours recorded since, say): counted once.
        linked = u.sites.links(site_id, "comment", gone.unnoted)
        linked.update(u.sites.links(site_id, SKIPPED_COMMENT, gone.unnoted))
        note_skipped(u, site_id, [r for r in gone.unnoted if r not in linked])
        comment_links = u.sites.links(site_id, "comment", gone.comments)
        local_ids = [lnk.local_id for lnk in comment_links.values()]
        entries = u.sites.outbox(site_id, _ON_ITS_WAY)
        unsent = {e.local_id for e in entries if e.local_id in set(local_ids)}
        for e in entries:
            if e.local_id in unsent:
                e.state, e.error = "conflict", DELETED_THERE
        for remote_id in gone.comments:
            link = comment_links.get(remote_id)
            if link is None:
                continue
            if link.local_id in unsent:
                messages.append(
                    f"comment {link.local_id} was deleted on the site but has changes here "
                    "not yet sent; kept, marked as a conflict"
                )
                # Known gone: later pulls count it out instead of reading every id back.
                link.remote_state = GONE
                continue
            local = u.comments.get(link.local_id)
            u.sites.remove_link(link)
            if local is None:
                continue
            if local.status != "trash":
                u.comments.add_action(
                    ModerationAction(
                        comment_id=local.id,
                        actor=f"site:{url}",
                        action="trash",
                        from_status=local.status,
                        to_status="trash",
                        reason="deleted on the site",
                    )
                )
                local.status = "trash"
            changed += 1
        u.commit()
    return changed, messages
