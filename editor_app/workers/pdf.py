"""PDF proofs through Qt's own PDF writer: A4 or Letter, a running header, page numbers.

A proof says what it is a proof of: the first page opens with the status, the revision and
when the text was last saved (and when the proof was made); each later page carries the
title as a running header, and every page the status and revision beside its number. The
PDF's Title and Author metadata are the headline and the byline.
"""

from __future__ import annotations

import html
import os
import tempfile
from base64 import b64encode
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, QSizeF
from PySide6.QtGui import (
    QFont,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
    QTextDocument,
)

from editor_app.formats.bundle import ArticleData, AuthorData
from editor_app.formats.htmlbody import inline_to_text, sanitize_body_html
from editor_app.services.files import follow_umask

PAGE_SIZES = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}


def _ensure_gui() -> None:
    """Fonts and painting need a GUI application; the command line has none of its own.

    A full QApplication, not a QGuiApplication: a process that later shows widgets (a test
    run, the window after a headless export) could not create one beside it.
    """
    if QGuiApplication.instance() is None:
        from PySide6.QtWidgets import QApplication

        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        _APP.append(QApplication([]))


_APP: list[QGuiApplication] = []  # kept alive for the process, as Qt requires


def byline_names(a: ArticleData) -> list[str]:
    return [x.byline_name or x.name for x in a.authors]


def proof_line(a: ArticleData, *, now: datetime | None = None) -> str:
    """Proof · Status: Ready · Revision 7 · Saved 30 Nov 2026 14:05 · Printed …"""
    parts = ["Proof", f"Status: {a.status.capitalize()}"]
    if a.revision:
        parts.append(f"Revision {a.revision}")
    if a.updated_at is not None:
        parts.append(f"Saved {_when(a.updated_at)}")
    parts.append(f"Printed {_when(now or datetime.now(UTC))}")
    return " · ".join(parts)


def footer_line(a: ArticleData, page: int, pages: int) -> str:
    revision = f" · revision {a.revision}" if a.revision else ""
    return f"{a.status.capitalize()}{revision} · page {page} of {pages}"


def _when(value: datetime) -> str:
    return value.astimezone().strftime("%d %b %Y %H:%M")


def _bio_html(author: AuthorData) -> str:
    """The bio with the name in bold once: a bio that begins with the name keeps it there."""
    name = author.byline_name or author.name
    text = inline_to_text(author.bio).strip()
    for known in (name, author.name):
        if known and text.casefold().startswith(known.casefold()):
            rest = text[len(known) :]
            return f"<p><b>{html.escape(text[: len(known)])}</b>{html.escape(rest)}</p>"
    return f"<p><b>{html.escape(name)}</b><br>{html.escape(text)}</p>"


def proof_html(a: ArticleData) -> str:
    """The article as simple HTML that QTextDocument lays out faithfully."""
    from editor_app.formats.htmlpage import _split_blocks  # the same block split as HTML export

    blocks = _split_blocks(sanitize_body_html(a.body_html))
    by_anchor: dict[int, list[str]] = {}
    for f in a.figures:
        img = ""
        if f.image and f.image_mime:
            data = b64encode(f.image).decode()
            img = f'<img src="data:{f.image_mime};base64,{data}" width="400"><br>'
        credit = f" <span style='color:#555'>({html.escape(f.credit)})</span>" if f.credit else ""
        by_anchor.setdefault(min(f.anchor, len(blocks)), []).append(
            f"<p align='center'>{img}<i>{html.escape(f.caption)}</i>{credit}</p>"
        )
    body: list[str] = []
    for i in range(len(blocks) + 1):
        body.extend(by_anchor.get(i, []))
        if i < len(blocks):
            body.append(blocks[i])
    byline = " and ".join(html.escape(n) for n in byline_names(a))
    with_bios = [x for x in a.authors if x.bio.strip()]
    bios = "".join(_bio_html(x) for x in with_bios)
    about = "About the authors" if len(with_bios) > 1 else "About the author"
    return (
        "<html><body>"
        f"<p style='color:#666; font-size:8pt'>{html.escape(proof_line(a))}</p>"
        f"<h1>{html.escape(a.title)}</h1>"
        + (f"<p><i>{html.escape(a.dek)}</i></p>" if a.dek else "")
        + (f"<p>By {byline}</p>" if byline else "")
        + "".join(body)
        + (f"<hr><h3>{about}</h3>{bios}" if bios else "")
        + "</body></html>"
    )


def write_pdf(article: ArticleData, target: Path, *, page_size: str = "a4") -> Path:
    """Lay the article out on pages and write the PDF beside the target, then move it in."""
    if page_size not in PAGE_SIZES:
        raise ValueError(f"page size must be one of {', '.join(PAGE_SIZES)}")
    _ensure_gui()
    target = Path(target)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        writer = QPdfWriter(tmp)
        writer.setResolution(300)
        writer.setTitle(article.title)
        writer.setAuthor(" and ".join(byline_names(article)))
        writer.setCreator("Copydesk")
        writer.setPageLayout(
            QPageLayout(
                QPageSize(PAGE_SIZES[page_size]),
                QPageLayout.Orientation.Portrait,
                QMarginsF(18, 22, 18, 20),
                QPageLayout.Unit.Millimeter,
            )
        )
        painter = QPainter(writer)
        try:
            area = writer.pageLayout().paintRectPixels(writer.resolution())
            header_h = writer.resolution() * 0.35
            doc = QTextDocument()
            doc.setDefaultFont(QFont("Serif", 11))
            doc.setHtml(proof_html(article))
            page = QSizeF(area.width(), area.height() - 2 * header_h)
            doc.setPageSize(
                QSizeF(
                    page.width() * 72 / writer.resolution(),
                    page.height() * 72 / writer.resolution(),
                )
            )
            scale = writer.resolution() / 72
            pages = doc.pageCount()
            for n in range(pages):
                if n:
                    writer.newPage()
                painter.save()
                painter.setFont(QFont("Sans", 8))
                if n:  # page 1 opens with the title itself
                    painter.drawText(
                        QRectF(0, 0, area.width(), header_h), 0x0001 | 0x0080, article.title[:90]
                    )
                painter.drawText(
                    QRectF(0, area.height() - header_h, area.width(), header_h),
                    0x0004 | 0x0080,
                    footer_line(article, n + 1, pages),
                )
                painter.translate(0, header_h)
                painter.scale(scale, scale)
                clip = QRectF(
                    0, n * doc.pageSize().height(), doc.pageSize().width(), doc.pageSize().height()
                )
                painter.translate(0, -clip.top())
                doc.drawContents(painter, clip)
                painter.restore()
        finally:
            painter.end()
        follow_umask(Path(tmp))  # a proof is an ordinary file of the user's, like a DOCX
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
