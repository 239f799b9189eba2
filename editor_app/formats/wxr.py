"""WordPress eXtended RSS (WXR 1.0, 1.1, 1.2): reader and writer.

The reader streams: ``lxml.etree.iterparse`` delivers one ``<item>`` at a time and every
processed element is cleared and unlinked with its preceding siblings, so a 1 GB export is read
in flat memory. docs/formats-wxr.md says what is mapped how; in short:

* Layers. ``iter_wxr_items`` reads the file as WordPress wrote it (raw strings, one pass).
  ``iter_wxr`` maps items to ``ArticleData`` in two passes: the first validates the whole file
  and collects the attachments (they may come after the post that shows them), the second
  yields the articles. A broken file therefore fails before the first article comes out.
* Safety. The parser never resolves entities, never loads a DTD, never touches the network and
  keeps libxml2's size limits (``huge_tree=False``). A DOCTYPE that declares entities or names
  an external DTD is refused, as are files that are not well-formed, whose bytes do not match
  their declared encoding, or that lack a ``wp:wxr_version`` of the form ``1.2`` (as
  WordPress's own importer refuses them). Every refusal is one ``ImportFailed`` line.
* Namespaces. The wp namespace of 1.0, 1.1 and 1.2 are the same to the reader (a file may mix
  them); elements whose prefix is bound to anything else are foreign and ignored, however they
  are spelled. A field that occurs twice in an item takes its last value.
* Bodies. Classic content is turned into paragraphs the way WordPress's ``wpautop`` does
  (blank line: new paragraph; single newline: ``<br>``; block-level HTML left alone), block
  editor content (``<!-- wp:`` comments) is already HTML and is only sanitized.
  Attachment images the content shows become ``FigureData`` (see ``_extract_figures``).
* Writer. ``write_wxr`` writes WXR 1.2 by hand, item by item, with every text in CDATA split
  around ``]]>``; for publication it leaves out every e-mail address, IP address and every
  comment that is not approved.
"""

from __future__ import annotations

import functools
import html
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, BinaryIO
from urllib.parse import unquote, urlsplit

from lxml import etree

from editor_app.domain.errors import Cancelled, ImportFailed
from editor_app.domain.text import normalise_name, slugify
from editor_app.formats.bundle import ArticleData, AuthorData, Bundle, CommentData, FigureData
from editor_app.formats.htmlbody import html_to_text, sanitize_body_html

__all__ = [
    "PRIVATE_TAG",
    "WxrAuthor",
    "WxrChannel",
    "WxrComment",
    "WxrItem",
    "WxrTerm",
    "channel_authors",
    "iter_wxr",
    "iter_wxr_items",
    "looks_like_wxr",
    "read_wxr",
    "wpautop",
    "write_wxr",
]

WP_NAMESPACES = (
    "http://wordpress.org/export/1.0/",
    "http://wordpress.org/export/1.1/",
    "http://wordpress.org/export/1.2/",
)
EXCERPT_NAMESPACES = tuple(ns + "excerpt/" for ns in WP_NAMESPACES)
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
DC_NS = "http://purl.org/dc/elements/1.1/"
WFW_NS = "http://wellformedweb.org/CommentAPI/"
_WP12 = WP_NAMESPACES[2]

# WordPress's private status has no counterpart in the workflow: such a post is imported as a
# draft carrying this tag (never public by accident), and the writer turns it back into private.
PRIVATE_TAG = "wp:private"
# Postmeta the writer adds when an article has more than one byline (WXR has one dc:creator).
BYLINES_META = "_copydesk_bylines"

_XML_SPACE = " \t\r\n"
_ZERO_DATE = "0000-00-00 00:00:00"
_VERSION = re.compile(r"\d+\.\d+")
_POST_TYPES = frozenset({"post", "page"})
_SKIPPED_STATUSES = frozenset({"auto-draft", "inherit"})
_STATUS_IN = {
    "publish": "published",
    "draft": "draft",
    # Submitted for review: it waits for an editor's read, which is the copy desk's stage.
    "pending": "copyedit",
    "future": "scheduled",
    "private": "draft",
    "trash": "spiked",
}
_STATUS_OUT = {"published": "publish", "scheduled": "future", "spiked": "trash"}
_COMMENT_STATUS_IN = {
    "1": "approved",
    "approve": "approved",
    "approved": "approved",
    "0": "pending",
    "hold": "pending",
    "spam": "spam",
    "trash": "trash",
    "post-trashed": "trash",
}
_COMMENT_STATUS_OUT = {"approved": "1", "pending": "0", "spam": "spam", "trash": "trash"}
_PING_KINDS = frozenset({"pingback", "trackback"})

# Markers that stand for an extracted figure while the body goes through wpautop and nh3.
_MARK = re.compile("\ue000copydesk-figure-(\\d+)\ue001")

# Characters XML 1.0 cannot carry at all; the writer drops them.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _never() -> bool:
    return False


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


