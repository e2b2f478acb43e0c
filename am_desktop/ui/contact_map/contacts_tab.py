"""The workspace's Contacts tab: coverage warnings, the contact list and the map, in step.

Every edit made here is a command on the window's undo stack that calls a service; the list
and the map follow the graph that is read back (issue 4).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QPoint,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence, QPalette, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QLabel,
    QMenu,
    QSplitter,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.contact_graph import ContactGraph
from am_desktop.domain.coverage import CoverageWarning, Seniority, coverage_warnings
from am_desktop.domain.enums import Sentiment
from am_desktop.errors import AppError, ValidationError
from am_desktop.services import catalog, contact_map
from am_desktop.ui.commands import ArchiveCommand, CallCommand, EditCommand
from am_desktop.ui.contact_map.contact_table import (
    COLUMNS,
    ContactIdRole,
    ContactTableModel,
    SortKeyRole,
)
from am_desktop.ui.contact_map.items import SENTIMENT_COLOURS
from am_desktop.ui.contact_map.scene import ContactMapScene
from am_desktop.ui.contact_map.view import ContactMapView
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane
from am_desktop.ui.widgets import EmptyState

Positions = dict[int, tuple[float, float] | None]

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


def warnings_for(context: AppContext, graph: ContactGraph, today: date) -> list[CoverageWarning]:
    """The coverage warnings at the level of seniority the user expects (a preference)."""
    level = Seniority(context.settings.prefs.coverage_senior_level)  # validated: a level
    return coverage_warnings(graph, today, level)


class CoverageBanner(QWidget):
    """The coverage warnings, each with what to do, above the map.

    Signals:
        contacts_picked(ids): "Show" was clicked on a warning about these contacts.
    """

    contacts_picked = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("coverageBanner")
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.label.linkActivated.connect(self._on_label_link_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(self.label)
        self.warnings: list[CoverageWarning] = []

    def show_warnings(self, warnings: list[CoverageWarning]) -> None:
        """Show these warnings (hidden when there are none)."""
        self.warnings = warnings
        muted = self.palette().color(QPalette.ColorRole.PlaceholderText).name()
        lines = []
        for index, warning in enumerate(warnings):
            show = f" <a href='{index}'>Show</a>" if warning.contact_ids else ""
            message, advice = html.escape(warning.message), html.escape(warning.advice)
            lines.append(
                f"<span style='color:#b3261e'>⚠</span> <b>{message}</b> "
                f"<span style='color:{muted}'>{advice}</span>{show}"
            )
        self.label.setText("<br>".join(lines))
        self.setVisible(bool(warnings))

    @Slot(str)
    def _on_label_link_activated(self, link: str) -> None:
        self.contacts_picked.emit(list(self.warnings[int(link)].contact_ids))


class ContactsTab(QWidget):
    """Coverage warnings, a toolbar, and the contact list beside the map.

    Signals:
        warnings_changed(warnings): the coverage warnings were worked out again.
    """

    warnings_changed = Signal(object)

    def __init__(self, context: AppContext, account_id: int, undo: QUndoStack) -> None:
        super().__init__()
        self.context, self.account_id, self.undo = context, account_id, undo
        self.graph: ContactGraph | None = None
        #: Each card's pinned position as last written (or queued to be): what undo restores,
        #: even when a second drag comes before the map is read back.
        self._pins: Positions = {}
        self._fitted = False
        self._syncing = False
        self.banner = CoverageBanner(self)
        self.notice = QLabel(self)
        self.notice.setObjectName("fieldError")
        self.notice.setWordWrap(True)
        self.notice.hide()
        self.model = ContactTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortKeyRole)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.scene = ContactMapScene(self)
        self.view = ContactMapView(self.scene, self)
        self.empty = EmptyState(
            title="No contacts yet",
            text="Add the people you work with at this account — start with whoever signs "
            "the renewal — or import them from CSV (File → Import). Each becomes a card here.",
        )
        self.map_pages = QStackedWidget(self)
        self.toolbar = QToolBar(self)
        self.map_actions: dict[str, QAction] = {}
        self.legend = QLabel(self)
        self._build()
        self._connect_signals()

    # ------------------------------------------------------------------------------ layout

    def _build(self) -> None:
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        for column, spec in enumerate(COLUMNS):
            self.table.setColumnWidth(column, spec.width)
        self.map_pages.addWidget(self.view)
        self.map_pages.addWidget(self.empty)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.setObjectName("contactsSplitter")
        splitter.addWidget(self.table)
        splitter.addWidget(self.map_pages)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setSizes([360, 760])
        self._add_actions()
        self.legend.setText(
            "  ".join(
                f"<span style='color:{SENTIMENT_COLOURS[s]}'>■</span> {s.label}" for s in Sentiment
            )
            + "  ·  solid: reports to  ·  <span style='color:#7e57c2'>- - →</span> influences"
            + "  ·  <span style='color:#e37400'>◷</span> not contacted within cadence"
        )
        self.legend.setObjectName("muted")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6)
        layout.addWidget(self.banner)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.legend, 0, Qt.AlignmentFlag.AlignRight)
        self.banner.hide()

    def _add_actions(self) -> None:
        specs: list[
            tuple[str, str, str | QKeySequence.StandardKey | None, Callable[[], None], str]
        ] = [
            (
                "add",
                "Add contact…",
                MAP_SHORTCUTS["add"][1],
                self.add_contact,
                "Add a contact at this account",
            ),
            (
                "link",
                "Add influence link",
                MAP_SHORTCUTS["link"][1],
                self._start_link,
                "Draw a dashed arrow from the selected contact to the one they sway "
                "(or Shift+drag from card to card)",
            ),
            (
                "relayout",
                "Re-layout",
                MAP_SHORTCUTS["relayout"][1],
                self.relayout,
                "Put every card back where the automatic layout places it",
            ),
            (
                "zoom_in",
                "Zoom in",
                QKeySequence.StandardKey.ZoomIn,
                self.view.zoom_in,
                "Zoom in (Ctrl+wheel)",
            ),
            (
                "zoom_out",
                "Zoom out",
                QKeySequence.StandardKey.ZoomOut,
                self.view.zoom_out,
                "Zoom out",
            ),
            ("fit", "Fit", MAP_SHORTCUTS["fit"][1], self.view.fit, "Show the whole map"),
            (
                "export",
                "Export map…",
                None,  # File → Export contact map has Ctrl+Shift+E, for the whole window
                self.export_map,
                "Save the map as PNG or SVG",
            ),
        ]
        for key, text, shortcut, slot, tip in specs:
            action = QAction(text, self)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
                action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
                keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
                action.setToolTip(f"{tip} ({keys})")
            else:
                action.setToolTip(tip)
            action.triggered.connect(slot)
            self.map_actions[key] = action
            self.addAction(action)
            self.toolbar.addAction(action)
        # Ctrl+= zooms in too, as the issue and most apps have it.
        zoom_in = QAction(self)
        zoom_in.setShortcut(QKeySequence("Ctrl+="))
        zoom_in.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        zoom_in.triggered.connect(self.view.zoom_in)
        self.addAction(zoom_in)
        for key, sequence, slot in (
            ("edit", QKeySequence(Qt.Key.Key_Return), self._edit_selected),
            ("archive", QKeySequence(QKeySequence.StandardKey.Delete), self._archive_selected),
        ):
            action = QAction(self)
            action.setShortcut(sequence)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.map_actions[key] = action
            self.addAction(action)

    def _connect_signals(self) -> None:
        self.scene.cards_moved.connect(self._on_scene_cards_moved)
        self.scene.reparent_requested.connect(self._on_scene_reparent_requested)
        self.scene.link_requested.connect(self._on_scene_link_requested)
        self.scene.edit_requested.connect(self.edit_contact)
        self.scene.menu_requested.connect(self._on_scene_menu_requested)
        self.scene.selectionChanged.connect(self._on_scene_selection_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.table.doubleClicked.connect(lambda _index: self._edit_selected())
        self.table.customContextMenuRequested.connect(self._on_table_menu_requested)
        self.banner.contacts_picked.connect(self._on_banner_contacts_picked)

    # ------------------------------------------------------------------------------ data

    def set_graph(self, graph: ContactGraph, today: date) -> None:
        """Show the account's contacts (after every change, from the workspace's refresh)."""
        selected = self.scene.selected_ids()
        self.graph = graph
        self._pins = {node.id: node.pinned for node in graph}
        self._syncing = True
        try:
            self.model.set_graph(graph, today)
            self.scene.set_graph(graph, today)
            self.scene.flag(set())
        finally:
            self._syncing = False
        self.map_pages.setCurrentWidget(self.view if len(graph) else self.empty)
        warnings = warnings_for(self.context, graph, today)
        self.banner.show_warnings(warnings)
        self.warnings_changed.emit(warnings)
        self._select([i for i in selected if i in graph])
        self.map_actions["link"].setEnabled(len(graph) > 1)
        self.map_actions["relayout"].setEnabled(any(self._pins.values()))
        self.map_actions["export"].setEnabled(bool(len(graph)))
        if not self._fitted and self.isVisible() and len(graph):
            self._fitted = True
            self.view.fit(readable=True)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted and self.graph is not None and len(self.graph):
            self._fitted = True
            self.view.fit(readable=True)

    def selected_ids(self) -> list[int]:
        """The selected contacts."""
        return self.scene.selected_ids()

    def _select(self, ids: list[int]) -> None:
        self._syncing = True
        try:
            self.scene.select_ids(ids)
            self._select_rows(ids)
        finally:
            self._syncing = False

    def _select_rows(self, ids: list[int]) -> None:
        selection = QItemSelection()
        for contact_id in ids:
            row = self.model.row_of(contact_id)
            if row >= 0:
                index = self.proxy.mapFromSource(self.model.index(row, 0))
                selection.select(index, index.siblingAtColumn(self.proxy.columnCount() - 1))
        self.table.selectionModel().select(
            selection, QItemSelectionModel.SelectionFlag.ClearAndSelect
        )
        if ids:
            row = self.model.row_of(ids[0])
            if row >= 0:
                self.table.scrollTo(self.proxy.mapFromSource(self.model.index(row, 0)))

    @Slot()
    def _on_scene_selection_changed(self) -> None:
        if not self._syncing:
            self.scene.flag(set())  # a "Show" outline lasts until the user picks something
            self._syncing = True
            try:
                self._select_rows(self.scene.selected_ids())
            finally:
                self._syncing = False

    @Slot()
    def _on_table_selection_changed(self) -> None:
        if self._syncing:
            return
        ids = [
            int(self.proxy.data(index, ContactIdRole))
            for index in self.table.selectionModel().selectedRows()
        ]
        self._syncing = True
        try:
            self.scene.select_ids(ids)
        finally:
            self._syncing = False
        self.view.show_cards(ids)

    @Slot(object)
    def _on_banner_contacts_picked(self, ids: list[int]) -> None:
        self._select(ids)
        self.view.show_cards(ids)
        self.scene.flag(set(ids))

    # ------------------------------------------------------------------------------ edits

    def _say(self, message: str) -> None:
        """Explain a refused edit beside the map (it stays until the next edit)."""
        self.notice.setText(message)
        self.notice.setVisible(bool(message))

    def _push(self, command: CallCommand | EditCommand | ArchiveCommand) -> None:
        self._say("")
        command.explain = self._explain
        self.undo.push(command)

    def _explain(self, error: ValidationError) -> None:
        """Show a refusal beside the map, or as a message once the tab was closed."""
        if shiboken6.isValid(self.notice):
            self._say(error.user_message)
        else:
            self.context.messages.warning(error.user_message)

    def _call(self, text: str, do: Callable[[], Any], undo: Callable[[], Any]) -> None:
        self._push(CallCommand(self.context, text, do, undo))

    def _pinned(self, ids: list[int]) -> Positions:
        return {i: self._pins[i] for i in ids if i in self._pins}

    def _place(self, text: str, before: Positions, after: Positions) -> None:
        """Pin or unpin cards as one undoable step."""
        store = self.context.store
        self._pins.update(after)
        self._call(
            text,
            partial(contact_map.place_contacts, store, after),
            partial(contact_map.place_contacts, store, before),
        )

    @Slot(object, object)
    def _on_scene_cards_moved(self, old: Positions, new: Positions) -> None:
        del old  # a card that followed the automatic layout goes back to it on undo
        noun = "card" if len(new) == 1 else f"{len(new)} cards"
        self._place(f"Move {noun}", self._pinned(list(new)), new)

    def relayout(self) -> None:
        """Every dragged card back to the automatic layout (one step to undo)."""
        before: Positions = {i: p for i, p in self._pins.items() if p is not None}
        if before:
            self._place("Re-layout the map", before, dict.fromkeys(before))
            self._fitted = False

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
            self._say(
                f"{manager.name} already reports, directly or not, to {node.name}, "
                f"so {node.name} cannot report to {manager.name}."
            )
            return
        if node.reports_to_id == manager_id:
            return
        x, y = self._pins.get(node.id) or (None, None)
        self._pins[node.id] = None
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
            self._say(f"{source.name} is already shown as influencing {target.name}.")
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

    def _start_link(self) -> None:
        ids = self.scene.selected_ids()
        if len(ids) != 1:
            self._say("Select one contact first: the link starts at the person who has the sway.")
            return
        self._say("")
        self.scene.start_link(ids[0])
        self.view.setFocus()

    def add_contact(self, manager_id: int | None = None) -> None:
        """Open the contact form for a new contact (reporting to ``manager_id``)."""
        from am_desktop.ui.dialogs.contact_dialog import ContactDialog

        if self.graph is None:
            return
        dialog = ContactDialog(
            self.context, self.graph, None, self.undo, parent=self, manager_id=manager_id
        )
        dialog.exec()

    @Slot(int)
    def edit_contact(self, contact_id: int) -> None:
        """Open the contact form for a contact (read first, so the form has its version)."""
        self.context.tasks.submit(
            lambda _p: catalog.contacts.get(self.context.store, contact_id),
            lane=Lane.READ,
            receiver=self,
            on_done=self._on_contact_loaded,
        )

    def _on_contact_loaded(self, record: Any) -> None:
        from am_desktop.ui.dialogs.contact_dialog import ContactDialog

        if self.graph is not None:
            ContactDialog(self.context, self.graph, record, self.undo, parent=self).exec()

    def _edit_selected(self) -> None:
        ids = self.scene.selected_ids()
        if len(ids) == 1:
            self.edit_contact(ids[0])

    def _archive_selected(self) -> None:
        ids = self.scene.selected_ids()
        if ids:
            self._push(ArchiveCommand(self.context, catalog.contacts, ids, True))

    def _unpin(self, ids: list[int]) -> None:
        before: Positions = {i: p for i, p in self._pinned(ids).items() if p is not None}
        if before:
            self._place("Back to automatic layout", before, dict.fromkeys(before))

    # ------------------------------------------------------------------------------ menus

    def _menu_for(self, contact_id: int | None) -> QMenu:
        menu = QMenu(self)
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # one menu per right-click
        graph = self.graph
        if contact_id is None or graph is None or contact_id not in graph:
            menu.addAction(self.map_actions["add"])
            menu.addAction(self.map_actions["relayout"])
            menu.addAction(self.map_actions["fit"])
            menu.addAction(self.map_actions["export"])
            return menu
        node = graph.node(contact_id)  # type: ignore[arg-type]
        ids = self.scene.selected_ids() or [contact_id]
        menu.addAction("Edit…", partial(self.edit_contact, contact_id))
        menu.addAction(f"Add a report to {node.name}…", partial(self.add_contact, contact_id))
        menu.addAction("Add influence link from here…", partial(self._link_from, contact_id))
        links = [link for link in graph.links if contact_id in (link.from_id, link.to_id)]
        if links:
            remove = menu.addMenu("Remove influence link")
            for link in links:
                text = f"{graph.node(link.from_id).name} → {graph.node(link.to_id).name}"
                remove.addAction(text, partial(self.remove_link, link.from_id, link.to_id))
        if graph.manager_of(node.id) is not None:
            menu.addAction(
                "Move to the top (no manager)", partial(self.set_manager, contact_id, None)
            )
        if any(self._pins.get(i) for i in ids):
            menu.addAction("Back to automatic layout", partial(self._unpin, ids))
        menu.addSeparator()
        noun = "contact" if len(ids) == 1 else f"{len(ids)} contacts"
        menu.addAction(f"Archive {noun}", self._archive_selected)
        menu.addSeparator()
        menu.addAction(self.map_actions["export"])
        return menu

    def _link_from(self, contact_id: int) -> None:
        self.scene.start_link(contact_id)
        self.view.setFocus()

    @Slot(object, object)
    def _on_scene_menu_requested(self, contact_id: int | None, position: QPoint) -> None:
        self._menu_for(contact_id).popup(position)

    @Slot(QPoint)
    def _on_table_menu_requested(self, position: QPoint) -> None:
        index = self.table.indexAt(position)
        contact_id = int(self.proxy.data(index, ContactIdRole)) if index.isValid() else None
        self._menu_for(contact_id).popup(self.table.viewport().mapToGlobal(position))

    # ------------------------------------------------------------------------------ export

    def export_map(self) -> None:
        """Ask where, then save the map as PNG or SVG."""
        if self.graph is None or not len(self.graph):
            return
        suggested = Path.home() / f"{_file_stem(self.graph.account_name)} contact map.png"
        path, _filter = QFileDialog.getSaveFileName(
            self, "Export contact map", str(suggested), "PNG image (*.png);;SVG drawing (*.svg)"
        )
        if path:
            self.save_map(Path(path))

    def save_map(self, path: Path) -> None:
        """Write the map to ``path`` (the suffix picks the format; PNG when there is none).

        The scene is drawn here (it lives on the GUI thread); encoding and writing the file,
        which takes a second for a large PNG, runs in the background.
        """
        from am_desktop.ui.contact_map.render import draw_map, write_drawing

        if path.suffix.lower() not in (".png", ".svg"):
            path = path.with_name(path.name + ".png")
        title = f"{self.graph.account_name}: contact map" if self.graph else ""
        try:
            drawing = draw_map(self.scene, path, title)
        except AppError as error:
            self._say(error.user_message)
            return
        self.context.tasks.submit(
            lambda _p: write_drawing(drawing, path),
            lane=Lane.NET,  # file work stays off the database lanes, as the export dialog's
            receiver=self,
            on_done=self._on_map_saved,
            on_error=self._on_map_save_failed,
        )

    def _on_map_saved(self, path: Path) -> None:
        self.context.messages.info(f"Contact map saved to {path}.")

    def _on_map_save_failed(self, error: BaseException) -> None:
        if isinstance(error, AppError):
            self._say(error.user_message)
        else:
            self.context.messages.failure(error)


def _file_stem(name: str) -> str:
    return "".join(c for c in name if c.isalnum() or c in " -_").strip() or "account"
