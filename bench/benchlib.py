"""Helpers the bench scripts share: the generated store, timing and a plain table."""

from __future__ import annotations

import importlib.util
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
OUT = BENCH / "out"
PYTHON = sys.executable
# A bench child run against another tree of the app (`BENCH_TREE`, a folder holding an
# `editor_app` package, e.g. `git archive REV editor_app db` unpacked): the same script
# measures before and after in one run. The venv's editable install would win over
# sys.path, so its finder is left out.
TREE_ENV = "BENCH_TREE"
if os.environ.get(TREE_ENV):
    sys.path.insert(0, os.environ[TREE_ENV])
    sys.meta_path[:] = [f for f in sys.meta_path if "editable" not in repr(f).lower()]


def tree_prelude() -> str:
    """Python that makes a child process import the app from `TREE_ENV`'s tree (nothing
    when it is not set), for `python -c` children."""
    tree = os.environ.get(TREE_ENV)
    if not tree:
        return ""
    return (
        f"import sys; sys.path.insert(0, {tree!r}); sys.meta_path[:] = "
        "[f for f in sys.meta_path if 'editable' not in repr(f).lower()]\n"
    )


def app_command() -> list[str]:
    """`python -m editor_app`, of `TREE_ENV`'s tree where it is set."""
    if not os.environ.get(TREE_ENV):
        return [PYTHON, "-m", "editor_app"]
    code = tree_prelude() + "import runpy; runpy.run_module('editor_app', run_name='__main__')"
    return [PYTHON, "-c", code]


def tree_of(rev: str) -> Path:
    """`rev`'s editor_app, db and resources (the scorer's model), unpacked once into
    bench/out/tree-REV (for `TREE_ENV`)."""
    full = subprocess.run(
        ["git", "rev-parse", "--short", rev], capture_output=True, text=True, check=True, cwd=ROOT
    ).stdout.strip()
    folder = OUT / f"tree-{full}"
    if not (folder / "resources").is_dir():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", full, "editor_app", "db", "resources"],
            capture_output=True,
            check=True,
            cwd=ROOT,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("copydesk_bench_generate", BENCH / "generate.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def store_path(articles: int, comments: int, seed: int) -> Path:
    return OUT / f"newsroom-{articles}a-{comments}c-s{seed}.sqlite3"


def ensure_store(articles: int = 2000, comments: int = 1_000_000, seed: int = 1) -> str:
    """The SQLite URL of a generated store in bench/out, generating it the first time."""
    path = store_path(articles, comments, seed)
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        part = path.with_name(path.name + ".part")
        for suffix in ("", "-wal", "-shm"):
            Path(f"{part}{suffix}").unlink(missing_ok=True)
        print(f"generating {path.name} (once; later runs reuse it)…", file=sys.stderr)
        gen = load_generator()
        timings = gen.generate(f"sqlite:///{part}", articles, comments, seed)
        print(
            f"  generated in {timings['total']:.1f} s "
            f"({comments / timings['total']:,.0f} comments/s)",
            file=sys.stderr,
        )
        part.rename(path)
    return f"sqlite:///{path}"


def empty_store(name: str = "empty.sqlite3") -> str:
    """A store with the schema and no rows (made fresh each time)."""
    from editor_app.store.database import Database

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    Database(f"sqlite:///{path}").dispose()
    return f"sqlite:///{path}"


def clean_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "EDITOR_APP_DB"}
    env.update(extra)
    return env


@dataclass
class Sample:
    values: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)


def timed(fn: Callable[[], Any], runs: int, warmup: int = 0) -> tuple[Sample, Any]:
    """Wall times of ``runs`` calls (after ``warmup`` untimed ones) and the last result."""
    result = None
    for _ in range(warmup):
        result = fn()
    sample = Sample()
    for _ in range(runs):
        t = time.perf_counter()
        result = fn()
        sample.values.append(time.perf_counter() - t)
    return sample, result


def process_time(
    argv: Sequence[str], runs: int, env: dict[str, str] | None = None, *, expect: int = 0
) -> Sample:
    """Wall time of whole processes, spawn to exit; a run that does not exit with `expect`
    stops the bench."""
    sample = Sample()
    for _ in range(runs):
        t = time.perf_counter()
        proc = subprocess.run(
            list(argv), capture_output=True, text=True, env=env or clean_env(), cwd=ROOT
        )
        sample.values.append(time.perf_counter() - t)
        if proc.returncode != expect:
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            raise RunFailed(f"exit {proc.returncode}: {last[:120]}")
    return sample


class RunFailed(RuntimeError):
    """A benchmarked process exited with an error."""


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms" if seconds < 10 else f"{seconds:,.1f} s"


class Table:
    def __init__(self, *headers: str):
        self.headers = headers
        self.rows: list[tuple[str, ...]] = []

    def add(self, *cells: object) -> None:
        self.rows.append(tuple(str(c) for c in cells))

    def render(self) -> str:
        widths = [len(h) for h in self.headers]
        for row in self.rows:
            widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]

        def line(cells: Sequence[str]) -> str:
            out = [cells[0].ljust(widths[0])]
            out += [
                c.rjust(w) if _numeric(c) else c.ljust(w)
                for c, w in zip(cells[1:], widths[1:], strict=True)
            ]
            return "| " + " | ".join(out) + " |"

        sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
        return "\n".join([line(self.headers), sep, *(line(r) for r in self.rows)])


def _numeric(cell: str) -> bool:
    return bool(cell) and (cell[0].isdigit() or cell[0] in "x~")
