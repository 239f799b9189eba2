"""WXR reader: the raw layer (``iter_wxr_items``) and the mapping to articles (``iter_wxr``)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import BinaryIO
from urllib.parse import unquote, urlsplit

from lxml import etree

from editor_app.domain.errors import Cancelled, ImportFailed
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData, FigureData
from editor_app.formats.comment_html import no_markup
from editor_app.formats.guard import check_file
from editor_app.formats.htmlbody import html_to_text, sanitize_body_html
from editor_app.formats.wpautop import wpautop
from editor_app.formats.wxr.common import (
    _COMMENT_STATUS_IN,
    _MARK,
    _PING_KINDS,
    _POST_TYPES,
    _SKIPPED_STATUSES,
    _STATUS_IN,
    _VERSION,
    _XML_SPACE,
    BYLINES_META,
    CONTENT_NS,
    DC_NS,
    PRIVATE_TAG,
    READ_WP_NAMESPACES,
    WP_NAMESPACES,
    _blocks,
    _never,
    _one_line,
)

# ----------------------------------------------------------------------------- raw layer

Meta = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class WxrAuthor:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""
    author_id: str = ""


@dataclass(frozen=True)
class WxrTerm:
    # "category", "post_tag" or a custom taxonomy (wp:term).
    taxonomy: str
    slug: str
    name: str
    term_id: str = ""
    parent: str = ""
    description: str = ""
    meta: Meta = ()


@dataclass(frozen=True)
class WxrComment:
    comment_id: str
    content: str
    author: str = ""
    author_email: str = ""
    author_url: str = ""
    author_ip: str = ""
    date: str = ""
    date_gmt: str = ""
    approved: str = ""
    comment_type: str = ""
    parent: str = ""
    user_id: str = ""
    meta: Meta = ()


@dataclass(frozen=True)
class WxrItem:
    """One ``<item>`` as written: stripped strings, nothing interpreted."""

    title: str = ""
    link: str = ""
    pub_date: str = ""
    creator: str = ""
    guid: str = ""
    content: str = ""
    excerpt: str = ""
    post_id: str = ""
    post_date: str = ""
    post_date_gmt: str = ""
    post_name: str = ""
    status: str = ""
    post_parent: str = ""
    menu_order: str = ""
    post_type: str = ""
    post_password: str = ""
    is_sticky: str = ""
    attachment_url: str = ""
    # (domain, nicename, name) of each <category> that has a domain.
    terms: tuple[tuple[str, str, str], ...] = ()
    meta: Meta = ()
    comments: tuple[WxrComment, ...] = ()

    def meta_value(self, key: str) -> str | None:
        found = None
        for k, v in self.meta:
            if k == key:
                found = v
        return found


@dataclass
class WxrChannel:
    """What the channel says besides its items; filled in while the file is read."""

    version: str = ""
    title: str = ""
    link: str = ""
    base_site_url: str = ""
    base_blog_url: str = ""
    authors: list[WxrAuthor] = field(default_factory=list)
    terms: list[WxrTerm] = field(default_factory=list)
    # How many articles the items make, once the checking pass has read them all.
    articles: int | None = None

    def site(self) -> str:
        return (self.link or self.base_blog_url or self.base_site_url).strip().rstrip("/")


_ITEM_FIELDS = {
    "post_id": "post_id",
    "post_date": "post_date",
    "post_date_gmt": "post_date_gmt",
    "post_name": "post_name",
    "status": "status",
    "post_parent": "post_parent",
    "menu_order": "menu_order",
    "post_type": "post_type",
    "post_password": "post_password",
    "is_sticky": "is_sticky",
    "attachment_url": "attachment_url",
}
_RSS_FIELDS = {
    "title": "title",
    "link": "link",
    "pubDate": "pub_date",
    "guid": "guid",
}
_COMMENT_FIELDS = {
    "comment_id": "comment_id",
    "comment_author": "author",
    "comment_author_email": "author_email",
    "comment_author_url": "author_url",
    "comment_author_IP": "author_ip",
    "comment_date": "date",
    "comment_date_gmt": "date_gmt",
    "comment_content": "content",
    "comment_approved": "approved",
    "comment_type": "comment_type",
    "comment_parent": "parent",
    "comment_user_id": "user_id",
}
_AUTHOR_FIELDS = {
    "author_id": "author_id",
    "author_login": "login",
    "author_email": "email",
    "author_display_name": "display_name",
    "author_first_name": "first_name",
    "author_last_name": "last_name",
}
_TERM_FIELDS = {
    "category": {
        "term_id": "term_id",
        "category_nicename": "slug",
        "category_parent": "parent",
        "cat_name": "name",
        "category_description": "description",
    },
    "tag": {
        "term_id": "term_id",
        "tag_slug": "slug",
        "tag_name": "name",
        "tag_description": "description",
    },
    "term": {
        "term_id": "term_id",
        "term_taxonomy": "taxonomy",
        "term_slug": "slug",
        "term_parent": "parent",
        "term_name": "name",
        "term_description": "description",
    },
}
_CHANNEL_WP = ("wxr_version", "base_site_url", "base_blog_url", "author", "category", "tag", "term")
# The channel's <title> and <link> are picked up from the tree (see _release): asking for their
# events would also deliver those of every item.
_EVENT_TAGS = ["rss", "item"] + [
    f"{{{ns}}}{local}" for ns in WP_NAMESPACES for local in _CHANNEL_WP
]
_RE_WP_XMLNS = re.compile(
    rb"""xmlns:[\w.-]+\s*=\s*["'](https?://wordpress\.org/export/1\.\d/)["']"""
)


