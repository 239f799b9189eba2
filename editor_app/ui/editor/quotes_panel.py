"""The Quotes panel: the piece's quote ledger beside the text, refreshed as you type.

Each row is a quotation in reading order with its speaker, verb and date; flagged ones say
why (no speaker, a name spelled two ways, words changed since publication, another piece
quotes it differently). Clicking a row selects the quotation in the body. The ledger is
computed off the GUI thread, a moment after typing stops.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QTextBlock, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor_app.services.quotes import Quote, QuoteLedger, QuoteService
from editor_app.ui.editor.desk_runner import LatestRunner
from editor_app.ui.editor.html_io import FIGURE_PROPERTY, iter_blocks, read_document

REFRESH_MS = 800
FLAG_COLOUR = QColor("#b45309")
COLUMNS = ("¶", "Speaker", "Verb", "Date", "Quotation")


def body_blocks(body: QTextEdit) -> list[QTextBlock]:
    """The document's body blocks as the HTML numbers them: no figures, no empty blocks."""
    doc = body.document()
    return [
        b
        for b in iter_blocks(doc)
        if not b.blockFormat().hasProperty(FIGURE_PROPERTY) and b.text().strip()
    ]


def select_in_body(
    body: QTextEdit, paragraph: int, start: int, end: int, text: str, end_paragraph: int = 0
) -> bool:
    """Select words of body block `paragraph` (1-based): where `text` is, else the offsets."""
    blocks = body_blocks(body)
    if not 1 <= paragraph <= len(blocks):
        return False
    block = blocks[paragraph - 1]
    last = blocks[min(max(end_paragraph, paragraph), len(blocks)) - 1]
    found = block.text().find(text) if text and last == block else -1
    if found >= 0 and not (start <= found <= end):
        nearest = block.text().find(text, max(0, start - 1))
        found = nearest if nearest >= 0 else found
    cursor = QTextCursor(block)
    if last != block:
        cursor.setPosition(block.position())
        cursor.setPosition(last.position() + last.length() - 1, QTextCursor.MoveMode.KeepAnchor)
    elif found >= 0:
        cursor.setPosition(block.position() + found)
        cursor.setPosition(block.position() + found + len(text), QTextCursor.MoveMode.KeepAnchor)
    else:
        length = block.length() - 1
        cursor.setPosition(block.position() + min(start, length))
        cursor.setPosition(block.position() + min(end, length), QTextCursor.MoveMode.KeepAnchor)
    body.setTextCursor(cursor)
    body.ensureCursorVisible()
    return True


class QuotesPanel(QWidget):
    def __init__(
        self,
        quotes: QuoteService,
        body: QTextEdit,
        article_id: Callable[[], int | None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("quotesPanel")
        self._quotes = quotes
        self._body = body
        self._article_id = article_id
        self.ledger: QuoteLedger | None = None
        self.summary = QLabel("No quotations yet.")
        self.summary.setObjectName("quotesSummary")
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("quotesList")
        self.tree.setHeaderLabels(list(COLUMNS))
        self.tree.setRootIsDecorated(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setWordWrap(True)
        header = self.tree.header()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(REFRESH_MS)
        self.runner = LatestRunner(self)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._body.document().contentsChanged.connect(self.timer.start)
        self.timer.timeout.connect(self.refresh)
        self.runner.finished.connect(self.on_ledger)
        self.runner.failed.connect(self.on_failed)
        self.tree.itemClicked.connect(self.on_item_clicked)
        self.tree.itemActivated.connect(self.on_item_clicked)

    def refresh(self, *, in_thread: bool = True) -> None:
        """Read the body now; compute the ledger in the background."""
        self.timer.stop()
        body_html, _figures = read_document(self._body.document())
        article_id = self._article_id()
        service = self._quotes
        self.runner.run(
            lambda: service.ledger(article_id, body_html=body_html), in_thread=in_thread
        )

    def on_failed(self, message: str) -> None:
        self.summary.setText(f"The quote ledger could not be read: {message}")

    def on_ledger(self, ledger: object) -> None:
        if not isinstance(ledger, QuoteLedger):
            return
        self.ledger = ledger
        self.tree.clear()
        flagged = 0
        for q in ledger.quotes:
            item = QTreeWidgetItem(
                [str(q.paragraph), q.speaker or "?", q.verb or "", q.date or "", _short(q.text)]
            )
            item.setData(0, Qt.ItemDataRole.UserRole, q)
            item.setToolTip(4, q.text)
            warn = [f for f in q.flags if f.kind != "speaker_from_context"]
            if warn:
                flagged += 1
                for col in range(len(COLUMNS)):
                    item.setForeground(col, QBrush(FLAG_COLOUR))
            for f in q.flags:
                child = QTreeWidgetItem(["", f.kind.replace("_", " "), "", "", f.message])
                child.setToolTip(4, f.message)
                child.setData(0, Qt.ItemDataRole.UserRole, q)
                item.addChild(child)
            self.tree.addTopLevelItem(item)
            item.setExpanded(bool(warn))
        count = len(ledger.quotes)
        if count == 0:
            self.summary.setText("No quotations yet.")
        else:
            noun = "quotation" if count == 1 else "quotations"
            self.summary.setText(f"{count} {noun}, {flagged} flagged.")

    def on_item_clicked(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        q = item.data(0, Qt.ItemDataRole.UserRole)
        if isinstance(q, Quote):
            select_in_body(self._body, q.paragraph, q.start, q.end, _needle(q), q.end_paragraph)


def _short(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 90 else flat[:87] + "…"


def _needle(q: Quote) -> str:
    """What to look for in the block: the words as the paragraph has them."""
    return q.text if q.kind == "inline" or "\n" not in q.text else q.text.split("\n")[0]
