"""An editable table of records (objectives, risks, opportunities, issues…), edited in place.

The table never writes: an edit becomes ``edit_requested(record_id, field, value)`` and the
owner sends it through an undoable service call; the table shows what is stored once the
write is announced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.enums import Choice
from am_desktop.domain.records import StoredRecord
from am_desktop.domain.values import format_money
from am_desktop.ui import format as fmt

Index = QModelIndex | QPersistentModelIndex
RecordIdRole = Qt.ItemDataRole.UserRole + 1


@dataclass(frozen=True)
class Field:
    """A column: the record field, its header and how it is shown and edited.

    ``kind`` is one of text, choice, date, money, percent, number, bool (typed yes or no).
    """

    name: str
    header: str
    kind: str = "text"
    choices: type[Choice] | None = None
    width: int = 120
    editable: bool = True


class RecordTableModel(QAbstractTableModel):
    """Records as rows; edits are requests, not changes.

    Signals:
        edit_requested(record_id, field, value): the user typed or chose a new value.
    """

    edit_requested = Signal(int, str, object)

    def __init__(self, fields: Sequence[Field], currency: str = "USD") -> None:
        super().__init__()
        self.fields = tuple(fields)
        self.currency = currency
        self._records: list[StoredRecord] = []

    def set_records(self, records: Sequence[StoredRecord]) -> None:
        """Show these records."""
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def record_at(self, row: int) -> StoredRecord:
        """The record shown in ``row``."""
        return self._records[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.fields)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.fields[section].header if 0 <= section < len(self.fields) else None
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and self.fields[index.column()].editable:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._records):
            return None
        record = self._records[index.row()]
        field = self.fields[index.column()]
        value = getattr(record, field.name)
        if role == RecordIdRole:
            return record.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._shown(field, value)
        if role == Qt.ItemDataRole.EditRole:
            return self._editable(field, value)
        if role == Qt.ItemDataRole.TextAlignmentRole and field.kind in (
            "money",
            "percent",
            "number",
        ):
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        if role == Qt.ItemDataRole.ToolTipRole and field.kind == "text" and value:
            return str(value)
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        record = self._records[index.row()]
        field = self.fields[index.column()]
        if self._editable(field, getattr(record, field.name)) != value:
            self.edit_requested.emit(record.id, field.name, value)
        return True

    def _shown(self, field: Field, value: Any) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if field.kind == "money":
            return fmt.money(int(value), self.currency)
        if field.kind == "percent":
            return f"{value} %"
        if field.kind == "date":
            return fmt.day(value)
        if isinstance(value, Choice):
            return value.label
        return " ".join(str(value).split())

    @staticmethod
    def _editable(field: Field, value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, bool):
            return "yes" if value else "no"
        if field.kind == "money":
            return format_money(int(value))
        if isinstance(value, Choice):
            return value.value
        if isinstance(value, date):
            return value.isoformat()
        return str(value)


class ChoiceDelegate(QStyledItemDelegate):
    """Edits a closed list with a drop-down of its labels."""

    def __init__(self, choices: type[Choice], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QComboBox(parent)
        for member in self.choices:
            editor.addItem(member.label, member.value)
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class DateDelegate(QStyledItemDelegate):
    """Edits a date with a calendar."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        editor = QDateEdit(parent)
        editor.setCalendarPopup(True)
        editor.setDisplayFormat("d MMM yyyy")
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        assert isinstance(editor, QDateEdit)
        text = index.data(Qt.ItemDataRole.EditRole)
        editor.setDate(QDate.fromString(text, "yyyy-MM-dd") if text else QDate.currentDate())

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        assert isinstance(editor, QDateEdit)
        model.setData(index, editor.date().toString("yyyy-MM-dd"), Qt.ItemDataRole.EditRole)


class RecordTable(QWidget):
    """A titled, editable table with Add and Archive buttons and an empty-state line.

    Signals:
        add_requested(): the user wants a new record.
        archive_requested(record_ids): archive the selected records.
        edit_requested(record_id, field, value): an in-place edit.
    """

    add_requested = Signal()
    archive_requested = Signal(list)
    edit_requested = Signal(int, str, object)

    def __init__(
        self,
        title: str,
        fields: Sequence[Field],
        empty_text: str,
        add_text: str = "Add",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.model = RecordTableModel(fields)
        self.title = QLabel(title, self)
        self.title.setObjectName("sectionTitle")
        self.empty = QLabel(empty_text, self)
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        for column, field in enumerate(fields):
            self.view.setColumnWidth(column, field.width)
            if field.choices is not None:
                self.view.setItemDelegateForColumn(column, ChoiceDelegate(field.choices, self.view))
            elif field.kind == "date":
                self.view.setItemDelegateForColumn(column, DateDelegate(self.view))
        self.add_button = QPushButton(add_text, self)
        self.archive_button = QPushButton("Archive", self)
        self.archive_button.setEnabled(False)
        self.buttons = QHBoxLayout()
        self.buttons.addWidget(self.title)
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.add_button)
        self.buttons.addWidget(self.archive_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.buttons)
        layout.addWidget(self.empty)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.error)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self.add_requested)
        self.archive_button.clicked.connect(self._on_archive_clicked)
        # Clear the last complaint first: the forwarded edit may fail and explain itself again.
        self.model.edit_requested.connect(lambda *_: self.show_error(""))
        self.model.edit_requested.connect(self.edit_requested)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.modelReset.connect(self._on_selection_changed)

    def add_button_for(self, text: str) -> QPushButton:
        """Another action button beside Add and Archive (enabled when rows are selected)."""
        button = QPushButton(text, self)
        button.setEnabled(False)
        self.buttons.insertWidget(self.buttons.count() - 1, button)
        self._selection_buttons = [*getattr(self, "_selection_buttons", []), button]
        return button

    def show_error(self, text: str) -> None:
        """Explain a refused edit under the table (cleared by the next edit)."""
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def set_records(self, records: Sequence[StoredRecord]) -> None:
        """Show these records (an empty list shows the empty-state line)."""
        self.model.set_records(records)
        self.empty.setVisible(not records)
        self.view.setVisible(bool(records))

    def selected_ids(self) -> list[int]:
        """The ids of the selected records."""
        rows = sorted({i.row() for i in self.view.selectionModel().selectedRows()})
        return [self.model.record_at(r).id for r in rows]

    def select_id(self, record_id: int) -> None:
        """Select a record's row and scroll to it (from the activity timeline)."""
        for row in range(self.model.rowCount()):
            if self.model.record_at(row).id == record_id:
                self.view.selectRow(row)
                self.view.scrollTo(self.model.index(row, 0))
                return

    def _on_archive_clicked(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.archive_requested.emit(ids)

    def _on_selection_changed(self, *_args: object) -> None:
        has = bool(self.view.selectionModel().selectedRows())
        self.archive_button.setEnabled(has)
        for button in getattr(self, "_selection_buttons", []):
            button.setEnabled(has)
