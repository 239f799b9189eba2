"""Fixtures for the window on a temporary store, offscreen, with no blocking dialogs."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from editor_app.app import build_window
from editor_app.services.container import Services
from editor_app.services.sample import load_sample_newsroom
from editor_app.store.database import Database
from editor_app.ui import dialogs
from editor_app.ui.main_window import NAV_MODERATION, MainWindow
from editor_app.ui.moderation.page import ModerationPage
from editor_app.workers.jobs import JobManager

SEED_PAGE = (
    Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_737975484842bf06.txt"
)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(f"sqlite:///{tmp_path}/t.sqlite3")
    yield database
    database.dispose()


@pytest.fixture
def services(db: Database) -> Services:
    return Services.build(db.uow)


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Error dialogs, recorded instead of shown."""
    seen: list[str] = []
    monkeypatch.setattr(
        dialogs, "show_error", lambda _parent, _title, message: seen.append(message)
    )
    return seen


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def make_window(qtbot, services: Services, settings: QSettings, errors: list[str]):
    """Builds the window on the temp store; call it after putting content in the store."""
    made: list[tuple[MainWindow, JobManager]] = []

    def make() -> MainWindow:
        jobs = JobManager()
        window = build_window(services, jobs, "test store", settings=settings)
        qtbot.addWidget(window)
        window.show()
        made.append((window, jobs))
        return window

    yield make
    for window, jobs in made:
        jobs.cancel_all()
        jobs.wait_all(10_000)
        window.close()


@pytest.fixture
def seed_page() -> Path:
    if not SEED_PAGE.exists():
        pytest.skip(f"seed page not found at {SEED_PAGE} (the shared seed folder is absent)")
    return SEED_PAGE


# The moderation queue on the sample newsroom, focused (the queue's tests share it; a module
# that needs another `window` defines its own, which wins).
@pytest.fixture
def window(make_window, services: Services) -> MainWindow:
    load_sample_newsroom(services.imports)
    w = make_window()
    w.nav.setCurrentRow(NAV_MODERATION)
    return w


@pytest.fixture
def page(qtbot, window: MainWindow) -> ModerationPage:
    p = window.moderation_page
    window.activateWindow()
    p.table.setFocus()
    qtbot.waitUntil(p.table.hasFocus)
    return p
