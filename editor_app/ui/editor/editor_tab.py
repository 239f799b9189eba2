"""One article open in the editor: title, dek, body, side panels, autosave, save and conflicts.

Signals:
    dirty_changed(bool): the unsaved mark goes on or off
    title_changed(str)
    saved(int article_id)
    close_requested(): Ctrl+W
    message(str): a line for the status bar
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from html import escape
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QImage, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QStyle,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from editor_app.domain.errors import UserError
from editor_app.domain.profile import ValidationFailed
from editor_app.services.container import Services
from editor_app.services.editing import ArticleDraft, EditConflict, FigureDraft, SaveResult
from editor_app.ui import dialogs
from editor_app.ui.editor import prompts
from editor_app.ui.editor.body_edit import BodyEdit, writing_font
from editor_app.ui.editor.conflict import KEEP_MINE, MERGE, TAKE_THEIRS, ConflictDialog
from editor_app.ui.editor.desk_panels import attach_desk_panels
from editor_app.ui.editor.fields import WrapLineEdit
from editor_app.ui.editor.figure_panel import FigurePanel
from editor_app.ui.editor.find_bar import FindBar
from editor_app.ui.editor.history_panel import HistoryPanel
from editor_app.ui.editor.html_io import read_document
from editor_app.ui.editor.meta_panel import MetadataPanel
from editor_app.ui.editor.spelling import Speller
from editor_app.ui.editor.toolbar import icon_action, make_format_actions

AUTOSAVE_MS = 3000
STATS_MS = 150
CTRL = Qt.KeyboardModifier.ControlModifier.value
TAB_KEYS: dict[tuple[Qt.Key | int, int], str] = {
    (Qt.Key.Key_S, CTRL): "save",
    (Qt.Key.Key_W, CTRL): "close",
    (Qt.Key.Key_F, CTRL): "find",
    (Qt.Key.Key_H, CTRL): "replace",
}
_MODS = (
    Qt.KeyboardModifier.ControlModifier
    | Qt.KeyboardModifier.ShiftModifier
    | Qt.KeyboardModifier.AltModifier
    | Qt.KeyboardModifier.MetaModifier
)


class EditorTab(QWidget):
    dirty_changed = Signal(bool)
    title_changed = Signal(str)
    saved = Signal(int)
    close_requested = Signal()
    message = Signal(str)

    def __init__(
        self,
        services: Services,
        speller: Speller | None,
        actor: str,
        authors: list[tuple[int, str]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor
        self.authors = authors
        self.draft = services.editor.new_draft()
        self.dirty = False
        self._loading = False
        self._autosaved = True  # nothing typed since the last autosave
        self.last_autosave_ms: float | None = None
        # A merge with a connected site's version: told when the merged text is saved.
        self.after_merge_save: Callable[[int], None] | None = None

        # Headline and dek wrap: they show whole at any width, in the writing column.
        self.title = WrapLineEdit()
        self.title.setObjectName("titleEdit")
        self.title.setPlaceholderText("Headline")
        self.title.setFlat()
        title_font = writing_font(1.6)
        title_font.setWeight(QFont.Weight.Bold)
        self.title.setFont(title_font)
        self.dek = WrapLineEdit()
        self.dek.setObjectName("dekEdit")
        self.dek.setPlaceholderText("Dek: the line under the headline")
        self.dek.setFlat()
        dek_font = writing_font(1.1)
        dek_font.setItalic(True)
        self.dek.setFont(dek_font)
        self.body = BodyEdit(speller)
        self.body.setTabChangesFocus(True)
        self.find_bar = FindBar(self.body)
        self.stats = QLabel("")
        self.stats.setObjectName("editorStats")
        self.autosave_label = QLabel("")
        self.autosave_label.setObjectName("autosaveState")
        self.merge_label = QLabel("")
        self.merge_label.setWordWrap(True)
        self.theirs_view = BodyEdit(None)
        self.theirs_view.setObjectName("theirsView")
        self.theirs_view.setReadOnly(True)
        self.merge_box = QWidget()
        merge_layout = QVBoxLayout(self.merge_box)
        merge_layout.setContentsMargins(0, 0, 0, 0)
        merge_layout.addWidget(self.merge_label)
        merge_layout.addWidget(self.theirs_view, 1)
        self.merge_box.hide()

        self.meta = MetadataPanel()
        self.meta.set_choices(services.editor.sections(), services.editor.tags(), authors)
        self.figure_panel = FigurePanel()
        self.history = HistoryPanel(services.editor)
        self.side = QTabWidget()
        self.side.setObjectName("editorSide")
        self.side.addTab(self.meta, "Article")
        self.side.addTab(self.figure_panel, "Figure")
        self.side.addTab(self.history, "History")

        self.toolbar = QToolBar("Format")
        self.toolbar.setObjectName("editorToolbar")
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonIconOnly)
        self.save_action = icon_action(self, "fa6s.floppy-disk", "Save", "Save (Ctrl+S)")
        self.figure_action = icon_action(
            self, "fa6s.image", "Figure…", "Insert a figure: picture, caption, credit, alt text"
        )
        self.find_action = icon_action(
            self, "fa6s.magnifying-glass", "Find", "Find (Ctrl+F), replace (Ctrl+H)"
        )
        undo_keys = QKeySequence(QKeySequence.StandardKey.Undo).toString()
        redo_keys = QKeySequence(QKeySequence.StandardKey.Redo).toString()
        self.undo_action = icon_action(self, "fa6s.rotate-left", "Undo", f"Undo ({undo_keys})")
        self.redo_action = icon_action(self, "fa6s.rotate-right", "Redo", f"Redo ({redo_keys})")
        self.format_actions = make_format_actions(self, self.body.run_command)
        self.toolbar.addAction(self.save_action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.undo_action)
        self.toolbar.addAction(self.redo_action)
        self.toolbar.addSeparator()
        for action in self.format_actions:
            if action is None:
                self.toolbar.addSeparator()
            else:
                self.toolbar.addAction(action)
        self.toolbar.addSeparator()
        self.toolbar.addAction(self.figure_action)
        self.toolbar.addAction(self.find_action)

        writing = QWidget()
        writing.setObjectName("writingPage")
        writing.setBackgroundRole(QPalette.ColorRole.Base)
        writing.setAutoFillBackground(True)
        column = QVBoxLayout(writing)
        column.setContentsMargins(0, 12, 0, 0)
        column.setSpacing(2)
        self.head = QWidget()
        head_column = QVBoxLayout(self.head)
        # The headline's text starts where the body's does (document margins differ).
        inset = int(self.body.document().documentMargin() - self.title.document().documentMargin())
        head_column.setContentsMargins(inset, 0, inset, 0)
        head_column.setSpacing(2)
        head_column.addWidget(self.title)
        head_column.addWidget(self.dek)
        head_row = QHBoxLayout()
        # The body's column is centred beside its scroll bar: the same here.
        scroll_bar = self.body.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
        head_row.setContentsMargins(0, 0, scroll_bar, 0)
        head_row.setSpacing(0)
        # The spacers only take what the head leaves over at its maximum width.
        head_row.addStretch(0)
        head_row.addWidget(self.head, 1)
        head_row.addStretch(0)
        self.head.setMaximumWidth(self.body.column_width())
        column.addLayout(head_row)
        self.body_split = QSplitter(Qt.Orientation.Horizontal)
        self.body_split.addWidget(self.body)
        self.body_split.addWidget(self.merge_box)
        column.addWidget(self.body_split, 1)
        column.addWidget(self.find_bar)
        status_row = QHBoxLayout()
        status_row.setContentsMargins(8, 2, 8, 4)
        status_row.addWidget(self.stats, 1)
        status_row.addWidget(self.autosave_label)
        column.addLayout(status_row)

        self.split = QSplitter(Qt.Orientation.Horizontal)
        self.split.setObjectName("editorSplit")
        self.split.addWidget(writing)
        self.split.addWidget(self.side)
        self.split.setStretchFactor(0, 3)
        self.split.setStretchFactor(1, 1)
        self.split.setSizes([820, 340])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 4)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.split, 1)
        QWidget.setTabOrder(self.title, self.dek)
        QWidget.setTabOrder(self.dek, self.body)

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.stats_timer = QTimer(self)
        self.stats_timer.setSingleShot(True)
        self.stats_timer.setInterval(STATS_MS)
        self._connect_signals()
        self.desk = attach_desk_panels(self)  # Quotes and Style in the side panel

    def _connect_signals(self) -> None:
        self.title.textEdited.connect(self.on_title_edited)
        self.dek.textEdited.connect(self.on_edited)
        self.body.document().contentsChanged.connect(self.on_body_changed)
        self.body.figure_selected.connect(self.on_figure_selected)
        self.body.link_requested.connect(self.on_link_requested)
        self.body.word_added.connect(self.on_word_added)
        self.meta.changed.connect(self.on_edited)
        self.figure_panel.edited.connect(self.on_figure_edited)
        self.history.restore_requested.connect(self.on_restore_requested)
        self.save_action.triggered.connect(self.save)
        self.figure_action.triggered.connect(self.on_insert_figure)
        self.find_action.triggered.connect(lambda: self.find_bar.open_bar(with_replace=False))
        self.undo_action.triggered.connect(self.body.undo)
        self.redo_action.triggered.connect(self.body.redo)
        self.body.undoAvailable.connect(self.undo_action.setEnabled)
        self.body.redoAvailable.connect(self.redo_action.setEnabled)
        self.autosave_timer.timeout.connect(self.autosave_now)
        self.stats_timer.timeout.connect(self.update_stats)

    # Loading -----------------------------------------------------------------------------------
    def load_draft(self, draft: ArticleDraft, *, dirty: bool = False) -> None:
        self._loading = True
        self.draft = draft
        self.title.setText(draft.title)
        self.dek.setText(draft.dek)
        self.meta.load(draft)
        self.body.load(draft.body_html, [(f, self._image_of(f)) for f in draft.figures])
        self.figure_panel.show_figure(None)
        self._loading = False
        self.undo_action.setEnabled(False)
        self.redo_action.setEnabled(False)
        self.history.load(draft.article_id)
        self._set_dirty(dirty)
        self._autosaved = not dirty
        self.update_stats()
        self.title_changed.emit(self.display_title())

    def _image_of(self, fig: FigureDraft) -> QImage | None:
        if fig.image is not None:
            return QImage.fromData(fig.image)
        if fig.id is not None and fig.has_image:
            stored = self.services.editor.figure_image(fig.id)
            if stored is not None:
                return QImage.fromData(stored[0])
        return None

    def display_title(self) -> str:
        return self.title.text().strip() or "Untitled"

    def current_draft(self) -> ArticleDraft:
        body, figures = self.body.body_and_figures()
        draft = replace(
            self.draft,
            title=self.title.text(),
            dek=self.dek.text(),
            body_html=body,
            figures=figures,
        )
        return self.meta.apply(draft)

    # Saving ------------------------------------------------------------------------------------
    def save(self) -> bool:
        draft = self.current_draft()
        try:
            result = self.services.editor.save(draft, actor=self.actor)
        except EditConflict as conflict:
            return self.resolve_conflict(conflict, draft)
        except ValidationFailed as exc:
            text = "\n".join(f"{e.field}: {e.message}" for e in exc.errors)
            dialogs.show_error(self, "Cannot save yet", text)
            return False
        except UserError as exc:
            dialogs.show_error(self, "Cannot save", str(exc))
            return False
        self._saved(result)
        return True

    def _saved(self, result: SaveResult) -> None:
        self.draft = result.draft
        for (token, _old), fig in zip(self._figure_tokens(), result.draft.figures, strict=False):
            self.body.figures[token] = replace(fig, image=None)
        self._loading = True
        if self.meta.slug.text() != result.draft.slug:
            self.meta.slug.setText(result.draft.slug)
        self.meta.mark_saved(result.draft.status)
        self._loading = False
        self.merge_box.hide()
        if self.after_merge_save is not None and result.draft.article_id is not None:
            merged, self.after_merge_save = self.after_merge_save, None
            merged(result.draft.article_id)
        self.history.load(result.draft.article_id)
        self._set_dirty(False)
        self._autosaved = True
        self.autosave_label.setText("Saved")
        self.title_changed.emit(self.display_title())
        if result.draft.article_id is not None:
            self.saved.emit(result.draft.article_id)
        self.message.emit(f"Saved “{result.draft.title}”")

    def _figure_tokens(self) -> list[tuple[int, FigureDraft]]:
        _body, placed = read_document(self.body.document())
        return [
            (p.token, self.body.figures[p.token]) for p in placed if p.token in self.body.figures
        ]

    def resolve_conflict(self, conflict: EditConflict, mine: ArticleDraft) -> bool:
        names = dict(self.authors)
        choice = prompts.ask_choice(ConflictDialog(conflict, mine, names, self))
        if choice == KEEP_MINE:
            try:
                result = self.services.editor.save_as_new_revision_over(mine, actor=self.actor)
            except UserError as exc:
                dialogs.show_error(self, "Cannot save", str(exc))
                return False
            self._saved(result)
            return True
        if choice == TAKE_THEIRS:
            self.load_draft(conflict.theirs)
            self.message.emit("Loaded the version saved elsewhere")
            return True
        if choice == MERGE:
            self.start_merge(conflict.theirs)
        return False

    def start_merge(self, theirs: ArticleDraft) -> None:
        """Their text read-only beside mine; the next save goes on top of their version."""
        self.theirs_view.load(theirs.body_html, [])
        self.merge_label.setText(
            f"<b>Their version</b> (read-only): “{theirs.title}”<br>{theirs.dek}<br>"
            "Copy what you want into yours, then save."
        )
        self.merge_box.show()
        self.body_split.setSizes([1, 1])
        self.draft = replace(self.draft, version=theirs.version)
        self._set_dirty(True)

    def start_site_merge(
        self, title: str, dek: str, body_html: str, where: str, on_saved: Callable[[int], None]
    ) -> None:
        """The site's version read-only beside mine; saving the merge tells `on_saved`,
        so the next publish goes on top of the site's version."""
        self.theirs_view.load(body_html, [])
        self.merge_label.setText(
            f"<b>The site's version</b> (read-only, {escape(where)}): “{escape(title)}”<br>"
            f"{escape(dek)}<br>Copy what you want into yours, save, then publish."
        )
        self.merge_box.show()
        self.body_split.setSizes([1, 1])
        self.after_merge_save = on_saved
        self._set_dirty(True)

    # Autosave and stats ---------------------------------------------------------------------------
    def autosave_now(self) -> None:
        self.autosave_timer.stop()
        if self._autosaved or (not self.dirty):
            return
        start = time.perf_counter()
        try:
            self.services.editor.autosave(self.current_draft(), actor=self.actor)
        except UserError as exc:
            self.autosave_label.setText(f"Autosave failed: {exc}")
            return
        self.last_autosave_ms = (time.perf_counter() - start) * 1000
        self._autosaved = True
        self.autosave_label.setText("Autosaved " + time.strftime("%H:%M:%S"))

    def update_stats(self) -> None:
        stats = self.services.editor.text_stats(self.body.toPlainText())
        parts = [f"{stats.words:,} words", f"{stats.reading_minutes} min read"]
        if stats.readability is not None:
            parts.append(f"readability {stats.readability:.0f}")
        self.stats.setText(" · ".join(parts))
        self.word_count = stats.words

    # Slots ------------------------------------------------------------------------------------
    def on_title_edited(self, title: str) -> None:
        self.meta.follow_title(title)
        self.title_changed.emit(self.display_title())
        self.on_edited()

    def on_body_changed(self) -> None:
        if self._loading:
            return
        self.stats_timer.start()
        self.on_edited()

    def on_edited(self, *_args: object) -> None:
        if self._loading:
            return
        self._autosaved = False
        self.autosave_timer.start()
        self._set_dirty(True)

    def on_figure_selected(self, token: int) -> None:
        fig = self.body.figures.get(token)
        self.figure_panel.show_figure(fig)
        if fig is not None:
            self.side.setCurrentWidget(self.figure_panel)

    def on_figure_edited(self) -> None:
        token = self.body.selected_figure
        fig = self.body.figures.get(token)
        if fig is not None:
            self.body.update_figure(token, self.figure_panel.apply(fig))
            self.on_edited()

    def on_link_requested(self) -> None:
        href = prompts.ask_link(self, self.body.current_href())
        if href is not None:
            self.body.set_link(href)

    def on_word_added(self, word: str) -> None:
        try:
            self.services.editor.add_dictionary_word(word, actor=self.actor)
        except UserError as exc:
            self.message.emit(str(exc))
            return
        self.body.add_known_word(word)
        self.message.emit(f"“{word}” added to the newsroom dictionary")

    def on_insert_figure(self) -> None:
        path = prompts.ask_figure_path(self)
        if path:
            self.insert_figure_file(path)

    def insert_figure_file(self, path: str) -> bool:
        try:
            data = self.services.files.read(Path(path))
        except UserError as exc:
            dialogs.show_error(self, "Insert figure", str(exc))
            return False
        image = QImage.fromData(data)
        if image.isNull():
            dialogs.show_error(self, "Insert figure", f"{path} is not an image Copydesk can read")
            return False
        details = prompts.ask_figure_details(self, image, path)
        if details is None:
            return False
        mime = "image/jpeg" if path.lower().endswith((".jpg", ".jpeg")) else "image/png"
        if path.lower().endswith((".gif", ".webp")):
            mime = "image/" + path.rsplit(".", 1)[1].lower()
        fig = FigureDraft(
            id=None,
            caption=details.caption,
            credit=details.credit,
            alt=details.alt,
            image=data,
            image_mime=mime,
            has_image=True,
        )
        self.body.insert_figure(fig, image)
        self.body.setFocus()
        self.on_edited()
        return True

    def rehighlight_spelling(self) -> None:
        """Underline again (a dictionary arrived); not an edit of the article."""
        if self.body.highlighter is None:
            return
        was = self._loading
        self._loading = True
        try:
            self.body.highlighter.rehighlight()
        finally:
            self._loading = was

    def on_restore_requested(self, revision_id: int) -> None:
        if self.draft.article_id is None:
            return
        if self.dirty and prompts.ask_unsaved(self, self.display_title()) == "cancel":
            return
        try:
            result = self.services.editor.restore(
                self.draft.article_id, revision_id, actor=self.actor
            )
        except UserError as exc:
            dialogs.show_error(self, "Cannot restore", str(exc))
            return
        self.load_draft(replace(result.draft, draft_key=self.draft.draft_key))
        self.saved.emit(self.draft.article_id or 0)
        self.message.emit(f"Restored revision {revision_id} as a new revision")

    def _set_dirty(self, dirty: bool) -> None:
        if dirty != self.dirty:
            self.dirty = dirty
            self.dirty_changed.emit(dirty)
        if not dirty:
            self.body.document().setModified(False)

    # Keys the window also uses (Ctrl+F) or that belong to the tab (Ctrl+S, W, H) ------------
    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ShortcutOverride and isinstance(e, QKeyEvent):
            command = TAB_KEYS.get((e.key(), (e.modifiers() & _MODS).value))
            if command is not None:
                e.accept()
                # After the key event is delivered: closing the tab inside it is not safe.
                QTimer.singleShot(0, self, lambda c=command: self.run_command(c))
                return True
        return super().event(e)

    def run_command(self, command: str) -> None:
        if command == "save":
            self.save()
        elif command == "close":
            self.close_requested.emit()
        elif command == "find":
            self.find_bar.open_bar(with_replace=False)
        elif command == "replace":
            self.find_bar.open_bar(with_replace=True)

    def owns(self, widget: QObject | None) -> bool:
        while widget is not None:
            if widget is self:
                return True
            widget = widget.parent()
        return False
