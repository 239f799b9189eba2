"""The staged start: the window's frame shows at once, the store opens behind it, and once
it is open the window is the same as one built in one go."""

from __future__ import annotations

import gc
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, QSize, Qt, QUrl
from PySide6.QtGui import QAction, QDropEvent

from editor_app.app import start_gui
from editor_app.services.container import Services
from editor_app.store.database import Database
from editor_app.ui import glyphs
from editor_app.ui.main_window import NAV_ARTICLES, NAV_AUTHORS, NAV_MODERATION, MainWindow
from editor_app.workers.jobs import COLLECTOR_HOLD, JobManager

from .pages import PageSpec, Thread, fill_store

pytestmark = pytest.mark.ui

ROOT = Path(__file__).resolve().parents[2]


def menu_texts(window: MainWindow, title: str) -> list[str]:
    for action in window.menuBar().actions():
        if action.text() == title:
            menu = action.menu()
            assert menu is not None
            return [a.text() for a in menu.actions() if not a.isSeparator()]
    raise AssertionError(f"no menu {title}")


@pytest.fixture
def filled(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/filled.sqlite3"
    db = Database(url)
    fill_store(
        Services.build(db.uow),
        tmp_path,
        [
            PageSpec(
                "Council approves the new library budget",
                ["The council voted on Tuesday."],
                threads=[Thread("Good news for readers.", ("Agreed, finally.",))],
            ),
            PageSpec("Bridge repairs start in spring", ["Work begins in March."]),
        ],
    )
    db.dispose()
    return url


@pytest.fixture
def started(qtbot, filled: str, settings: QSettings, errors: list[str]):
    made = []

    def start(url: str = filled):
        startup = start_gui(url, settings)
        qtbot.addWidget(startup.window)
        made.append(startup)
        return startup

    yield start
    for startup in made:
        startup.jobs.cancel_all()
        startup.jobs.wait_all(10_000)
        startup.window.close()
        startup.wait()
        startup.close()


def test_the_frame_shows_before_the_store_is_open_then_fills(qtbot, started):
    startup = started()
    window = startup.window
    # Shown at once: navigation, menus and toolbar, a page saying the store is opening; what
    # needs the store waits for it.
    assert window.isVisible() and not window.loaded
    assert window.stack.currentWidget() is window.placeholder
    assert window.placeholder.text() == "Opening the store…"
    assert [window.nav.item(r).text() for r in range(4)] == [
        "Articles",
        "Authors",
        "Moderation",
        "Editor",
    ]
    assert not window.import_action.isEnabled()
    assert not window.search_box.isEnabled()
    assert window.quit_action.isEnabled() and window.about_action.isEnabled()

    with qtbot.waitSignal(startup.loaded, timeout=30_000):
        pass
    assert window.loaded
    assert window.windowTitle() == "filled.sqlite3"
    assert window.stack.currentWidget() is window.articles_page
    assert window.articles_page.model.rowCount() == 2
    assert window.nav.item(NAV_ARTICLES).text() == "Articles (2)"
    assert window.nav.item(NAV_MODERATION).text() == "Moderation (pending 2)"
    assert window.import_action.isEnabled() and window.search_box.isEnabled()
    # The pages' own actions joined the menus, where the window built in one go has them.
    edit = menu_texts(window, "&Edit")
    assert edit.index("Undo &merge") + 1 == edit.index("House style…")
    assert menu_texts(window, "Au&thors") == [
        "&New author…",
        "&Merge authors…",
        "E&xport author page…",
    ]
    assert menu_texts(window, "A&rticle")[-1] == window.articles_page.delete_action.text()
    assert window.jobs_dock.toggleViewAction() in window.view_menu.actions()
    window.nav.setCurrentRow(NAV_MODERATION)
    assert window.moderation_page.model.rowCount() == 2


def test_a_page_chosen_while_the_store_opens_is_shown_once_it_is(qtbot, started):
    startup = started()
    window = startup.window
    window.nav.setCurrentRow(NAV_AUTHORS)
    with qtbot.waitSignal(startup.loaded, timeout=30_000):
        pass
    assert window.stack.currentWidget() is window.authors_page
    assert window.authors_page.names() == ["Mara Quill"]


def test_the_same_menus_as_the_window_built_at_once(qtbot, started, make_window):
    startup = started()
    with qtbot.waitSignal(startup.loaded, timeout=30_000):
        pass
    at_once = make_window()
    for action in at_once.menuBar().actions():
        assert menu_texts(startup.window, action.text()) == menu_texts(at_once, action.text())


def test_a_store_that_cannot_be_opened_says_why(qtbot, started, tmp_path: Path):
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("not a database, just some notes\n" * 100)
    startup = started(f"sqlite:///{bad}")
    with qtbot.waitSignal(startup.failed, timeout=30_000) as blocker:
        pass
    message = blocker.args[0]
    assert message and "\n" not in message
    assert not message.startswith("internal error")
    assert not startup.window.loaded
    assert bad.read_text().startswith("not a database")


def test_closing_while_the_store_opens_leaves_it_as_it_was(qtbot, started, filled: str):
    startup = started()
    startup.window.close()
    startup.wait()  # the worker ends; the store is closed, never attached
    startup.close()
    assert not startup.window.loaded
    db = Database(filled)
    assert Services.build(db.uow).counts().articles == 2
    db.dispose()


def test_the_frame_imports_no_store_service_or_icon_library():
    """What `import editor_app.app` costs decides how soon the window shows."""
    code = (
        "import sys, editor_app.app; "
        "print(sorted(m for m in ('sqlalchemy', 'qtawesome', 'editor_app.services.container', "
        "'editor_app.ui.articles_page', 'lxml') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]"


def test_glyph_icons_paint_and_unknown_names_fail(qtbot):
    image = glyphs.icon("fa6s.newspaper", color="#202020").pixmap(QSize(24, 24)).toImage()
    assert any(image.pixelColor(x, y).alpha() for x in range(24) for y in range(24))
    with pytest.raises(ValueError, match="no icon named"):
        glyphs.icon("fa6s.no-such-glyph")
    assert isinstance(QAction(glyphs.icon("fa6s.heading", "mdi6.numeric-2"), "H2"), QAction)


def test_no_full_collection_while_a_job_runs(qtbot):
    jobs = JobManager()
    before = gc.get_threshold()
    release = threading.Event()

    def work(_progress, _cancelled):
        release.wait(10)
        return "done"

    with qtbot.waitSignal(jobs.job_finished, timeout=10_000):
        jobs.start("work", work)
        assert COLLECTOR_HOLD.held
        assert gc.get_threshold()[2] > 10**8
        assert gc.get_threshold()[:2] == before[:2]
        release.set()
    assert not COLLECTOR_HOLD.held
    assert gc.get_threshold() == before
    jobs.wait_all(5000)


def test_a_file_dropped_before_the_store_is_open_is_refused(qtbot, started, tmp_path: Path):
    startup = started()
    window = startup.window
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "page.txt"))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    window.dropEvent(event)  # before: AttributeError, the window had no services yet
    assert not event.isAccepted()
    assert window.jobs.running == ()
    with qtbot.waitSignal(startup.loaded, timeout=30_000):
        pass


