"""`editor-app`: the window with no arguments; the same services headless otherwise.

Exit codes: 0 ok, 1 error (one `error: ...` line on stderr), 2 usage. `--json` output is
stable: tests and scripts read it.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Collection, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, cast

from editor_app.cli_desk import DESK_HELP
from editor_app.cli_site import SITE_HELP, asdict
from editor_app.domain.errors import Cancelled, UserError
from editor_app.domain.identity import current_user
from editor_app.domain.statuses import ArticleStatus, CommentStatus
from editor_app.services.options import COMMENT_STATUS_CHOICES, EXPORT_FORMATS

# The store, the services and the scorer are imported by the commands that use them, after
# the arguments are read: `--help`, `--version` and usage errors answer at once, and
# `list articles` does not load the comment scorer (see `_LazyServices`).
if TYPE_CHECKING:
    from editor_app.services.container import Services
    from editor_app.services.dto import CommentNode, CommentRow
    from editor_app.store.database import Database
    from editor_app.store.lean import LeanStore


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"usage error: {message}\n")


class _VersionAction(argparse.Action):
    """`--version`: the installed package's version, looked up only when asked for."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any):
        super().__init__(
            option_strings,
            dest,
            nargs=0,
            default=argparse.SUPPRESS,
            help="print the version and exit",
        )

    def __call__(self, parser: argparse.ArgumentParser, *_args: Any) -> None:
        _print_version()
        parser.exit()


_LIGHT_SERVICES: dict[str, tuple[str, str]] = {
    "articles": ("editor_app.services.articles", "ArticleService"),
    "authors": ("editor_app.services.authors", "AuthorService"),
    "comments": ("editor_app.services.comments", "CommentService"),
    "editor": ("editor_app.services.editing", "EditorService"),
    "search": ("editor_app.services.search", "SearchService"),
    "exports": ("editor_app.services.exports", "ExportService"),
}


class _LazyServices:
    """The services a command uses, each built on first use.

    `list articles` needs the article and editor services; building them all (`Services.build`)
    would import the comment scorer, the importers and the exporters first. Anything not
    listed here comes from one full `Services` built on demand (imports and moderation share
    their scorer there).
    """

    def __init__(self, uow: Any):
        self.uow = uow

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        if name in _LIGHT_SERVICES:
            import importlib

            module, cls = _LIGHT_SERVICES[name]
            value = getattr(importlib.import_module(module), cls)(self.uow)
        else:
            from editor_app.services.container import Services

            full = self.__dict__.get("_full")
            if full is None:
                full = self.__dict__["_full"] = Services.build(self.uow)
            value = getattr(full, name)
        setattr(self, name, value)
        return value


# Every command with its line in `--help`, in that order. A command's own arguments are
# added only when it is the command given (`build_parser`): `--help` and usage errors build
# 18 empty subparsers instead of the whole tree, `--version` none at all.
COMMANDS: dict[str, str] = {
    "import": "import files: page dumps, WordPress WXR, Markdown, DOCX, HTML, Ghost",
    "list": "list articles, authors or comments",
    "show": "show one article, author or comment",
    "search": "full-text search of articles and comments",
    "site": SITE_HELP,
    "moderate": "moderate comments: auto, approve, hold, spam, trash",
    "audit": "the moderation audit log",
    "score": "score comments read one per line on stdin; one JSON object per line out",
    "authors": "author profiles: merge duplicates, pages, photos",
    "articles": "article workflow",
    "revisions": "an article's saved revisions",
    "diff": "a word-level diff of two revisions of an article",
    "export": "export articles (publication formats carry no reader data)",
    "db": "database maintenance",
    "backup": "a consistent copy of the store, safe while the app runs",
    "restore": "everything from a backup into an empty store (--db)",
    **DESK_HELP,
}


