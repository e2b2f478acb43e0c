"""The contact list and the map select the same people: picking in one picks in the other."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QObject,
    QSortFilterProxyModel,
)
from PySide6.QtWidgets import QTableView

from am_desktop.ui.contact_map.contact_table import ContactIdRole, ContactTableModel
from am_desktop.ui.contact_map.scene import ContactMapScene
from am_desktop.ui.contact_map.view import ContactMapView


class SelectionSync(QObject):
    """Keeps the table's selected rows and the scene's selected cards the same.

    A selection made here (or while the graph is shown again: :meth:`quietly`) is not echoed
    back, so the two never chase each other. The tab connects the two selection signals to
    :meth:`scene_changed` and :meth:`table_changed` through slots of its own, so that none
    runs while the tab is being destroyed (its scene's cards go before its table).
    """

    def __init__(
        self,
        scene: ContactMapScene,
        view: ContactMapView,
        table: QTableView,
        proxy: QSortFilterProxyModel,
        model: ContactTableModel,
    ) -> None:
        super().__init__(table)
        self.scene, self.view, self.table, self.proxy, self.model = (
            scene,
            view,
            table,
            proxy,
            model,
        )
        self._syncing = False

    @contextmanager
    def quietly(self) -> Iterator[None]:
        """Change the scene or the table without the other following."""
        self._syncing = True
        try:
            yield
        finally:
            self._syncing = False

    def select(self, ids: list[int]) -> None:
        """Select these contacts in both."""
        with self.quietly():
            self.scene.select_ids(ids)
            self._select_rows(ids)

    def show_picked(self, ids: list[int]) -> None:
        """Select, bring into view and outline these contacts (a warning's "Show")."""
        self.select(ids)
        self.view.show_cards(ids)
        self.scene.flag(set(ids))

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

    def scene_changed(self) -> None:
        """The user selected cards: select their rows."""
        if not self._syncing:
            self.scene.flag(set())  # a "Show" outline lasts until the user picks something
            with self.quietly():
                self._select_rows(self.scene.selected_ids())

    def table_changed(self) -> None:
        """The user selected rows: select and show their cards."""
        if self._syncing:
            return
        ids = [
            int(self.proxy.data(index, ContactIdRole))
            for index in self.table.selectionModel().selectedRows()
        ]
        with self.quietly():
            self.scene.select_ids(ids)
        self.view.show_cards(ids)
