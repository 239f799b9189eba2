"""How fast the comment scorer is: in process, against the old scorer, and `editor-app score`.

    python bench/bench_scorer.py [--comments 10000] [--runs 5] [--no-cli]
                                 [--compare-rev REV | --before TREE] [--check-only]
                                 [--write-fixture] [--quality | --quality-only]

* In process: ``Scorer().score_many`` (the learned model, the word-list layer, their
  combination, the reasons of every comment that scores 0.4 or more) and the old scorer
  (``Scorer(learned=False)``: the packaged alt-profanity-check model and the layer) on the same
  comments, in turn, ``--runs`` times each; the best CPU time of each and their ratio. Comments:
  10,000 of 20-150 words built from ``bench/data/labelled_comments.csv``
  (``moderation_eval.build_comments``): one labelled comment padded with civil ones ("typical")
  and comments of one label only ("dense", a worst case for the reasons).
* ``editor-app score`` as a user runs it, on typical and on dense comments (a child process
  on a fresh SQLite store, comments on stdin, JSON lines out): its CPU time for all the
  comments less its CPU time for one comment (start-up: imports, the store, loading the
  model), so comments per CPU second after start-up.

Both are CPU time (the machine is shared; wall clock is printed beside it). The load average
is printed with the figures.

Against an earlier version (``--compare-rev main`` exports that revision with ``git archive``;
``--before TREE`` takes a checkout): first a check that both give the same results on the
equality sets (:func:`equality_sets`: every ``bench/data/*.csv`` comment, the seed page's
comments, typical and dense bench comments and, if ``../shared`` is there, a fixed sample of
each training source): scores within 1e-9, the same held decisions and the same reasons
(label, words, span, weight); then ``score_many`` of both on the same comments, measured in
turn (the earlier one in a child process), and their ratio. ``--check-only`` stops after the
check. ``--write-fixture`` writes the results of this tree on the equality sets to
:data:`FIXTURE` (no comment text: a hash of each, and reasons without their words), which
``tests/unit/test_scorer_same.py`` compares the scorer with. ``--no-check`` times both trees
even where their results differ (a change meant to change them).

``--quality`` prints, before any timing, how well each tree holds toxic comments on the
held-out test split (20%, never trained or tuned on) of every training source in ``../shared``
(``bench/train_scorer.py``'s split; the madlibs templates capped at 3,000), and on the
project's news threads (``bench/data/news_threads.csv``): precision, recall and F1 of "held"
(score >= the threshold) against the label, the share of non-toxic comments held and the
ROC AUC of the score; with
``--compare-rev`` or ``--before``, the earlier tree's figures beside them, from the same run.
``--quality-only`` stops after them.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import os
import random
import re
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

from moderation_eval import build_comments, roc_auc  # noqa: E402

from editor_app.moderation.scorer import DEFAULT_THRESHOLD, Scorer, ScoreResult  # noqa: E402

SHARED = ROOT.parent / "shared"
SEED = SHARED / "seed" / "000_737975484842bf06.txt"
TRAIN = SHARED / "testdata" / "moderation" / "train"
FIXTURE = ROOT / "tests" / "unit" / "data" / "scorer_results.json.gz"
TRAIN_SAMPLE = 250  # comments of each training source in the equality sets
TOLERANCE = 1e-9

# One comment's result as plain data: score, model score, reasons (label, words, start, end,
# weight).
Result = tuple[float, float, list[tuple[str, str, int, int, float]]]


def seed_comments() -> list[str]:
    """The seed page's comments (as tests/unit/test_scorer.py reads them), or none."""
    if not SEED.is_file():
        return []
    page = SEED.read_text(encoding="utf-8")
    start, end = page.find("\n  1. "), page.find("Leave a Reply")
    if not 0 < start < end:
        return []
    parts = re.split(r"(?m)^(?:  \d+\.|    \u2022) ", page[start:end])
    return [p.strip() for p in parts if p.strip()]