def _event_tags(head: bytes) -> list[str]:
    """The channel elements to stream: of the usual namespaces and of any the file declares."""
    extra = [
        ns.decode("ascii")
        for ns in dict.fromkeys(_RE_WP_XMLNS.findall(head))
        if ns.decode("ascii") not in WP_NAMESPACES
    ]
    return _EVENT_TAGS + [f"{{{ns}}}{local}" for ns in extra for local in _CHANNEL_WP]


def _in_wp(fields: dict[str, str]) -> dict[object, str]:
    """Field names by full tag (``{ns}local``) for every WordPress namespace version.

    Keyed by ``object`` so that any node's ``tag`` (lxml types it as more than ``str``) can
    be looked up as it is.
    """
    return {f"{{{ns}}}{local}": name for ns in READ_WP_NAMESPACES for local, name in fields.items()}


# Full tag -> field, so that an item is read with one dict lookup per child.
_ITEM_TAGS: dict[object, str] = (
    _in_wp(_ITEM_FIELDS)
    | _RSS_FIELDS
    | {f"{{{CONTENT_NS}}}encoded": "content", f"{{{DC_NS}}}creator": "creator"}
    | {f"{{{ns}excerpt/}}encoded": "excerpt" for ns in READ_WP_NAMESPACES}
)
_COMMENT_TAGS = _in_wp(_COMMENT_FIELDS)
_AUTHOR_TAGS = _in_wp(_AUTHOR_FIELDS)
_META_TAGS = _in_wp({"meta_key": "key", "meta_value": "value"})
_POSTMETA = frozenset(_in_wp({"postmeta": ""}))
_COMMENT = frozenset(_in_wp({"comment": ""}))
_COMMENTMETA = frozenset(_in_wp({"commentmeta": ""}))
_TERMMETA = frozenset(_in_wp({"termmeta": ""}))
_POST_TYPE = frozenset(_in_wp({"post_type": ""}))
_STATUS = frozenset(_in_wp({"status": ""}))


def _split(tag: str) -> tuple[str, str]:
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        return ns, local
    return "", tag


def _text(el: etree._Element) -> str:
    if len(el):
        return "".join(el.itertext()).strip(_XML_SPACE)
    return (el.text or "").strip(_XML_SPACE)


def _meta(el: etree._Element) -> tuple[str, str]:
    values = {"key": "", "value": ""}
    for child in el:
        name = _META_TAGS.get(child.tag)
        if name is not None:
            values[name] = _text(child)
    return values["key"], values["value"]


def _parse_comment(el: etree._Element) -> WxrComment:
    values: dict[str, str] = {"comment_id": "", "content": ""}
    meta: list[tuple[str, str]] = []
    for child in el:
        tag = child.tag
        name = _COMMENT_TAGS.get(tag)
        if name is not None:
            values[name] = _text(child)
        elif tag in _COMMENTMETA:
            meta.append(_meta(child))
    return WxrComment(**values, meta=tuple(meta))


