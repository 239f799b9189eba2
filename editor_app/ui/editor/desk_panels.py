"""The copy desk's panels on an editor tab: Quotes and Style beside Article, Figure, History."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from editor_app.ui.editor.quotes_panel import QuotesPanel
from editor_app.ui.editor.style_panel import StyleLayer, StylePanel

if TYPE_CHECKING:
    from editor_app.ui.editor.editor_tab import EditorTab


@dataclass(frozen=True)
class DeskPanels:
    quotes: QuotesPanel
    style_layer: StyleLayer
    style: StylePanel


def attach_desk_panels(tab: EditorTab) -> DeskPanels:
    """Add the panels to the tab's side and start checking its body as it changes."""

    def article_id() -> int | None:
        return tab.draft.article_id

    services = tab.services
    quotes = QuotesPanel(services.quotes, tab.body, article_id)
    layer = StyleLayer(services.style, tab.body, article_id, tab.actor, tab)
    style = StylePanel(layer, services.style, tab.actor)
    layer.message.connect(tab.message)
    tab.side.addTab(quotes, "Quotes")
    tab.side.addTab(style, "Style")
    return DeskPanels(quotes, layer, style)
