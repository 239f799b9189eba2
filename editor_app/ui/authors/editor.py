"""The profile form: every field of an author, checked as the user types.

The form knows no service. It turns its fields into a ProfileInput, runs the domain's own
``validate_profile`` on it after every keystroke, marks the fields that fail (a dynamic
``invalid`` property the style sheet picks up) with the reason beneath, and keeps Save
disabled until the profile is valid. Saving itself is the profile pane's job.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from editor_app.domain.profile import FieldError, ProfileInput, validate_profile
from editor_app.services.dto import AuthorDetail
from editor_app.ui import glyphs
from editor_app.ui.authors.avatar import AvatarLabel
from editor_app.ui.authors.bio import BioEditor
from editor_app.ui.theme import css_colour, mix

# Fields the form can point at; anything else the service reports goes in the banner.
CHECKED_FIELDS = ("name", "email", "website", "links")


def error_colour(palette: QPalette) -> QColor:
    """A red that reads on the palette's base: deeper on light themes, softer on dark ones."""
    dark = palette.color(QPalette.ColorRole.Base).lightness() < 128
    return QColor("#ff7b72") if dark else QColor("#c62828")


def _style_sheet(palette: QPalette) -> str:
    error = css_colour(error_colour(palette))
    muted = css_colour(
        mix(palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base), 0.4)
    )
    return f"""
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"] {{
    border: 1px solid {error};
    border-radius: 2px;
    padding: 2px 3px;
}}
QLabel#fieldError {{ color: {error}; }}
QLabel#formBanner {{ color: {error}; font-weight: 600; }}
QLabel#fieldHint {{ color: {muted}; }}
"""


def _set_invalid(widget: QWidget, invalid: bool) -> None:
    if bool(widget.property("invalid")) == invalid:
        return
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
    widget.update()


