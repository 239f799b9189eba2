"""A file dialog on the store's own folder must not cost the running window its SQLite locks.

SQLite's locks are POSIX locks: any close() of any descriptor of the store's files in the
window's process drops them, and the next `editor-app` on the store then checkpoints and
deletes the `-wal`/`-shm` the window still writes into (issue 11). These tests drive the real
dialog the window opens for File → Import… on the folder, cancel it, and then check the locks,
a write from another process, a write from the window, and the store's integrity.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QFileDialog, QFileSystemModel
from pytestqt.exceptions import TimeoutError as WaitTimeout

from editor_app.app import build_window
from editor_app.services.container import Services
from editor_app.store.changes import ChangeWatcher
from editor_app.store.database import Database
from editor_app.ui import dialogs
from editor_app.ui.authors import dialogs as author_dialogs
from editor_app.ui.editor import prompts
from editor_app.ui.main_window import MainWindow
from editor_app.workers.jobs import JobManager

pytestmark = pytest.mark.ui

ROOT = Path(__file__).resolve().parents[2]


def markdown(folder: Path, name: str, title: str) -> Path:
    path = folder / name
    path.write_text(f"---\ntitle: {title}\n---\n\nA paragraph of {title}.\n", encoding="utf-8")
    return path


def cli(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "EDITOR_APP_DB"}
    return subprocess.run(
        [sys.executable, "-m", "editor_app", "--db", url, *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def titles_in_a_fresh_process(url: str) -> set[str]:
    proc = cli(url, "list", "articles", "--json")
    assert proc.returncode == 0, proc.stderr
    return {a["title"] for a in json.loads(proc.stdout)}


def integrity_in_a_fresh_process(store: Path) -> str:
    code = (
        "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
        "print(c.execute('PRAGMA integrity_check').fetchone()[0])"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(store)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


@pytest.fixture(params=["copydesk.sqlite3", "newsroom.db"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The store kept in the folder one imports from (`~/Documents`), under two names: one
    whose extension tells its type, and one whose type can only be told from its bytes."""
    folder = tmp_path / "Documents"
    folder.mkdir()
    return folder / str(request.param)


@pytest.fixture
def window(qtbot, store: Path, tmp_path: Path) -> Iterator[tuple[MainWindow, Database]]:
    database = Database(f"sqlite:///{store}")
    services = Services.build(database.uow)
    watcher = ChangeWatcher(database.engine)
    jobs = JobManager()
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = build_window(services, jobs, "test store", settings=settings, change_poll=watcher.poll)
    qtbot.addWidget(win)
    win.show()
    try:
        yield win, database
    finally:
        jobs.cancel_all()
        jobs.wait_all(10_000)
        win.close()
        watcher.close()
        database.dispose()


def open_file_dialog() -> QFileDialog | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QFileDialog) and widget.isVisible():
            return widget
    return None


def browse_and_cancel(qtbot, folder: Path, ask) -> None:  # type: ignore[no-untyped-def]
    """Runs `ask()` (a dialog helper of the window); once its dialog is up, shows `folder` in
    it in the detailed view (names, sizes, types), lets it list, and cancels."""
    seen: list[str] = []

    def drive() -> None:
        dialog = open_file_dialog()
        if dialog is None:
            QTimer.singleShot(20, drive)
            return
        try:
            look(dialog)
        finally:
            dialog.reject()

    def look(dialog: QFileDialog) -> None:
        dialog.setViewMode(QFileDialog.ViewMode.Detail)
        everything = [f for f in dialog.nameFilters() if f.endswith("(*)")]
        if everything:  # the user widens the filter to see every file
            dialog.selectNameFilter(everything[0])
        dialog.setDirectory(str(folder))
        model = dialog.findChild(QFileSystemModel)
        assert model is not None
        root = model.index(str(folder))
        qtbot.waitUntil(lambda: model.rowCount(root) >= 2, timeout=10_000)
        for row in range(model.rowCount(root)):  # what the view shows, column by column
            for column in range(model.columnCount(root)):
                model.index(row, column, root).data()
            seen.append(model.fileName(model.index(row, 0, root)))
        qtbot.wait(300)

    QTimer.singleShot(0, drive)
    assert not ask()
    assert seen, "the dialog never listed the folder"


