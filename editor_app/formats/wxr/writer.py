"""WXR 1.2 writer: item by item, every text in CDATA."""

from __future__ import annotations

import functools
import html
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email.utils import format_datetime
from pathlib import Path
from typing import IO

from editor_app.domain.text import normalise_name, slugify
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData, FigureData
from editor_app.formats.comment_html import (
    clean_comment_html,
    clean_url,
    no_markup,
    text_to_comment_html,
)
from editor_app.formats.wxr.common import (
    _COMMENT_STATUS_OUT,
    _NOT_XML,
    _PING_KINDS,
    _POST_TYPES,
    _STATUS_OUT,
    _WP12,
    _ZERO_DATE,
    BYLINES_META,
    CONTENT_NS,
    DC_NS,
    EXCERPT_NAMESPACES,
    PRIVATE_TAG,
    WFW_NS,
    _blocks,
    _one_line,
)

# ----------------------------------------------------------------------------- writer


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("", value.replace("\r\n", "\n"))


def _esc(value: str) -> str:
    return html.escape(_xml_text(value), quote=True)


def _html_text(value: str) -> str:
    """A title or term name as WordPress reads it (HTML): markup removed, the rest escaped."""
    return html.escape(no_markup(value), quote=False)


def _comment_html(c: CommentData) -> str:
    return text_to_comment_html(c.body) if c.body_is_text else clean_comment_html(c.body)


def _cdata(value: str) -> str:
    # "]]>" cannot stand inside a CDATA section: close it after "]]" and reopen before ">".
    return "<![CDATA[" + _xml_text(value).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _wp_time(value: datetime | None) -> str:
    if value is None:
        return _ZERO_DATE
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")


def _login_for(name: str, taken: set[str]) -> str:
    folded = unicodedata.normalize("NFKD", name)
    folded = "".join(c for c in folded if not unicodedata.combining(c)).lower()
    base = re.sub(r"[^a-z0-9._-]+", "-", folded).strip("-._")[:50] or "author"
    login, n = base, 2
    while login in taken:
        login = f"{base}-{n}"
        n += 1
    taken.add(login)
    return login


@dataclass
class _Person:
    data: AuthorData
    login: str
    author_id: int


class _Terms:
    def __init__(self) -> None:
        self.slugs: dict[str, str] = {}
        self._taken: set[str] = set()

    def add(self, name: str) -> None:
        if name in self.slugs:
            return
        base = slugify(name)
        slug, n = base, 2
        while slug in self._taken:
            slug = f"{base}-{n}"
            n += 1
        self._taken.add(slug)
        self.slugs[name] = slug


def _figure_html(f: FigureData) -> str:
    img = f'<img src="{_esc(f.source_url)}" alt="{_esc(f.alt)}" />' if f.source_url else ""
    caption = html.escape(f.caption.strip(), quote=False)
    if f.credit.strip():
        caption += f' <small class="credit">{html.escape(f.credit.strip(), quote=False)}</small>'
    figcaption = f'<figcaption class="wp-caption-text">{caption.strip()}</figcaption>'
    return f'<figure class="wp-caption">{img}{figcaption if caption.strip() else ""}</figure>'


def _content(article: ArticleData) -> str:
    """Body blocks one per paragraph-group, figures between them as ``<figure>``."""
    blocks = [_one_line(b) for b in _blocks(article.body_html)]
    by_anchor: dict[int, list[str]] = {}
    for f in article.figures:
        if f.source_url or f.caption.strip() or f.credit.strip():
            by_anchor.setdefault(min(f.anchor, len(blocks)), []).append(_figure_html(f))
    parts: list[str] = []
    for i in range(len(blocks) + 1):
        parts.extend(by_anchor.get(i, []))
        if i < len(blocks):
            parts.append(blocks[i])
    return "\n\n".join(parts)


def _ordered_for_export(
    comments: Sequence[CommentData], for_publication: bool
) -> list[tuple[CommentData, str | None]]:
    """Comments to write, parents first, each with the key of its written parent."""
    by_key = {c.key: c for c in comments}
    keep = {c.key for c in comments if not for_publication or (c.status or "pending") == "approved"}

    def written_parent(c: CommentData) -> str | None:
        seen = {c.key}
        parent = c.parent_key
        while parent is not None and parent in by_key and parent not in seen:
            if parent in keep:
                return parent
            seen.add(parent)
            parent = by_key[parent].parent_key
        return None

    pairs = [(c, written_parent(c)) for c in comments if c.key in keep]
    # Parents first: WordPress's importer sorts by comment id and links to earlier ids only.
    children: dict[str | None, list[tuple[CommentData, str | None]]] = {}
    for pair in pairs:
        children.setdefault(pair[1], []).append(pair)
    out: list[tuple[CommentData, str | None]] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        pair = stack.pop()
        out.append(pair)
        stack.extend(reversed(children.get(pair[0].key, [])))
    return out


