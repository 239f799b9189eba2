"""Window start-up: Copydesk's main window against a bare Qt window, as a ratio.

    python bench/bench_startup.py [--runs 5] [--db URL] [--before TREE | --compare-rev REV]
        [--skip-model] [--skip-search] [--only-search | --only-cli]

Each start is a child process with ``QT_QPA_PLATFORM=offscreen``. The figure is the wall
time the parent sees from spawning the child until the child prints "shown", which it does
after ``window.show()`` and one ``QApplication.processEvents()``. The app child starts the
window the way ``editor_app.app.run_gui`` does (``start_gui``: the frame shown, the store
opened behind it) with a throwaway settings file, so no saved geometry or user settings
come into it; "lists filled" is when ``Startup.loaded`` fires, and a 10 ms timer meanwhile
gives the GUI thread's longest stall, split at the start of the pages' building (while the
worker opens the store, the GUI thread idle, it waits only for the GIL). Its baseline: the
bare window's idle event loop, timed the same way. It runs on an empty store and on the
1,000,000-comment store (generated into bench/out the first time; ``--db`` to use another).
``--before TREE`` / ``--compare-rev REV`` start another tree of the package the same way
(a tree built before the staged start: everything at once, then shown).

Then, in this process: the moderation queue's lazy Qt model (``CommentTableModel``) on the
big store, from creating the model to ``rowCount() > 0``: driven by hand (``fetchMore``) and
through a ``QTableView`` that asks for rows itself; and the search box: the raw FTS5 query
(baseline), ``SearchService.search``, and that with the results page shown and painted, in
wall and CPU time. ``--only-cli``: ``editor-app --help``, ``--version`` and a usage error
against ``python -c pass``, whole processes, wall and CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from benchlib import (
    PYTHON,
    ROOT,
    Sample,
    Table,
    clean_env,
    empty_store,
    ensure_store,
    ms,
    timed,
    tree_of,
)

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
shown = time.perf_counter() - t0
# The baseline of a stall: this idle event loop's longest gap between 10 ms ticks, for as
# long as Copydesk's start takes after its show (the machine's own hiccups, under load).
from PySide6.QtCore import Qt, QTimer
ticks = [time.perf_counter()]
timer = QTimer()
timer.setTimerType(Qt.TimerType.PreciseTimer)
timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
timer.start(10)
QTimer.singleShot(1500, app.quit)
app.exec()
stall = max(b - a for a, b in zip(ticks, ticks[1:])) - 0.010
print('{"child": %f, "stall": %f}' % (shown, stall), flush=True)
"""

# The tree before the staged start (``--before``): everything built, then shown.
APP_CHILD_AT_ONCE = """
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
print(json.dumps({"child": prev - t0, "loaded": prev - t0, "phases": phases}), flush=True)
jobs.cancel_all()
jobs.wait_all()
db.dispose()
"""

# As ``editor_app.app.run_gui`` starts: the frame shown at once (``start_gui``), the store
# opened on a worker thread, the pages built when it is. "shown" after the frame's show and
# one processEvents; then the event loop runs until ``Startup.loaded``, a 10 ms timer
# recording the GUI thread's longest stall meanwhile.
APP_CHILD = """
import json, sys, time
t0 = time.perf_counter()
marks = {}
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication
marks["import Qt"] = time.perf_counter()
import editor_app.app as appmod
marks["import app"] = time.perf_counter()
app = appmod.make_application(sys.argv[:1])
marks["QApplication + theme"] = time.perf_counter()
worker = {}
real_open = appmod.open_store
def open_store(url):
    t = time.perf_counter()
    opened = real_open(url)
    worker["open"], worker["end"] = time.perf_counter() - t, time.perf_counter()
    return opened
appmod.open_store = open_store
real_on_opened = appmod.Startup._on_opened
def on_opened(self):
    worker["opened"] = time.perf_counter()
    real_on_opened(self)
appmod.Startup._on_opened = on_opened
settings = QSettings(sys.argv[2], QSettings.Format.IniFormat)
startup = appmod.start_gui(sys.argv[1], settings)
startup.loaded.connect(app.quit)
startup.failed.connect(lambda m: (print(m, file=sys.stderr), app.exit(3)))
QApplication.processEvents()
marks["frame + show + processEvents"] = time.perf_counter()
print("shown", flush=True)
shown = time.perf_counter()
ticks = [shown]
timer = QTimer()
timer.setTimerType(Qt.TimerType.PreciseTimer)
timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
timer.start(10)
if app.exec() != 0:
    sys.exit(3)
loaded = time.perf_counter()
ticks.append(loaded)
assert startup.window.loaded
prev, phases = t0, {}
for name, t in marks.items():
    phases[name] = t - prev
    prev = t
phases["open store (worker thread, after show)"] = worker["open"]
phases["then until the lists are filled (worker + GUI)"] = loaded - worker["end"]
gaps = [(b - a - 0.010, b) for a, b in zip(ticks, ticks[1:])]
stall = max(g for g, _ in gaps)
# Split at the pages' building: while the worker opens the store (the GUI thread idle,
# waiting only for the GIL), then while the GUI thread builds the pages and fills them.
opened = worker.get("opened", loaded)
stall_open = max([g for g, end in gaps if end <= opened] or [0.0])
stall_build = max([g for g, end in gaps if end > opened] or [0.0])
print(json.dumps({"child": shown - t0, "loaded": loaded - t0, "stall": stall,
                  "stall_open": stall_open, "stall_build": stall_build,
                  "phases": phases}), flush=True)
startup.window.close()
startup.jobs.cancel_all()
startup.jobs.wait_all()
startup.wait()
startup.close()
"""


