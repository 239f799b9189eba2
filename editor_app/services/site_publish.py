"""Publishing an article to a connected site, and settling a publish conflict.

An update checks the post's `modified_gmt` (and its words) against what was last seen: a change
made on the site meanwhile is a conflict, never overwritten. It is settled by keeping mine
(`force`), taking theirs, or merging: the site's version is shown beside ours, and once the
merged article is saved the site's version becomes the one the next publish goes on top of.
WordPress keeps revisions of posts with their author, so a conflict names who edited it there.
"""

from __future__ import annotations

import difflib
import html
import mimetypes
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from editor_app.domain.errors import Conflict, InvalidInput, NotFound
from editor_app.formats.bundle import ArticleData, FigureData
from editor_app.formats.htmlbody import html_to_text
from editor_app.formats.wxr import content_for_wordpress
from editor_app.remote.wordpress import (
    POST_STATUSES,
    RemotePost,
    RemoteUser,
    SiteError,
    SiteRefused,
    WordPressClient,
    parse_gmt,
)
from editor_app.services.importing import ImportService
from editor_app.services.options import PUBLISH_STATUSES
from editor_app.services.site_deletions import TRASHED
from editor_app.services.site_pull import (
    CLOCKS,
    SitePull,
    made_by_publish_of,
    post_hash,
    sent_as_is,
    sent_mark,
    sent_marks,
    take_theirs,
)
from editor_app.store.models import Site, SiteLink
from editor_app.store.sites import PUBLISHING, claim_time, new_link
from editor_app.store.uow import UnitOfWork, UowFactory

Opener = Callable[[int], WordPressClient]
NoteError = Callable[[int, str], None]
# A revision is written in the same request as the change it records.
_SAME_CHANGE = timedelta(seconds=2)
# A publish still holding its claim after this long crashed (a publish with its figures
# takes seconds): the next one takes the claim over.
CLAIM_STALE = timedelta(minutes=10)
# The state of an article's link to a post edited on the site that it was never seen
# with (a crashed publish's): no article has version 0, so a pull keeps the article as it
# is here and the next publish reports the conflict.
UNSETTLED = "v0"


@dataclass(frozen=True)
class PublishResult:
    remote_id: int
    link: str
    status: str
    messages: tuple[str, ...] = ()  # what the user should know (a post deleted there, ...)


@dataclass(frozen=True)
class SiteVersion:
    """The site's version of a published article, as our HTML (for a merge or a diff)."""

    site: str
    article_id: int
    remote_id: int
    title: str
    dek: str
    body_html: str
    modified_gmt: str
    post_hash: str
    edited_by: str
    link: str


class PublishConflict(Conflict):
    """The post was changed on the site since it was last sent or pulled."""

    def __init__(
        self,
        message: str,
        *,
        current_version: int,
        edited_by: str,
        modified_gmt: str,
        remote_id: int,
    ):
        super().__init__(message, current_version=current_version, saved_by=edited_by)
        self.edited_by = edited_by
        self.modified_gmt = modified_gmt
        self.remote_id = remote_id


def find_site(uow: UnitOfWork, name: str) -> Site:
    site = uow.sites.by_name(name)
    if site is None:
        raise NotFound(f"no site named {name!r} (see `editor-app site list`)")
    return site


def who_edited(client: WordPressClient, post: RemotePost, kind: str) -> str:
    """Who made the post's latest change on the site: the latest revision's author.

    WordPress writes a revision only when the title, words or excerpt change; a change of
    status, slug or terms alone leaves none, and then we cannot say who it was."""
    try:
        latest = client.latest_revision(post.id, kind)
    except SiteError:
        return ""
    made, changed = parse_gmt(latest.date_gmt if latest else ""), parse_gmt(post.modified_gmt)
    if latest is None or made is None or changed is None or changed - made > _SAME_CHANGE:
        return ""  # the latest change made no revision: we cannot tell who
    try:
        return client.user(latest.author).name
    except SiteError:
        return f"user #{latest.author}"


