"""The copy desk's checks: the quote ledger and the house style (prints, no asserts).

    .venv/bin/python bench/bench_desk.py

Figures: the ledger and the style report of the seed page, and of a long piece (the seed's
body twenty times, ~520 paragraphs); the style check of one paragraph (what the editor runs
on each changed block as you type) and of one cold paragraph after a sheet change.
Targets: one paragraph < 16 ms (a keystroke's frame), a 10,000-word piece < 1 s off the GUI
thread.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from editor_app.copydesk.quotes import find_quotes
from editor_app.copydesk.style import check_body, check_paragraph, default_sheet_text, parse_sheet
from editor_app.formats.pagedump import parse_page

SEED = Path(__file__).resolve().parents[2] / "shared" / "seed" / "000_737975484842bf06.txt"


def best_ms(fn: Callable[[], object], runs: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return min(times), statistics.median(times)


def main() -> None:
    if not SEED.is_file():
        print(f"the seed page is not here ({SEED}); it lives in ../shared beside the repo")
        return
    body = parse_page(SEED.read_text(encoding="utf-8")).body_html
    long_body = body * 20
    sheet = parse_sheet(default_sheet_text())
    check_paragraph("warm up proselint's word lists", sheet)
    words = len(" ".join(b for b in long_body.split()).split())
    rows = [
        ("quote ledger, seed (26 paragraphs)", lambda: find_quotes(body)),
        (f"quote ledger, long piece (~{words:,} words)", lambda: find_quotes(long_body)),
        ("style report, seed", lambda: check_body(body, sheet)),
        ("style report, long piece", lambda: check_body(long_body, sheet)),
    ]
    para = (
        "\u201cWe coordinate every step with Azerbaijan. Whether Armenia likes it or not, "
        "this is the reality,\u201d Cavusoglu told Turkish state television on July 21."
    )
    rows.append(("style check, one paragraph", lambda: check_paragraph(para, sheet)))
    print(f"{'what':<44} {'best ms':>9} {'median ms':>10}")
    for name, fn in rows:
        best, median = best_ms(fn)
        print(f"{name:<44} {best:>9.1f} {median:>10.1f}")
    print(f"quotations found: seed {len(find_quotes(body))}, long {len(find_quotes(long_body))}")


if __name__ == "__main__":
    main()
