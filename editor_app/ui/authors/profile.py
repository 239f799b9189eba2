"""One author's profile: a header (avatar, name, role, counts), then either the read-only
profile or, in edit mode, the form. Saving, conflicts and photos go through here.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QPalette, QTextOption
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from editor_app.domain.errors import Conflict, UserError
from editor_app.domain.profile import ValidationFailed
from editor_app.services.container import Services
from editor_app.services.dto import AuthorDetail
from editor_app.ui import dialogs, glyphs
from editor_app.ui.authors import dialogs as author_dialogs
from editor_app.ui.authors.avatar import AvatarLabel
from editor_app.ui.authors.dialogs import ConflictChoice
from editor_app.ui.authors.editor import ProfileForm
from editor_app.ui.authors.html import profile_html
from editor_app.ui.models import format_time
from editor_app.ui.rich_view import RichView

FIELD_LABELS = {
    "name": "name",
    "byline_name": "byline",
    "role": "role",
    "bio": "bio",
    "email": "email",
    "website": "website",
    "links": "links",
    "location": "location",
    "languages": "languages",
    "active": "active/former",
    "has_photo": "photo",
}


def changed_fields(before: AuthorDetail | None, after: AuthorDetail) -> list[str]:
    """What someone else changed since we loaded the profile, in words for the prompt."""
    if before is None:
        return []
    return [label for f, label in FIELD_LABELS.items() if getattr(before, f) != getattr(after, f)]


def counts_text(d: AuthorDetail) -> str:
    parts = [
        f"{len(d.articles)} article{'s' if len(d.articles) != 1 else ''}",
        f"{d.published_count} published",
        f"{d.in_progress_count} in progress",
    ]
    if d.last_published:
        parts.append(f"last published {format_time(d.last_published)[:10]}")
    return " · ".join(parts)


class ProfilePane(QWidget):
    """Signals:
    article_requested(int article_id): a title in the profile was clicked
    saved(object detail): a profile was saved or created (an AuthorDetail)
    photo_changed(int author_id)
    export_requested(int author_id): "Export page…"
    message(str): a line for the status bar
    """

    article_requested = Signal(int)
    saved = Signal(object)
    photo_changed = Signal(int)
    export_requested = Signal(int)
    message = Signal(str)

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self._services = services
        self.detail: AuthorDetail | None = None
        self._photo: bytes | None = None

        self.avatar = AvatarLabel(88)
        self.name_label = QLabel()
        self.name_label.setObjectName("authorName")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.role_label = QLabel()
        self.role_label.setObjectName("authorRole")
        self.counts_label = QLabel()
        self.counts_label.setObjectName("authorCounts")
        # Wrapped, so a long line of counts never holds the pane wide and squeezes the list.
        for label in (self.name_label, self.role_label, self.counts_label):
            label.setWordWrap(True)
        colour = self.palette().color(QPalette.ColorRole.WindowText).name()
        self.edit_button = QPushButton(glyphs.icon("fa6s.pen", color=colour), "Edit")
        self.edit_button.setObjectName("editProfileButton")
        self.edit_button.setToolTip("Edit this profile")
        self.export_button = QPushButton(
            glyphs.icon("fa6s.file-export", color=colour), "Export page…"
        )
        self.export_button.setToolTip("Save the public author page as HTML (no email)")

        self.view = RichView("Select an author to see the profile.")
        self.view.setObjectName("authorView")
        self.view.document().setDocumentMargin(12)
        # The profile wraps to the pane (a long link breaks anywhere): no sideways scrolling.
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.form = ProfileForm()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.form)

        self.header = QWidget()
        self.header.setObjectName("profileHeader")
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addStretch(1)
        for label in (self.name_label, self.role_label, self.counts_label):
            text.addWidget(label)
        text.addStretch(1)
        buttons = QVBoxLayout()
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.export_button)
        buttons.addStretch(1)
        row = QHBoxLayout(self.header)
        row.setContentsMargins(8, 8, 8, 8)
        row.setSpacing(14)
        row.addWidget(self.avatar)
        row.addLayout(text, 1)
        row.addLayout(buttons)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.header)
        layout.addWidget(self.stack, 1)
        self._apply_fonts()
        self._connect_signals()
        self.clear()

    def _apply_fonts(self) -> None:
        big = self.name_label.font()
        big.setPointSizeF(big.pointSizeF() * 1.5)
        big.setBold(True)
        self.name_label.setFont(big)
        role = self.role_label.font()
        role.setPointSizeF(role.pointSizeF() * 1.1)
        self.role_label.setFont(role)
        self.counts_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)

    def _connect_signals(self) -> None:
        self.view.article_link.connect(self.article_requested)
        self.edit_button.clicked.connect(self.start_edit)
        self.export_button.clicked.connect(self.on_export_clicked)
        self.form.save_requested.connect(self.on_save_requested)
        self.form.cancel_requested.connect(self.on_cancel_requested)
        self.form.photo_choose_requested.connect(self.on_photo_choose)
        self.form.photo_remove_requested.connect(self.on_photo_remove)

    # State ------------------------------------------------------------------------------
    @property
    def author_id(self) -> int | None:
        return self.detail.id if self.detail else None

    @property
    def is_editing(self) -> bool:
        return self.stack.currentWidget() is self.form

    @property
    def has_photo(self) -> bool:
        return self.avatar.has_photo

    def confirm_leave(self) -> bool:
        """May the form be left? Asks only when it holds unsaved edits."""
        if not self.is_editing or not self.form.is_dirty:
            return True
        name = self.form.loaded.name if self.form.loaded else "the new author"
        return author_dialogs.ask_discard_changes(self, name)

    # Showing ----------------------------------------------------------------------------
    def clear(self, text: str | None = None) -> None:
        self.detail, self._photo = None, None
        self.stack.setCurrentWidget(self.view)
        self.view.show_placeholder(text)
        self.header.hide()

    def show_author(self, author_id: int) -> None:
        """Load a profile; an open form with unsaved edits to the same author is left alone."""
        if self.is_editing and self.form.is_dirty and self.form.author_id == author_id:
            return
        try:
            detail = self._services.authors.detail(author_id)
            photo = self._services.authors.photo(author_id)
        except UserError as exc:
            self.clear(str(exc))
            return
        self._show(detail, photo[0] if photo else None)
        if self.is_editing:
            self.form.load(detail, self._photo)

    def _show(self, detail: AuthorDetail, photo: bytes | None) -> None:
        self.detail, self._photo = detail, photo
        self.header.show()
        self.avatar.show_avatar(photo, detail.name)
        self.name_label.setText(detail.name)
        role = detail.role or "No role given"
        self.role_label.setText(role if detail.active else f"{role} — former")
        self.counts_label.setText(counts_text(detail))
        self.edit_button.setVisible(not self.is_editing)
        self.export_button.setVisible(True)
        self.view.show_render(lambda colours: profile_html(detail, colours))

    # Editing ----------------------------------------------------------------------------
    def start_edit(self) -> None:
        if self.detail is None:
            return
        self.form.load(self.detail, self._photo)
        self._enter_form()

    def start_new(self) -> None:
        self.detail, self._photo = None, None
        self.form.load(None)
        self.header.show()
        self.avatar.show_avatar(None, "")
        self.name_label.setText("New author")
        self.role_label.setText("Fill in at least the name, then Save.")
        self.counts_label.setText("")
        self.export_button.hide()
        self._enter_form()

    def _enter_form(self) -> None:
        self.stack.setCurrentWidget(self.form)
        self.edit_button.hide()
        self.form.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    def leave_edit(self) -> None:
        self.stack.setCurrentWidget(self.view)
        if self.detail is None:
            self.clear()
        else:
            self.edit_button.show()

    def save(self, *, expected_version: int | None = None) -> AuthorDetail | None:
        """Create or update from the form; on a conflict, ask (reload, overwrite, or keep)."""
        profile = self.form.values()
        authors = self._services.authors
        try:
            if self.form.author_id is None:
                detail = authors.create(profile)
            else:
                version = expected_version if expected_version is not None else self.form.version
                detail = authors.update(self.form.author_id, profile, expected_version=version)
        except ValidationFailed as exc:
            self.form.show_errors(exc.errors)
            return None
        except Conflict as exc:
            return self._resolve_conflict(exc)
        except UserError as exc:
            dialogs.show_error(self, "Copydesk", str(exc))
            return None
        self.form.load(detail, self._photo)
        self._show(detail, self._photo)
        self.leave_edit()
        self.message.emit(f"Saved the profile of {detail.name}")
        self.saved.emit(detail)
        return detail

    def _resolve_conflict(self, exc: Conflict) -> AuthorDetail | None:
        author_id = self.form.author_id
        if author_id is None:
            return None
        try:
            theirs = self._services.authors.detail(author_id)
        except UserError as gone:
            dialogs.show_error(self, "Copydesk", str(gone))
            return None
        choice = author_dialogs.ask_conflict(
            self, str(exc), changed_fields(self.form.loaded, theirs)
        )
        if choice is ConflictChoice.OVERWRITE:
            return self.save(expected_version=exc.current_version)
        if choice is ConflictChoice.RELOAD:
            photo = self._services.authors.photo(author_id)
            self._show(theirs, photo[0] if photo else None)
            self.form.load(theirs, self._photo)
            self.message.emit(f"Reloaded {theirs.name} as saved elsewhere; your edits were dropped")
            self.saved.emit(theirs)
        return None

    # Photos -----------------------------------------------------------------------------
    def set_photo(self, data: bytes | None) -> AuthorDetail | None:
        author_id = self.author_id
        if author_id is None:
            return None
        try:
            detail = self._services.authors.set_photo(author_id, data)
            photo = self._services.authors.photo(author_id)
        except UserError as exc:
            dialogs.show_error(self, "Copydesk", str(exc))
            return None
        self._show(detail, photo[0] if photo else None)
        # Our photo is the only change since the form loaded: the form's base may follow.
        moved = detail.version if detail.version == self.form.version + 1 else None
        self.form.set_photo(self._photo, moved)
        self.photo_changed.emit(author_id)
        self.message.emit(f"Photo {'set' if data else 'removed'} for {detail.name}")
        return detail

    # Slots ------------------------------------------------------------------------------
    def on_save_requested(self) -> None:
        self.save()

    def on_cancel_requested(self) -> None:
        if self.confirm_leave():
            self.form.revert()
            self.leave_edit()

    def on_photo_choose(self) -> None:
        path = author_dialogs.ask_photo_path(self)
        if not path:
            return
        try:
            data = self._services.files.read(Path(path))
        except UserError as exc:
            dialogs.show_error(self, "Copydesk", str(exc))
            return
        self.set_photo(data)

    def on_photo_remove(self) -> None:
        self.set_photo(None)

    def on_export_clicked(self) -> None:
        if self.author_id is not None:
            self.export_requested.emit(self.author_id)
