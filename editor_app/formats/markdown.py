"""Markdown with front matter, as Hugo and Jekyll keep posts.

Reading:

* Front matter: YAML between ``---`` lines (Jekyll, Hugo) or TOML between ``+++`` lines
  (Hugo). Keys: ``title``; ``date``; ``author`` (a name, a list, or ``{name: …}``) or
  ``authors``; ``tags`` (a list, or a string split on commas, else on spaces as Jekyll does);
  ``categories``/``category``/``section`` → section (the first category); ``draft: true`` or
  Jekyll's ``published: false`` → draft, otherwise published; ``description``/``summary``/
  ``excerpt``/``subtitle`` → dek; ``slug``. Other keys are ignored.
* Body: CommonMark (markdown-it-py) rendered to HTML and reduced to the body subset:
  ``#``/``##`` → ``h2``, ``###`` and deeper → ``h3``; code blocks become paragraphs with line
  breaks; rules are dropped; tables become one ``cell | cell`` paragraph per row; raw HTML is
  sanitised like any foreign HTML.
* An image alone in its paragraph, ``![alt](src "title")``, is a figure (source URL, alt;
  the title is the caption). A paragraph that is wholly italic right after it is the caption
  instead, and a trailing ``(Credit: …)`` in it is the credit. ``data:`` image URIs are
  decoded into the figure's image bytes. Images inside running text stay inline.
* Without a front-matter title, a leading ``# Heading`` is the title; else the file name.

Writing: YAML front matter (``title``, ``date``, ``authors``, ``tags``, ``categories``
holding the section, ``draft``, ``description`` for the dek, ``slug``) and a CommonMark body.
Markdown has no field for a credit, so a figure is ``![alt](src)`` followed by an italic
caption line ``*Caption (Credit: Name)*``. A figure without a URL but with image bytes is
written as a ``data:`` URI. Comments are never written.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import tomllib
from collections.abc import Sequence
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import lxml.html
import yaml
from markdown_it import MarkdownIt

from editor_app.domain.errors import ImportFailed
from editor_app.formats.bodytree import body_tree, text_content
from editor_app.formats.bundle import ArticleData, AuthorData, FigureData
from editor_app.formats.comment_html import no_markup
from editor_app.formats.htmlbody import sanitize_body_html
from editor_app.formats.lxmlhuge import fragment

__all__ = ["markdown_to_html", "read_markdown", "write_markdown"]

_Element = Any  # lxml.html elements

_MAX_BYTES = 20 * 1024 * 1024
# libyaml's safe dumper where PyYAML was built with it (its wheels are): the same YAML as the
# pure-Python one, written about ten times faster.
_DUMPER: Any = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_MAX_IMAGE_BYTES = 25 * 1024 * 1024
_YAML_FENCE = re.compile(r"\A---[ \t]*\r?\n(.*?)(?:\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.S)
_YAML_EMPTY = re.compile(r"\A---[ \t]*\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)")
_TOML_FENCE = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)(?:\r?\n)\+\+\+[ \t]*(?:\r?\n|\Z)", re.S)
_CREDIT = re.compile(
    r"^(?P<caption>.*?)\s*\((?:credit|photo|image|picture):\s*(?P<credit>[^()]+)\)$", re.I | re.S
)
_DATA_URI = re.compile(r"^data:(image/[\w.+-]+);base64,(.*)$", re.S | re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# Reading --------------------------------------------------------------------------------


def _decode(source: str | bytes, name: str) -> str:
    if isinstance(source, bytes):
        if len(source) > _MAX_BYTES:
            raise ImportFailed(f"{name}: larger than {_MAX_BYTES // (1024 * 1024)} MB")
        if b"\x00" in source[:8192]:
            raise ImportFailed(f"{name}: is a binary file, not Markdown text")
        try:
            text = source.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ImportFailed(
                f"{name}: is not UTF-8 text (bad byte at offset {exc.start})"
            ) from None
    else:
        text = source.removeprefix("\ufeff")
    if "\x00" in text or len(_CONTROL.findall(text[:8192])) > 8:
        raise ImportFailed(f"{name}: is a binary file, not Markdown text")
    if not text.strip():
        raise ImportFailed(f"{name}: the file is empty")
    # A stray control character (a few pass the binary test) has no meaning in Markdown and
    # no place in XML, which the body goes through.
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _split_front_matter(text: str, name: str) -> tuple[dict[str, Any], str]:
    if _YAML_EMPTY.match(text):
        return {}, text[_YAML_EMPTY.match(text).end() :]  # type: ignore[union-attr]
    match = _YAML_FENCE.match(text)
    if match:
        try:
            meta = yaml.safe_load(match.group(1))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" (line {mark.line + 2})" if mark is not None else ""
            raise ImportFailed(f"{name}: the front matter is not valid YAML{where}") from None
        except RecursionError:
            raise ImportFailed(f"{name}: the front matter is nested too deeply") from None
        return _mapping(meta, name), text[match.end() :]
    match = _TOML_FENCE.match(text)
    if match:
        try:
            meta = tomllib.loads(match.group(1))
        except tomllib.TOMLDecodeError as exc:
            raise ImportFailed(f"{name}: the front matter is not valid TOML ({exc})") from None
        except RecursionError:
            raise ImportFailed(f"{name}: the front matter is nested too deeply") from None
        return meta, text[match.end() :]
    return {}, text


def _mapping(meta: object, name: str) -> dict[str, Any]:
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise ImportFailed(f"{name}: the front matter must be a list of 'key: value' lines")
    return {str(k).lower(): v for k, v in meta.items()}


def _str(value: object) -> str:
    if value is None or isinstance(value, dict | list):
        return ""
    return " ".join(str(value).split())


def _names(value: object) -> list[str]:
    if isinstance(value, str):
        return [n.strip() for n in re.split(r"\s*(?:;|,|\band\b)\s*", value) if n.strip()]
    if isinstance(value, dict):
        return [n for n in (_str(value.get("name") or value.get("display_name")),) if n]
    if isinstance(value, list):
        return [n for item in value for n in _names(item)]
    return []


def _tags(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        parts = value.split(",") if "," in value else value.split()
    elif isinstance(value, list):
        parts = [_str(v) for v in value]
    else:
        parts = []
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))


def _date(value: object, name: str) -> datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time())
    try:
        return datetime.fromisoformat(str(value).strip().replace(" ", "T", 1))
    except ValueError:
        raise ImportFailed(f"{name}: the date {str(value)[:40]!r} is not a date") from None


def _figure_from_img(img: _Element, anchor: int, caption: str, credit: str) -> FigureData:
    src = img.get("src", "").strip()
    image: bytes | None = None
    mime: str | None = None
    data = _DATA_URI.match(src)
    if data:
        try:
            decoded = base64.b64decode(data.group(2), validate=False)
        except (binascii.Error, ValueError):
            decoded = b""
        if decoded and len(decoded) <= _MAX_IMAGE_BYTES:
            image, mime = decoded, data.group(1).lower()
        src = ""
    elif not re.match(r"(?i)https?://|/|\.|[\w-]+(/|\.\w+$)", src):
        src = ""  # javascript: and friends are never kept
    return FigureData(
        caption=caption or img.get("title", "").strip(),
        credit=credit,
        alt=img.get("alt", "").strip(),
        anchor=anchor,
        image=image,
        image_mime=mime,
        source_url=src,
    )


def _lone_image(p: _Element) -> _Element | None:
    """The image of a paragraph that holds nothing else (a link around it is allowed)."""
    if (p.text or "").strip() or len(p) != 1 or (p[0].tail or "").strip():
        return None
    child = p[0]
    if child.tag == "a" and len(child) == 1 and not (child.text or "").strip():
        child = child[0] if not (child[0].tail or "").strip() else None
    return child if child is not None and child.tag == "img" else None


def _caption_line(p: _Element) -> tuple[str, str] | None:
    """Caption and credit of a paragraph that is wholly italic, else None."""
    if p.tag != "p" or (p.text or "").strip() or len(p) != 1 or (p[0].tail or "").strip():
        return None
    if p[0].tag not in {"em", "i"}:
        return None
    text = " ".join(p[0].text_content().split())
    match = _CREDIT.match(text)
    if match:
        return match.group("caption").strip(), match.group("credit").strip()
    return text, ""


def _replace(node: _Element, tag: str) -> None:
    node.tag = tag
    for attr in list(node.attrib):
        del node.attrib[attr]


def _flatten_table(table: _Element) -> list[_Element]:
    rows = []
    for tr in table.iter("tr"):
        cells = [" ".join(td.text_content().split()) for td in tr if td.tag in {"td", "th"}]
        if any(cells):
            p = lxml.html.Element("p")
            p.text = " | ".join(cells)
            rows.append(p)
    return rows


def _pre_to_p(pre: _Element) -> None:
    lines = pre.text_content().rstrip("\n").split("\n")
    for child in list(pre):
        pre.remove(child)
    _replace(pre, "p")
    pre.text = lines[0] if lines else ""
    for line in lines[1:]:
        br = lxml.html.Element("br")
        br.tail = line
        pre.append(br)


def _normalise(root: _Element) -> None:
    for node in list(root.iter()):
        if not isinstance(node.tag, str):
            continue
        if node.tag == "h1" or node.tag == "h2":
            _replace(node, "h2")
        elif node.tag in {"h4", "h5", "h6"}:
            _replace(node, "h3")
        elif node.tag == "pre":
            _pre_to_p(node)
        elif node.tag == "hr":
            node.drop_tree()
        elif node.tag == "table":
            parent = node.getparent()
            if parent is not None:
                index = parent.index(node)
                for offset, row in enumerate(_flatten_table(node)):
                    parent.insert(index + offset + 1, row)
                node.drop_tree()


_BLOCKISH = {"ul", "ol", "blockquote", "li", "figure", "p", "h2", "h3"}


def _compact(root: _Element) -> None:
    """Drop the newlines markdown-it puts between block tags, so bodies compare plainly."""
    for node in root.iter():
        if not isinstance(node.tag, str):
            continue
        if node.tag in _BLOCKISH or node is root:
            has_block_child = any(c.tag in _BLOCKISH for c in node if isinstance(c.tag, str))
            if node.text and has_block_child:
                node.text = node.text.rstrip() or None
            for child in node:
                if (
                    child.tail
                    and not child.tail.strip()
                    and (child.tag in _BLOCKISH or has_block_child)
                ):
                    child.tail = None
            if len(node) and node[-1].tail:
                node[-1].tail = node[-1].tail.rstrip() or None
            elif not len(node) and node.text:
                node.text = node.text.rstrip()
        if node.tag == "br" and node.tail:
            node.tail = node.tail.lstrip("\n") or None


def markdown_to_html(markdown: str) -> tuple[str, list[FigureData]]:
    """CommonMark to the body subset; lone images come back as figures, not in the body."""
    rendered = MarkdownIt("commonmark", {"html": True}).enable("table").render(markdown)
    root = fragment(rendered or "<p></p>")
    _normalise(root)
    _compact(root)
    kept: list[str] = []
    figures: list[FigureData] = []
    children = [c for c in root if isinstance(c.tag, str)]
    index = 0
    while index < len(children):
        node = children[index]
        img = _lone_image(node) if node.tag == "p" else None
        if img is None and node.tag == "figure":
            img = node.find(".//img")
            cap = node.find(".//figcaption")
            text = " ".join(cap.text_content().split()) if cap is not None else ""
            match = _CREDIT.match(text)
            caption, credit = (match.group(1), match.group(2)) if match else (text, "")
            if img is not None:
                figures.append(_figure_from_img(img, len(kept), caption.strip(), credit.strip()))
                index += 1
                continue
        if img is not None:
            caption, credit = "", ""
            following = children[index + 1] if index + 1 < len(children) else None
            line = _caption_line(following) if following is not None else None
            if line is not None:
                caption, credit = line
                index += 1
            figures.append(_figure_from_img(img, len(kept), caption, credit))
        else:
            kept.append(lxml.html.tostring(node, encoding="unicode", with_tail=False))
        index += 1
    return sanitize_body_html("\n".join(kept)), figures


def read_markdown(text: str | bytes, *, source_name: str) -> ArticleData:
    """A Markdown post (with optional front matter) as an article."""
    name = source_name or "the Markdown file"
    body_text = _decode(text, name)
    meta, body_md = _split_front_matter(body_text, name)
    title = _str(meta.get("title"))
    if not title:
        heading = re.match(r"\A\s*#[ \t]+(.+?)[ \t#]*(?:\n|\Z)", body_md)
        if heading:
            title = " ".join(heading.group(1).split())
            body_md = body_md[heading.end() :]
    body_html, figures = markdown_to_html(body_md)
    authors = _names(meta.get("authors")) or _names(meta.get("author"))
    section_value = meta.get("categories", meta.get("category", meta.get("section")))
    if isinstance(section_value, list):
        section = _str(section_value[0]) if section_value else ""
    elif isinstance(section_value, str) and "," in section_value:
        section = section_value.split(",")[0].strip()
    else:
        section = _str(section_value)
    draft = meta.get("draft") is True or meta.get("published") is False
    dek = next(
        (
            _str(meta.get(k))
            for k in ("description", "summary", "excerpt", "subtitle")
            if _str(meta.get(k))
        ),
        "",
    )
    stem = Path(name).stem
    return ArticleData(
        title=title or stem or "Untitled",
        body_html=body_html,
        dek=dek,
        slug=_str(meta.get("slug")),
        status="draft" if draft else "published",
        section=section,
        tags=_tags(meta.get("tags")),
        authors=tuple(AuthorData(name=n) for n in dict.fromkeys(authors)),
        figures=tuple(figures),
        published_at=_date(meta.get("date"), name),
        source_key="markdown:" + (_str(meta.get("slug")) or stem),
    )


# Writing --------------------------------------------------------------------------------

_ESCAPE = re.compile(r"([\\`*_\[\]<])")
# The same, one character at a time (str.translate: no regex, no template per match).
_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_[]<"})
_SPECIAL = re.compile(r"[\\`*_\[\]<&]")
_ENTITY = re.compile(r"&(?=#?\w+;)")
_LINE_START = re.compile(r"^(\s*)([#>+=~-]|\d+[.)])(?=\s|$)", re.M)
_BLANKS = re.compile(r"[ \t]+")


def _escape(text: str) -> str:
    if _SPECIAL.search(text) is None:
        return text  # most running text: nothing to escape
    text = text.translate(_ESCAPES)
    return _ENTITY.sub(r"\\&", text) if "&" in text else text


_MARKER_FIRST = frozenset("#>+=~-")


def _fix_line_start(match: re.Match[str]) -> str:
    marker = match.group(2)
    if marker[0].isdigit():
        return match.group(1) + marker[:-1] + "\\" + marker[-1]
    return match.group(1) + "\\" + marker


def _escape_line_starts(text: str) -> str:
    # Only a line whose first non-space character could open a marker can match: most
    # blocks have none, and are kept without running the expression over their length.
    for line in text.split("\n"):
        first = line.lstrip()[:1]
        if first and (first in _MARKER_FIRST or first.isdigit()):
            return _LINE_START.sub(_fix_line_start, text)
    return text


def _url(url: str) -> str:
    if re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def _wrap(marker: str, inner: str) -> str:
    stripped = inner.strip()
    if not stripped:
        return inner
    lead = inner[: len(inner) - len(inner.lstrip())]
    trail = inner[len(inner.rstrip()) :]
    return f"{lead}{marker}{stripped}{marker}{trail}"


def _inline(node: _Element) -> str:
    out = [_escape(node.text.replace("\n", " "))] if node.text else []
    for child in node:
        tag = child.tag if isinstance(child.tag, str) else ""
        if tag == "br":
            out.append("\\\n")
        elif tag in {"strong", "b"}:
            out.append(_wrap("**", _inline(child)))
        elif tag in {"em", "i"}:
            out.append(_wrap("*", _inline(child)))
        elif tag == "a":
            label = _inline(child)
            href = child.get("href", "")
            title = child.get("title", "")
            if href:
                target = _url(href) + (f' "{title.replace(chr(34), "")}"' if title else "")
                out.append(f"[{label}]({target})")
            else:
                out.append(label)
        elif tag == "img":
            out.append(_image(child.get("alt", ""), child.get("src", "")))
        elif tag in {"ul", "ol"}:
            pass  # written by the list writer
        elif tag:
            out.append(_inline(child))
        if child.tail:
            out.append(_escape(child.tail.replace("\n", " ")))
    joined = "".join(out)
    return _BLANKS.sub(" ", joined) if "  " in joined or "\t" in joined else joined


def _image(alt: str, src: str) -> str:
    alt = alt.replace("[", "").replace("]", "")
    return f"![{alt}]({_url(src)})"


def _indent(text: str, prefix: str, first: str | None = None) -> str:
    lines = text.split("\n")
    head = first if first is not None else prefix
    return "\n".join(
        (head if i == 0 else prefix) + line if line else (head if i == 0 else prefix).rstrip()
        for i, line in enumerate(lines)
    )


def _list(node: _Element) -> str:
    ordered = node.tag == "ol"
    items = [li for li in node if li.tag == "li"]
    out = []
    for number, li in enumerate(items, start=1):
        marker = f"{number}. " if ordered else "- "
        parts = []
        text = _escape_line_starts(_inline(li).strip())
        if text:
            parts.append(text)
        for sub in li:
            if sub.tag in {"ul", "ol"}:
                parts.append(_list(sub))
            elif sub.tag in {"p", "blockquote", "h2", "h3"}:
                pass  # already part of the inline text
        body = "\n".join(parts) if parts else ""
        out.append(_indent(body, " " * len(marker), marker))
    return "\n".join(out)


def _figure_md(alt: str, src: str, caption: str, credit: str) -> str:
    parts = [_image(alt, src)] if src else []
    line = caption.strip()
    if credit.strip():
        line = f"{line} (Credit: {credit.strip()})".strip()
    if line:
        parts.append(_wrap("*", _escape(line)))
    return "\n\n".join(parts)


def _block(node: _Element) -> str:
    tag = node.tag
    if tag == "h2":
        return "## " + _inline(node).strip()
    if tag == "h3":
        return "### " + _inline(node).strip()
    if tag in {"ul", "ol"}:
        return _list(node)
    if tag == "blockquote":
        inner = _blocks(node)
        return _indent("\n\n".join(inner), "> ")
    if tag == "figure":
        img = node.find(".//img")
        cap = node.find(".//figcaption")
        caption = " ".join(text_content(cap).split()) if cap is not None else ""
        src = img.get("src", "") if img is not None else ""
        alt = img.get("alt", "") if img is not None else ""
        return _figure_md(alt, src, caption, "")
    return _escape_line_starts(_inline(node).strip())


def _blocks(root: _Element) -> list[str]:
    out = []
    if (root.text or "").strip():
        out.append(_escape_line_starts(_escape(" ".join(root.text.split()))))
    for child in root:
        if isinstance(child.tag, str):
            text = _block(child)
            if text.strip():
                out.append(text)
        if (child.tail or "").strip():
            out.append(_escape_line_starts(_escape(" ".join(child.tail.split()))))
    return out


def _figure_src(figure: FigureData) -> str:
    if figure.source_url:
        return figure.source_url
    if figure.image and figure.image_mime and figure.image_mime.startswith("image/"):
        return f"data:{figure.image_mime};base64," + base64.b64encode(figure.image).decode()
    return ""


def _iso(value: datetime) -> str:
    if value.tzinfo is None:
        return value.isoformat(timespec="seconds")
    return value.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def html_to_markdown(body_html: str, figures: Sequence[FigureData] = ()) -> str:
    """A body in the subset (plus figures placed by anchor) as CommonMark."""
    root = body_tree(sanitize_body_html(body_html))
    blocks = _blocks(root)
    by_anchor: dict[int, list[str]] = {}
    for fig in figures:
        text = _figure_md(fig.alt, _figure_src(fig), fig.caption, fig.credit)
        if text:
            by_anchor.setdefault(min(fig.anchor, len(blocks)), []).append(text)
    out: list[str] = []
    for index in range(len(blocks) + 1):
        out.extend(by_anchor.get(index, []))
        if index < len(blocks):
            out.append(blocks[index])
    return "\n\n".join(out)


# A scalar PyYAML writes plain or, where it would read back as another type (a date,
# `yes`, a number), in single quotes, and nothing else: a letter or digit first, then words,
# spaces and everyday punctuation, no `: ` or ` #`, no space at the end. Anything else goes
# through PyYAML itself (a test holds the two equal).
_SIMPLE_SCALAR = re.compile(
    "[^\\W_][\\w .,;!?()/&%+$'\u2018\u2019\u201c\u201d\u2013\u2014-]*(?<! )"
)
_RESOLVE: Any = yaml.resolver.Resolver().resolve
_STR_TAG = "tag:yaml.org,2002:str"
# The date as `_iso` writes it: PyYAML reads it back as a timestamp, so writes it quoted.
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:Z|[+-]\d\d:\d\d)?")


@functools.lru_cache(maxsize=4096)  # bylines, tags and sections recur from article to article
def _simple_scalar(value: str) -> str | None:
    if _STAMP.fullmatch(value) and _RESOLVE(yaml.ScalarNode, value, (True, False)) != _STR_TAG:
        return f"'{value}'"
    if len(value) > 200 or not _SIMPLE_SCALAR.fullmatch(value):
        return None
    if not value.isascii() and max(value) > "\uffff":
        return None  # libyaml writes these as escapes
    if ": " in value or " #" in value or value.endswith(":"):
        return None
    if _RESOLVE(yaml.ScalarNode, value, (True, False)) == _STR_TAG:
        return value
    return "'" + value.replace("'", "''") + "'"


def _front_matter(meta: dict[str, Any]) -> str:
    """`yaml.dump(meta, sort_keys=False, allow_unicode=True, width=1000)`, byte for byte,
    written directly where every value is simple (PyYAML's representer, in Python even with
    libyaml's emitter, was an eighth of a Markdown export)."""
    lines: list[str] = []
    for key, value in meta.items():
        if value is True or value is False:
            lines.append(f"{key}: {'true' if value else 'false'}")
            continue
        items = value if isinstance(value, list) else None
        scalars = [_simple_scalar(v) if isinstance(v, str) else None for v in items or [value]]
        if not scalars or None in scalars:
            return str(
                yaml.dump(meta, Dumper=_DUMPER, sort_keys=False, allow_unicode=True, width=1000)
            )
        if items is None:
            lines.append(f"{key}: {scalars[0]}")
        else:
            lines.append(f"{key}:")
            lines.extend(f"- {v}" for v in scalars)
    return "\n".join(lines) + "\n"


def write_markdown(article: ArticleData) -> str:
    """Front matter and a CommonMark body; comments are never written."""
    # Static site generators put these into pages unescaped: nothing in them may open a tag.
    meta: dict[str, Any] = {"title": no_markup(article.title)}
    if article.published_at:
        meta["date"] = _iso(article.published_at)
    names = [a.byline_name or a.name for a in article.authors if (a.byline_name or a.name)]
    if names:
        meta["authors"] = [no_markup(n) for n in names]
    if article.tags:
        meta["tags"] = [no_markup(t) for t in article.tags]
    if article.section:
        meta["categories"] = [no_markup(article.section)]
    meta["draft"] = article.status != "published"
    if article.dek:
        meta["description"] = no_markup(article.dek)
    if article.slug:
        meta["slug"] = article.slug
    front = _front_matter(meta)
    body = html_to_markdown(article.body_html, article.figures)
    return f"---\n{front}---\n\n{body}\n" if body else f"---\n{front}---\n"