class _Writer:
    def __init__(self, out: IO[bytes], *, site_url: str, for_publication: bool) -> None:
        self._out = out
        self._site = site_url.rstrip("/")
        self._for_publication = for_publication
        self._comment_id = 0

    def write(self, text: str) -> None:
        self._out.write(text.encode("utf-8", errors="replace"))

    def header(self, site_title: str) -> None:
        site = _esc(self._site)
        self.write(
            '<?xml version="1.0" encoding="UTF-8" ?>\n'
            "<!-- WordPress eXtended RSS (WXR 1.2) written by Copydesk. -->\n"
            '<rss version="2.0"\n'
            f'\txmlns:excerpt="{EXCERPT_NAMESPACES[2]}"\n'
            f'\txmlns:content="{CONTENT_NS}"\n'
            f'\txmlns:wfw="{WFW_NS}"\n'
            f'\txmlns:dc="{DC_NS}"\n'
            f'\txmlns:wp="{_WP12}"\n'
            ">\n\n<channel>\n"
            f"\t<title>{_esc(site_title)}</title>\n"
            f"\t<link>{site}</link>\n"
            "\t<description></description>\n"
            "\t<wp:wxr_version>1.2</wp:wxr_version>\n"
            f"\t<wp:base_site_url>{site}</wp:base_site_url>\n"
            f"\t<wp:base_blog_url>{site}</wp:base_blog_url>\n\n"
        )

    def author(self, p: _Person) -> None:
        first, _, last = p.data.name.strip().rpartition(" ")
        if not first:
            first, last = last, ""
        email = "" if self._for_publication else p.data.email.strip()
        self.write(
            "\t<wp:author>"
            f"<wp:author_id>{p.author_id}</wp:author_id>"
            f"<wp:author_login>{_cdata(p.login)}</wp:author_login>"
            + (f"<wp:author_email>{_cdata(email)}</wp:author_email>" if email else "")
            + f"<wp:author_display_name>{_cdata(p.data.name.strip())}</wp:author_display_name>"
            f"<wp:author_first_name>{_cdata(first)}</wp:author_first_name>"
            f"<wp:author_last_name>{_cdata(last)}</wp:author_last_name>"
            "</wp:author>\n"
        )

    def term(self, kind: str, term_id: int, slug: str, name: str) -> None:
        if kind == "category":
            self.write(
                f"\t<wp:category><wp:term_id>{term_id}</wp:term_id>"
                f"<wp:category_nicename>{_cdata(slug)}</wp:category_nicename>"
                "<wp:category_parent></wp:category_parent>"
                f"<wp:cat_name>{_cdata(_html_text(name))}</wp:cat_name></wp:category>\n"
            )
        else:
            self.write(
                f"\t<wp:tag><wp:term_id>{term_id}</wp:term_id>"
                f"<wp:tag_slug>{_cdata(slug)}</wp:tag_slug>"
                f"<wp:tag_name>{_cdata(_html_text(name))}</wp:tag_name></wp:tag>\n"
            )

    def item(
        self,
        a: ArticleData,
        post_id: int,
        logins: list[str],
        categories: _Terms,
        tags: _Terms,
    ) -> None:
        tag_names = [t for t in dict.fromkeys(a.tags) if t.strip() and t != PRIVATE_TAG]
        status = _STATUS_OUT.get(a.status, "draft")
        if status == "draft" and PRIVATE_TAG in a.tags:
            status = "private"
        kind = a.kind if a.kind in _POST_TYPES else "post"
        link = f"{self._site}/?{'page_id' if kind == 'page' else 'p'}={post_id}"
        pub = format_datetime(a.published_at.astimezone(UTC)) if a.published_at else ""
        when = _wp_time(a.published_at)
        parts = [
            "\t<item>\n",
            f"\t\t<title>{_cdata(_html_text(a.title))}</title>\n",
            f"\t\t<link>{_esc(link)}</link>\n",
            f"\t\t<pubDate>{pub}</pubDate>\n",
            f"\t\t<dc:creator>{_cdata(logins[0] if logins else '')}</dc:creator>\n",
            f'\t\t<guid isPermaLink="false">{_esc(link)}</guid>\n',
            "\t\t<description></description>\n",
            f"\t\t<content:encoded>{_cdata(_content(a))}</content:encoded>\n",
            f"\t\t<excerpt:encoded>{_cdata(a.dek)}</excerpt:encoded>\n",
            f"\t\t<wp:post_id>{post_id}</wp:post_id>\n",
            f"\t\t<wp:post_date>{_cdata(when)}</wp:post_date>\n",
            f"\t\t<wp:post_date_gmt>{_cdata(when)}</wp:post_date_gmt>\n",
            "\t\t<wp:comment_status><![CDATA[open]]></wp:comment_status>\n",
            "\t\t<wp:ping_status><![CDATA[closed]]></wp:ping_status>\n",
            f"\t\t<wp:post_name>{_cdata(a.slug)}</wp:post_name>\n",
            f"\t\t<wp:status>{_cdata(status)}</wp:status>\n",
            "\t\t<wp:post_parent>0</wp:post_parent>\n",
            "\t\t<wp:menu_order>0</wp:menu_order>\n",
            f"\t\t<wp:post_type>{_cdata(kind)}</wp:post_type>\n",
            "\t\t<wp:post_password><![CDATA[]]></wp:post_password>\n",
            "\t\t<wp:is_sticky>0</wp:is_sticky>\n",
        ]
        if a.section.strip():
            slug = categories.slugs[a.section.strip()]
            parts.append(
                f'\t\t<category domain="category" nicename="{_esc(slug)}">'
                f"{_cdata(_html_text(a.section.strip()))}</category>\n"
            )
        for t in tag_names:
            parts.append(
                f'\t\t<category domain="post_tag" nicename="{_esc(tags.slugs[t.strip()])}">'
                f"{_cdata(_html_text(t.strip()))}</category>\n"
            )
        if len(logins) > 1:
            parts.append(
                "\t\t<wp:postmeta>"
                f"<wp:meta_key>{_cdata(BYLINES_META)}</wp:meta_key>"
                f"<wp:meta_value>{_cdata(chr(10).join(logins))}</wp:meta_value>"
                "</wp:postmeta>\n"
            )
        ids: dict[str, int] = {}
        for c, parent in _ordered_for_export(a.comments, self._for_publication):
            self._comment_id += 1
            ids[c.key] = self._comment_id
            parts.append(self._comment(c, self._comment_id, ids.get(parent, 0) if parent else 0))
        parts.append("\t</item>\n")
        self.write("".join(parts))

    def _comment(self, c: CommentData, comment_id: int, parent_id: int) -> str:
        private = self._for_publication
        when = _wp_time(c.posted_at)
        kind = c.kind if c.kind in _PING_KINDS else "comment"
        return (
            "\t\t<wp:comment>\n"
            f"\t\t\t<wp:comment_id>{comment_id}</wp:comment_id>\n"
            f"\t\t\t<wp:comment_author>{_cdata(c.author_name)}</wp:comment_author>\n"
            f"\t\t\t<wp:comment_author_email>{'' if private else _cdata(c.author_email)}"
            "</wp:comment_author_email>\n"
            f"\t\t\t<wp:comment_author_url>{_cdata(clean_url(c.author_url))}"
            "</wp:comment_author_url>\n"
            f"\t\t\t<wp:comment_author_IP>{'' if private else _cdata(c.author_ip)}"
            "</wp:comment_author_IP>\n"
            f"\t\t\t<wp:comment_date>{_cdata(when)}</wp:comment_date>\n"
            f"\t\t\t<wp:comment_date_gmt>{_cdata(when)}</wp:comment_date_gmt>\n"
            f"\t\t\t<wp:comment_content>{_cdata(_comment_html(c))}</wp:comment_content>\n"
            f"\t\t\t<wp:comment_approved>"
            f"{_cdata(_COMMENT_STATUS_OUT.get(c.status or 'pending', '0'))}"
            "</wp:comment_approved>\n"
            f"\t\t\t<wp:comment_type>{_cdata(kind)}</wp:comment_type>\n"
            f"\t\t\t<wp:comment_parent>{parent_id}</wp:comment_parent>\n"
            "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n"
            "\t\t</wp:comment>\n"
        )

    def footer(self) -> None:
        self.write("</channel>\n</rss>\n")


