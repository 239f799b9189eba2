"""Merging two profiles of one person: both side by side, a choice per field.

The dialog only gathers the choice (which profile survives, which fields to take from the
other); the Authors page calls ``AuthorService.merge`` with it.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from editor_app.services.authors import MERGE_FIELDS
from editor_app.services.dto import AuthorDetail
from editor_app.ui import glyphs
from editor_app.ui.authors.avatar import round_avatar
from editor_app.ui.authors.profile import counts_text

LABELS = {
    "name": "Name",
    "byline_name": "Byline",
    "role": "Role",
    "bio": "Bio",
    "email": "Email",
    "website": "Website",
    "links": "Links",
    "location": "Location",
    "languages": "Languages",
    "photo": "Photo",
}
_EMPTY = "—"


def _plain(html: str) -> str:
    if "<" not in html:
        return html
    doc = QTextDocument()
    doc.setHtml(html)
    return doc.toPlainText()


def field_value(d: AuthorDetail, field: str) -> object:
    return d.has_photo if field == "photo" else getattr(d, field)


def field_text(d: AuthorDetail, field: str, limit: int = 90) -> str:
    if field == "photo":
        return "Photo" if d.has_photo else "No photo"
    value = field_value(d, field)
    text = ", ".join(value) if isinstance(value, tuple) else _plain(str(value))
    text = " ".join(text.split())
    if not text:
        return _EMPTY
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _is_empty(d: AuthorDetail, field: str) -> bool:
    value = field_value(d, field)
    return not value


class MergeDialog(QDialog):
    """Two profiles side by side. Read the choice with ``keep_id``, ``other_id`` and ``take()``."""

    def __init__(
        self,
        first: AuthorDetail,
        second: AuthorDetail,
        photos: dict[int, bytes | None],
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Merge author profiles")
        self.setObjectName("mergeDialog")
        self.profiles = {first.id: first, second.id: second}
        self._order = (first.id, second.id)
        self._photos = photos
        self.keep_group = QButtonGroup(self)
        self.keep_radio: dict[int, QRadioButton] = {}
        self.field_groups: dict[str, QButtonGroup] = {}
        self.field_radio: dict[str, dict[int, QRadioButton]] = {}

        intro = QLabel(
            "Fold one profile into the other. Every byline of the profile that goes moves to the "
            "one you keep; choose, field by field, whose value stays. You can undo the merge "
            "afterwards (Edit → Undo merge)."
        )
        intro.setWordWrap(True)
        self.summary = QLabel()
        self.summary.setObjectName("mergeSummary")
        self.summary.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        merge_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        merge_button.setText("Merge")
        colour = self.palette().color(QPalette.ColorRole.ButtonText).name()
        merge_button.setIcon(glyphs.icon("fa6s.code-merge", color=colour))

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self._grid())
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self._connect_signals()
        self.keep_radio[self._default_keep()].setChecked(True)
        self.on_keep_changed()
        self.resize(820, self.sizeHint().height())

    # Building ---------------------------------------------------------------------------
    def _default_keep(self) -> int:
        """The profile with more articles survives by default (then the older one)."""
        a, b = (self.profiles[i] for i in self._order)
        return b.id if len(b.articles) > len(a.articles) else a.id

    def _grid(self) -> QWidget:
        box = QFrame()
        box.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(18)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(2, 1)
        for column, author_id in enumerate(self._order, start=1):
            d = self.profiles[author_id]
            head = QLabel(f"<b>{escape(d.name)}</b><br/>{escape(counts_text(d))}")
            head.setTextFormat(Qt.TextFormat.RichText)
            head.setWordWrap(True)
            avatar = QLabel()
            avatar.setPixmap(
                round_avatar(
                    self._photos.get(author_id),
                    d.name,
                    44,
                    self.palette(),
                    dpr=self.devicePixelRatioF(),
                )
            )
            top = QWidget()
            row = QGridLayout(top)
            row.setContentsMargins(0, 0, 0, 0)
            row.addWidget(avatar, 0, 0)
            row.addWidget(head, 0, 1)
            row.setColumnStretch(1, 1)
            grid.addWidget(top, 0, column)
            keep = QRadioButton("Keep this profile")
            keep.setObjectName(f"keep{author_id}")
            self.keep_group.addButton(keep, author_id)
            self.keep_radio[author_id] = keep
            grid.addWidget(keep, 1, column)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        grid.addWidget(line, 2, 0, 1, 3)
        grid.addWidget(QLabel("<b>Field</b>"), 3, 0)
        grid.addWidget(QLabel("<b>Take the value from…</b>"), 3, 1, 1, 2)
        for row_no, field in enumerate(MERGE_FIELDS, start=4):
            grid.addWidget(QLabel(LABELS.get(field, field)), row_no, 0)
            group = QButtonGroup(self)
            self.field_groups[field] = group
            self.field_radio[field] = {}
            for column, author_id in enumerate(self._order, start=1):
                d = self.profiles[author_id]
                radio = QRadioButton(field_text(d, field))
                radio.setToolTip(field_text(d, field, limit=600))
                if field == "photo" and d.has_photo:
                    radio.setIcon(
                        QIcon(
                            round_avatar(
                                self._photos.get(author_id),
                                d.name,
                                20,
                                self.palette(),
                                dpr=self.devicePixelRatioF(),
                            )
                        )
                    )
                group.addButton(radio, author_id)
                self.field_radio[field][author_id] = radio
                grid.addWidget(radio, row_no, column)
        return box

    def _connect_signals(self) -> None:
        self.keep_group.idToggled.connect(self.on_keep_toggled)
        for group in self.field_groups.values():
            group.idToggled.connect(self.on_field_toggled)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

    # The choice -------------------------------------------------------------------------
    @property
    def keep_id(self) -> int:
        return self.keep_group.checkedId()

    @property
    def other_id(self) -> int:
        return next(i for i in self._order if i != self.keep_id)

    def _same(self, field: str) -> bool:
        a, b = self._order
        if field == "photo":
            return self._photos.get(a) == self._photos.get(b)
        return field_value(self.profiles[a], field) == field_value(self.profiles[b], field)

    def take(self) -> tuple[str, ...]:
        """Fields whose value comes from the profile that goes; equal values are not taken."""
        other = self.other_id
        return tuple(
            f
            for f in MERGE_FIELDS
            if self.field_groups[f].checkedId() == other and not self._same(f)
        )

    # Slots ------------------------------------------------------------------------------
    def on_keep_toggled(self, _author_id: int, checked: bool) -> None:
        if checked:
            self.on_keep_changed()

    def on_field_toggled(self, _author_id: int, checked: bool) -> None:
        if checked:
            self.on_field_changed()

    def on_keep_changed(self) -> None:
        """New survivor: its values by default, the other's only where it has none."""
        keep, other = self.profiles[self.keep_id], self.profiles[self.other_id]
        for field, radios in self.field_radio.items():
            take_other = _is_empty(keep, field) and not _is_empty(other, field)
            if field == "links":
                take_other = bool(set(other.links) - set(keep.links))
                radios[other.id].setText(
                    f"Add: {field_text(other, field)}" if other.links else _EMPTY
                )
                radios[keep.id].setText(field_text(keep, field))
            radios[other.id if take_other else keep.id].setChecked(True)
            for radio in radios.values():
                radio.setEnabled(not self._same(field))
        self.on_field_changed()

    def on_field_changed(self) -> None:
        keep, other = self.profiles[self.keep_id], self.profiles[self.other_id]
        taken = [LABELS[f].lower() for f in self.take()]
        moving = len(other.articles)
        text = (
            f"“{other.name}” goes; {moving} article{'s' if moving != 1 else ''} "
            f"move{'s' if moving == 1 else ''} to “{keep.name}”."
        )
        text += f" Taken from “{other.name}”: {', '.join(taken)}." if taken else ""
        self.summary.setText(text)