def _in_wp(fields: dict[str, str]) -> dict[object, str]:
    """Field names by full tag (``{ns}local``) for every WordPress namespace version.

    Keyed by ``object`` so that any node's ``tag`` (lxml types it as more than ``str``) can
    be looked up as it is.
    """
    return {f"{{{ns}}}{local}": name for ns in WP_NAMESPACES for local, name in fields.items()}


# Full tag -> field, so that an item is read with one dict lookup per child.
_ITEM_TAGS: dict[object, str] = (
    _in_wp(_ITEM_FIELDS)
    | _RSS_FIELDS
    | {f"{{{CONTENT_NS}}}encoded": "content", f"{{{DC_NS}}}creator": "creator"}
    | {f"{{{ns}}}encoded": "excerpt" for ns in EXCERPT_NAMESPACES}
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


def _one_line(text: str) -> str:
    return " ".join(text.split())


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
            tag=_EVENT_TAGS,
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


# ----------------------------------------------------------------------------- wpautop

_ALLBLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre"
    r"|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section"
    r"|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)
_RE_PRE = re.compile(r"<pre\b.*?</pre>", re.S | re.I)
_RE_TAG_OR_COMMENT = re.compile(r"<!--.*?-->|<[^<>]*>", re.S)
_RE_DOUBLE_BR = re.compile(r"<br\s*/?>\s*<br\s*/?>", re.I)
_RE_BLOCK_OPEN = re.compile(r"(<" + _ALLBLOCKS + r"[\s/>])", re.I)
_RE_BLOCK_CLOSE = re.compile(r"(</" + _ALLBLOCKS + r">)", re.I)
_RE_HR = re.compile(r"<hr\s*?/?>", re.I)
_RE_MANY_NL = re.compile(r"\n\n+")
_RE_PARA_SPLIT = re.compile(r"\n\s*\n")
_RE_EMPTY_P = re.compile(r"<p>\s*</p>")
_RE_P_UNCLOSED = re.compile(r"<p>([^<]+)</(div|address|form)>")
_RE_P_AROUND_BLOCK = re.compile(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>", re.I)
_RE_P_LI = re.compile(r"<p>(<li.+?)</p>", re.I)
_RE_P_BQ = re.compile(r"<p><blockquote([^>]*)>", re.I)
_RE_P_BEFORE_BLOCK = re.compile(r"<p>\s*(</?" + _ALLBLOCKS + r"[^>]*>)", re.I)
_RE_P_AFTER_BLOCK = re.compile(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*</p>", re.I)
_RE_NL_TO_BR = re.compile(r"(?<!<br />)\s*\n")
_RE_BR_AFTER_BLOCK = re.compile(r"(</?" + _ALLBLOCKS + r"[^>]*>)\s*<br />", re.I)
_RE_BR_BEFORE = re.compile(r"<br />(\s*</?(?:p|li|div|dl|dd|dt|th|pre|td|ul|ol)[^>]*>)", re.I)
_NL_IN_TAG = "\ue002"
_BR_NL = "<br />\n"
_PRE_MARK = re.compile("\ue003(\\d+)\ue003")


def wpautop(text: str) -> str:
    """WordPress's ``wpautop`` for classic content, in its essentials.

    Blank lines separate paragraphs, a single newline inside a paragraph becomes ``<br />``,
    block-level HTML (``<p>``, ``<blockquote>``, lists, headings, ``<figure>`` …) is not wrapped
    again and ``<pre>`` is left untouched. Shortcode handling and the ``<option>``/``<object>``
    special cases of the original are left out.
    """
    if not text.strip():
        return ""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "<" not in text:  # plain text: the same result without the HTML passes
        out = "".join(
            f"<p>{_RE_NL_TO_BR.sub(_BR_NL, p.strip(chr(10)))}</p>\n"
            for p in _RE_PARA_SPLIT.split(text + "\n")
            if p.strip()
        )
        return _RE_BR_BEFORE.sub(r"\1", _RE_BR_AFTER_BLOCK.sub(r"\1", out))
    return _wpautop_html(text)


def _wpautop_html(text: str) -> str:
    pres: list[str] = []

    def keep_pre(m: re.Match[str]) -> str:
        pres.append(m.group(0))
        return f"<pre>\ue003{len(pres) - 1}\ue003</pre>"

    text = _RE_PRE.sub(keep_pre, text)
    text = _RE_TAG_OR_COMMENT.sub(lambda m: m.group(0).replace("\n", _NL_IN_TAG), text)
    text += "\n"
    text = _RE_DOUBLE_BR.sub("\n\n", text)
    text = _RE_BLOCK_OPEN.sub(r"\n\n\1", text)
    text = _RE_BLOCK_CLOSE.sub(r"\1\n\n", text)
    text = _RE_HR.sub("<hr />\n\n", text)
    text = _RE_MANY_NL.sub("\n\n", text)
    pees = _RE_PARA_SPLIT.split(text)
    text = "".join(f"<p>{p.strip(chr(10))}</p>\n" for p in pees if p.strip())
    text = _RE_EMPTY_P.sub("", text)
    text = _RE_P_UNCLOSED.sub(r"<p>\1</p></\2>", text)
    text = _RE_P_AROUND_BLOCK.sub(r"\1", text)
    text = _RE_P_LI.sub(r"\1", text)
    text = _RE_P_BQ.sub(r"<blockquote\1><p>", text)
    text = text.replace("</blockquote></p>", "</p></blockquote>")
    text = _RE_P_BEFORE_BLOCK.sub(r"\1", text)
    text = _RE_P_AFTER_BLOCK.sub(r"\1", text)
    text = _RE_NL_TO_BR.sub("<br />\n", text)
    text = _RE_BR_AFTER_BLOCK.sub(r"\1", text)
    text = _RE_BR_BEFORE.sub(r"\1", text)
    text = re.sub(r"\n</p>$", "</p>", text)
    text = text.replace(_NL_IN_TAG, "\n")
    if pres:
        text = text.replace("<pre>\ue003", "\ue003").replace("\ue003</pre>", "\ue003")
        text = _PRE_MARK.sub(lambda m: pres[int(m.group(1))], text)
    return text


# ----------------------------------------------------------------------------- blocks


class _BlockSpans(HTMLParser):
    """Where the top-level blocks of an HTML fragment start and end (offsets in the source)."""

    _VOID = frozenset(
        {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "wbr"}
    )

    def __init__(self, source: str) -> None:
        super().__init__(convert_charrefs=True)
        self._source = source
        self._line_starts = [0]
        self._line_starts.extend(m.end() for m in re.finditer("\n", source))
        self.spans: list[tuple[int, int]] = []
        self._depth = 0
        self._start = 0
        self._text_start: int | None = None

    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _end_text(self, at: int) -> None:
        if self._text_start is not None:
            self.spans.append((self._text_start, at))
            self._text_start = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = self._offset()
        if self._depth == 0:
            self._end_text(at)
            if tag in self._VOID:
                self.spans.append((at, at + len(self.get_starttag_text() or "")))
                return
            self._start = at
        if tag not in self._VOID:
            self._depth += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = self._offset()
        if self._depth == 0:
            self._end_text(at)
            self.spans.append((at, at + len(self.get_starttag_text() or "")))

    def handle_endtag(self, tag: str) -> None:
        if tag in self._VOID or self._depth == 0:
            return
        self._depth -= 1
        if self._depth == 0:
            at = self._offset()
            end = self._source.find(">", at)
            self.spans.append((self._start, end + 1 if end >= 0 else len(self._source)))

    def handle_data(self, data: str) -> None:
        if self._depth == 0 and self._text_start is None and data.strip():
            self._text_start = self._offset()

    def close(self) -> None:
        super().close()
        self._end_text(len(self._source))
        if self._depth > 0:
            self.spans.append((self._start, len(self._source)))


def _blocks(body_html: str) -> list[str]:
    """The top-level blocks of a body, as written (a figure's anchor counts these)."""
    parser = _BlockSpans(body_html)
    parser.feed(body_html)
    parser.close()
    out = [body_html[s:e].strip() for s, e in parser.spans]
    return [b for b in out if b]


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
    for domain, nicename, name in item.terms:
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
        title=item.title or f"Untitled {kind} {item.post_id}".rstrip(),
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
    for item in iter_wxr_items(path, cancelled=cancelled):
        article = _article(item, site=site, authors=authors, attachments=attachments)
        if article is not None:
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


# ----------------------------------------------------------------------------- writer


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("", value.replace("\r\n", "\n"))


def _esc(value: str) -> str:
    return html.escape(_xml_text(value), quote=True)


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
                f"<wp:cat_name>{_cdata(name)}</wp:cat_name></wp:category>\n"
            )
        else:
            self.write(
                f"\t<wp:tag><wp:term_id>{term_id}</wp:term_id>"
                f"<wp:tag_slug>{_cdata(slug)}</wp:tag_slug>"
                f"<wp:tag_name>{_cdata(name)}</wp:tag_name></wp:tag>\n"
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
            f"\t\t<title>{_cdata(a.title)}</title>\n",
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
                f"{_cdata(a.section.strip())}</category>\n"
            )
        for t in tag_names:
            parts.append(
                f'\t\t<category domain="post_tag" nicename="{_esc(tags.slugs[t.strip()])}">'
                f"{_cdata(t.strip())}</category>\n"
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
            f"\t\t\t<wp:comment_author_url>{_cdata(c.author_url)}</wp:comment_author_url>\n"
            f"\t\t\t<wp:comment_author_IP>{'' if private else _cdata(c.author_ip)}"
            "</wp:comment_author_IP>\n"
            f"\t\t\t<wp:comment_date>{_cdata(when)}</wp:comment_date>\n"
            f"\t\t\t<wp:comment_date_gmt>{_cdata(when)}</wp:comment_date_gmt>\n"
            f"\t\t\t<wp:comment_content>{_cdata(c.body)}</wp:comment_content>\n"
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


def content_for_wordpress(article: ArticleData) -> str:
    """The body as a post's content: our blocks, figures between them as ``<figure>``."""
    return _content(article)