# The command itself, ``editor-app --db URL`` (``editor_app.cli.main``, as the script runs
# it), with a hook that prints "shown" once the window is: after ``start_gui`` (staged tree)
# or after ``window.show()`` in ``run_gui`` (the tree before). User settings and data go to
# a temporary XDG folder.
CLI_CHILD = """
import json, sys, time
t0 = time.perf_counter()
from editor_app.cli import main
import editor_app.app as appmod
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
out = {}
def shown():
    QApplication.processEvents()
    out["child"] = time.perf_counter() - t0
    print("shown", flush=True)
if hasattr(appmod, "start_gui"):
    real_start = appmod.start_gui
    def start_gui(url, settings=None):
        startup = real_start(url, settings)
        shown()
        def loaded():
            out["loaded"] = time.perf_counter() - t0
            QApplication.instance().quit()
        startup.loaded.connect(loaded)
        return startup
    appmod.start_gui = start_gui
else:
    real_build = appmod.build_window
    def build_window(*args, **kwargs):
        window = real_build(*args, **kwargs)
        real_show = window.show
        def show():
            real_show()
            shown()
            out["loaded"] = out["child"]
            QTimer.singleShot(0, QApplication.instance().quit)
        window.show = show
        return window
    appmod.build_window = build_window
code = main(["--db", sys.argv[1]])
print(json.dumps(out), flush=True)
sys.exit(code)
"""


def staged(tree: str) -> bool:
    """Whether that tree starts the window in stages (``app.start_gui``)."""
    app = Path(tree) / "editor_app" / "app.py"
    return app.is_file() and "def start_gui" in app.read_text(encoding="utf-8")


