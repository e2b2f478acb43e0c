"""The Contacts tab's actions: its toolbar and its keys (active while the tab has focus)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QToolBar, QWidget

#: The map's own keys (active while the Contacts tab has focus), for Help → Keyboard shortcuts.
MAP_SHORTCUTS: dict[str, tuple[str, str]] = {
    "add": ("Contact map: add a contact", "Ctrl+Shift+C"),
    "link": ("Contact map: add an influence link from the selected contact", "Ctrl+Shift+L"),
    "relayout": ("Contact map: re-layout (undo dragged positions)", "Ctrl+Shift+R"),
    "zoom_in": ("Contact map: zoom in (or Ctrl+wheel)", "Ctrl+="),
    "zoom_out": ("Contact map: zoom out", "Ctrl+-"),
    "fit": ("Contact map: fit the whole map", "Ctrl+0"),
    "edit": ("Contact map: edit the selected contact", "Return"),
    "archive": ("Contact map: archive the selected contacts", "Delete"),
}

Handler = Callable[[], object]


@dataclass(frozen=True, slots=True)
class MapHandlers:
    """What each of the map's actions does."""

    add: Handler
    link: Handler
    relayout: Handler
    zoom_in: Handler
    zoom_out: Handler
    fit: Handler
    export: Handler
    edit: Handler
    archive: Handler


def add_map_actions(owner: QWidget, toolbar: QToolBar, do: MapHandlers) -> dict[str, QAction]:
    """Make the map's actions on ``owner`` (their keys work within it), the toolbar's among
    them; returns them by key (``add``, ``link``, ``relayout``, ``zoom_in``, ``zoom_out``,
    ``fit``, ``export``, ``edit``, ``archive``)."""
    specs: list[tuple[str, str, str | QKeySequence.StandardKey | None, Handler, str]] = [
        ("add", "Add contact…", MAP_SHORTCUTS["add"][1], do.add, "Add a contact at this account"),
        (
            "link",
            "Add influence link",
            MAP_SHORTCUTS["link"][1],
            do.link,
            "Draw a dashed arrow from the selected contact to the one they sway "
            "(or Shift+drag from card to card)",
        ),
        (
            "relayout",
            "Re-layout",
            MAP_SHORTCUTS["relayout"][1],
            do.relayout,
            "Put every card back where the automatic layout places it",
        ),
        ("zoom_in", "Zoom in", QKeySequence.StandardKey.ZoomIn, do.zoom_in, "Zoom in (Ctrl+wheel)"),
        ("zoom_out", "Zoom out", QKeySequence.StandardKey.ZoomOut, do.zoom_out, "Zoom out"),
        ("fit", "Fit", MAP_SHORTCUTS["fit"][1], do.fit, "Show the whole map"),
        (
            "export",
            "Export map…",
            None,  # File → Export contact map has Ctrl+Shift+E, for the whole window
            do.export,
            "Save the map as PNG or SVG",
        ),
    ]
    actions: dict[str, QAction] = {}
    for key, text, shortcut, slot, tip in specs:
        action = QAction(text, owner)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            action.setToolTip(f"{tip} ({keys})")
        else:
            action.setToolTip(tip)
        action.triggered.connect(slot)
        actions[key] = action
        owner.addAction(action)
        toolbar.addAction(action)
    # Ctrl+= zooms in too, as the issue and most apps have it.
    _key_only(owner, QKeySequence("Ctrl+="), do.zoom_in)
    actions["edit"] = _key_only(owner, QKeySequence(Qt.Key.Key_Return), do.edit)
    actions["archive"] = _key_only(owner, QKeySequence(QKeySequence.StandardKey.Delete), do.archive)
    return actions


def _key_only(owner: QWidget, sequence: QKeySequence, slot: Handler) -> QAction:
    """An action with a key and no button."""
    action = QAction(owner)
    action.setShortcut(sequence)
    action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    action.triggered.connect(slot)
    owner.addAction(action)
    return action
