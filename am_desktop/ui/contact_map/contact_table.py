"""The contact list beside the map: one row per contact, sortable on every column."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtGui import QColor

from am_desktop.domain.contact_graph import ROLE_ORDER, ContactGraph, ContactNode
from am_desktop.domain.enums import Sentiment
from am_desktop.ui import format as fmt
from am_desktop.ui.contact_map.items import SENTIMENT_COLOURS
from am_desktop.ui.table_model import Column, ColumnTableModel, IdRole, SortKeyRole

__all__ = ["COLUMNS", "ContactIdRole", "ContactTableModel", "SortKeyRole"]

ContactIdRole = IdRole

_SENTIMENT_RANK = {sentiment: rank for rank, sentiment in enumerate(Sentiment)}
_QUIET = QColor("#e37400")


@dataclass(frozen=True)
class ContactEnv:
    """What the list is shown relative to: the day, and the account's check-in cadence."""

    today: date
    cadence_days: int = 30


def _scale(value: int | None) -> str:
    return f"{value}/5" if value else "—"


COLUMNS: tuple[Column[ContactNode, ContactEnv], ...] = (
    Column("Name", lambda n, _e: n.name, sort_key=lambda n, _e: n.name.casefold(), width=150),
    Column(
        "Title",
        lambda n, _e: n.title or "—",
        sort_key=lambda n, _e: (n.title or "").casefold(),
        width=150,
    ),
    Column(
        "Role",
        lambda n, _e: n.role.label if n.role else "—",
        sort_key=lambda n, _e: ROLE_ORDER.index(n.role) if n.role else len(ROLE_ORDER),
        width=110,
    ),
    Column(
        "Sentiment",
        lambda n, _e: n.sentiment.label if n.sentiment else "Unknown",
        sort_key=lambda n, _e: _SENTIMENT_RANK.get(n.sentiment, len(_SENTIMENT_RANK)),  # type: ignore[arg-type]
        decoration=lambda n, _e: QColor(SENTIMENT_COLOURS[n.sentiment]),
        width=90,
    ),
    Column(
        "Influence",
        lambda n, _e: _scale(n.influence),
        sort_key=lambda n, _e: -(n.influence or 0),
        width=70,
    ),
    Column(
        "Relationship",
        lambda n, _e: _scale(n.relationship_strength),
        sort_key=lambda n, _e: -(n.relationship_strength or 0),
        width=85,
    ),
    Column(
        "Last contacted",
        lambda n, e: fmt.ago(e.today, n.last_contacted_at),
        sort_key=lambda n, _e: -(n.last_contacted_at.timestamp() if n.last_contacted_at else -1e12),
        foreground=lambda n, e: _QUIET if n.is_quiet(e.today, e.cadence_days) else None,
        tooltip=lambda n, _e: fmt.day(n.last_contacted_at),
        width=110,
    ),
    Column(
        "E-mail",
        lambda n, _e: n.email or "—",
        sort_key=lambda n, _e: (n.email or "").casefold(),
        width=200,
    ),
    Column("Phone", lambda n, _e: n.phone or "—", sort_key=lambda n, _e: n.phone or "", width=120),
)


class ContactTableModel(ColumnTableModel[ContactNode, int, ContactEnv]):
    """An account's contacts; rows are found by contact id, never kept by row number."""

    def __init__(self) -> None:
        super().__init__(COLUMNS, lambda node: node.id, ContactEnv(date.today()))

    def set_graph(self, graph: ContactGraph, today: date) -> None:
        """Show the graph's contacts."""
        self.set_env(ContactEnv(today, graph.cadence_days))
        self.set_rows(sorted(graph.nodes, key=lambda node: node.sort_key))
