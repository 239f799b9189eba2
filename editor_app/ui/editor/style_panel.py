"""House style in the editor: underlines as you type, fixes on right-click, and a panel.

The layer checks the body's paragraphs a moment after typing stops (off the GUI thread for
long pieces, and only the paragraphs that changed), underlines what it finds in its own
colour, and puts the fixes on top of the body's context menu. Nothing changes the text until
the user picks a fix. "Ignore in this piece" is kept in the store with the article.

Signals (StyleLayer):
    issues_changed(): a new set of findings is underlined
    message(str): a line for the status bar
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QContextMenuEvent, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor_app.copydesk.style import Issue, StyleSheet, check_paragraph, default_sheet_text
from editor_app.domain.errors import UserError
from editor_app.services.style import StyleService
from editor_app.ui import dialogs
from editor_app.ui.editor.desk_runner import LatestRunner
from editor_app.ui.editor.quotes_panel import body_blocks

CHECK_MS = 500
LONG_PIECE = 4_000  # characters (~700 words): past this the checks run off the GUI thread
STYLE_COLOUR = QColor("#7c3aed")  # violet: not the spell checker's red
Found = tuple[QTextCursor, Issue]


class StyleLayer(QObject):
    issues_changed = Signal()
    message = Signal(str)

    def __init__(
        self,
        style: StyleService,
        body: QTextEdit,
        article_id: Callable[[], int | None],
        actor: str,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._style = style
        self.body = body
        self._article_id = article_id
        self._actor = actor
        self.sheet: StyleSheet = StyleSheet()
        self.ignored: frozenset[str] = frozenset()
        self._ignored_for: int | None = None
        self._cache: dict[str, list[Issue]] = {}
        self.found: list[Found] = []
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(CHECK_MS)
        self.runner = LatestRunner(self)
        self.reload_sheet(check=False)
        body.document().contentsChanged.connect(self.timer.start)
        self.timer.timeout.connect(self.refresh)
        self.runner.finished.connect(self.on_checked)
        body.viewport().installEventFilter(self)

    # Checking ------------------------------------------------------------------------------
    def reload_sheet(self, *, check: bool = True) -> None:
        try:
            self.sheet = self._style.sheet()
        except (UserError, ValueError) as exc:
            self.message.emit(f"House style sheet not usable: {exc}")
            self.sheet = StyleSheet()
        self._cache = {}  # a new one: a check still running keeps the old sheet's
        if check:
            self.refresh()

    def _load_ignored(self) -> None:
        article_id = self._article_id()
        if article_id is not None and article_id != self._ignored_for:
            self._ignored_for = article_id
            try:
                self.ignored = self.ignored | self._style.ignored(article_id)
            except UserError as exc:
                self.message.emit(str(exc))

    def refresh(self, *, in_thread: bool | None = None) -> None:
        self.timer.stop()
        self._load_ignored()
        blocks = [(b.position(), b.text()) for b in body_blocks(self.body)]
        if in_thread is None:
            in_thread = sum(len(t) for _p, t in blocks) > LONG_PIECE
        if len(self._cache) > 5000:
            self._cache = {}
        sheet, ignored, cache = self.sheet, self.ignored, self._cache

        def work() -> list[tuple[int, list[Issue]]]:
            out = []
            for pos, text in blocks:
                if text not in cache:
                    cache[text] = check_paragraph(text, sheet)
                out.append((pos, [i for i in cache[text] if i.key not in ignored]))
            return out

        self.runner.run(work, in_thread=in_thread)

    def on_checked(self, result: object) -> None:
        if not isinstance(result, list):
            return
        doc = self.body.document()
        size = doc.characterCount()
        self.found = []
        selections = []
        for pos, issues in result:
            for issue in issues:
                if pos + issue.end >= size:
                    continue  # the text moved on since the check began
                cursor = QTextCursor(doc)
                cursor.setPosition(pos + issue.start)
                cursor.setPosition(pos + issue.end, QTextCursor.MoveMode.KeepAnchor)
                if cursor.selectedText() != issue.text:
                    continue
                self.found.append((cursor, issue))
                sel = QTextEdit.ExtraSelection()
                sel.cursor = cursor
                sel.format = _underline(issue)
                selections.append(sel)
        self.body.setExtraSelections(selections)
        self.issues_changed.emit()

    def issue_at(self, position: int) -> Found | None:
        for cursor, issue in self.found:
            if cursor.selectionStart() <= position <= cursor.selectionEnd():
                return cursor, issue
        return None

    # The user's click -----------------------------------------------------------------------
    def apply_fix(self, cursor: QTextCursor, issue: Issue, fix: str) -> None:
        if cursor.selectedText() != issue.text:
            self.message.emit("The text changed there; check again")
            return
        cursor.insertText(fix)
        self.message.emit(f"“{issue.text}” → “{fix}”")

    def ignore(self, issue: Issue) -> None:
        """Ignore these words for this rule in this piece (kept with the article once saved)."""
        self.ignored = self.ignored | {issue.key}
        article_id = self._article_id()
        if article_id is not None:
            try:
                self.ignored = self.ignored | self._style.set_ignored(
                    article_id, issue.key, True, actor=self._actor
                )
            except UserError as exc:
                self.message.emit(str(exc))
        self.refresh(in_thread=False)
        self.message.emit(f"“{issue.text}” ignored in this piece")

    # The context menu ----------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ContextMenu and isinstance(event, QContextMenuEvent):
            menu = self.context_menu(event.pos())
            menu.exec(event.globalPos())
            menu.deleteLater()
            return True
        return super().eventFilter(watched, event)

    def context_menu(self, pos: QPoint) -> QMenu:
        """The body's own menu, with the house style's fixes on top where there is a finding."""
        build = getattr(self.body, "build_context_menu", None)
        menu: QMenu = build(pos) if build else self.body.createStandardContextMenu(pos)
        hit = self.issue_at(self.body.cursorForPosition(pos).position())
        if hit is None:
            return menu
        cursor, issue = hit
        actions = menu.actions()
        first = actions[0] if actions else menu.addSeparator()
        note = menu.addAction(
            issue.message if len(issue.message) < 90 else issue.message[:87] + "…"
        )
        note.setEnabled(False)
        menu.insertAction(first, note)
        for fix in issue.fixes:
            action = menu.addAction(f"Change to “{fix}”")
            action.setObjectName("styleFix")
            action.triggered.connect(
                lambda _c=False, c=cursor, i=issue, f=fix: self.apply_fix(c, i, f)
            )
            menu.insertAction(first, action)
        ignore = menu.addAction("Ignore in this piece")
        ignore.setObjectName("styleIgnore")
        ignore.triggered.connect(lambda _c=False, i=issue: self.ignore(i))
        menu.insertAction(first, ignore)
        menu.insertSeparator(first)
        return menu


def _underline(issue: Issue) -> QTextCharFormat:
    fmt = QTextCharFormat()
    generic = issue.rule.startswith("generic.")
    fmt.setUnderlineStyle(
        QTextCharFormat.UnderlineStyle.DotLine
        if generic
        else QTextCharFormat.UnderlineStyle.WaveUnderline
    )
    fmt.setUnderlineColor(STYLE_COLOUR)
    return fmt


class StylePanel(QWidget):
    """The findings as a list: click one to see it, fix it or ignore it; edit the sheet."""

    def __init__(
        self, layer: StyleLayer, style: StyleService, actor: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("stylePanel")
        self.layer = layer
        self._style = style
        self._actor = actor
        self.summary = QLabel("")
        self.summary.setObjectName("styleSummary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("styleList")
        self.tree.setHeaderLabels(["¶", "Rule", "Words", "What to do"])
        self.tree.setRootIsDecorated(False)
        self.tree.header().setStretchLastSection(True)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.fix_button = QPushButton("Fix")
        self.fix_button.setToolTip("Put the suggested words in place of these")
        self.ignore_button = QPushButton("Ignore in this piece")
        self.sheet_button = QPushButton("House style…")
        self.sheet_button.setToolTip("Edit the newsroom's style sheet (shared by the store)")
        buttons = QHBoxLayout()
        buttons.addWidget(self.fix_button)
        buttons.addWidget(self.ignore_button)
        buttons.addStretch(1)
        buttons.addWidget(self.sheet_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        self._connect_signals()
        self.on_issues_changed()

    def _connect_signals(self) -> None:
        self.layer.issues_changed.connect(self.on_issues_changed)
        self.tree.currentItemChanged.connect(self.on_current_changed)
        self.tree.itemClicked.connect(lambda item, _col: self.on_current_changed(item))
        self.fix_button.clicked.connect(self.on_fix)
        self.ignore_button.clicked.connect(self.on_ignore)
        self.sheet_button.clicked.connect(self.on_edit_sheet)

    def on_issues_changed(self) -> None:
        self.tree.clear()
        blocks = {b.position(): n for n, b in enumerate(body_blocks(self.layer.body), 1)}
        for index, (cursor, issue) in enumerate(self.layer.found):
            block = cursor.document().findBlock(cursor.selectionStart())
            todo = f"→ {issue.fixes[0]}. {issue.message}" if issue.fixes else issue.message
            item = QTreeWidgetItem(
                [str(blocks.get(block.position(), "")), issue.rule, issue.text, todo]
            )
            item.setToolTip(3, issue.message)
            item.setData(0, Qt.ItemDataRole.UserRole, index)
            self.tree.addTopLevelItem(item)
        n = len(self.layer.found)
        self.summary.setText("Nothing against the house style." if n == 0 else f"{n} to look at.")
        self._update_buttons()

    def current(self) -> Found | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        index = item.data(0, Qt.ItemDataRole.UserRole)
        found = self.layer.found
        return found[index] if isinstance(index, int) and index < len(found) else None

    def _update_buttons(self) -> None:
        hit = self.current()
        self.fix_button.setEnabled(hit is not None and bool(hit[1].fixes))
        self.ignore_button.setEnabled(hit is not None)

    def on_current_changed(self, item: QTreeWidgetItem | None, *_args: object) -> None:
        hit = self.current() if item is not None else None
        if hit is not None:
            self.layer.body.setTextCursor(QTextCursor(hit[0]))
            self.layer.body.ensureCursorVisible()
        self._update_buttons()

    def on_fix(self) -> None:
        hit = self.current()
        if hit is not None and hit[1].fixes:
            self.layer.apply_fix(hit[0], hit[1], hit[1].fixes[0])
            self.layer.refresh(in_thread=False)

    def on_ignore(self) -> None:
        hit = self.current()
        if hit is not None:
            self.layer.ignore(hit[1])

    def on_edit_sheet(self) -> None:
        dialog = StyleSheetDialog(self._style, self._actor, self)
        if dialogs.run_dialog(dialog) == QDialog.DialogCode.Accepted:
            self.layer.reload_sheet()


class StyleSheetDialog(QDialog):
    """The newsroom's style sheet as YAML; saving keeps the old text in the store's history."""

    def __init__(self, style: StyleService, actor: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("House style")
        self.setObjectName("styleSheetDialog")
        self._style = style
        self._actor = actor
        info = style.sheet_info()
        self._version = info.version
        by = f" — last saved by {info.updated_by}" if info.updated_by else " — the shipped default"
        self.label = QLabel(f"The style sheet of this store, version {info.version}{by}.")
        self.label.setWordWrap(True)
        self.editor = QPlainTextEdit(info.text)
        self.editor.setObjectName("styleSheetText")
        self.error = QLabel("")
        self.error.setObjectName("styleSheetError")
        self.error.setStyleSheet("color: #b91c1c")
        self.default_button = QPushButton("Load the default")
        box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        box.addButton(self.default_button, QDialogButtonBox.ButtonRole.ResetRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.label)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.error)
        layout.addWidget(box)
        self.resize(640, 560)
        box.accepted.connect(self.on_save)
        box.rejected.connect(self.reject)
        self.default_button.clicked.connect(lambda: self.editor.setPlainText(default_sheet_text()))

    def on_save(self) -> None:
        try:
            self._style.save_sheet(
                self.editor.toPlainText(), actor=self._actor, expected_version=self._version
            )
        except UserError as exc:
            self.error.setText(str(exc))  # the dialog stays open with the text as typed
            return
        self.accept()
