"""The window's bootstrap: builds the object graph once, runs the event loop, cleans up.

It builds in two stages so the window shows about as soon as a bare one: first the window's
frame (menus, navigation, toolbar; ``MainWindow(None, ...)`` imports no store, service or
page module), shown at once; then, on a worker thread, the store is opened (SQLAlchemy, the
models, the migration check, the change feed), the services built and the counts read;
back on the GUI thread the pages are built into the frame, one per turn of the event loop
(``MainWindow.attach_steps``), while the worker reads what they show first; then the rows
are installed (``MainWindow.fill``). The GUI thread reads nothing from the store on the way.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, QTimer, Signal
from PySide6.QtWidgets import QApplication, QMessageBox

from editor_app.domain.identity import current_user
from editor_app.ui import preferences
from editor_app.ui.main_window import FirstView, MainWindow, import_pages, read_first_view
from editor_app.ui.theme import apply_theme
from editor_app.workers.jobs import COLLECTOR_HOLD, JobManager

if TYPE_CHECKING:
    from editor_app.services.container import Services
    from editor_app.services.dto import Counts
    from editor_app.store.changes import ChangeWatcher
    from editor_app.store.database import Database

log = logging.getLogger(__name__)

APP_NAME = "Copydesk"
ORG_NAME = "Copydesk"


def make_application(
    argv: Sequence[str] | None = None, settings: QSettings | None = None
) -> QApplication:
    """The application, named and in the theme saved in `settings` (the user's own when
    None), so the first paint already has the right colours."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv or sys.argv))
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationDisplayName(APP_NAME)
    apply_theme(app, preferences.theme_of(settings or preferences.user_settings()))
    return app


def build_window(
    services: Services,
    jobs: JobManager,
    db_label: str,
    settings: QSettings | None = None,
    *,
    change_poll: Callable[[], frozenset[str]] | None = None,
) -> MainWindow:
    """The window on an open store; tests call this with a temp store and settings file."""
    return MainWindow(services, jobs, db_label, settings=settings, change_poll=change_poll)


@dataclass(frozen=True)
class Opened:
    """What the worker thread made of the store, handed to the GUI thread."""

    db: Database
    watcher: ChangeWatcher | None
    services: Services
    counts: Counts


def open_store(db_url: str | None) -> Opened:
    """Everything start-up needs from the store, without Qt: runs on a worker thread."""
    from editor_app.services.container import Services
    from editor_app.store.changes import ChangeWatcher
    from editor_app.store.database import Database

    db = Database(db_url)
    try:
        try:
            watcher: ChangeWatcher | None = ChangeWatcher(db.engine)
        except Exception:  # the change feed is a comfort, not a condition to start
            watcher = None
        services = Services.build(db.uow)
        return Opened(db, watcher, services, services.counts())
    except BaseException:
        db.dispose()
        raise


