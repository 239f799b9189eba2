"""The copy desk's commands: `quotes` (the quote ledger) and `style` (the house style report).

Hooked into cli.py by `DESK_HELP`, the `add_*_arguments` and `run`; the output of `--json`
is stable.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from editor_app.domain.errors import UserError
from editor_app.domain.identity import current_user

# The services (SQLAlchemy) load when a command runs, not for `--help`.
if TYPE_CHECKING:
    from editor_app.services.container import Services
    from editor_app.services.quotes import Flag, Quote
    from editor_app.services.style import Issue, StyleReport

COMMANDS = ("quotes", "style")


DESK_HELP = {
    "quotes": "the quote ledger of an article: speakers, verbs, dates",
    "style": "the house style report of an article, or of every article in a status",
}


def add_quotes_arguments(q: argparse.ArgumentParser) -> None:
    q.add_argument("id", type=int)
    out = q.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true")
    out.add_argument("--csv", action="store_true", help="a CSV for the fact-checker")


def add_style_arguments(st: argparse.ArgumentParser) -> None:
    st.add_argument("id", type=int, nargs="?")
    st.add_argument("--status", help="every article in this workflow status")
    st.add_argument("--print-sheet", action="store_true", help="print the store's style sheet")
    st.add_argument("--load-sheet", type=Path, metavar="FILE", help="replace the style sheet")
    st.add_argument("--as", dest="actor", default="")
    st.add_argument("--json", action="store_true")


def run(s: Services, a: argparse.Namespace) -> int:
    return cmd_quotes(s, a) if a.command == "quotes" else cmd_style(s, a)


def _flag_json(f: Flag) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": f.kind, "message": f.message}
    if f.by:
        out["by"] = f.by
    if f.article_id is not None:
        out["article_id"] = f.article_id
    if f.old_text:
        out["old_text"] = f.old_text
    return out


def quote_json(q: Quote) -> dict[str, Any]:
    return {
        "text": q.text,
        "speaker": q.speaker,
        "verb": q.verb,
        "date": q.date,
        "paragraph": q.paragraph,
        "flags": [_flag_json(f) for f in q.flags],
        "occasion": q.occasion,
        "link": q.link,
        "kind": q.kind,
        "split": q.split,
        "nested": list(q.nested),
        "start": q.start,
        "end": q.end,
    }


CSV_COLUMNS = ("paragraph", "text", "speaker", "verb", "date", "occasion", "link", "flags")


def cmd_quotes(s: Services, a: argparse.Namespace) -> int:
    ledger = s.quotes.ledger(a.id)
    if a.json:
        json.dump([quote_json(q) for q in ledger.quotes], sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if a.csv:
        w = csv.writer(sys.stdout, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        for q in ledger.quotes:
            w.writerow(
                [
                    q.paragraph,
                    q.text,
                    q.speaker or "",
                    q.verb or "",
                    q.date or "",
                    q.occasion or "",
                    q.link or "",
                    "; ".join(f"{f.kind}: {f.message}" for f in q.flags),
                ]
            )
        return 0
    print(f"“{ledger.title}”: {len(ledger.quotes)} quotations")
    for q in ledger.quotes:
        who = q.speaker or "?"
        when = f", {q.date}" if q.date else ""
        text = q.text if len(q.text) <= 70 else q.text[:67] + "..."
        print(f"¶{q.paragraph:<3} {who} ({q.verb or '-'}{when}): “{text}”")
        for f in q.flags:
            print(f"      ! {f.kind}: {f.message}")
    return 0


def issue_json(i: Issue) -> dict[str, Any]:
    return {
        "rule": i.rule,
        "paragraph": i.paragraph,
        "start": i.start,
        "end": i.end,
        "text": i.text,
        "message": i.message,
        "fixes": list(i.fixes),
        "level": i.level,
    }


def report_json(r: StyleReport) -> dict[str, Any]:
    return {
        "article_id": r.article_id,
        "title": r.title,
        "status": r.status,
        "issues": [issue_json(i) for i in r.issues],
        "ignored": r.ignored,
    }


def _print_report(r: StyleReport) -> None:
    ignored = f", {r.ignored} ignored" if r.ignored else ""
    print(f"{r.article_id:>6}  “{r.title}” ({r.status}): {len(r.issues)} findings{ignored}")
    for i in r.issues:
        fix = f" → {i.fixes[0]}" if i.fixes else ""
        print(f"        ¶{i.paragraph:<3} {i.rule:<12} “{i.text}”{fix}  {i.message}")


def cmd_style(s: Services, a: argparse.Namespace) -> int:
    chosen = [x for x in (a.id is not None, a.status, a.print_sheet, a.load_sheet) if x]
    if len(chosen) != 1:
        raise UserError("give one of: an article id, --status STATUS, --print-sheet, --load-sheet")
    if a.print_sheet:
        sys.stdout.write(s.style.sheet_info().text)
        return 0
    if a.load_sheet:
        try:
            text = a.load_sheet.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UserError(f"cannot read {a.load_sheet}: {exc}") from exc
        info = s.style.save_sheet(text, actor=a.actor or current_user())
        print(f"house style sheet saved (version {info.version})")
        return 0
    if a.status:
        reports = list(s.style.reports_in_status(a.status))
        if a.json:
            json.dump([report_json(r) for r in reports], sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
        else:
            for r in reports:
                _print_report(r)
        return 0
    report = s.style.report(a.id)
    if a.json:
        json.dump(report_json(report), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_report(report)
    return 0