def build_parser(commands: Collection[str] | None = None) -> argparse.ArgumentParser:
    """The whole parser, or (``commands``) one whose other subcommands are only names
    with their help: enough for ``--help`` and for a usage error naming them."""
    p = _Parser(prog="editor-app", description="Copydesk editorial workstation")
    p.add_argument("--version", action=_VersionAction)
    p.add_argument("--db", metavar="URL", help="database URL (default: EDITOR_APP_DB or SQLite)")

    def make(**kwargs: Any) -> Any:
        # A subparser only for the commands wanted: an ArgumentParser costs ~1 ms to make,
        # most of what `--help` took; `--help` and a usage error need only the names.
        name = str(kwargs["prog"]).rsplit(" ", 1)[-1]
        return _Parser(**kwargs) if commands is None or name in commands else _NameOnly(name)

    sub = p.add_subparsers(dest="command", parser_class=cast("type[_Parser]", make))
    for name, text in COMMANDS.items():
        parser = sub.add_parser(name, help=text)
        if isinstance(parser, _Parser):
            _ARGUMENTS[name](parser)
    return p


class _NameOnly:
    """A command listed by name and help only (see `build_parser`); never parses."""

    def __init__(self, name: str):
        self.name = name

    def parse_known_args(self, *_args: Any, **_kwargs: Any) -> NoReturn:
        raise RuntimeError(f"the parser of {self.name!r} was not built")


def _import_args(imp: argparse.ArgumentParser) -> None:
    from editor_app.formats.detect import FORMATS

    imp.add_argument("paths", nargs="+", type=Path)
    imp.add_argument("--format", default="auto", choices=list(FORMATS))
    imp.add_argument("--comments-status", default="auto", choices=list(COMMENT_STATUS_CHOICES))
    imp.add_argument("--json", action="store_true")


def _list_args(ls: argparse.ArgumentParser) -> None:
    ls.add_argument("what", choices=["articles", "authors", "comments"])
    ls.add_argument("--status")
    ls.add_argument("--article", type=int)
    ls.add_argument("--limit", type=int, default=100)
    ls.add_argument("--trash", action="store_true", help="list the articles in the Trash")
    ls.add_argument("--json", action="store_true")


def _show_args(show: argparse.ArgumentParser) -> None:
    show.add_argument("what", choices=["article", "author", "comment"])
    show.add_argument("id", type=int)
    show.add_argument("--json", action="store_true")


def _search_args(search: argparse.ArgumentParser) -> None:
    search.add_argument("query")
    search.add_argument("--json", action="store_true")


def _moderate_args(mod: argparse.ArgumentParser) -> None:
    mod.add_argument("action", choices=["auto", "approve", "hold", "spam", "trash", "undo"])
    mod.add_argument("ids", nargs="*", type=int)
    mod.add_argument("--as", dest="actor", default="")
    mod.add_argument("--reason", default="")
    mod.add_argument("--json", action="store_true")


def _audit_args(aud: argparse.ArgumentParser) -> None:
    aud.add_argument("--comment", type=int)
    aud.add_argument("--since", help="ISO date or date-time")
    aud.add_argument("--csv", action="store_true", help="CSV instead of a table")
    aud.add_argument("--report", action="store_true", help="per moderator, per day")
    aud.add_argument("--json", action="store_true")


def _no_args(_parser: argparse.ArgumentParser) -> None:
    pass


def _authors_args(au: argparse.ArgumentParser) -> None:
    au_sub = au.add_subparsers(dest="authors_action", required=True, parser_class=_Parser)
    merge = au_sub.add_parser("merge", help="fold OTHER_ID into KEEP_ID, moving every byline")
    merge.add_argument("keep_id", type=int)
    merge.add_argument("other_id", type=int)
    merge.add_argument(
        "--take", default="", help="fields to take from OTHER, comma-separated (e.g. bio,photo)"
    )
    merge.add_argument("--as", dest="actor", default="")
    merge.add_argument("--json", action="store_true")
    unmerge = au_sub.add_parser("unmerge", help="undo a merge by its id")
    unmerge.add_argument("merge_id", type=int)
    unmerge.add_argument("--json", action="store_true")
    page = au_sub.add_parser("page", help="write the author's standalone HTML page")
    page.add_argument("id", type=int)
    page.add_argument("-o", "--output", type=Path, required=True)
    photo = au_sub.add_parser("photo", help="set the profile photo (cropped to a square)")
    photo.add_argument("id", type=int)
    photo.add_argument("path", type=Path)


