"""The task list as a two-level model: a row per group ("Overdue (3)"), the tasks under it.

Hand-written rather than a ``QStandardItemModel``: the large portfolio has some 16,000 open
items, and an item object per cell would cost more to build than the read itself.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from am_desktop.domain import formatting
from am_desktop.domain.tasks import DueGroup, Task
from am_desktop.ui import format as fmt
from am_desktop.ui.table_model import IdRole

Index = QModelIndex | QPersistentModelIndex

HEADERS = ("Task", "Account", "Owner", "Due")
#: A group row's internal id; a task's is its group's row + 1.
_GROUP = 0


class TaskTreeModel(QAbstractItemModel):
    """Groups of tasks: group rows span the columns and cannot be selected."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._groups: list[tuple[DueGroup, list[Task]]] = []
        self._today = date.today()
        self._bold = QFont()
        self._bold.setBold(True)

    def set_groups(self, groups: list[tuple[DueGroup, list[Task]]], today: date) -> None:
        """Show these groups (as :func:`am_desktop.domain.tasks.grouped` makes them)."""
        self.beginResetModel()
        self._groups, self._today = groups, today
        self.endResetModel()

    def tasks(self) -> list[Task]:
        """Every task shown, in the order shown."""
        return [task for _group, items in self._groups for task in items]

    def groups(self) -> list[DueGroup]:
        """The groups shown, in order."""
        return [group for group, _items in self._groups]

    def task_at(self, index: Index) -> Task | None:
        """The task of a row (None: a group row, or nothing)."""
        if not index.isValid() or index.internalId() == _GROUP:
            return None
        return self._groups[index.internalId() - 1][1][index.row()]

    def index_of(self, task_id: int) -> QModelIndex:
        """The first column of a task's row (invalid: not shown)."""
        for group_row, (_group, items) in enumerate(self._groups):
            for row, task in enumerate(items):
                if task.id == task_id:
                    return self.createIndex(row, 0, group_row + 1)
        return QModelIndex()

    # ------------------------------------------------------------------------ Qt's model

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, _GROUP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == _GROUP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, _GROUP)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._groups)
        if parent.internalId() == _GROUP and parent.column() == 0:
            return len(self._groups[parent.row()][1])
        return 0

    def columnCount(self, _parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if index.internalId() == _GROUP:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == _GROUP:
            group, items = self._groups[index.row()]
            if role == Qt.ItemDataRole.DisplayRole and index.column() == 0:
                return f"{group.label} ({len(items):,})"
            if role == Qt.ItemDataRole.FontRole:
                return self._bold
            return None
        task = self._groups[index.internalId() - 1][1][index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(task, index.column())
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 3 and task.due is not None:
                return fmt.days_from(self._today, task.due)
            return self._text(task, index.column())
        if role == IdRole:
            return task.id
        return None

    @staticmethod
    def _text(task: Task, column: int) -> str:
        if column == 0:
            return task.text
        if column == 1:
            return task.account
        if column == 2:
            return task.owner or "—"
        return formatting.day(task.due) if task.due else "—"
