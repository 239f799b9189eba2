"""Pulling a site: what changed there since the last pull, through the importer.

New posts and new comments go through `ImportService`, so they are checked, cleaned and
auto-moderated as an import is; the links (site, kind, remote id) and the marks where the
next pull starts are written after it, and a pull interrupted between the two is completed
by the next one (the importer recognises what it already wrote by source key and
fingerprint).
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from editor_app.domain.errors import Cancelled
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData, FigureData
from editor_app.formats.htmlbody import html_to_text
from editor_app.formats.wxr import body_from_wordpress
from editor_app.remote.wordpress import (
    RemoteComment,
    RemotePost,
    RemoteUser,
    SiteError,
    WordPressClient,
    parse_gmt,
)
from editor_app.services.importing import ImportOptions, ImportService, _fingerprint
from editor_app.services.outbox import (
    FROM_WORDPRESS,
    TO_WORDPRESS,
    content_hash,
    seen_now,
    unsent,
)
from editor_app.services.revisions import make_revision
from editor_app.services.site_deletions import (
    SKIPPED_COMMENT,
    TRASHED,
    apply_gone,
    find_gone,
    note_skipped,
)
from editor_app.store.models import Article, ArticleTag, Figure, ModerationAction, SiteLink
from editor_app.store.sites import claim_time
from editor_app.store.uow import UnitOfWork, UowFactory

Progress = Callable[[int, int, str], None]
IsCancelled = Callable[[], bool]
# The site's clock may run behind ours: a post made by a publish is looked for among those
# changed since its claim, less this.
CLOCKS = timedelta(minutes=10)
# A failed publish's claim holds the post it may have made (and its comments) for its next
# publish this long; after that a pull takes the post in as a new article.
HOLD_FOR = timedelta(days=2)

# WordPress post statuses as workflow statuses (as the WXR importer reads them).
POST_STATUS_IN = {
    "publish": "published",
    "draft": "draft",
    "pending": "copyedit",
    "future": "scheduled",
    "private": "draft",
    "trash": "spiked",
}


@dataclass(frozen=True)
class PullResult:
    articles: int
    authors: int
    comments: int
    updated: int
    skipped: int
    requests: int
    messages: tuple[str, ...] = ()


class SitePull:
    """One pull of one site, with an open client; `SiteService.pull` runs it."""

    def __init__(self, uow: UowFactory, importer: ImportService):
        self._uow = uow
        self._importer = importer

    def run(
        self,
        client: WordPressClient,
        site_id: int,
        url: str,
        after: str,
        last_comment: int,
        progress: Progress | None,
        cancelled: IsCancelled,
        *,
        auto_send: bool = False,
    ) -> PullResult:
        def check() -> None:
            if cancelled():
                raise Cancelled("pull cancelled; nothing was changed")

        def say(done: int, total: int, what: str) -> None:
            check()
            if progress:
                progress(done, total, what)

        say(0, 0, "users")
        users = {u.id: u for u in client.users()}
        categories = {t.id: t.name for t in client.terms("category")}
        tags = {t.id: t.name for t in client.terms("post_tag")}
        say(0, 0, "posts")
        since = _before_the_mark(after)
        # By id: a post or comment met twice (the site changed while we paged) counts once.
        by_id: dict[int, RemotePost] = {}
        for kind in ("posts", "pages"):
            for p in client.posts(kind, modified_after=since):
                by_id[p.id] = p
                say(len(by_id), 0, p.title)
        say(0, 0, "comments")
        comments = sorted(
            {c.id: c for c in client.comments(after_id=last_comment)}.values(), key=lambda c: c.id
        )
        with self._uow() as uow:
            publishing = _publishing(uow, site_id)
            # A comment on a post or page not met and not linked: the post is read by id (a
            # publish's post the marks went past, held until the publish adopts it, or
            # taken in once its claim stops holding), so the comment is not skipped.
            linked_ids = uow.sites.links(site_id, "article", {c.post for c in comments})
        unknown = sorted({c.post for c in comments} - set(by_id) - set(linked_ids))
        for kind in ("posts", "pages") if unknown else ():
            for p in client.posts_by_id(unknown, kind):
                by_id.setdefault(p.id, p)
        posts = list(by_id.values())
        with self._uow() as uow:
            seen = {
                r: (lnk.remote_modified, lnk.remote_hash)
                for r, lnk in uow.sites.links(site_id, "article", [p.id for p in posts]).items()
            }
            open_ids = [lnk.remote_id for lnk in uow.sites.open_comment_links(site_id)]
        # modified_gmt counts whole seconds: an edit within the second of the last pull or
        # send shows only in the words, so those are compared too. A post a publish of ours
        # made and has not linked yet is that article's (the publish links it, or the next
        # one adopts it), not a new one: known by the mark of what that publish sent.
        unseen = [p for p in posts if p.id not in seen]
        held = {
            ours.id
            for marks, slug in publishing
            if (ours := made_by_publish_of(unseen, marks, slug)) is not None
        }
        fresh = [
            p
            for p in posts
            if seen.get(p.id) != (p.modified_gmt, post_hash(p)) and p.id not in held
        ]
        rechecked = list(client.comments(include=open_ids)) if open_ids else []
        media = self._media(client, fresh)
        datas: list[ArticleData] = []
        for i, p in enumerate(fresh):
            say(i, len(fresh), p.title)
            datas.append(self._article_data(client, p, url, users, categories, tags, media))
        check()
        # New posts, and new comments on new or known posts, go through the importer.
        with self._uow() as uow:
            linked = uow.sites.links(site_id, "article", {c.post for c in comments})
            comment_links = {
                r: lnk.local_id
                for r, lnk in uow.sites.links(
                    site_id, "comment", {c.parent for c in comments}
                ).items()
            }
            article_keys = {lnk.remote_id: lnk.local_id for lnk in linked.values()}
            titles = uow.articles.titles(article_keys.values())
            import_keys, to_give = _import_keys(uow, site_id, url, article_keys)
        if to_give:
            import_keys.update(self._give_keys(to_give))
        new_by_post = {p.id: d for p, d in zip(fresh, datas, strict=True) if p.id not in seen}
        by_post: dict[int, list[RemoteComment]] = {}
        skipped_ids: list[int] = []
        waiting: list[int] = []  # on a post a publish made and has not linked yet
        for c in comments:
            if c.post in held:
                waiting.append(c.id)
            elif c.post in new_by_post or c.post in article_keys:
                by_post.setdefault(c.post, []).append(c)
            else:
                skipped_ids.append(c.id)  # on an attachment, or a post type we do not carry
        bundle_articles: list[ArticleData] = []
        for post_id, data in new_by_post.items():
            datas_of = _comment_datas(by_post.pop(post_id, []), suggest_only=not auto_send)
            bundle_articles.append(replace(data, comments=datas_of))
        for post_id, cs in by_post.items():
            local_id = article_keys.get(post_id)
            if local_id is None:
                skipped_ids.extend(c.id for c in cs)
                continue
            stored_parents = {
                str(c.parent): comment_links[c.parent]
                for c in cs
                if c.parent and c.parent in comment_links
            }
            bundle_articles.append(
                ArticleData(
                    title=titles.get(local_id, "") or f"post {post_id}",
                    body_html="",
                    source_key=import_keys.get(post_id) or _source_key(url, post_id),
                    comments=_comment_datas(cs, suggest_only=not auto_send),
                    stored_parents=tuple(stored_parents.items()),
                )
            )
        authors = 0
        imported_comments = 0
        created = 0
        if bundle_articles:
            say(0, 0, "writing")
            result = self._importer.import_bundles(
                [Bundle(articles=tuple(bundle_articles), authors=())],
                ImportOptions(actor=f"site:{url}"),
                cancelled=cancelled,
            )
            authors = result.authors
            imported_comments = result.comments
            created = result.articles  # a post already here (from the site's WXR) is linked
        # Links, changes of known posts and statuses, and where the next pull starts.
        with self._uow() as uow:
            updated, messages = self._link_and_update(
                uow,
                site_id,
                url,
                posts,
                fresh,
                datas,
                bundle_articles,
                comments,
                rechecked,
                auto_send=auto_send,
            )
            # Comments seen and not carried: the check for deletions counts them.
            noted = uow.sites.links(site_id, SKIPPED_COMMENT, skipped_ids)
            note_skipped(uow, site_id, [r for r in skipped_ids if r not in noted])
            site = uow.sites.get(site_id)
            assert site is not None
            # A post scheduled for later is "modified" at its date, in the future: it must not
            # move the mark past posts changed before then.
            now = (client.server_time or datetime.now(UTC)).strftime("%Y-%m-%dT%H:%M:%S")
            marks = [p.modified for p in posts if p.modified_gmt and p.modified_gmt <= now]
            if marks:
                site.posts_modified_after = max([after, *marks])
            if comments:
                # Not past a comment that waits for its post's publish: the next pull reads
                # it again (what it already wrote is recognised).
                mark = min([comments[-1].id, *(c - 1 for c in waiting)])
                site.last_comment_id = max(last_comment, mark)
            site.last_pull_at = datetime.now(UTC)
            site.last_error = ""
            uow.commit()

        # What went from the site since: its own transaction, after the pull was written.
        # A Cancel or a site error here keeps the pull (and says so): the next pull checks.
        def check_deletions() -> None:
            if cancelled():
                raise Cancelled("checking deletions was cancelled")

        try:
            if progress:
                progress(0, 0, "deletions")
            gone = find_gone(client, self._uow, site_id, check_deletions)
            if gone:
                n, said = apply_gone(self._uow, site_id, url, gone)
                updated += n
                messages.extend(said)
        except Cancelled:
            messages.append("pulled; checking deletions was cancelled (the next pull checks them)")
        except SiteError as exc:
            said_error = f"pulled; checking deletions failed: {exc}"
            messages.append(said_error)
            with self._uow() as uow:
                site = uow.sites.get(site_id)
                if site is not None:
                    site.last_error = said_error
                    uow.commit()
        if progress:
            progress(1, 1, "")
        return PullResult(
            articles=created,
            authors=authors,
            comments=imported_comments,
            updated=updated,
            skipped=len(skipped_ids),
            requests=client.counter.requests,
            messages=tuple(messages),
        )

    def article_data(
        self, client: WordPressClient, p: RemotePost, url: str, *, images: bool = True
    ) -> ArticleData:
        """One post as an article (a merge shows it; take theirs writes it)."""
        users = {u.id: u for u in client.users()}
        categories = {t.id: t.name for t in client.terms("category")}
        tags = {t.id: t.name for t in client.terms("post_tag")}
        media = self._media(client, [p])
        return self._article_data(client, p, url, users, categories, tags, media, images=images)

    def _media(
        self, client: WordPressClient, posts: Sequence[RemotePost]
    ) -> dict[int, tuple[int, str, str, str]]:
        ids: set[int] = set()
        for p in posts:
            if p.featured_media:
                ids.add(p.featured_media)
            ids.update(int(m) for m in re.findall(r"wp-image-(\d+)", p.content))
        if not ids:
            return {}
        return {
            m.id: (m.id, m.source_url, m.caption, m.alt_text) for m in client.media(sorted(ids))
        }

    def _article_data(
        self,
        client: WordPressClient,
        p: RemotePost,
        url: str,
        users: dict[int, RemoteUser],
        categories: dict[int, str],
        tags: dict[int, str],
        media: dict[int, tuple[int, str, str, str]],
        *,
        images: bool = True,
    ) -> ArticleData:
        body, figures = body_from_wordpress(p.content, list(media.values()))
        figs = list(figures)
        featured = media.get(p.featured_media)
        if featured and not any(f.source_url == featured[1] for f in figs):
            figs.insert(
                0,
                FigureData(
                    caption=html_to_text(featured[2]),
                    alt=featured[3],
                    anchor=0,
                    source_url=featured[1],
                ),
            )
        host = urlsplit(url).netloc
        with_images = []
        for f in figs:
            got = (
                client.download(f.source_url)
                if images and f.source_url and urlsplit(f.source_url).netloc == host
                else None
            )
            if got and got[1].startswith("image/"):
                f = replace(f, image=got[0], image_mime=got[1])
            with_images.append(f)
        user = users.get(p.author)
        names = [categories[c] for c in p.categories if c in categories]
        real = [n for n in names if n.lower() != "uncategorized"]
        status = POST_STATUS_IN.get(p.status, "draft")
        return ArticleData(
            title=p.title or f"Untitled {p.type} {p.id}",
            body_html=body,
            dek=html_to_text(p.excerpt),
            slug=p.slug,
            status=status,
            section=real[0] if real else (names[0] if names else ""),
            tags=tuple(tags[t] for t in p.tags if t in tags),
            authors=(_author_data(user),) if user else (),
            figures=tuple(with_images),
            published_at=p.date_gmt if status in {"published", "scheduled"} else None,
            source_key=_source_key(url, p.id),
            kind="page" if p.type == "page" else "post",
        )

    def _link_and_update(
        self,
        uow: UnitOfWork,
        site_id: int,
        url: str,
        posts: Sequence[RemotePost],
        fresh: Sequence[RemotePost],
        datas: Sequence[ArticleData],
        bundle_articles: Sequence[ArticleData],
        comments: Sequence[RemoteComment],
        rechecked: Sequence[RemoteComment],
        *,
        auto_send: bool,
    ) -> tuple[int, list[str]]:
        updated = 0
        messages: list[str] = []
        by_key = uow.bulk.articles_by_source_key(_source_key(url, p.id) for p in posts)
        post_links = uow.sites.links(site_id, "article", [p.id for p in fresh])
        # Posts: link the new ones; take the site's change of a known one unless it was
        # edited here since (then it waits for a publish, which reports the conflict).
        for p, data in zip(fresh, datas, strict=True):
            link = post_links.get(p.id)
            stored = by_key.get(_source_key(url, p.id))
            if link is None:
                if stored is None:
                    continue
                uow.sites.add_link(
                    SiteLink(
                        site_id=site_id,
                        kind="article",
                        local_id=stored[0],
                        remote_id=p.id,
                        remote_modified=p.modified_gmt,
                        remote_hash=post_hash(p),
                        remote_state=f"v{self._version(uow, stored[0])}",
                        link=p.link,
                    )
                )
                continue
            article = uow.articles.get(link.local_id)
            if article is None:
                continue
            if link.remote_state == TRASHED and article.deleted_at is not None:
                # Back from the site's trash: back from ours too, as the site has it.
                article.deleted_at = None
                take_theirs(uow, article, link, p, data, url, "Restored on the site (pull)")
                updated += 1
                continue
            if link.remote_state and link.remote_state != f"v{article.version}":
                messages.append(
                    f"“{article.title}” changed both here and on the site; kept ours "
                    f"(publish it to decide)"
                )
                continue
            take_theirs(uow, article, link, p, data, url, "Changed on the site (pull)")
            updated += 1
        # Comments: link each new one to the row the importer wrote (or found), a few
        # statements for the whole pull rather than several per comment.
        remote_by_id = {c.id: c for c in comments}
        with_comments = [d for d in bundle_articles if d.comments]
        keys = uow.bulk.articles_by_source_key(d.source_key for d in with_comments)
        all_fps = uow.bulk.fingerprints(
            keys[d.source_key][0] for d in with_comments if d.source_key in keys
        )
        pairs: list[tuple[int, RemoteComment]] = []
        for data in with_comments:
            if data.source_key not in keys:
                continue
            fps = all_fps.get(keys[data.source_key][0], {})
            for key, local_id in _stored_ids(data, fps).items():
                remote = remote_by_id.get(int(key))
                if remote is not None:
                    pairs.append((local_id, remote))
        already = uow.sites.local_links("comment", [local_id for local_id, _ in pairs])
        pairs = [(local_id, r) for local_id, r in pairs if local_id not in already]
        local_status: dict[int, str] = {}
        for start in range(0, len(pairs), 500):
            chunk = [local_id for local_id, _ in pairs[start : start + 500]]
            local_status.update((c.id, c.status) for c in uow.comments.by_ids(chunk))
        for local_id, remote in pairs:
            uow.sites.add_link(
                SiteLink(
                    site_id=site_id,
                    kind="comment",
                    local_id=local_id,
                    remote_id=remote.id,
                    remote_modified=seen_now(),
                    remote_state=remote.status,
                    remote_hash=content_hash(remote.content),
                    link="",
                )
            )
            # The rules decided a comment the site holds: the site gets the decision when the
            # user chose so for this site (otherwise it stayed a suggestion, held here).
            status = local_status.get(local_id)
            if auto_send and status is not None and TO_WORDPRESS.get(status) != remote.status:
                payload: dict[str, object] = {"status": TO_WORDPRESS.get(status, "hold")}
                uow.sites.queue(
                    unsent(site_id, "status", local_id, payload, actor="auto-moderator")
                )
        # Comments still open here that the site decided meanwhile.
        links = uow.sites.links(site_id, "comment", [c.id for c in rechecked])
        waiting = uow.sites.latest_entries("comment", [lnk.local_id for lnk in links.values()])
        for c in rechecked:
            link = links.get(c.id)
            if link is None or c.status == link.remote_state:
                continue
            entry = waiting.get(link.local_id)
            if entry is not None and entry.state in {"waiting", "failed", "conflict"}:
                continue  # our decision is on its way; the push reports the clash
            local = uow.comments.get(link.local_id)
            target = FROM_WORDPRESS.get(c.status)
            link.remote_state = c.status
            link.remote_hash = content_hash(c.content)
            link.remote_modified = seen_now()
            if local is None or target is None or local.status == target:
                continue
            uow.comments.add_action(
                ModerationAction(
                    comment_id=local.id,
                    actor=f"site:{url}",
                    action={"approved": "approve", "pending": "hold"}.get(target, target),
                    from_status=local.status,
                    to_status=target,
                    reason="decided on the site",
                )
            )
            local.status = target
            updated += 1
        return updated, messages

    def _give_keys(self, to_give: dict[int, tuple[int, str, int | None]]) -> dict[int, str]:
        """Articles made here are given the site's source key (see `_import_keys`): in a
        short write transaction of their own, their versions untouched (the site's link and
        an open editor go by them). post id -> the key of those given it."""
        out: dict[int, str] = {}
        with self._uow() as uow:
            uow.bulk.begin_write()
            for post_id, (local_id, key, from_id) in to_give.items():
                if uow.bulk.give_source_key(local_id, key, from_id=from_id):
                    out[post_id] = key
            uow.commit()
        return out

    @staticmethod
    def _version(uow: UnitOfWork, article_id: int) -> int:
        a = uow.articles.get(article_id)
        return a.version if a is not None else 0

    # -- push -------------------------------------------------------------------------------


def take_theirs(
    uow: UnitOfWork,
    article: Article,
    link: SiteLink,
    p: RemotePost,
    data: ArticleData,
    url: str,
    note: str,
) -> None:
    """The site's post over the article here (title, body, dek, status, section, tags and
    figures), as a revision. A figure that went from here is told by where the site keeps
    it (its link), so it keeps its id and image; one new on the site is added."""
    article.title = data.title
    article.body_html = data.body_html
    article.body_text = html_to_text(data.body_html)
    article.dek = data.dek
    article.status = data.status
    if p.type != "page":
        article.section = data.section
        wanted = list(dict.fromkeys(t.strip()[:100] for t in data.tags if t.strip()))
        kept = {t.tag for t in article.tags if t.tag.startswith("wp:")}  # ours, never sent
        article.tags[:] = [t for t in article.tags if t.tag in wanted or t.tag in kept]
        have = {t.tag for t in article.tags}
        article.tags.extend(ArticleTag(tag=t) for t in wanted if t not in have)
    _take_figures(uow, article, data.figures)
    article.updated_at = datetime.now(UTC)
    uow.flush()
    uow.articles.add_revision(make_revision(article, saved_by=f"site:{url}", note=note))
    uow.flush()
    link.remote_modified = p.modified_gmt
    link.remote_hash = post_hash(p)
    link.remote_state = f"v{article.version}"
    link.link = p.link


def _take_figures(uow: UnitOfWork, article: Article, figures: Sequence[FigureData]) -> None:
    links = uow.sites.local_links("figure", [f.id for f in article.figures])
    by_url: dict[str, Figure] = {}
    for f in article.figures:
        for where in (f.source_url, links[f.id].link if f.id in links else ""):
            if where:
                by_url[where] = f
    keep: list[Figure] = []
    for pos, fd in enumerate(figures):
        fig = by_url.pop(fd.source_url, None) if fd.source_url else None
        if fig is None or fig in keep:
            fig = Figure(
                image=fd.image,
                image_mime=fd.image_mime,
                source_url=fd.source_url,
            )
        fig.position, fig.anchor = pos, fd.anchor
        fig.caption, fig.credit, fig.alt = fd.caption, fd.credit, fd.alt
        keep.append(fig)
    gone = [f.id for f in article.figures if f not in keep and f.id in links]
    article.figures[:] = keep
    for fid in gone:
        uow.sites.remove_link(links[fid])


def _import_keys(
    uow: UnitOfWork, site_id: int, url: str, article_keys: dict[int, int]
) -> tuple[dict[int, str], dict[int, tuple[int, str, int | None]]]:
    """post id -> the source key the importer knows its article by (new comments on it go
    there), and post id -> (article id, key, the article to take it from or None) of the
    articles to be given one first. A post published from here is the article's own key,
    not the site's: an article made here without one is given the site's (the key a WXR
    import of the post would have). An empty article that holds that key and is on no site
    (one an older pull made for the comments) gives it up to the linked article; one with
    words or figures (imported from a WXR file) keeps it."""
    out: dict[int, str] = {}
    to_give: dict[int, tuple[int, str, int | None]] = {}
    for post_id, local_id in article_keys.items():
        article = uow.articles.get(local_id)
        if article is None:
            continue
        if article.source_key:
            out[post_id] = article.source_key
            continue
        key = _source_key(url, post_id)
        holder = uow.bulk.articles_by_source_key([key]).get(key)
        if holder is None:
            to_give[post_id] = (local_id, key, None)
        elif uow.sites.local_link("article", holder[0]) is None and _made_for_comments(
            uow.articles.get(holder[0])
        ):
            to_give[post_id] = (local_id, key, holder[0])
        # else: another article on the site has it (pulled as a duplicate before)
    return out, to_give


def _made_for_comments(article: Article | None) -> bool:
    """Whether an article holding a post's key is the empty one an older pull made for
    the post's comments (no body, no figures), not one imported from a file (a WXR export
    of the site): that one keeps its key."""
    return article is not None and not article.body_html.strip() and not article.figures


def _publishing(uow: UnitOfWork, site_id: int) -> list[tuple[dict[str, datetime], str]]:
    """(marks of what it sent, slug) of each article a publish is making a post of on the
    site: one that has sent something, its claim taken less than HOLD_FOR ago."""
    out: list[tuple[dict[str, datetime], str]] = []
    now = datetime.now(UTC)
    for claim in uow.sites.publish_claims(site_id):
        marks = sent_marks(claim.link)
        article = uow.articles.get(claim.local_id)
        if article is None or not marks:
            continue
        at = claim_time(claim.remote_modified)
        if at is None or now - at > HOLD_FOR:
            continue  # given up long ago: the post is the site's, taken in as new
        out.append((marks, article.slug))
    return out


# Cached: a pull asks of every post it has not met once for each open publish claim, and
# holding and adopting ask of the same post again.
@functools.lru_cache(maxsize=1024)
def words_mark(title: str, content: str) -> str:
    """A post's title and words as one value (entities, tags and white space aside); ""
    when it has no words (an image or an embed alone says nothing of who made it)."""
    words = " ".join(html.unescape(html_to_text(content)).split())
    if not words:
        return ""
    return content_hash(f"{' '.join(html.unescape(title).split())}\x1f{words}")[:32]


@functools.lru_cache(maxsize=1024)
def _exact_mark(content: str) -> str:
    """The very content sent (the site gives it back as `content.raw`), line ends and the
    white space at its ends aside."""
    return content_hash(content.replace("\r\n", "\n").strip())[:32]


def sent_mark(title: str, content: str) -> str:
    """What a publish sends as a post's title and content, as the claim keeps it: the
    mark of its title and words, then (after a ".") that of the exact content; "" when
    it has no words (nothing to know the post by: not noted, held or adopted)."""
    words = words_mark(title, content)
    return f"{words}.{_exact_mark(content)}" if words else ""


def sent_marks(value: str) -> dict[str, datetime]:
    """A publish claim's `link`: mark -> when it was sent, of each attempt ("mark@seconds")."""
    out: dict[str, datetime] = {}
    for item in value.split():
        mark, _, at = item.partition("@")
        if mark and at.isdigit():
            out.setdefault(mark, datetime.fromtimestamp(int(at), UTC))
    return out


