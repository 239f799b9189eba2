"""Connected sites: the sites, the links of local things to theirs, and the outbox."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import and_, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from editor_app.store.models import Comment, OutboxEntry, Site, SiteLink

OPEN_STATES = ("waiting", "failed")
SENDING = "sending"  # an outbox entry a push has claimed and is sending
# An article's link while a publish makes its post: remote id -article id (the unique key
# lets one publish hold it), the claim's time in `remote_modified`, its holder in
# `remote_hash` ("" once the holder failed or crashed: the next publish takes it over).
PUBLISHING = "publishing"
# An article already on the site while a publish updates its post: a row of this kind
# (remote id = local id = the article's, so the unique key lets one publish hold it), its
# time in `remote_modified`, its holder in `remote_hash`.
UPDATING = "updating"


def new_link(
    site_id: int,
    kind: str,
    local_id: int,
    remote_id: int,
    *,
    remote_modified: str = "",
    remote_state: str = "",
    remote_hash: str = "",
    link: str = "",
) -> SiteLink:
    """A site link; what is not given is empty (not seen yet, no state, no hash, no URL)."""
    return SiteLink(
        site_id=site_id,
        kind=kind,
        local_id=local_id,
        remote_id=remote_id,
        remote_modified=remote_modified,
        remote_state=remote_state,
        remote_hash=remote_hash,
        link=link,
    )


def _update_claim(site_id: int, article_id: int, holder: str, at: datetime) -> SiteLink:
    return new_link(
        site_id,
        UPDATING,
        article_id,
        article_id,
        remote_modified=at.isoformat(),
        remote_state=PUBLISHING,
        remote_hash=holder,
    )


def _held_claim(article_id: int, holder: str) -> tuple[ColumnElement[bool], ...]:
    """The article's claim while a publish making its post (`holder`) still holds it."""
    return (
        SiteLink.kind == "article",
        SiteLink.local_id == article_id,
        SiteLink.remote_state == PUBLISHING,
        SiteLink.remote_hash == holder,
    )


def _one_row(result: object) -> bool:
    """A conditional UPDATE or DELETE found its row (another writer had not changed it)."""
    return int(getattr(result, "rowcount", 0) or 0) == 1


def claim_time(value: str) -> datetime | None:
    """When a claim was taken (its `remote_modified`), in UTC; None when unreadable."""
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


