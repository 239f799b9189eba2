"""The Sites menu and its actions, made with the window's frame.

Light on purpose (Qt only): the frame shown before the store opens has the whole menu bar,
Sites included, its actions disabled like the other store actions; ``ui.sites``'s controller
connects them once the store is open.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QMenu


@dataclass(frozen=True)
class SiteActions:
    menu: QMenu
    sites: QAction
    pull: QAction
    push: QAction
    publish: QAction
    resolve: QAction


def make_sites_menu(window: QMainWindow) -> SiteActions:
    """The Sites menu, added to the window's menu bar (before Help when there is one)."""
    bar = window.menuBar()
    menu = QMenu("S&ites", window)
    help_action = next((a for a in bar.actions() if a.text() == "&Help"), None)
    if help_action is not None:
        bar.insertMenu(help_action, menu)
    else:
        bar.addMenu(menu)
    actions = SiteActions(
        menu,
        QAction("&Sites…", window),
        QAction("&Pull all sites now", window),
        QAction("Send &moderation to sites now", window),
        QAction("Pu&blish to site…", window),
        QAction("Settle &conflict of this comment…", window),
    )
    for action in (actions.sites, actions.pull, actions.push, actions.publish, actions.resolve):
        menu.addAction(action)
    return actions
