"""A connected WordPress site: add, pull, push the outbox, publish.

Remote things map to local ones by (site, kind, remote id) in `site_links`. Pulled articles
and comments go through the importer, so they are checked, cleaned and auto-moderated as an
import is, and a post also imported from the site's WXR export is the same article (the same
source key). Outgoing comment changes were queued by moderation in the same transaction as the
change; `push` drains them in order and checks the site's current state first, so a change
made there meanwhile is reported as a conflict, never overwritten.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

from editor_app.domain.errors import Conflict, InvalidInput, NotFound
from editor_app.formats.bundle import ArticleData, FigureData
from editor_app.formats.wxr import content_for_wordpress
from editor_app.remote.credentials import Credentials
from editor_app.remote.wordpress import (
    PER_PAGE,
    RemoteComment,
    RemoteUser,
    SiteError,
    SiteRefused,
    SiteUnreachable,
    WordPressClient,
    normalise_url,
)
from editor_app.services.importing import ImportService
from editor_app.services.options import PUBLISH_STATUSES
from editor_app.services.outbox import FROM_WORDPRESS, content_hash
from editor_app.services.site_pull import PullResult, SitePull, post_hash, take_theirs
from editor_app.store.models import ModerationAction, OutboxEntry, Site, SiteLink
from editor_app.store.uow import UnitOfWork, UowFactory

Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]
ClientFactory = Callable[[str, str, str], WordPressClient]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$")


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
class PublishResult:
    remote_id: int
    link: str
    status: str


@dataclass(frozen=True)
class SiteState:
    """Where a local thing stands with its site (the queue and `show` read it)."""

    site: str
    remote_id: int | None
    state: str  # "" (on the site), waiting, sent, failed, conflict
    error: str = ""


def _info(site: Site, where: str) -> SiteInfo:
    return SiteInfo(
        site.id, site.name, site.url, site.user, site.last_pull_at, site.last_error, where
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

    # -- sites ------------------------------------------------------------------------------

    def add(self, name: str, url: str, user: str, password: str) -> SiteInfo:
        """Check the site takes the password, then keep the site (and the password apart)."""
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
                )
            )
            uow.commit()
            return _info(site, self.credentials.where())

    def all(self) -> tuple[SiteInfo, ...]:
        with self._uow() as uow:
            where = self.credentials.where()
            return tuple(_info(s, where) for s in uow.sites.all())

    def remove(self, name: str) -> None:
        with self._uow() as uow:
            site = self._site(uow, name)
            url, user = site.url, site.user
            uow.sites.delete(site)
            uow.commit()
        self.credentials.delete(url, user)

    def status(self, name: str) -> SiteStatus:
        with self._uow() as uow:
            site = self._site(uow, name)
            return SiteStatus(
                _info(site, self.credentials.where()), uow.sites.outbox_counts(site.id)
            )

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

    @staticmethod
    def _site(uow: UnitOfWork, name: str) -> Site:
        site = uow.sites.by_name(name)
        if site is None:
            raise NotFound(f"no site named {name!r} (see `editor-app site list`)")
        return site

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

        Nothing is written until everything new was read; a failure or Cancel leaves the
        store as it was (the site's error is noted for `site status`).
        """
        with self._uow() as uow:
            site = self._site(uow, name)
            site_id, url = site.id, site.url
            after, last_comment = site.posts_modified_after, site.last_comment_id
        try:
            with self._open_by_id(site_id) as client:
                result = SitePull(self._uow, self._importer).run(
                    client, site_id, url, after, last_comment, progress, cancelled
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
        """Send the outbox in order; stop at the first sign that the site is down."""
        with self._uow() as uow:
            site = self._site(uow, name)
            site_id = site.id
            entry_ids = [e.id for e in uow.sites.outbox(site_id)]
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
                with self._uow() as uow:
                    entry = uow.sites.outbox_entry(entry_id)
                    if entry is None or entry.state not in {"waiting", "failed"}:
                        continue
                    if entry.local_id in blocked:
                        continue
                    entry.attempts += 1
                    try:
                        outcome = self._send(uow, client, site_id, entry, current)
                    except SiteUnreachable as exc:
                        entry.state, entry.error = "failed", str(exc)
                        uow.commit()
                        failed += 1
                        messages.append(str(exc))
                        self._note_error(site_id, str(exc))
                        break
                    except SiteError as exc:
                        entry.state, entry.error = "failed", str(exc)
                        failed += 1
                        messages.append(f"comment {entry.local_id}: {exc}")
                        uow.commit()
                        continue
                    if outcome:
                        entry.state, entry.error = "conflict", outcome
                        conflicts += 1
                        blocked.add(entry.local_id)
                        messages.append(f"comment {entry.local_id}: {outcome}")
                    else:
                        entry.state, entry.error = "sent", ""
                        entry.sent_at = datetime.now(UTC)
                        sent += 1
                    uow.commit()
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

    def _send(
        self,
        uow: UnitOfWork,
        client: WordPressClient,
        site_id: int,
        entry: OutboxEntry,
        current: dict[int, RemoteComment],
    ) -> str:
        """Send one change; '' when it is on the site, else why it is a conflict."""
        payload: dict[str, Any] = dict(entry.payload)
        if entry.op == "reply":
            return self._send_reply(uow, client, site_id, entry, payload)
        link = uow.sites.local_link("comment", entry.local_id)
        if link is None:
            raise SiteRefused("the comment is not linked to the site any more", status=0)
        remote = current.get(link.remote_id) or client.comment(link.remote_id)
        force = bool(payload.get("force"))
        if entry.op == "status":
            target = str(payload["status"])
            if remote.status == target:
                link.remote_state = target
                return ""
            if remote.status != link.remote_state and not force:
                return (
                    f"changed on the site to {remote.status} (it was {link.remote_state} "
                    f"when pulled); not overwritten"
                )
            done = client.save_comment({"status": target}, link.remote_id)
            link.remote_state = done.status
            current[done.id] = done
            return ""
        if entry.op == "edit":
            content = str(payload["content"])
            if content_hash(remote.content) == content_hash(content):
                link.remote_hash = content_hash(content)
                return ""
            if content_hash(remote.content) != link.remote_hash and not force:
                return "its words were changed on the site since it was pulled; not overwritten"
            done = client.save_comment({"content": content}, link.remote_id)
            link.remote_hash = content_hash(done.content)
            current[done.id] = done
            return ""
        raise SiteRefused(f"unknown outbox change {entry.op!r}", status=0)

    def _send_reply(
        self,
        uow: UnitOfWork,
        client: WordPressClient,
        site_id: int,
        entry: OutboxEntry,
        payload: dict[str, Any],
    ) -> str:
        parent = uow.sites.local_link("comment", int(payload["parent"]))
        local = uow.comments.get(entry.local_id)
        if parent is None or local is None:
            raise SiteRefused("the comment replied to is not on the site", status=0)
        parent_remote = client.comment(parent.remote_id)
        content = str(payload["content"])
        # A reply sent just before a crash is on the site already: adopt it, do not repeat it.
        done = None
        for c in client.replies(parent_remote.post, parent.remote_id):
            if content_hash(c.content) == content_hash(content):
                done = c
                break
        if done is None:
            done = client.save_comment(
                {
                    "post": parent_remote.post,
                    "parent": parent.remote_id,
                    "content": content,
                    "status": "approved",
                }
            )
        uow.sites.add_link(
            SiteLink(
                site_id=site_id,
                kind="comment",
                local_id=local.id,
                remote_id=done.id,
                remote_modified="",
                remote_state=done.status,
                remote_hash=content_hash(done.content),
                link="",
            )
        )
        return ""

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
            link = uow.sites.local_link("comment", comment_id)
            remote_id = link.remote_id if link else None
        remote = None
        if keep == "theirs" and remote_id is not None:
            with self._open_by_id(site_id) as client:
                remote = client.comment(remote_id)
        with self._uow() as uow:
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

    # -- publish ----------------------------------------------------------------------------

    def publish(
        self, name: str, article_id: int, status: str | None = None, *, force: bool = False
    ) -> PublishResult:
        """Send an article as a post (new or an update); an update checks the site's
        `modified_gmt` against the one last seen, unless `force` (keep mine)."""
        if status is not None and status not in PUBLISH_STATUSES:
            raise InvalidInput(f"--status must be one of {', '.join(PUBLISH_STATUSES)}")
        with self._uow() as uow:
            site = self._site(uow, name)
            site_id = site.id
            article = uow.articles.get(article_id, full=True)
            if article is None:
                raise NotFound(f"no article with id {article_id}")
            link = uow.sites.local_link("article", article_id)
            if link is not None and link.site_id != site_id:
                raise InvalidInput(f"article {article_id} belongs to another site")
            remote_id = link.remote_id if link else None
            seen = (link.remote_modified, link.remote_hash) if link else ("", "")
            emails = [b.author.email for b in article.bylines if b.author.email]
            names = [b.author.name for b in article.bylines]
            figures = [
                (f.id, f.caption, f.credit, f.alt, f.anchor, f.image, f.image_mime, f.source_url)
                for f in article.figures
            ]
            figure_links = uow.sites.local_links("figure", [f[0] for f in figures])
            media_ids = {fid: lnk.remote_id for fid, lnk in figure_links.items()}
            data = ArticleData(
                title=article.title,
                body_html=article.body_html,
                dek=article.dek,
                slug=article.slug,
                status=article.status,
                section=article.section,
                tags=tuple(t.tag for t in article.tags),
                kind=article.kind,
            )
            version = article.version
            excerpt = article.excerpt or article.dek
            published_at = article.published_at
        wp_status = status or {"published": "publish", "scheduled": "future"}.get(
            data.status, "draft"
        )
        kind = "pages" if data.kind == "page" else "posts"
        try:
            with self._open_by_id(site_id) as client:
                if remote_id is not None and not force:
                    current = client.post(remote_id, kind)
                    if (current.modified_gmt, post_hash(current)) != seen:
                        raise Conflict(
                            f"“{current.title}” was changed on the site at "
                            f"{current.modified_gmt} UTC since it was last sent or pulled; "
                            "pull to take theirs, or publish --force to keep yours",
                            current_version=version,
                            saved_by="the site",
                        )
                uploaded: dict[int, tuple[int, str]] = {}
                figs: list[FigureData] = []
                for fid, caption, credit, alt, anchor, image, mime, source in figures:
                    media_id = media_ids.get(fid)
                    media_fields = {
                        "caption": caption
                        + (f' <small class="credit">{credit}</small>' if credit else ""),
                        "alt_text": alt,
                        "description": credit,
                    }
                    if media_id is None and image:
                        ext = mimetypes.guess_extension(mime or "") or ".jpg"
                        m = client.upload_media(
                            f"copydesk-figure-{fid}{ext}", bytes(image), mime or "image/jpeg"
                        )
                        media_id = m.id
                    if media_id is not None:
                        m = client.update_media(media_id, media_fields)
                        uploaded[fid] = (m.id, m.source_url)
                        source = m.source_url
                    figs.append(
                        FigureData(
                            caption=caption,
                            credit=credit,
                            alt=alt,
                            anchor=anchor,
                            source_url=source,
                        )
                    )
                content = content_for_wordpress(replace(data, figures=tuple(figs)))
                fields: dict[str, Any] = {
                    "title": data.title,
                    "content": content,
                    "excerpt": excerpt,
                    "slug": data.slug,
                    "status": wp_status,
                }
                if wp_status == "future" and published_at is not None:
                    # WordPress publishes a "future" post at once unless its date is ahead.
                    fields["date_gmt"] = published_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")
                if kind == "posts":
                    fields["categories"] = (
                        [self._term(client, "category", data.section)] if data.section else []
                    )
                    fields["tags"] = [
                        self._term(client, "post_tag", t)
                        for t in data.tags
                        if not t.startswith("wp:")
                    ]
                if uploaded:
                    fields["featured_media"] = next(iter(uploaded.values()))[0]
                user = _find_user(client.users(), emails, names)
                if user is not None:
                    fields["author"] = user.id
                post = client.save_post(fields, remote_id, kind)
        except SiteError as exc:
            self._note_error(site_id, str(exc))
            raise
        with self._uow() as uow:
            link = uow.sites.local_link("article", article_id)
            if link is None:
                link = uow.sites.add_link(
                    SiteLink(
                        site_id=site_id,
                        kind="article",
                        local_id=article_id,
                        remote_id=post.id,
                        remote_modified="",
                        remote_state="",
                        remote_hash="",
                        link="",
                    )
                )
            link.remote_modified = post.modified_gmt
            link.remote_hash = post_hash(post)
            link.remote_state = f"v{version}"
            link.link = post.link
            known = uow.sites.local_links("figure", list(uploaded))
            for fid, (media_id, _url) in uploaded.items():
                if fid not in known:
                    uow.sites.add_link(
                        SiteLink(
                            site_id=site_id,
                            kind="figure",
                            local_id=fid,
                            remote_id=media_id,
                            remote_modified="",
                            remote_state="",
                            remote_hash="",
                            link="",
                        )
                    )
            uow.commit()
        return PublishResult(post.id, post.link, post.status)

    def take_theirs(self, name: str, article_id: int) -> PublishResult:
        """Settle a publish conflict the site's way: its post replaces the article here
        (a revision keeps ours), and the next publish starts from it."""
        with self._uow() as uow:
            site = self._site(uow, name)
            site_id, url = site.id, site.url
            link = uow.sites.local_link("article", article_id)
            if link is None or link.site_id != site_id:
                raise NotFound(f"article {article_id} is not on {name}")
            remote_id = link.remote_id
            here = uow.articles.get(article_id)
            kind = "pages" if here is not None and here.kind == "page" else "posts"
        puller = SitePull(self._uow, self._importer)
        with self._open_by_id(site_id) as client:
            post = client.post(remote_id, kind)
            users = {u.id: u for u in client.users()}
            categories = {t.id: t.name for t in client.terms("category")}
            tags = {t.id: t.name for t in client.terms("post_tag")}
            media = puller._media(client, [post])
            data = puller._article_data(client, post, url, users, categories, tags, media)
        with self._uow() as uow:
            article = uow.articles.get(article_id)
            link = uow.sites.local_link("article", article_id)
            if article is None or link is None:
                raise NotFound(f"no article with id {article_id}")
            take_theirs(uow, article, link, post, data, url, "Took the site's version")
            uow.commit()
        return PublishResult(post.id, post.link, post.status)

    def unpublish(self, name: str, article_id: int) -> PublishResult:
        """Back to draft on the site (the article here is left as it is)."""
        return self.publish(name, article_id, "draft")

    @staticmethod
    def _term(client: WordPressClient, taxonomy: str, name: str) -> int:
        for t in client.terms(taxonomy):
            if t.name.lower() == name.lower():
                return t.id
        return client.create_term(taxonomy, name).id


def _find_user(
    users: Iterable[RemoteUser], emails: Sequence[str], names: Sequence[str]
) -> RemoteUser | None:
    by_email: dict[str, RemoteUser] = {}
    by_name: dict[str, RemoteUser] = {}
    for u in users:
        if u.email:
            by_email[u.email.lower()] = u
        by_name[u.name.lower()] = u
    for e in emails:
        if e.lower() in by_email:
            return by_email[e.lower()]
    for n in names:
        if n.lower() in by_name:
            return by_name[n.lower()]
    return None