def test_a_dialog_on_the_stores_folder_keeps_its_locks_and_both_writers_land(
    qtbot, window: tuple[MainWindow, Database], store: Path, held_locks
) -> None:
    win, database = window
    folder = store.parent
    files = [store, Path(f"{store}-wal"), Path(f"{store}-shm")]
    url = f"sqlite:///{store}"
    before = held_locks(os.getpid(), files)
    assert {store.name, f"{store.name}-shm"} <= before

    browse_and_cancel(qtbot, folder, lambda: dialogs.ask_import_paths(win))

    assert held_locks(os.getpid(), files) == before
    # Another process writes while the window runs, and exits (checkpointing if it thinks
    # it is the last one on the store) ...
    proc = cli(url, "import", str(markdown(folder, "cli.md", "Written by the CLI")))
    assert proc.returncode == 0, proc.stderr
    # ... then the window writes, and both are there for anyone who looks.
    win.services.imports.import_paths([markdown(folder, "window.md", "Written by the window")])
    both = {"Written by the CLI", "Written by the window"}
    assert titles_in_a_fresh_process(url) == both
    assert integrity_in_a_fresh_process(store) == "ok"
    database.dispose()  # the window's connections close: the last one checkpoints
    with sqlite3.connect(store) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert titles_in_a_fresh_process(url) == both


@pytest.mark.parametrize(
    "ask",
    [
        lambda win: prompts.ask_figure_path(win),
        lambda win: author_dialogs.ask_photo_path(win),
        lambda win: author_dialogs.ask_author_page_path(win, ""),
    ],
    ids=["figure", "author-photo", "author-page"],
)
def test_every_file_dialog_of_the_window_keeps_the_locks(
    qtbot, window: tuple[MainWindow, Database], store: Path, ask, held_locks
) -> None:
    win, _database = window
    files = [store, Path(f"{store}-wal"), Path(f"{store}-shm")]
    before = held_locks(os.getpid(), files)
    browse_and_cancel(qtbot, store.parent, lambda: ask(win))
    assert held_locks(os.getpid(), files) == before


def test_the_dialogs_do_not_list_sqlites_side_files(
    qtbot, window: tuple[MainWindow, Database], store: Path
) -> None:
    win, _database = window
    listed: list[str] = []

    def drive() -> None:
        dialog = open_file_dialog()
        if dialog is None:
            QTimer.singleShot(20, drive)
            return
        try:
            dialog.selectNameFilter("All files (*)")
            dialog.setDirectory(str(store.parent))
            model = dialog.findChild(QFileSystemModel)

            def listing() -> list[str]:
                root = model.index(str(store.parent))
                view = dialog.proxyModel() or model
                if dialog.proxyModel() is not None:
                    root = dialog.proxyModel().mapFromSource(root)
                return [str(view.index(r, 0, root).data()) for r in range(view.rowCount(root))]

            # The listing fills in from the dialog's own thread.
            with contextlib.suppress(WaitTimeout):
                qtbot.waitUntil(lambda: store.name in listing(), timeout=10_000)
            qtbot.wait(200)  # and anything listed after it
            listed.extend(listing())
        finally:
            dialog.reject()

    QTimer.singleShot(0, drive)
    dialogs.ask_import_paths(win)
    assert store.name in listed
    assert not [n for n in listed if n.endswith(("-wal", "-shm", "-journal"))]


def test_every_file_dialog_of_the_window_comes_from_the_one_factory() -> None:
    """A QFileDialog made anywhere else (a static getOpenFileName, a native dialog) would
    sniff the store's files again."""
    ui = ROOT / "editor_app" / "ui"
    elsewhere = [
        str(path.relative_to(ROOT))
        for path in sorted(ui.rglob("*.py"))
        if path.name != "file_dialogs.py" and "QFileDialog" in path.read_text(encoding="utf-8")
    ]
    assert elsewhere == []
