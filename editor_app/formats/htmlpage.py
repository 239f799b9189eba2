"""Web pages: a saved news page in, a standalone article page out.

Reading a foreign page uses trafilatura (``favor_precision``) to find the article and its
metadata (title, author, date, description, categories, tags), then maps trafilatura's XML
to the body subset: ``head`` → ``h2``/``h3``, ``list``/``item`` → ``ul``/``ol``, ``quote`` →
``blockquote``, ``hi`` → ``strong``/``em``, ``ref`` → links, ``lb`` → ``br``; tables become
``cell | cell`` paragraphs; code becomes a paragraph. An image alone in a paragraph (or with
only a caption next to it) becomes a figure with its source URL; a trailing ``(Credit: …)``
there is the credit. A block that is only a run of picture-and-teaser cards (a "related
posts" strip trafilatura sometimes keeps) is dropped.

A page written by ``write_html`` (``<meta name="generator" content="Copydesk">``) is read
from its own markup instead, so an export reads back as it was: title, dek, byline and
bios, section, tags, slug, date, body, and figures with captions, credits, alt text and
image bytes (from their ``data:`` URIs).

Writing: one HTML file with embedded CSS (light and dark via ``prefers-color-scheme``),
title, dek, byline, date, the body (sanitised again, so scripts, event handlers and
``javascript:`` links never reach the page), figures with captions and credits (images as
``data:`` URIs when the bytes are there, else their http(s) source URL) and an "About the
author" box with bios. Comments, commenters and e-mail addresses are never written.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any

import lxml.html
from lxml import etree

from editor_app.domain.errors import ImportFailed
from editor_app.formats.bodytree import body_tree, outer_html
from editor_app.formats.bundle import ArticleData, AuthorData, FigureData
from editor_app.formats.htmlbody import sanitize_body_html, sanitize_inline_html
from editor_app.formats.lxmlhuge import TEXT_LIMIT, document, fit

__all__ = ["GENERATOR", "read_html_page", "write_html"]

_Element = Any  # lxml elements

GENERATOR = "Copydesk"
_MAX_BYTES = 20 * 1024 * 1024
_MAX_IMAGE_BYTES = 25 * 1024 * 1024
_DATA_URI = re.compile(r"^data:(image/(?:png|jpeg|gif|webp));base64,([A-Za-z0-9+/=\s]*)$", re.I)
_EMBEDDABLE = {"image/png", "image/jpeg", "image/gif", "image/webp"}
_CREDIT = re.compile(
    r"^(?P<caption>.*?)\s*\(?\s*(?:credit|photo|image|picture)s?\s*:\s*(?P<credit>[^()]+?)\)?$",
    re.I | re.S,
)


# Reading: our own export --------------------------------------------------------------------


def _text(node: _Element | None) -> str:
    return " ".join(node.text_content().split()) if node is not None else ""


def _inner_html(node: _Element) -> str:
    parts = [escape(node.text, quote=False)] if node.text else []
    parts.extend(lxml.html.tostring(child, encoding="unicode") for child in node)
    return "".join(parts).strip()


def _first(root: _Element, xpath: str) -> _Element | None:
    found = root.xpath(xpath)
    return found[0] if found else None


def _meta(root: _Element, key: str, attr: str = "name") -> list[str]:
    return [str(v) for v in root.xpath(f'//meta[@{attr}="{key}"]/@content')]


def _parse_date(value: str) -> datetime | None:
    value = value.strip()
    if not value:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        return None


def _figure_from_copydesk(node: _Element, anchor: int) -> FigureData:
    img = node.find(".//img")
    src = img.get("src", "") if img is not None else ""
    image: bytes | None = None
    mime: str | None = None
    match = _DATA_URI.match(src)
    if match:
        try:
            image = base64.b64decode(match.group(2))
            mime = match.group(1).lower()
        except (binascii.Error, ValueError):
            image = None
        src = ""
    return FigureData(
        caption=_text(_first(node, './/*[@class="caption"]')),
        credit=_text(_first(node, './/*[@class="credit"]')),
        alt=img.get("alt", "") if img is not None else "",
        anchor=anchor,
        image=image if image and len(image) <= _MAX_IMAGE_BYTES else None,
        image_mime=mime if image else None,
        source_url=node.get("data-source", "") or (src if src.startswith("http") else ""),
    )


def _bio(node: _Element | None) -> str:
    if node is None:
        return ""
    paragraphs = [c for c in node if isinstance(c.tag, str)]
    if all(p.tag == "p" and not len(p) for p in paragraphs):
        return "\n\n".join(p.text or "" for p in paragraphs)
    return sanitize_inline_html(_inner_html(node))


def _read_copydesk(root: _Element, name: str) -> ArticleData:
    article = _first(root, '//article[contains(@class, "copydesk-article")]')
    if article is None:
        raise ImportFailed(f"{name}: a Copydesk page without its article")
    body = _first(article, './/div[@class="body"]')
    blocks: list[str] = []
    figures: list[FigureData] = []
    if body is not None:
        # Whitespace between blocks is kept as written, so a body reads back unchanged.
        for child in body:
            if not isinstance(child.tag, str):
                continue
            if child.tag == "figure" and "copydesk-figure" in child.get("class", ""):
                figures.append(_figure_from_copydesk(child, len(blocks)))
            else:
                blocks.append(lxml.html.tostring(child, encoding="unicode", with_tail=True))
    authors = []
    for box in article.xpath('.//*[@class="author-bio"]'):
        authors.append(
            AuthorData(
                name=_text(_first(box, './/*[@class="author-name"]')),
                role=_text(_first(box, './/*[@class="role"]')),
                bio=_bio(_first(box, './/*[@class="bio"]')),
                url=str(_first(box, './/a[@class="author-url"]/@href') or ""),
            )
        )
    named = {a.name for a in authors}
    for span in article.xpath('.//*[@class="byline"]//*[@class="author"]'):
        if _text(span) not in named:
            authors.append(AuthorData(name=_text(span)))
    time_el = _first(article, ".//header//time")
    return ArticleData(
        title=_text(_first(article, './/*[@class="title"]')),
        body_html=sanitize_body_html("".join(blocks).strip()),
        dek=_text(_first(article, './/*[@class="dek"]')),
        slug=article.get("data-slug", ""),
        status=article.get("data-status", "") or "published",
        section=(_meta(root, "article:section", "property") or [""])[0],
        tags=tuple(_meta(root, "article:tag", "property")),
        authors=tuple(authors),
        figures=tuple(figures),
        published_at=_parse_date(time_el.get("datetime", "")) if time_el is not None else None,
        source_key="html:" + (article.get("data-slug", "") or name),
        kind=article.get("data-kind", "") or "post",
    )


# Reading: a foreign page --------------------------------------------------------------------

_HI = {"#b": "strong", "#bold": "strong", "#i": "em", "#italic": "em"}


class _Mapper:
    """trafilatura's XML (a TEI-like dialect) to the body subset and figures."""

    def __init__(self) -> None:
        self.blocks: list[str] = []
        self.figures: list[FigureData] = []

    def inline(self, node: _Element) -> str:
        out = [escape(node.text, quote=False)] if node.text else []
        for child in node:
            tag = child.tag
            inner = self.inline(child)
            if tag == "lb":
                out.append("<br>")
            elif tag == "hi":
                wrap = _HI.get(child.get("rend", ""))
                out.append(f"<{wrap}>{inner}</{wrap}>" if wrap and inner.strip() else inner)
            elif tag == "ref":
                target = child.get("target", "")
                if re.match(r"(?i)(https?|mailto):", target) and inner.strip():
                    out.append(f'<a href="{escape(target, quote=True)}">{inner}</a>')
                else:
                    out.append(inner)
            elif tag == "graphic":
                pass  # figures are taken by the block mapper
            elif tag in {"list", "table", "quote", "head", "p"}:
                out.append(" " + _text_content(child) + " ")
            else:
                out.append(inner)
            if child.tail:
                out.append(escape(child.tail, quote=False))
        return "".join(out)

    def add(self, html: str, tag: str = "p") -> None:
        html = re.sub(r"^(\s|<br>)+|(\s|<br>)+$", "", html)
        html = re.sub(r"\s+", " ", html)
        if html:
            self.blocks.append(f"<{tag}>{html}</{tag}>")

    def figure(self, graphic: _Element, caption_html: str) -> None:
        src = graphic.get("src", "")
        if not src.startswith(("http://", "https://")):
            return
        text = " ".join(re.sub(r"<[^>]+>", " ", caption_html).split())
        caption, credit = text, ""
        match = _CREDIT.match(text)
        if match:
            caption, credit = (
                match.group("caption").strip(" -\u2013\u2014"),
                match.group("credit").strip(),
            )
        caption = caption.strip()
        if not caption and graphic.get("title"):
            caption = graphic.get("title", "").strip()
        self.figures.append(
            FigureData(
                caption=caption.replace("&amp;", "&"),
                credit=credit.replace("&amp;", "&"),
                alt=graphic.get("alt", "").strip(),
                anchor=len(self.blocks),
                source_url=src,
            )
        )

    def block(self, node: _Element) -> None:
        tag = node.tag
        if tag == "p":
            graphics = node.findall("graphic")
            html = self.inline(node)
            text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
            if graphics and (not text or (len(text) < 200 and len(graphics) == 1)):
                self.figure(graphics[0], html)
                for extra in graphics[1:]:
                    self.figure(extra, "")
                return
            for graphic in graphics:
                self.figure(graphic, "")
            self.add(html)
        elif tag == "head":
            self.add(
                self.inline(node),
                "h3" if node.get("rend", "h2") in {"h3", "h4", "h5", "h6"} else "h2",
            )
        elif tag == "list":
            list_tag = "ol" if node.get("rend", "ul") == "ol" else "ul"
            items = [self.inline(item).strip() for item in node if item.tag == "item"]
            items = [re.sub(r"\s+", " ", i) for i in items if i]
            if items:
                self.blocks.append(
                    f"<{list_tag}>" + "".join(f"<li>{i}</li>" for i in items) + f"</{list_tag}>"
                )
        elif tag == "quote":
            inner = _Mapper()
            for child in node:
                inner.block(child)
            if node.text and node.text.strip():
                inner.add(escape(node.text.strip(), quote=False))
            if inner.blocks:
                self.blocks.append("<blockquote>" + "".join(inner.blocks) + "</blockquote>")
        elif tag == "table":
            for row in node.iter("row"):
                cells = [" ".join(_text_content(c).split()) for c in row if c.tag == "cell"]
                if any(cells):
                    self.add(escape(" | ".join(cells), quote=False))
        elif tag == "code":
            lines = _text_content(node).strip("\n").split("\n")
            self.add("<br>".join(escape(line, quote=False) for line in lines))
        elif tag == "graphic":
            self.figure(node, "")
        elif tag == "div":
            if _teaser_strip(node):
                return
            for child in node:
                self.block(child)
        else:
            self.add(self.inline(node))