def _sent_at(p: RemotePost, marks: dict[str, datetime], *, exactly: bool) -> bool:
    words = words_mark(p.title, p.content)
    made = parse_gmt(p.modified_gmt)
    if not words or made is None:
        return False
    exact = f"{words}.{_exact_mark(p.content)}"
    return any(
        (mark == exact if exactly else mark.partition(".")[0] == words) and made >= at - CLOCKS
        for mark, at in marks.items()
    )


def made_by_publish(p: RemotePost, marks: dict[str, datetime]) -> bool:
    """Whether a post not linked here is the one a publish of an article made: it holds
    (the proof) the very title and words an attempt of that publish sent (one of `marks`:
    the title sent, not the article's now, which may have been renamed since), changed
    since that attempt. A post anyone else wrote with the same title is not ours; one with
    no words is no one's we can tell. It may have been edited on the site since (links,
    images, formatting): see `sent_as_is`."""
    return _sent_at(p, marks, exactly=False)


def sent_as_is(p: RemotePost, marks: dict[str, datetime]) -> bool:
    """Whether a post `made_by_publish` holds the exact content an attempt sent: nothing
    of anyone else's in it, so a publish may overwrite it."""
    return _sent_at(p, marks, exactly=True)


def made_by_publish_of(
    posts: Iterable[RemotePost], marks: dict[str, datetime], slug: str
) -> RemotePost | None:
    """Of the posts (none linked here), the one a publish of an article with `slug` made
    (`made_by_publish`). Of several (the same title and words published from another store
    or another article), the one holding exactly what was sent first, then one with the
    article's slug (or the slug WordPress made of it, "-2" and so on): a hint only, the
    article may have been re-slugged since."""
    best: RemotePost | None = None
    best_rank = -1
    for p in posts:
        if not made_by_publish(p, marks):
            continue
        slugged = bool(slug) and (p.slug == slug or p.slug.startswith(f"{slug}-"))
        rank = 2 * sent_as_is(p, marks) + slugged
        if rank > best_rank:
            best, best_rank = p, rank
    return best


