"""`editor-app site ...`: a connected WordPress site from the command line.

Kept apart from cli.py, which only hooks these in. The password comes from stdin
(`--password-stdin`) or EDITOR_APP_SITE_PASSWORD, never from an argument (it would show in
the process list and the shell's history), and is never printed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from editor_app.domain.errors import UserError
from editor_app.services.options import PUBLISH_STATUSES

# The services (SQLAlchemy, the scorer) load when a site command runs, not for `--help`.
if TYPE_CHECKING:
    from editor_app.services.container import Services
    from editor_app.services.sites import SiteInfo, SiteService


SITE_HELP = "a connected WordPress site: add, pull, push, publish"


def asdict(obj: Any) -> Any:
    """`dataclasses.asdict`, imported when a command prints one: `dataclasses` (with
    `inspect` and `copy`) is a third of what `editor-app --help` imports."""
    from dataclasses import asdict as as_dict

    return as_dict(obj)


def add_site_arguments(site: argparse.ArgumentParser) -> None:
    """The arguments of `editor-app site` (cli.py makes its parser)."""
    ssub = site.add_subparsers(dest="site_action", required=True, parser_class=type(site))
    add = ssub.add_parser("add", help="connect a site (checks the password first)")
    add.add_argument("name")
    add.add_argument("url")
    add.add_argument("--user", required=True)
    add.add_argument("--password-stdin", action="store_true")
    add.add_argument(
        "--auto-send",
        action="store_true",
        help="send the rules' automatic decisions on comments the site holds to the site "
        "(default: they stay suggestions here until a moderator acts)",
    )
    add.add_argument("--json", action="store_true")
    st = ssub.add_parser("set", help="change a site's settings")
    st.add_argument("name")
    st.add_argument(
        "--auto-send",
        choices=["on", "off"],
        help="send the rules' automatic decisions on held comments to the site",
    )
    st.add_argument("--pull-every", type=int, metavar="MINUTES", help="0: only when asked")
    st.add_argument("--json", action="store_true")
    lst = ssub.add_parser("list", help="the connected sites")
    lst.add_argument("--json", action="store_true")
    rm = ssub.add_parser("remove", help="forget a site and its password")
    rm.add_argument("name")
    for action, text in (
        ("pull", "bring in what changed on the site"),
        ("push", "send the outbox (moderation of site comments)"),
        ("status", "outbox counts, last pull, last error"),
    ):
        p = ssub.add_parser(action, help=text)
        p.add_argument("name")
        p.add_argument("--json", action="store_true")
    res = ssub.add_parser("resolve", help="settle a comment's conflict with the site")
    res.add_argument("name")
    res.add_argument("comment_id", type=int)
    res.add_argument("--keep", choices=["mine", "theirs"], required=True)
    res.add_argument("--as", dest="actor", default="")
    pub = ssub.add_parser("publish", help="send an article to the site")
    pub.add_argument("name")
    pub.add_argument("article_id", type=int)
    pub.add_argument("--status", choices=list(PUBLISH_STATUSES))
    over = pub.add_mutually_exclusive_group()  # overwrite, or go on top of a merge: not both
    over.add_argument("--force", action="store_true", help="overwrite a change made on the site")
    over.add_argument(
        "--base",
        metavar="MODIFIED_GMT",
        help="publish over the site's version of this time (from `site diff`), merged by hand",
    )
    pub.add_argument("--json", action="store_true")
    dif = ssub.add_parser("diff", help="the words of an article here against the site's version")
    dif.add_argument("name")
    dif.add_argument("article_id", type=int)
    dif.add_argument("--json", action="store_true")


def site_service(s: Services) -> SiteService:
    from editor_app.services.sites import SiteService

    return SiteService(s.uow, s.imports)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _dump(data: Any) -> None:
    print(json.dumps(data, indent=2, ensure_ascii=False))


def _site_json(info: SiteInfo) -> dict[str, Any]:
    return {
        "name": info.name,
        "url": info.url,
        "user": info.user,
        "last_pull_at": _iso(info.last_pull_at),
        "last_error": info.last_error or None,
        "password_kept_in": info.password_kept_in,
        "auto_send": info.auto_send,
        "pull_every_minutes": info.pull_every_minutes,
    }


def cmd_site(s: Services, a: argparse.Namespace) -> int:
    sites = site_service(s)
    action = a.site_action
    if action == "add":
        if a.password_stdin:
            password = sys.stdin.readline().strip()
        else:
            password = os.environ.get("EDITOR_APP_SITE_PASSWORD", "").strip()
        if not password:
            raise UserError(
                "give the application password on stdin (--password-stdin) "
                "or in EDITOR_APP_SITE_PASSWORD"
            )
        info = sites.add(a.name, a.url, a.user, password, auto_send=a.auto_send)
        if a.json:
            _dump(_site_json(info))
        else:
            print(f"site {info.name} added: {info.url} as {info.user}")
            print(f"the application password is kept in {info.password_kept_in}")
            print(_auto_line(info))
        return 0
    if action == "set":
        if a.auto_send is None and a.pull_every is None:
            raise UserError("give --auto-send on|off or --pull-every MINUTES")
        auto = None if a.auto_send is None else a.auto_send == "on"
        info = sites.set_options(a.name, auto_send=auto, pull_every_minutes=a.pull_every)
        if a.json:
            _dump(_site_json(info))
        else:
            every = f"every {info.pull_every_minutes} min" if info.pull_every_minutes else "never"
            print(f"{info.name}: {_auto_line(info)}; pull on a timer: {every}")
        return 0
    if action == "diff":
        theirs, text = sites.diff(a.name, a.article_id)
        if a.json:
            _dump(
                {
                    "remote_id": theirs.remote_id,
                    "modified_gmt": theirs.modified_gmt,
                    "edited_by": theirs.edited_by or None,
                    "link": theirs.link,
                    "diff": text,
                }
            )
        else:
            print(text or f"article {a.article_id} has the same words as the site", end="")
            if text:
                print(
                    f"publish over it: site publish {a.name} {a.article_id} "
                    f"--base {theirs.modified_gmt}",
                    file=sys.stderr,
                )
            else:
                print()
        return 0
    if action == "list":
        infos = sites.all()
        if a.json:
            _dump([_site_json(i) for i in infos])
        else:
            for i in infos:
                print(f"{i.name}\t{i.url}\t{i.user}\tlast pull {_iso(i.last_pull_at) or 'never'}")
        return 0
    if action == "remove":
        sites.remove(a.name)
        print(f"site {a.name} removed (its password too; pulled articles and comments stay)")
        return 0
    if action == "pull":
        r = sites.pull(a.name)
        out = {
            "articles": r.articles,
            "authors": r.authors,
            "comments": r.comments,
            "updated": r.updated,
            "skipped": r.skipped,
        }
        if a.json:
            _dump({**out, "requests": r.requests, "messages": list(r.messages)})
        else:
            print(
                f"pulled {r.articles} articles, {r.authors} new authors, {r.comments} comments; "
                f"{r.updated} updated, {r.skipped} skipped ({r.requests} requests)"
            )
            for m in r.messages:
                print(m)
        return 0
    if action == "push":
        p = sites.push(a.name)
        if a.json:
            _dump({**asdict(p), "messages": list(p.messages)})
        else:
            print(f"sent {p.sent}, failed {p.failed}, conflicts {p.conflicts}, waiting {p.waiting}")
            for m in p.messages:
                print(m)
        if p.failed and not p.sent:
            # Nothing went: the site is down or refuses; the changes wait in the outbox.
            reason = p.messages[0] if p.messages else "nothing could be sent"
            print(f"error: {reason}; {p.waiting + p.failed} change(s) wait", file=sys.stderr)
            return 1
        return 0
    if action == "resolve":
        from editor_app.domain.identity import current_user

        n = sites.resolve(a.name, a.comment_id, a.keep, actor=a.actor or current_user())
        what = "ours goes at the next push" if a.keep == "mine" else "the site's version taken"
        print(f"comment {a.comment_id}: {n} change(s) settled; {what}")
        return 0
    if action == "publish":
        from editor_app.services.sites import PublishConflict

        try:
            r2 = sites.publish(a.name, a.article_id, a.status, force=a.force, base=a.base)
        except PublishConflict as exc:
            if a.json:
                _dump(
                    {
                        "conflict": True,
                        "remote_id": exc.remote_id,
                        "modified_gmt": exc.modified_gmt,
                        "edited_by": exc.edited_by or None,
                        "error": str(exc),
                    }
                )
            raise
        if a.json:
            _dump(
                {
                    "remote_id": r2.remote_id,
                    "link": r2.link,
                    "status": r2.status,
                    "messages": list(r2.messages),
                }
            )
        else:
            print(f"article {a.article_id} is on the site as {r2.status}: {r2.link}")
            for message in r2.messages:
                print(message)
        return 0
    st = sites.status(a.name)
    counts = {k: st.outbox.get(k, 0) for k in ("waiting", "sent", "failed", "conflict")}
    if a.json:
        _dump({**_site_json(st.site), "outbox": counts})
    else:
        print(f"{st.site.name}: {st.site.url} as {st.site.user}")
        print(f"last pull: {_iso(st.site.last_pull_at) or 'never'}")
        print(f"last error: {st.site.last_error or 'none'}")
        print("outbox: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return 0


def _auto_line(info: SiteInfo) -> str:
    if info.auto_send:
        return "automatic moderation decisions are sent to the site"
    return "automatic moderation decisions stay here as suggestions (the site keeps them held)"


def site_fields(s: Services, what: str, local_id: int) -> dict[str, Any]:
    """`show article|comment` gains the site and the remote id of things that have one."""
    kind = {"article": "article", "comment": "comment"}.get(what)
    if kind is None:
        return {}
    state = site_service(s).states(kind, [local_id]).get(local_id)
    out: dict[str, Any] = {
        "site": state.site if state else None,
        "remote_id": state.remote_id if state else None,
    }
    if kind == "comment":
        out["site_state"] = (state.state or "on the site") if state else None
        out["site_error"] = (state.error or None) if state else None
    return out