def _post_ids(articles: Sequence[ArticleData], site: str) -> list[int]:
    """Post ids: the one a previous import from this same site gave, else the next free one."""
    prefix = f"wxr:{site}:"
    wanted: list[int | None] = []
    for a in articles:
        rest = a.source_key[len(prefix) :] if a.source_key.startswith(prefix) else ""
        wanted.append(int(rest) if rest.isdigit() and int(rest) > 0 else None)
    used: set[int] = set()
    ids: list[int] = []
    for w in wanted:
        ids.append(w if w is not None and w not in used else 0)
        if w is not None and w not in used:
            used.add(w)
    next_id = 1
    for i, v in enumerate(ids):
        if v == 0:
            while next_id in used:
                next_id += 1
            ids[i] = next_id
            used.add(next_id)
    return ids


def _write_passes(
    authors: Iterable[AuthorData],
    first_pass: Iterable[ArticleData],
    second_pass: Iterable[ArticleData],
    out: IO[bytes],
    *,
    site_url: str,
    site_title: str,
    for_publication: bool,
) -> None:
    """Two passes over the same articles: people, terms and post ids first (the header needs
    them), then the items, one at a time, so nothing but the current article is in memory."""
    people: dict[str, _Person] = {}
    taken: set[str] = set()

    def person(a: AuthorData) -> _Person:
        name = a.name.strip() or a.byline_name.strip() or a.login.strip() or "Unknown author"
        key = normalise_name(name)
        found = people.get(key)
        if found is None:
            login = a.login.strip()
            if not re.fullmatch(r"[A-Za-z0-9._@ -]{1,60}", login) or login in taken:
                login = _login_for(name, taken)
            taken.add(login)
            found = _Person(replace(a, name=name), login, len(people) + 1)
            people[key] = found
        elif not found.data.email and a.email:
            found.data = replace(found.data, email=a.email)
        return found

    categories, tags = _Terms(), _Terms()
    for a in authors:
        person(a)
    keys: list[ArticleData] = []
    for art in first_pass:
        for au in art.authors:
            person(au)
        if art.section.strip():
            categories.add(art.section.strip())
        for t in art.tags:
            if t.strip() and t != PRIVATE_TAG:
                tags.add(t.strip())
        keys.append(ArticleData(title="", body_html="", source_key=art.source_key))

    w = _Writer(out, site_url=site_url, for_publication=for_publication)
    w.header(site_title)
    for p in people.values():
        w.author(p)
    term_id = 0
    for name, slug in categories.slugs.items():
        term_id += 1
        w.term("category", term_id, slug, name)
    for name, slug in tags.slugs.items():
        term_id += 1
        w.term("tag", term_id, slug, name)
    w.write("\n\t<generator>Copydesk</generator>\n\n")
    ids = _post_ids(keys, site_url.strip().rstrip("/"))
    del keys
    for art, post_id in zip(second_pass, ids, strict=True):
        logins = list(dict.fromkeys(person(au).login for au in art.authors))
        w.item(art, post_id, logins, categories, tags)
    w.footer()


