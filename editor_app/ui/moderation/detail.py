"""The detail pane of the moderation queue: one comment, why it was flagged, who wrote it.

The pane shows what it is given; the page reads the services and hands over DTOs, so the pane
can be filled in a test without a store.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from editor_app.services.dto import CommentContext, CommenterHistory, Explanation
from editor_app.ui.models import excerpt, format_score, format_time
from editor_app.ui.moderation.html import detail_html, mark_colour, span_legend
from editor_app.ui.rich_view import RichView


class MarkedView(RichView):
    """A rich view that shows the label of a marked span as a tooltip."""

    def __init__(self, placeholder: str = "", parent: QWidget | None = None):
        super().__init__(placeholder, parent)
        self.viewport().installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.viewport() and event.type() == QEvent.Type.ToolTip:
            assert isinstance(event, QHelpEvent)
            tip = self.cursorForPosition(event.pos()).charFormat().toolTip()
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
            return True
        return super().eventFilter(watched, event)


class ModerationDetail(QWidget):
    """Signals:
    ban_toggled(bool banned): the moderator pressed Ban
    trust_toggled(bool trusted): the moderator pressed Trust
    commenter_requested(str key): "All their comments"
    article_requested(int article_id): the article title was clicked
    """

    ban_toggled = Signal(bool)
    trust_toggled = Signal(bool)
    commenter_requested = Signal(str)
    article_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._key = ""
        self.context_view = MarkedView("Select a comment to see it in its thread.")
        self.context_view.setObjectName("commentContext")

        self.score_label = QLabel()
        self.score_label.setObjectName("scoreLabel")
        self.score_label.setTextFormat(Qt.TextFormat.RichText)
        self.reasons_list = QListWidget()
        self.reasons_list.setObjectName("reasonsList")
        self.marks_label = QLabel()
        self.marks_label.setWordWrap(True)
        self.marks_label.setTextFormat(Qt.TextFormat.RichText)
        why = QGroupBox("Why")
        why_layout = QVBoxLayout(why)
        why_layout.addWidget(self.score_label)
        why_layout.addWidget(self.reasons_list)
        why_layout.addWidget(self.marks_label)
        # A comment of a connected site: does the site have our decision yet?
        self.site_label = QLabel()
        self.site_label.setObjectName("siteState")
        self.site_label.setTextFormat(Qt.TextFormat.PlainText)  # the site's copy of the words
        self.site_label.setWordWrap(True)
        why_layout.addWidget(self.site_label)

        self.commenter_label = QLabel()
        self.commenter_label.setObjectName("commenterLabel")
        self.commenter_label.setTextFormat(Qt.TextFormat.RichText)
        self.commenter_label.setWordWrap(True)
        self.commenter_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recent_list = QListWidget()
        self.recent_list.setObjectName("recentComments")
        self.ban_button = QPushButton("Ban")
        self.ban_button.setCheckable(True)
        self.ban_button.setToolTip("Send this commenter's future comments to spam")
        self.trust_button = QPushButton("Trust")
        self.trust_button.setCheckable(True)
        self.trust_button.setToolTip(
            "Approve this commenter's future comments unless a word rule objects"
        )
        self.show_all_button = QPushButton("All their comments")
        self.show_all_button.setToolTip("Show only this commenter's comments in the queue")
        buttons = QHBoxLayout()
        buttons.addWidget(self.ban_button)
        buttons.addWidget(self.trust_button)
        buttons.addStretch(1)
        buttons.addWidget(self.show_all_button)
        who = QGroupBox("Commenter")
        who_layout = QVBoxLayout(who)
        who_layout.addWidget(self.commenter_label)
        who_layout.addWidget(self.recent_list, 1)
        who_layout.addLayout(buttons)

        for listing in (self.reasons_list, self.recent_list):
            listing.setWordWrap(True)
            listing.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.reasons_list.setMaximumHeight(72)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(why)
        lower_layout.addWidget(who, 1)

        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.context_view)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([420, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._connect_signals()
        self.clear()

    def _connect_signals(self) -> None:
        self.ban_button.clicked.connect(self.on_ban_clicked)
        self.trust_button.clicked.connect(self.on_trust_clicked)
        self.show_all_button.clicked.connect(self.on_show_all_clicked)
        self.context_view.article_link.connect(self.article_requested)

    # Filling ---------------------------------------------------------------------------
    def clear(self, message: str | None = None) -> None:
        self._key = ""
        self.context_view.show_placeholder(message)
        self.score_label.setText("")
        self.reasons_list.clear()
        self.marks_label.setText("")
        self.commenter_label.setText("")
        self.recent_list.clear()
        self.show_site_state("")
        for button in (self.ban_button, self.trust_button, self.show_all_button):
            button.setEnabled(False)

    def show_comment(self, ctx: CommentContext, why: Explanation | None) -> None:
        row = ctx.comment
        spans = why.spans if why else ()
        self.context_view.show_render(
            lambda colours: detail_html(ctx, spans, colours, mark_colour(self.palette()))
        )
        score = why.score if why and why.score is not None else row.score
        would = (
            f" · the rules would now send it to <b>{escape(why.would_be)}</b>"
            if why and why.would_be != row.status
            else ""
        )
        self.score_label.setText(f"Score <b>{format_score(score) or 'none'}</b>{would}")
        self.reasons_list.clear()
        reasons = (why.reasons if why else ()) or row.reasons
        for reason in reasons:
            self.reasons_list.addItem(reason)
        if not reasons:
            self.reasons_list.addItem(QListWidgetItem("No rule flags this comment"))
        legend = span_legend(row.body, spans)
        self.marks_label.setText(
            "Marked: "
            + "; ".join(f"“{escape(words)}” — {escape(label)}" for words, label in legend[:6])
            if legend
            else ""
        )
        self.marks_label.setVisible(bool(legend))

    def show_site_state(self, text: str) -> None:
        self.site_label.setText(text)
        self.site_label.setVisible(bool(text))

    def show_history(self, history: CommenterHistory | None, email: str, ip: str, url: str) -> None:
        self.recent_list.clear()
        if history is None or not history.key:
            self._key = ""
            self.commenter_label.setText("This comment has no name or email to know its writer by.")
            for button in (self.ban_button, self.trust_button, self.show_all_button):
                button.setEnabled(False)
            return
        self._key = history.key
        c = history.counts
        flags = (
            " · <b>banned</b>"
            if history.banned
            else (" · <b>trusted</b>" if history.trusted else "")
        )
        private = " · ".join(escape(x) for x in (email, ip, url) if x)
        self.commenter_label.setText(
            f"<b>{escape(history.name or history.key)}</b>{flags}<br/>"
            + (f"<small>{private} (moderators only)</small><br/>" if private else "")
            + f"Approved {c.get('approved', 0)} · pending {c.get('pending', 0)} · "
            f"spam {c.get('spam', 0)} · trash {c.get('trash', 0)}"
        )
        for r in history.recent:
            item = QListWidgetItem(
                f"{format_time(r.posted_at)}  [{r.status}]  {excerpt(r.body, 90)}"
            )
            item.setToolTip(f"{r.article_title}\n\n{excerpt(r.body, 600)}")
            self.recent_list.addItem(item)
        self.ban_button.setChecked(history.banned)
        self.trust_button.setChecked(history.trusted)
        for button in (self.ban_button, self.trust_button, self.show_all_button):
            button.setEnabled(True)

    # Slots -----------------------------------------------------------------------------
    def on_ban_clicked(self, checked: bool) -> None:
        self.ban_toggled.emit(checked)

    def on_trust_clicked(self, checked: bool) -> None:
        self.trust_toggled.emit(checked)

    def on_show_all_clicked(self) -> None:
        if self._key:
            self.commenter_requested.emit(self._key)
