"""The map's gestures as undoable edits: each becomes a command on the window's undo stack
that calls a service; the map follows the graph read back after the write."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QObject, Slot
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDialog, QWidget

from am_desktop.domain.contact_graph import ContactGraph
from am_desktop.services import catalog, contact_map
from am_desktop.ui.commands import ArchiveCommand, CallCommand, EditCommand
from am_desktop.ui.contact_map.banner import Notice
from am_desktop.ui.contact_map.scene import ContactMapScene
from am_desktop.ui.contact_map.view import ContactMapView
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane

Positions = dict[int, tuple[float, float] | None]


class MapEditing(QObject):
    """Turns the scene's gestures and the tab's commands into undoable service calls.

    Args:
        form_parent: the widget the contact form opens over.
    """

    def __init__(
        self,
        context: AppContext,
        account_id: int,
        undo: QUndoStack,
        *,
        scene: ContactMapScene,
        view: ContactMapView,
        notice: Notice,
        form_parent: QWidget,
    ) -> None:
        super().__init__(form_parent)
        self.context, self.account_id, self.undo = context, account_id, undo
        self.scene, self.view, self.notice, self._form_parent = scene, view, notice, form_parent
        self.graph: ContactGraph | None = None
        #: The last "Mark as left" dialog (issue 19).
        self.leave_dialog: QDialog | None = None
        #: Each card's pinned position as last written (or queued to be): what undo restores,
        #: even when a second drag comes before the map is read back.
        self.pins: Positions = {}
        scene.cards_moved.connect(self._on_scene_cards_moved)
        scene.reparent_requested.connect(self._on_scene_reparent_requested)
        scene.link_requested.connect(self._on_scene_link_requested)
        scene.edit_requested.connect(self.edit_contact)

    def follow(self, graph: ContactGraph) -> None:
        """The graph as read back: what edits are checked against and undone to."""
        self.graph = graph
        self.pins = {node.id: node.pinned for node in graph}

    # ------------------------------------------------------------------------------ commands

    def _push(self, command: CallCommand | EditCommand | ArchiveCommand) -> None:
        self.notice.say("")
        command.explain = self.notice.explain
        self.undo.push(command)

    def _call(self, text: str, do: Callable[[], Any], undo: Callable[[], Any]) -> None:
        self._push(CallCommand(self.context, text, do, undo))

    def pinned(self, ids: list[int]) -> Positions:
        """The positions these cards are pinned at (None: following the layout)."""
        return {i: self.pins[i] for i in ids if i in self.pins}

    def _place(self, text: str, before: Positions, after: Positions) -> None:
        """Pin or unpin cards as one undoable step."""
        store = self.context.store
        self.pins.update(after)
        self._call(
            text,
            partial(contact_map.place_contacts, store, after),
            partial(contact_map.place_contacts, store, before),
        )

    @Slot(object, object)
    def _on_scene_cards_moved(self, old: Positions, new: Positions) -> None:
        del old  # a card that followed the automatic layout goes back to it on undo
        noun = "card" if len(new) == 1 else f"{len(new)} cards"
        self._place(f"Move {noun}", self.pinned(list(new)), new)

    def relayout(self) -> bool:
        """Every dragged card back to the automatic layout (one step to undo); whether any
        card was pinned."""
        before: Positions = {i: p for i, p in self.pins.items() if p is not None}
        if before:
            self._place("Re-layout the map", before, dict.fromkeys(before))
        return bool(before)

    def unpin(self, ids: list[int]) -> None:
        """These cards back to the automatic layout."""
        before: Positions = {i: p for i, p in self.pinned(ids).items() if p is not None}
        if before:
            self._place("Back to automatic layout", before, dict.fromkeys(before))

    @Slot(int, int)
    def _on_scene_reparent_requested(self, contact_id: int, manager_id: int) -> None:
        self.set_manager(contact_id, manager_id)

    def set_manager(self, contact_id: int, manager_id: int | None) -> None:
        """Make ``manager_id`` the contact's manager (None: top of the chart); loops refused."""
        if self.graph is None or contact_id not in self.graph:
            return
        node = self.graph.node(contact_id)  # type: ignore[arg-type]
        if manager_id is not None and self.graph.would_loop(node.id, manager_id):  # type: ignore[arg-type]
            manager = self.graph.node(manager_id)  # type: ignore[arg-type]
            self.notice.say(
                f"{manager.name} already reports, directly or not, to {node.name}, "
                f"so {node.name} cannot report to {manager.name}."
            )
            return
        if node.reports_to_id == manager_id:
            return
        x, y = self.pins.get(node.id) or (None, None)
        self.pins[node.id] = None
        before = {"reports_to_id": node.reports_to_id, "map_x": x, "map_y": y}
        after = {"reports_to_id": manager_id, "map_x": None, "map_y": None}
        command = EditCommand(self.context, catalog.contacts, contact_id, before, after)
        command.setText("Change manager" if manager_id else "Remove manager")
        self._push(command)

    @Slot(int, int)
    def _on_scene_link_requested(self, from_id: int, to_id: int) -> None:
        if self.graph is None or from_id not in self.graph or to_id not in self.graph:
            return
        source, target = self.graph.node(from_id), self.graph.node(to_id)  # type: ignore[arg-type]
        if self.graph.has_link(source.id, target.id):
            self.notice.say(f"{source.name} is already shown as influencing {target.name}.")
            return
        store = self.context.store
        self._call(
            "Add influence link",
            partial(contact_map.link_contacts, store, self.account_id, from_id, to_id),
            partial(contact_map.unlink_contacts, store, from_id, to_id),
        )

    def remove_link(self, from_id: int, to_id: int) -> None:
        """Remove an influence link (undo brings it back)."""
        store = self.context.store
        self._call(
            "Remove influence link",
            partial(contact_map.unlink_contacts, store, from_id, to_id),
            partial(contact_map.link_contacts, store, self.account_id, from_id, to_id),
        )

    def start_link(self) -> None:
        """Draw a link from the selected contact to the next card clicked."""
        ids = self.scene.selected_ids()
        if len(ids) != 1:
            self.notice.say(
                "Select one contact first: the link starts at the person who has the sway."
            )
            return
        self.notice.say("")
        self.link_from(ids[0])

    def link_from(self, contact_id: int) -> None:
        """Draw a link from this contact to the next card clicked."""
        self.scene.start_link(contact_id)
        self.view.setFocus()

    def archive_selected(self) -> None:
        """Archive the selected contacts (Delete)."""
        ids = self.scene.selected_ids()
        if ids:
            self._push(ArchiveCommand(self.context, catalog.contacts, ids, True))

    # ------------------------------------------------------------------------------ forms

    def add_contact(self, manager_id: int | None = None) -> None:
        """Open the contact form for a new contact (reporting to ``manager_id``)."""
        from am_desktop.ui.dialogs.contact_dialog import ContactDialog

        if self.graph is None:
            return
        dialog = ContactDialog(
            self.context,
            self.graph,
            None,
            self.undo,
            parent=self._form_parent,
            manager_id=manager_id,
        )
        dialog.exec()

    @Slot(int)
    def edit_contact(self, contact_id: int) -> None:
        """Open the contact form for a contact (read first, so the form has its version)."""
        store = self.context.store
        self.context.tasks.submit(
            lambda _p: catalog.contacts.get(store, contact_id),
            lane=Lane.READ,
            receiver=self,
            on_done=self._on_contact_loaded,
            supersede=(self, "contact"),
        )

    def edit_selected(self) -> None:
        """Open the form of the one selected contact (Return)."""
        ids = self.scene.selected_ids()
        if len(ids) == 1:
            self.edit_contact(ids[0])

    def _on_contact_loaded(self, record: Any) -> None:
        from am_desktop.ui.dialogs.contact_dialog import ContactDialog

        if self.graph is not None:
            ContactDialog(
                self.context, self.graph, record, self.undo, parent=self._form_parent
            ).exec()

    def mark_left(self, contact_id: int) -> None:
        """Ask when the contact left and who takes over, then record it (issue 19).

        Not an undoable step: it adds a risk to the account plan, which stays (the AM closes
        it there); the day left can be cleared in the contact form.
        """
        from am_desktop.ui.contact_map.departure import LeaveDialog

        if self.graph is not None and contact_id in self.graph:
            self.leave_dialog = LeaveDialog(
                self.context, self.graph, contact_id, parent=self._form_parent
            )
            self.leave_dialog.open()