def _text_content(node: _Element) -> str:
    return "".join(node.itertext())


def _teaser_strip(div: _Element) -> bool:
    """A div of two or more picture-and-text cards: related posts, not the article."""
    cards = [c for c in div if c.tag == "div"]
    if len(cards) < 2 or len(cards) != len(div):
        return False
    return all(card.find("graphic") is not None and len(card.findall("p")) <= 2 for card in cards)


def _split_names(value: str) -> tuple[str, ...]:
    parts = [p.strip() for p in re.split(r"\s*(?:;|\band\b|,|&)\s*", value) if p.strip()]
    return tuple(dict.fromkeys(parts))


def _read_foreign(original: bytes, name: str) -> ArticleData:
    # An attribute value too long for trafilatura's parser (a picture as a data: URI: never
    # a figure of a foreign page) is emptied, or the parser would drop it and all after it.
    data, over = fit(original)
    if over:
        # trafilatura parses with lxml's limits, and past them drops the text unsaid.
        raise ImportFailed(
            f"{name}: a run of text (or a script) longer than {TEXT_LIMIT:,} characters with no "
            "markup in it cannot be read whole; break it into paragraphs and import the page again"
        )
    try:
        extracted = _extract(data, precise=True)
    except (ValueError, TypeError, etree.LxmlError) as exc:
        raise ImportFailed(f"{name}: the page cannot be read ({exc})") from None
    if not extracted:
        raise ImportFailed(f"{name}: no article text found on the page")
    doc = _parse_extracted(extracted, name)
    main = doc.find("main")
    mapper = _Mapper()
    if main is not None:
        for child in main:
            mapper.block(child)
        mapper.blocks.extend(_wire_credits(data, "".join(main.itertext())))
    body_html = sanitize_body_html("\n".join(mapper.blocks))
    return _foreign_article(doc, mapper, body_html, original, name)