def post_hash(p: RemotePost) -> str:
    """What an editor can change in a post, as one value to compare."""
    return content_hash("\x1f".join((p.title, p.content, p.excerpt, p.status, p.slug)))


def _stored_ids(data: ArticleData, fps: dict[str, int]) -> dict[str, int]:
    """comment key -> the id of the stored comment, found by the fingerprint the importer
    gave it (the same walk as the importer's: parents first, repeats told apart)."""
    fp_of = {cid: fp for fp, cid in fps.items()}
    parents = {key: fp_of.get(cid, "") for key, cid in data.stored_parents}
    used: set[str] = set()
    mine: dict[str, str] = {}
    out: dict[str, int] = {}
    for cd in data.comments:
        parent_fp = (
            (mine.get(cd.parent_key) or parents.get(cd.parent_key) or "") if cd.parent_key else ""
        )
        fp = _fingerprint(parent_fp, cd.body, cd.author_name)
        while fp in used:
            fp = _fingerprint(fp, cd.body, "#")
        used.add(fp)
        mine[cd.key] = fp
        if fp in fps:
            out[cd.key] = fps[fp]
    return out


def _source_key(url: str, post_id: int) -> str:
    # The key the WXR importer gives the same post: one article, whichever way it came.
    return f"wxr:{url.rstrip('/')}:{post_id}"