class Startup(QObject):
    """The window shown first, the store opened on a thread, the pages built when it is.

    The worker opens the store and reads what the window shows first (``read_first_view``:
    the Articles page's first rows and article, the sites, the work to recover). The GUI
    thread then only builds widgets and installs those rows, in turns of the event loop
    short enough to keep the window responsive: one page built per turn
    (``MainWindow.attach_steps``), then ``MainWindow.fill``.

    Signals:
        loaded(): the window has its pages and data (``window.loaded``)
        failed(str message): the store could not be opened; nothing was attached
    """

    loaded = Signal()
    failed = Signal(str)
    # The worker thread is done: _result holds Opened or the exception, _first the first view
    # (or None: the GUI thread reads it).
    _opened = Signal()

    def __init__(
        self, db_url: str | None, jobs: JobManager, settings: QSettings | None = None
    ) -> None:
        super().__init__()
        # No full garbage collection until the window is loaded: with all that start-up
        # imports and builds alive, one took 90-140 ms, before the frame showed or in a
        # page's building (as for jobs: ``workers.jobs.CollectorHold``; ``run_gui`` then
        # freezes what start-up made).
        COLLECTOR_HOLD.acquire()
        self._holding = True
        self.db_url = db_url
        self.jobs = jobs
        self.window = MainWindow(None, jobs, "", settings=settings)
        self._result: Opened | Exception | None = None
        self._first: FirstView | None = None
        self._steps: Iterator[None] | None = None
        self._closing = False
        self._thread: threading.Thread | None = None
        self._opened.connect(self._on_opened)

    @property
    def opened(self) -> Opened | None:
        return self._result if isinstance(self._result, Opened) else None

    def begin(self) -> None:
        """Open the store on a worker thread; call after ``window.show()``."""
        self._thread = threading.Thread(target=self._work, name="open-store", daemon=True)
        self._thread.start()

    def _release_collector(self) -> None:
        if self._holding:
            self._holding = False
            COLLECTOR_HOLD.release()

    def _work(self) -> None:
        try:
            opened = open_store(self.db_url)
            self._result = opened
            # What the window shows first, read before the pages are built rather than
            # while they are: this thread's Python work would take the GIL from the GUI
            # thread's, and every step of the building would wait on it (2-5 times longer).
            try:
                self._first = read_first_view(opened.services, opened.counts, current_user())
            except Exception:  # the window reads it itself when filled, and says why
                log.exception("reading what the window shows first")
            import_pages()
        except Exception as exc:  # reported to the GUI thread, which tells the user
            opened_before = self.opened
            self._result = exc
            if opened_before is not None:
                opened_before.db.dispose()
        self._opened.emit()

    def _on_opened(self) -> None:
        from editor_app.domain.errors import StoreError

        result = self._result
        if self._closing or result is None:
            return
        if isinstance(result, Exception):
            message = (
                str(result)
                if isinstance(result, StoreError)
                else f"internal error: {type(result).__name__}: {result}"
            )
            self._release_collector()
            self.failed.emit(message)
            return
        watcher = result.watcher
        self._steps = self.window.attach_steps(
            result.services,
            change_poll=watcher.poll if watcher is not None else None,
            db_label=result.db.display_name(),
        )
        QTimer.singleShot(1, self, self._step)

    def _step(self) -> None:
        """One page built; the next in the next turn of the event loop."""
        if self._closing or self._steps is None:
            return
        try:
            next(self._steps)
        except StopIteration:
            QTimer.singleShot(1, self, self._fill)
            return
        # A timer, not a posted call (0 ms): the window's own events and timers get their
        # turn between two steps.
        QTimer.singleShot(1, self, self._step)

    def _fill(self) -> None:
        opened = self.opened
        if self._closing or opened is None or self.window.loaded:
            return
        self.window.fill(opened.counts, self._first)
        self.loaded.emit()  # run_gui freezes what start-up made; then collections resume
        self._release_collector()

    def wait(self) -> None:
        """Let the worker finish (the window may have closed while the store was opening);
        what it opens after this is not attached, only closed by :meth:`close`."""
        self._closing = True
        if self._thread is not None:
            self._thread.join()
        self._release_collector()

    def close(self) -> None:
        """Close the store; after :meth:`wait` (or the event loop's end)."""
        opened = self.opened
        self._result = None
        if opened is not None:
            if opened.watcher is not None:
                opened.watcher.close()
            opened.db.dispose()


def start_gui(db_url: str | None, settings: QSettings | None = None) -> Startup:
    """Show the window's frame now and open the store behind it (see the module's doc)."""
    startup = Startup(db_url, JobManager(), settings)
    startup.window.show()
    startup.begin()
    return startup


def run_gui(db_url: str | None) -> int:
    app = make_application()
    startup = start_gui(db_url)
    jobs = startup.jobs

    def on_loaded() -> None:
        services = startup.window.services
        # What start-up made (Qt, the models, the scorer) lives for the whole session: keep
        # the collector from walking it again and again while a long import runs; its full
        # passes, up to 200 ms each, stalled the GUI thread.
        gc.freeze()
        jobs.start(
            "Loading the comment scorer",
            lambda _p, _c: services.moderation.warm_up(),
            on_finished=lambda _result: gc.freeze(),
        )

    def on_failed(message: str) -> None:
        QMessageBox.critical(startup.window, APP_NAME, message)
        app.exit(1)

    startup.loaded.connect(on_loaded)
    startup.failed.connect(on_failed)
    try:
        code = app.exec()
        jobs.cancel_all()
        jobs.wait_all()
        return int(code)
    finally:
        startup.wait()
        startup.close()
