"""The copy desk's commands: `quotes` (the quote ledger) and `style` (the house style report).

Hooked into cli.py by `add_parsers` and `run`; the output of `--json` is stable.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from typing import Any

from editor_app.services.container import Services
from editor_app.services.quotes import Flag, Quote

COMMANDS = ("quotes",)


def add_parsers(sub: Any) -> None:
    q = sub.add_parser("quotes", help="the quote ledger of an article: speakers, verbs, dates")
    q.add_argument("id", type=int)
    out = q.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true")
    out.add_argument("--csv", action="store_true", help="a CSV for the fact-checker")


def run(s: Services, a: argparse.Namespace) -> int:
    return cmd_quotes(s, a)


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
