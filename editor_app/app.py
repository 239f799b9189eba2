"""The window's bootstrap: builds the object graph once, runs the event loop, cleans up."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Sequence

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox

from editor_app.domain.errors import StoreError
from editor_app.services.container import Services
from editor_app.store.changes import ChangeWatcher
from editor_app.store.database import Database
from editor_app.ui import preferences
from editor_app.ui.main_window import MainWindow
from editor_app.ui.theme import apply_theme
from editor_app.workers.jobs import JobManager

APP_NAME = "Copydesk"
ORG_NAME = "Copydesk"


def make_application(argv: Sequence[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(list(argv or sys.argv))
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(ORG_NAME)
    app.setApplicationDisplayName(APP_NAME)
    apply_theme(app, preferences.theme())
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


def run_gui(db_url: str | None) -> int:
    app = make_application()
    try:
        db = Database(db_url)
    except StoreError as exc:
        QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    jobs = JobManager()
    try:
        watcher: ChangeWatcher | None = ChangeWatcher(db.engine)
    except Exception:  # the change feed is a comfort, not a condition to start
        watcher = None
    try:
        window = build_window(
            Services.build(db.uow),
            jobs,
            db.display_name(),
            change_poll=watcher.poll if watcher is not None else None,
        )
        window.show()
        services = window.services
        warm = jobs.start(
            "Loading the comment scorer", lambda _p, _c: services.moderation.warm_up()
        )
        # What start-up made (Qt, the models, the scorer) lives for the whole session: keep
        # the collector from walking it again and again while a long import runs; its full
        # passes, up to 200 ms each, stalled the GUI thread.
        gc.freeze()
        warm.signals.finished.connect(lambda _result: gc.freeze())
        code = app.exec()
        jobs.cancel_all()
        jobs.wait_all()
        return int(code)
    finally:
        if watcher is not None:
            watcher.close()
        db.dispose()
