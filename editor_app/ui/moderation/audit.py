"""The audit log: every moderation decision with who, when and why, and a per-day report.

The log is read from a date on (30 days back by default) so a busy newsroom's years of
decisions never load at once; the CSV export writes what the table shows.
"""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QBrush, QFont, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from editor_app.domain.errors import UserError
from editor_app.services.dto import AuditEntry, ReportRow
from editor_app.services.files import UserFiles
from editor_app.services.moderation import ModerationService
from editor_app.ui import dialogs
from editor_app.ui.models import excerpt, format_time
from editor_app.ui.moderation import dialogs as moderation_dialogs
from editor_app.ui.theme import mix

LOG_COLUMNS = ("When", "Moderator", "Commenter", "Comment", "Action", "From → to", "Why")
REPORT_COLUMNS = ("Day", "Moderator", "Action", "Count")
SHOWN_CAP = 5000


def _table(columns: tuple[str, ...], name: str) -> QTableWidget:
    table = QTableWidget(0, len(columns))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(columns))
    table.verticalHeader().hide()
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.horizontalHeader().setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
    return table


class AuditDialog(QDialog):
    def __init__(
        self,
        moderation: ModerationService,
        parent: QWidget | None = None,
        files: UserFiles | None = None,
    ):
        super().__init__(parent)
        self._files = files or UserFiles()
        self.setWindowTitle("Moderation audit log")
        self.resize(980, 600)
        self._moderation = moderation
        self.entries: tuple[AuditEntry, ...] = ()
        self.report: tuple[ReportRow, ...] = ()

        self.use_since = QCheckBox("Since")
        self.use_since.setChecked(True)
        self.since = QDateEdit(QDate.currentDate().addDays(-30))
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.summary = QLabel()
        self.export_button = QPushButton("Export CSV…")
        top = QHBoxLayout()
        top.addWidget(self.use_since)
        top.addWidget(self.since)
        top.addWidget(self.summary, 1)
        top.addWidget(self.export_button)

        self.log_table = _table(LOG_COLUMNS, "auditTable")
        for col, width in enumerate((125, 100, 120, 220, 80, 150)):
            self.log_table.setColumnWidth(col, width)
        self.report_table = _table(REPORT_COLUMNS, "reportTable")
        for col, width in enumerate((110, 160, 110)):
            self.report_table.setColumnWidth(col, width)
        self.tabs = QTabWidget()
        self.tabs.addTab(self.log_table, "Log")
        self.tabs.addTab(self.report_table, "Per moderator and day")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self._connect_signals()
        self.reload()

    def _connect_signals(self) -> None:
        self.use_since.toggled.connect(self.on_since_changed)
        self.since.dateChanged.connect(self.on_since_changed)
        self.export_button.clicked.connect(self.on_export_clicked)

    def since_value(self) -> datetime | None:
        if not self.use_since.isChecked():
            return None
        day = self.since.date().toPython()
        return datetime.combine(day, time.min).astimezone()  # type: ignore[arg-type]

    def reload(self) -> None:
        since = self.since_value()
        try:
            self.entries = self._moderation.audit(since=since)
            self.report = self._moderation.report(since=since)
        except UserError as exc:
            dialogs.show_error(self, "Audit log", str(exc))
            return
        self._fill_log()
        self._fill_report()

    def _fill_log(self) -> None:
        newest = sorted(self.entries, key=lambda e: (e.at, e.id), reverse=True)[:SHOWN_CAP]
        palette = self.palette()
        muted = QBrush(
            mix(
                palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.45
            )
        )
        italic = QFont(self.font())
        italic.setItalic(True)
        self.log_table.setRowCount(len(newest))
        for i, e in enumerate(newest):
            action = f"{e.action} (undone)" if e.undone else e.action
            cells = (
                format_time(e.at),
                e.actor,
                e.commenter or "Anonymous",
                excerpt(e.excerpt, 80),
                action,
                f"{e.from_status} → {e.to_status}",
                e.reason,
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"Comment {e.comment_id}: {e.excerpt}" if col == 3 else text)
                item.setData(Qt.ItemDataRole.UserRole, e.comment_id)
                if e.undone:
                    item.setForeground(muted)
                    item.setFont(italic)
                self.log_table.setItem(i, col, item)
        n = len(self.entries)
        more = f" (newest {SHOWN_CAP} shown)" if n > SHOWN_CAP else ""
        self.summary.setText(f"{n} decision{'s' if n != 1 else ''}{more}")

    def _fill_report(self) -> None:
        rows = sorted(self.report, key=lambda r: (r.day, r.actor, r.action), reverse=True)
        self.report_table.setRowCount(len(rows))
        for i, r in enumerate(rows):
            for col, text in enumerate((r.day, r.actor, r.action, str(r.count))):
                self.report_table.setItem(i, col, QTableWidgetItem(text))

    # Slots -----------------------------------------------------------------------------
    def on_since_changed(self, *_args: object) -> None:
        self.since.setEnabled(self.use_since.isChecked())
        self.reload()

    def on_export_clicked(self) -> None:
        suggested = f"moderation-audit-{QDate.currentDate().toString('yyyy-MM-dd')}.csv"
        path = moderation_dialogs.ask_csv_path(self, suggested)
        if not path:
            return
        try:
            self._files.write(Path(path), self._moderation.audit_csv(self.entries))
        except UserError as exc:
            dialogs.show_error(self, "Export CSV", str(exc))
            return
        self.summary.setText(f"Exported {len(self.entries)} decisions to {Path(path).name}")
