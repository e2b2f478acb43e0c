"""Right-click menus on the map and the list: what can be done to a contact, or the map."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMenu, QWidget

from am_desktop.ui.contact_map.editing import MapEditing


def contact_menu(
    parent: QWidget,
    editing: MapEditing,
    actions: dict[str, QAction],
    contact_id: int | None,
) -> QMenu:
    """The menu for a contact (with the selection), or for the map when ``contact_id`` is None
    or no longer shown; it deletes itself once closed (one menu per right-click)."""
    menu = QMenu(parent)
    menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    graph = editing.graph
    if contact_id is None or graph is None or contact_id not in graph:
        for key in ("add", "relayout", "fit", "export"):
            menu.addAction(actions[key])
        return menu
    node = graph.node(contact_id)  # type: ignore[arg-type]
    ids = editing.scene.selected_ids() or [contact_id]
    menu.addAction("Edit…", partial(editing.edit_contact, contact_id))
    menu.addAction(f"Add a report to {node.name}…", partial(editing.add_contact, contact_id))
    menu.addAction("Add influence link from here…", partial(editing.link_from, contact_id))
    links = [link for link in graph.links if contact_id in (link.from_id, link.to_id)]
    if links:
        remove = menu.addMenu("Remove influence link")
        for link in links:
            text = f"{graph.node(link.from_id).name} → {graph.node(link.to_id).name}"
            remove.addAction(text, partial(editing.remove_link, link.from_id, link.to_id))
    if graph.manager_of(node.id) is not None:
        menu.addAction(
            "Move to the top (no manager)", partial(editing.set_manager, contact_id, None)
        )
    if any(editing.pins.get(i) for i in ids):
        menu.addAction("Back to automatic layout", partial(editing.unpin, ids))
    if node.left_on is None:
        menu.addAction("Mark as left…", partial(editing.mark_left, contact_id))
    menu.addSeparator()
    noun = "contact" if len(ids) == 1 else f"{len(ids)} contacts"
    menu.addAction(f"Archive {noun}", editing.archive_selected)
    menu.addSeparator()
    menu.addAction(actions["export"])
    return menu
