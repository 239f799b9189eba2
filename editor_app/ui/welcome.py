"""The first thing an empty store shows: two ways to get content in."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from editor_app.ui import glyphs


class WelcomePage(QWidget):
    """Signals:
    import_requested(): the user wants to pick files
    sample_requested(): the user wants the sample newsroom
    """

    import_requested = Signal()
    sample_requested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("welcomePage")
        title = QLabel("Welcome to Copydesk")
        title.setObjectName("welcomeTitle")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(
            "The store is empty. Import a WordPress export, Word or Markdown drafts, saved "
            "news pages, a Ghost export or page dumps with their comment threads, or load "
            "a small sample newsroom to look around."
        )
        text.setObjectName("welcomeText")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text.setWordWrap(True)

        self.import_button = QPushButton(glyphs.icon("fa6s.file-import"), "Import a file…")
        self.sample_button = QPushButton(
            glyphs.icon("fa6s.wand-magic-sparkles"), "Load sample newsroom"
        )
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for b in (self.import_button, self.sample_button):
            b.setObjectName("bigButton")
            b.setMinimumHeight(56)
            b.setIconSize(QSize(22, 22))
            buttons.addWidget(b)
        buttons.addStretch(1)

        layout = QVBoxLayout(self)
        layout.addStretch(2)
        layout.addWidget(title)
        layout.addSpacing(8)
        layout.addWidget(text)
        layout.addSpacing(24)
        layout.addLayout(buttons)
        layout.addStretch(3)

        self.import_button.clicked.connect(self.import_requested)
        self.sample_button.clicked.connect(self.sample_requested)