class ProfileForm(QWidget):
    """Signals:
    save_requested(): Save or Ctrl+S with a valid profile
    cancel_requested(): leave editing (the pane asks first when there are unsaved edits)
    photo_choose_requested(): "Choose photo…"
    photo_remove_requested(): "Remove photo"
    validity_changed(bool valid)
    """

    save_requested = Signal()
    cancel_requested = Signal()
    photo_choose_requested = Signal()
    photo_remove_requested = Signal()
    validity_changed = Signal(bool)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("profileForm")
        self.author_id: int | None = None
        self.version = 0
        self.loaded: AuthorDetail | None = None
        self._baseline = ProfileInput(name="")
        self._touched: set[str] = set()
        self._errors: list[FieldError] = []
        self._sheet = ""

        self.banner = QLabel()
        self.banner.setObjectName("formBanner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.avatar = AvatarLabel(48)
        self.photo_button = QPushButton("Choose photo…")
        self.remove_photo_button = QPushButton("Remove")
        self.name_edit = QLineEdit()
        self.name_edit.setObjectName("nameEdit")
        self.byline_edit = QLineEdit()
        self.byline_edit.setPlaceholderText("Same as the name")
        self.role_edit = QLineEdit()
        self.role_edit.setPlaceholderText("Role or title, e.g. assistant editor")
        self.bio_edit = BioEditor()
        self.email_edit = QLineEdit()
        self.email_edit.setObjectName("emailEdit")
        self.email_edit.setPlaceholderText("name@example.org")
        self.website_edit = QLineEdit()
        self.website_edit.setPlaceholderText("https://…")
        self.links_edit = QPlainTextEdit()
        self.links_edit.setObjectName("linksEdit")
        self.links_edit.setPlaceholderText("One per line: https://… or @handle")
        self.links_edit.setTabChangesFocus(True)
        self.links_edit.setFixedHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.location_edit = QLineEdit()
        self.location_edit.setPlaceholderText("City, country")
        self.languages_edit = QLineEdit()
        self.languages_edit.setPlaceholderText("e.g. English, Armenian")
        self.status_combo = QComboBox()
        self.status_combo.addItem("Active — writes for us now", True)
        self.status_combo.addItem("Former — no longer writes for us", False)

        colour = self.palette().color(QPalette.ColorRole.ButtonText).name()
        self.save_button = QPushButton(glyphs.icon("fa6s.floppy-disk", color=colour), "Save")
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        self.save_button.setToolTip("Save the profile (Ctrl+S)")
        self.revert_button = QPushButton("Revert")
        self.revert_button.setToolTip("Put the fields back as they were loaded")
        self.cancel_button = QPushButton("Close")
        self.save_action = QAction("Save profile", self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.addAction(self.save_action)

        self.error_labels: dict[str, QLabel] = {}
        self._field_widgets: dict[str, QWidget] = {
            "name": self.name_edit,
            "email": self.email_edit,
            "website": self.website_edit,
            "links": self.links_edit,
        }
        self._build_layout()
        self._apply_style()
        self._connect_signals()

    # Building ---------------------------------------------------------------------------
    def _field(self, key: str, widget: QWidget, hint: str = "") -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        if hint:
            note = QLabel(hint)
            note.setObjectName("fieldHint")
            column.addWidget(note)
        if key:
            error = QLabel()
            error.setObjectName("fieldError")
            error.setWordWrap(True)
            error.hide()
            column.addWidget(error)
            self.error_labels[key] = error
        return box

    def _build_layout(self) -> None:
        photo = QWidget()
        row = QHBoxLayout(photo)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.avatar)
        row.addWidget(self.photo_button)
        row.addWidget(self.remove_photo_button)
        note = QLabel("Cropped to a square; applies at once.")
        note.setObjectName("fieldHint")
        # Wraps in a narrow pane instead of widening the form past it (a sideways scroll bar).
        note.setWordWrap(True)
        note.setMinimumWidth(120)
        row.addWidget(note, 1)
        row.addStretch(1)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.addRow("Photo:", photo)
        form.addRow("&Name:", self._field("name", self.name_edit))
        form.addRow(
            "&Byline:", self._field("byline_name", self.byline_edit, "As printed over articles")
        )
        form.addRow("&Role:", self._field("role", self.role_edit))
        form.addRow("B&io:", self._field("bio", self.bio_edit))
        form.addRow("&Email:", self._field("email", self.email_edit, "Private — never published"))
        form.addRow("&Website:", self._field("website", self.website_edit))
        form.addRow("&Links:", self._field("links", self.links_edit, "Social profiles"))
        form.addRow("L&ocation:", self._field("location", self.location_edit))
        form.addRow("Lan&guages:", self._field("languages", self.languages_edit))
        form.addRow("&Status:", self.status_combo)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)

        fields = QWidget()
        column = QVBoxLayout(fields)
        column.setContentsMargins(12, 8, 12, 8)
        column.addWidget(self.banner)
        column.addLayout(form)
        column.addStretch(1)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll_area.setWidget(fields)

        # The buttons stay in sight below the fields, however long the form scrolls.
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.scroll_area, 1)
        bar = QFrame()
        bar.setFrameShape(QFrame.Shape.StyledPanel)
        bar.setLayout(buttons)
        buttons.setContentsMargins(12, 6, 12, 6)
        layout.addWidget(bar)

    def _connect_signals(self) -> None:
        for key, edit in (
            ("name", self.name_edit),
            ("byline_name", self.byline_edit),
            ("role", self.role_edit),
            ("email", self.email_edit),
            ("website", self.website_edit),
            ("location", self.location_edit),
            ("languages", self.languages_edit),
        ):
            edit.textEdited.connect(lambda _t, k=key: self.on_edited(k))
        self.links_edit.textChanged.connect(lambda: self.on_edited("links"))
        self.bio_edit.changed.connect(lambda: self.on_edited("bio"))
        self.status_combo.currentIndexChanged.connect(lambda _i: self.on_edited("active"))
        self.save_button.clicked.connect(self.on_save_clicked)
        self.save_action.triggered.connect(self.on_save_clicked)
        self.revert_button.clicked.connect(self.revert)
        self.cancel_button.clicked.connect(self.cancel_requested)
        self.photo_button.clicked.connect(self.photo_choose_requested)
        self.remove_photo_button.clicked.connect(self.photo_remove_requested)

    # Loading and reading ----------------------------------------------------------------
    @property
    def is_new(self) -> bool:
        return self.author_id is None

    def load(self, detail: AuthorDetail | None, photo: bytes | None = None) -> None:
        """Fill the form from a profile; None starts a new, empty one."""
        self.loaded = detail
        self.author_id = detail.id if detail else None
        self.version = detail.version if detail else 0
        self._touched.clear()
        self._fill(detail)
        self.avatar.show_avatar(photo, detail.name if detail else "")
        self.remove_photo_button.setEnabled(photo is not None)
        for button in (self.photo_button, self.remove_photo_button):
            button.setVisible(detail is not None)
        self._baseline = self.values()
        self.banner.hide()
        self.revalidate()

    def _fill(self, d: AuthorDetail | None) -> None:
        widgets = (self.links_edit, self.status_combo)
        for w in widgets:
            w.blockSignals(True)
        self.name_edit.setText(d.name if d else "")
        self.byline_edit.setText(d.byline_name if d and d.byline_name != d.name else "")
        self.role_edit.setText(d.role if d else "")
        self.bio_edit.set_bio(d.bio if d else "")
        self.email_edit.setText(d.email if d else "")
        self.website_edit.setText(d.website if d else "")
        self.links_edit.setPlainText("\n".join(d.links) if d else "")
        self.location_edit.setText(d.location if d else "")
        self.languages_edit.setText(d.languages if d else "")
        self.status_combo.setCurrentIndex(0 if d is None or d.active else 1)
        for w in widgets:
            w.blockSignals(False)

    def values(self) -> ProfileInput:
        return ProfileInput(
            name=self.name_edit.text(),
            byline_name=self.byline_edit.text(),
            role=self.role_edit.text(),
            bio=self.bio_edit.bio(),
            email=self.email_edit.text(),
            website=self.website_edit.text(),
            links=tuple(self.links_edit.toPlainText().splitlines()),
            location=self.location_edit.text(),
            languages=self.languages_edit.text(),
            active=bool(self.status_combo.currentData()),
        )

    @property
    def is_dirty(self) -> bool:
        return self.values() != self._baseline

    @property
    def is_valid(self) -> bool:
        return not self._errors

    def set_photo(self, photo: bytes | None, version: int | None = None) -> None:
        """The photo changed in the store; `version` moves the base only if ours was current."""
        self.avatar.show_avatar(photo, self.name_edit.text())
        self.remove_photo_button.setEnabled(photo is not None)
        if version is not None:
            self.version = version

    # Validation -------------------------------------------------------------------------
    def revalidate(self) -> None:
        was_valid = self.is_valid
        self._errors = validate_profile(self.values().cleaned())
        self.show_errors(self._errors, only_touched=self.is_new)
        self._update_buttons()
        if was_valid != self.is_valid:
            self.validity_changed.emit(self.is_valid)

    def show_errors(self, errors: list[FieldError], *, only_touched: bool = False) -> None:
        """Mark each failing field and say why beneath it; the rest go in the banner."""
        by_field: dict[str, list[str]] = {}
        for e in errors:
            by_field.setdefault(e.field, []).append(e.message)
        for key, label in self.error_labels.items():
            messages = by_field.pop(key, [])
            if only_touched and key not in self._touched:
                messages = []
            label.setText("\n".join(m[:1].upper() + m[1:] for m in messages))
            label.setVisible(bool(messages))
            widget = self._field_widgets.get(key)
            if widget is not None:
                _set_invalid(widget, bool(messages))
        leftover = [f"{k}: {m}" for k, ms in by_field.items() for m in ms]
        self.show_banner("; ".join(leftover))

    def show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.setVisible(bool(text))

    def _update_buttons(self) -> None:
        dirty = self.is_dirty
        self.save_button.setEnabled(self.is_valid and (dirty or self.is_new))
        self.save_action.setEnabled(self.save_button.isEnabled())
        self.revert_button.setEnabled(dirty)

    # Slots ------------------------------------------------------------------------------
    def on_edited(self, key: str) -> None:
        self._touched.add(key)
        self.revalidate()

    def on_save_clicked(self) -> None:
        self._touched.update(CHECKED_FIELDS)
        self.revalidate()
        if self.is_valid and (self.is_dirty or self.is_new):
            self.save_requested.emit()

    def revert(self) -> None:
        self._fill(self.loaded)
        self._touched.clear()
        self.banner.hide()
        self.revalidate()

    # Qt events --------------------------------------------------------------------------
    def _apply_style(self) -> None:
        sheet = _style_sheet(self.palette())
        if sheet != self._sheet:
            self._sheet = sheet
            self.setStyleSheet(sheet)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_style()
