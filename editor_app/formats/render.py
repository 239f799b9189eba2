"""One article in a publication format by the format's name, and a chunk of them at once.

This is the whole of an export's conversion: the caller's process runs it for a small
export, and processes of the export's own (`editor_app.services.export_pool`) for a large
one. It imports nothing but the formats, so such a process starts without the store, Qt or
SQLAlchemy; it gets plain data and gives back bytes.
"""

from __future__ import annotations

from collections.abc import Sequence

from editor_app.domain.errors import InvalidInput
from editor_app.formats.bundle import ArticleData

URI_BASE = "urn:copydesk:article:"
# The modules a process converting these formats needs (started once, imported once).
FORMAT_MODULES = {
    "html": "editor_app.formats.htmlpage",
    "markdown": "editor_app.formats.markdown",
    "ninjs": "editor_app.formats.ninjs",
}


def render(data: ArticleData, fmt: str, *, article_id: int = 0) -> str | bytes:
    if fmt == "html":
        from editor_app.formats.htmlpage import write_html

        return write_html(data)
    if fmt == "markdown":
        from editor_app.formats.markdown import write_markdown

        return write_markdown(data)
    if fmt == "docx":
        from editor_app.formats.docx import write_docx

        return write_docx(data)
    if fmt == "ninjs":
        from editor_app.formats.ninjs import dumps_ninjs, to_ninjs

        return dumps_ninjs(to_ninjs(data, uri=f"{URI_BASE}{article_id}", version=1))
    raise InvalidInput(f"cannot render {fmt}")


def render_chunk(fmt: str, items: Sequence[tuple[int, ArticleData]]) -> list[bytes]:
    """(article id, article) pairs rendered in order, each as the bytes of its file."""
    out = []
    for article_id, data in items:
        text = render(data, fmt, article_id=article_id)
        out.append(text.encode("utf-8") if isinstance(text, str) else text)
    return out