def _articles_args(art: argparse.ArgumentParser) -> None:
    art_sub = art.add_subparsers(dest="articles_action", required=True, parser_class=_Parser)
    st = art_sub.add_parser("status", help="move an article along the workflow")
    st.add_argument("id", type=int)
    st.add_argument("status", choices=[s.value for s in ArticleStatus])
    st.add_argument("--as", dest="actor", default="")
    rm = art_sub.add_parser("delete", help="move an article to the Trash (restore brings it back)")
    rm.add_argument("id", type=int)
    rm.add_argument(
        "--permanently", action="store_true", help="delete an article in the Trash for good"
    )
    rm.add_argument("--as", dest="actor", default="")
    back = art_sub.add_parser("restore", help="take an article out of the Trash")
    back.add_argument("id", type=int)
    back.add_argument("--as", dest="actor", default="")


def _revisions_args(revs: argparse.ArgumentParser) -> None:
    revs.add_argument("id", type=int)
    revs.add_argument("--json", action="store_true")


def _diff_args(dif: argparse.ArgumentParser) -> None:
    dif.add_argument("id", type=int)
    dif.add_argument("rev_a", type=int)
    dif.add_argument("rev_b", type=int)
    dif.add_argument("--json", action="store_true")


def _export_args(ex: argparse.ArgumentParser) -> None:
    ex.add_argument("ids", nargs="*", type=int)
    ex.add_argument("--all", action="store_true", help="every article in the store")
    ex.add_argument("--format", required=True, choices=list(EXPORT_FORMATS))
    ex.add_argument("-o", "--output", type=Path, required=True)
    ex.add_argument("--page-size", choices=["a4", "letter"], default="a4", help="for PDF")
    ex.add_argument("--site-url", default="https://example.org", help="for WXR")


def _db_args(db: argparse.ArgumentParser) -> None:
    db.add_argument("action", choices=["upgrade", "status"])


def _path_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", type=Path)


def _site_args(site: argparse.ArgumentParser) -> None:
    from editor_app.cli_site import add_site_arguments

    add_site_arguments(site)


def _quotes_args(parser: argparse.ArgumentParser) -> None:
    from editor_app.cli_desk import add_quotes_arguments

    add_quotes_arguments(parser)


def _style_args(parser: argparse.ArgumentParser) -> None:
    from editor_app.cli_desk import add_style_arguments

    add_style_arguments(parser)


_ARGUMENTS: dict[str, Callable[[argparse.ArgumentParser], None]] = {
    "import": _import_args,
    "list": _list_args,
    "show": _show_args,
    "search": _search_args,
    "site": _site_args,
    "moderate": _moderate_args,
    "audit": _audit_args,
    "score": _no_args,
    "authors": _authors_args,
    "articles": _articles_args,
    "revisions": _revisions_args,
    "diff": _diff_args,
    "export": _export_args,
    "db": _db_args,
    "backup": _path_arg,
    "restore": _path_arg,
    "quotes": _quotes_args,
    "style": _style_args,
}


def _scan(argv: Sequence[str]) -> tuple[str | None, bool]:
    """The command named in ``argv`` (None: none yet) and whether ``--version`` comes
    before it, read as argparse would: ``--db`` (or an abbreviation) takes the next word."""
    words = iter(argv)
    for word in words:
        if word == "--":
            return next(words, None), False
        if not word.startswith("-") or word == "-":
            return word, False
        if "=" in word or not word.startswith("--") or len(word) < 3:
            continue
        if "--db".startswith(word):
            next(words, None)
        elif "--version".startswith(word):
            return None, True
    return None, False