def train_sample(per_source: int = TRAIN_SAMPLE) -> list[str]:
    """A fixed sample of each training source in ../shared, or none."""
    out: list[str] = []
    if not TRAIN.is_dir():
        return out
    csv.field_size_limit(1 << 24)
    for path in sorted(TRAIN.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            texts = [r["text"] for r in csv.DictReader(f) if r.get("text")]
        out.extend(random.Random(path.name).sample(texts, min(per_source, len(texts))))
    return out


def equality_sets() -> dict[str, list[str]]:
    """The comments the old and the new scorer must score alike, by set."""
    sets: dict[str, list[str]] = {}
    for path in sorted((BENCH / "data").glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        if rows and "template" in rows[0]:  # functional templates: each with a few groups
            groups = ("Muslims", "Armenians", "women", "gay people", "Turks")
            sets[path.name] = [r["template"].format(g=g) for r in rows for g in groups]
        else:
            sets[path.name] = [r["text"] for r in rows]
    sets["seed page"] = seed_comments()
    sets["bench typical"] = build_comments(1500, False)
    sets["bench dense"] = build_comments(500, True)
    sets["training sample"] = train_sample()
    # Edge cases: empty, blank, non-ASCII lower-casing, curly apostrophes, links and money.
    sets["edge cases"] = [
        "",
        "   ",
        "\u0130stanbul\u2019s mayor is a clown; filthy Greeks and criminal Bulgaria.",
        "You\u2019re a complete idiot. Shut up!",
        "Earn $400 a day: http://a.example.xyz and www.b-example.top",
        "\u201cvermin\u201d is what he called them. They should all be shot.",
    ]
    return {k: v for k, v in sets.items() if v}


def as_data(results: Sequence[ScoreResult]) -> list[Result]:
    return [
        (r.score, r.model_score, [(x.label, x.text, x.start, x.end, x.weight) for x in r.reasons])
        for r in results
    ]


def differences(
    texts: Sequence[str], old: Sequence[Result], new: Sequence[Result], limit: int = 10
) -> list[str]:
    """How new differs from old: score beyond TOLERANCE, held decision, reasons."""
    out = []
    for text, a, b in zip(texts, old, new, strict=True):
        why = []
        if abs(a[0] - b[0]) >= TOLERANCE:
            why.append(f"score {a[0]} -> {b[0]}")
        if (a[0] >= DEFAULT_THRESHOLD) != (b[0] >= DEFAULT_THRESHOLD):
            why.append("held decision")
        if abs(a[1] - b[1]) >= TOLERANCE:
            why.append(f"model score {a[1]} -> {b[1]}")
        if [tuple(r) for r in a[2]] != [tuple(r) for r in b[2]]:
            why.append(f"reasons {a[2]} -> {b[2]}")
        if why:
            out.append(f"{text[:70]!r}: " + "; ".join(why))
            if len(out) >= limit:
                break
    return out


def text_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]


def write_fixture(path: Path = FIXTURE) -> int:
    """This tree's results on the equality sets (hashes of the texts, reasons without words)."""
    data = {}
    for name, texts in equality_sets().items():
        data[name] = [
            [text_key(t), score, model, [[lab, a, b, w] for lab, _, a, b, w in reasons]]
            for t, (score, model, reasons) in zip(
                texts, as_data(Scorer().score_many(texts)), strict=True
            )
        ]
    path.parent.mkdir(parents=True, exist_ok=True)
    with gzip.open(path, "wt", encoding="utf-8") as f:
        json.dump(data, f, separators=(",", ":"))
    return sum(len(v) for v in data.values())


# Run by a child python in an earlier tree: its scorer's results or CPU seconds on comments.
CHILD = """
import json, sys, time
tree, mode, path = sys.argv[1:4]
sys.path.insert(0, tree)
import editor_app
assert editor_app.__file__.startswith(tree), (editor_app.__file__, tree)
from editor_app.moderation.scorer import Scorer
with open(path, encoding="utf-8") as f:
    texts = json.load(f)
s = Scorer()
if mode == "dump":
    out = [[r.score, r.model_score, [[x.label, x.text, x.start, x.end, x.weight]
            for x in r.reasons]] for r in s.score_many(texts)]
    json.dump(out, sys.stdout)
else:
    s.score_many(texts[:500])
    c0, t0 = time.process_time(), time.perf_counter()
    s.score_many(texts)
    print(json.dumps([time.process_time() - c0, time.perf_counter() - t0]))
"""


class Tree:
    """An earlier version of the project in a folder; its scorer runs in child processes."""

    def __init__(self, path: Path, tmp: Path) -> None:
        self.path = path.resolve()
        self.tmp = tmp

    def _child(self, mode: str, texts: Sequence[str]) -> str:
        data = self.tmp / "texts.json"
        data.write_text(json.dumps(list(texts)), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        proc = subprocess.run(
            [sys.executable, "-c", CHILD, str(self.path), mode, str(data)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        return proc.stdout

    def results(self, texts: Sequence[str]) -> list[Result]:
        return [
            (s, m, [tuple(r) for r in rs]) for s, m, rs in json.loads(self._child("dump", texts))
        ]  # type: ignore[misc]

    def cpu(self, texts: Sequence[str]) -> tuple[float, float]:
        cpu, wall = json.loads(self._child("time", texts))
        return float(cpu), float(wall)


def export(rev: str, into: Path) -> Path:
    """``git archive rev`` unpacked into a folder (the model file included)."""
    out = into / "tree"
    out.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", rev],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(out)], input=archive, check=True)
    return out


def check_same(tree: Tree) -> bool:
    """The equality check: prints each set's result; True if every set is the same."""
    scorer = Scorer()
    same = True
    for name, texts in equality_sets().items():
        new = as_data(scorer.score_many(texts))
        old = tree.results(texts)
        diff = differences(texts, old, new)
        held = sum(r[0] >= DEFAULT_THRESHOLD for r in new)
        verdict = "DIFFERENT" if diff else "same"
        print(f"  {name:26s} {len(texts):5d} comments, {held:4d} held: {verdict}")
        for line in diff:
            print(f"      {line}")
        same = same and not diff
    return same


def against(tree: Tree, texts: Sequence[str], runs: int) -> tuple[float, float]:
    """Comments per CPU second of this tree's scorer and the earlier one's, measured in turn."""
    new = Scorer()
    new.score_many(texts[:500])
    mine, theirs = [], []
    for _ in range(runs):
        mine.append(best_cpu(lambda: new.score_many(texts), 1)[0])
        theirs.append(tree.cpu(texts)[0])
    return len(texts) / min(mine), len(texts) / min(theirs)


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


def cli_cpu(texts: Sequence[str], db_url: str, root: Path = ROOT) -> tuple[float, float, int]:
    """CPU and wall seconds of one `editor-app score` child over texts (the project in root);
    lines out."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "editor_app", "--db", db_url, "score"],
        input="".join(t.replace("\n", " ") + "\n" for t in texts),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONPATH": str(root)},
    )
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, proc.stdout.count("\n")


def cli(texts: Sequence[str], runs: int, root: Path = ROOT) -> tuple[float, float, float]:
    """`editor-app score` (the project in root): comments per CPU second after start-up,
    start-up CPU seconds, comments per wall second after start-up."""
    with tempfile.TemporaryDirectory() as tmp:
        db_url = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"
        cli_cpu(texts[:1], db_url, root)  # creates and migrates the store
        startup = min(cli_cpu(texts[:1], db_url, root)[:2] for _ in range(runs))
        full = []
        for _ in range(runs):
            cpu, wall, lines = cli_cpu(texts, db_url, root)
            assert lines == len(texts), (lines, len(texts))
            full.append((cpu, wall))
        cpu, wall = min(full)
    n = len(texts) - 1
    return n / max(cpu - startup[0], 1e-9), startup[0], n / max(wall - startup[1], 1e-9)


def quality_sets() -> dict[str, tuple[list[str], list[bool]]]:
    """The held-out test split of each training source, and the news threads: texts, labels."""
    import train_scorer as ts

    out: dict[str, tuple[list[str], list[bool]]] = {}
    if ts.DATA.is_dir():
        for name in ts.SOURCES:
            if name in ts.CALIBRATION_ONLY:
                continue
            texts, labels = ts.load_source(name)
            part = ts.split(name, labels)
            keep = [k for k in range(len(texts)) if part[k] == 2]
            if name == "madlibs_77k_synthetic":
                keep = keep[:3000]
            out[name] = ([texts[k] for k in keep], [labels[k] == 1 for k in keep])
    threads, labels = [], []
    with (BENCH / "data" / "news_threads.csv").open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            threads.append(row["text"])
            labels.append(row["label"] == "uncivil")
    out["news_threads (project)"] = (threads, labels)
    return out


def figures(scores: Sequence[float], positive: Sequence[bool]) -> tuple[float, ...]:
    """Precision, recall, F1 of held against positive; share of negatives held; ROC AUC."""
    held = [s >= DEFAULT_THRESHOLD for s in scores]
    tp = sum(h and p for h, p in zip(held, positive, strict=True))
    fp = sum(h and not p for h, p in zip(held, positive, strict=True))
    n_pos = sum(positive)
    n_neg = len(positive) - n_pos
    precision = tp / max(tp + fp, 1)
    recall = tp / max(n_pos, 1)
    f1 = 2 * precision * recall / max(precision + recall, 1e-12)
    return precision, recall, f1, fp / max(n_neg, 1), roc_auc(scores, positive)


def quality(tree: Tree | None) -> None:
    """Precision, recall and F1 by source on the held-out split: this tree and the earlier."""
    scorer = Scorer()
    print(
        f"Quality on held-out comments (held = score >= {DEFAULT_THRESHOLD}); "
        "P R F1, share of non-toxic held, ROC AUC"
    )
    head = f"  {'source':24s} {'n':>6s}   {'this tree':>34s}"
    if tree is not None:
        head += f"   {'before':>34s}   {'dF1':>6s}"
    print(head)
    totals: list[list[float]] = []
    for name, (texts, positive) in quality_sets().items():
        mine = figures([r.score for r in scorer.score_many(texts)], positive)
        line = f"  {name:24s} {len(texts):6d}   " + " ".join(f"{v:6.3f}" for v in mine)
        row = [*mine]
        if tree is not None:
            theirs = figures([r[0] for r in tree.results(texts)], positive)
            line += "   " + " ".join(f"{v:6.3f}" for v in theirs)
            line += f"   {mine[2] - theirs[2]:+6.3f}"
            row += theirs
        totals.append(row)
        print(line)
    if totals:
        mean = [sum(col) / len(totals) for col in zip(*totals, strict=True)]
        line = f"  {'mean of sources':24s} {'':6s}   " + " ".join(f"{v:6.3f}" for v in mean[:5])
        if tree is not None:
            line += "   " + " ".join(f"{v:6.3f}" for v in mean[5:])
            line += f"   {mean[2] - mean[7]:+6.3f}"
        print(line)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--comments", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--no-cli", action="store_true", help="skip `editor-app score`")
    ap.add_argument("--compare-rev", metavar="REV", help="compare with this git revision")
    ap.add_argument("--before", metavar="TREE", type=Path, help="compare with this checkout")
    ap.add_argument("--check-only", action="store_true", help="the equality check alone")
    ap.add_argument(
        "--no-check", action="store_true", help="time both trees even if their results differ"
    )
    ap.add_argument(
        "--write-fixture", action="store_true", help=f"write {FIXTURE.name} for the test"
    )
    ap.add_argument(
        "--quality",
        action="store_true",
        help="precision, recall and F1 by training source on its held-out split (and before)",
    )
    ap.add_argument("--quality-only", action="store_true", help="the quality figures alone")
    args = ap.parse_args(argv)
    args.quality = args.quality or args.quality_only
    if args.write_fixture:
        print(f"{write_fixture():,} results written to {FIXTURE.relative_to(ROOT)}")
        return 0
    print(f"load average at start {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    if args.compare_rev or args.before:
        with tempfile.TemporaryDirectory() as tmp_name:
            tmp = Path(tmp_name)
            path = args.before or export(args.compare_rev, tmp)
            tree = Tree(path, tmp)
            if args.quality:
                quality(tree)
                if args.quality_only:
                    return 0
            print(f"Same results as {args.compare_rev or args.before} on the equality sets:")
            if not check_same(tree):
                print("RESULTS DIFFER")
                if not args.no_check:
                    return 1
            if args.check_only:
                return 0
            print(
                f"{args.comments:,} comments of 20-150 words; best of {args.runs}; per CPU second"
            )
            for name, dense in (("typical", False), ("dense", True)):
                texts = build_comments(args.comments, dense)
                new, old = against(tree, texts, args.runs)
                print(
                    f"  Scorer().score_many, {name:8s} {new:7,.0f} comments/s   before "
                    f"{old:7,.0f}   ratio {new / old:.2f}"
                )
            if not args.no_cli:
                runs = max(2, args.runs // 2)
                for kind, dense in (("typical", False), ("dense", True)):
                    texts = build_comments(args.comments, dense)
                    for name, root in (("this tree", ROOT), ("before", path)):
                        rate, startup, wall_rate = cli(texts, runs, root)
                        print(
                            f"  editor-app score, {kind + ',':8s} {name:9s} {rate:7,.0f} "
                            f"comments/s after start-up ({wall_rate:,.0f} per wall second); "
                            f"start-up {startup:.2f} CPU s; load {os.getloadavg()[0]:.1f}"
                        )
            print(f"load average at end {os.getloadavg()[0]:.1f}")
        return 0
    if args.quality:
        quality(None)
        if args.quality_only:
            return 0
    print(f"{args.comments:,} comments of 20-150 words; best of {args.runs}; per CPU second")
    for name, dense in (("typical", False), ("dense", True)):
        texts = build_comments(args.comments, dense)
        new, old = in_process(texts, args.runs)
        print(
            f"  Scorer().score_many, {name:8s} {new:7,.0f} comments/s   old scorer "
            f"{old:7,.0f}   ratio {new / old:.2f}"
        )
    if not args.no_cli:
        for kind, dense in (("typical", False), ("dense", True)):
            texts = build_comments(args.comments, dense)
            rate, startup, wall_rate = cli(texts, max(2, args.runs // 2))
            print(
                f"  editor-app score, {kind:8s} {rate:7,.0f} comments/s after start-up "
                f"({wall_rate:,.0f} per wall second); start-up {startup:.2f} CPU s; "
                f"load {os.getloadavg()[0]:.1f}"
            )
    print(f"load average at end {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
