"""How fast the comment scorer is: in process, against the old scorer, and `editor-app score`.

    python bench/bench_scorer.py [--comments 10000] [--runs 5] [--no-cli]

* In process: ``Scorer().score_many`` (the learned model, the word-list layer, their
  combination, the reasons of every comment that scores 0.4 or more) and the old scorer
  (``Scorer(learned=False)``: the packaged alt-profanity-check model and the layer) on the same
  comments, in turn, ``--runs`` times each; the best CPU time of each and their ratio. Comments:
  10,000 of 20-150 words built from ``bench/data/labelled_comments.csv``
  (``moderation_eval.build_comments``): one labelled comment padded with civil ones ("typical")
  and comments of one label only ("dense", a worst case for the reasons).
* ``editor-app score`` as a user runs it (a child process on a fresh SQLite store, comments on
  stdin, JSON lines out): its CPU time for all the comments less its CPU time for one comment
  (start-up: imports, the store, loading the model), so comments per CPU second after
  start-up.

Both are CPU time (the machine is shared; wall clock is printed beside it). The load average
is printed with the figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

from moderation_eval import build_comments  # noqa: E402

from editor_app.moderation.scorer import Scorer  # noqa: E402


def best_cpu(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Best CPU and wall seconds of runs calls."""
    cpu, wall = [], []
    for _ in range(runs):
        t0, c0 = time.perf_counter(), time.process_time()
        fn()
        cpu.append(time.process_time() - c0)
        wall.append(time.perf_counter() - t0)
    return min(cpu), min(wall)


def in_process(texts: Sequence[str], runs: int) -> tuple[float, float]:
    """Comments per CPU second of the scorer and of the old scorer, measured in turn."""
    new, old = Scorer(), Scorer(learned=False)
    new.score_many(texts[:500])  # warm the caches of both
    old.score_many(texts[:500])
    times: dict[str, list[tuple[float, float]]] = {"new": [], "old": []}
    for _ in range(runs):  # alternate, so that both see the same load
        times["new"].append(best_cpu(lambda: new.score_many(texts), 1))
        times["old"].append(best_cpu(lambda: old.score_many(texts), 1))
    best = {k: min(v) for k, v in times.items()}
    return len(texts) / best["new"][0], len(texts) / best["old"][0]


def cli_cpu(texts: Sequence[str], db_url: str) -> tuple[float, float, int]:
    """CPU and wall seconds of one `editor-app score` child over texts; lines out."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "editor_app", "--db", db_url, "score"],
        input="".join(t.replace("\n", " ") + "\n" for t in texts),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, proc.stdout.count("\n")


def cli(texts: Sequence[str], runs: int) -> tuple[float, float, float]:
    """`editor-app score`: comments per CPU second after start-up, start-up CPU seconds,
    comments per wall second after start-up."""
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        cli_cpu(texts[:1], db_url)  # creates and migrates the store
        startup = min(cli_cpu(texts[:1], db_url)[:2] for _ in range(runs))
        full = []
        for _ in range(runs):
            cpu, wall, lines = cli_cpu(texts, db_url)
            assert lines == len(texts), (lines, len(texts))
            full.append((cpu, wall))
        cpu, wall = min(full)
    n = len(texts) - 1
    return n / max(cpu - startup[0], 1e-9), startup[0], n / max(wall - startup[1], 1e-9)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--comments", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-cli", action="store_true", help="skip `editor-app score`")
    args = ap.parse_args(argv)
    print(f"load average at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"{args.comments:,} comments of 20-150 words; best of {args.runs}; per CPU second")
    for name, dense in (("typical", False), ("dense", True)):
        texts = build_comments(args.comments, dense)
        new, old = in_process(texts, args.runs)
        print(
            f"  Scorer().score_many, {name:8s} {new:7,.0f} comments/s   old scorer "
            f"{old:7,.0f}   ratio {new / old:.2f}"
        )
    if not args.no_cli:
        texts = build_comments(args.comments, False)
        rate, startup, wall_rate = cli(texts, max(2, args.runs // 2))
        print(
            f"  editor-app score, typical  {rate:7,.0f} comments/s after start-up "
            f"({wall_rate:,.0f} per wall second); start-up {startup:.2f} CPU s"
        )
    print(f"load average at end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
