"""Someone saved the article while it was open here: show both, let the editor choose."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from editor_app.services.editing import ArticleDraft, EditConflict, diff_drafts
from editor_app.ui.editor.diff_view import diff_html

KEEP_MINE, TAKE_THEIRS, MERGE = "mine", "theirs", "merge"


class ConflictDialog(QDialog):
    """Their saved version against mine, field by field; ``choice`` is set on accept."""

    def __init__(
        self,
        conflict: EditConflict,
        mine: ArticleDraft,
        names: dict[int, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Saved elsewhere meanwhile")
        self.resize(760, 560)
        self.choice: str | None = None
        diffs = diff_drafts(conflict.theirs, mine, names)
        intro = QLabel(
            f"<b>{conflict}</b><br>Below, what <i>your</i> version changes against theirs: "
            "insertions are yours, struck text is theirs."
        )
        intro.setWordWrap(True)
        self.view = QTextBrowser()
        self.view.setObjectName("conflictDiff")
        self.view.setHtml(diff_html(diffs, self.palette(), empty="The versions are the same."))
        buttons = QDialogButtonBox()
        self.keep_button = QPushButton("Keep mine")
        self.keep_button.setToolTip("Save your version on top; theirs stays in the history")
        self.theirs_button = QPushButton("Take theirs")
        self.theirs_button.setToolTip("Drop your changes and load their version")
        self.merge_button = QPushButton("Merge by hand…")
        self.merge_button.setToolTip("Open their version beside yours and copy what you want")
        for button, choice in (
            (self.keep_button, KEEP_MINE),
            (self.theirs_button, TAKE_THEIRS),
            (self.merge_button, MERGE),
        ):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole)
            button.clicked.connect(lambda _c=False, c=choice: self.choose(c))
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.view, 1)
        layout.addWidget(buttons)

    def choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()
