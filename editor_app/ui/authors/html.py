"""The profile as the Authors area shows it: bio, contact, links and the author's articles.

The name, role, avatar and counts sit above it in widgets (see ``author_profile``); this is the
part that scrolls. Bios arrive sanitised by the service (p, br, strong, em, a); a bio without
markup is plain text and is escaped here.
"""

from __future__ import annotations

from html import escape

from editor_app.services.dto import AuthorDetail
from editor_app.ui.article_html import Colours
from editor_app.ui.models import format_time


def bio_html(bio: str) -> str:
    if "<" in bio:
        return bio if bio.lstrip().startswith("<p") else f"<p>{bio}</p>"
    paragraphs = [p for p in bio.split("\n\n") if p.strip()]
    return "".join(
        "<p>" + "<br/>".join(escape(line) for line in p.splitlines()) + "</p>" for p in paragraphs
    )


def _link(url: str) -> str:
    """A web address as a link; a social handle (@name) as text, since its site is unknown."""
    if "://" not in url:
        return escape(url)
    return f'<a href="{escape(url)}">{escape(url)}</a>'


def _facts(a: AuthorDetail, c: Colours) -> list[str]:
    muted = f'style="color:{c["muted"]};"'
    rows: list[tuple[str, str]] = []
    if a.byline_name and a.byline_name != a.name:
        rows.append(("Byline", escape(a.byline_name)))
    if a.email:
        rows.append(
            (
                "Email",
                f'<a href="mailto:{escape(a.email)}">{escape(a.email)}</a> '
                f"<span {muted}>(private — never published)</span>",
            )
        )
    if a.website:
        rows.append(("Website", _link(a.website)))
    if a.links:
        rows.append(("Links", "<br/>".join(_link(x) for x in a.links)))
    if a.location:
        rows.append(("Location", escape(a.location)))
    if a.languages:
        rows.append(("Languages", escape(a.languages)))
    return [
        f'<tr><td valign="top" {muted} width="90">{label}</td><td>{value}</td></tr>'
        for label, value in rows
    ]


def profile_html(a: AuthorDetail, c: Colours) -> str:
    muted = f'style="color:{c["muted"]};"'
    parts: list[str] = []
    if a.bio:
        parts.append(bio_html(a.bio))
    else:
        parts.append(f"<p {muted}>No bio yet — press Edit to write one.</p>")
    facts = _facts(a, c)
    if facts:
        parts.append(f'<table cellpadding="3" cellspacing="0">{"".join(facts)}</table>')
    parts.append(f"<h3>Articles ({len(a.articles)})</h3>")
    if not a.articles:
        parts.append(f"<p {muted}>No articles under this byline yet.</p>")
        return "<body>" + "".join(parts) + "</body>"
    head = "".join(
        f'<th align="left" {muted}>{h}</th>' for h in ("Title", "Status", "Published", "Updated")
    )
    rows = "".join(
        f'<tr><td><a href="article:{x.id}">{escape(x.title)}</a></td>'
        f'<td class="status">{escape(x.status.capitalize())}</td>'
        f"<td>{format_time(x.published_at) or '—'}</td>"
        f"<td>{format_time(x.updated_at)}</td></tr>"
        for x in a.articles
    )
    parts.append(
        f'<table cellpadding="4" cellspacing="0" width="100%"><tr>{head}</tr>{rows}</table>'
    )
    return "<body>" + "".join(parts) + "</body>"
