"""The Sites windows: adding a site, the sites and their settings, publishing to one.

The dialogs read and show; the SitesController (ui/sites.py) starts the jobs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor_app.domain.errors import Cancelled, UserError
from editor_app.services.options import PUBLISH_STATUSES
from editor_app.services.sites import SiteInfo
from editor_app.ui import dialogs

if TYPE_CHECKING:
    from editor_app.ui.sites import SitesController

AUTO_SEND_TEXT = "Send automatic moderation decisions to the site"
AUTO_SEND_NOTE = (
    "Off (the default): the rules' verdicts on comments the site holds stay suggestions "
    "here, in the held queue, and the site keeps those comments held until a moderator "
    "acts. A moderator's own decisions are always sent."
)
STATUS_LABELS = {
    "draft": "Draft",
    "pending": "Pending review",
    "future": "Scheduled",
    "publish": "Published",
}


class AddSiteDialog(QDialog):
    def __init__(self, where: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add a WordPress site")
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("gazette")
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://www.example.org")
        self.user_edit = QLineEdit()
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("WordPress → Users → Profile → Application Passwords")
        self.note = QLabel(f"The application password is kept in {where}, never in the store.")
        self.note.setWordWrap(True)
        self.auto_box = QCheckBox(AUTO_SEND_TEXT)
        self.auto_box.setChecked(False)
        self.auto_note = QLabel(AUTO_SEND_NOTE)
        self.auto_note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Name", self.name_edit)
        form.addRow("Address", self.url_edit)
        form.addRow("User", self.user_edit)
        form.addRow("Application password", self.password_edit)
        form.addRow("", self.auto_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.auto_note)
        layout.addWidget(self.note)
        layout.addWidget(buttons)


class PublishDialog(QDialog):
    def __init__(self, sites: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Publish to a site")
        self.site_box = QComboBox()
        self.site_box.addItems(sites)
        self.status_box = QComboBox()
        for status in PUBLISH_STATUSES:
            self.status_box.addItem(STATUS_LABELS[status], status)
        form = QFormLayout()
        form.addRow("Site", self.site_box)
        form.addRow("As", self.status_box)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)


class SitesDialog(QDialog):
    """The connected sites: add, remove, pull now, send now, and the pull timer."""

    COLUMNS = ("Name", "Address", "User", "Last pull", "Outbox", "Automatic", "Last error")

    def __init__(self, controller: SitesController, parent: QWidget | None = None):
        super().__init__(parent)
        self.controller = controller
        self.setWindowTitle("Sites")
        self.resize(860, 320)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("sitesTable")
        self.table.setHorizontalHeaderLabels(self.COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.add_button = QPushButton("Add…")
        self.remove_button = QPushButton("Remove")
        self.pull_button = QPushButton("Pull now")
        self.push_button = QPushButton("Send now")
        self.every_box = QSpinBox()
        self.every_box.setRange(0, 1440)
        self.every_box.setSuffix(" min")
        self.every_box.setSpecialValueText("never")
        self.every_box.setToolTip("Pull the selected site on a timer (never: only when asked)")
        self.auto_box = QCheckBox(AUTO_SEND_TEXT)
        self.auto_box.setToolTip(AUTO_SEND_NOTE)
        buttons = QHBoxLayout()
        for b in (self.add_button, self.remove_button, self.pull_button, self.push_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(QLabel("Pull every"))
        buttons.addWidget(self.every_box)
        settings = QHBoxLayout()
        settings.addWidget(self.auto_box)
        settings.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addLayout(settings)
        layout.addWidget(close)
        self.add_button.clicked.connect(self.on_add)
        self.remove_button.clicked.connect(self.on_remove)
        self.pull_button.clicked.connect(lambda: self._each(controller.start_pull))
        self.push_button.clicked.connect(lambda: self._each(controller.start_push))
        self.every_box.valueChanged.connect(self.on_every_changed)
        self.auto_box.toggled.connect(self.on_auto_toggled)
        self.table.itemSelectionChanged.connect(self.on_selection)
        self._infos: dict[str, SiteInfo] = {}
        self._loading = False
        self.refresh()

    def refresh(self) -> None:
        try:
            # Without the keyring's look-up (it can take seconds): the table does not say where
            # passwords are kept.
            service = self.controller.service
            rows = [service.status(i.name, where=False) for i in service.all(where=False)]
        except UserError as exc:
            dialogs.show_error(self, "Sites", str(exc))
            rows = []
        selected = self.selected_name()
        self._infos = {st.site.name: st.site for st in rows}
        self.table.setRowCount(len(rows))
        for r, st in enumerate(rows):
            info = st.site
            outbox = ", ".join(f"{n} {k}" for k, n in sorted(st.outbox.items()) if n) or "empty"
            cells = (
                info.name,
                info.url,
                info.user,
                f"{info.last_pull_at:%Y-%m-%d %H:%M}" if info.last_pull_at else "never",
                outbox,
                "sent to the site" if info.auto_send else "suggested here",
                info.last_error,
            )
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        has = bool(rows)
        for w in (self.remove_button, self.pull_button, self.push_button):
            w.setEnabled(has)
        names = list(self._infos)
        if has:
            self.table.selectRow(names.index(selected) if selected in names else 0)
        self.on_selection()

    def on_selection(self) -> None:
        """The settings below the table are the selected site's."""
        info = self._infos.get(self.selected_name() or "")
        self._loading = True
        try:
            self.every_box.setEnabled(info is not None)
            self.auto_box.setEnabled(info is not None)
            self.every_box.setValue(info.pull_every_minutes if info else 0)
            self.auto_box.setChecked(info.auto_send if info else False)
        finally:
            self._loading = False

    def on_every_changed(self, minutes: int) -> None:
        name = self.selected_name()
        if name and not self._loading:
            self.controller.set_pull_every(name, minutes)
            status = self.controller.service.status(name, where=False)
            self._infos = {**self._infos, name: status.site}

    def on_auto_toggled(self, on: bool) -> None:
        name = self.selected_name()
        if name and not self._loading:
            try:
                self.controller.service.set_options(name, auto_send=on, where=False)
            except UserError as exc:
                dialogs.show_error(self, "Sites", str(exc))
            self.refresh()

    def selected_name(self) -> str | None:
        rows = self.table.selectionModel().selectedRows()
        item = self.table.item(rows[0].row(), 0) if rows else None
        return item.text() if item else None

    def _each(self, start: Callable[[str], object]) -> None:
        name = self.selected_name()
        if name:
            start(name)

    def on_add(self) -> None:
        credentials = self.controller.service.credentials
        if credentials.probed:
            self.add_site(credentials.where())
            return
        # The dialog says where the password goes: the keyring's first look-up can take
        # seconds, so it runs as a job and the dialog opens when it is done.
        self.add_button.setEnabled(False)

        def look_up(_progress: object, cancelled: Callable[[], bool]) -> str:
            where = credentials.where()
            if cancelled():  # stopped from the jobs list, or the window closes: no dialog
                raise Cancelled("the look-up was stopped")
            return where

        self.controller.jobs.start(
            "Looking up where site passwords are kept",
            look_up,
            on_finished=self.add_site,
            on_failed=self._add_failed,
            on_cancelled=self._add_cancelled,
        )

    def _add_cancelled(self) -> None:
        self.add_button.setEnabled(True)

    def _add_failed(self, message: str) -> None:
        self.add_button.setEnabled(True)
        dialogs.show_error(self, "Add a site", message)

    def add_site(self, where: str) -> None:
        """The Add Site dialog, saying where the password is kept (`where`)."""
        self.add_button.setEnabled(True)
        dialog = AddSiteDialog(where, self)
        if dialogs.run_dialog(dialog) != QDialog.DialogCode.Accepted:
            return
        self.controller.start_add(
            dialog.name_edit.text(),
            dialog.url_edit.text(),
            dialog.user_edit.text(),
            dialog.password_edit.text(),
            auto_send=dialog.auto_box.isChecked(),
        )
        dialog.password_edit.clear()

    def on_remove(self) -> None:
        name = self.selected_name()
        if name and dialogs.confirm(
            self,
            "Remove site",
            f"Forget {name} and its password? Pulled articles and comments stay here; "
            "changes not yet sent are dropped.",
        ):
            try:
                self.controller.service.remove(name)
            except UserError as exc:
                dialogs.show_error(self, "Sites", str(exc))
            self.controller.set_pull_every(name, 0, keep=False)
            self.refresh()
            self.controller.sites_changed()