def _installed_version() -> str:
    """The installed package's version: its dist-info's METADATA, looked for on sys.path as
    importlib.metadata looks (which costs ~30 ms to import, most of `--version`)."""
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:  # a zip file, a folder gone
            continue
        for name in names:
            if not (name.startswith("editor_app-") and name.endswith(".dist-info")):
                continue
            try:
                with open(os.path.join(folder or ".", name, "METADATA"), encoding="utf-8") as f:
                    for line in f:
                        if line.startswith("Version:"):
                            return line.split(":", 1)[1].strip()
                        if not line.strip():  # the headers end here
                            break
            except OSError:
                continue
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("editor-app")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _print_version() -> None:
    print(f"editor-app {_installed_version()}")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _comment_json(c: CommentRow) -> dict[str, Any]:
    return {
        "id": c.id,
        "article_id": c.article_id,
        "parent_id": c.parent_id,
        "author_name": c.author_name,
        "status": c.status,
        "score": c.score,
        "reasons": list(c.reasons),
        "body": c.body,
        "posted_at": _iso(c.posted_at),
    }


# JSON nests replies this deep; deeper ones are listed flat at this level, with their parent_id.
_MAX_JSON_NESTING = 100


def _node_json(top: CommentNode) -> dict[str, Any]:
    """A thread as nested JSON, built without recursion (threads may be thousands deep)."""
    from editor_app.services.comments import walk

    out: dict[str, Any] = {}
    holders: list[list[dict[str, Any]]] = []  # the replies list of each open depth
    for n, depth in walk((top,)):
        c = n.comment
        node: dict[str, Any] = {
            "id": c.id,
            "author_name": c.author_name,
            "status": c.status,
            "body": c.body,
            "posted_at": _iso(c.posted_at),
            "replies": [],
        }
        if depth == 0:
            out = node
        elif depth <= _MAX_JSON_NESTING:
            holders[depth - 1].append(node)
        else:
            node["parent_id"] = c.parent_id
            holders[_MAX_JSON_NESTING - 1].append(node)
        if depth < _MAX_JSON_NESTING:
            del holders[depth:]
            holders.append(node["replies"])
    return out


def _print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")


def _status_arg(value: str | None, allowed: type[ArticleStatus] | type[CommentStatus]) -> None:
    if value is not None and value not in {s.value for s in allowed}:
        choices = ", ".join(s.value for s in allowed)
        raise UserError(f"unknown status {value!r}; use one of {choices}")


def cmd_import(s: Services, a: argparse.Namespace) -> int:
    from editor_app.services.importing import ImportOptions

    progress = None if a.json else _terminal_progress()
    result = s.imports.import_paths(
        a.paths,
        ImportOptions(format=a.format, comments_status=a.comments_status),
        progress=progress,
    )
    if a.json:
        _print_json(
            {
                "articles": result.articles,
                "authors": result.authors,
                "comments": result.comments,
                "skipped": result.skipped,
                "skipped_comments": result.skipped_comments,
                "article_ids": list(result.article_ids),
                "messages": list(result.messages),
            }
        )
    else:
        print(result.summary())
        for m in result.messages:
            print(f"  {m}")
    return 0


def cmd_list(s: Services, a: argparse.Namespace) -> int:
    if a.limit < 1:
        raise UserError("--limit must be at least 1")
    data: list[dict[str, Any]]
    if a.what == "articles":
        _status_arg(a.status, ArticleStatus)
        rows = s.articles.page(status=a.status, limit=a.limit, trash=a.trash).rows
        data = [
            {
                "id": r.id,
                "title": r.title,
                "status": r.status,
                "byline": r.byline,
                "comments": r.comments,
                "pending": r.pending,
                "updated_at": _iso(r.updated_at),
            }
            for r in rows
        ]
        if not a.trash and (not a.status or a.status == "draft"):
            # Work that was autosaved but never saved is an article too, to its writer.
            for info in s.editor.unsaved_new():
                data.append(
                    {
                        "id": None,
                        "title": info.title,
                        "status": "draft",
                        "byline": "",
                        "comments": 0,
                        "pending": 0,
                        "updated_at": _iso(info.saved_at),
                        "autosave": info.draft_key,
                    }
                )
    elif a.what == "authors":
        data = [
            {
                "id": r.id,
                "name": r.name,
                "role": r.role,
                "email": r.email,
                "active": r.active,
                "articles": r.articles,
                "last_published": _iso(r.last_published),
            }
            for r in s.authors.list()[: a.limit]
        ]
    else:
        from editor_app.services.dto import CommentFilter

        _status_arg(a.status, CommentStatus)
        page = s.comments.page(
            CommentFilter(status=a.status, article_id=a.article, newest_first=False),
            limit=a.limit,
        )
        data = [_comment_json(c) for c in page.rows]
    if a.json:
        _print_json(data)
    else:
        for row in data:
            label = row.get("title") or row.get("name") or str(row.get("body", ""))[:70]
            ident = row["id"] if row["id"] is not None else "unsaved"
            print(f"{ident:>7}  {row.get('status', row.get('role', '')):<10}  {label}")
    return 0


