"""Word documents (.docx): a reporter's draft in, a formatted manuscript out.

Reading (python-docx for the package, styles and parts; the body XML is walked directly so
that runs inside tracked insertions, content controls and smart tags are not lost):

* ``Title`` style → title (else the first ``Heading 1``, else the document's core title,
  else the file name); ``Subtitle`` → dek; ``Byline`` (the style ``write_docx`` adds) →
  authors. Core properties: keywords → tags, category → section.
* ``Heading 1``/``Heading 2`` → ``h2``, ``Heading 3``-``9`` → ``h3``. A custom style based on
  one of these counts as it.
* Bold and italic runs (direct formatting or the ``Strong``/``Emphasis`` character styles),
  line breaks, hyperlinks (external targets; links to bookmarks keep only their text).
* ``List Bullet``/``List Number`` styles (``… 2``, ``… 3`` nest) and paragraphs with Word
  numbering (``numPr``: bullet vs number is read from the numbering part) → ``ul``/``ol``,
  nested by level. ``Quote``/``Intense Quote`` → ``blockquote``.
* Tables: the body subset has none, so each row becomes a paragraph ``cell | cell``.
* Inline pictures (embedded, not linked) → figures with their bytes and MIME type; the alt
  text is the picture's description; a ``Caption`` paragraph right after is the caption, and
  a trailing ``(…)`` in it is the credit. A ``Caption`` paragraph with no picture before it
  (and not after a table) is a figure without an image.
* Footnotes and endnotes: python-docx has no API for them, so their parts' XML is read
  directly. A reference becomes ``[n]`` in the text (one sequence for both kinds, in reading
  order) and the notes are listed at the end under ``<h3>Notes</h3>`` as an ``ol``.
* Text boxes become paragraphs after the paragraph that anchors them.
* Not read: comments, headers and footers, tracked deletions, strike-through, underline,
  fields' codes (their shown result is kept), charts and SmartArt.

Every file is checked by ``safezip.check_zip`` before python-docx sees it.

Writing: Title, Subtitle (dek), a ``Byline`` paragraph (added style), Heading 2/3,
``Quote`` for block quotes, ``List Bullet``/``List Number`` (levels 2 and 3 for nesting),
hyperlinks, pictures for figures that carry image bytes (JPEG, PNG, GIF, BMP, TIFF; others
keep only their caption) and a ``Caption`` paragraph "caption (credit)". Numbered lists
continue one numbering sequence (the template's). Comments are never written.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Any

import docx
import lxml.html
from docx.document import Document as DocxDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Length, RGBColor
from docx.text.paragraph import Paragraph
from lxml import etree

from editor_app.domain.errors import ImportFailed
from editor_app.formats.bundle import ArticleData, AuthorData, FigureData
from editor_app.formats.htmlbody import sanitize_body_html
from editor_app.formats.lxmlhuge import TEXT_LIMIT, fragment
from editor_app.formats.safezip import check_zip

__all__ = ["read_docx", "write_docx"]

_Element = Any  # lxml elements; python-docx's oxml classes subclass them

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
_STRICT_MARK = b"purl.oclc.org/ooxml"
_MAX_PICTURE_WIDTH = Inches(6)
_FALSE = {"0", "false", "off", "none"}
_CREDIT = re.compile(r"^(?P<caption>.*?\S)?\s*\((?P<credit>[^()]+)\)\s*$", re.DOTALL)
_BY = re.compile(r"^\s*by\s+", re.IGNORECASE)
_SPLIT_NAMES = re.compile(r"\s*(?:,\s*and\s+|,|\band\b|&)\s*")
# Parts of a run that are not text but still mean something.
_CONTAINERS = {
    qn("w:ins"),
    qn("w:smartTag"),
    qn("w:customXml"),
    qn("w:fldSimple"),
    qn("w:dir"),
    qn("w:bdo"),
    qn("w:sdtContent"),
    qn("w:sdt"),
}


# Reading --------------------------------------------------------------------------------


@dataclass
class _Picture:
    image: bytes
    mime: str
    alt: str


@dataclass
class _Seg:
    html: str
    bold: bool = False
    italic: bool = False
    href: str = ""


@dataclass
class _Notes:
    """Footnote and endnote bodies by (kind, id) and the order they are referenced in."""

    bodies: dict[tuple[str, str], tuple[_Element, Any]] = field(default_factory=dict)
    order: list[tuple[str, str]] = field(default_factory=list)

    def number(self, kind: str, note_id: str) -> int | None:
        key = (kind, note_id)
        if key not in self.bodies:
            return None
        if key not in self.order:
            self.order.append(key)
        return self.order.index(key) + 1


@dataclass
class _Styles:
    names: dict[str, str]
    based_on: dict[str, str]

    def chain(self, style_id: str | None) -> Iterator[str]:
        seen: set[str] = set()
        while style_id and style_id not in seen and len(seen) < 10:
            seen.add(style_id)
            yield self.names.get(style_id, style_id).lower()
            style_id = self.based_on.get(style_id)


class _Reader:
    def __init__(self, document: DocxDocument) -> None:
        self.doc = document
        self.part = document.part
        self.styles = _Styles({}, {})
        for style in document.styles:
            if style.style_id:
                self.styles.names[style.style_id] = style.name or style.style_id
                base = style.element.basedOn_val
                if base:
                    self.styles.based_on[style.style_id] = base
        self.numbering = self._numbering_formats()
        self.notes = _Notes()
        self._load_notes()
        self.pictures: list[_Picture] = []
        self.textboxes: list[_Element] = []

    # Parts ---------------------------------------------------------------------------------

    def _numbering_formats(self) -> dict[tuple[str, int], str]:
        """(numId, level) → numFmt ('bullet', 'decimal' …) from the numbering part."""
        try:
            numbering = self.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return {}
        abstract: dict[str, dict[int, str]] = {}
        for node in numbering.findall(qn("w:abstractNum")):
            levels: dict[int, str] = {}
            for lvl in node.findall(qn("w:lvl")):
                fmt = lvl.find(qn("w:numFmt"))
                ilvl = _int(lvl.get(qn("w:ilvl")))
                levels[ilvl] = fmt.get(qn("w:val"), "decimal") if fmt is not None else "decimal"
            abstract[node.get(qn("w:abstractNumId"), "")] = levels
        out: dict[tuple[str, int], str] = {}
        for num in numbering.findall(qn("w:num")):
            ref = num.find(qn("w:abstractNumId"))
            if ref is None:
                continue
            for ilvl, fmt in abstract.get(ref.get(qn("w:val"), ""), {}).items():
                out[(num.get(qn("w:numId"), ""), ilvl)] = fmt
        return out

    def _load_notes(self) -> None:
        # huge_tree: a note's text past libxml2's limit on a text node would fail the parse,
        # and the notes would be left out unsaid (no entity or DTD is read either way).
        parser = etree.XMLParser(
            resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True
        )
        for kind, reltype in (("footnote", RT.FOOTNOTES), ("endnote", RT.ENDNOTES)):
            for rel in self.part.rels.values():
                if rel.reltype != reltype or rel.is_external:
                    continue
                note_part = rel.target_part
                try:
                    root = etree.fromstring(note_part.blob, parser=parser)
                except etree.XMLSyntaxError:
                    continue
                for note in root.findall(qn(f"w:{kind}")):
                    if note.get(qn("w:type"), "normal") != "normal":
                        continue  # separators
                    self.notes.bodies[(kind, note.get(qn("w:id"), ""))] = (note, note_part)

    # Styles --------------------------------------------------------------------------------

    def style_names(self, p: _Element) -> list[str]:
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        style_id = style.get(qn("w:val")) if style is not None else None
        names = list(self.styles.chain(style_id))
        return names or ["normal"]

    def list_info(self, p: _Element, names: Sequence[str]) -> tuple[str, int] | None:
        for name in names:
            match = re.fullmatch(r"list (bullet|number)(?: (\d))?", name)
            if match:
                tag = "ul" if match.group(1) == "bullet" else "ol"
                return tag, max(0, int(match.group(2) or "1") - 1)
        num_pr = p.find(f"{qn('w:pPr')}/{qn('w:numPr')}")
        if num_pr is None:
            num_pr = self._style_num_pr(p)
        if num_pr is None:
            return None
        num_id_el = num_pr.find(qn("w:numId"))
        num_id = num_id_el.get(qn("w:val"), "0") if num_id_el is not None else "0"
        if num_id == "0":
            return None
        ilvl_el = num_pr.find(qn("w:ilvl"))
        level = _int(ilvl_el.get(qn("w:val")) if ilvl_el is not None else "0")
        fmt = self.numbering.get((num_id, level), "bullet")
        return ("ul" if fmt in {"bullet", "none"} else "ol"), min(level, 8)

    def _style_num_pr(self, p: _Element) -> _Element | None:
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        style_id = style.get(qn("w:val")) if style is not None else None
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            found = self.doc.styles.element.xpath(
                f'w:style[@w:styleId="{_xpath_literal_safe(style_id)}"]/w:pPr/w:numPr'
            )
            if found:
                return found[0]
            style_id = self.styles.based_on.get(style_id)
        return None

    # Inline content ---------------------------------------------------------------------------

    def inline(self, p: _Element, rels_part: Any = None) -> str:
        segs: list[_Seg] = []
        self._walk_inline(p, segs, "", rels_part or self.part)
        return _render_segs(segs)

    def _walk_inline(self, node: _Element, segs: list[_Seg], href: str, rels_part: Any) -> None:
        for child in node:
            tag = child.tag
            if tag == qn("w:r"):
                self._run(child, segs, href, rels_part)
            elif tag == qn("w:hyperlink"):
                self._walk_inline(child, segs, _link_target(child, rels_part) or href, rels_part)
            elif tag in _CONTAINERS:
                self._walk_inline(child, segs, href, rels_part)

    def _run(self, r: _Element, segs: list[_Seg], href: str, rels_part: Any) -> None:
        bold, italic = self._run_format(r)

        def text(value: str) -> None:
            segs.append(_Seg(escape(value, quote=False), bold, italic, href))

        for child in _run_children(r):
            tag = child.tag
            if tag == qn("w:t"):
                text(child.text or "")
            elif tag in (qn("w:tab"), qn("w:ptab")):
                text(" ")
            elif tag in (qn("w:br"), qn("w:cr")):
                if child.get(qn("w:type"), "textWrapping") == "textWrapping":
                    segs.append(_Seg("<br>", bold, italic, href))
                else:
                    text(" ")
            elif tag == qn("w:noBreakHyphen"):
                text("-")
            elif tag in (qn("w:footnoteReference"), qn("w:endnoteReference")):
                kind = "footnote" if tag == qn("w:footnoteReference") else "endnote"
                number = self.notes.number(kind, child.get(qn("w:id"), ""))
                if number is not None:
                    segs.append(_Seg(f"[{number}]", False, False, ""))
            elif tag in (qn("w:drawing"), qn("w:pict")):
                self._drawing(child, rels_part)

    def _run_format(self, r: _Element) -> tuple[bool, bool]:
        rpr = r.find(qn("w:rPr"))
        if rpr is None:
            return False, False
        bold = _on(rpr.find(qn("w:b")))
        italic = _on(rpr.find(qn("w:i")))
        style = rpr.find(qn("w:rStyle"))
        if style is not None:
            for name in self.styles.chain(style.get(qn("w:val"))):
                bold = bold or name in {"strong", "intense emphasis", "book title"}
                italic = italic or name in {"emphasis", "subtle emphasis", "intense emphasis"}
        return bold, italic

    def _drawing(self, node: _Element, rels_part: Any) -> None:
        if rels_part is not self.part:
            return  # pictures inside notes are not kept
        for box in node.iter(qn("w:txbxContent")):
            self.textboxes.append(box)
        alt = ""
        for doc_pr in node.iter("{*}docPr"):
            alt = (doc_pr.get("descr") or doc_pr.get("title") or "").strip()
            break
        for blip in node.iter("{*}blip", "{*}imagedata"):
            rid = blip.get(qn("r:embed")) or blip.get(qn("r:id"))
            if not rid or rid not in self.part.rels:
                continue
            rel = self.part.rels[rid]
            if rel.is_external:
                continue  # a linked picture: its file is not in the document
            target = rel.target_part
            mime = target.content_type
            if mime.startswith("image/"):
                self.pictures.append(_Picture(target.blob, mime, alt))


def _xpath_literal_safe(value: str) -> str:
    return re.sub(r"[^\w.-]", "", value)


def _run_children(r: _Element) -> Iterator[_Element]:
    for child in r:
        if child.tag == f"{{{_MC}}}AlternateContent":
            choice = child.find(f"{{{_MC}}}Choice")
            chosen = choice if choice is not None else child.find(f"{{{_MC}}}Fallback")
            if chosen is not None:
                yield from chosen
        else:
            yield child


def _link_target(link: _Element, rels_part: Any) -> str:
    rid = link.get(qn("r:id"))
    if not rid or rid not in rels_part.rels:
        return ""  # an internal link to a bookmark: text only
    target = str(rels_part.rels[rid].target_ref)
    anchor = link.get(qn("w:anchor"))
    if anchor and "#" not in target:
        target += "#" + anchor
    return target if re.match(r"(?i)(https?|mailto):", target) else ""


def _on(el: _Element | None) -> bool:
    return el is not None and el.get(qn("w:val"), "true").lower() not in _FALSE


def _int(value: str | None) -> int:
    try:
        return int(value or "0")
    except ValueError:
        return 0


def _render_segs(segs: list[_Seg]) -> str:
    out: list[str] = []
    i = 0
    while i < len(segs):
        href = segs[i].href
        j = i
        while j < len(segs) and segs[j].href == href:
            j += 1
        inner: list[str] = []
        k = i
        while k < j:
            fmt = (segs[k].bold, segs[k].italic)
            m = k
            while m < j and (segs[m].bold, segs[m].italic) == fmt:
                m += 1
            text = "".join(s.html for s in segs[k:m])
            if fmt[1] and text.strip():
                text = f"<em>{text}</em>"
            if fmt[0] and text.strip():
                text = f"<strong>{text}</strong>"
            inner.append(text)
            k = m
        joined = "".join(inner)
        if href and joined.strip():
            out.append(f'<a href="{escape(href, quote=True)}">{joined}</a>')
        else:
            out.append(joined)
        i = j
    html = "".join(out)
    # Word keeps spacing runs; the body keeps single spaces and no breaks at the edges.
    html = re.sub(r"[ \t\u00a0]{2,}", " ", html)
    html = re.sub(r"^(?:\s|<br>)+|(?:\s|<br>)+$", "", html)
    return html


def _text_of(html: str) -> str:
    return (
        " ".join(re.sub(r"<[^>]+>", " ", html).split())
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
    )


def _render_list(items: Sequence[tuple[str, int, str]]) -> str:
    out: list[str] = []
    stack: list[str] = []
    for tag, wanted, content in items:
        level = min(wanted, len(stack))
        while len(stack) > level + 1:
            out.append(f"</li></{stack.pop()}>")
        if len(stack) == level + 1:
            if stack[-1] != tag:
                out.append(f"</li></{stack.pop()}><{tag}>")
                stack.append(tag)
            else:
                out.append("</li>")
        else:
            out.append(f"<{tag}>")
            stack.append(tag)
        out.append(f"<li>{content}")
    while stack:
        out.append(f"</li></{stack.pop()}>")
    return "".join(out)


def _split_caption(text: str) -> tuple[str, str]:
    match = _CREDIT.match(text)
    if match and match.group("caption"):
        return match.group("caption").strip(), match.group("credit").strip()
    return text.strip(), ""


def _block_elements(body: _Element) -> Iterator[_Element]:
    for child in body:
        if child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                yield from _block_elements(content)
        elif child.tag in (qn("w:p"), qn("w:tbl")):
            yield child


@dataclass
class _Built:
    blocks: list[str] = field(default_factory=list)
    figures: list[FigureData] = field(default_factory=list)
    title: str = ""
    dek: str = ""
    authors: list[str] = field(default_factory=list)


def _build(reader: _Reader) -> _Built:
    built = _Built()
    body = reader.doc.element.body
    paragraphs = [el for el in _block_elements(body) if el.tag == qn("w:p")]
    has_title = any("title" in reader.style_names(p)[:1] for p in paragraphs)
    list_items: list[tuple[str, int, str]] = []
    quote: list[str] = []
    waiting: list[FigureData] = []  # pictures whose caption may follow
    last_was_table = False

    def flush() -> None:
        if list_items:
            built.blocks.append(_render_list(list_items))
            list_items.clear()
        if quote:
            built.blocks.append("<blockquote>" + "".join(quote) + "</blockquote>")
            quote.clear()

    def settle_figures() -> None:
        built.figures.extend(waiting)
        waiting.clear()

    def paragraph(p: _Element) -> None:
        nonlocal last_was_table
        names = reader.style_names(p)
        reader.pictures.clear()
        reader.textboxes.clear()
        html = reader.inline(p)
        pictures = list(reader.pictures)
        boxes = list(reader.textboxes)
        kind = names[0]
        is_caption = any(n == "caption" for n in names)
        if is_caption and html:
            caption, credit = _split_caption(_text_of(html))
            if waiting:
                last = waiting.pop()
                waiting.append(
                    FigureData(
                        caption=caption,
                        credit=credit,
                        alt=last.alt,
                        anchor=last.anchor,
                        image=last.image,
                        image_mime=last.image_mime,
                    )
                )
                settle_figures()
                return
            if not last_was_table:
                flush()
                built.figures.append(
                    FigureData(caption=caption, credit=credit, anchor=len(built.blocks))
                )
                return
        settle_figures()
        last_was_table = False
        if html:
            if kind == "title" and not built.title:
                built.title = _text_of(html)
            elif kind == "subtitle" and not built.dek:
                built.dek = _text_of(html)
            elif kind == "byline" and not built.authors:
                names_text = _BY.sub("", _text_of(html))
                built.authors = [n for n in _SPLIT_NAMES.split(names_text) if n]
            elif not has_title and not built.title and "heading 1" in names:
                built.title = _text_of(html)
            elif any(n in {"quote", "intense quote"} for n in names):
                if list_items:
                    flush()
                quote.append(f"<p>{html}</p>")
            elif (info := reader.list_info(p, names)) is not None:
                if quote or (list_items and info[1] == 0 and list_items[0][0] != info[0]):
                    flush()
                list_items.append((info[0], info[1], html))
            else:
                flush()
                heading = next((n for n in names if re.fullmatch(r"heading [1-9]|title", n)), None)
                if heading in {"heading 1", "heading 2", "title"}:
                    built.blocks.append(f"<h2>{html}</h2>")
                elif heading:
                    built.blocks.append(f"<h3>{html}</h3>")
                else:
                    built.blocks.append(f"<p>{html}</p>")
        if pictures:
            flush()
            for pic in pictures:
                waiting.append(
                    FigureData(
                        caption="",
                        alt=pic.alt,
                        anchor=len(built.blocks),
                        image=pic.image,
                        image_mime=pic.mime,
                    )
                )
        for box in boxes:
            for inner in box.iter(qn("w:p")):
                paragraph(inner)

    for element in _block_elements(body):
        if element.tag == qn("w:p"):
            paragraph(element)
        else:
            settle_figures()
            flush()
            for row in element.findall(qn("w:tr")):
                cells = [
                    " ".join(filter(None, (reader.inline(p) for p in cell.iter(qn("w:p")))))
                    for cell in row.findall(qn("w:tc"))
                ]
                if any(cells):
                    built.blocks.append("<p>" + " | ".join(cells) + "</p>")
            last_was_table = True
    settle_figures()
    flush()
    if reader.notes.order:
        items = []
        for kind, note_id in reader.notes.order:
            note, part = reader.notes.bodies[(kind, note_id)]
            text = " ".join(filter(None, (reader.inline(p, part) for p in note.iter(qn("w:p")))))
            items.append(f"<li>{text}</li>")
        built.blocks.append("<h3>Notes</h3>")
        built.blocks.append("<ol>" + "".join(items) + "</ol>")
    return built


def _open(source: Path | str | bytes, source_name: str | None) -> tuple[bytes, str]:
    if isinstance(source, Path | str):
        path = Path(source)
        name = source_name or path.name
        try:
            return path.read_bytes(), name
        except FileNotFoundError:
            raise ImportFailed(f"{path}: no such file") from None
        except IsADirectoryError:
            raise ImportFailed(f"{path}: is a folder, not a file") from None
        except OSError as exc:
            raise ImportFailed(f"{path}: cannot read: {exc.strerror}") from None
    return bytes(source), source_name or "the document"


def _one_line(exc: BaseException) -> str:
    """An error's message on one line (lxml's may hold several)."""
    return " ".join(str(exc).split())


def read_docx(source: Path | str | bytes, *, source_name: str | None = None) -> ArticleData:
    """Read a .docx file (a path or its bytes) into an article; refuses unsafe containers."""
    data, name = _open(source, source_name)
    check_zip(data, source_name=name, kind="Word document")
    try:
        document = docx.Document(io.BytesIO(data))
    except KeyError:
        if _STRICT_MARK in data or _is_strict(data):
            raise ImportFailed(
                f"{name}: uses Strict Open XML, which Copydesk cannot read;"
                " save it from Word as a regular .docx"
            ) from None
        raise ImportFailed(f"{name} is not a Word document (no main document part)") from None
    except ValueError as exc:
        raise ImportFailed(f"{name} is not a Word document ({_one_line(exc)})") from None
    except (etree.XMLSyntaxError, OSError) as exc:
        if "XML_PARSE_HUGE" in str(exc):  # python-docx's parser keeps libxml2's limits
            raise ImportFailed(
                f"{name}: a run of text longer than {TEXT_LIMIT:,} characters cannot be read "
                "whole; break it into paragraphs and import the document again"
            ) from None
        raise ImportFailed(f"{name}: the Word document is damaged ({_one_line(exc)})") from None
    if document.element.tag != qn("w:document"):
        # A damaged main part parses as some other element, without a body to read.
        raise ImportFailed(f"{name}: the Word document is damaged (its main part is no document)")
    try:
        built = _build(_Reader(document))
    except (etree.XMLSyntaxError, KeyError, ValueError) as exc:
        raise ImportFailed(f"{name}: the Word document is damaged ({_one_line(exc)})") from None
    core = document.core_properties
    title = built.title or (core.title or "").strip() or Path(name).stem or "Untitled"
    tags = tuple(t.strip() for t in re.split(r"[;,]", core.keywords or "") if t.strip())
    body_html = sanitize_body_html("\n".join(built.blocks))
    return ArticleData(
        title=" ".join(title.split()),
        body_html=body_html,
        dek=built.dek,
        status="draft",
        section=(core.category or "").strip(),
        tags=tags,
        authors=tuple(AuthorData(name=n) for n in built.authors),
        figures=tuple(built.figures),
        source_key="docx:" + Path(name).stem,
    )


def _is_strict(data: bytes) -> bool:
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            rels = archive.read("_rels/.rels") if "_rels/.rels" in archive.namelist() else b""
    except (zipfile.BadZipFile, KeyError, OSError):
        return False
    return _STRICT_MARK in rels


# Writing --------------------------------------------------------------------------------


def _add_style(document: DocxDocument, name: str, base: str, *, italic: bool = False) -> None:
    if name in {s.name for s in document.styles}:
        return
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles[base]
    style.font.italic = italic


def _run_element(text: str, *, bold: bool, italic: bool, link: bool) -> _Element:
    run = OxmlElement("w:r")
    if bold or italic or link:
        rpr = OxmlElement("w:rPr")
        if bold:
            rpr.append(OxmlElement("w:b"))
        if italic:
            rpr.append(OxmlElement("w:i"))
        if link:
            color = OxmlElement("w:color")
            color.set(qn("w:val"), str(RGBColor(0x05, 0x63, 0xC1)))
            underline = OxmlElement("w:u")
            underline.set(qn("w:val"), "single")
            rpr.append(color)
            rpr.append(underline)
        run.append(rpr)
    t = OxmlElement("w:t")
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    t.text = text
    run.append(t)
    return run


class _Writer:
    def __init__(self, document: DocxDocument) -> None:
        self.doc = document

    def inline(self, paragraph: Paragraph, node: _Element) -> None:
        self._inline(paragraph, paragraph._p, node, bold=False, italic=False, link=False)

    def _text(self, target: _Element, text: str | None, *, b: bool, i: bool, link: bool) -> None:
        if text:
            text = re.sub(r"\s+", " ", text)
            target.append(_run_element(text, bold=b, italic=i, link=link))

    def _inline(
        self,
        paragraph: Paragraph,
        target: _Element,
        node: _Element,
        *,
        bold: bool,
        italic: bool,
        link: bool,
    ) -> None:
        self._text(target, node.text, b=bold, i=italic, link=link)
        for child in node:
            tag = child.tag if isinstance(child.tag, str) else ""
            if tag == "br":
                run = OxmlElement("w:r")
                run.append(OxmlElement("w:br"))
                target.append(run)
            elif tag in {"ul", "ol", "figure", "img"}:
                pass  # nested lists are written by the list writer; pictures by figures
            elif tag == "a" and child.get("href") and not link:
                href = child.get("href", "")
                r_id = paragraph.part.relate_to(href, RT.HYPERLINK, is_external=True)
                hyperlink = OxmlElement("w:hyperlink")
                hyperlink.set(qn("r:id"), r_id)
                if child.get("title"):
                    hyperlink.set(qn("w:tooltip"), child.get("title", ""))
                target.append(hyperlink)
                self._inline(paragraph, hyperlink, child, bold=bold, italic=italic, link=True)
            else:
                self._inline(
                    paragraph,
                    target,
                    child,
                    bold=bold or tag in {"strong", "b"},
                    italic=italic or tag in {"em", "i"},
                    link=link,
                )
            self._text(target, child.tail, b=bold, i=italic, link=link)

    def block(self, node: _Element) -> None:
        tag = node.tag if isinstance(node.tag, str) else ""
        if tag in {"h2", "h3"}:
            self.inline(
                self.doc.add_paragraph(style="Heading 2" if tag == "h2" else "Heading 3"), node
            )
        elif tag == "blockquote":
            self._quote(node)
        elif tag in {"ul", "ol"}:
            self._list(node, 0)
        elif tag == "figure":
            img = node.find(".//img")
            caption = node.find(".//figcaption")
            text = caption.text_content().strip() if caption is not None else ""
            if not text and img is not None:
                text = img.get("alt", "")
            if text:
                self.doc.add_paragraph(" ".join(text.split()), style="Caption")
        elif tag == "img":
            if node.get("alt"):
                self.doc.add_paragraph(node.get("alt", ""), style="Caption")
        else:
            self.inline(self.doc.add_paragraph(), node)

    def _quote(self, node: _Element) -> None:
        loose = (node.text or "").strip()
        if loose:
            self.doc.add_paragraph(loose, style="Quote")
        for child in node:
            if child.tag in {"ul", "ol"}:
                self._list(child, 0)
            elif child.tag == "blockquote":
                self._quote(child)
            else:
                self.inline(self.doc.add_paragraph(style="Quote"), child)
            if (child.tail or "").strip():
                self.doc.add_paragraph(child.tail.strip(), style="Quote")

    def _list(self, node: _Element, level: int) -> None:
        base = "List Bullet" if node.tag == "ul" else "List Number"
        style = base if level == 0 else f"{base} {min(level + 1, 3)}"
        for li in node:
            if li.tag != "li":
                continue
            paragraph = self.doc.add_paragraph(style=style)
            self.inline(paragraph, li)
            for sub in li:
                if sub.tag in {"ul", "ol"}:
                    self._list(sub, level + 1)

    def figure(self, figure: FigureData) -> None:
        if figure.image:
            try:
                shape = self.doc.add_picture(io.BytesIO(figure.image))
            except Exception:  # python-docx raises assorted errors on images it cannot parse
                shape = None
            if shape is not None:
                if shape.width and shape.width > _MAX_PICTURE_WIDTH:
                    ratio = _MAX_PICTURE_WIDTH / shape.width
                    shape.height = Length(int(shape.height * ratio))
                    shape.width = Length(_MAX_PICTURE_WIDTH)
                if figure.alt:
                    shape._inline.docPr.set("descr", figure.alt)
        text = figure.caption.strip()
        if figure.credit.strip():
            text = f"{text} ({figure.credit.strip()})".strip()
        if text:
            self.doc.add_paragraph(text, style="Caption")


def _byline(authors: Sequence[AuthorData]) -> str:
    names = [a.byline_name or a.name for a in authors if (a.byline_name or a.name).strip()]
    if not names:
        return ""
    if len(names) == 1:
        return "By " + names[0]
    return "By " + ", ".join(names[:-1]) + " and " + names[-1]


def write_docx(article: ArticleData) -> bytes:
    """A Word manuscript of the article: no comments, no commenter data."""
    document = docx.Document()
    core = document.core_properties
    core.title = article.title
    core.author = "; ".join(a.byline_name or a.name for a in article.authors)
    core.last_modified_by = "Copydesk"
    core.keywords = "; ".join(article.tags)
    core.category = article.section
    core.subject = article.dek
    core.comments = ""
    _add_style(document, "Byline", "Normal", italic=True)
    document.add_paragraph(article.title, style="Title")
    if article.dek:
        document.add_paragraph(article.dek, style="Subtitle")
    byline = _byline(article.authors)
    if byline:
        document.add_paragraph(byline, style="Byline")
    writer = _Writer(document)
    root = fragment(sanitize_body_html(article.body_html) or "")
    blocks: list[_Element] = []
    for text, child in [(root.text, None), *((c.tail, c) for c in root)]:
        if child is not None and isinstance(child.tag, str):
            blocks.append(child)
        if text and text.strip():
            loose = lxml.html.Element("p")
            loose.text = text.strip()
            blocks.append(loose)
    by_anchor: dict[int, list[FigureData]] = {}
    for fig in article.figures:
        by_anchor.setdefault(min(fig.anchor, len(blocks)), []).append(fig)
    for index in range(len(blocks) + 1):
        for fig in by_anchor.get(index, []):
            writer.figure(fig)
        if index < len(blocks):
            writer.block(blocks[index])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