_WIRE_CREDIT = re.compile(r"^\s*(additional )?(reporting|writing|editing) by\b", re.I)


def _extract(data: bytes, *, precise: bool) -> str | None:
    # Imported here: it is most of this module's import time (a third of a second), which
    # writing a page (an export's own processes) has no use for.
    import trafilatura

    return trafilatura.extract(
        data,
        output_format="xml",
        favor_precision=precise,
        include_formatting=True,
        include_links=True,
        include_images=True,
        include_tables=True,
        include_comments=False,
        with_metadata=True,
        # No: its cache is process-wide, so the same page read twice would come back empty.
        deduplicate=False,
    )


def _parse_extracted(extracted: str, name: str) -> _Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(extracted.encode("utf-8"), parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ImportFailed(f"{name}: the page cannot be read ({exc})") from None


def _wire_credits(data: bytes, kept_text: str) -> list[str]:
    """Wire-style credit lines ("Additional reporting by …") that precision mode drops.

    They sit at the very end of agency copy, where the precise extractor cuts; the balanced
    extractor keeps them (with boilerplate such as "Our Standards"), so only lines that look
    like credits are taken from it.
    """
    try:
        balanced = _extract(data, precise=False)
    except (ValueError, TypeError, etree.LxmlError):
        return []
    if not balanced:
        return []
    try:
        doc = _parse_extracted(balanced, "")
    except ImportFailed:
        return []
    credits = []
    for p in doc.iter("p"):
        text = " ".join("".join(p.itertext()).split())
        if _WIRE_CREDIT.match(text) and text not in kept_text and len(text) < 400:
            credits.append(f"<p>{escape(text, quote=False)}</p>")
    return credits


def _foreign_article(
    doc: _Element, mapper: _Mapper, body_html: str, data: bytes, name: str
) -> ArticleData:
    if not body_html.strip():
        raise ImportFailed(f"{name}: no article text found on the page")
    title = " ".join((doc.get("title") or "").split()) or name
    categories = [c.strip() for c in (doc.get("categories") or "").split(";") if c.strip()]
    if len(categories) == 1 and "," in categories[0]:
        categories = [c.strip() for c in categories[0].split(",") if c.strip()]
    raw_tags = doc.get("tags") or ""
    tags = [t.strip() for t in re.split(r"[;,]", raw_tags) if t.strip()]
    url = doc.get("url") or ""
    key = url or hashlib.sha256(data).hexdigest()[:16]
    published = None
    if doc.get("date"):
        try:
            published = datetime.fromisoformat(doc.get("date", ""))
        except ValueError:
            published = None
    return ArticleData(
        title=title,
        body_html=body_html,
        dek=" ".join((doc.get("description") or "").split()),
        status="published",
        section=categories[0] if categories else "",
        tags=tuple(dict.fromkeys(tags)),
        authors=tuple(AuthorData(name=n) for n in _split_names(doc.get("author") or "")),
        figures=tuple(mapper.figures),
        published_at=published,
        source_key="html:" + key,
    )


def _is_copydesk(root: _Element) -> bool:
    return any(v.strip().startswith(GENERATOR) for v in _meta(root, "generator"))


def read_html_page(data: bytes, *, source_name: str) -> ArticleData:
    """The article of a saved web page (or of a page Copydesk exported)."""
    name = source_name or "the page"
    if not data or not data.strip():
        raise ImportFailed(f"{name}: the file is empty")
    if len(data) > _MAX_BYTES:
        raise ImportFailed(f"{name}: larger than {_MAX_BYTES // (1024 * 1024)} MB")
    head = data[:4096]
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ImportFailed(f"{name}: is a binary file, not a web page")
    if b"<" not in data[:65536]:
        raise ImportFailed(f"{name}: is not an HTML page")
    try:
        root = document(data)
    except (etree.ParserError, ValueError) as exc:
        raise ImportFailed(f"{name}: is not an HTML page ({exc})") from None
    if _is_copydesk(root):
        return _read_copydesk(root, name)
    return _read_foreign(data, name)


# Writing ------------------------------------------------------------------------------------

_CSS = """
:root{color-scheme:light dark;--fg:#1b1b1b;--bg:#fff;--muted:#555;--rule:#ddd;--box:#f5f3ee;
--link:#0b57d0}
@media (prefers-color-scheme: dark){:root{--fg:#e8e8e8;--bg:#161616;--muted:#aaa;--rule:#333;
--box:#222;--link:#8ab4f8}}
body{font-family:Georgia,'Times New Roman',serif;max-width:42rem;margin:3rem auto;padding:0 1rem;
color:var(--fg);background:var(--bg);line-height:1.6}
h1{font-size:2.2rem;line-height:1.2;margin:0 0 .5rem} .dek{font-size:1.25rem;color:var(--muted)}
.byline{color:var(--muted);font-style:italic} a{color:var(--link)}
blockquote{margin:1.5rem 0;padding-left:1rem;border-left:3px solid var(--rule);font-style:italic}
figure{margin:2rem 0} figure img{max-width:100%;height:auto;display:block}
figcaption{font-size:.9rem;color:var(--muted)} .credit{font-size:.8rem;text-transform:uppercase}
.about{margin-top:3rem;padding:1rem 1.25rem;background:var(--box);border-radius:6px}
.about h2{margin-top:0;font-size:1.1rem}
"""


def _attr(value: str) -> str:
    return escape(value, quote=True)


def _figure_html(figure: FigureData) -> str:
    src = ""
    if figure.image and figure.image_mime in _EMBEDDABLE:
        src = f"data:{figure.image_mime};base64," + base64.b64encode(figure.image).decode()
    elif figure.source_url.startswith(("http://", "https://")):
        src = figure.source_url
    img = f'<img src="{_attr(src)}" alt="{_attr(figure.alt)}">' if src else ""
    caption = f'<span class="caption">{escape(figure.caption)}</span>' if figure.caption else ""
    credit = f' <span class="credit">{escape(figure.credit)}</span>' if figure.credit else ""
    source = (
        f' data-source="{_attr(figure.source_url)}"'
        if figure.source_url.startswith(("http://", "https://"))
        else ""
    )
    figcaption = f"<figcaption>{caption}{credit}</figcaption>" if caption or credit else ""
    return f'<figure class="copydesk-figure"{source}>{img}{figcaption}</figure>\n'


@functools.lru_cache(maxsize=1024)  # an author's bio recurs in every article of theirs
def _bio_html(bio: str) -> str:
    if "<" in bio:
        return sanitize_inline_html(bio)
    return "".join(f"<p>{escape(p.strip())}</p>" for p in bio.split("\n\n") if p.strip())


def _about(authors: Sequence[AuthorData]) -> str:
    boxes = []
    for a in authors:
        if not (a.bio or a.role):
            continue
        name = escape(a.byline_name or a.name)
        role = f' <span class="role">{escape(a.role)}</span>' if a.role else ""
        url = (
            f' <a class="author-url" href="{_attr(a.url)}" rel="author">{escape(a.url)}</a>'
            if a.url.startswith(("http://", "https://"))
            else ""
        )
        boxes.append(
            f'<div class="author-bio"><h3><span class="author-name">{name}</span>{role}</h3>'
            f'<div class="bio">{_bio_html(a.bio)}</div>{url}</div>'
        )
    if not boxes:
        return ""
    title = "About the authors" if len(boxes) > 1 else "About the author"
    return f'<footer class="about"><h2>{title}</h2>{"".join(boxes)}</footer>'


def _byline(authors: Sequence[AuthorData]) -> str:
    names = [
        f'<span class="author">{escape(a.byline_name or a.name)}</span>'
        for a in authors
        if (a.byline_name or a.name).strip()
    ]
    if not names:
        return ""
    joined = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f'<p class="byline">By {joined}</p>'


def _split_blocks(body_html: str) -> list[str]:
    """Top-level blocks, each with the whitespace that followed it (kept for exact reads)."""
    root = body_tree(body_html.strip())
    blocks = []
    for text, child in [(root.text, None), *((c.tail, c) for c in root)]:
        if child is not None and isinstance(child.tag, str):
            html = outer_html(child)
            blocks.append(html + (text if text and not text.strip() else ""))
        if text and text.strip():
            blocks.append(f"<p>{escape(text.strip(), quote=False)}</p>")
    return blocks


def write_html(article: ArticleData, *, language: str = "en") -> str:
    """A standalone page of the article. No comments, no commenter data, no scripts."""
    blocks = _split_blocks(sanitize_body_html(article.body_html))
    by_anchor: dict[int, list[FigureData]] = {}
    for fig in article.figures:
        by_anchor.setdefault(min(fig.anchor, len(blocks)), []).append(fig)
    body: list[str] = []
    for index in range(len(blocks) + 1):
        body.extend(_figure_html(f) for f in by_anchor.get(index, []))
        if index < len(blocks):
            body.append(blocks[index])
    head = [
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f'<meta name="generator" content="{GENERATOR}">',
        f"<title>{escape(article.title)}</title>",
    ]
    if article.dek:
        head.append(f'<meta name="description" content="{_attr(article.dek)}">')
    names = [a.byline_name or a.name for a in article.authors if (a.byline_name or a.name)]
    if names:
        head.append(f'<meta name="author" content="{_attr(", ".join(names))}">')
    if article.section:
        head.append(f'<meta property="article:section" content="{_attr(article.section)}">')
    head.extend(f'<meta property="article:tag" content="{_attr(t)}">' for t in article.tags)
    when = ""
    if article.published_at:
        stamp = article.published_at.isoformat()
        shown = article.published_at.astimezone(UTC) if article.published_at.tzinfo else None
        label = (shown or article.published_at).strftime("%d %B %Y").lstrip("0")
        head.append(f'<meta property="article:published_time" content="{_attr(stamp)}">')
        when = f'<p class="date"><time datetime="{_attr(stamp)}">{escape(label)}</time></p>'
    header = (
        f'<header><h1 class="title">{escape(article.title)}</h1>'
        + (f'<p class="dek">{escape(article.dek)}</p>' if article.dek else "")
        + _byline(article.authors)
        + when
        + "</header>"
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{_attr(language)}"><head>'
        + "".join(head)
        + f"<style>{_CSS}</style></head>\n<body>"
        + f'<article class="copydesk-article" data-slug="{_attr(article.slug)}"'
        + f' data-status="{_attr(article.status)}" data-kind="{_attr(article.kind)}">'
        + header
        + '\n<div class="body">\n'
        + "".join(body)
        + "\n</div>\n"
        + _about(article.authors)
        + "</article></body></html>\n"
    )