def start_once(code: str, args: list[str], tree: str | None = None) -> tuple[float, dict[str, Any]]:
    """Spawn to "shown", in seconds, and what the child reported about itself; ``tree``:
    another source tree of the package to import (put first on ``PYTHONPATH``)."""
    xdg = tempfile.mkdtemp(prefix="bench-startup-xdg-")
    env = clean_env(
        QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=xdg, XDG_DATA_HOME=xdg, XDG_STATE_HOME=xdg
    )
    if tree:
        env["PYTHONPATH"] = tree
    with tempfile.TemporaryFile("w+") as err:
        t = time.perf_counter()
        proc = subprocess.Popen(
            [PYTHON, "-c", code, *args],
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
            env=env,
            cwd=tree or ROOT,  # `python -c` puts the current folder first on sys.path
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
    shutil.rmtree(xdg, ignore_errors=True)
    info = json.loads(rest.strip().splitlines()[-1])
    return shown, info


@dataclass
class Starts:
    shown: Sample = field(default_factory=Sample)  # spawn → "shown"
    loaded: Sample = field(default_factory=Sample)  # spawn → pages built, data in them
    stall: Sample = field(default_factory=Sample)  # longest GUI-thread stall meanwhile
    stall_open: Sample = field(default_factory=Sample)  # … while the store opens (worker)
    stall_build: Sample = field(default_factory=Sample)  # … while the pages are built, filled
    phases: dict[str, Sample] = field(default_factory=dict)


def starts(code: str, args: list[str], runs: int, tree: str | None = None) -> Starts:
    out = Starts()
    start_once(code, args, tree)  # warm the OS file cache once; not counted
    for _ in range(runs):
        shown, info = start_once(code, args, tree)
        out.shown.values.append(shown)
        out.loaded.values.append(shown - info["child"] + info.get("loaded", info["child"]))
        if "stall" in info:
            out.stall.values.append(info["stall"])
        if "stall_open" in info:
            out.stall_open.values.append(info["stall_open"])
            out.stall_build.values.append(info["stall_build"])
        for name, value in info.get("phases", {}).items():
            out.phases.setdefault(name, Sample()).values.append(value)
        out.phases.setdefault("(interpreter start, until the first line)", Sample()).values.append(
            shown - info["child"]
        )
    return out


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


def cli_rows(runs: int, before: str | None) -> list[tuple[str, Sample, str]]:
    """`editor-app --help`, `--version` and a usage error against `python -c pass`, as
    whole processes, round-robin (so a busy spell of the machine hits every one alike):
    wall time, and the child's CPU time (user + system, `getrusage`) in the note."""
    import resource

    prelude = (
        "import sys; sys.path.insert(0, {tree!r}); sys.meta_path[:] = "
        "[f for f in sys.meta_path if 'editable' not in repr(f).lower()]\n"
    )
    run_app = "import runpy; runpy.run_module('editor_app', run_name='__main__')"
    trees = [("", None)] + ([("before: ", before)] if before else [])
    cases: list[tuple[str, list[str], int]] = [('python -c "pass" (baseline)', ["pass"], 0)]
    for prefix, tree in trees:
        code = (prelude.format(tree=tree) if tree else "") + run_app
        for args, expect in ((["--help"], 0), (["--version"], 0), (["list", "bogus"], 2)):
            cases.append((f"{prefix}editor-app {' '.join(args)}", [code, *args], expect))
    env = clean_env()
    for _prefix, tree in trees:  # as installed: compiled (else each child compiles again)
        folder = Path(tree or ROOT) / "editor_app"
        subprocess.run([PYTHON, "-m", "compileall", "-q", str(folder)], check=True, env=env)
    wall: dict[str, Sample] = {name: Sample() for name, _, _ in cases}
    cpu: dict[str, Sample] = {name: Sample() for name, _, _ in cases}
    for i in range(runs + 1):
        for name, argv, expect in cases:
            before_use = resource.getrusage(resource.RUSAGE_CHILDREN)
            t = time.perf_counter()
            proc = subprocess.run(
                [PYTHON, "-c", *argv], capture_output=True, env=env, cwd=ROOT, check=False
            )
            took = time.perf_counter() - t
            after_use = resource.getrusage(resource.RUSAGE_CHILDREN)
            if proc.returncode != expect:
                raise SystemExit(f"{name}: exit {proc.returncode}: {proc.stderr[-500:]!r}")
            if i:  # the first round warms the file cache
                wall[name].values.append(took)
                cpu[name].values.append(
                    after_use.ru_utime
                    - before_use.ru_utime
                    + after_use.ru_stime
                    - before_use.ru_stime
                )
    base_wall = wall[cases[0][0]].median
    base_cpu = cpu[cases[0][0]].median
    out = []
    for name, _, _ in cases:
        note = (
            f"x{wall[name].median / base_wall:.2f} wall; CPU {ms(cpu[name].median)}, "
            f"x{cpu[name].median / base_cpu:.2f}"
        )
        out.append((name, wall[name], note))
    return out


RAW_FTS = "SELECT rowid FROM comments_fts WHERE comments_fts MATCH ? ORDER BY rowid DESC LIMIT 50"


def search_box_rows(url: str, runs: int) -> list[tuple[str, Sample, str]]:
    """The window's search box on the big store, in this process: the raw FTS5 query (the
    baseline), then what Enter does: ``SearchService.search`` and the results page shown
    and painted (``SearchPage.show_results``, ``repaint``), in wall and CPU time."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from editor_app.app import make_application
    from editor_app.services.container import Services
    from editor_app.store.database import Database
    from editor_app.ui.search_page import SearchPage

    app = QApplication.instance() or make_application(sys.argv[:1])
    db = Database(url)
    services = Services.build(db.uow)
    page = SearchPage()
    page.resize(1030, 700)
    page.show()
    app.processEvents()
    out = []
    for word in ("the", "council", "moocubrou"):
        with db.engine.connect() as conn:
            base, _ = timed(
                lambda w=word, c=conn: c.exec_driver_sql(RAW_FTS, (f'"{w}"',)).all(), runs, 1
            )
        out.append((f"raw FTS5 query {word!r}, newest 50 ids (baseline)", base, ""))
        service, res = timed(lambda w=word: services.search.search(w), runs, warmup=1)
        ratio = f"x{service.median / base.median:.0f} the baseline" if base.median else ""
        out.append((f"search box {word!r}: SearchService", service, ratio))

        def enter(w: str = word) -> float:
            cpu = time.thread_time()
            page.show_results(services.search.search(w))
            page.repaint()
            app.processEvents()
            return time.thread_time() - cpu

        whole, _ = timed(enter, runs, warmup=1)
        cpu = Sample([enter() for _ in range(runs)])
        note = f"CPU {ms(cpu.median)}; {len(res.articles)} articles, {len(res.comments)} comments"
        out.append((f"search box {word!r}: service + results shown and painted", whole, note))
    page.close()
    db.dispose()
    return out


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--db", metavar="URL", help="the big store (default: bench/out, generated)")
    p.add_argument(
        "--before",
        metavar="TREE",
        help="also start the package from this source tree (e.g. `git archive REV | tar -x`), "
        "the way its run_gui did: before/after in one run",
    )
    p.add_argument(
        "--compare-rev",
        metavar="REV",
        help="as --before, with git revision REV's tree (unpacked once into bench/out)",
    )
    p.add_argument("--skip-model", action="store_true", help="skip the CommentTableModel rows")
    p.add_argument("--skip-search", action="store_true", help="skip the search box rows")
    p.add_argument(
        "--only-cli",
        action="store_true",
        help="only `editor-app --help`, `--version` and a usage error against `python -c pass`",
    )
    p.add_argument(
        "--only-search", action="store_true", help="only the search box rows (no start-up)"
    )
    a = p.parse_args()
    before = a.before or (str(tree_of(a.compare_rev)) if a.compare_rev else None)
    big = a.db or ensure_store()
    empty = empty_store("startup-empty.sqlite3")

    table = Table("figure", "median", "min", "max", "runs", "ratio / note")

    def row(name: str, sample: Sample, note: str) -> None:
        table.add(name, ms(sample.median), ms(sample.low), ms(sample.high), a.runs, note)

    if a.only_cli:
        for name, sample, note in cli_rows(a.runs, before):
            row(name, sample, note)
        print(table.render())
        return 0
    if a.only_search:
        for name, sample, note in search_box_rows(big, max(a.runs, 9)):
            row(name, sample, note)
        print(table.render())
        return 0
    trees: list[tuple[str, str | None, str]] = [("", None, APP_CHILD)]
    if before:
        trees.insert(0, ("before: ", before, APP_CHILD if staged(before) else APP_CHILD_AT_ONCE))
    breakdowns = {}
    with tempfile.TemporaryDirectory() as tmp:
        ini = str(Path(tmp) / "settings.ini")
        bare_starts = starts(BARE_CHILD, [], a.runs)
        bare = bare_starts.shown
        row("bare Qt window shown", bare, "x1.0")
        row("  … its idle event loop's longest gap (stall baseline)", bare_starts.stall, "")
        for label, url in (("empty store", empty), ("1M-comment store", big)):
            for prefix, tree, child in trees:
                got = starts(child, [url, ini], a.runs, tree)
                breakdowns[f"{prefix}{label}"] = got.phases
                ratio = got.shown.median / bare.median
                row(
                    f"{prefix}Copydesk window shown, {label}", got.shown, f"x{ratio:.2f} of bare Qt"
                )
                if child is APP_CHILD:
                    ratio = got.loaded.median / bare.median
                    row(f"  … {prefix}lists filled, {label}", got.loaded, f"x{ratio:.2f}")
                    row(f"  … {prefix}longest GUI stall until then, {label}", got.stall, "")
                    row("      of which while the store opens", got.stall_open, "worker")
                    row("      of which while the pages are built and filled", got.stall_build, "")
        for prefix, tree, _child in trees:
            got = starts(CLI_CHILD, [big], a.runs, tree)
            ratio = got.shown.median / bare.median
            row(f"{prefix}`editor-app --db` window shown, 1M store", got.shown, f"x{ratio:.2f}")
            if tree is None or staged(tree):
                ratio = got.loaded.median / bare.median
                row(f"  … {prefix}lists filled, 1M store", got.loaded, f"x{ratio:.2f}")
    if not a.skip_model:
        for name, sample, note in model_first_rows(big, a.runs):
            row(name, sample, note)
    if not a.skip_search:
        for name, sample, note in search_box_rows(big, max(a.runs, 9)):
            row(name, sample, note)
    print(table.render())
    for label, phases in breakdowns.items():
        print()
        print(f"where the time goes, {label} (medians, in the child):")
        for name, sample in phases.items():
            print(f"  {name:<44} {ms(sample.median):>12}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
