"""The queue tabs and the filter bar above the comment table; they make a CommentFilter.

Text fields wait a moment after the last keystroke before they ask for a new queue, so typing
a search does not page the store once per letter.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from PySide6.QtCore import QDate, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDoubleSpinBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor_app.domain.statuses import CommentStatus
from editor_app.services.dto import CommentFilter

# (key, label, status, held_only); "held" is the pending comments a rule or the score held.
QUEUES: tuple[tuple[str, str, str | None, bool], ...] = (
    ("all", "All", None, False),
    ("pending", "Pending", CommentStatus.PENDING.value, False),
    ("held", "Held by rules", None, True),
    ("approved", "Approved", CommentStatus.APPROVED.value, False),
    ("spam", "Spam", CommentStatus.SPAM.value, False),
    ("trash", "Trash", CommentStatus.TRASH.value, False),
)
SORT_CHOICES = (("Newest first", "newest"), ("Oldest first", "oldest"), ("Highest risk", "risk"))
TYPING_DELAY_MS = 300
DEFAULT_QUEUE = 1  # Pending


def _day_start(d: QDate) -> datetime:
    return datetime.combine(d.toPython(), time.min).astimezone()  # type: ignore[arg-type]


class QueueFilters(QWidget):
    """Signals:
    changed(): the queue or a filter changed; read :meth:`current_filter`
    """

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._commenter = ""
        self.tabs = QTabBar()
        self.tabs.setObjectName("queueTabs")
        self.tabs.setExpanding(False)
        self.tabs.setDrawBase(False)
        for _key, label, _status, _held in QUEUES:
            self.tabs.addTab(label)
        # The work is in Pending: the page opens there.
        self.tabs.setCurrentIndex(DEFAULT_QUEUE)

        self.search = QLineEdit()
        self.search.setObjectName("moderationSearch")
        self.search.setPlaceholderText("Search comments")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(220)

        self.article = QComboBox()
        self.article.setObjectName("articleFilter")
        self.article.setMinimumContentsLength(18)
        self.article.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.article.addItem("All articles", None)
        self.dates = QCheckBox("Posted")
        today = QDate.currentDate()
        self.since = QDateEdit(today.addDays(-30))
        self.until = QDateEdit(today)
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.min_score = QDoubleSpinBox()
        self.max_score = QDoubleSpinBox()
        for box, value in ((self.min_score, 0.0), (self.max_score, 1.0)):
            box.setRange(0.0, 1.0)
            box.setSingleStep(0.05)
            box.setDecimals(2)
            box.setValue(value)
        self.reason = QLineEdit()
        self.reason.setObjectName("reasonFilter")
        self.reason.setPlaceholderText("Reason contains")
        self.reason.setClearButtonEnabled(True)
        self.sort = QComboBox()
        self.sort.setObjectName("sortChoice")
        for label, key in SORT_CHOICES:
            self.sort.addItem(label, key)
        self.commenter_button = QToolButton()
        self.commenter_button.setObjectName("commenterChip")
        self.commenter_button.setToolTip("Showing one commenter's comments; click to show everyone")
        self.commenter_button.hide()
        self.clear_button = QToolButton()
        self.clear_button.setText("Clear filters")

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.tabs)
        top.addStretch(1)
        top.addWidget(self.search)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.article, 2)
        row.addWidget(self.dates)
        row.addWidget(self.since)
        row.addWidget(QLabel("to"))
        row.addWidget(self.until)
        row.addWidget(QLabel("Score"))
        row.addWidget(self.min_score)
        row.addWidget(QLabel("to"))
        row.addWidget(self.max_score)
        row.addWidget(self.reason, 1)
        row.addWidget(self.sort)
        row.addWidget(self.commenter_button)
        row.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(row)

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_DELAY_MS)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.tabs.currentChanged.connect(self.on_control_changed)
        self.article.currentIndexChanged.connect(self.on_control_changed)
        self.sort.currentIndexChanged.connect(self.on_control_changed)
        self.dates.toggled.connect(self.on_dates_toggled)
        for edit in (self.since, self.until):
            edit.dateChanged.connect(self.on_control_changed)
        for box in (self.min_score, self.max_score):
            box.valueChanged.connect(self.on_control_changed)
        self.search.textChanged.connect(self.on_text_edited)
        self.reason.textChanged.connect(self.on_text_edited)
        self._typing.timeout.connect(self.changed)
        self.commenter_button.clicked.connect(self.on_commenter_cleared)
        self.clear_button.clicked.connect(self.on_clear_clicked)

    # Reading ---------------------------------------------------------------------------
    @property
    def queue(self) -> str:
        return QUEUES[max(self.tabs.currentIndex(), 0)][0]

    def current_filter(self) -> CommentFilter:
        _key, _label, status, held = QUEUES[max(self.tabs.currentIndex(), 0)]
        low, high = self.min_score.value(), self.max_score.value()
        since = until = None
        if self.dates.isChecked():
            since = _day_start(self.since.date())
            until = _day_start(self.until.date()) + timedelta(days=1)
        return CommentFilter(
            status=status,
            held_only=held,
            article_id=self.article.currentData(),
            commenter=self._commenter,
            since=since,
            until=until,
            # The full range means "any score", which keeps unscored comments in view.
            min_score=low if low > 0.0 else None,
            max_score=high if high < 1.0 else None,
            reason=self.reason.text().strip(),
            search=self.search.text().strip(),
            sort=str(self.sort.currentData()),
        )

    # Setting ---------------------------------------------------------------------------
    def set_queue(self, key: str) -> None:
        for i, (k, *_rest) in enumerate(QUEUES):
            if k == key:
                self.tabs.setCurrentIndex(i)

    def set_status(self, status: str | None) -> None:
        self.set_queue(status or "all")

    def set_counts(self, counts: dict[str, str]) -> None:
        for i, (key, label, *_rest) in enumerate(QUEUES):
            self.tabs.setTabText(i, f"{label} ({counts[key]})" if key in counts else label)

    def set_articles(self, articles: list[tuple[int, str]]) -> None:
        keep = self.article.currentData()
        self.article.blockSignals(True)
        self.article.clear()
        self.article.addItem("All articles", None)
        for article_id, title in articles:
            self.article.addItem(title, article_id)
            self.article.setItemData(self.article.count() - 1, title, 3)  # tooltip role
        index = self.article.findData(keep)
        self.article.setCurrentIndex(max(index, 0))
        self.article.blockSignals(False)

    def show_only(self, queue: str, article_id: int | None) -> None:
        """One queue on one article, every other filter cleared; no signal (the caller
        reloads)."""
        self._clear_controls()
        self.tabs.blockSignals(True)
        self.set_queue(queue)
        self.tabs.blockSignals(False)
        self.article.blockSignals(True)
        index = self.article.findData(article_id)
        if index < 0 and article_id is not None:
            self.article.addItem(f"Article {article_id}", article_id)
            index = self.article.count() - 1
        self.article.setCurrentIndex(max(index, 0))
        self.article.blockSignals(False)

    def set_commenter(self, key: str, name: str) -> None:
        self._commenter = key
        self.commenter_button.setText(f"Commenter: {name or key}  ✕")
        self.commenter_button.setVisible(bool(key))
        self.changed.emit()

    # Slots -----------------------------------------------------------------------------
    def on_control_changed(self, *_args: object) -> None:
        self._typing.stop()
        self.changed.emit()

    def on_text_edited(self, _text: str) -> None:
        self._typing.start()

    def on_dates_toggled(self, checked: bool) -> None:
        self.since.setEnabled(checked)
        self.until.setEnabled(checked)
        self.changed.emit()

    def on_commenter_cleared(self) -> None:
        self.set_commenter("", "")

    def on_clear_clicked(self) -> None:
        self._clear_controls()
        self.changed.emit()

    def _clear_controls(self) -> None:
        """Every filter back to "any", without a signal (the queue tab stays)."""
        for w in (self, self.tabs, self.article, self.sort, self.search, self.reason, self.dates):
            w.blockSignals(True)
        self.article.setCurrentIndex(0)
        self.sort.setCurrentIndex(0)
        self.search.clear()
        self.reason.clear()
        self.dates.setChecked(False)
        self.since.setEnabled(False)
        self.until.setEnabled(False)
        for box, value in ((self.min_score, 0.0), (self.max_score, 1.0)):
            box.blockSignals(True)
            box.setValue(value)
            box.blockSignals(False)
        for w in (self, self.tabs, self.article, self.sort, self.search, self.reason, self.dates):
            w.blockSignals(False)
        self._commenter = ""
        self.commenter_button.hide()

    def flush_typing(self) -> None:
        """Apply a pending text change now (tests, and Enter in the search field)."""
        if self._typing.isActive():
            self._typing.stop()
            self.changed.emit()