def _parse_item(el: etree._Element) -> WxrItem:
    values: dict[str, str] = {}
    terms: list[tuple[str, str, str]] = []
    meta: list[tuple[str, str]] = []
    comments: list[WxrComment] = []
    for child in el:
        tag = child.tag
        name = _ITEM_TAGS.get(tag)
        if name is not None:
            values[name] = _text(child)
        elif tag == "category":
            domain = (child.get("domain") or "").strip()
            if domain:
                terms.append((domain, (child.get("nicename") or "").strip(), _text(child)))
        elif tag in _POSTMETA:
            meta.append(_meta(child))
        elif tag in _COMMENT:
            comments.append(_parse_comment(child))
    return WxrItem(**values, terms=tuple(terms), meta=tuple(meta), comments=tuple(comments))


def _post_type(el: etree._Element) -> str:
    found = ""
    for child in el:
        if child.tag in _POST_TYPE:
            found = _text(child)
    return found


def _is_article(el: etree._Element) -> bool:
    """Whether an item becomes an article (the test `_article` makes, from the element)."""
    kind = status = ""
    for child in el:
        if child.tag in _POST_TYPE:
            kind = _text(child)
        elif child.tag in _STATUS:
            status = _text(child)
    return kind.strip() in _POST_TYPES and status.strip().lower() not in _SKIPPED_STATUSES


def _parse_author(el: etree._Element) -> WxrAuthor:
    values = {"login": ""}
    for child in el:
        name = _AUTHOR_TAGS.get(child.tag)
        if name is not None:
            values[name] = _text(child)
    return WxrAuthor(**values)


def _parse_term(kind: str, el: etree._Element) -> WxrTerm:
    names = _in_wp(_TERM_FIELDS[kind])
    values = {"taxonomy": "post_tag" if kind == "tag" else kind, "slug": "", "name": ""}
    meta: list[tuple[str, str]] = []
    for child in el:
        name = names.get(child.tag)
        if name is not None:
            values[name] = _text(child)
        elif child.tag in _TERMMETA:
            meta.append(_meta(child))
    return WxrTerm(**values, meta=tuple(meta))


def _channel_fields(ch: WxrChannel, el: etree._Element) -> None:
    tag = el.tag
    if tag == "title":
        ch.title = _text(el)
    elif tag == "link":
        ch.link = _text(el)


def _release(el: etree._Element, ch: WxrChannel) -> None:
    """Free a processed element and everything before it in the channel.

    The channel's own title and link are read on the way out, as they are dropped.
    """
    el.clear(keep_tail=False)
    parent = el.getparent()
    if parent is not None:
        while (first := parent[0]) is not el:
            _channel_fields(ch, first)
            del parent[0]


def _syntax_message(name: str, exc: etree.XMLSyntaxError, log: etree._ListErrorLog) -> str:
    entries = [e for e in log if e.level >= etree.ErrorLevels.FATAL]
    entry = entries[0] if entries else None
    line = entry.line if entry is not None else (exc.lineno or 0)
    message = _one_line(entry.message if entry is not None else (exc.msg or str(exc)))
    kind = entry.type_name if entry is not None else ""
    if "ENCODING" in kind or "INVALID_CHAR" in kind:
        return f"{name}: the bytes do not match the declared encoding at line {line} ({message})"
    if "too big" in message or "huge" in message.lower() or "RESOURCE_LIMIT" in kind:
        return f"{name}: a text at line {line} is larger than the parser's safety limit ({message})"
    if line <= 0:
        return f"{name}: not an XML file ({message})"
    return f"{name}: not well-formed XML at line {line}: {message}"


def _open(path: Path) -> BinaryIO:
    name = path.name or str(path)
    if path.is_dir():
        raise ImportFailed(f"{name}: is a folder, not a WXR file")
    if path.exists():
        # The file is opened twice (checking pass, then mapping): a pipe would hang or differ.
        check_file(path)
    try:
        return path.open("rb")
    except OSError as exc:
        raise ImportFailed(f"{name}: cannot read the file ({exc.strerror or exc})") from exc


def _refuse_entities_in_prolog(name: str, head: bytes) -> None:
    """Cheap check before libxml2 sees anything: an internal subset that declares entities."""
    doctype = head.find(b"<!DOCTYPE")
    if doctype < 0:
        return
    root = head.find(b"<rss", doctype)
    prolog = head[doctype : root if root >= 0 else None]
    if b"<!ENTITY" in prolog:
        raise ImportFailed(
            f"{name}: the file declares entities in a DOCTYPE; XML entities are not allowed"
        )


