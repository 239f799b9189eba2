"""Rich text for the read-only views: an article as a reader sees it, a comment in its thread.

QTextBrowser understands a subset of HTML 4 and CSS, so boxes (figures, the author box) are
one-cell tables, which it does draw with borders and backgrounds. Colours come from the
palette of the view, so the page follows the light or dark theme.
"""

from __future__ import annotations

from html import escape
from html.parser import HTMLParser

from editor_app.services.comments import walk
from editor_app.services.dto import (
    ArticleDetail,
    AuthorDetail,
    CommentContext,
    CommentNode,
    CommentRow,
    FigureView,
)
from editor_app.ui.models import format_time

Colours = dict[str, str]


class _BlockSplitter(HTMLParser):
    """Cuts body HTML into its top-level blocks, so figures can go between them."""

    _VOID = frozenset({"br", "hr", "img", "wbr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._depth = 0
        self._buf: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._buf.append(self.get_starttag_text() or f"<{tag}>")
        if tag not in self._VOID:
            self._depth += 1
        elif self._depth == 0:
            self._flush()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._buf.append(self.get_starttag_text() or f"<{tag}/>")
        if self._depth == 0:
            self._flush()

    def handle_endtag(self, tag: str) -> None:
        if tag in self._VOID:
            return
        self._buf.append(f"</{tag}>")
        self._depth = max(0, self._depth - 1)
        if self._depth == 0:
            self._flush()

    def handle_data(self, data: str) -> None:
        if self._depth == 0 and not data.strip():
            return
        self._buf.append(escape(data, quote=False))
        if self._depth == 0:
            self._flush()

    def _flush(self) -> None:
        text = "".join(self._buf).strip()
        if text:
            self.blocks.append(text)
        self._buf = []

    def close(self) -> None:
        super().close()
        self._flush()


def body_blocks(body_html: str) -> list[str]:
    parser = _BlockSplitter()
    parser.feed(body_html)
    parser.close()
    return parser.blocks


FIGURE_SCHEME = "figure"  # <img src="figure:ID">: the view loads the stored picture


def _figure_html(fig: FigureView, c: Colours) -> str:
    """A figure as a tidy box: the picture (or a plain placeholder), then caption and credit."""
    if fig.has_image:
        alt = escape(fig.alt or fig.caption, quote=True)
        image = (
            f'<tr><td align="center" bgcolor="{c["box"]}">'
            f'<img src="{FIGURE_SCHEME}:{fig.id}" alt="{alt}"/></td></tr>'
        )
    else:
        # Says only that the picture is missing: the caption follows once, below.
        image = (
            f'<tr><td align="center" bgcolor="{c["placeholder"]}" '
            f'style="color:{c["muted"]}; font-size:small; padding:28px;">'
            "No picture in the store</td></tr>"
        )
    credit = (
        f' <span style="color:{c["muted"]}; font-size:small;">{escape(fig.credit)}</span>'
        if fig.credit
        else ""
    )
    caption = escape(fig.caption) if fig.caption else ""
    text_row = (
        f'<tr><td bgcolor="{c["box"]}" style="font-size:small;">{caption}{credit}</td></tr>'
        if caption or credit
        else ""
    )
    return (
        f'<table class="figure" width="100%" cellpadding="8" cellspacing="0" border="1" '
        f'style="border-color:{c["box_border"]}; border-style:solid; margin: 8px 0;">'
        f"{image}{text_row}"
        "</table>"
    )


def style_sheet(c: Colours) -> str:
    """Default CSS for the views' documents."""
    return (
        f"body {{ color:{c['text']}; }}"
        f"h1 {{ font-size: x-large; margin-bottom: 4px; }}"
        f"p {{ margin-top: 6px; margin-bottom: 6px; line-height: 130%; }}"
        f"p.dek {{ font-size: large; color:{c['muted']}; }}"
        f"p.byline {{ color:{c['muted']}; }}"
        f"blockquote {{ margin-left: 24px; margin-right: 24px; font-style: italic;"
        f" color:{c['muted']}; }}"
        f"a {{ color:{c['link']}; }}"
        f".status {{ color:{c['accent']}; font-weight: 600; }}"
    )


def article_html(d: ArticleDetail, c: Colours) -> str:
    parts = [f"<h1>{escape(d.title)}</h1>"]
    if d.dek:
        parts.append(f'<p class="dek">{escape(d.dek)}</p>')
    if d.authors:
        names = ", ".join(
            f"<b>{escape(a.name)}</b>" + (f" ({escape(a.role)})" if a.role else "")
            for a in d.authors
        )
        parts.append(f'<p class="byline">By {names}</p>')
    meta = [d.status.capitalize()]
    if d.section:
        meta.append(escape(d.section))
    meta.append(f"{d.comment_count} comment{'s' if d.comment_count != 1 else ''}")
    parts.append(f'<p class="byline"><small>{" · ".join(meta)}</small></p><hr/>')

    figures: dict[int, list[FigureView]] = {}
    for fig in d.figures:
        figures.setdefault(fig.anchor, []).append(fig)
    blocks = body_blocks(d.body_html)
    for i in range(len(blocks) + 1):
        # A figure's anchor is the number of body blocks before it.
        parts.extend(_figure_html(f, c) for f in figures.pop(i, []))
        if i < len(blocks):
            parts.append(blocks[i])
    for rest in figures.values():  # anchors past the end go last
        parts.extend(_figure_html(f, c) for f in rest)

    with_bio = [a for a in d.authors if a.bio]
    if with_bio:
        rows = "".join(
            f"<p><b>{escape(a.name)}</b>"
            + (f" — {escape(a.role)}" if a.role else "")
            + f"</p><p>{escape(a.bio)}</p>"
            for a in with_bio
        )
        parts.append(
            f'<br/><table width="100%" cellpadding="10" cellspacing="0" border="1" '
            f'style="border-color:{c["box_border"]}; border-style:solid;">'
            f'<tr><td bgcolor="{c["box"]}"><h3>About the author</h3>{rows}</td></tr></table>'
        )
    return "<body>" + "".join(parts) + "</body>"


def author_html(a: AuthorDetail, c: Colours) -> str:
    parts = [f"<h1>{escape(a.name)}</h1>"]
    if a.role:
        parts.append(f'<p class="dek">{escape(a.role)}</p>')
    if a.bio:
        parts.append(f"<p>{escape(a.bio)}</p>")
    facts = []
    if a.email:
        facts.append(f'Email: <a href="mailto:{escape(a.email)}">{escape(a.email)}</a>')
    if a.website:
        facts.append(f'Website: <a href="{escape(a.website)}">{escape(a.website)}</a>')
    facts.extend(f'<a href="{escape(link)}">{escape(link)}</a>' for link in a.links)
    if a.location:
        facts.append(f"Location: {escape(a.location)}")
    if facts:
        parts.append('<p class="byline">' + "<br/>".join(facts) + "</p>")
    parts.append(f"<h3>Articles ({len(a.articles)})</h3>")
    if a.articles:
        rows = "".join(
            f'<tr><td><a href="article:{x.id}">{escape(x.title)}</a></td>'
            f'<td class="status">{escape(x.status.capitalize())}</td>'
            f"<td>{format_time(x.published_at or x.updated_at)}</td></tr>"
            for x in a.articles
        )
        parts.append(f'<table cellpadding="4" cellspacing="0" width="100%">{rows}</table>')
    else:
        parts.append(f'<p style="color:{c["muted"]};">No articles under this byline yet.</p>')
    return "<body>" + "".join(parts) + "</body>"


def _comment_box(row: CommentRow, c: Colours, *, current: bool = False, indent: int = 0) -> str:
    border = c["accent"] if current else c["box_border"]
    width = 2 if current else 1
    head = (
        f"<b>{escape(row.display_name)}</b> "
        f'<span style="color:{c["muted"]};">· {format_time(row.posted_at)} · </span>'
        f'<span class="status">{escape(row.status.capitalize())}</span>'
    )
    body = "<br/>".join(escape(line) for line in row.body.splitlines())
    return (
        f'<table width="100%" cellpadding="8" cellspacing="0" border="{width}" '
        f'style="border-color:{border}; border-style:solid; margin-left:{indent * 24}px;'
        f' margin-top:4px;">'
        f'<tr><td bgcolor="{c["box"] if current else c.get("base", c["box"])}">'
        f"{head}<br/>{body}</td></tr></table>"
    )


# Deeper replies are drawn at this indentation (a thread may be hundreds of levels deep).
MAX_INDENT = 12


def _replies_html(nodes: tuple[CommentNode, ...], c: Colours, indent: int) -> list[str]:
    return [
        _comment_box(n.comment, c, indent=min(indent + depth, MAX_INDENT))
        for n, depth in walk(nodes)
    ]


def comment_context_html(ctx: CommentContext, c: Colours) -> str:
    title = ctx.article.title if ctx.article else ctx.comment.article_title
    parts = [
        f'<p class="byline">On <a href="article:{ctx.comment.article_id}">'
        f"<b>{escape(title)}</b></a></p>"
    ]
    if ctx.ancestors:
        parts.append('<p class="byline"><small>In reply to</small></p>')
        parts.extend(
            _comment_box(a, c, indent=min(i, MAX_INDENT)) for i, a in enumerate(ctx.ancestors)
        )
    depth = min(len(ctx.ancestors), MAX_INDENT)
    parts.append(_comment_box(ctx.comment, c, current=True, indent=depth))
    if ctx.replies:
        parts.append('<p class="byline"><small>Replies</small></p>')
        parts.extend(_replies_html(ctx.replies, c, depth + 1))
    return "<body>" + "".join(parts) + "</body>"
