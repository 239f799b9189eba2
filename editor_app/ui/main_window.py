"""The main window: navigation, the four areas, the search box, menus and running jobs.

The window holds services and the job manager, never a session. Reads that page 200 rows run
on the GUI thread; imports and the sample load run as jobs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDockWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from editor_app.domain.errors import UserError
from editor_app.ui import glyphs, preferences
from editor_app.ui.sites_menu import make_sites_menu
from editor_app.workers.jobs import IsCancelled, JobFn, JobHandle, JobManager, Progress

if TYPE_CHECKING:
    from editor_app.formats.bundle import ArticleData
    from editor_app.services.container import Services
    from editor_app.services.dto import Counts
    from editor_app.services.editing import AutosaveInfo
    from editor_app.services.sites import SiteInfo, SiteService
    from editor_app.ui.articles_page import ArticlesPage, FirstArticles
    from editor_app.ui.authors.page import AuthorsPage
    from editor_app.ui.authors.undo import MergeUndoOffer
    from editor_app.ui.editor.editor_area import EditorArea
    from editor_app.ui.job_status import JobStatus
    from editor_app.ui.jobs_panel import JobsPanel
    from editor_app.ui.live_refresh import LiveRefresh
    from editor_app.ui.moderation.page import ModerationPage
    from editor_app.ui.preferences_dialog import PreferencesDialog
    from editor_app.ui.search_page import SearchPage
    from editor_app.ui.sites import SitesController
    from editor_app.ui.undo_offer import UndoOffer

NAV_ARTICLES, NAV_AUTHORS, NAV_MODERATION = 0, 1, 2
NAV_EDITOR = 3
# The change feed reports a window's own writes too (a second or so later): that long after
# one, a change is taken as ours.
NAV_ICONS = ("fa6s.newspaper", "fa6s.user-pen", "fa6s.comments", "fa6s.pen-nib")
NAV_LABELS = ("Articles", "Authors", "Moderation", "Editor")  # with counts once loaded


def import_pages() -> None:
    """Import the modules :meth:`MainWindow.attach` builds from: module imports only, no
    widget, so ``app.Startup`` runs this on its worker thread while the frame is shown and
    the GUI thread is left only the widgets to make."""
    import importlib

    for name in (
        "editor_app.ui.articles_page",
        "editor_app.ui.authors.page",
        "editor_app.ui.authors.undo",
        "editor_app.ui.editor.desk_panels",
        "editor_app.ui.editor.editor_area",
        "editor_app.ui.job_status",
        "editor_app.ui.jobs_panel",
        "editor_app.ui.live_refresh",
        "editor_app.ui.moderation.page",
        "editor_app.ui.search_page",
        "editor_app.ui.sites",
        "editor_app.ui.undo_offer",
    ):
        importlib.import_module(name)


@dataclass(frozen=True)
class FirstView:
    """What the window shows first, read off the GUI thread (:func:`read_first_view`)."""

    articles: FirstArticles
    sites: SiteService  # its keyring looked up already where there are sites
    known_sites: tuple[SiteInfo, ...]
    recoverable: tuple[AutosaveInfo, ...] | None  # None: could not be read; asked again


def read_first_view(services: Services, counts: Counts, actor: str) -> FirstView:
    """Reads only, no widget (``app.Startup`` runs it on its worker thread): the Articles
    page's first rows and article, the connected sites, the work to recover."""
    from editor_app.services.sites import SiteService
    from editor_app.ui.articles_page import read_first_articles

    sites = SiteService(services.uow, services.imports)
    try:
        known = sites.all(where=False)
        if known:  # the keyring will be needed: looked up here, off the GUI thread
            sites.credentials.where()
    except UserError:
        known = ()
    try:
        recoverable: tuple[AutosaveInfo, ...] | None = services.editor.recoverable(actor=actor)
    except UserError:
        recoverable = None
    return FirstView(read_first_articles(services, counts.articles), sites, known, recoverable)


