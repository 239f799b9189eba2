"""Hostile files (issue 11): how long a pathological body takes to import and how much memory a
refusal costs. Prints figures; asserts nothing. Run: .venv/bin/python bench/bench_hostile.py

Each case runs the command line in a child process (its peak memory is the child's own).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _wxr_with_body(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" ?><rss version="2.0"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        ' xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>T</title>'
        "<wp:wxr_version>1.2</wp:wxr_version><item><title>Deep</title>"
        f"<content:encoded><![CDATA[{body}]]></content:encoded><wp:post_id>1</wp:post_id>"
        "<wp:status>publish</wp:status><wp:post_type>post</wp:post_type></item></channel></rss>"
    )


# The child reports its own peak resident memory as it exits (however it exits).
_CHILD = (
    "import atexit, resource, runpy, sys\n"
    "atexit.register(lambda: print('peak-kb', resource.getrusage(resource.RUSAGE_SELF)"
    ".ru_maxrss, file=sys.stderr))\n"
    "sys.argv = sys.argv[1:]\n"
    "runpy.run_module('editor_app', run_name='__main__')\n"
)


def _run(folder: Path, path: Path, *args: str) -> tuple[float, float, str]:
    db = f"sqlite:///{folder / (path.stem + '.sqlite3')}"
    argv = ["editor-app", "--db", db, "import", *args, str(path)]
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _CHILD, *argv], capture_output=True, text=True, cwd=ROOT, timeout=600
    )
    seconds = time.perf_counter() - start
    lines = (proc.stdout + proc.stderr).strip().splitlines()
    peaks = [line for line in lines if line.startswith("peak-kb ")]
    said = [line for line in lines if not line.startswith("peak-kb ")]
    peak = int(peaks[-1].split()[1]) / 1024 if peaks else float("nan")
    return seconds, peak, said[-1] if said else ""


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases: list[tuple[str, Path, tuple[str, ...]]] = []
        for n in (25_000, 50_000, 100_000):
            path = folder / f"divs-{n}.xml"
            path.write_text(_wxr_with_body("<div>" * n + "deep" + "</div>" * n))
            cases.append((f"{n:,} nested <div> ({path.stat().st_size / 1e6:.1f} MB)", path, ()))
        brackets = folder / "brackets.json"
        brackets.write_text("[" * 200_000)
        cases.append(("200 KB of nested [ (auto)", brackets, ()))
        small = folder / "brackets-80k.json"
        small.write_text("[" * 80_000)
        cases.append(("80 KB of nested [ (bundle)", small, ("--format", "bundle")))
        print(f"{'case':<36} {'seconds':>8} {'peak MB':>8}  result")
        for label, path, args in cases:
            seconds, peak, said = _run(folder, path, *args)
            print(f"{label:<36} {seconds:8.2f} {peak:8.0f}  {said[:70]}")


if __name__ == "__main__":
    main()