def _check_document(name: str, el: etree._Element) -> None:
    tree = el.getroottree()
    info = tree.docinfo
    dtd = info.internalDTD
    if dtd is not None and any(True for _ in dtd.entities()):
        raise ImportFailed(
            f"{name}: the file declares entities in a DOCTYPE; XML entities are not allowed"
        )
    if info.system_url or info.public_id:
        raise ImportFailed(f"{name}: the file names an external DTD; XML entities are not allowed")
    root = tree.getroot()
    tag = root.tag if isinstance(root.tag, str) else "?"
    if tag != "rss":
        raise ImportFailed(
            f"{name}: not a WordPress export: the root element is <{_split(tag)[1]}>, not <rss>"
        )


def _check_version(name: str, channel: WxrChannel) -> None:
    if not _VERSION.fullmatch(channel.version):
        raise ImportFailed(
            f"{name}: this does not appear to be a WXR file, "
            "missing/invalid WXR version number (wp:wxr_version)"
        )


def iter_wxr_items(
    path: Path,
    *,
    channel: WxrChannel | None = None,
    cancelled: Callable[[], bool] = _never,
) -> Iterator[WxrItem]:
    """Every ``<item>`` of the channel, raw, in one streamed pass.

    ``channel`` (if given) receives the version, site URLs, authors and terms as they are
    read; they all precede the items in a WordPress export. The version is checked at the first
    item (and at the end of a file without items); XML errors surface where they occur.
    """
    for el in _scan(path, channel if channel is not None else WxrChannel(), cancelled):
        yield _parse_item(el)


def _scan(path: Path, ch: WxrChannel, cancelled: Callable[[], bool]) -> Iterator[etree._Element]:
    """The item elements of the channel; each is freed when the consumer asks for the next."""
    name = path.name or str(path)
    with _open(path) as fh:
        try:
            head = fh.read(65536)
            fh.seek(0)
        except OSError as exc:
            raise ImportFailed(f"{name}: cannot read the file ({exc.strerror or exc})") from exc
        _refuse_entities_in_prolog(name, head)
        context = etree.iterparse(
            fh,
            events=("end",),
            tag=_event_tags(head),
            resolve_entities=False,
            load_dtd=False,
            no_network=True,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        checked = version_checked = finished = False
        try:
            for _event, el in context:
                if not checked:
                    _check_document(name, el)
                    checked = True
                tag = el.tag
                parent = el.getparent()
                if tag == "rss":
                    finished = parent is None
                    for child in el.iterchildren("channel"):
                        for field_el in child.iterchildren("title", "link"):
                            _channel_fields(ch, field_el)
                    continue
                if parent is None or parent.tag != "channel":
                    continue  # e.g. a wp:author inside an item: read with the item
                if tag == "item":
                    if not version_checked:
                        for field_el in parent.iterchildren("title", "link"):
                            _channel_fields(ch, field_el)
                        _check_version(name, ch)
                        version_checked = True
                    if cancelled():
                        raise Cancelled("import cancelled; nothing was imported")
                    yield el
                    _release(el, ch)
                    continue
                local = _split(str(tag))[1]
                if local == "wxr_version":
                    ch.version = _text(el)
                elif local == "base_site_url":
                    ch.base_site_url = _text(el)
                elif local == "base_blog_url":
                    ch.base_blog_url = _text(el)
                elif local == "author":
                    ch.authors.append(_parse_author(el))
                    _release(el, ch)
                elif local in _TERM_FIELDS:
                    ch.terms.append(_parse_term(local, el))
                    _release(el, ch)
        except etree.XMLSyntaxError as exc:
            # The parser's own log: the exception's may hold entries of earlier parses.
            log = context.error_log
            fatal = any(e.level >= etree.ErrorLevels.FATAL for e in log)
            # libxml2 reports odd namespace URIs (non-ASCII, relative) as errors once the
            # document is complete; they do not make it less well-formed.
            if fatal or not finished:
                raise ImportFailed(_syntax_message(name, exc, log)) from None
        if not checked:
            root = context.root
            if root is None:
                raise ImportFailed(f"{name}: not an XML file (no root element)")
            _check_document(name, root)
        if not version_checked:
            _check_version(name, ch)


# ----------------------------------------------------------------------------- figures


@dataclass(frozen=True)
class _Attachment:
    post_id: str
    url: str
    caption: str
    description: str
    alt: str


_RE_ATTR = re.compile(r"""([^\s"'<>/=]+)\s*=\s*("[^"]*"|'[^']*'|[^\s"'>]+)""")
_RE_CAPTION = re.compile(r"\[caption\b([^\]]*)\](.*?)\[/caption\]", re.S | re.I)
_RE_FIGURE = re.compile(r"<figure\b[^>]*>(.*?)</figure>", re.S | re.I)
_RE_IMG = re.compile(r"<img\b[^>]*>", re.I)
_RE_LINKED_IMG = re.compile(r"<a\b[^>]*>\s*(<img\b[^>]*>)\s*</a>|(<img\b[^>]*>)", re.I)
_RE_FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption>", re.S | re.I)
_RE_CREDIT = re.compile(
    r"<small\b[^>]*class=[\"'][^\"']*\bcredit\b[^>]*>(.*?)</small>", re.S | re.I
)
_RE_ANY_TAG = re.compile(r"<[^>]*>")
_RE_WP_IMAGE = re.compile(r"\bwp-image-(\d+)\b")
_RE_ATTACHMENT_ID = re.compile(r"attachment_(\d+)")
_RE_SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.[A-Za-z0-9]+$)")


