"""A comment's state with its connected site, as the queue shows it (column, tooltip, pane)."""

from __future__ import annotations

import html

from editor_app.services.sites import SiteState

# The queue's Site column: a word a row; blank for a comment that came from no site.
SHORT = {
    "": "On site",
    "sent": "Sent",
    "waiting": "Waiting",
    "sending": "Sending",
    "failed": "Failed",
}


def short_state(state: SiteState | None) -> str:
    if state is None:
        return ""
    return SHORT.get(state.state, state.state.capitalize())


def describe_state(state: SiteState | None) -> str:
    """One line for the queue: does the site have this comment's latest decision?"""
    if state is None:
        return ""
    where = f"On {state.site}"
    if state.state in {"", "sent"}:
        return f"{where}: the site has it" + (f" (#{state.remote_id})" if state.remote_id else "")
    if state.state == "waiting":
        return f"{where}: waiting to be sent"
    if state.state == "sending":
        return f"{where}: being sent"
    if state.state == "failed":
        return f"{where}: not sent yet — {state.error}"
    if state.state == "conflict":
        return f"{where}: conflict — {state.error} (Sites ▸ Settle conflict…)"
    return f"{where}: {state.state}"


def plain_tooltip(text: str | None) -> str | None:
    """A tooltip that shows its text as written. Qt takes a tooltip with anything like a tag
    for rich text, and the queue's tooltips hold readers' words (a comment, a name, the
    site's copy of a comment): escaped and marked as rich text, "<b>x</b>" stays literal."""
    if not text:
        return None
    return f"<p style='white-space:pre-wrap'>{html.escape(text, quote=False)}</p>"
