"""Reader for page dumps: the plain text a browser or scraper keeps of one published article.

A dump has no markup, so its parts are recognised from layout alone. The rules below are
guesses about how such pages are laid out; they are written down so that a surprising import
can be explained from here.

* Title: the first non-empty line. Paragraphs are runs of non-blank lines; a line directly
  after another is a line break inside the paragraph. Trailing spaces and no-break spaces are
  layout noise and are dropped everywhere.
* Photo caption: a one-line body paragraph under 300 characters that ends in a single
  parenthesised credit, e.g. ``Harbour at dawn (Photo: Agency/Name)``. The text before the
  parentheses must not end in sentence punctuation (``…said.” (AP)`` is reporting, and a
  paragraph ending in ``).`` never matches), and the credit must start with a capital, a
  digit or a credit word, so ``(in Spanish)`` stays prose. A leading ``Photo:``, ``Photo by``,
  ``Photograph:``, ``Image:`` or ``Credit:`` is dropped from the credit; ``AP Photo/…`` is kept.
* Author block: two consecutive unindented one-line paragraphs that are the same name (2-6
  capitalised words, no final punctuation). The following unindented paragraphs are the bio,
  until the comment thread, a comment heading or the comment form.
* Comment thread: a top-level comment starts with exactly two spaces, a number and a period.
  A reply starts with a bullet (``•``, ``◦``, ``▪``, an en dash, a hyphen …) indented four or
  more spaces; its parent is the nearest open comment whose marker is indented less. Other
  indented lines continue the latest comment, so a numbered list at six spaces stays in the
  reply it belongs to. A bullet directly under a line of a comment (no blank between) and
  indented deeper than that comment's marker is a list item in its body, not a reply. Without
  an author block the thread is the trailing run of indented paragraphs that starts at a
  top-level marker, so a numbered list in the body stays body.
* Comment form (``Leave a Reply`` …) and headings such as ``7 thoughts on “…”`` are dropped;
  after the form starts, only indented (thread) paragraphs are read.
* A comment whose first line is ``Name says:`` or ``Name on July 5, 2022 at 3:12 pm`` gets
  that name (and date) as its author instead of as body text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import Enum
from pathlib import Path

from editor_app.domain.errors import ImportFailed
from editor_app.domain.text import slugify
from editor_app.formats.bundle import ArticleData, AuthorData, CommentData, FigureData
from editor_app.formats.htmlbody import paragraphs_to_html

__all__ = ["looks_like_page", "parse_page", "read_page_file"]

_MAX_TITLE = 300
_MAX_CAPTION = 300
_MAX_CREDIT = 150
_MAX_NAME = 80
# Share of control characters above which a text is garbage rather than a page.
_MAX_CONTROL_SHARE = 0.1

_TRAILING_SPACE = " \t\u00a0\u202f\u2007\ufeff"
_LEADING_SPACE = " \u00a0\u202f\u2007"

_TOP_MARKER = re.compile(r"(\d{1,4})\.\s+(?P<text>\S.*)")
_BULLET = re.compile("[•◦▪‣·∙\u2013-]" + r"\s+(?P<text>\S.*)")
_CAPTION = re.compile(r"(?P<caption>.*\S)\s*\((?P<credit>[^()]+)\)")
_CREDIT_PREFIX = re.compile(r"(?:photo(?:graph)?\s*(?::|by\b)|image\s*:|credit\s*:)\s*", re.I)
_CREDIT_WORD = re.compile(r"(?:photo|photograph|image|credit|courtesy|via)\b", re.I)
_SENTENCE_END = frozenset(".!?…;:")
_CLOSING_QUOTES = frozenset("”\"'\u2019»")
_NAME_PARTICLES = frozenset(
    {"al", "bin", "da", "de", "del", "della", "der", "di", "du", "la", "le", "ten", "ter"}
    | {"van", "von", "y", "zu"}
)
_HEADING = re.compile(
    r"(?:\d+|one|no)\s+(?:thoughts?\s+on\b.*|comments?|responses?(?:\s+to\b.*)?"
    r"|repl(?:y|ies)(?:\s+to\b.*)?|reactions?)[:.]?",
    re.I,
)
_FORM_START = (
    "leave a reply",
    "leave a comment",
    "your email address will not be published",
    "you must be logged in to post a comment",
    "comments are closed",
)
_SAYS = re.compile(r"(?P<name>.{1,80}?)\s+says:?")
_DATE = r"(?P<date>[A-Z][a-z]+\.? \d{1,2}, \d{4})"
_TIME = r"(?:,?\s+at\s+(?P<time>\d{1,2}:\d{2}\s*[AaPp]\.?[Mm]\.?))?"
_NAME_ON_DATE = re.compile(r"(?P<name>.{1,80}?)\s+on\s+" + _DATE + _TIME)
_DATE_LINE = re.compile(_DATE + _TIME)


@dataclass(frozen=True)
class _Line:
    indent: int
    text: str


# A paragraph of the dump: consecutive non-blank lines.
_Block = tuple[_Line, ...]


class _Kind(Enum):
    TOP = "top"
    BULLET = "bullet"
    TEXT = "text"


@dataclass
class _Draft:
    """A comment being collected; paragraphs are lists of lines."""

    key: str
    parent_key: str | None
    marker_indent: int
    paragraphs: list[list[str]] = field(default_factory=list)


# ----------------------------------------------------------------------------- public


def looks_like_page(text: str) -> bool:
    """Cheap sniff for auto-detection: a short first line, a blank line, then more text."""
    if "\x00" in text:
        return False
    stripped = text.lstrip("\ufeff").lstrip()
    if not stripped or stripped.startswith(("<", "{", "---")):
        return False
    lines = [line.rstrip(_TRAILING_SPACE) for line in stripped.splitlines()]
    if len(lines) < 3 or len(lines[0]) > _MAX_TITLE or lines[1].strip(_LEADING_SPACE):
        return False
    return any(line.strip() for line in lines[2:])


def read_page_file(path: Path) -> ArticleData:
    """Read a dump from disk, refusing what cannot be a text page before parsing it."""
    name = path.name or str(path)
    if path.is_dir():
        raise ImportFailed(f"{name}: is a folder, not a page file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(f"{name}: cannot read the file ({exc.strerror or exc})") from exc
    if b"\x00" in data:
        raise ImportFailed(f"{name}: binary data, not a page dump")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(f"{name}: not UTF-8 text (bad byte at offset {exc.start})") from exc
    return parse_page(text, source_name=name)


def parse_page(text: str, *, source_name: str = "") -> ArticleData:
    """Turn one page dump into an article with its figures, author and comment thread."""
    where = f"{_one_line(source_name)}: " if source_name else ""
    blocks = _blocks(_clean(text, where))
    if not blocks:
        raise ImportFailed(f"{where}the page is empty")

    first = blocks[0]
    title = first[0].text
    if len(title) > _MAX_TITLE:
        raise ImportFailed(f"{where}not an article page: the first line is too long for a title")
    if _classify(first[0])[0] is not _Kind.TEXT:
        raise ImportFailed(f"{where}not an article page: it starts with a comment thread")
    rest = ([first[1:]] if len(first) > 1 else []) + blocks[1:]

    main, late = _split_form(rest)
    body_blocks, author_blocks, thread_blocks = _split_sections(main)
    paragraphs, figures = _body(body_blocks)
    if not paragraphs:
        raise ImportFailed(f"{where}not an article page: no body paragraph after the title")

    return ArticleData(
        title=title,
        body_html=paragraphs_to_html(paragraphs),
        status="published",
        authors=_authors(author_blocks),
        figures=tuple(figures),
        comments=_comments([*thread_blocks, *late]),
        source_key="page:" + slugify(title),
    )


# ----------------------------------------------------------------------------- lines


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _clean(text: str, where: str) -> str:
    """Normalise line ends and refuse text that is binary or garbage."""
    if not text.strip():
        raise ImportFailed(f"{where}the page is empty")
    if "\x00" in text:
        raise ImportFailed(f"{where}binary data, not a page dump")
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    controls = sum(1 for c in text if c not in "\n\t" and unicodedata.category(c) == "Cc")
    if controls > _MAX_CONTROL_SHARE * len(text):
        raise ImportFailed(f"{where}mostly control characters, not a page dump")
    if controls:
        text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    return text.expandtabs(4)


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    current: list[_Line] = []
    for raw in text.split("\n"):
        line = raw.rstrip(_TRAILING_SPACE)
        body = line.lstrip(_LEADING_SPACE)
        if not body:
            if current:
                blocks.append(tuple(current))
                current = []
            continue
        current.append(_Line(indent=len(line) - len(body), text=body))
    if current:
        blocks.append(tuple(current))
    return blocks


def _classify(line: _Line) -> tuple[_Kind, str]:
    """What a line starts: a top-level comment, a reply, or text; and its text after the marker."""
    if line.indent == 2 and (match := _TOP_MARKER.fullmatch(line.text)):
        return _Kind.TOP, match["text"]
    if line.indent >= 4 and (match := _BULLET.fullmatch(line.text)):
        return _Kind.BULLET, match["text"]
    return _Kind.TEXT, line.text


def _single(block: _Block) -> str | None:
    """The text of an unindented one-line paragraph: the only shape headings and names take."""
    if len(block) == 1 and block[0].indent == 0:
        return block[0].text
    return None


def _is_form(block: _Block) -> bool:
    text = _single(block)
    if text is None:
        return False
    folded = text.casefold().rstrip(" .")
    return any(folded.startswith(start) for start in _FORM_START)


def _is_heading(block: _Block) -> bool:
    text = _single(block)
    return text is not None and len(text) <= 200 and _HEADING.fullmatch(text) is not None


def _is_top(block: _Block) -> bool:
    return _classify(block[0])[0] is _Kind.TOP


# ----------------------------------------------------------------------------- sections


def _split_form(blocks: Sequence[_Block]) -> tuple[list[_Block], list[_Block]]:
    """Cut at the comment form; after it only indented paragraphs can be thread content."""
    for index, block in enumerate(blocks):
        if _is_form(block):
            late = [b for b in blocks[index + 1 :] if b[0].indent > 0]
            return list(blocks[:index]), late
    return list(blocks), []


def _split_sections(
    blocks: Sequence[_Block],
) -> tuple[list[_Block], list[_Block], list[_Block]]:
    """Body, author block (names and bios), and thread paragraphs."""
    pair = next(
        (
            i
            for i in range(len(blocks) - 1)
            if (name := _single(blocks[i])) is not None
            and _is_name(name)
            and _single(blocks[i + 1]) == name
        ),
        None,
    )
    if pair is not None:
        start = next((i for i in range(pair + 2, len(blocks)) if _is_top(blocks[i])), len(blocks))
        author = [b for b in blocks[pair:start] if not _is_heading(b)]
        return list(blocks[:pair]), author, list(blocks[start:])

    # No author: the thread is the trailing run of indented paragraphs from a top marker on.
    start = len(blocks)
    for i in range(len(blocks) - 1, -1, -1):
        block = blocks[i]
        if block[0].indent == 0 and not _is_heading(block):
            break
        if _is_top(block):
            start = i
    body = list(blocks[:start])
    while body and _is_heading(body[-1]):
        body.pop()
    return body, [], list(blocks[start:])


def _is_name(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 6 or len(text) > _MAX_NAME:
        return False
    if text[-1] in _SENTENCE_END or text[-1] in _CLOSING_QUOTES or text[-1] == ",":
        return False
    return words[0][0].isupper() and all(
        word[0].isalpha() and (word[0].isupper() or word.casefold() in _NAME_PARTICLES)
        for word in words
    )


def _text(block: _Block) -> str:
    return "\n".join(line.text for line in block)


# ----------------------------------------------------------------------------- body


def _body(blocks: Sequence[_Block]) -> tuple[list[str], list[FigureData]]:
    paragraphs: list[str] = []
    figures: list[FigureData] = []
    for block in blocks:
        caption = _caption(block)
        if caption is not None:
            text, credit = caption
            figures.append(FigureData(caption=text, credit=credit, anchor=len(paragraphs)))
        else:
            paragraphs.append(_text(block))
    return paragraphs, figures


def _caption(block: _Block) -> tuple[str, str] | None:
    if len(block) != 1 or len(block[0].text) >= _MAX_CAPTION:
        return None
    match = _CAPTION.fullmatch(block[0].text)
    if match is None:
        return None
    caption, credit = match["caption"].strip(), match["credit"].strip()
    if not credit or len(credit) > _MAX_CREDIT or _ends_sentence(caption):
        return None
    if not (credit[0].isupper() or credit[0].isdigit() or _CREDIT_WORD.match(credit)):
        return None
    prefix = _CREDIT_PREFIX.match(credit)
    stripped = credit[prefix.end() :].strip() if prefix else credit
    return caption, stripped or credit


def _ends_sentence(text: str) -> bool:
    last = text[-1]
    if last in _SENTENCE_END:
        return True
    return last in _CLOSING_QUOTES and len(text) > 1 and text[-2] in _SENTENCE_END | {","}


# ----------------------------------------------------------------------------- authors


def _authors(blocks: Sequence[_Block]) -> tuple[AuthorData, ...]:
    """Each repeated name opens an author; the paragraphs up to the next name are the bio."""
    authors: list[tuple[str, list[str]]] = []
    i = 0
    while i < len(blocks):
        name = _single(blocks[i])
        if (
            name is not None
            and i + 1 < len(blocks)
            and _is_name(name)
            and _single(blocks[i + 1]) == name
        ):
            authors.append((name, []))
            i += 2
            continue
        if authors:
            authors[-1][1].append(_text(blocks[i]))
        i += 1
    return tuple(
        AuthorData(name=name, bio="\n\n".join(bio), role=role_from_bio(name, "\n\n".join(bio)))
        for name, bio in authors
    )


_ROLE = re.compile(
    r"^(?:she|he|they|[^.]{0,80}?)\s+(?:is|serves as|works as)\s+(?:an?|the)\s+"
    r"(?P<role>(?:[\w-]+\s){0,4}?(?:editor|reporter|correspondent|writer|columnist|journalist|"
    r"photographer|producer|critic|contributor|analyst|fellow|intern|director|researcher|"
    r"editor-in-chief|chief)(?:[\w-]*))\b",
    re.I,
)


def role_from_bio(name: str, bio: str) -> str:
    """The title a bio's first sentence gives its author ("X is the assistant editor of …").

    Bylines show it beside the name; an editor can correct it in the profile.
    """
    first = bio.split("\n", 1)[0]
    sentence = first.split(". ", 1)[0]
    if name and not sentence.startswith(name.split()[0]):
        return ""
    found = _ROLE.match(sentence)
    return found.group("role").strip().lower() if found else ""


# ----------------------------------------------------------------------------- comments


def _comments(blocks: Sequence[_Block]) -> tuple[CommentData, ...]:
    """The thread state machine: markers open comments, other lines extend the latest one."""
    drafts: list[_Draft] = []
    # Open comments by marker indentation, outermost first: where a new reply hangs.
    stack: list[_Draft] = []
    top_count = 0
    children: dict[str, int] = {}

    for block in blocks:
        if _is_form(block) or _is_heading(block):
            continue
        for position, line in enumerate(block):
            after_blank = position == 0
            kind, text = _classify(line)
            current = drafts[-1] if drafts else None
            if (
                kind is _Kind.BULLET
                and not after_blank
                and current is not None
                and line.indent > current.marker_indent
            ):
                kind, text = _Kind.TEXT, line.text
            if kind is _Kind.TEXT:
                if current is None:
                    continue  # stray text before the first comment
                if after_blank or not current.paragraphs:
                    current.paragraphs.append([text])
                else:
                    current.paragraphs[-1].append(text)
                continue
            while stack and stack[-1].marker_indent >= line.indent:
                stack.pop()
            if kind is _Kind.TOP or not stack:
                stack.clear()
                top_count += 1
                draft = _Draft(key=str(top_count), parent_key=None, marker_indent=line.indent)
            else:
                parent = stack[-1].key
                children[parent] = children.get(parent, 0) + 1
                draft = _Draft(
                    key=f"{parent}.{children[parent]}",
                    parent_key=parent,
                    marker_indent=line.indent,
                )
            draft.paragraphs.append([text])
            drafts.append(draft)
            stack.append(draft)

    return tuple(_finish(draft) for draft in drafts)


def _finish(draft: _Draft) -> CommentData:
    paragraphs = [list(p) for p in draft.paragraphs]
    name, posted_at = _byline(paragraphs)
    body = "\n\n".join("\n".join(lines) for lines in paragraphs if lines)
    return CommentData(
        key=draft.key,
        body=body,
        body_is_text=True,
        parent_key=draft.parent_key,
        author_name=name,
        posted_at=posted_at,
    )


def _byline(paragraphs: list[list[str]]) -> tuple[str, datetime | None]:
    """Take a ``Name says:`` / ``Name on <date> at <time>`` first line off the body."""
    if not paragraphs or not paragraphs[0] or len(paragraphs) + len(paragraphs[0]) < 3:
        return "", None  # a lone line is the comment itself, whatever it looks like
    first = paragraphs[0]
    name = ""
    posted_at: datetime | None = None
    if (match := _SAYS.fullmatch(first[0])) and _looks_like_commenter(match["name"]):
        name = match["name"]
        first.pop(0)
        if first and (date := _DATE_LINE.fullmatch(first[0])):
            posted_at = _parse_date(date["date"], date["time"])
            if posted_at is not None:
                first.pop(0)
    elif (match := _NAME_ON_DATE.fullmatch(first[0])) and _looks_like_commenter(match["name"]):
        posted_at = _parse_date(match["date"], match["time"])
        if posted_at is None:
            return "", None
        name = match["name"]
        first.pop(0)
    if not first:
        paragraphs.pop(0)
    return name, posted_at


def _looks_like_commenter(name: str) -> bool:
    return 1 <= len(name.split()) <= 6 and name[0].isupper() and name[-1] not in _SENTENCE_END


def _parse_date(date: str, time: str | None) -> datetime | None:
    date = date.replace(".", "")
    stamp = date
    formats = ["%B %d, %Y", "%b %d, %Y"]
    if time:
        stamp = f"{date} {time.replace('.', '').replace(' ', '').upper()}"
        formats = [f"{fmt} %I:%M%p" for fmt in formats]
    for fmt in formats:
        try:
            return datetime.strptime(stamp, fmt)
        except ValueError:
            continue
    return None