def write_wxr_stream(
    first_pass: Iterable[ArticleData],
    second_pass: Iterable[ArticleData],
    out: IO[bytes],
    *,
    site_url: str,
    site_title: str,
    authors: Iterable[AuthorData] = (),
) -> None:
    """Write WXR 1.2 for publication from articles read twice. Both passes give the same
    articles in the same order; the first needs only their bylines, sections, tags and
    source keys (the header), the second is written item by item. Memory holds one article
    at a time, however many there are; the caller makes `out` safe to fail half way."""
    _write_passes(
        authors,
        first_pass,
        second_pass,
        out,
        site_url=site_url,
        site_title=site_title,
        for_publication=True,
    )


def write_wxr(
    bundle: Bundle,
    out: IO[bytes] | Path,
    *,
    site_url: str,
    site_title: str,
    for_publication: bool = True,
) -> None:
    """Write the bundle as WXR 1.2, item by item.

    ``for_publication`` (the default) is for files that leave the newsroom: no author or
    commenter e-mail, no commenter IP, and only approved comments. A path is written to a
    temporary file first and renamed at the end, so a failed export leaves nothing half done.
    """
    write = functools.partial(
        _write_passes,
        bundle.authors,
        bundle.articles,
        bundle.articles,
        site_url=site_url,
        site_title=site_title,
        for_publication=for_publication,
    )
    if not isinstance(out, Path):
        write(out)
        return
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def content_for_wordpress(article: ArticleData) -> str:
    """The body as a post's content: our blocks, figures between them as ``<figure>``."""
    return _content(article)