class SitePublish:
    """Publishing and its conflicts; `SiteService` hands its calls here."""

    def __init__(
        self, uow: UowFactory, importer: ImportService, opener: Opener, note_error: NoteError
    ):
        self._uow = uow
        self._importer = importer
        self._open_by_id = opener
        self._note_error = note_error

    def publish(
        self,
        name: str,
        article_id: int,
        status: str | None = None,
        *,
        force: bool = False,
        base: str | None = None,
    ) -> PublishResult:
        """Send an article as a post (new or an update); an update checks the site's
        `modified_gmt` against the one last seen (or `base`, the one a merge started from),
        unless `force` (keep mine)."""
        if status is not None and status not in PUBLISH_STATUSES:
            raise InvalidInput(f"--status must be one of {', '.join(PUBLISH_STATUSES)}")
        holder = ""  # our claim on an article with no post yet (see store.sites.PUBLISHING)
        updating = ""  # our claim on an article's post being updated (store.sites.UPDATING)
        adopt_since: datetime | None = None  # a publish crashed: its post may be there
        sent_before: dict[str, datetime] = {}  # the marks of what it sent (its proof)
        with self._uow() as uow:
            # Writes follow (a claim): take the write lock first, so a publish of the same
            # article at the same moment waits and then sees our claim.
            uow.bulk.begin_write()
            site_id = find_site(uow, name).id
            article = uow.articles.get(article_id, full=True)
            if article is None:
                raise NotFound(f"no article with id {article_id}")
            if article.deleted_at is not None:
                raise InvalidInput(
                    f"article {article_id} (“{article.title}”) is in the Trash; restore it first"
                )
            link = uow.sites.local_link("article", article_id)
            now = datetime.now(UTC)
            if link is not None and link.site_id != site_id and _free(link, now):
                # A publish to another site failed there before its post was linked: the
                # article goes where it is sent now.
                uow.sites.remove_link(link)
                uow.flush()
                link = None
            if link is not None and link.site_id != site_id:
                raise InvalidInput(f"article {article_id} belongs to another site")
            if link is not None and link.remote_state == PUBLISHING:
                since = claim_time(link.remote_modified)
                if not _free(link, now):
                    raise InvalidInput(_busy(article_id, name))
                # The publish that held it failed or crashed, perhaps after the site made
                # the post: take the claim over and look for that post before making one.
                holder = uuid.uuid4().hex
                sent_before = sent_marks(link.link)
                if not uow.sites.retake_claim(link.id, link.remote_hash, holder, now.isoformat()):
                    raise InvalidInput(_busy(article_id, name))
                adopt_since = since or now - CLAIM_STALE
                link = None
            elif link is None:
                holder = uuid.uuid4().hex
                if not uow.sites.claim_article(site_id, article_id, holder, now.isoformat()):
                    raise InvalidInput(_busy(article_id, name))
            else:
                # An update: held too, so two workstations never update the post at once
                # (the second would check the site before the first's change is recorded).
                updating = uuid.uuid4().hex
                if not uow.sites.claim_update(
                    site_id, article_id, updating, now, now - CLAIM_STALE
                ):
                    raise InvalidInput(_busy(article_id, name))
            remote_id = link.remote_id if link else None
            if base is not None and remote_id is None:
                raise InvalidInput(f"article {article_id} is not on {name} yet; drop --base")
            seen = (link.remote_modified, link.remote_hash) if link else ("", "")
            trashed_there = link is not None and link.remote_state == TRASHED
            emails = [b.author.email for b in article.bylines if b.author.email]
            names = [b.author.name for b in article.bylines]
            figures = [
                (f.id, f.caption, f.credit, f.alt, f.anchor, f.image, f.image_mime, f.source_url)
                for f in article.figures
            ]
            figure_links = uow.sites.local_links("figure", [f[0] for f in figures])
            media_ids = {
                fid: lnk.remote_id for fid, lnk in figure_links.items() if lnk.site_id == site_id
            }
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
            linked_posts = set(uow.sites.remote_ids(site_id, "article")) if adopt_since else set()
            uow.commit()
        wp_status = status or {"published": "publish", "scheduled": "future"}.get(
            data.status, "draft"
        )
        kind = "pages" if data.kind == "page" else "posts"
        messages: list[str] = []
        gone_id: int | None = None  # the linked post, deleted on the site
        try:
            with self._open_by_id(site_id) as client:
                current = None
                if remote_id is not None:
                    # An update: its conflict check, and the categories the site gave it.
                    try:
                        current = client.post(remote_id, kind)
                    except SiteRefused as exc:
                        if exc.status not in (404, 410):
                            raise
                        # Deleted there (its trash emptied, or deleted outright): nothing to
                        # update or to be in conflict with; the article goes as a new post.
                        gone_id, remote_id = remote_id, None
                        messages.append(
                            f"post {gone_id} was deleted on {name}; “{data.title}” went there "
                            "as a new post"
                        )
                if adopt_since is not None and sent_before:
                    current = _made_by_crashed_publish(
                        client, kind, data, adopt_since, linked_posts, sent_before
                    )
                    if current is not None:
                        remote_id = current.id
                        messages.append(
                            f"post {current.id} on {name} was made by a publish of this article "
                            "that was interrupted; updated it rather than making another"
                        )
                        # Ours: when it holds exactly what that publish sent and was not
                        # changed after it (a site editor's status, excerpt or terms), nothing
                        # of anyone else's to keep. Otherwise it was edited on the site: the
                        # claim becomes its link, never seen, and it is the conflict of any
                        # linked post edited there (merge, take theirs or keep mine).
                        as_is = sent_as_is(current, sent_before) and not _changed_after(
                            current, max([adopt_since, *sent_before.values()])
                        )
                        if not (as_is or force):
                            self._link_edited(article_id, holder, current)
                        force = force or as_is
                if current is not None and not force:
                    changed = (
                        current.modified_gmt != base
                        if base is not None
                        else (current.modified_gmt, post_hash(current)) != seen
                    )
                    if changed and base is None and trashed_there:
                        # Kept here while the site trashed the post: if trashing is all that
                        # changed there, publishing restores it (our status and slug).
                        changed = not _only_trashed(current, seen[1])
                    if changed:
                        who = who_edited(client, current, kind)
                        by = f" by {who}" if who else ""
                        raise PublishConflict(
                            f"“{current.title}” was changed on the site{by} at "
                            f"{current.modified_gmt} UTC since it was last sent or pulled; "
                            "merge it, take theirs, or publish --force to keep yours",
                            current_version=version,
                            edited_by=who,
                            modified_gmt=current.modified_gmt,
                            remote_id=current.id,
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
                    m = None
                    if media_id is not None:
                        try:
                            m = client.update_media(media_id, media_fields)
                        except SiteRefused as exc:
                            if exc.status not in (404, 410) or not image:
                                raise
                            media_id = None  # deleted there: uploaded anew
                    if media_id is None and image:
                        ext = mimetypes.guess_extension(mime or "") or ".jpg"
                        m = client.upload_media(
                            f"copydesk-figure-{fid}{ext}", bytes(image), mime or "image/jpeg"
                        )
                        # Recorded at once: a publish that fails or crashes after this (and
                        # the one that takes its claim over) finds it there, not uploaded twice.
                        self._record_media(site_id, fid, m.id, m.source_url)
                        m = client.update_media(m.id, media_fields)
                    if m is not None:
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
                    fields["categories"] = _categories(client, data.section, current)
                    fields["tags"] = [
                        _term(client, "post_tag", t) for t in data.tags if not t.startswith("wp:")
                    ]
                if uploaded:
                    fields["featured_media"] = next(iter(uploaded.values()))[0]
                user = _find_user(client.users(), emails, names)
                if user is not None:
                    fields["author"] = user.id
                if holder:
                    # What the site may make of it (or, adopting a crashed publish's post,
                    # make it into) is known for ours (a pull holds it for this article, the
                    # next publish adopts it) by the mark of what is sent. Nothing is known
                    # by an article without words: no mark noted, the claim checked alone.
                    mark = sent_mark(data.title, content)
                    self._note_sent(article_id, holder, mark, datetime.now(UTC))
                post = client.save_post(fields, remote_id, kind)
        except BaseException as exc:
            # Failed (or stopped) before the link was written: the next publish takes the
            # claim over, after a look for a post this one may have made.
            self._release_holds(article_id, holder, updating)
            if isinstance(exc, SiteError):
                self._note_error(site_id, str(exc))
            raise
        try:
            with self._uow() as uow:
                # The site answered; what it made is recorded in a short transaction (the
                # write lock first: a read begun before another writer's commit could not
                # write on SQLite).
                uow.bulk.begin_write()
                if updating and not uow.sites.release_update(article_id, updating):
                    # Slower than CLAIM_STALE: another publish took the post over and checks
                    # the site for itself; what it records is the newer.
                    uow.rollback()
                    messages.append(
                        f"post {post.id} was updated, but another publish of article "
                        f"{article_id} took it over meanwhile; that one records it"
                    )
                    return PublishResult(post.id, post.link, post.status, tuple(messages))
                link = uow.sites.local_link("article", article_id)
                other = uow.sites.links(site_id, "article", [post.id]).get(post.id)
                if other is not None and other.local_id != article_id:
                    # A pull while we sent found the new post and imported it as an article.
                    raise InvalidInput(
                        f"post {post.id} on {name} ({post.link}) was pulled meanwhile as article "
                        f"{other.local_id}: a duplicate of article {article_id} here; delete one"
                    )
                if link is None:
                    link = uow.sites.add_link(new_link(site_id, "article", article_id, post.id))
                elif link.remote_id != post.id:
                    ours = link.remote_state == PUBLISHING or (
                        gone_id is not None and link.remote_id == gone_id
                    )
                    if not ours:
                        # Another publish linked the article to its own post meanwhile: that
                        # link stays; two posts of one article are for the user to settle there.
                        raise InvalidInput(
                            f"article {article_id} is on {name} as post {link.remote_id}, and this "
                            f"publish made post {post.id} as well ({post.link}): a duplicate; "
                            "delete one of them on the site"
                        )
                    link.remote_id = post.id
                link.remote_modified = post.modified_gmt
                link.remote_hash = post_hash(post)
                link.remote_state = f"v{version}"
                link.link = post.link
                known = uow.sites.local_links("figure", list(uploaded))
                for fid, (media_id, url) in uploaded.items():
                    figure_link = known.get(fid)
                    if figure_link is None:
                        figure_link = uow.sites.add_link(new_link(site_id, "figure", fid, media_id))
                    # Where the site keeps it: a pull tells our figure from a new one by it.
                    figure_link.site_id, figure_link.remote_id = site_id, media_id
                    figure_link.link = url
                uow.commit()
        except InvalidInput:
            self._release_holds(article_id, holder, updating)  # a duplicate: not held
            raise
        return PublishResult(post.id, post.link, post.status, tuple(messages))

    def _note_sent(self, article_id: int, holder: str, mark: str, at: datetime) -> None:
        """The claim keeps the mark of what is about to be sent (a short transaction)."""
        with self._uow() as uow:
            uow.bulk.begin_write()
            held = uow.sites.note_sent(article_id, holder, mark, at)
            uow.commit()
        if not held:
            # Slower than CLAIM_STALE: another publish took the article over.
            raise InvalidInput(
                f"article {article_id} was taken over by another publish meanwhile; "
                "nothing was sent"
            )

    def _link_edited(self, article_id: int, holder: str, post: RemotePost) -> None:
        """A crashed publish's post was edited on the site since: the claim becomes the
        article's link to it, seen never (a short transaction of its own)."""
        with self._uow() as uow:
            uow.bulk.begin_write()
            linked = uow.sites.claim_to_link(article_id, holder, post.id, UNSETTLED, post.link)
            uow.commit()
        if not linked:
            raise InvalidInput(
                f"article {article_id} was taken over by another publish meanwhile; "
                "nothing was sent"
            )

    def _record_media(self, site_id: int, figure_id: int, media_id: int, url: str) -> None:
        """A figure's image is on the site as `media_id` (a short transaction of its own)."""
        with self._uow() as uow:
            uow.bulk.begin_write()
            link = uow.sites.local_link("figure", figure_id)
            if link is None:
                link = uow.sites.add_link(new_link(site_id, "figure", figure_id, media_id))
            link.site_id, link.remote_id, link.link = site_id, media_id, url
            uow.commit()

    def _release_holds(self, article_id: int, holder: str, updating: str) -> None:
        """Give up this publish's claim on a new article (`holder`) and its hold on an
        update (`updating`), whichever it has, in a short transaction of their own."""
        if not (holder or updating):
            return
        with self._uow() as uow:
            uow.bulk.begin_write()
            if holder:
                uow.sites.give_up_claim(article_id, holder)
            if updating:
                uow.sites.release_update(article_id, updating)
            uow.commit()

    def _linked(self, name: str, article_id: int) -> tuple[int, str, int, str]:
        """(site id, site URL, remote id, REST route) of an article that went to site `name`."""
        with self._uow() as uow:
            site = find_site(uow, name)
            link = uow.sites.local_link("article", article_id)
            if link is None or link.site_id != site.id or link.remote_state == PUBLISHING:
                raise NotFound(f"article {article_id} is not on {name}")
            here = uow.articles.get(article_id)
            kind = "pages" if here is not None and here.kind == "page" else "posts"
            return site.id, site.url, link.remote_id, kind

    def site_version(self, name: str, article_id: int) -> SiteVersion:
        """The site's current version of a published article, and who last edited it."""
        site_id, url, remote_id, kind = self._linked(name, article_id)
        with self._open_by_id(site_id) as client:
            post = _linked_post(client, remote_id, kind, name)
            data = SitePull(self._uow, self._importer).article_data(client, post, url, images=False)
            who = who_edited(client, post, kind)
        return SiteVersion(
            site=name,
            article_id=article_id,
            remote_id=post.id,
            title=data.title,
            dek=data.dek,
            body_html=data.body_html,
            modified_gmt=post.modified_gmt,
            post_hash=post_hash(post),
            edited_by=who,
            link=post.link,
        )

    def merged(self, theirs: SiteVersion) -> None:
        """The merged article was saved: the next publish goes on top of the site's version
        that was shown (a later change there is a conflict again)."""
        with self._uow() as uow:
            uow.bulk.begin_write()  # writes follow: the lock before the reads (SQLite)
            link = uow.sites.local_link("article", theirs.article_id)
            if link is None or link.remote_id != theirs.remote_id:
                raise NotFound(f"article {theirs.article_id} is not on {theirs.site}")
            # Not while a publish updates the post (its hold): the base it records after
            # the site answered would be overwritten by the older one shown here.
            holder, now = uuid.uuid4().hex, datetime.now(UTC)
            if not uow.sites.claim_update(
                link.site_id, theirs.article_id, holder, now, now - CLAIM_STALE
            ):
                raise InvalidInput(_busy(theirs.article_id, theirs.site))
            link.remote_modified = theirs.modified_gmt
            link.remote_hash = theirs.post_hash
            uow.sites.release_update(theirs.article_id, holder)
            uow.commit()

    def diff(self, name: str, article_id: int) -> tuple[SiteVersion, str]:
        """The site's version and a unified diff of the words, ours → theirs."""
        theirs = self.site_version(name, article_id)
        with self._uow() as uow:
            article = uow.articles.get(article_id)
            if article is None:
                raise NotFound(f"no article with id {article_id}")
            ours = _lines(article.title, article.dek, article.body_html)
            version = article.version
        by = f" by {theirs.edited_by}" if theirs.edited_by else ""
        text = "".join(
            difflib.unified_diff(
                ours,
                _lines(theirs.title, theirs.dek, theirs.body_html),
                fromfile=f"article {article_id} here (version {version})",
                tofile=f"{name} post {theirs.remote_id} ({theirs.modified_gmt} UTC{by})",
            )
        )
        return theirs, text

    def take_theirs(self, name: str, article_id: int) -> PublishResult:
        """Settle a publish conflict the site's way: its post replaces the article here
        (a revision keeps ours), and the next publish starts from it."""
        site_id, url, remote_id, kind = self._linked(name, article_id)
        # Held as an update is (a publish of the article meanwhile is refused, and one
        # under way refuses this): what either records would otherwise undo the other's.
        updating = uuid.uuid4().hex
        with self._uow() as uow:
            uow.bulk.begin_write()
            now = datetime.now(UTC)
            if not uow.sites.claim_update(site_id, article_id, updating, now, now - CLAIM_STALE):
                raise InvalidInput(_busy(article_id, name))
            uow.commit()
        try:
            with self._open_by_id(site_id) as client:
                post = _linked_post(client, remote_id, kind, name)
                data = SitePull(self._uow, self._importer).article_data(client, post, url)
            with self._uow() as uow:
                uow.bulk.begin_write()  # writes follow: the lock before the reads (SQLite)
                article = uow.articles.get(article_id, full=True)
                link = uow.sites.local_link("article", article_id)
                if article is None or link is None:
                    raise NotFound(f"no article with id {article_id}")
                if not uow.sites.release_update(article_id, updating):
                    # Slower than CLAIM_STALE: a publish took the post over meanwhile.
                    raise InvalidInput(_busy(article_id, name))
                if link.site_id != site_id or link.remote_id != remote_id:
                    # A publish that ended before our hold linked the article to another
                    # post (the one read was deleted there): not that post's version.
                    raise InvalidInput(
                        f"article {article_id} went to {name} as post {link.remote_id} "
                        f"meanwhile (not post {remote_id}); try again"
                    )
                take_theirs(uow, article, link, post, data, url, "Took the site's version")
                uow.commit()
                updating = ""  # released with it
        finally:
            self._release_holds(article_id, "", updating)
        return PublishResult(post.id, post.link, post.status)


def _linked_post(client: WordPressClient, remote_id: int, kind: str, name: str) -> RemotePost:
    try:
        return client.post(remote_id, kind)
    except SiteRefused as exc:
        if exc.status not in (404, 410):
            raise
        raise NotFound(
            f"post {remote_id} was deleted on {name}: there is no version of it there to "
            "take or merge; publish the article to put it back as a new post"
        ) from exc


def _free(link: SiteLink, now: datetime) -> bool:
    """A publish's claim that no publish holds any more (it failed, or crashed long ago)."""
    if link.remote_state != PUBLISHING:
        return False
    since = claim_time(link.remote_modified)
    return not link.remote_hash or since is None or now - since >= CLAIM_STALE


def _busy(article_id: int, name: str) -> str:
    return (
        f"article {article_id} is being published to {name} already; "
        "try again when that publish is done"
    )


def _made_by_crashed_publish(
    client: WordPressClient,
    kind: str,
    data: ArticleData,
    since: datetime,
    linked: set[int],
    marks: dict[str, datetime],
) -> RemotePost | None:
    """The post a publish of this article made before it crashed (it never linked it):
    one not linked here holding the title and words an attempt of that publish sent (one
    of `marks`; the article may have been renamed or re-slugged since), changed since:
    never a post someone else wrote (see `made_by_publish_of`). Whether it holds exactly
    what was sent is the caller's to check (`sent_as_is`)."""
    first = min([since, *marks.values()]) - CLOCKS
    after = (first - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%S")  # the site's time zone
    posts = (p for p in client.posts(kind, modified_after=after) if p.id not in linked)
    return made_by_publish_of(posts, marks, data.slug)


def _changed_after(post: RemotePost, sent: datetime) -> bool:
    """Whether the post was changed after a publish that sent at `sent` (our clock: the
    site's may differ by CLOCKS), by anyone but that publish."""
    changed = parse_gmt(post.modified_gmt)
    return changed is None or changed > sent + CLOCKS


def _lines(title: str, dek: str, body_html: str) -> list[str]:
    paragraphs = [p.strip() for p in html_to_text(body_html).split("\n") if p.strip()]
    return [f"{line}\n" for line in (f"# {title}", dek, "", *paragraphs)]


def _only_trashed(current: RemotePost, seen_hash: str) -> bool:
    """The post is in the site's trash and otherwise as we last saw it (WordPress's trash
    changes its status and adds "__trashed" to its slug, nothing else)."""
    if current.status != "trash":
        return False
    slug = current.slug.removesuffix("__trashed")
    return any(
        post_hash(replace(current, status=status, slug=slug)) == seen_hash
        for status in POST_STATUSES.split(",")
    )


def _categories(client: WordPressClient, section: str, current: RemotePost | None) -> list[int]:
    """The categories to send: the section's, and the post's other categories on the site.

    A pull makes the post's first real category the section (an article has one); the rest
    stay on the site: an update keeps them (the next publish used to remove them)."""
    ours = _term(client, "category", section) if section else None
    others: list[int] = []
    if current is not None and current.categories:
        names = {t.id: t.name for t in client.terms("category")}
        real = [c for c in current.categories if names.get(c, "").lower() != "uncategorized"]
        # Our section there already: every other one stays. Otherwise the section changed
        # here, and it replaces the one the pull took it from (the first).
        others = [c for c in real if c != ours] if ours in real else real[1:]
    return ([ours] if ours is not None else []) + others


def _term(client: WordPressClient, taxonomy: str, name: str) -> int:
    """The site's term of that name (the client gives names unescaped), made if need be."""
    wanted = html.unescape(name).strip().lower()
    for t in client.terms(taxonomy):
        if t.name.strip().lower() == wanted:
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