def _attrs(tag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for key, raw in _RE_ATTR.findall(tag):
        value = raw[1:-1] if raw[:1] in {'"', "'"} else raw
        out.setdefault(key.lower(), html.unescape(value))
    return out


def _url_key(url: str) -> str:
    """An image URL without scheme, query and WordPress's ``-300x200`` size suffix."""
    parts = urlsplit(url.strip())
    return (parts.netloc.lower() + _RE_SIZE_SUFFIX.sub("", parts.path)).rstrip("/")


def _as_text(fragment: str) -> str:
    if "<" in fragment or "&" in fragment:
        return html_to_text(fragment).replace("\n\n", " ").replace("\n", " ").strip()
    return fragment.strip()


class _Attachments:
    """Attachment items of the file, found by post id and by URL (any size variant)."""

    def __init__(self) -> None:
        self.by_id: dict[str, _Attachment] = {}
        self.by_url: dict[str, _Attachment] = {}

    def add(self, item: WxrItem) -> None:
        url = item.attachment_url or item.guid
        att = _Attachment(
            post_id=item.post_id,
            url=url,
            caption=_as_text(item.excerpt),
            description=_as_text(item.content),
            alt=(item.meta_value("_wp_attachment_image_alt") or "").strip(),
        )
        if item.post_id:
            self.by_id[item.post_id] = att
        if url:
            self.by_url[_url_key(url)] = att

    def find(self, img: dict[str, str], hint: str = "") -> _Attachment | None:
        m = _RE_WP_IMAGE.search(img.get("class", ""))
        for key in (m.group(1) if m else "", hint):
            if key and key in self.by_id:
                return self.by_id[key]
        src = img.get("src", "")
        return self.by_url.get(_url_key(src)) if src else None


def _figure_from(
    img_tag: str | None,
    caption_html: str,
    attachments: _Attachments,
    hint: str = "",
) -> FigureData:
    img = _attrs(img_tag) if img_tag else {}
    att = attachments.find(img, hint) if (img or hint) else None
    credit = ""
    m = _RE_CREDIT.search(caption_html)
    if m:
        credit = _as_text(m.group(1))
        caption_html = caption_html[: m.start()] + caption_html[m.end() :]
    caption = _as_text(caption_html)
    if not caption and att is not None:
        caption = att.caption or att.description
    alt = img.get("alt", "").strip() or (att.alt if att is not None else "")
    source_url = (att.url if att is not None and att.url else "") or img.get("src", "").strip()
    return FigureData(caption=caption, credit=credit, alt=alt, source_url=source_url)


def _extract_figures(content: str, attachments: _Attachments) -> tuple[str, list[FigureData]]:
    """Take the figures out of the content, leaving a marker paragraph where each stood.

    * ``[caption …]<img …> Caption[/caption]`` shortcodes (with or without a matching
      attachment): the caption comes from the shortcode (or its ``caption=`` attribute).
    * ``<figure>`` elements holding only an image and/or a ``<figcaption>`` (the block
      editor's image block, and what ``write_wxr`` writes); figures around tables, quotes or
      embeds stay in the body.
    * A bare ``<img>`` (possibly inside a link) that shows an attachment of the file, known by
      its ``wp-image-N`` class or its URL (size variants included).

    Captions missing in the content come from the attachment's excerpt (WordPress's caption
    field), else its description; alt text from the ``<img>``, else the attachment's
    ``_wp_attachment_image_alt``; the URL is the attachment's original file when known.
    """
    figures: list[FigureData] = []

    def place(fig: FigureData) -> str:
        figures.append(fig)
        return f"\n\n\ue000copydesk-figure-{len(figures) - 1}\ue001\n\n"

    def caption_shortcode(m: re.Match[str]) -> str:
        attrs = _attrs(m.group(1))
        inner = m.group(2)
        img = _RE_IMG.search(inner)
        caption_html = _RE_LINKED_IMG.sub("", inner, count=1) if img else inner
        if not caption_html.strip():
            caption_html = attrs.get("caption", "")
        hint_m = _RE_ATTACHMENT_ID.search(attrs.get("id", ""))
        hint = hint_m.group(1) if hint_m else ""
        return place(_figure_from(img.group(0) if img else None, caption_html, attachments, hint))

    def figure_element(m: re.Match[str]) -> str:
        inner = m.group(1)
        cap = _RE_FIGCAPTION.search(inner)
        rest = _RE_FIGCAPTION.sub("", inner)
        rest_without_images = _RE_LINKED_IMG.sub("", rest)
        if _RE_ANY_TAG.sub("", rest_without_images).strip() or "<" in rest_without_images:
            return m.group(0)  # a table, quote or embed: not a picture
        img = _RE_IMG.search(rest)
        if img is None and cap is None:
            return m.group(0)
        return place(
            _figure_from(img.group(0) if img else None, cap.group(1) if cap else "", attachments)
        )

    def bare_image(m: re.Match[str]) -> str:
        tag = m.group(1) or m.group(2)
        if attachments.find(_attrs(tag)) is None:
            return m.group(0)
        return place(_figure_from(tag, "", attachments))

    content = _RE_CAPTION.sub(caption_shortcode, content)
    content = _RE_FIGURE.sub(figure_element, content)
    if attachments.by_id or attachments.by_url:
        content = _RE_LINKED_IMG.sub(bare_image, content)
    return content, figures


def _anchor_figures(body_html: str, figures: list[FigureData]) -> tuple[str, list[FigureData]]:
    """Replace the markers by anchors: the number of body blocks before each figure."""
    kept: list[str] = []
    placed: list[tuple[int, FigureData]] = []
    for block in _blocks(body_html):
        found = [int(n) for n in _MARK.findall(block)]
        if not found:
            kept.append(block)
            continue
        rest = _MARK.sub("", block)
        visible = _RE_ANY_TAG.sub("", rest).strip() or "<img" in rest
        if visible:
            kept.append(re.sub(r"<p>\s*</p>", "", rest))
        placed.extend((len(kept), figures[n]) for n in found)
    placed.sort(key=lambda p: p[0])
    return "\n".join(kept), [replace(f, anchor=a) for a, f in placed]


_RE_BLANK_RUN = re.compile(r"\n[ \t]*(?:\n[ \t]*)+\n")


def _body(content: str, attachments: _Attachments) -> tuple[str, tuple[FigureData, ...]]:
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    content, figures = _extract_figures(content, attachments)
    # Block-editor content is saved as HTML and WordPress does not run wpautop on it.
    html_body = content if "<!-- wp:" in content else wpautop(content)
    # Runs of blank lines left by stripped block comments carry nothing (no <pre> in bodies).
    body = _RE_BLANK_RUN.sub("\n", sanitize_body_html(html_body)).strip()
    if not figures:
        return body, ()
    body, anchored = _anchor_figures(body, figures)
    return body, tuple(anchored)


# ----------------------------------------------------------------------------- mapping


_RE_WP_DATE = re.compile(r"(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d)(?::(\d\d))?")


def _html_text(value: str) -> str:
    """A title or term name: WordPress keeps them as HTML (``Q &amp; A``); the store, as text."""
    return no_markup(html.unescape(no_markup(value))).strip()


def _wp_date(value: str) -> datetime | None:
    """``2024-06-05 16:04:48`` as UTC; WordPress's ``0000-00-00 00:00:00`` (no date) is None."""
    m = _RE_WP_DATE.match(value.strip())
    if m is None or m.group(1) == "0000":
        return None
    y, mo, d, h, mi = (int(g) for g in m.groups()[:5])
    try:
        return datetime(y, mo, d, h, mi, int(m.group(6) or 0), tzinfo=UTC)
    except ValueError:
        return None


def _rfc822(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value.strip())
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    parsed = parsed.astimezone(UTC)
    return parsed if parsed.year > 1970 else None


def _author_data(a: WxrAuthor) -> AuthorData:
    """Display name, unless it is only the login and a first/last name is known."""
    full = " ".join(p for p in (a.first_name.strip(), a.last_name.strip()) if p)
    display = a.display_name.strip()
    name = display if display and (display != a.login or not full) else (full or a.login)
    return AuthorData(name=name or a.login, email=a.email, login=a.login)


def _comments(raw: Sequence[WxrComment]) -> tuple[CommentData, ...]:
    """Comments with parents before their children, in file order otherwise."""
    datas: list[CommentData] = []
    keys: set[str] = set()
    for i, c in enumerate(raw):
        key = c.comment_id or f"n{i + 1}"
        while key in keys:
            key += "'"
        keys.add(key)
        parent = c.parent if c.parent not in {"", "0"} else None
        kind = c.comment_type.strip().lower()
        datas.append(
            CommentData(
                key=key,
                body=c.content,
                parent_key=parent,
                author_name=c.author,
                author_email=c.author_email,
                author_url=c.author_url,
                author_ip=c.author_ip,
                posted_at=_wp_date(c.date_gmt) or _wp_date(c.date),
                status=_COMMENT_STATUS_IN.get(c.approved.strip().lower()),
                kind=kind if kind in _PING_KINDS else "comment",
            )
        )
    by_key = {d.key: d for d in datas}
    # A parent that is not in the file (or a loop) makes a comment top-level.
    children: dict[str, list[CommentData]] = {}
    roots: list[CommentData] = []
    for d in datas:
        if d.parent_key is None or d.parent_key not in by_key or d.parent_key == d.key:
            roots.append(replace(d, parent_key=None) if d.parent_key else d)
        else:
            children.setdefault(d.parent_key, []).append(d)
    out: list[CommentData] = []
    done: set[str] = set()

    def emit(d: CommentData) -> None:
        stack = [d]
        while stack:
            c = stack.pop()
            if c.key in done:
                continue
            done.add(c.key)
            out.append(c)
            stack.extend(reversed(children.get(c.key, [])))

    for d in roots:
        emit(d)
    for d in datas:  # only loops are left
        if d.key not in done:
            emit(replace(d, parent_key=None))
    return tuple(out)


def _terms(item: WxrItem, status_in: str) -> tuple[str, tuple[str, ...]]:
    categories: list[tuple[str, str]] = []
    tags: list[str] = []
    for domain, nicename, raw_name in item.terms:
        name = _html_text(raw_name)
        if not name:
            continue
        if domain == "category":
            categories.append((nicename, name))
        elif domain in {"post_tag", "tag"}:
            tags.append(name)
    real = [name for slug, name in categories if slug != "uncategorized"]
    section = real[0] if real else (categories[0][1] if categories else "")
    if status_in == "private":
        tags.append(PRIVATE_TAG)
    return section, tuple(dict.fromkeys(tags))


def _article(
    item: WxrItem,
    *,
    site: str,
    authors: dict[str, AuthorData],
    attachments: _Attachments,
) -> ArticleData | None:
    kind = item.post_type.strip()
    wp_status = item.status.strip().lower()
    if kind not in _POST_TYPES or wp_status in _SKIPPED_STATUSES:
        return None
    status = _STATUS_IN.get(wp_status, "draft")
    body, figures = _body(item.content, attachments)
    section, tags = _terms(item, wp_status)
    logins = [item.creator]
    bylines = item.meta_value(BYLINES_META)
    if bylines:
        logins = [line.strip() for line in bylines.split("\n") if line.strip()]
    article_authors = tuple(
        dict.fromkeys(
            authors.get(login) or AuthorData(name=login, login=login) for login in logins if login
        )
    )
    published_at = _wp_date(item.post_date_gmt)
    if published_at is None and status in {"published", "scheduled"}:
        published_at = _rfc822(item.pub_date) or _wp_date(item.post_date)
    if item.post_id:
        source_key = f"wxr:{site}:{item.post_id}"
    elif item.guid:
        source_key = f"wxr:{site}:guid:{item.guid}"
    else:
        source_key = ""
    return ArticleData(
        title=_html_text(item.title) or f"Untitled {kind} {item.post_id}".rstrip(),
        body_html=body,
        dek=_as_text(item.excerpt),
        slug=unquote(item.post_name),
        status=status,
        section=section,
        tags=tags,
        authors=article_authors,
        figures=figures,
        comments=_comments(item.comments),
        published_at=published_at,
        source_key=source_key,
        kind=kind,
    )


def iter_wxr(
    path: Path,
    *,
    cancelled: Callable[[], bool] = _never,
    channel: WxrChannel | None = None,
) -> Iterator[ArticleData]:
    """The posts and pages of an export as articles, streamed.

    Two passes over the file: the first checks all of it and collects attachments and the
    channel (into ``channel`` if given), the second maps and yields the items. Items of other
    types (attachments, menus, blocks, custom types), auto-drafts and items without a
    ``wp:post_type`` in a WordPress namespace are not articles and are skipped.
    """
    ch = channel if channel is not None else WxrChannel()
    attachments = _Attachments()
    articles = 0
    for el in _scan(path, ch, cancelled):
        if _post_type(el) == "attachment":
            attachments.add(_parse_item(el))
        elif _is_article(el):
            articles += 1
    ch.articles = articles
    site = ch.site() or ch.title or path.name
    authors: dict[str, AuthorData] = {}
    for a in ch.authors:
        if a.login:
            authors.setdefault(a.login, _author_data(a))
    # Post id -> (title, how many so far): WordPress's ids are unique, a hand-edited or merged
    # file's may not be. A repeated id is its own article, with its own comments, and said.
    seen: dict[str, tuple[str, int]] = {}
    for item in iter_wxr_items(path, cancelled=cancelled):
        article = _article(item, site=site, authors=authors, attachments=attachments)
        if article is None:
            continue
        if item.post_id:
            first, times = seen.get(item.post_id, (article.title, 0))
            seen[item.post_id] = (first, times + 1)
            if times:
                article = replace(
                    article,
                    source_key=f"{article.source_key}#{times + 1}",
                    notes=(
                        f"{path.name}: post id {item.post_id} appears more than once: "
                        f"“{first}” and “{article.title}”; the second was imported as an "
                        "article of its own",
                    ),
                )
        yield article


def channel_authors(channel: WxrChannel) -> tuple[AuthorData, ...]:
    """The channel's ``wp:author`` list as authors (complete once iter_wxr has started)."""
    return tuple(_author_data(a) for a in channel.authors if a.login)


def read_wxr(path: Path, *, cancelled: Callable[[], bool] = _never) -> Bundle:
    """The whole export: its articles and the channel's author list."""
    channel = WxrChannel()
    articles = tuple(iter_wxr(path, cancelled=cancelled, channel=channel))
    return Bundle(articles=articles, authors=channel_authors(channel))


def looks_like_wxr(head: bytes) -> bool:
    """An ``<rss>`` root that declares a wordpress.org/export namespace, within 4 KB."""
    head = head[:4096]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", errors="ignore")
    else:
        text = head.decode("latin-1")
    text = re.sub(r"<!--.*?(?:-->|$)|<\?.*?(?:\?>|$)|<!DOCTYPE[^>]*>", "", text, flags=re.S)
    root = re.search(r"<([A-Za-z_][\w:.-]*)", text)
    if root is None or root.group(1) != "rss":
        return False
    return "wordpress.org/export/" in text


def body_from_wordpress(
    content: str, media: Sequence[tuple[int, str, str, str]]
) -> tuple[str, tuple[FigureData, ...]]:
    """A post's raw content (as the REST API's `content.raw` gives it, the same text a WXR
    carries) as our body and figures; `media` are the site's attachments it may show, as
    (id, url, caption, alt)."""
    attachments = _Attachments()
    for media_id, url, caption, alt in media:
        att = _Attachment(
            post_id=str(media_id), url=url, caption=_as_text(caption), description="", alt=alt
        )
        attachments.by_id[att.post_id] = att
        if url:
            attachments.by_url[_url_key(url)] = att
    return _body(content, attachments)