class SiteRepository:
    def __init__(self, session: Session):
        self.session = session

    # -- sites ------------------------------------------------------------------------------

    def add(self, site: Site) -> Site:
        self.session.add(site)
        return site

    def by_name(self, name: str) -> Site | None:
        return self.session.scalars(select(Site).where(Site.name == name)).first()

    def get(self, site_id: int) -> Site | None:
        return self.session.get(Site, site_id)

    def all(self) -> list[Site]:
        return list(self.session.scalars(select(Site).order_by(Site.name)))

    def delete(self, site: Site) -> None:
        for model in (OutboxEntry, SiteLink):
            for row in self.session.scalars(select(model).where(model.site_id == site.id)):
                self.session.delete(row)
        self.session.delete(site)

    # -- links ------------------------------------------------------------------------------

    def links(self, site_id: int, kind: str, remote_ids: Iterable[int]) -> dict[int, SiteLink]:
        ids = list(dict.fromkeys(remote_ids))
        out: dict[int, SiteLink] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self.session.scalars(
                select(SiteLink).where(
                    SiteLink.site_id == site_id,
                    SiteLink.kind == kind,
                    SiteLink.remote_id.in_(chunk),
                )
            )
            out.update((r.remote_id, r) for r in rows)
        return out

    def local_links(self, kind: str, local_ids: Iterable[int]) -> dict[int, SiteLink]:
        ids = list(dict.fromkeys(local_ids))
        out: dict[int, SiteLink] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self.session.scalars(
                select(SiteLink).where(SiteLink.kind == kind, SiteLink.local_id.in_(chunk))
            )
            out.update((r.local_id, r) for r in rows)
        return out

    def local_link(self, kind: str, local_id: int) -> SiteLink | None:
        return self.local_links(kind, [local_id]).get(local_id)

    def add_link(self, link: SiteLink) -> SiteLink:
        self.session.add(link)
        return link

    def remove_link(self, link: SiteLink) -> None:
        self.session.delete(link)

    def claim_article(self, site_id: int, article_id: int, holder: str, at: str) -> bool:
        """Hold an article that has no post yet while a publish makes one; False when
        another publish holds it (the unique key decides, on SQLite and PostgreSQL alike)."""
        try:
            with self.session.begin_nested():
                self.session.add(
                    new_link(
                        site_id,
                        "article",
                        article_id,
                        -article_id,
                        remote_modified=at,
                        remote_state=PUBLISHING,
                        remote_hash=holder,
                    )
                )
        except IntegrityError:
            return False
        return True

    def retake_claim(self, link_id: int, holder: str, new_holder: str, at: str) -> bool:
        """Take over a claim still held by `holder` (gone stale, or given up); False when
        another publish took it first."""
        result = self.session.execute(
            update(SiteLink)
            .where(
                SiteLink.id == link_id,
                SiteLink.remote_state == PUBLISHING,
                SiteLink.remote_hash == holder,
            )
            .values(remote_hash=new_holder, remote_modified=at)
            .execution_options(synchronize_session=False)
        )
        return _one_row(result)

    def claim_to_link(
        self, article_id: int, holder: str, remote_id: int, state: str, link: str
    ) -> bool:
        """The claim `holder` holds becomes the article's link to post `remote_id` (the one
        an earlier attempt of its publish made), never seen: its `remote_modified` and
        `remote_hash` empty. False when it holds the claim no more, or the post is linked
        to another article meanwhile."""
        try:
            with self.session.begin_nested():
                result = self.session.execute(
                    update(SiteLink)
                    .where(
                        *_held_claim(article_id, holder),
                    )
                    .values(
                        remote_id=remote_id,
                        remote_state=state,
                        remote_modified="",
                        remote_hash="",
                        link=link,
                    )
                    .execution_options(synchronize_session=False)
                )
        except IntegrityError:
            return False
        return _one_row(result)

    def give_up_claim(self, article_id: int, holder: str) -> None:
        """The holder failed: its claim stays, free for the next publish, which first looks
        on the site for a post this one may have made."""
        self.session.execute(
            update(SiteLink)
            .where(
                *_held_claim(article_id, holder),
            )
            .values(remote_hash="")
            .execution_options(synchronize_session=False)
        )

    def note_sent(self, article_id: int, holder: str, mark: str, at: datetime) -> bool:
        """Before a publish holding the claim asks the site to make the post: the mark of
        what it sends and when, kept in the claim's `link` (unused while publishing) as
        "mark@seconds" beside those of earlier attempts (the eight latest; a mark sent
        before keeps its first time), so a pull and the next publish know that post for
        ours by its words, not by a title anyone could give a post (a mark "" notes
        nothing). False when it holds the claim no more."""
        held = (*_held_claim(article_id, holder),)
        row = self.session.execute(select(SiteLink.id, SiteLink.link).where(*held)).first()
        if row is None:
            return False
        if not mark:
            return True  # no words to know the post by: nothing noted, the claim is held
        items = str(row.link).split()
        if any(item.partition("@")[0] == mark for item in items):
            new = " ".join(items)
        else:
            new = " ".join([*items[-7:], f"{mark}@{int(at.timestamp())}"])
        # Conditional: a publish that took the claim over between the read and this write
        # (PostgreSQL has no write lock to hold it off) leaves nothing written, and False.
        result = self.session.execute(
            update(SiteLink)
            .where(SiteLink.id == row.id, *held)
            .values(link=new)
            .execution_options(synchronize_session=False)
        )
        return _one_row(result)

    def publish_claims(self, site_id: int) -> list[SiteLink]:
        """The claims of publishes making a post on the site (under way, failed or crashed:
        the post may be there, not yet linked)."""
        return list(
            self.session.scalars(
                select(SiteLink).where(
                    SiteLink.site_id == site_id,
                    SiteLink.kind == "article",
                    SiteLink.remote_state == PUBLISHING,
                )
            )
        )

    def claim_update(
        self, site_id: int, article_id: int, holder: str, at: datetime, stale_before: datetime
    ) -> bool:
        """Hold an article already on the site while a publish updates its post (a row of
        its own, kind UPDATING: the article's link keeps what was last seen there); False
        when another publish holds it. A claim older than `stale_before`, or given up, is
        taken over (its publish crashed). The unique key decides, on SQLite and PostgreSQL."""
        try:
            with self.session.begin_nested():
                self.session.add(_update_claim(site_id, article_id, holder, at))
            return True
        except IntegrityError:
            pass
        held = self.session.scalars(
            select(SiteLink).where(
                SiteLink.site_id == site_id,
                SiteLink.kind == UPDATING,
                SiteLink.remote_id == article_id,
            )
        ).first()
        if held is None:
            return False  # released meanwhile: the caller may try again
        self.session.refresh(held)
        since = claim_time(held.remote_modified)
        if held.remote_hash and since is not None and since >= stale_before:
            return False
        return self.retake_claim(held.id, held.remote_hash, holder, at.isoformat())

    def release_update(self, article_id: int, holder: str) -> bool:
        """The publish that holds the update is done with it; False when it held it no more
        (it went stale and another publish took it over)."""
        result = self.session.execute(
            delete(SiteLink)
            .where(
                SiteLink.kind == UPDATING,
                SiteLink.local_id == article_id,
                SiteLink.remote_hash == holder,
            )
            .execution_options(synchronize_session=False)
        )
        return _one_row(result)

    def remote_ids(
        self, site_id: int, kind: str, *, but_state: str = "", state: str = ""
    ) -> list[int]:
        """The remote ids of a kind linked to a site (less those in `but_state`, or only
        those in `state`); a publish's claim is none."""
        stmt = select(SiteLink.remote_id).where(
            SiteLink.site_id == site_id, SiteLink.kind == kind, SiteLink.remote_id > 0
        )
        if but_state:
            stmt = stmt.where(SiteLink.remote_state != but_state)
        if state:
            stmt = stmt.where(SiteLink.remote_state == state)
        return list(self.session.scalars(stmt.order_by(SiteLink.remote_id)))

    def open_comment_links(self, site_id: int) -> list[SiteLink]:
        """Site comments still waiting in the local queue: their status is re-checked."""
        return list(
            self.session.scalars(
                select(SiteLink)
                .join(Comment, Comment.id == SiteLink.local_id)
                .where(
                    SiteLink.site_id == site_id,
                    SiteLink.kind == "comment",
                    Comment.status == "pending",
                )
            )
        )

    # -- outbox -----------------------------------------------------------------------------

    def queue(self, entry: OutboxEntry) -> OutboxEntry:
        self.session.add(entry)
        return entry

    def outbox(self, site_id: int, states: Sequence[str] = OPEN_STATES) -> list[OutboxEntry]:
        return list(
            self.session.scalars(
                select(OutboxEntry)
                .where(OutboxEntry.site_id == site_id, OutboxEntry.state.in_(states))
                .order_by(OutboxEntry.id)
            )
        )

    def outbox_entry(self, entry_id: int) -> OutboxEntry | None:
        return self.session.get(OutboxEntry, entry_id)

    def claim_entry(self, entry_id: int, now: datetime, stale_before: datetime) -> bool:
        """Mark an open entry "sending" (its claim's time in `sent_at`) for one push to send;
        False when another push has it. One left "sending" since before `stale_before` was
        a push that crashed: it is open again (a send checks the site first, so none is
        repeated)."""
        result = self.session.execute(
            update(OutboxEntry)
            .where(
                OutboxEntry.id == entry_id,
                or_(
                    OutboxEntry.state.in_(OPEN_STATES),
                    and_(OutboxEntry.state == SENDING, OutboxEntry.sent_at < stale_before),
                ),
            )
            .values(state=SENDING, sent_at=now, attempts=OutboxEntry.attempts + 1)
            .execution_options(synchronize_session=False)
        )
        return _one_row(result)

    def claim_attempt(self, entry_id: int) -> int:
        """The attempt number a claim just gave the entry (each claim counts one): a push
        holds its claim while the entry is "sending" with that number."""
        return int(
            self.session.scalar(select(OutboxEntry.attempts).where(OutboxEntry.id == entry_id)) or 0
        )

    def settle_entry(
        self, entry_id: int, attempt: int, state: str, error: str, sent_at: datetime | None
    ) -> bool:
        """Record how a claimed send went; False when the claim is not ours any more (it went
        stale and another push took it over: that push records it)."""
        result = self.session.execute(
            update(OutboxEntry)
            .where(
                OutboxEntry.id == entry_id,
                OutboxEntry.state == SENDING,
                OutboxEntry.attempts == attempt,
            )
            .values(state=state, error=error, sent_at=sent_at)
            .execution_options(synchronize_session=False)
        )
        return _one_row(result)

    def outbox_counts(self, site_id: int) -> dict[str, int]:
        rows = self.session.execute(
            select(OutboxEntry.state, func.count())
            .where(OutboxEntry.site_id == site_id)
            .group_by(OutboxEntry.state)
        )
        return {str(state): int(n) for state, n in rows}

    def latest_entries(self, kind: str, local_ids: Iterable[int]) -> dict[int, OutboxEntry]:
        """The newest outbox entry of each local thing (what the queue shows)."""
        ids = list(dict.fromkeys(local_ids))
        out: dict[int, OutboxEntry] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            rows = self.session.scalars(
                select(OutboxEntry)
                .where(OutboxEntry.kind == kind, OutboxEntry.local_id.in_(chunk))
                .order_by(OutboxEntry.id)
            )
            out.update((r.local_id, r) for r in rows)
        return out
