"""The contact list beside the map: one row per contact, sortable on every column."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from am_desktop.domain.contact_graph import ROLE_ORDER, ContactGraph, ContactNode
from am_desktop.domain.enums import Sentiment
from am_desktop.ui import format as fmt
from am_desktop.ui.contact_map.items import SENTIMENT_COLOURS

Index = QModelIndex | QPersistentModelIndex
ContactIdRole = Qt.ItemDataRole.UserRole + 1
SortKeyRole = Qt.ItemDataRole.UserRole + 2

_SENTIMENT_RANK = {sentiment: rank for rank, sentiment in enumerate(Sentiment)}


@dataclass(frozen=True)
class _Column:
    header: str
    text: Callable[[ContactNode, date], str]
    sort_key: Callable[[ContactNode], Any]
    width: int


def _scale(value: int | None) -> str:
    return f"{value}/5" if value else "—"


COLUMNS: tuple[_Column, ...] = (
    _Column("Name", lambda n, _t: n.name, lambda n: n.name.casefold(), 150),
    _Column("Title", lambda n, _t: n.title or "—", lambda n: (n.title or "").casefold(), 150),
    _Column(
        "Role",
        lambda n, _t: n.role.label if n.role else "—",
        lambda n: ROLE_ORDER.index(n.role) if n.role else len(ROLE_ORDER),
        110,
    ),
    _Column(
        "Sentiment",
        lambda n, _t: n.sentiment.label if n.sentiment else "Unknown",
        lambda n: _SENTIMENT_RANK.get(n.sentiment, len(_SENTIMENT_RANK)),  # type: ignore[arg-type]
        90,
    ),
    _Column("Influence", lambda n, _t: _scale(n.influence), lambda n: -(n.influence or 0), 70),
    _Column(
        "Relationship",
        lambda n, _t: _scale(n.relationship_strength),
        lambda n: -(n.relationship_strength or 0),
        85,
    ),
    _Column(
        "Last contacted",
        lambda n, t: fmt.ago(t, n.last_contacted_at),
        lambda n: -(n.last_contacted_at.timestamp() if n.last_contacted_at else -1e12),
        110,
    ),
    _Column("E-mail", lambda n, _t: n.email or "—", lambda n: (n.email or "").casefold(), 200),
    _Column("Phone", lambda n, _t: n.phone or "—", lambda n: n.phone or "", 120),
)


class ContactTableModel(QAbstractTableModel):
    """An account's contacts; rows are found by contact id, never kept by row number."""

    def __init__(self) -> None:
        super().__init__()
        self._nodes: list[ContactNode] = []
        self._today = date.today()
        self._cadence = 30

    def set_graph(self, graph: ContactGraph, today: date) -> None:
        """Show the graph's contacts."""
        self.beginResetModel()
        self._nodes = sorted(graph.nodes, key=lambda node: node.sort_key)
        self._today, self._cadence = today, graph.cadence_days
        self.endResetModel()

    def row_of(self, contact_id: int) -> int:
        """The row of a contact (-1 when not listed)."""
        for row, node in enumerate(self._nodes):
            if node.id == contact_id:
                return row
        return -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._nodes)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node, column = self._nodes[index.row()], COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(node, self._today)
        if role == ContactIdRole:
            return node.id
        if role == SortKeyRole:
            return column.sort_key(node)
        if role == Qt.ItemDataRole.DecorationRole and index.column() == 3:
            return QColor(SENTIMENT_COLOURS[node.sentiment])
        if (
            role == Qt.ItemDataRole.ForegroundRole
            and index.column() == 6
            and node.is_quiet(self._today, self._cadence)
        ):
            return QColor("#e37400")
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 6:
            return fmt.day(node.last_contacted_at)
        return None
