"""The Authors area: every byline with its article count, and one profile in full."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from editor_app.domain.errors import UserError
from editor_app.services.container import Services
from editor_app.ui.article_html import author_html
from editor_app.ui.models import ID_ROLE
from editor_app.ui.rich_view import RichView


class AuthorsPage(QWidget):
    """Signals:
    article_requested(int article_id): a title in a profile was clicked
    """

    article_requested = Signal(int)

    def __init__(self, services: Services, parent: QWidget | None = None):
        super().__init__(parent)
        self._services = services
        self.list = QTreeWidget()
        self.list.setObjectName("authorsList")
        self.list.setColumnCount(3)
        self.list.setHeaderLabels(["Name", "Role", "Articles"])
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)

        self.view = RichView("Select an author to see the profile.")
        self.view.setObjectName("authorView")

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("authorsSplitter")
        self.splitter.addWidget(self.list)
        self.splitter.addWidget(self.view)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setSizes([380, 760])

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.list.currentItemChanged.connect(self.on_current_changed)
        self.view.article_link.connect(self.article_requested)

    def refresh(self) -> None:
        selected = self.current_id()
        self.list.clear()
        keep: QTreeWidgetItem | None = None
        for row in self._services.authors.list():
            item = QTreeWidgetItem([row.name, row.role, str(row.articles)])
            item.setData(0, ID_ROLE, row.id)
            item.setTextAlignment(2, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.list.addTopLevelItem(item)
            if row.id == selected:
                keep = item
        if keep is None and self.list.topLevelItemCount():
            keep = self.list.topLevelItem(0)
        if keep is not None:
            self.list.setCurrentItem(keep)
        else:
            self.view.show_placeholder()

    def names(self) -> list[str]:
        items = (self.list.topLevelItem(i) for i in range(self.list.topLevelItemCount()))
        return [item.text(0) for item in items if item is not None]

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(0, ID_ROLE)) if item is not None else None

    def on_current_changed(
        self, current: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None
    ) -> None:
        if current is None:
            self.view.show_placeholder()
            return
        try:
            detail = self._services.authors.detail(int(current.data(0, ID_ROLE)))
        except UserError as exc:
            self.view.show_placeholder(str(exc))
            return
        self.view.show_render(lambda colours: author_html(detail, colours))