class MainWindow(QMainWindow):
    services: Services
    articles_page: ArticlesPage
    authors_page: AuthorsPage
    moderation_page: ModerationPage
    search_page: SearchPage
    editor_area: EditorArea
    job_status: JobStatus
    jobs_panel: JobsPanel
    jobs_dock: QDockWidget
    merge_undo: MergeUndoOffer
    undo_offer: UndoOffer
    sites: SitesController

    def __init__(
        self,
        services: Services | None,
        jobs: JobManager,
        db_label: str,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
        *,
        change_poll: Callable[[], frozenset[str]] | None = None,
    ):
        """The whole window on ``services``; with None, only its frame (menus, navigation,
        toolbar, a placeholder page) until :meth:`attach` is given the services. The frame
        is what the first paint needs: it imports no page, service or store module, so it
        shows about as soon as a bare window (``app.start_gui`` opens the store meanwhile).
        """
        super().__init__(parent)
        self.jobs = jobs
        self.live: LiveRefresh | None = None
        self._stale_pages: set[int] = set()
        self._unfilled: set[int] = set()  # pages not read from the store yet
        self._loaded = False
        self.settings = settings if settings is not None else preferences.user_settings()
        self.preferences = preferences.Preferences(self.settings, self)
        # The store's name; Qt adds " — Copydesk" (the application's display name).
        self.db_label = db_label
        self.setWindowTitle(db_label)
        self.setWindowIcon(glyphs.icon("fa6s.newspaper"))
        self.setAcceptDrops(True)
        self.resize(1280, 800)

        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setIconSize(QSize(18, 18))
        self.nav.setFixedWidth(250)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setTextElideMode(Qt.TextElideMode.ElideRight)
        for icon, label in zip(NAV_ICONS, NAV_LABELS, strict=True):
            self.nav.addItem(QListWidgetItem(glyphs.icon(icon, color=self._icon_colour()), label))

        # Until the pages are built: a page that says the store is opening.
        self.placeholder = QLabel(f"Opening {db_label or 'the store'}…")
        self.placeholder.setObjectName("welcomeText")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)

        body = QWidget()
        layout = QHBoxLayout(body)
        layout.setContentsMargins(0, 0, 4, 0)
        layout.setSpacing(4)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)

        self._make_actions()
        self._make_menus()
        self.site_actions = make_sites_menu(self)
        self._make_toolbar()
        # What needs the store waits for it; Quit, the shortcuts and About do not. The menus
        # themselves stay open to look in (a menu's title is an action too).
        self._store_actions = [
            a
            for a in self.findChildren(QAction)
            if a not in (self.quit_action, self.shortcuts_action, self.about_action)
            and a.menu() is None
        ]
        for action in self._store_actions:
            action.setEnabled(False)
        self.search_box.setEnabled(False)
        self.nav.currentRowChanged.connect(self.on_nav_changed)
        self.quit_action.triggered.connect(self.close)
        self.shortcuts_action.triggered.connect(self.on_shortcuts)
        self.about_action.triggered.connect(self.on_about)
        self.nav.setCurrentRow(NAV_ARTICLES)
        self._restore_geometry()
        if services is not None:
            self.attach(services, change_poll=change_poll)

    @property
    def loaded(self) -> bool:
        """True once :meth:`attach` built the pages."""
        return self._loaded

    def attach(
        self, services: Services, *, change_poll: Callable[[], frozenset[str]] | None = None
    ) -> None:
        """Build the pages on the open store and read what the window shows first.
        ``app.Startup`` does the same in steps, reading off the GUI thread:
        :meth:`attach_steps`, then :meth:`fill`."""
        for _ in self.attach_steps(services, change_poll=change_poll):
            pass
        self.fill()

    def attach_steps(
        self,
        services: Services,
        *,
        change_poll: Callable[[], frozenset[str]] | None = None,
        db_label: str | None = None,
    ) -> Iterator[None]:
        """:meth:`attach` (without the fill) a page at a time: ``app.Startup`` runs one
        step per turn of the event loop, so the GUI thread never stalls for all of them
        at once. The placeholder stays in front until :meth:`fill`."""
        from editor_app.ui.articles_page import ArticlesPage
        from editor_app.ui.authors.page import AuthorsPage
        from editor_app.ui.authors.profile import ProfilePane
        from editor_app.ui.authors.undo import MergeUndoOffer
        from editor_app.ui.editor.desk_panels import edit_house_style
        from editor_app.ui.editor.editor_area import EditorArea
        from editor_app.ui.job_status import JobStatus
        from editor_app.ui.jobs_panel import JobsPanel
        from editor_app.ui.live_refresh import LiveRefresh
        from editor_app.ui.moderation.detail import ModerationDetail
        from editor_app.ui.moderation.page import ModerationPage
        from editor_app.ui.search_page import SearchPage
        from editor_app.ui.undo_offer import UndoOffer

        if hasattr(self, "services"):
            raise RuntimeError("the window is attached to a store already")
        self.services = services
        if db_label is not None:
            self.db_label = db_label
            self.setWindowTitle(db_label)
        # Another workstation's change: counts at once, lists when it is safe to reset them.
        self.live = LiveRefresh(change_poll, self) if change_poll is not None else None
        self.articles_page = ArticlesPage(services)
        yield
        pane = ProfilePane(services)
        yield
        self.authors_page = AuthorsPage(services, pane=pane)
        yield
        detail = ModerationDetail()
        yield
        self.moderation_page = ModerationPage(services, detail=detail)
        yield
        self.search_page = SearchPage()
        self.editor_area = EditorArea(services)
        # Behind the placeholder until fill() takes it out (the page indexes are then right).
        for page in (self.articles_page, self.authors_page, self.moderation_page):
            self.stack.addWidget(page)
        self.stack.insertWidget(NAV_EDITOR + 1, self.editor_area)
        self.stack.addWidget(self.search_page)

        # The pages' own actions join the menus the frame made.
        self.edit_menu.insertAction(self._house_style_action, self.authors_page.undo_merge_action)
        self._house_style_action.triggered.connect(lambda: edit_house_style(self.editor_area))
        self.article_menu.addAction(self.articles_page.delete_action)
        page = self.authors_page
        for action in (page.new_action, page.merge_action, page.export_action):
            self.authors_menu.addAction(action)
        yield

        self.job_status = JobStatus(self.jobs)
        self.statusBar().addPermanentWidget(self.job_status)
        self.merge_undo = MergeUndoOffer(self.statusBar(), self.authors_page.undo_merge_action)
        self.undo_offer = UndoOffer(self.statusBar())
        self.jobs_panel = JobsPanel(self.jobs)
        self.jobs_dock = QDockWidget("Jobs", self)
        self.jobs_dock.setObjectName("jobsDock")
        self.jobs_dock.setWidget(self.jobs_panel)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.jobs_dock)
        self.jobs_dock.hide()
        self.restoreDockWidget(self.jobs_dock)
        self.view_menu.addAction(self.jobs_dock.toggleViewAction())
        self.jobs_dock.toggleViewAction().setShortcut(QKeySequence("Ctrl+J"))

        self._connect_signals()

    def _attach_sites(self, first: FirstView | None) -> None:
        from editor_app.ui.sites import SitesController

        self.sites = SitesController(
            self,
            self.services,
            self.jobs,
            actions=self.site_actions,
            service=first.sites if first is not None else None,
            known=first.known_sites if first is not None else None,
        )
        self.moderation_page.site_state = self.sites.comment_state
        self.moderation_page.statuses_changed.connect(self.sites.schedule_push)

    def fill(self, counts: Counts | None = None, first: FirstView | None = None) -> None:
        """The second half of :meth:`attach`, after :meth:`attach_steps`: the Sites menu's
        controller, the counts and the article list read (or only installed: ``counts`` and
        ``first``, read off the GUI thread), what needs the store enabled, the page chosen
        meanwhile shown. ``app.Startup`` runs it in a turn of its own."""
        self._attach_sites(first)
        self.stack.removeWidget(self.placeholder)
        self.placeholder.deleteLater()
        for action in self._store_actions:
            action.setEnabled(True)
        self.search_box.setEnabled(True)
        self._loaded = True
        # Start-up reads the counts and the article list only: the pages out of sight fill
        # on their first visit (on_nav_changed), so the window shows sooner.
        counts = self.refresh_counts(counts)
        self.articles_page.refresh(counts.articles, first.articles if first is not None else None)
        self._unfilled = {NAV_AUTHORS, NAV_MODERATION}
        row = self.nav.currentRow()
        self.stack.setCurrentIndex(NAV_ARTICLES)
        if row > NAV_ARTICLES:  # chosen while the store was opening
            self.on_nav_changed(row)
        self._restore_splitters()
        if self.live is not None:
            self.live.start()
        # Work a crash or a kill left unsaved is offered as soon as the window is up.
        recoverable = first.recoverable if first is not None else None
        QTimer.singleShot(0, self.editor_area, lambda: self.editor_area.offer_recovery(recoverable))

    def _icon_colour(self) -> str:
        return self.palette().color(self.palette().ColorRole.WindowText).name()

    # Building ---------------------------------------------------------------------------
    def _make_actions(self) -> None:
        colour = self._icon_colour()
        self.import_action = QAction(
            glyphs.icon("fa6s.file-import", color=colour), "&Import…", self
        )
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.import_action.setToolTip(
            "Import WordPress WXR, Word, Markdown, HTML, Ghost or page dumps (Ctrl+I); "
            "you can also drop files here"
        )
        self.sample_action = QAction(
            glyphs.icon("fa6s.wand-magic-sparkles", color=colour), "Load &sample newsroom", self
        )
        # The toolbar's copy shows only on an empty store: demo content is no everyday tool
        # (File keeps it).
        self.sample_tool_action = QAction(self.sample_action.icon(), "Load sample newsroom", self)
        self.sample_tool_action.setToolTip("Load a small sample newsroom to look around")
        self.export_action = QAction(
            glyphs.icon("fa6s.file-export", color=colour), "&Export…", self
        )
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setToolTip("Export the selected article (Ctrl+E)")
        self.export_all_action = QAction("Export &all articles…", self)
        self.refresh_action = QAction("&Refresh", self)
        self.refresh_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Refresh))
        self.quit_action = QAction("&Quit", self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.find_action = QAction("&Find", self)
        self.find_action.setShortcuts(
            [QKeySequence(QKeySequence.StandardKey.Find), QKeySequence("Ctrl+Shift+F")]
        )
        self.go_actions = []
        for row, name in enumerate(("&Articles", "A&uthors", "&Moderation")):
            action = QAction(name, self)
            action.setShortcut(QKeySequence(f"Ctrl+{row + 1}"))
            action.setData(row)
            self.go_actions.append(action)
        self._make_editor_actions()
        self._make_edit_and_help_actions()

    def _make_edit_and_help_actions(self) -> None:
        """Edit → Undo … Paste act on the focused widget; their keys stay the widgets' own
        (shown in the menu, not registered twice), so text fields and the queue keep them."""
        self.edit_command_actions: dict[str, QAction] = {}
        for command, label, key in (
            ("undo", "&Undo", QKeySequence.StandardKey.Undo),
            ("redo", "&Redo", QKeySequence.StandardKey.Redo),
            ("cut", "Cu&t", QKeySequence.StandardKey.Cut),
            ("copy", "&Copy", QKeySequence.StandardKey.Copy),
            ("paste", "&Paste", QKeySequence.StandardKey.Paste),
        ):
            shown = QKeySequence(key).toString(QKeySequence.SequenceFormat.NativeText)
            action = QAction(f"{label}\t{shown}", self)
            action.setData(command)
            self.edit_command_actions[command] = action
        self.preferences_action = QAction("Pr&eferences…", self)
        self.preferences_action.setShortcut(QKeySequence("Ctrl+,"))
        self.preferences_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.shortcuts_action = QAction("&Keyboard shortcuts", self)
        self.shortcuts_action.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        self.about_action = QAction("&About Copydesk", self)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)

    def _make_editor_actions(self) -> None:
        editor = QAction("&Editor", self)
        editor.setShortcut(QKeySequence("Ctrl+4"))
        editor.setData(NAV_EDITOR)
        self.go_actions.append(editor)
        self.new_article_action = QAction("&New article", self)
        self.new_article_action.setShortcut(QKeySequence("Ctrl+N"))
        self.open_in_editor_action = QAction("&Open in editor", self)
        self.open_in_editor_action.setToolTip("Edit the selected article (double-click or Enter)")
        self.save_article_action = QAction("&Save article\tCtrl+S", self)
        self.close_article_action = QAction("&Close article\tCtrl+W", self)

    def _make_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.import_action)
        file_menu.addAction(self.sample_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addAction(self.export_all_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        self.edit_menu = edit_menu
        commands = self.edit_command_actions
        for command in ("undo", "redo", None, "cut", "copy", "paste", None):
            if command is None:
                edit_menu.addSeparator()
            else:
                edit_menu.addAction(commands[command])
        edit_menu.addAction(self.find_action)
        edit_menu.addSeparator()
        # Undo merge (the Authors page's) goes before it once the pages are built.
        self._house_style_action = edit_menu.addAction("House style…")
        edit_menu.addSeparator()
        edit_menu.addAction(self.preferences_action)
        article_menu = self.menuBar().addMenu("A&rticle")
        for action in (
            self.new_article_action,
            self.open_in_editor_action,
            self.save_article_action,
            self.close_article_action,
        ):
            article_menu.addAction(action)
        article_menu.addSeparator()  # the Articles page's Delete follows
        self.article_menu = article_menu
        self.view_menu = self.menuBar().addMenu("&View")
        self.view_menu.addAction(self.refresh_action)
        go_menu = self.menuBar().addMenu("&Go")
        for action in self.go_actions:
            go_menu.addAction(action)
        go_menu.addSeparator()
        go_menu.addAction(self.find_action)
        self.authors_menu = self.menuBar().addMenu("Au&thors")  # the Authors page's actions
        self.help_menu = self.menuBar().addMenu("&Help")
        self.help_menu.addAction(self.shortcuts_action)
        self.help_menu.addAction(self.about_action)

    def _make_toolbar(self) -> None:
        bar = QToolBar("Main")
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        bar.addAction(self.import_action)
        bar.addAction(self.sample_tool_action)
        bar.addAction(self.export_action)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        bar.addWidget(spacer)
        self.search_box = QLineEdit()
        self.search_box.setObjectName("searchBox")
        self.search_box.setPlaceholderText("Search articles and comments (Ctrl+F)")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.addAction(
            glyphs.icon("fa6s.magnifying-glass", color=self._icon_colour()),
            QLineEdit.ActionPosition.LeadingPosition,
        )
        bar.addWidget(self.search_box)
        self.addToolBar(bar)

    def _connect_signals(self) -> None:
        self.import_action.triggered.connect(self.on_import_triggered)
        self.sample_action.triggered.connect(self.on_sample_triggered)
        self.sample_tool_action.triggered.connect(self.on_sample_triggered)
        self.export_action.triggered.connect(self.on_export_triggered)
        self.export_all_action.triggered.connect(self.on_export_all_triggered)
        self.refresh_action.triggered.connect(self.refresh_all)
        if self.live is not None:
            self.live.changed.connect(self.on_changed_elsewhere)
            self.live.lost.connect(self.on_live_lost)
        self.find_action.triggered.connect(self.on_find_triggered)
        for action in self.go_actions:
            action.triggered.connect(lambda _c=False, a=action: self.nav.setCurrentRow(a.data()))
        self.search_box.returnPressed.connect(self.on_search_submitted)
        self.articles_page.welcome.import_requested.connect(self.on_import_triggered)
        self.articles_page.welcome.sample_requested.connect(self.on_sample_triggered)
        self.authors_page.article_requested.connect(self.open_article)
        self.authors_page.authors_changed.connect(self.refresh_all)
        self.authors_page.merged.connect(self.merge_undo.offer)
        self.authors_page.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        for action in (self.authors_page.new_action, self.authors_page.merge_action):
            action.triggered.connect(lambda _c=False: self.nav.setCurrentRow(NAV_AUTHORS))
        self.moderation_page.article_requested.connect(self.open_article)
        self.moderation_page.statuses_changed.connect(self.refresh_counts)
        self.moderation_page.failed.connect(self.on_action_failed)
        self.moderation_page.notice.connect(self.on_moderation_notice)
        # The page's messages go to the status bar (with Undo where there is one); its own
        # message line in the toolbar would say the same, cut short.
        self.moderation_page.status.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.moderation_page.message.hide()
        self.articles_page.open_requested.connect(self.open_in_editor)
        self.articles_page.export_requested.connect(lambda i: self._ask_export([i]))
        self.articles_page.articles_changed.connect(self.refresh_all)
        self.articles_page.notice.connect(self.undo_offer.offer)
        self.articles_page.failed.connect(self.on_action_failed)
        for action in self.edit_command_actions.values():
            action.triggered.connect(lambda _c=False, a=action: self.on_edit_command(a.data()))
        self.preferences_action.triggered.connect(self.on_preferences)
        self.search_page.article_requested.connect(self.open_article)
        self.search_page.comment_requested.connect(self.open_comment)
        self.jobs.job_finished.connect(self.on_job_finished)
        self.jobs.job_failed.connect(self.on_job_failed)
        self.jobs.job_cancelled.connect(self.on_job_cancelled)
        self.new_article_action.triggered.connect(self.on_new_article)
        self.open_in_editor_action.triggered.connect(self.on_open_in_editor)
        self.articles_page.table.activated.connect(lambda _index: self.on_open_in_editor())
        self.save_article_action.triggered.connect(self.on_save_article)
        self.close_article_action.triggered.connect(self.on_close_article)
        self.editor_area.count_changed.connect(self.on_editor_count_changed)
        self.editor_area.article_saved.connect(self.on_article_saved)
        self.editor_area.message.connect(lambda text: self.statusBar().showMessage(text, 8000))

    # Refreshing -------------------------------------------------------------------------
    def refresh_counts(self, counts: Counts | None = None) -> Counts:
        if counts is None:
            counts = self.services.counts()
        pending = counts.comments.get("pending", 0)
        labels = (
            f"Articles ({counts.articles})",
            f"Authors ({counts.authors})",
            f"Moderation (pending {pending})",
        )
        for row, label in enumerate(labels):
            self.nav.item(row).setText(label)
        self.sample_tool_action.setVisible(counts.articles == 0 and counts.authors == 0)
        self.on_editor_count_changed(self.editor_area.tabs.count())
        return counts

    def refresh_all(self) -> None:
        """Everything the store may have changed under: counts, lists and open views."""
        self._stale_pages.clear()
        self._unfilled = set()
        counts = self.refresh_counts()
        self.articles_page.refresh(counts.articles)
        self.authors_page.refresh()
        self.moderation_page.refresh()

    # Jobs -------------------------------------------------------------------------------
    def start_import(self, paths: Sequence[Path]) -> JobHandle | None:
        from editor_app.services.dto import ImportResult
        from editor_app.services.importing import ImportOptions

        files = [Path(p) for p in paths]
        if not files:
            return None
        self.jobs_dock.show()
        imports = self.services.imports

        def run(progress: Progress, cancelled: IsCancelled) -> ImportResult:
            return imports.import_paths(
                files, ImportOptions(), progress=progress, cancelled=cancelled
            )

        title = f"Importing {files[0].name}" + (
            f" and {len(files) - 1} more" if len(files) > 1 else ""
        )
        return self._start_job(title, run)

    def start_sample_load(self) -> JobHandle:
        from editor_app.services.dto import ImportResult
        from editor_app.services.sample import load_sample_newsroom

        imports = self.services.imports

        def run(_progress: Progress, _cancelled: IsCancelled) -> ImportResult:
            return load_sample_newsroom(imports)

        return self._start_job("Loading the sample newsroom", run)

    def start_export(
        self, ids: Sequence[int], fmt: str, target: Path, *, page_size: str = "a4"
    ) -> JobHandle:
        from editor_app.ui.export_dialog import FORMATS, articles

        exports = self.services.exports
        chosen = list(ids)

        def run(progress: Progress, cancelled: IsCancelled) -> str:
            pdf = None
            if fmt == "pdf":
                from editor_app.workers.pdf import write_pdf

                def pdf(data: ArticleData, path: Path) -> None:
                    write_pdf(data, path, page_size=page_size)

            written = exports.export(
                chosen, fmt, target, pdf=pdf, progress=progress, cancelled=cancelled
            )
            where = written[0] if len(written) == 1 else target
            return f"Exported {articles(len(chosen))} to {where}"

        label = FORMATS[fmt][0] if fmt in FORMATS else fmt
        return self._start_job(f"Exporting {articles(len(chosen))} as {label}", run)

    def _start_job(self, title: str, fn: JobFn) -> JobHandle:
        handle = self.jobs.start(title, fn)
        self.statusBar().showMessage(f"{title}…")
        return handle

    # Slots ------------------------------------------------------------------------------
    def on_nav_changed(self, row: int) -> None:
        if row >= 0 and self._loaded:  # before, attach() goes to the row chosen
            self.stack.setCurrentIndex(row)
            if row in self._unfilled:
                self._unfilled.discard(row)
                (self.authors_page if row == NAV_AUTHORS else self.moderation_page).refresh()
            if row in self._stale_pages:
                self._stale_pages.discard(row)
                self.refresh_all()

    def on_import_triggered(self) -> None:
        from editor_app.ui import dialogs

        self.start_import([Path(p) for p in dialogs.ask_import_paths(self)])

    def on_sample_triggered(self) -> None:
        self.start_sample_load()

    def on_find_triggered(self) -> None:
        """Find in what is in front: the article in the editor, the queue's or the authors'
        own search; elsewhere the search of everything."""
        tab = self.editor_area.current()
        page = self.stack.currentWidget()
        if page is self.editor_area and tab is not None:
            tab.find_bar.open_bar(with_replace=False)
            return
        local = None
        if page is self.moderation_page:
            local = self.moderation_page.filters.search
        elif page is self.authors_page:
            local = self.authors_page.search
        if local is not None and QApplication.focusWidget() is not local:
            local.setFocus(Qt.FocusReason.ShortcutFocusReason)
            local.selectAll()
            return
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def on_search_submitted(self) -> None:
        text = self.search_box.text().strip()
        if not text:
            return
        try:
            results = self.services.search.search(text)
        except UserError as exc:
            self.statusBar().showMessage(str(exc), 8000)
            return
        self.search_page.show_results(results)
        self._show_outside_nav(self.search_page)

    def open_article(self, article_id: int) -> None:
        self.nav.setCurrentRow(NAV_ARTICLES)
        self.articles_page.show_article(article_id)

    def open_comment(self, comment_id: int) -> None:
        self.nav.setCurrentRow(NAV_MODERATION)
        self.moderation_page.show_comment(comment_id)

    def on_export_triggered(self) -> None:
        article_id = self.articles_page.current_id()
        if article_id is None:
            self.statusBar().showMessage("Choose an article to export first", 6000)
            return
        self._ask_export([article_id])

    def on_export_all_triggered(self) -> None:
        self._ask_export(self.services.exports.all_ids())

    def _ask_export(self, ids: list[int]) -> None:
        from editor_app.ui import dialogs
        from editor_app.ui.export_dialog import ExportDialog

        if not ids:
            self.statusBar().showMessage("There is nothing to export yet", 6000)
            return
        suggested, title = "copydesk-export", ""
        if len(ids) == 1:
            try:
                detail = self.services.articles.detail(ids[0])
                suggested, title = detail.slug or "article", detail.title
            except UserError:
                suggested = "article"
        dialog = ExportDialog(
            len(ids), self, suggested=suggested, settings=self.settings, title=title
        )
        if dialogs.run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        problem = dialog.problem()
        if problem is not None:
            self.statusBar().showMessage(problem, 6000)
            return
        dialog.remember()
        fmt, target = dialog.chosen()
        self.start_export(ids, fmt, target, page_size=dialog.chosen_page_size())

    def on_changed_elsewhere(self, _tables: frozenset[str]) -> None:
        """Counts and lists follow at once; the queue a moderator works in waits for F5.

        The article list keeps its selection when reloaded, so it always follows; the open
        article is shown anew, with a notice, when someone else saved it. The feed never
        reports this workstation's own writes (store.changes tells them apart), so what an
        action said, and its Undo, stays in the status bar.
        """
        counts = self.refresh_counts()
        changed = self.articles_page.reload_if_changed()
        self.articles_page.refresh(counts.articles)
        self._unfilled = set()  # the hidden pages are filled below
        if self.stack.currentIndex() != NAV_AUTHORS:
            self.authors_page.refresh()
        else:
            self._stale_pages.add(NAV_AUTHORS)
        if self.stack.currentIndex() != NAV_MODERATION:
            self.moderation_page.refresh()
        else:
            self._stale_pages.add(NAV_MODERATION)
        if changed:
            self.statusBar().showMessage(
                f"“{changed}” was changed on another workstation; showing the new version",
                15000,
            )
        elif self._stale_pages:
            self.statusBar().showMessage(
                "Changed on another workstation — press F5 to refresh this list", 10000
            )

    def on_live_lost(self, message: str) -> None:
        self.statusBar().showMessage(message, 15000)

    def on_job_finished(self, _handle: JobHandle, result: object) -> None:
        from editor_app.services.dto import ImportResult
        from editor_app.ui.moderation.jobs import ModerationJobs

        if isinstance(result, ImportResult):
            summary = result.summary()
        elif isinstance(result, str):
            summary = result
        else:  # the moderation jobs: what the rules did, how many were rescored
            summary = ModerationJobs.summary(result)
        self.refresh_all()
        self.statusBar().showMessage(summary, 15000)

    def on_job_failed(self, _handle: JobHandle, message: str) -> None:
        from editor_app.ui import dialogs

        self.statusBar().showMessage("The job failed", 8000)
        self.refresh_all()
        dialogs.show_error(self, "Copydesk", message)

    def on_job_cancelled(self, _handle: JobHandle) -> None:
        self.statusBar().showMessage("Cancelled; nothing was changed", 8000)

    # The editor ------------------------------------------------------------------------
    def on_new_article(self) -> None:
        self.nav.setCurrentRow(NAV_EDITOR)
        self.editor_area.new_article()

    def on_open_in_editor(self) -> None:
        article_id = self.articles_page.current_id()
        if article_id is None:
            self.statusBar().showMessage("Choose an article to edit first", 6000)
            return
        self.open_in_editor(article_id)

    def open_in_editor(self, article_id: int) -> None:
        if self.articles_page.in_trash:
            self.statusBar().showMessage("Restore the article from the Trash to edit it", 6000)
            return
        self.nav.setCurrentRow(NAV_EDITOR)
        self.editor_area.open_article(article_id)

    def on_save_article(self) -> None:
        tab = self.editor_area.current()
        if tab is not None:
            tab.save()

    def on_close_article(self) -> None:
        self.editor_area.close_tab(self.editor_area.tabs.currentIndex())

    def on_editor_count_changed(self, count: int) -> None:
        self.nav.item(NAV_EDITOR).setText(f"Editor ({count} open)" if count else "Editor")

    def on_article_saved(self, _article_id: int) -> None:
        counts = self.refresh_counts()
        self.articles_page.refresh(counts.articles)

    def on_action_failed(self, message: str) -> None:
        from editor_app.ui import dialogs

        dialogs.show_error(self, "Copydesk", message)

    # Edit, Preferences and Help ---------------------------------------------------------
    def on_moderation_notice(self, text: str, undo: Callable[[], None] | None) -> None:
        self.undo_offer.offer(text, undo, tip="Take back this moderation action")

    def on_edit_command(self, command: str) -> None:
        """Edit → Undo, Redo, Cut, Copy, Paste on the widget with the focus."""
        from editor_app.ui import edit_commands

        focused = QApplication.focusWidget()
        if edit_commands.run(focused, command):
            return
        if command == "undo" and self.stack.currentWidget() is self.moderation_page:
            self.moderation_page.undo()
            return
        if command == "undo" and self.authors_page.undo_merge_action.isEnabled():
            self.authors_page.undo_merge_action.trigger()
            return
        self.statusBar().showMessage(f"Nothing to {command} here", 5000)

    def on_preferences(self) -> PreferencesDialog:
        from editor_app.ui import dialogs
        from editor_app.ui.editor.desk_panels import edit_house_style
        from editor_app.ui.preferences_dialog import PreferencesDialog
        from editor_app.ui.theme import apply_theme

        editor = self.services.editor
        dialog = PreferencesDialog(
            self.services.authors.list(),
            mine=editor.my_author(self.editor_area.actor),
            spelling=editor.spelling_language(),
            parent=self,
            prefs=self.preferences,
            on_house_style=lambda: edit_house_style(self.editor_area),
        )
        if dialogs.run_dialog(dialog) == QDialog.DialogCode.Accepted:
            dialog.save()
            try:
                actor = self.editor_area.actor
                editor.set_my_author(actor, dialog.author_id(), actor=actor)
                if dialog.spelling_language() != editor.spelling_language():
                    editor.set_spelling_language(dialog.spelling_language(), actor=actor)
                    self.editor_area.reload_spelling()
            except UserError as exc:
                dialogs.show_error(self, "Copydesk", str(exc))
                return dialog
            app = QApplication.instance()
            if isinstance(app, QApplication):
                apply_theme(app, self.preferences.theme())
            self.statusBar().showMessage("Preferences saved", 5000)
        return dialog

    def on_shortcuts(self) -> None:
        from editor_app.ui.help_dialogs import ShortcutsDialog

        dialog = ShortcutsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()

    def on_about(self) -> None:
        from editor_app.ui.help_dialogs import about_html

        QMessageBox.about(self, "About Copydesk", about_html(self.db_label))

    # Qt events --------------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        urls = event.mimeData().urls()
        if self._loaded and urls and all(u.isLocalFile() for u in urls):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths and self._loaded:
            event.acceptProposedAction()
            self.start_import(paths)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._loaded:  # closed while the store was opening
            self._save_settings()
            super().closeEvent(event)
            return
        if not self.editor_area.confirm_close_all():  # articles with unsaved work
            event.ignore()
            return
        if not self.authors_page.pane.confirm_leave():  # an author profile with unsaved edits
            event.ignore()
            return
        if self.live is not None:
            self.live.stop()
        self._save_settings()
        super().closeEvent(event)

    # Helpers ----------------------------------------------------------------------------
    def _show_outside_nav(self, page: QWidget) -> None:
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(-1)
        self.nav.blockSignals(False)
        self.stack.setCurrentWidget(page)

    def _splitters(self) -> dict[str, QSplitter]:
        return {
            "articles": self.articles_page.splitter,
            "authors": self.authors_page.splitter,
            "moderation": self.moderation_page.splitter,
        }

    def _save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        if self._loaded:
            for name, splitter in self._splitters().items():
                s.setValue(f"splitters/{name}", splitter.saveState())
        s.sync()

    def _restore_geometry(self) -> None:
        """Size, place, toolbar and (once it exists: restoreDockWidget) the Jobs dock."""
        s = self.settings
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)

    def _restore_splitters(self) -> None:
        s = self.settings
        for name, splitter in self._splitters().items():
            saved = s.value(f"splitters/{name}")
            if isinstance(saved, QByteArray):
                splitter.restoreState(saved)
