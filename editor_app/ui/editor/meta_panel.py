"""The article's metadata beside the body: slug, section, tags, bylines, status, dates, excerpt.

Signals:
    changed(): the writer changed a field
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtCore import QDate, QDateTime, QStringListModel, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from editor_app.domain.statuses import ArticleStatus, allowed_transitions
from editor_app.domain.text import slugify
from editor_app.services.editing import ArticleDraft
from editor_app.ui.editor.fields import WrapLineEdit

EXCERPT_TARGET = 160
UNKNOWN_DATE = QDateTime(QDate(1900, 1, 1), QTime(0, 0))
DATED_STATUSES = (ArticleStatus.SCHEDULED.value, ArticleStatus.PUBLISHED.value)


class TagCompleter(QCompleter):
    """Completes the tag after the last comma, keeping the ones before it."""

    def splitPath(self, path: str) -> list[str]:
        return [path.split(",")[-1].strip()]

    def pathFromIndex(self, index: object) -> str:
        chosen = super().pathFromIndex(index)  # type: ignore[arg-type]
        widget = self.widget()
        before = widget.text().rsplit(",", 1)[0] if isinstance(widget, QLineEdit) else ""
        if widget is not None and "," in widget.text():  # type: ignore[attr-defined]
            return f"{before}, {chosen}"
        return chosen


def next_statuses(current: str, saved: bool) -> list[str]:
    """A saved article moves along the workflow; a new one may start anywhere."""
    if not saved:
        return [s.value for s in ArticleStatus]
    status = ArticleStatus(current)
    allowed = allowed_transitions(status)
    return [s.value for s in ArticleStatus if s == status or s in allowed]


class MetadataPanel(QWidget):
    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slug = WrapLineEdit()
        self.slug.setObjectName("slugEdit")
        self.slug.setPlaceholderText("made from the title")
        self.slug_manual = False
        self.section = QComboBox()
        self.section.setObjectName("sectionCombo")
        self.section.setEditable(True)
        self.tags = QLineEdit()
        self.tags.setObjectName("tagsEdit")
        self.tags.setPlaceholderText("comma, separated")
        self._tag_model = QStringListModel(self)
        self.tag_completer = TagCompleter(self._tag_model, self)
        self.tag_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags.setCompleter(self.tag_completer)
        self.bylines = QListWidget()
        self.bylines.setObjectName("bylinesList")
        self.bylines.setMaximumHeight(90)
        # Hundreds of names: type any part of one to narrow the list, Enter adds it.
        self.author_pick = QComboBox()
        self.author_pick.setObjectName("authorPick")
        self.author_pick.setEditable(True)
        self.author_pick.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.author_pick.setMaxVisibleItems(15)
        pick_edit = self.author_pick.lineEdit()
        if pick_edit is not None:
            # Short enough to be read whole in the side panel's narrow field.
            pick_edit.setPlaceholderText("Add a byline…")
        self.author_pick.setToolTip("Type any part of a name; Enter or Add puts it on the byline")
        self.author_completer = QCompleter(self.author_pick.model(), self)
        self.author_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.author_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.author_completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.author_pick.setCompleter(self.author_completer)
        self.add_author = QPushButton("Add")
        self.remove_author = QPushButton("Remove")
        self.author_up = QPushButton("↑")
        self.author_down = QPushButton("↓")
        for button in (self.author_up, self.author_down):
            button.setFixedWidth(32)
        self.status = QComboBox()
        self.status.setObjectName("statusCombo")
        self.published = QDateTimeEdit()
        self.published.setObjectName("publishedEdit")
        self.published.setCalendarPopup(True)
        self.published.setDisplayFormat("yyyy-MM-dd HH:mm")
        # The earliest value stands for "nobody knows" (a page imported without a date).
        self.published.setMinimumDateTime(UNKNOWN_DATE)
        self.published.setSpecialValueText("Unknown")
        self.excerpt = QPlainTextEdit()
        self.excerpt.setObjectName("excerptEdit")
        self.excerpt.setTabChangesFocus(True)
        self.excerpt.setMaximumHeight(80)
        self.excerpt_hint = QLabel(f"0 / {EXCERPT_TARGET}")
        self.excerpt_hint.setAlignment(Qt.AlignmentFlag.AlignRight)

        pick_row = QHBoxLayout()
        pick_row.addWidget(self.author_pick, 1)
        pick_row.addWidget(self.add_author)
        move_row = QHBoxLayout()
        move_row.addWidget(self.remove_author)
        move_row.addStretch(1)
        move_row.addWidget(self.author_up)
        move_row.addWidget(self.author_down)
        byline_box = QVBoxLayout()
        byline_box.setContentsMargins(0, 0, 0, 0)
        byline_box.addWidget(self.bylines)
        byline_box.addLayout(move_row)
        byline_box.addLayout(pick_row)
        excerpt_box = QVBoxLayout()
        excerpt_box.setContentsMargins(0, 0, 0, 0)
        excerpt_box.addWidget(self.excerpt)
        excerpt_box.addWidget(self.excerpt_hint)

        outer = QVBoxLayout(self)
        form = QFormLayout()
        outer.addLayout(form)
        outer.addStretch(1)
        form.addRow("Slug", self.slug)
        form.addRow("Section", self.section)
        form.addRow("Tags", self.tags)
        form.addRow("Bylines", byline_box)
        form.addRow("Status", self.status)
        form.addRow("Publish at", self.published)
        form.addRow("Excerpt", excerpt_box)
        self._loading = False
        self._saved = False
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.slug.textEdited.connect(self.on_slug_edited)
        self.section.currentTextChanged.connect(self.on_changed)
        self.tags.textEdited.connect(self.on_changed)
        self.status.currentTextChanged.connect(self.on_status_changed)
        self.published.dateTimeChanged.connect(self.on_changed)
        self.excerpt.textChanged.connect(self.on_excerpt_changed)
        self.add_author.clicked.connect(self.on_add_author)
        pick_edit = self.author_pick.lineEdit()
        if pick_edit is not None:
            pick_edit.returnPressed.connect(self.on_add_author)
        self.remove_author.clicked.connect(self.on_remove_author)
        self.author_up.clicked.connect(lambda: self.move_author(-1))
        self.author_down.clicked.connect(lambda: self.move_author(1))

    # Choices the store offers ------------------------------------------------------------
    def set_choices(
        self, sections: Sequence[str], tags: Sequence[str], authors: Sequence[tuple[int, str]]
    ) -> None:
        self._loading = True
        current = self.section.currentText()
        self.section.clear()
        self.section.addItems(list(sections))
        self.section.setCurrentText(current)
        self._tag_model.setStringList(list(tags))
        self.author_pick.clear()
        for author_id, name in authors:
            self.author_pick.addItem(name, author_id)
        self.author_pick.setCurrentIndex(-1)
        self._loading = False

    # The draft in and out ---------------------------------------------------------------------
    def load(self, draft: ArticleDraft) -> None:
        self._loading = True
        self._saved = draft.article_id is not None
        self.slug.setText(draft.slug)
        self.slug_manual = bool(draft.slug) and draft.slug != slugify(draft.title)
        self.section.setCurrentText(draft.section)
        self.tags.setText(", ".join(draft.tags))
        self.bylines.clear()
        names = {
            self.author_pick.itemData(i): self.author_pick.itemText(i)
            for i in range(self.author_pick.count())
        }
        for author_id in draft.author_ids:
            item = QListWidgetItem(names.get(author_id, f"Author #{author_id}"))
            item.setData(Qt.ItemDataRole.UserRole, author_id)
            self.bylines.addItem(item)
        self.set_status(draft.status)
        when = draft.published_at
        if when is not None:
            self.published.setDateTime(QDateTime.fromSecsSinceEpoch(int(when.timestamp())))
        elif draft.article_id is not None and draft.status in DATED_STATUSES:
            self.published.setDateTime(UNKNOWN_DATE)
        else:
            self.published.setDateTime(QDateTime.currentDateTime())
        self.excerpt.setPlainText(draft.excerpt)
        self._loading = False
        self._update_enabled()
        self._update_hint()

    def set_status(self, status: str) -> None:
        was = self._loading
        self._loading = True
        self.status.clear()
        # The list's words (Copyedit, Ready), not the stored values (copyedit, ready).
        for value in next_statuses(status, self._saved):
            self.status.addItem(ArticleStatus(value).label, value)
        self.status.setCurrentIndex(max(self.status.findData(status), 0))
        self._loading = was

    def current_status(self) -> str:
        """The chosen status's stored value ("copyedit"); the combo shows its label."""
        value = self.status.currentData()
        return str(value) if value is not None else ""

    def mark_saved(self, status: str) -> None:
        self._saved = True
        self.set_status(status)
        self._update_enabled()

    def apply(self, draft: ArticleDraft) -> ArticleDraft:
        status = self.current_status() or draft.status
        published = None
        if status in DATED_STATUSES and self.published.dateTime() != UNKNOWN_DATE:
            published = datetime.fromtimestamp(self.published.dateTime().toSecsSinceEpoch(), UTC)
        return replace(
            draft,
            slug=self.slug.text().strip(),
            section=self.section.currentText().strip(),
            tags=tuple(t.strip() for t in self.tags.text().split(",") if t.strip()),
            author_ids=tuple(
                int(self.bylines.item(i).data(Qt.ItemDataRole.UserRole))
                for i in range(self.bylines.count())
            ),
            status=status,
            published_at=published,
            excerpt=self.excerpt.toPlainText().strip(),
        )

    def follow_title(self, title: str) -> None:
        """The slug follows the title until someone edits it by hand."""
        if not self.slug_manual:
            self.slug.setText(slugify(title) if title.strip() else "")

    # Slots ------------------------------------------------------------------------------------
    def on_changed(self, *_args: object) -> None:
        if not self._loading:
            self.changed.emit()

    def on_slug_edited(self, text: str) -> None:
        self.slug_manual = bool(text.strip())
        self.on_changed()

    def on_status_changed(self, _status: str) -> None:
        self._update_enabled()
        self.on_changed()

    def on_excerpt_changed(self) -> None:
        self._update_hint()
        self.on_changed()

    def on_add_author(self) -> None:
        index = self.author_pick.findText(
            self.author_pick.currentText().strip(), Qt.MatchFlag.MatchFixedString
        )
        if index < 0:
            return
        self.author_pick.setCurrentIndex(index)
        author_id = self.author_pick.itemData(index)
        if author_id is None:
            return
        present = {
            self.bylines.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.bylines.count())
        }
        if author_id in present:
            return
        item = QListWidgetItem(self.author_pick.currentText())
        item.setData(Qt.ItemDataRole.UserRole, author_id)
        self.bylines.addItem(item)
        self.on_changed()

    def on_remove_author(self) -> None:
        row = self.bylines.currentRow()
        if row >= 0:
            self.bylines.takeItem(row)
            self.on_changed()

    def move_author(self, step: int) -> None:
        row = self.bylines.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.bylines.count():
            return
        item = self.bylines.takeItem(row)
        self.bylines.insertItem(target, item)
        self.bylines.setCurrentRow(target)
        self.on_changed()

    def _update_enabled(self) -> None:
        self.published.setEnabled(self.current_status() in DATED_STATUSES)

    def _update_hint(self) -> None:
        n = len(self.excerpt.toPlainText().strip())
        self.excerpt_hint.setText(
            f"{n} / {EXCERPT_TARGET}" + (" — too long" if n > EXCERPT_TARGET else "")
        )
