"""Store and command-line figures on a generated newsroom of 1,000,000 comments.

    python bench/bench_store.py [--db URL] [--runs 7]

Without ``--db`` it uses bench/out/newsroom-2000a-1000000c-s1.sqlite3, generating it the
first time (about two minutes). Prints figures, asserts nothing.

"cold" is the first call in a fresh process (new engine, empty SQLite page cache, empty
SQLAlchemy statement cache; the OS file cache is whatever it is, normally warm); "warm" is
the median of repeated calls in one process.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

from benchlib import (
    PYTHON,
    ROOT,
    TREE_ENV,
    RunFailed,
    Sample,
    Table,
    app_command,
    clean_env,
    ensure_store,
    load_generator,
    ms,
    process_time,
    timed,
    tree_of,
    tree_prelude,
)

from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter
from editor_app.store.database import Database

COLD_SNIPPET = """
import json, sys, time
from editor_app.services.container import Services
from editor_app.services.dto import CommentFilter
from editor_app.store.database import Database
t0 = time.perf_counter()
db = Database(sys.argv[1])
s = Services.build(db.uow)
t1 = time.perf_counter()
page = s.comments.page(CommentFilter(status=sys.argv[2] or None, newest_first=True))
t2 = time.perf_counter()
print(json.dumps({"open": t1 - t0, "page": t2 - t1, "rows": len(page.rows)}))
"""


def search_words() -> tuple[str, ...]:
    """A very common word, a middling one and a rare one of generate.py's vocabulary."""
    return ("the", "council", load_generator().INVENTED[-1])


def cold_first_page(url: str, status: str, runs: int) -> tuple[Sample, Sample]:
    opened, paged = Sample(), Sample()
    for _ in range(runs):
        proc = subprocess.run(
            [PYTHON, "-c", tree_prelude() + COLD_SNIPPET, url, status],
            capture_output=True,
            text=True,
            env=clean_env(),
            cwd=ROOT,
            check=True,
        )
        data = json.loads(proc.stdout.strip().splitlines()[-1])
        opened.values.append(data["open"])
        paged.values.append(data["page"])
    return opened, paged


def fts_matches(db: Database, word: str) -> int:
    """Comments the search matches (the whole word, as the app's search without a `*`)."""
    if db.dialect == "sqlite":
        sql, arg = "SELECT count(*) FROM comments_fts WHERE comments_fts MATCH ?", f'"{word}"'
    else:
        sql = "SELECT count(*) FROM comments WHERE search_tsv @@ to_tsquery('simple', %s)"
        arg = word
    with db.engine.connect() as conn:
        return int(conn.exec_driver_sql(sql, (arg,)).scalar_one())