SITES_MENU = [
    "&Sites…",
    "&Pull all sites now",
    "Send &moderation to sites now",
    "Pu&blish to site…",
    "Settle &conflict of this comment…",
]


def test_the_frame_has_every_menu_with_the_store_actions_disabled(qtbot, started):
    startup = started()
    window = startup.window
    assert not window.loaded
    titles = [a.text() for a in window.menuBar().actions()]
    assert titles[-2:] == ["S&ites", "&Help"]
    # The menus open (Quit and About are in them); what needs the store is disabled.
    assert all(a.isEnabled() for a in window.menuBar().actions())
    assert menu_texts(window, "S&ites") == SITES_MENU
    sites = window.site_actions
    site_actions = (sites.sites, sites.pull, sites.push, sites.publish, sites.resolve)
    assert not any(a.isEnabled() for a in site_actions)
    with qtbot.waitSignal(startup.loaded, timeout=30_000):
        pass
    # The same menu, now the controller's, once the store is open.
    assert [a.text() for a in window.menuBar().actions()].count("S&ites") == 1
    assert menu_texts(window, "S&ites") == SITES_MENU
    assert all(a.isEnabled() for a in site_actions)
    assert window.sites.sites_action is sites.sites


def test_the_gui_thread_reads_nothing_from_the_store_while_starting(
    qtbot, started, filled: str, tmp_path: Path
):
    """The worker reads the counts, the first rows and article, the sites and the work to
    recover; the GUI thread only builds the pages and installs the rows."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    gui: list[str] = []
    worker: list[str] = []

    def on_execute(_conn, _cursor, statement, *_args) -> None:
        on_gui = threading.current_thread() is threading.main_thread()
        (gui if on_gui else worker).append(statement)

    event.listen(Engine, "before_cursor_execute", on_execute)
    try:
        startup = started()
        # Every page's model built (the queue's too), none of them read by its view.
        with qtbot.waitSignal(startup.loaded, timeout=30_000):
            pass
        qtbot.wait(50)  # the turns after the fill: recovery offer, views laid out
    finally:
        event.remove(Engine, "before_cursor_execute", on_execute)
    assert [s for s in gui if s.lstrip().upper().startswith("SELECT")] == []
    assert worker
    window = startup.window
    assert window.articles_page.model.rowCount() == 2
    shown = window.articles_page.shown
    assert shown is not None and shown[0] == window.articles_page.current_id()
    assert "Bridge repairs" in window.articles_page.view.toPlainText() or (
        "Council approves" in window.articles_page.view.toPlainText()
    )


def test_a_store_without_sites_never_looks_the_keyring_up(qtbot, started):
    """The system keyring's first look-up takes ~0.3 s and holds the GIL for half of it:
    a stall of the window whichever thread does it. Without sites it is not needed."""
    startup = started()
    with qtbot.waitSignal(startup.loaded, timeout=30_000):
        pass
    sites = startup.window.sites
    assert sites.push_all_quietly() is None  # the timer's send: nothing to send
    sites.sites_changed()
    assert sites.window.moderation_page.table.isColumnHidden(6)  # no Site column
    assert sites.service.credentials._backend == []  # never looked up


def test_no_full_collection_from_the_frame_until_the_window_is_loaded(
    qtbot, started, tmp_path: Path
):
    """A full collection with all that start-up made alive took 90-140 ms: before the
    frame showed, or in the middle of a page's building."""
    startup = started()
    assert COLLECTOR_HOLD.held
    with qtbot.waitSignal(startup.loaded, timeout=30_000):
        pass
    assert not COLLECTOR_HOLD.held
    bad = tmp_path / "notes.sqlite3"
    bad.write_text("not a database\n" * 100)
    failing = started(f"sqlite:///{bad}")
    assert COLLECTOR_HOLD.held
    with qtbot.waitSignal(failing.failed, timeout=30_000):
        pass
    assert not COLLECTOR_HOLD.held
    closed = started()
    closed.window.close()
    closed.wait()
    assert not COLLECTOR_HOLD.held