def _before_the_mark(value: str) -> str | None:
    """The pull mark less two seconds (`modified_after` is strict and counts whole seconds):
    posts changed within the mark's second are not missed
    (those unchanged since are recognised by their modified_gmt and left alone)."""
    if not value:
        return None
    try:
        return (datetime.fromisoformat(value) - timedelta(seconds=2)).isoformat()
    except ValueError:
        return None


def _author_data(user: RemoteUser) -> AuthorData:
    return AuthorData(
        name=user.name or user.slug,
        email=user.email,
        login=user.slug,
        bio=user.description,
        url=user.url,
    )


def _comment_datas(
    comments: Sequence[RemoteComment], *, suggest_only: bool
) -> tuple[CommentData, ...]:
    """Site comments as the importer takes them, parents first (their ids are smaller).
    With `suggest_only`, the rules only suggest a verdict on a comment the site holds."""
    out = []
    for c in sorted(comments, key=lambda c: c.id):
        status = FROM_WORDPRESS.get(c.status)
        out.append(
            CommentData(
                key=str(c.id),
                body=c.content,
                parent_key=str(c.parent) if c.parent else None,
                author_name=c.author_name,
                author_email=c.author_email,
                author_url=c.author_url,
                author_ip=c.author_ip,
                posted_at=c.date_gmt,
                # A comment the site holds is the rules' to decide; one it approved, marked
                # spam or trashed keeps that status.
                status=None if status == "pending" else status,
                kind="comment" if c.type in {"comment", ""} else c.type,
                suggest_only=suggest_only and status == "pending",
            )
        )
    return tuple(out)
