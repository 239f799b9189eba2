"""Connected WordPress sites in the window: the Sites menu and dialog, Publish, and the
background sending of moderation decisions.

Everything that talks to a site runs as a job (the network never blocks the window). The
outbox is sent a second after a moderation action and then every minute while something
waits; a pull can run on a timer as well (never two of one site at once). A background send or
timed pull that finds the site down says so in the status bar and tries again later; it does
not raise a dialog every minute.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QMainWindow,
    QMessageBox,
)

from editor_app.domain.errors import Conflict, UserError
from editor_app.domain.identity import current_user
from editor_app.services.container import Services
from editor_app.services.sites import (
    PublishConflict,
    SiteInfo,
    SiteService,
    SiteState,
    SiteVersion,
)
from editor_app.ui import dialogs
from editor_app.ui.models import COL_SITE
from editor_app.ui.site_dialogs import AddSiteDialog as AddSiteDialog
from editor_app.ui.site_dialogs import PublishDialog, SitesDialog
from editor_app.ui.site_state import describe_state as describe_state
from editor_app.ui.sites_menu import SiteActions, make_sites_menu
from editor_app.workers.jobs import IsCancelled, JobHandle, JobManager, Progress

PUSH_EVERY_MS = 60_000
PUSH_SOON_MS = 1_000


class SitesController(QObject):
    """The Sites menu of the main window, its jobs and timers."""

    def __init__(
        self,
        window: QMainWindow,
        services: Services,
        jobs: JobManager,
        *,
        actions: SiteActions | None = None,
        service: SiteService | None = None,
        known: Sequence[SiteInfo] | None = None,
    ):
        """``service`` and ``known`` (the sites), when the caller made and read them off
        the GUI thread already (``main_window.read_first_view``).

        The system keyring is looked up on a service's first use (~0.3 s: its plugins,
        and on Linux the macOS backend's ``find_library`` holds the GIL ~0.15 s, a stall
        whichever thread does it). What only needs the sites' names and settings (the Site
        column, whether to push at all, the timers) asks with ``where=False``, so a store
        without sites never looks the keyring up until one is added."""
        super().__init__(window)
        self.window = window
        self.services = services
        self.jobs = jobs
        self.service = (
            service if service is not None else SiteService(services.uow, services.imports)
        )
        self.pull_timers: dict[str, QTimer] = {}
        self.dialog: SitesDialog | None = None
        self._pushing = False
        self._pulling: set[str] = set()  # sites with a pull running
        self._publishing: set[int] = set()  # articles with a publish running
        self.push_timer = QTimer(self)
        self.push_timer.setInterval(PUSH_EVERY_MS)
        self.push_timer.timeout.connect(self.push_all_quietly)
        self.soon_timer = QTimer(self)
        self.soon_timer.setSingleShot(True)
        self.soon_timer.setInterval(PUSH_SOON_MS)
        self.soon_timer.timeout.connect(self.push_all_quietly)
        # The menu came with the window's frame (``ui.sites_menu``), or is made here.
        self.actions = actions if actions is not None else make_sites_menu(window)
        self.sites_action = self.actions.sites
        self.pull_action = self.actions.pull
        self.push_action = self.actions.push
        self.publish_action = self.actions.publish
        self.resolve_action = self.actions.resolve
        self.sites_action.triggered.connect(self.on_sites)
        self.pull_action.triggered.connect(self.pull_all)
        self.push_action.triggered.connect(lambda: self.push_all_quietly(loud=True))
        self.publish_action.triggered.connect(self.on_publish)
        self.resolve_action.triggered.connect(self.on_resolve)
        self.push_timer.start()
        self.jobs.job_finished.connect(self._after_job)
        self.jobs.job_failed.connect(self._after_job)
        # A guard's release, by job id. Through the manager's signals, connected before any
        # job starts: a job that ends before `start` returns would never call a slot
        # connected to its own signals afterwards (a queued call goes to the slots connected
        # when it was emitted), and its guard would hold for ever.
        self._releases: dict[int, Callable[[], None]] = {}
        self._results: dict[int, Callable[[object], None]] = {}  # the same, for a result
        self.jobs.job_finished.connect(self._finished)
        self.jobs.job_failed.connect(self._release)
        self.jobs.job_cancelled.connect(self._release)
        self._queue = getattr(window, "moderation_page", None)
        if self._queue is not None:
            self._queue.model.site_states = self._site_states
        # Each site's pull timer, as the user left it (kept in the store).
        if known is None:
            known = self._sites()
        for info in known:
            self.set_pull_every(info.name, info.pull_every_minutes, keep=False)
        self.sites_changed(known)

    def _sites(self) -> tuple[SiteInfo, ...]:
        """The sites' names and settings (``password_kept_in`` not looked up)."""
        try:
            return self.service.all(where=False)
        except UserError:
            return ()

    def _site_states(self, ids: Sequence[int]) -> dict[int, SiteState]:
        try:
            return self.service.states("comment", ids)
        except UserError:
            return {}

    def sites_changed(self, known: Sequence[SiteInfo] | None = None) -> None:
        """The queue's Site column shows only when a site is connected (``known``: the
        sites, when just read)."""
        if self._queue is None:
            return
        has = bool(known if known is not None else self._sites())
        self._queue.table.setColumnHidden(COL_SITE, not has)

    def _release(self, handle: JobHandle, *_args: object) -> None:
        self._results.pop(handle.id, None)
        release = self._releases.pop(handle.id, None)
        if release is not None:
            release()

    def _finished(self, handle: JobHandle, result: object) -> None:
        then = self._results.pop(handle.id, None)
        self._release(handle)
        if then is not None:
            then(result)

    def _then(self, handle: JobHandle, then: Callable[[object], None]) -> JobHandle:
        """Call `then(result)` when the job finishes (not when it fails or is cancelled)."""
        self._results[handle.id] = then
        return handle

    def _guarded(
        self, title: str, fn: Callable[[Progress, IsCancelled], Any], release: Callable[[], None]
    ) -> JobHandle:
        """Start a job whose end (finished, failed or cancelled) calls `release`."""
        handle = self._job(title, fn)
        self._releases[handle.id] = release
        return handle

    def _after_job(self, *_args: object) -> None:
        # A send or a pull may have changed what the queue shows in its Site column.
        if self._queue is not None:
            self._queue.model.refresh_site_states()

    # -- jobs -------------------------------------------------------------------------------

    def _job(self, title: str, fn: Callable[[Progress, IsCancelled], Any]) -> JobHandle:
        handle = self.jobs.start(title, fn)
        self.window.statusBar().showMessage(f"{title}…", 5000)
        return handle

    def start_add(
        self, name: str, url: str, user: str, password: str, *, auto_send: bool = False
    ) -> JobHandle:
        service = self.service

        def run(_p: Progress, _c: IsCancelled) -> str:
            info = service.add(name, url, user, password, auto_send=auto_send)
            return f"Site {info.name} added; its password is kept in {info.password_kept_in}"

        handle = self._job(f"Checking {url}", run)
        self._then(handle, lambda _r: self.sites_changed())
        return handle

    def start_pull(self, name: str, *, quiet: bool = False) -> JobHandle | None:
        """Pull a site as a job; none while a pull of that site runs. `quiet` (the timer):
        a failure is a status-bar message, as a background send's is, not a dialog."""
        if name in self._pulling:
            self.window.statusBar().showMessage(f"A pull from {name} is still running", 5000)
            return None
        service = self.service

        def run(progress: Progress, cancelled: IsCancelled) -> str:
            try:
                r = service.pull(name, progress=progress, cancelled=cancelled)
            except UserError as exc:
                if not quiet:
                    raise
                return f"Pull from {name} failed: {exc}"
            extra = f"; {r.messages[-1]}" if r.messages else ""
            return (
                f"Pulled from {name}: {r.articles} new articles, {r.comments} new comments, "
                f"{r.updated} updated ({r.requests} requests){extra}"
            )

        self._pulling.add(name)
        return self._guarded(f"Pulling from {name}", run, lambda: self._pulling.discard(name))

    def start_push(self, name: str) -> JobHandle | None:
        """Send a site's outbox as a job; none while a send runs (the store's claims keep
        two sends from sending one change twice; this keeps them from racing at all)."""
        if self._pushing:
            self.window.statusBar().showMessage("A send to the sites is still running", 5000)
            return None
        service = self.service

        def run(_p: Progress, _c: IsCancelled) -> str:
            r = service.push(name)
            extra = f"; {r.messages[0]}" if r.messages else ""
            return (
                f"Sent to {name}: {r.sent} sent, {r.failed} failed, "
                f"{r.conflicts} conflicts, {r.waiting} waiting{extra}"
            )

        self._pushing = True
        return self._guarded(f"Sending to {name}", run, self._pushed)

    def _pushed(self) -> None:
        self._pushing = False

    def pull_all(self) -> None:
        for info in self.service.all(where=False):
            self.start_pull(info.name)

    def schedule_push(self) -> None:
        """A moderation action was taken: send it in a second (several keys, one send)."""
        self.soon_timer.start()

    def push_all_quietly(self, *, loud: bool = False) -> JobHandle | None:
        """Send every site's outbox in the background; a site down is a status message."""
        if self._pushing:
            return None
        try:
            names = [
                i.name
                for i in self.service.all(where=False)
                if loud
                or any(
                    self.service.status(i.name, where=False).outbox.get(k)
                    for k in ("waiting", "failed")
                )
            ]
        except UserError:
            return None
        if not names:
            return None
        service = self.service

        def run(_p: Progress, _c: IsCancelled) -> str:
            parts = []
            for name in names:
                try:
                    r = service.push(name)
                    parts.append(
                        f"{name}: {r.sent} sent, {r.conflicts} conflicts, {r.waiting} waiting"
                    )
                except UserError as exc:
                    parts.append(f"{name}: not sent ({exc})")
            return "Sites — " + "; ".join(parts)

        self._pushing = True
        handle = self.jobs.start("Sending moderation to sites", run)
        self._releases[handle.id] = self._pushed
        return handle

    def set_pull_every(self, name: str, minutes: int, *, keep: bool = True) -> None:
        """Pull a site every so many minutes (0: only when asked); `keep` saves the choice
        with the site, so the next start restores it."""
        if keep:
            try:
                self.service.set_options(name, pull_every_minutes=minutes, where=False)
            except UserError as exc:
                self.window.statusBar().showMessage(str(exc), 8000)
                return
        timer = self.pull_timers.pop(name, None)
        if timer is not None:
            timer.stop()
            timer.deleteLater()
        if minutes:
            timer = QTimer(self)
            timer.timeout.connect(lambda n=name: self.start_pull(n, quiet=True))
            timer.start(minutes * 60_000)
            self.pull_timers[name] = timer

    # -- slots ------------------------------------------------------------------------------

    def _refresh_dialog(self, *_args: object) -> None:
        if self.dialog is not None:
            self.dialog.refresh()

    def on_sites(self) -> None:
        if self.dialog is None:
            self.dialog = SitesDialog(self, self.window)
            self.jobs.job_finished.connect(self._refresh_dialog)
            self.jobs.job_failed.connect(self._refresh_dialog)
        self.dialog.refresh()
        self.dialog.show()

    def current_article(self) -> int | None:
        page = getattr(self.window, "articles_page", None)
        return page.current_id() if page is not None else None

    def on_publish(self) -> None:
        article_id = self.current_article()
        names = [i.name for i in self.service.all(where=False)]
        if article_id is None:
            dialogs.show_error(self.window, "Publish", "Select an article in Articles first.")
            return
        if not names:
            dialogs.show_error(self.window, "Publish", "Add a site first (Sites ▸ Sites…).")
            return
        dialog = PublishDialog(names, self.window)
        if dialogs.run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        self.start_publish(
            dialog.site_box.currentText(), article_id, dialog.status_box.currentData()
        )

    def start_publish(
        self, name: str, article_id: int, status: str | None, *, force: bool = False
    ) -> JobHandle | None:
        """Publish as a job; none while a publish of that article runs (a second one would
        be refused by the store's claim anyway, with a dialog)."""
        if article_id in self._publishing:
            self.window.statusBar().showMessage(
                f"Article {article_id} is still being published", 5000
            )
            return None
        service = self.service

        def run(_p: Progress, _c: IsCancelled) -> object:
            try:
                r = service.publish(name, article_id, status, force=force)
            except Conflict as exc:
                return exc
            said = "".join(f"; {m}" for m in r.messages)
            return f"Article {article_id} is on {name} as {r.status}: {r.link}{said}"

        self._publishing.add(article_id)
        handle = self._guarded(
            f"Publishing article {article_id} to {name}",
            run,
            lambda: self._publishing.discard(article_id),
        )
        self._then(handle, lambda result: self._after_publish(result, name, article_id, status))
        return handle

    def _after_publish(
        self, result: object, name: str, article_id: int, status: str | None
    ) -> None:
        if not isinstance(result, Conflict):
            return
        box = QMessageBox(self.window)
        box.setWindowTitle("Changed on the site")
        box.setTextFormat(Qt.TextFormat.PlainText)  # the site's words, shown as written
        box.setText(str(result))
        if isinstance(result, PublishConflict):
            who = result.edited_by or "someone (WordPress kept no revision of that change)"
            box.setInformativeText(f"Last edited on {name} by {who}.")
        mine = box.addButton("Keep mine", QMessageBox.ButtonRole.AcceptRole)
        merge = box.addButton("Merge…", QMessageBox.ButtonRole.ActionRole)
        theirs = box.addButton("Take theirs", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        dialogs.run_dialog(box)
        if box.clickedButton() is mine:
            self.start_publish(name, article_id, status, force=True)
        elif box.clickedButton() is merge:
            self.start_merge(name, article_id)
        elif box.clickedButton() is theirs:
            service = self.service

            def run(_p: Progress, _c: IsCancelled) -> str:
                service.take_theirs(name, article_id)
                return f"Article {article_id} now has the site's version (a revision keeps yours)"

            self._job(f"Taking the site's version of article {article_id}", run)

    def start_merge(self, name: str, article_id: int) -> JobHandle:
        """Fetch the site's version (a job), then show it beside ours in the editor; saving
        the merge makes the next publish go on top of it."""
        service = self.service

        def run(_p: Progress, _c: IsCancelled) -> SiteVersion:
            return service.site_version(name, article_id)

        handle = self._job(f"Fetching the site's version of article {article_id}", run)
        self._then(handle, self.show_merge)
        return handle

    def show_merge(self, theirs: object) -> None:
        if not isinstance(theirs, SiteVersion):
            return
        open_in_editor = getattr(self.window, "open_in_editor", None)
        area = getattr(self.window, "editor_area", None)
        if open_in_editor is None or area is None:
            return
        open_in_editor(theirs.article_id)
        tab = next((t for t in area.editors() if t.draft.article_id == theirs.article_id), None)
        if tab is None:
            return
        by = f" by {theirs.edited_by}" if theirs.edited_by else ""
        service = self.service

        def merged(_article_id: int) -> None:
            try:
                service.merged(theirs)
            except UserError as exc:
                dialogs.show_error(self.window, "Merge", str(exc))
                return
            self.window.statusBar().showMessage(
                f"Merged with {theirs.site}'s version; publish to send it", 8000
            )

        tab.start_site_merge(
            theirs.title,
            theirs.dek,
            theirs.body_html,
            f"on {theirs.site}, {theirs.modified_gmt} UTC{by}",
            merged,
        )

    def on_resolve(self) -> None:
        page = getattr(self.window, "moderation_page", None)
        comment_id = page.current_id() if page is not None else None
        if comment_id is None:
            dialogs.show_error(self.window, "Settle conflict", "Select a comment in Moderation.")
            return
        state = self.service.states("comment", [comment_id]).get(comment_id)
        if state is None or state.state != "conflict":
            dialogs.show_error(self.window, "Settle conflict", "This comment has no conflict.")
            return
        box = QMessageBox(self.window)
        box.setWindowTitle("Settle conflict")
        box.setTextFormat(Qt.TextFormat.PlainText)  # the reader's words, shown as written
        box.setText(describe_state(state))
        mine = box.addButton("Keep mine", QMessageBox.ButtonRole.AcceptRole)
        theirs = box.addButton("Take the site's", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        dialogs.run_dialog(box)
        keep = (
            "mine"
            if box.clickedButton() is mine
            else "theirs"
            if box.clickedButton() is theirs
            else ""
        )
        if not keep:
            return
        service, site = self.service, state.site
        # Ours goes at once, unless a send runs: then with the next one (in a second).
        send_now = keep == "mine" and not self._pushing

        def run(_p: Progress, _c: IsCancelled) -> str:
            service.resolve(site, comment_id, keep, actor=current_user())
            if send_now:
                service.push(site)
            return f"Comment {comment_id}: " + (
                "the site's taken"
                if keep == "theirs"
                else "ours sent"
                if send_now
                else "ours goes with the next send"
            )

        title = f"Settling comment {comment_id} with {site}"
        if send_now:
            self._pushing = True
            self._guarded(title, run, self._pushed)
        elif keep == "mine":
            self._guarded(title, run, self.schedule_push)
        else:
            self._job(title, run)

    def comment_state(self, comment_id: int) -> str:
        try:
            return describe_state(self.service.states("comment", [comment_id]).get(comment_id))
        except UserError:
            return ""