def cmd_show(s: Services, a: argparse.Namespace) -> int:
    data: dict[str, Any]
    if a.what == "article":
        d = s.articles.detail(a.id)
        data = {
            "id": d.id,
            "title": d.title,
            "dek": d.dek,
            "slug": d.slug,
            "status": d.status,
            "section": d.section,
            "tags": list(d.tags),
            "body_html": d.body_html,
            "body_text": d.body_text,
            "authors": [asdict(x) for x in d.authors],
            "figures": [
                {"caption": f.caption, "credit": f.credit, "alt": f.alt} for f in d.figures
            ],
            "comments": [_node_json(n) for n in s.comments.tree(d.id)],
            "created_at": _iso(d.created_at),
            "updated_at": _iso(d.updated_at),
            "published_at": _iso(d.published_at),
            "version": d.version,
            "revisions": [
                {"id": r.id, "saved_at": _iso(r.saved_at), "saved_by": r.saved_by, "note": r.note}
                for r in s.editor.revisions(d.id)
            ],
        }
        unsaved = s.editor.autosave_of(d.id)
        data["autosave"] = _autosave_json(unsaved) if unsaved is not None else None
    elif a.what == "author":
        au = s.authors.detail(a.id)
        data = asdict(au)
        data["links"] = list(au.links)
        data["last_published"] = _iso(au.last_published)
        data["articles"] = [
            {
                "id": x.id,
                "title": x.title,
                "status": x.status,
                "updated_at": _iso(x.updated_at),
                "published_at": _iso(x.published_at),
            }
            for x in au.articles
        ]
    else:
        ctx = s.comments.context(a.id)
        data = _comment_json(ctx.comment)
        data["article_title"] = ctx.comment.article_title
        data["ancestors"] = [_comment_json(x) for x in ctx.ancestors]
        data["replies"] = [_node_json(n) for n in ctx.replies]
    if a.what in ("article", "comment"):
        from editor_app.cli_site import site_fields

        data.update(site_fields(s, a.what, a.id))
    if a.json:
        _print_json(data)
    elif a.what == "article":
        print(data["title"])
        if data["authors"]:
            print("By " + ", ".join(x["name"] for x in data["authors"]))
        print()
        print(data["body_text"])
    else:
        for key, value in data.items():
            if not isinstance(value, list | dict):
                print(f"{key}: {value}")
    return 0


def cmd_search(s: Services, a: argparse.Namespace) -> int:
    r = s.search.search(a.query)
    if a.json:
        _print_json(
            {
                "articles": [
                    {"id": x.id, "title": x.title, "status": x.status, "snippet": sn.text}
                    for x, sn in zip(r.articles, r.article_snippets, strict=True)
                ],
                "comments": [
                    {**_comment_json(c), "snippet": sn.text}
                    for c, sn in zip(r.comments, r.comment_snippets, strict=True)
                ],
            }
        )
    else:
        # The words found, in a few words of their context (as the window shows them).
        for x, snippet in zip(r.articles, r.article_snippets, strict=True):
            print(f"article {x.id:>6}  {x.title}")
            if snippet.marks:
                print(f"                {snippet.text}")
        for c, snippet in zip(r.comments, r.comment_snippets, strict=True):
            print(f"comment {c.id:>6}  {snippet.text}")
    return 0


