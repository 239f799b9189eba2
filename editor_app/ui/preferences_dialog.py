"""Edit → Preferences…: your name, your author profile, spelling language and theme."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from editor_app.domain.sorting import natural_key
from editor_app.services.dto import AuthorRow
from editor_app.services.editing import SPELLING_LANGUAGES
from editor_app.ui import preferences

NO_PROFILE = "None (choose each time)"


class PreferencesDialog(QDialog):
    """``mine`` is the author profile the user signs with and ``spelling`` the store's
    language, both kept in the store; the name and theme are this computer's (QSettings)."""

    def __init__(
        self,
        authors: Sequence[AuthorRow],
        mine: int | None = None,
        spelling: str = "en_US",
        parent: QWidget | None = None,
        *,
        on_house_style: Callable[[], object] | None = None,
        prefs: preferences.Preferences | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.setMinimumWidth(460)
        self.prefs = prefs if prefs is not None else preferences.Preferences(parent=self)
        self.name = QLineEdit(self.prefs.my_name())
        self.name.setObjectName("preferencesName")
        self.name.setPlaceholderText("How the desk knows you")
        self.author = QComboBox()
        self.author.setObjectName("preferencesAuthor")
        self.author.setEditable(True)
        self.author.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.author.addItem(NO_PROFILE, None)
        for a in sorted(authors, key=lambda a: natural_key(a.name)):
            self.author.addItem(f"{a.name} ({a.role})" if a.role else a.name, a.id)
        completer = self.author.completer()
        if completer is not None:
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.author.setCurrentIndex(max(self.author.findData(mine), 0))
        self.spelling = QComboBox()
        self.spelling.setObjectName("preferencesSpelling")
        for key, label in SPELLING_LANGUAGES.items():
            self.spelling.addItem(label, key)
        self.spelling.setCurrentIndex(max(self.spelling.findData(spelling), 0))
        self.theme = QComboBox()
        self.theme.setObjectName("preferencesTheme")
        for key, label in preferences.THEMES:
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(self.theme.findData(self.prefs.theme()))
        note = QLabel(
            "Your author profile signs new articles' bylines and your replies to comments; "
            "it follows you to any workstation on this store. The spelling language is the "
            "newsroom's, for everyone on the store. Your name and the theme are kept on this "
            "computer."
        )
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        form = QFormLayout(self)
        form.addRow("Your name", self.name)
        form.addRow("Your author profile", self.author)
        form.addRow("Spelling", self.spelling)
        form.addRow("Theme", self.theme)
        # The newsroom's style sheet (names, terms, numbers, dates…), kept in the store.
        self.house_style = QPushButton("Edit the house style sheet…")
        self.house_style.setObjectName("preferencesHouseStyle")
        self.house_style.setEnabled(on_house_style is not None)
        if on_house_style is not None:
            self.house_style.clicked.connect(lambda: on_house_style())
        form.addRow("House style", self.house_style)
        form.addRow(note)
        form.addRow(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.author.currentTextChanged.connect(self._update_save)

    def author_id(self) -> int | None:
        index = self.author.findText(self.author.currentText().strip())
        data = self.author.itemData(index) if index >= 0 else None
        return int(data) if data is not None else None

    def _update_save(self, text: str) -> None:
        known = self.author.findText(text.strip()) >= 0
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(known)

    def spelling_language(self) -> str:
        return str(self.spelling.currentData())

    def save(self) -> None:
        """Save this computer's part; the caller saves the store's (author, spelling)."""
        self.prefs.save(name=self.name.text(), theme=str(self.theme.currentData()))
