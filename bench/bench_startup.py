"""Window start-up: Copydesk's main window against a bare Qt window, as a ratio.

    python bench/bench_startup.py [--runs 5] [--db URL]

Each start is a child process with ``QT_QPA_PLATFORM=offscreen``. The figure is the wall
time the parent sees from spawning the child until the child prints "shown", which it does
after ``window.show()`` and one ``QApplication.processEvents()``. The app child builds the
window the way ``editor_app.app.run_gui`` does (``make_application``, ``Database``,
``build_window``) but with a throwaway settings file, so no saved geometry or user settings
come into it. It runs on an empty store and on the 1,000,000-comment store (generated into
bench/out the first time; ``--db`` to use another).

Then, in this process: the moderation queue's lazy Qt model (``CommentTableModel``) on the
big store, from creating the model to ``rowCount() > 0``: driven by hand (``fetchMore``) and
through a ``QTableView`` that asks for rows itself.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchlib import PYTHON, ROOT, Sample, Table, clean_env, empty_store, ensure_store, ms, timed

BARE_CHILD = """
import sys, time
t0 = time.perf_counter()
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1280, 800)
window.show()
QApplication.processEvents()
print("shown", flush=True)
print('{"child": %f}' % (time.perf_counter() - t0), flush=True)
"""

APP_CHILD = """
import json, sys, time
t0 = time.perf_counter()
marks = {}
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
marks["import Qt"] = time.perf_counter()
from editor_app.app import build_window, make_application
from editor_app.services.container import Services
from editor_app.store.database import Database
from editor_app.workers.jobs import JobManager
marks["import app"] = time.perf_counter()
app = make_application(sys.argv[:1])
marks["QApplication + theme"] = time.perf_counter()
db = Database(sys.argv[1])
marks["open store"] = time.perf_counter()
jobs = JobManager()
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
window = build_window(Services.build(db.uow), jobs, db.describe(), settings=settings)
marks["build_window"] = time.perf_counter()
window.show()
QApplication.processEvents()
marks["show + processEvents"] = time.perf_counter()
print("shown", flush=True)
prev, phases = t0, {}
for name, t in marks.items():
    phases[name] = t - prev
    prev = t
print(json.dumps({"child": prev - t0, "phases": phases}), flush=True)
jobs.cancel_all()
jobs.wait_all()
db.dispose()
"""


def start_once(code: str, args: list[str]) -> tuple[float, dict]:
    """Spawn to "shown", in seconds, and what the child reported about itself."""
    env = clean_env(QT_QPA_PLATFORM="offscreen")
    with tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(
            [PYTHON, "-c", code, *args],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env=env,
            cwd=ROOT,
        )
        assert proc.stdout is not None
        line = proc.stdout.readline()
        shown = time.perf_counter() - t
        rest = proc.stdout.read()
        proc.wait(timeout=120)
        err.seek(0)
        if line.strip() != "shown" or proc.returncode != 0:
            raise SystemExit(
                f"the child failed ({proc.returncode}): {line}{rest}{err.read()[-1500:]}"
            )
    info = json.loads(rest.strip().splitlines()[-1])
    return shown, info


def starts(code: str, args: list[str], runs: int) -> tuple[Sample, dict[str, Sample]]:
    total = Sample()
    phases: dict[str, Sample] = {}
    start_once(code, args)  # warm the OS file cache once; not counted
    for _ in range(runs):
        shown, info = start_once(code, args)
        total.values.append(shown)
        for name, value in info.get("phases", {}).items():
            phases.setdefault(name, Sample()).values.append(value)
        phases.setdefault("(interpreter start, until the first line)", Sample()).values.append(
            shown - info["child"]
        )
    return total, phases


def model_first_rows(url: str, runs: int) -> list[tuple[str, Sample, str]]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication, QTableView

    from editor_app.services.container import Services
    from editor_app.services.dto import CommentFilter
    from editor_app.store.database import Database
    from editor_app.ui.models import CommentTableModel

    app = QApplication.instance() or QApplication(sys.argv[:1])
    db = Database(url)
    services = Services.build(db.uow)
    out = []
    for label, flt in (("All", CommentFilter()), ("Pending", CommentFilter(status="pending"))):

        def by_hand(flt: CommentFilter = flt) -> int:
            model = CommentTableModel(services)
            model.set_filter(flt)
            while model.rowCount() == 0 and model.canFetchMore():
                model.fetchMore()
            return model.rowCount()

        sample, rows = timed(by_hand, runs, warmup=1)
        out.append((f"CommentTableModel ({label}): fetchMore to rows", sample, f"{rows} rows"))

        def in_view(flt: CommentFilter = flt) -> int:
            model = CommentTableModel(services)
            model.set_filter(flt)
            view = QTableView()
            view.resize(900, 600)
            view.setModel(model)
            view.show()
            while model.rowCount() == 0:
                app.processEvents()
            rows = model.rowCount()
            view.close()
            view.deleteLater()
            return rows

        sample, rows = timed(in_view, runs, warmup=1)
        out.append((f"CommentTableModel ({label}) in a QTableView", sample, f"{rows} rows"))
    db.dispose()
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--db", metavar="URL", help="the big store (default: bench/out, generated)")
    a = p.parse_args()
    big = a.db or ensure_store()
    empty = empty_store("startup-empty.sqlite3")

    table = Table("figure", "median", "min", "max", "runs", "ratio / note")
    with tempfile.TemporaryDirectory() as tmp:
        ini = str(Path(tmp) / "settings.ini")
        bare, _ = starts(BARE_CHILD, [], a.runs)
        table.add(
            "bare Qt window shown", ms(bare.median), ms(bare.low), ms(bare.high), a.runs, "x1.0"
        )
        breakdowns = {}
        for label, url in (("empty store", empty), ("1M-comment store", big)):
            total, phases = starts(APP_CHILD, [url, ini], a.runs)
            breakdowns[label] = phases
            table.add(
                f"Copydesk window shown, {label}",
                ms(total.median),
                ms(total.low),
                ms(total.high),
                a.runs,
                f"x{total.median / bare.median:.2f} of bare Qt",
            )
    for name, sample, note in model_first_rows(big, a.runs):
        table.add(name, ms(sample.median), ms(sample.low), ms(sample.high), a.runs, note)
    print(table.render())
    for label, phases in breakdowns.items():
        print()
        print(f"where the time goes, {label} (medians, in the child):")
        for name, sample in phases.items():
            print(f"  {name:<44} {ms(sample.median):>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