def cmd_moderate(s: Services, a: argparse.Namespace) -> int:
    actor = a.actor or current_user()
    if a.action == "auto":
        if a.ids:
            raise UserError("`moderate auto` works on the whole pending queue; give no ids")
        summary = s.moderation.auto()
        if a.json:
            _print_json(asdict(summary))
        else:
            print(
                f"checked {summary.checked}: {summary.approved} approved, {summary.held} held, "
                f"{summary.spam} spam, {summary.trash} trash"
            )
        return 0
    if a.action == "undo":
        result = s.moderation.undo(actor=actor)
        if result is None:
            raise UserError(f"nothing to undo for {actor}")
        rows = list(result.rows)
    else:
        if not a.ids:
            raise UserError(f"`moderate {a.action}` needs at least one comment id")
        rows = list(s.moderation.act(a.ids, a.action, actor=actor, reason=a.reason).rows)
    if a.json:
        _print_json([_comment_json(r) for r in rows])
    else:
        for r in rows:
            print(f"comment {r.id} is {r.status}")
    return 0


def _parse_since(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        since = datetime.fromisoformat(value)
    except ValueError:
        raise UserError(f"--since {value!r} is not an ISO date such as 2026-11-27") from None
    return since if since.tzinfo else since.replace(tzinfo=UTC)


def cmd_audit(s: Services, a: argparse.Namespace) -> int:
    since = _parse_since(a.since)
    if a.report:
        report = s.moderation.report(since=since)
        if a.json:
            _print_json([asdict(r) for r in report])
        else:
            for r in report:
                print(f"{r.day}  {r.actor:<16} {r.action:<8} {r.count:>6}")
        return 0
    entries = s.moderation.audit(comment_id=a.comment, since=since)
    if a.csv:
        sys.stdout.write(s.moderation.audit_csv(entries))
    elif a.json:
        _print_json(
            [
                {
                    "id": e.id,
                    "comment_id": e.comment_id,
                    "who": e.actor,
                    "when": _iso(e.at),
                    "action": e.action,
                    "from": e.from_status,
                    "to": e.to_status,
                    "why": e.reason,
                    "undone": e.undone,
                }
                for e in entries
            ]
        )
    else:
        for e in entries:
            print(
                f"{e.at:%Y-%m-%d %H:%M:%S}  {e.actor:<16} #{e.comment_id:<7} "
                f"{e.from_status:>8} → {e.to_status:<8} {e.reason}"
            )
    return 0


_ACTION_OF_STATUS = {"approved": "approve", "pending": "hold", "spam": "spam", "trash": "trash"}


def cmd_score(s: Services, _a: argparse.Namespace) -> int:
    from editor_app.moderation.rules import Facts, decide

    rules, _ = s.moderation.rules()
    batch: list[str] = []
    # What json.dumps(..., ensure_ascii=False) builds on every call, built once.
    encode = json.JSONEncoder(ensure_ascii=False).encode
    write = sys.stdout.write

    def flush() -> None:
        for text, result in zip(batch, s.moderation.score_texts(batch), strict=True):
            decision = decide(
                Facts(
                    body=text,
                    score=result.score,
                    score_reasons=tuple((r.label, r.text, r.start, r.end) for r in result.reasons),
                ),
                rules,
            )
            reasons = [f"{r.label}: {r.text}" for r in result.reasons] + [
                x for x in decision.reasons if not x.startswith("score ")
            ]
            line = encode(
                {
                    "score": round(result.score, 4),
                    "action": _ACTION_OF_STATUS[decision.status],
                    "reasons": list(dict.fromkeys(reasons)),
                }
            )
            write(line + "\n")
        sys.stdout.flush()
        batch.clear()

    for line in sys.stdin:
        batch.append(line.rstrip("\n"))
        if len(batch) >= 512:
            flush()
    flush()
    return 0


def cmd_authors(s: Services, a: argparse.Namespace) -> int:
    if a.authors_action == "merge":
        take = tuple(x.strip() for x in a.take.split(",") if x.strip())
        r = s.authors.merge(a.keep_id, a.other_id, take=take, actor=a.actor or current_user())
        if a.json:
            _print_json(asdict(r))
        else:
            print(
                f"merged author {r.merged_id} into {r.kept_id}: {r.moved_bylines} byline(s) "
                f"moved; undo with `editor-app authors unmerge {r.merge_id}`"
            )
    elif a.authors_action == "unmerge":
        d = s.authors.undo_merge(a.merge_id)
        if a.json:
            _print_json({"id": d.id, "name": d.name, "articles": [x.id for x in d.articles]})
        else:
            print(f"restored author {d.id} ({d.name}) with {len(d.articles)} article(s)")
    elif a.authors_action == "page":
        target = s.files.write(a.output, s.exports.author_page(a.id))
        print(f"author page written: {target}")
    else:
        d = s.authors.set_photo(a.id, s.files.read(a.path))
        print(f"photo set for {d.name}")
    return 0


def cmd_articles(s: Services, a: argparse.Namespace) -> int:
    actor = a.actor or current_user()
    if a.articles_action == "delete" and a.permanently:
        title = s.articles.delete_for_good(a.id)
        print(f"“{title}” was deleted permanently, with its comments")
        return 0
    if a.articles_action == "delete":
        row = s.articles.delete(a.id, actor=actor)
        print(
            f"“{row.title}” is in the Trash (editor-app articles restore {row.id} brings it back)"
        )
        return 0
    if a.articles_action == "restore":
        row = s.articles.restore(a.id, actor=actor)
        print(f"“{row.title}” is back from the Trash")
        return 0
    d = s.articles.set_status(a.id, a.status, actor=actor)
    print(f"“{d.title}” is now {d.status}")
    return 0


def cmd_revisions(s: Services, a: argparse.Namespace) -> int:
    s.articles.detail(a.id)  # a clear error for an unknown article
    revs = s.articles.revisions(a.id)
    if a.json:
        _print_json(
            [
                {"id": r.id, "saved_at": _iso(r.saved_at), "saved_by": r.saved_by, "note": r.note}
                for r in revs
            ]
        )
    else:
        for r in revs:
            print(f"{r.id:>6}  {r.saved_at:%Y-%m-%d %H:%M}  {r.saved_by:<12} {r.note}")
    return 0


def cmd_diff(s: Services, a: argparse.Namespace) -> int:
    diffs = s.editor.diff(a.id, a.rev_a, a.rev_b)
    if a.json:
        _print_json(
            [
                {
                    "field": d.field,
                    "ops": [
                        {"kind": o.kind, "text": o.text} | ({"note": o.note} if o.note else {})
                        for o in d.ops
                    ],
                }
                for d in diffs
            ]
        )
        return 0
    if not diffs:
        print("the two revisions are the same")
    for d in diffs:
        print(f"== {d.field}")
        parts = []
        for op in d.ops:
            if op.kind == "equal":
                parts.append(op.text)
            elif op.kind == "delete":
                parts.append(f"[-{op.text}-]")
            elif op.kind == "format":
                parts.append(f"{{~{op.text}~}}[{op.note}]")
            else:
                parts.append(f"{{+{op.text}+}}")
        print("".join(parts))
    return 0


def _autosave_json(draft: Any) -> dict[str, Any]:
    return {
        "draft_key": draft.draft_key,
        "title": draft.title,
        "dek": draft.dek,
        "body_html": draft.body_html,
        "status": draft.status,
        "tags": list(draft.tags),
    }


def cmd_export(s: Services, a: argparse.Namespace) -> int:
    if a.all == bool(a.ids):
        raise UserError("name the articles to export, or give --all")
    ids = s.exports.all_ids() if a.all else list(a.ids)
    pdf = None
    if a.format == "pdf":
        from editor_app.workers.pdf import write_pdf  # Qt loads only for PDF

        def pdf(data: Any, path: Path) -> None:
            write_pdf(data, path, page_size=a.page_size)

    written = s.exports.export(
        ids, a.format, a.output, pdf=pdf, site_url=a.site_url, progress=_terminal_progress()
    )
    for path in written[:20]:
        print(f"wrote {path}")
    if len(written) > 20:
        print(f"... and {len(written) - 20} more")
    return 0


def _terminal_progress() -> Callable[[int, int, str], None] | None:
    if not sys.stderr.isatty():
        return None

    def progress(done: int, total: int, msg: str) -> None:
        width = 30
        if total:
            filled = width * done // max(total, 1)
            bar = "#" * filled + "-" * (width - filled)
            sys.stderr.write(f"\r[{bar}] {done}/{total} {msg[:40]:<40}")
        else:
            sys.stderr.write(f"\r{done} done {msg[:50]:<50}")
        if total and done >= total:
            sys.stderr.write("\n")

    return progress


def _cmd_site(s: Services, a: argparse.Namespace) -> int:
    from editor_app.cli_site import cmd_site

    return cmd_site(s, a)


class _LeanList:
    """What `cmd_list` asks of the services for articles and comments, answered by the
    store's lean SQLite read path (`store.lean`): no SQLAlchemy to import."""

    def __init__(self, lean: LeanStore):
        self.articles = self.editor = self.comments = self
        self._lean = lean

    def page(self, *args: Any, status: str | None = None, **kw: Any) -> Any:
        from types import SimpleNamespace

        rows: list[Any]
        if args:  # comments.page(CommentFilter(status=..., article_id=...), limit=...)
            flt = args[0]
            rows = self._lean.comments(
                status=flt.status, article_id=flt.article_id, limit=kw["limit"]
            )
        else:
            rows = self._lean.articles(status=status, limit=kw["limit"], trash=kw["trash"])
        return SimpleNamespace(rows=rows)

    def unsaved_new(self) -> tuple[()]:
        return ()  # `_lean_list` took the ordinary path where there is any


def _lean_list(args: argparse.Namespace) -> int | None:
    """`list articles` / `list comments` through the lean read path where the store is a
    current SQLite file; None where the ordinary path must answer."""
    from editor_app.store.lean import LeanStore, resolve_url

    lean = LeanStore.open(resolve_url(args.db))
    if lean is None:
        return None
    with lean:
        if args.what == "articles" and lean.has_unsaved_new():
            return None
        return cmd_list(cast("Services", _LeanList(lean)), args)


def main(argv: Sequence[str] | None = None) -> int:
    words = list(sys.argv[1:] if argv is None else argv)
    command, version = _scan(words)
    if version:  # before any parser is built
        _print_version()
        return 0
    args = build_parser({command} if command else ()).parse_args(words)
    if args.command is None:
        from editor_app.app import run_gui  # Qt loads only for the window

        return run_gui(args.db)
    db: Database | None = None
    try:
        if args.command == "list" and args.what in ("articles", "comments"):
            done = _lean_list(args)
            if done is not None:
                return done
        from editor_app.store.database import Database

        db = Database(args.db)
        if args.command == "db":
            if args.action == "status":
                from editor_app.store.migrate import current_revision, head_revision

                print(f"store: {db.describe()}")
                print(f"schema: {current_revision(db.engine)} (newest {head_revision()})")
            else:
                print(f"schema up to date in {db.describe()}")
            return 0
        if args.command == "backup":
            print(f"backup written: {db.backup(args.path)}")
            return 0
        if args.command == "restore":
            counts = db.restore(args.path)
            print(
                f"restored {counts.get('articles', 0)} articles, {counts.get('authors', 0)} "
                f"authors, {counts.get('comments', 0)} comments into {db.describe()}"
            )
            return 0
        services = cast("Services", _LazyServices(db.uow))
        if args.command in ("quotes", "style"):
            from editor_app.cli_desk import run as run_desk

            return run_desk(services, args)
        handler = {
            "import": cmd_import,
            "list": cmd_list,
            "show": cmd_show,
            "search": cmd_search,
            "moderate": cmd_moderate,
            "audit": cmd_audit,
            "score": cmd_score,
            "authors": cmd_authors,
            "articles": cmd_articles,
            "revisions": cmd_revisions,
            "diff": cmd_diff,
            "export": cmd_export,
            "site": _cmd_site,
        }[args.command]
        return handler(services, args)
    except (UserError, Cancelled) as exc:
        message = str(exc).splitlines()[0] if str(exc) else exc.__class__.__name__
        print(f"error: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("error: interrupted; nothing was changed", file=sys.stderr)
        return 1
    except BrokenPipeError:
        # The reader (`| head`) went away: not an error of ours.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        if db is not None:
            db.dispose()
