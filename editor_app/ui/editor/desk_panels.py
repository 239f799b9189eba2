"""The copy desk's panels on an editor tab: Quotes and Style beside Article, Figure, History."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog

from editor_app.ui import dialogs
from editor_app.ui.editor.quotes_panel import QuotesPanel
from editor_app.ui.editor.style_panel import StyleLayer, StylePanel, StyleSheetDialog

if TYPE_CHECKING:
    from editor_app.ui.editor.editor_area import EditorArea
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


def edit_house_style(area: EditorArea) -> bool:
    """Edit → House style…: the store's sheet; open editors then check against the new one."""
    dialog = StyleSheetDialog(area.services.style, area.actor, area)
    if dialogs.run_dialog(dialog) != QDialog.DialogCode.Accepted:
        return False
    for tab in area.editors():
        tab.desk.style_layer.reload_sheet()
    return True
