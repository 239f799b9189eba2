"""The editor area of the window: open articles in tabs, unsaved marks, recovery at start.

Signals:
    count_changed(int): how many articles are open
    article_saved(int article_id): lists and views that show it may reload
    message(str): a line for the status bar
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QTabBar,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor_app.domain.errors import UserError
from editor_app.domain.identity import current_user
from editor_app.services.container import Services
from editor_app.services.editing import (
    DEFAULT_SPELLING,
    SPELLING_LANGUAGES,
    ArticleDraft,
    AutosaveInfo,
)
from editor_app.ui import dialogs
from editor_app.ui.editor import prompts
from editor_app.ui.editor.editor_tab import EditorTab
from editor_app.ui.editor.recovery import DISCARD, RECOVER, RecoveryDialog
from editor_app.ui.editor.spelling import DictionaryLoader, Speller
from editor_app.ui.editor.toolbar import make_icon

UNSAVED_MARK = "• "


class EditorArea(QWidget):
    count_changed = Signal(int)
    article_saved = Signal(int)
    message = Signal(str)

    def __init__(
        self, services: Services, parent: QWidget | None = None, *, actor: str | None = None
    ) -> None:
        super().__init__(parent)
        self.services = services
        self.actor = actor or current_user()
        self._speller: Speller | None = None
        self._loader = DictionaryLoader(self)
        self._loader.loaded.connect(self.on_dictionary_loaded)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("editorTabs")
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.empty = QLabel(
            "No article open. Press Ctrl+N for a new one, or open one from the "
            "Articles list (double-click or Enter)."
        )
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.tabs, 1)
        self.tabs.hide()
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.tabs.tabCloseRequested.connect(self.close_tab)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self.on_focus_changed)

    @property
    def speller(self) -> Speller:
        """One speller for every tab; its dictionary is read on a worker thread."""
        if self._speller is None:
            self._speller = Speller(self.services.editor.dictionary_words())
            self.reload_spelling()
        return self._speller

    def reload_spelling(self) -> None:
        """Follow the store's spelling language (call it after changing the setting)."""
        try:
            language = self.services.editor.spelling_language()
        except UserError:
            language = DEFAULT_SPELLING
        self._loader.load(language)

    def spelling_ready(self) -> bool:
        return self._speller is not None and self._speller.ready

    def on_dictionary_loaded(self, language: str, dictionary: object) -> None:
        speller = self.speller
        speller.set_dictionary(language, dictionary)
        for tab in self.editors():
            tab.rehighlight_spelling()
        names = SPELLING_LANGUAGES.get(language, language)
        self.message.emit(f"Spelling: {names}")

    def editors(self) -> list[EditorTab]:
        return [
            t for i in range(self.tabs.count()) if isinstance(t := self.tabs.widget(i), EditorTab)
        ]

    def current(self) -> EditorTab | None:
        tab = self.tabs.currentWidget()
        return tab if isinstance(tab, EditorTab) else None

    # Opening -----------------------------------------------------------------------------------
    def new_article(self) -> EditorTab:
        draft = self.services.editor.new_draft()
        # Bylined to the writer's own author profile (Preferences), when one is set.
        try:
            mine = self.services.editor.my_author(self.actor)
        except UserError:
            mine = None
        if mine is not None:
            draft = replace(draft, author_ids=(mine,))
        tab = self._add_tab(draft, dirty=False)
        tab.title.setFocus(Qt.FocusReason.ShortcutFocusReason)
        return tab

    def open_article(self, article_id: int) -> EditorTab | None:
        for tab in self.editors():
            if tab.draft.article_id == article_id:
                self.tabs.setCurrentWidget(tab)
                tab.body.setFocus()
                return tab
        try:
            draft = self.services.editor.open(article_id)
        except UserError as exc:
            dialogs.show_error(self, "Copydesk", str(exc))
            return None
        tab = self._add_tab(draft, dirty=False)
        tab.body.setFocus()
        return tab

    def open_draft(self, draft: ArticleDraft, *, dirty: bool) -> EditorTab:
        return self._add_tab(draft, dirty=dirty)

    def _add_tab(self, draft: ArticleDraft, *, dirty: bool) -> EditorTab:
        authors = [(a.id, a.name) for a in self.services.authors.list()]
        tab = EditorTab(self.services, self.speller, self.actor, authors)
        tab.load_draft(draft, dirty=dirty)
        index = self.tabs.addTab(tab, "")
        self.tabs.tabBar().setTabButton(index, QTabBar.ButtonPosition.RightSide, self._closer(tab))
        self._update_label(tab)
        tab.dirty_changed.connect(lambda _d, t=tab: self._update_label(t))
        tab.title_changed.connect(lambda _t, t=tab: self._update_label(t))
        tab.close_requested.connect(lambda t=tab: self.close_tab(self.tabs.indexOf(t)))
        tab.saved.connect(self.article_saved)
        tab.message.connect(self.message)
        self.tabs.setCurrentIndex(index)
        self._count_changed()
        return tab

    def _closer(self, tab: EditorTab) -> QToolButton:
        """A quiet cross that closes the tab (the style's own is a red square on some themes)."""
        button = QToolButton()
        button.setObjectName("closeTab")
        button.setAutoRaise(True)
        button.setIcon(make_icon("fa6s.xmark"))
        button.setIconSize(QSize(12, 12))
        button.setFixedSize(QSize(20, 20))
        button.setToolTip("Close (Ctrl+W)")
        button.setCursor(Qt.CursorShape.ArrowCursor)
        button.clicked.connect(lambda: self.close_tab(self.tabs.indexOf(tab)))
        return button

    def _update_label(self, tab: EditorTab) -> None:
        index = self.tabs.indexOf(tab)
        if index < 0:
            return
        title = tab.display_title()
        short = title if len(title) <= 32 else title[:31] + "…"
        self.tabs.setTabText(index, (UNSAVED_MARK if tab.dirty else "") + short)
        self.tabs.setTabToolTip(index, title + (" (unsaved)" if tab.dirty else ""))

    def _count_changed(self) -> None:
        has = self.tabs.count() > 0
        self.tabs.setVisible(has)
        self.empty.setVisible(not has)
        self.count_changed.emit(self.tabs.count())

    # Closing -----------------------------------------------------------------------------------
    def close_tab(self, index: int) -> bool:
        tab = self.tabs.widget(index)
        if not isinstance(tab, EditorTab):
            return True
        if not self._may_close(tab):
            return False
        self.tabs.removeTab(self.tabs.indexOf(tab))
        tab.autosave_timer.stop()
        tab.deleteLater()
        self._count_changed()
        return True

    def _may_close(self, tab: EditorTab) -> bool:
        if not tab.dirty:
            return True
        self.tabs.setCurrentWidget(tab)
        answer = prompts.ask_unsaved(self, tab.display_title())
        if answer == "save":
            return tab.save()
        if answer == "discard":
            self.services.editor.discard_autosave(tab.draft.draft_key)
            return True
        return False

    def confirm_close_all(self) -> bool:
        """Ask about each tab with unsaved work; False when the writer cancelled."""
        for tab in self.editors():
            if not self._may_close(tab):
                return False
        for tab in self.editors():
            tab.autosave_timer.stop()
        return True

    # Recovery and autosave on leaving ------------------------------------------------------------
    def offer_recovery(self, infos: tuple[AutosaveInfo, ...] | None = None) -> int:
        """Offer autosaved work newer than its last save (``infos``: read already, off the
        GUI thread); returns how many were opened."""
        if infos is None:
            try:
                infos = self.services.editor.recoverable(actor=self.actor)
            except UserError:
                return 0
        if not infos:
            return 0
        dialog = RecoveryDialog(infos, self)
        choice = prompts.ask_choice(dialog)
        keys = dialog.checked_keys()
        opened = 0
        if choice == RECOVER:
            for key in keys:
                try:
                    draft = self.services.editor.recover(key)
                except UserError as exc:
                    self.message.emit(str(exc))
                    continue
                self.open_draft(draft, dirty=True)
                opened += 1
        elif choice == DISCARD:
            for key in keys:
                self.services.editor.discard_autosave(key)
        return opened

    def on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        for tab in self.editors():
            if tab.owns(old) and not tab.owns(new):
                tab.autosave_now()
