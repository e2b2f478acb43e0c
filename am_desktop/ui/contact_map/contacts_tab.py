"""The workspace's Contacts tab: coverage warnings, the contact list and the map, in step.

The tab is the frame that holds the parts, each with one job: the actions and their keys
(:mod:`.actions`), gestures as undoable edits (:mod:`.editing`), list ⇄ map selection
(:mod:`.selection`), right-click menus (:mod:`.menus`) and export (:mod:`.export`). It does
not read the graph itself: the workspace reads it once for the tab and the header's coverage
line, and hands it over with :meth:`ContactsTab.set_graph` (issue 13).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QPoint, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtGui import QAction, QShowEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractItemView,
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
from am_desktop.domain.enums import Sentiment
from am_desktop.ui.contact_map.actions import MAP_SHORTCUTS, MapHandlers, add_map_actions
from am_desktop.ui.contact_map.banner import CoverageBanner, Notice, warnings_for
from am_desktop.ui.contact_map.contact_table import (
    COLUMNS,
    ContactIdRole,
    ContactTableModel,
    SortKeyRole,
)
from am_desktop.ui.contact_map.editing import MapEditing
from am_desktop.ui.contact_map.export import MapExport
from am_desktop.ui.contact_map.items import SENTIMENT_COLOURS
from am_desktop.ui.contact_map.menus import contact_menu
from am_desktop.ui.contact_map.scene import ContactMapScene
from am_desktop.ui.contact_map.selection import SelectionSync
from am_desktop.ui.contact_map.view import ContactMapView
from am_desktop.ui.context import AppContext
from am_desktop.ui.widgets import EmptyState

__all__ = ["MAP_SHORTCUTS", "ContactsTab", "warnings_for"]


class ContactsTab(QWidget):
    """Coverage warnings, a toolbar, and the contact list beside the map.

    Signals:
        warnings_changed(warnings): the coverage warnings were worked out again.
    """

    warnings_changed = Signal(object)

    def __init__(self, context: AppContext, account_id: int, undo: QUndoStack) -> None:
        super().__init__()
        self.context, self.account_id, self.undo = context, account_id, undo
        self._fitted = False
        self.banner = CoverageBanner(self)
        self.notice = Notice(context, self)
        self.model = ContactTableModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortKeyRole)
        self.table = QTableView(self)
        self.table.setModel(self.proxy)
        self.table.setTabKeyNavigation(False)  # Tab leaves the table
        self.scene = ContactMapScene(self)
        self.view = ContactMapView(self.scene, self)
        self.empty = EmptyState(
            title="No contacts yet",
            text="Add the people you work with at this account — start with whoever signs "
            "the renewal — or import them from CSV (File → Import). Each becomes a card here.",
        )
        self.map_pages = QStackedWidget(self)
        self.toolbar = QToolBar(self)
        self.legend = QLabel(self)
        self.editing = MapEditing(
            context,
            account_id,
            undo,
            scene=self.scene,
            view=self.view,
            notice=self.notice,
            form_parent=self,
        )
        self.selection = SelectionSync(self.scene, self.view, self.table, self.proxy, self.model)
        self.exporter = MapExport(context, self.scene, self.notice, lambda: self.graph, self)
        self.map_actions: dict[str, QAction] = add_map_actions(
            self,
            self.toolbar,
            MapHandlers(
                add=self.add_contact,
                link=self.editing.start_link,
                relayout=self.relayout,
                zoom_in=self.view.zoom_in,
                zoom_out=self.view.zoom_out,
                fit=self.view.fit,
                export=self.export_map,
                edit=self.editing.edit_selected,
                archive=self.editing.archive_selected,
            ),
        )
        self._build()
        self._connect_signals()

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

    def _connect_signals(self) -> None:
        # Through the tab's own slots: PySide stops calling them once the tab is being
        # destroyed, and its scene's cards are deleted before its table.
        self.scene.selectionChanged.connect(self._on_scene_selection_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.scene.menu_requested.connect(self._on_scene_menu_requested)
        self.table.doubleClicked.connect(lambda _index: self.editing.edit_selected())
        self.table.customContextMenuRequested.connect(self._on_table_menu_requested)
        self.banner.contacts_picked.connect(self.selection.show_picked)

    # ------------------------------------------------------------------------------ data

    @property
    def graph(self) -> ContactGraph | None:
        """The graph shown (None until the workspace handed one over)."""
        return self.editing.graph

    def set_graph(self, graph: ContactGraph, today: date) -> None:
        """Show the account's contacts (the workspace hands over each graph it reads)."""
        selected = self.scene.selected_ids()
        self.editing.follow(graph)
        with self.selection.quietly():
            self.model.set_graph(graph, today)
            self.scene.set_graph(graph, today)
            self.scene.flag(set())
        self.map_pages.setCurrentWidget(self.view if len(graph) else self.empty)
        warnings = warnings_for(self.context, graph, today)
        self.banner.show_warnings(warnings)
        self.warnings_changed.emit(warnings)
        self.selection.select([i for i in selected if i in graph])
        self.map_actions["link"].setEnabled(len(graph) > 1)
        self.map_actions["relayout"].setEnabled(any(self.editing.pins.values()))
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

    @Slot()
    def _on_scene_selection_changed(self) -> None:
        self.selection.scene_changed()

    @Slot()
    def _on_table_selection_changed(self) -> None:
        self.selection.table_changed()

    # ------------------------------------------------------------------------------ edits

    def add_contact(self, manager_id: int | None = None) -> None:
        """Open the contact form for a new contact (reporting to ``manager_id``)."""
        self.editing.add_contact(manager_id)

    def edit_contact(self, contact_id: int) -> None:
        """Open the contact form for a contact."""
        self.editing.edit_contact(contact_id)

    def set_manager(self, contact_id: int, manager_id: int | None) -> None:
        """Make ``manager_id`` the contact's manager (None: top of the chart); loops refused."""
        self.editing.set_manager(contact_id, manager_id)

    def remove_link(self, from_id: int, to_id: int) -> None:
        """Remove an influence link (undo brings it back)."""
        self.editing.remove_link(from_id, to_id)

    def relayout(self) -> None:
        """Every dragged card back to the automatic layout (one step to undo)."""
        if self.editing.relayout():
            self._fitted = False

    # ------------------------------------------------------------------------------ menus

    def _menu_for(self, contact_id: int | None) -> QMenu:
        return contact_menu(self, self.editing, self.map_actions, contact_id)

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
        self.exporter.ask_and_save()

    def save_map(self, path: Path) -> None:
        """Write the map to ``path`` (the suffix picks the format; PNG when there is none)."""
        self.exporter.save(path)
