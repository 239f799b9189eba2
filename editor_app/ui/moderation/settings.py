"""The moderation rules dialog: WordPress's Discussion settings plus Copydesk's score.

"Try it" runs the proposed rules over the pending queue without writing anything, so a
moderator sees which comments a new word would catch before saving it.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSlider,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor_app.domain.errors import Conflict, UserError
from editor_app.domain.statuses import CommentStatus
from editor_app.moderation.rules import Facts, RuleSettings, find_words
from editor_app.services.dto import DryRunChange
from editor_app.services.moderation import DRY_RUN_LIMIT, ModerationService, check_rules
from editor_app.ui import dialogs
from editor_app.ui.models import excerpt
from editor_app.workers.jobs import JobHandle, JobManager

# Everyday words that hide short ones: what substring matching wrongly catches.
SAMPLE_WORDS = (
    "class", "assistant", "grass", "embassy", "passage", "shell", "hello", "Scunthorpe",
    "analysis", "therapist", "cocktail", "skill", "spamalot", "password", "bigotry",
    "classic", "assume", "butter", "hellish", "peacock",
)  # fmt: skip
DEFAULT_EXAMPLE = "ass"


def _lines(text: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.splitlines() if w.strip())


def matching_example(word: str) -> str:
    """One sentence on what whole-word and substring matching make of a listed word."""
    whole = [s for s in SAMPLE_WORDS if find_words((word,), Facts(body=s), True, "")]
    loose = [s for s in SAMPLE_WORDS if find_words((word,), Facts(body=s), False, "")]
    extra = [s for s in loose if s not in whole]
    caught = ", ".join(f"“{s}”" for s in extra[:5])
    if not extra:
        return f"“{word}” catches the same sample words either way."
    return (
        f"Whole words: “{word}” catches only “{word}” itself. "
        f"Substring (WordPress): it also catches {caught}."
    )


class RulesDialog(QDialog):
    """Signals:
    saved(int version): the rules were stored
    """

    saved = Signal(int)

    def __init__(
        self,
        moderation: ModerationService,
        actor: str,
        parent: QWidget | None = None,
        *,
        jobs: JobManager | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Moderation rules")
        self.resize(760, 720)
        self._moderation = moderation
        self._actor = actor
        # The dry run scores every pending comment: a job, so the window stays responsive.
        self._jobs = jobs
        self._dry_job: JobHandle | None = None
        rules, self._version = moderation.rules()

        self.disallowed = QPlainTextEdit("\n".join(rules.disallowed_words))
        self.disallowed.setPlaceholderText("One word or phrase per line")
        self.disallowed_action = QComboBox()
        self.disallowed_action.addItem("Trash", CommentStatus.TRASH.value)
        self.disallowed_action.addItem("Spam", CommentStatus.SPAM.value)
        self.disallowed_action.setCurrentIndex(
            max(self.disallowed_action.findData(rules.disallowed_action), 0)
        )
        self.hold_words = QPlainTextEdit("\n".join(rules.hold_words))
        self.hold_words.setPlaceholderText("One word or phrase per line")
        for edit in (self.disallowed, self.hold_words):
            edit.setMaximumHeight(90)
        self.max_links = QSpinBox()
        self.max_links.setRange(0, 50)
        self.max_links.setSpecialValueText("off")
        self.max_links.setValue(rules.max_links)
        self.prior = QCheckBox("Hold a commenter's first comment until one is approved")
        self.prior.setChecked(rules.require_prior_approval)
        self.manual = QCheckBox("Hold every comment for a moderator (manual approval)")
        self.manual.setChecked(rules.manual_approval)
        self.duplicates = QCheckBox("Send exact duplicates (same person, same article) to spam")
        self.duplicates.setChecked(rules.spam_duplicates)
        self.flood_count = QSpinBox()
        self.flood_count.setRange(0, 1000)
        self.flood_count.setSpecialValueText("off")
        self.flood_count.setValue(rules.flood_count)
        self.flood_seconds = QSpinBox()
        self.flood_seconds.setRange(1, 86_400)
        self.flood_seconds.setSuffix(" s")
        self.flood_seconds.setValue(rules.flood_seconds)
        self.whole = QRadioButton("Whole words")
        self.substring = QRadioButton("Substring, as WordPress does")
        (self.whole if rules.whole_words else self.substring).setChecked(True)
        self.matching_note = QLabel()
        self.matching_note.setObjectName("matchingNote")
        self.matching_note.setWordWrap(True)
        self.use_score = QCheckBox("Hold comments whose toxicity score reaches")
        self.use_score.setChecked(rules.use_score)
        self.threshold_slider = QSlider(Qt.Orientation.Horizontal)
        self.threshold_slider.setRange(0, 100)
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setDecimals(2)
        self.threshold.setValue(rules.score_threshold)
        self.threshold_slider.setValue(round(rules.score_threshold * 100))

        words = QGroupBox("Words")
        wf = QFormLayout(words)
        send = QHBoxLayout()
        send.addWidget(QLabel("send the comment to"))
        send.addWidget(self.disallowed_action)
        send.addStretch(1)
        wf.addRow("Disallowed words", self.disallowed)
        wf.addRow("", send)
        wf.addRow("Hold words", self.hold_words)
        match = QHBoxLayout()
        match.addWidget(self.whole)
        match.addWidget(self.substring)
        match.addStretch(1)
        wf.addRow("Matching", match)
        wf.addRow("", self.matching_note)

        holds = QGroupBox("Hold for a moderator")
        hf = QFormLayout(holds)
        hf.addRow("Links", self._row(QLabel("hold at"), self.max_links, QLabel("links or more")))
        hf.addRow(
            "Flood",
            self._row(
                self.flood_count, QLabel("comments by one person within"), self.flood_seconds
            ),
        )
        hf.addRow("", self.prior)
        hf.addRow("", self.manual)
        hf.addRow("", self.duplicates)
        hf.addRow("Score", self._row(self.use_score, self.threshold_slider, self.threshold))

        self.try_button = QPushButton("Try it (dry run)")
        self.try_button.setToolTip(
            "Which pending comments these rules would move; nothing is saved"
        )
        self.dry_summary = QLabel("Try the rules to see which pending comments they would move.")
        self.dry_summary.setObjectName("drySummary")
        self.dry_table = QTableWidget(0, 4)
        self.dry_table.setObjectName("dryRunTable")
        self.dry_table.setHorizontalHeaderLabels(["Commenter", "Comment", "Would move", "Why"])
        self.dry_table.verticalHeader().hide()
        self.dry_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.dry_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.dry_table.setWordWrap(False)
        header = self.dry_table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for col, width in ((0, 130), (2, 140), (3, 220)):
            self.dry_table.setColumnWidth(col, width)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        dry = QHBoxLayout()
        dry.addWidget(self.try_button)
        dry.addWidget(self.dry_summary, 1)

        layout = QVBoxLayout(self)
        layout.addWidget(words)
        layout.addWidget(holds)
        layout.addLayout(dry)
        layout.addWidget(self.dry_table, 1)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self.on_matching_changed()

    @staticmethod
    def _row(*widgets: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        for w in widgets:
            row.addWidget(w)
        row.addStretch(1)
        return row

    def _connect_signals(self) -> None:
        self.whole.toggled.connect(self.on_matching_changed)
        self.disallowed.textChanged.connect(self.on_matching_changed)
        self.hold_words.textChanged.connect(self.on_matching_changed)
        self.threshold_slider.valueChanged.connect(self.on_slider_moved)
        self.threshold.valueChanged.connect(self.on_threshold_changed)
        self.use_score.toggled.connect(self.on_use_score_toggled)
        self.try_button.clicked.connect(self.on_try_clicked)
        self.buttons.accepted.connect(self.on_save_clicked)
        self.buttons.rejected.connect(self.reject)
        self.on_use_score_toggled(self.use_score.isChecked())

    # Reading ---------------------------------------------------------------------------
    def proposed(self) -> RuleSettings:
        rules, _ = self._moderation.rules()
        return replace(
            rules,
            disallowed_words=_lines(self.disallowed.toPlainText()),
            disallowed_action=str(self.disallowed_action.currentData()),
            hold_words=_lines(self.hold_words.toPlainText()),
            max_links=self.max_links.value(),
            require_prior_approval=self.prior.isChecked(),
            manual_approval=self.manual.isChecked(),
            spam_duplicates=self.duplicates.isChecked(),
            flood_count=self.flood_count.value(),
            flood_seconds=self.flood_seconds.value(),
            whole_words=self.whole.isChecked(),
            use_score=self.use_score.isChecked(),
            score_threshold=round(self.threshold.value(), 2),
        )

    def show_dry_run(self, changes: tuple[DryRunChange, ...]) -> None:
        self.dry_table.setRowCount(len(changes))
        for i, ch in enumerate(changes):
            moved = (
                f"{ch.from_status} → {ch.to_status}"
                if ch.from_status != ch.to_status
                else f"stays {ch.to_status}"
            )
            cells = (
                ch.commenter or "Anonymous",
                excerpt(ch.excerpt, 120),
                moved,
                "; ".join(ch.reasons),
            )
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(f"Comment {ch.comment_id}: {text}" if col < 2 else text)
                item.setData(Qt.ItemDataRole.UserRole, ch.comment_id)
                self.dry_table.setItem(i, col, item)
        n = len(changes)
        many = "at least " if n >= DRY_RUN_LIMIT else ""  # the dry run stopped counting there
        self.dry_summary.setText(
            f"These rules would change {many}{n:,} pending comment{'s' if n != 1 else ''}."
            if n
            else "These rules would change no pending comment."
        )

    # Slots -----------------------------------------------------------------------------
    def on_matching_changed(self, *_args: object) -> None:
        listed = _lines(self.disallowed.toPlainText()) + _lines(self.hold_words.toPlainText())
        # A listed word that substring matching would overreach with, else the classic one.
        example = next(
            (w for w in listed if "either way" not in matching_example(w)), DEFAULT_EXAMPLE
        )
        mode = "whole words" if self.whole.isChecked() else "substrings"
        self.matching_note.setText(f"Now matching {mode}. {matching_example(example)}")

    def on_slider_moved(self, value: int) -> None:
        if round(self.threshold.value() * 100) != value:
            self.threshold.setValue(value / 100)

    def on_threshold_changed(self, value: float) -> None:
        if self.threshold_slider.value() != round(value * 100):
            self.threshold_slider.setValue(round(value * 100))

    def on_use_score_toggled(self, checked: bool) -> None:
        self.threshold_slider.setEnabled(checked)
        self.threshold.setEnabled(checked)

    def on_try_clicked(self) -> None:
        if self._dry_job is not None:  # the button reads "Stop" while a dry run goes on
            self._dry_job.token.set()
            return
        try:
            rules = check_rules(self.proposed())
        except UserError as exc:
            dialogs.show_error(self, "Moderation rules", str(exc))
            return
        if self._jobs is None:
            self.show_dry_run(self._moderation.dry_run(rules))
            return
        moderation = self._moderation
        handle = self._jobs.start(
            "Trying moderation rules on pending comments",
            lambda progress, cancelled: moderation.dry_run(
                rules, progress=progress, cancelled=cancelled
            ),
            on_progress=self.on_dry_run_progress,
            on_finished=self.on_dry_run_finished,
            on_failed=self.on_dry_run_failed,
            on_cancelled=self.on_dry_run_cancelled,
        )
        self._dry_job = handle
        self.try_button.setText("Stop the dry run")
        self.dry_summary.setText("Trying the rules on the pending comments…")

    def on_dry_run_progress(self, done: int, total: int, message: str) -> None:
        self.dry_summary.setText(
            f"Trying the rules: {done:,} of {total:,} pending comments read, {message}…"
        )

    def _dry_run_over(self) -> None:
        self._dry_job = None
        self.try_button.setText("Try it (dry run)")

    def on_dry_run_finished(self, changes: object) -> None:
        self._dry_run_over()
        if isinstance(changes, tuple):
            self.show_dry_run(changes)

    def on_dry_run_failed(self, message: str) -> None:
        self._dry_run_over()
        self.dry_summary.setText("")
        dialogs.show_error(self, "Moderation rules", message)

    def on_dry_run_cancelled(self) -> None:
        self._dry_run_over()
        self.dry_summary.setText("Dry run stopped; nothing was changed.")

    def done(self, result: int) -> None:
        if self._dry_job is not None:
            self._dry_job.token.set()
        super().done(result)

    def on_save_clicked(self) -> None:
        try:
            version = self._moderation.save_rules(
                self.proposed(), expected_version=self._version, actor=self._actor
            )
        except Conflict as exc:
            dialogs.show_error(
                self,
                "Moderation rules",
                f"{exc}. Close this dialog and open it again to see their rules.",
            )
            return
        except UserError as exc:
            dialogs.show_error(self, "Moderation rules", str(exc))
            return
        self._version = version
        self.saved.emit(version)
        self.accept()