def raw_fts(db: Database, word: str, runs: int) -> Sample:
    """The baseline of a search: the engine's own full-text query for the newest 50 matches
    (ids only, no ranking, no rows), through the raw driver."""
    if db.dialect == "sqlite":
        sql = (
            "SELECT rowid FROM comments_fts WHERE comments_fts MATCH ? ORDER BY rowid DESC LIMIT 50"
        )
        arg = f'"{word}"'
    else:
        sql = (
            "SELECT id FROM comments WHERE search_tsv @@ to_tsquery('simple', %s) "
            "ORDER BY id DESC LIMIT 50"
        )
        arg = word
    with db.engine.connect() as conn:
        sample, _ = timed(lambda: conn.exec_driver_sql(sql, (arg,)).all(), runs, warmup=1)
    return sample


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--db", metavar="URL", help="an existing generated store (default: bench/out)")
    p.add_argument("--runs", type=int, default=7, help="repeats of each in-process figure")
    p.add_argument("--process-runs", type=int, default=5, help="repeats of each process figure")
    p.add_argument("--deep", type=int, default=50, help="fetchMore steps before the deep page")
    p.add_argument(
        "--rows",
        choices=["all", "search-cli"],
        default="all",
        help="search-cli: only the searches and the command line (issue 14's rows)",
    )
    p.add_argument(
        "--compare-rev",
        metavar="REV",
        help="run this bench on git revision REV's tree too, right after this tree's",
    )
    a = p.parse_args()
    url = a.db or ensure_store()
    runs, pruns = a.runs, a.process_runs
    if a.compare_rev:
        argv = [x for x in sys.argv[1:] if not x.startswith("--compare-rev")]
        if a.compare_rev in argv:
            argv.remove(a.compare_rev)
        for label, env in (
            ("this tree", clean_env()),
            (a.compare_rev, clean_env(**{TREE_ENV: str(tree_of(a.compare_rev))})),
        ):
            print(f"== {label} ==", flush=True)
            subprocess.run([PYTHON, __file__, *argv], env=env, cwd=ROOT, check=True)
        return 0

    db = Database(url)
    s = Services.build(db.uow)
    table = Table("figure", "median", "min", "max", "runs", "note")

    def row(name: str, sample: Sample, note: str = "") -> None:
        table.add(
            name, ms(sample.median), ms(sample.low), ms(sample.high), len(sample.values), note
        )

    totals = s.comments.counts()
    n_comments = sum(totals.values())
    print(f"store: {db.describe()}  ({n_comments:,} comments, {s.articles.count():,} articles)")
    print("comments by status: " + ", ".join(f"{k} {v:,}" for k, v in totals.items()))
    print()

    if a.rows == "all":
        # The Pending queue: what the moderation page shows first.
        opened, cold = cold_first_page(url, "pending", pruns)
        row("open store (Database + migrate check)", opened, "fresh process")
        row("Pending, first page (200), cold", cold, "first query in a fresh process")
        pending = CommentFilter(status="pending")
        warm, page = timed(lambda: s.comments.page(pending), runs, warmup=1)
        row("Pending, first page (200), warm", warm, f"{len(page.rows)} rows")

        # fetchMore, as the view scrolls: 50 pages on, then the next page again and again.
        steps = Sample()
        cursor = None
        for _ in range(a.deep):
            t = time.perf_counter()
            page = s.comments.page(pending, after=cursor)
            steps.values.append(time.perf_counter() - t)
            cursor = page.next_cursor
            if cursor is None:
                break
        row(f"Pending, fetchMore steps 1-{len(steps.values)}", steps, "each step one page")
        if cursor is not None:
            deep, page = timed(lambda: s.comments.page(pending, after=cursor), runs, warmup=1)
            row(
                f"Pending, page {len(steps.values) + 1} (keyset), warm",
                deep,
                f"{len(page.rows)} rows",
            )

        # Other queues the window offers.
        for label, flt in (
            ("All statuses, first page, newest first", CommentFilter()),
            ("All statuses, first page, oldest first", CommentFilter(newest_first=False)),
            ("Spam, first page", CommentFilter(status="spam")),
        ):
            sample, page = timed(lambda flt=flt: s.comments.page(flt), max(3, runs // 2), warmup=1)
            row(label, sample, f"{len(page.rows)} rows")

        sample, _ = timed(s.comments.counts, runs, warmup=1)
        row("count by status (GROUP BY)", sample, "4 queues")
        sample, _ = timed(s.counts, runs, warmup=1)
        row("Services.counts() (window start)", sample, "articles, authors, comments")
        sample, _ = timed(lambda: s.articles.page(limit=200), runs, warmup=1)
        row("articles, first page (200)", sample, "with comment counts")

    for word in search_words():
        note = f"{fts_matches(db, word):,} matching comments"
        raw = raw_fts(db, word, runs)
        row(f"raw full-text query {word!r} (baseline)", raw, note + "; newest 50 ids")
        flt = CommentFilter(search=word)
        sample, page = timed(lambda flt=flt: s.comments.page(flt), max(3, runs // 2), warmup=1)
        row(
            f"comment queue search {word!r}",
            sample,
            f"x{sample.median / raw.median:.1f} the baseline; {len(page.rows)} rows",
        )
        sample, res = timed(lambda w=word: s.search.search(w), max(3, runs // 2), warmup=1)
        row(
            f"search box {word!r} (SearchService)",
            sample,
            f"x{sample.median / raw.median:.1f} the baseline; {len(res.articles)} articles, "
            f"{len(res.comments)} comments",
        )
    db.dispose()

    # Whole processes, as scripts use the command line. An installed package has its
    # bytecode compiled; here (PYTHONDONTWRITEBYTECODE is often set) it is compiled first,
    # or each process would compile the app's modules again (~50 ms).
    app_root = os.environ.get(TREE_ENV) or str(ROOT)
    subprocess.run(
        [PYTHON, "-m", "compileall", "-q", f"{app_root}/editor_app"], check=True, env=clean_env()
    )
    base = [*app_command(), "--db", url]
    bare = process_time([PYTHON, "-c", "pass"], pruns)
    row('python -c "pass" (baseline)', bare, "x1.0")
    for name, argv in (
        ("python -c 'import editor_app.cli'", [PYTHON, "-c", "import editor_app.cli"]),
        *(
            ("CLI " + " ".join(args), [*base, *args])
            for args in (
                ["--help"],
                ["--version"],
                ["list", "bogus"],
                ["list", "articles", "--limit", "20", "--json"],
                ["list", "articles", "--json", "--limit", "50"],
                ["list", "comments", "--limit", "50", "--json"],
                ["list", "comments", "--status", "pending", "--limit", "50", "--json"],
            )
        ),
    ):
        try:
            sample = process_time(argv, pruns, expect=2 if "bogus" in argv else 0)
        except RunFailed as exc:
            table.add(name, "-", "-", "-", 0, f"FAILED, {exc}")
            continue
        row(name, sample, f"x{sample.median / bare.median:.1f} of bare python")

    print(table.render())
    return 0


if __name__ == "__main__":
    sys.exit(main())
