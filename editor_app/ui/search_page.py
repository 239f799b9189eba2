"""Search results: articles and comments from the store's full-text index."""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QPointF, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor_app.domain.snippet import Snippet
from editor_app.services.dto import SearchResults
from editor_app.ui.models import ID_ROLE, format_time

KIND_ROLE = ID_ROLE + 1
HTML_ROLE = ID_ROLE + 2  # the result's line as rich text: the words found in bold


def snippet_html(snippet: Snippet) -> str:
    """The snippet, escaped, with its marks in bold."""
    out, at = [], 0
    for start, end in snippet.marks:
        out.append(html.escape(snippet.text[at:start]))
        out.append(f"<b>{html.escape(snippet.text[start:end])}</b>")
        at = end
    out.append(html.escape(snippet.text[at:]))
    return "".join(out)


class SnippetDelegate(QStyledItemDelegate):
    """Paints a result's line from HTML_ROLE: one line, clipped, words found in bold."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        rich = index.data(HTML_ROLE)
        if not rich:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is None:
            super().paint(painter, option, index)
            return
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, opt, widget)
        doc = QTextDocument()
        doc.setDocumentMargin(0)
        doc.setDefaultFont(opt.font)
        doc.setHtml(f"<span style='white-space:pre'>{rich}</span>")
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        painter.setClipRect(rect)
        top = rect.top() + max(0.0, (rect.height() - doc.size().height()) / 2)
        painter.translate(QPointF(rect.left() + 2, top))
        doc.documentLayout().draw(painter, context)
        painter.restore()


class SearchPage(QWidget):
    """Signals:
    article_requested(int article_id)
    comment_requested(int comment_id)
    """

    article_requested = Signal(int)
    comment_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.heading = QLabel("Search")
        self.heading.setObjectName("pageTitle")
        self.tree = QTreeWidget()
        self.tree.setObjectName("searchResults")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Result", "Where", "When"])
        self.tree.setAlternatingRowColors(True)
        # One line each: the tree need not measure every row to lay out (half the time of
        # showing 100 results).
        self.tree.setUniformRowHeights(True)
        self.tree.setItemDelegateForColumn(0, SnippetDelegate(self.tree))
        header = self.tree.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        self.tree.setColumnWidth(1, 320)
        self.tree.setColumnWidth(2, 130)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.tree)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.tree.itemActivated.connect(self.on_item_activated)
        self.tree.itemDoubleClicked.connect(self.on_item_activated)

    def show_results(self, results: SearchResults) -> None:
        self.tree.clear()
        total = len(results.articles) + len(results.comments)
        self.heading.setText(f"{total} result{'s' if total != 1 else ''} for “{results.query}”")
        articles = QTreeWidgetItem([f"Articles ({len(results.articles)})"])
        for a, snippet in zip(results.articles, results.article_snippets, strict=True):
            line = f"{a.title} — {snippet.text}" if snippet.text else a.title
            item = QTreeWidgetItem([line, a.byline, format_time(a.updated_at)])
            item.setData(0, ID_ROLE, a.id)
            item.setData(0, KIND_ROLE, "article")
            if snippet.text:
                item.setData(0, HTML_ROLE, self._line_html(a.title, snippet))
            item.setToolTip(0, f"{a.title}\n\n{snippet.text}" if snippet.text else a.title)
            articles.addChild(item)
        comments = QTreeWidgetItem([f"Comments ({len(results.comments)})"])
        for c, snippet in zip(results.comments, results.comment_snippets, strict=True):
            item = QTreeWidgetItem(
                [f"{c.display_name}: {snippet.text}", c.article_title, format_time(c.posted_at)]
            )
            item.setData(0, ID_ROLE, c.id)
            item.setData(0, KIND_ROLE, "comment")
            item.setData(0, HTML_ROLE, self._line_html(c.display_name, snippet, ": "))
            item.setToolTip(0, f"{c.display_name}: {snippet.text}")
            comments.addChild(item)
        for group in (articles, comments):
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            self.tree.addTopLevelItem(group)
            group.setExpanded(True)
        first = articles.child(0) or comments.child(0)
        if first is not None:
            self.tree.setCurrentItem(first)

    @staticmethod
    def _line_html(lead: str, snippet: Snippet, sep: str = " — ") -> str:
        return f"{html.escape(lead)}{html.escape(sep)}{snippet_html(snippet)}"

    def on_item_activated(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        kind = item.data(0, KIND_ROLE)
        if kind == "article":
            self.article_requested.emit(int(item.data(0, ID_ROLE)))
        elif kind == "comment":
            self.comment_requested.emit(int(item.data(0, ID_ROLE)))
