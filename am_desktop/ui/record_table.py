"""An editable table of records (objectives, risks, opportunities, issues…), edited in place.

The table never writes: an edit becomes ``edit_requested(record_id, field, value)`` and the
owner sends it through an undoable service call; the table shows what is stored once the
write is announced.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
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
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.enums import Choice
from am_desktop.domain.money import exponent, minor_units
from am_desktop.domain.records import StoredRecord
from am_desktop.domain.values import format_money, parse_amount, within_money_bound
from am_desktop.ui import format as fmt
from am_desktop.ui.plain_text import plain
from am_desktop.ui.table_model import RIGHT, Column, ColumnTableModel, Env, SelectionKeeper

Index = QModelIndex | QPersistentModelIndex


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


_NUMERIC = ("money", "percent", "number")


class RecordTableModel(ColumnTableModel[StoredRecord, int, Env]):
    """Records as rows under their fields; edits are requests, not changes.

    Signals:
        edit_requested(record_id, field, value): the user typed or chose a new value.
    """

    def __init__(self, fields: Sequence[Field], currency: str = "USD") -> None:
        super().__init__(
            [_column(field) for field in fields],
            lambda record: record.id,
            Env(date.today(), currency),
        )
        self.fields = tuple(fields)

    @property
    def currency(self) -> str:
        """The currency money fields are shown in (a record with its own currency uses it)."""
        return self.env.currency

    @currency.setter
    def currency(self, currency: str) -> None:
        self.set_env(replace(self.env, currency=currency))

    def set_records(self, records: Sequence[StoredRecord]) -> None:
        """Show these records."""
        self.set_rows(records)

    def record_at(self, row: int) -> StoredRecord:
        """The record shown in ``row``."""
        return self.rows[row]


def _column(field: Field) -> Column[StoredRecord, Env]:
    def value(record: StoredRecord) -> Any:
        return getattr(record, field.name)

    def tooltip(record: StoredRecord, _env: Env) -> str | None:
        shown = value(record)
        return str(shown) if field.kind == "text" and shown else None

    return Column(
        field.header,
        lambda record, env: _shown(field, value(record), _currency(record, env)),
        RIGHT if field.kind in _NUMERIC else None,
        field.name,
        tooltip=tooltip,
        edit=lambda record, env: _editable(field, value(record), _currency(record, env)),
        editable=field.editable,
        width=field.width,
    )


def _currency(record: StoredRecord, env: Env) -> str:
    """A record that carries its currency (a contract, renewal, opportunity, movement) shows
    its amounts in it, whatever the table's: a EUR opportunity reads €50,000 for a USD AM."""
    own = getattr(record, "currency", None)
    return own if isinstance(own, str) else env.currency


def _shown(field: Field, value: Any, currency: str) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if field.kind == "money":
        return fmt.money(int(value), currency)
    if field.kind == "percent":
        return f"{value} %"
    if field.kind == "date":
        return fmt.day(value)
    if isinstance(value, Choice):
        return value.label
    return " ".join(str(value).split())


def _editable(field: Field, value: Any, currency: str) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if field.kind == "money":  # in the currency's own units: ¥1,200 edits as "1200"
        return format_money(int(value), exponent(currency))
    if isinstance(value, Choice):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


#: Free-text columns at least this share of the widest one's width share the spare width.
_STRETCH_SHARE = 0.75


def stretch_columns(fields: Sequence[Field]) -> list[int]:
    """The columns that share a table's spare width: its wide free-text fields (a risk and its
    mitigation), else the last column."""
    texts = {column: field.width for column, field in enumerate(fields) if field.kind == "text"}
    if not texts:
        return [len(fields) - 1]
    widest = max(texts.values())
    return [column for column, width in texts.items() if width >= widest * _STRETCH_SHARE]


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


#: Whether a selection-bound button applies to the selected records' ids.
Applies = Callable[[list[int]], bool]


class RecordTable(QWidget):
    """A titled, editable table with Add and Archive buttons and an empty-state line.

    The message under the table is cleared when the selection or the selected records change
    (a complaint about one state of one record says nothing about the next).

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
        add_text: str | None = "Add",
        parent: QWidget | None = None,
    ) -> None:
        """``add_text`` None: records are not added here (no Add button)."""
        super().__init__(parent)
        self.model = RecordTableModel(fields)
        self._selection_buttons: list[tuple[QPushButton, Applies | None]] = []
        self._shown_selection: tuple[StoredRecord, ...] = ()
        self._edit_when_shown: int | None = None
        self.title = QLabel(title, self)
        self.title.setObjectName("sectionTitle")
        self.empty = QLabel(empty_text, self)
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        self.error = plain(QLabel(self))
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setTabKeyNavigation(False)  # Tab leaves it (an editor's Tab still moves on)
        self.keeper = SelectionKeeper(self.view, self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        # The widest text column takes the width left over (no sideways scrolling, no gap).
        self.view.horizontalHeader().setStretchLastSection(False)
        self.view.setShowGrid(False)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        for column, field in enumerate(fields):
            self.view.setColumnWidth(column, field.width)
            if field.choices is not None:
                self.view.setItemDelegateForColumn(column, ChoiceDelegate(field.choices, self.view))
            elif field.kind == "date":
                self.view.setItemDelegateForColumn(column, DateDelegate(self.view))
        self.stretch_columns = stretch_columns(fields)
        for column in self.stretch_columns:
            self.view.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch
            )
        self.add_button = QPushButton(add_text or "", self)
        self.add_button.setVisible(bool(add_text))
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
        self.model.edit_requested.connect(self._on_model_edit_requested)
        self.view.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.modelReset.connect(self._on_selection_changed)
        self.model.dataChanged.connect(self._on_selection_changed)  # same rows, new values
        self.model.modelReset.connect(self._on_model_reset)

    def add_button_for(self, text: str, applies: Applies | None = None) -> QPushButton:
        """Another action button beside Add and Archive, enabled when rows are selected and
        ``applies`` (if given) says it applies to them."""
        button = QPushButton(text, self)
        button.setEnabled(False)
        self.buttons.insertWidget(self.buttons.count() - 1, button)
        self._selection_buttons.append((button, applies))
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
        return [self.model.ids()[r] for r in rows]

    def select_id(self, record_id: int) -> bool:
        """Select a record's row and scroll to it (from the activity timeline); False when it
        is not shown."""
        row = self.model.row_for_id(record_id)
        if row < 0:
            return False
        self.view.selectRow(row)
        self.view.scrollTo(self.model.index(row, 0))
        return True

    def edit_when_shown(self, record_id: int) -> None:
        """Select a new record's row, bring it into view and edit its first editable cell:
        at once if it is shown, else when the table next shows it (the write is announced,
        and the table re-read, after the caller learns the id)."""
        self._edit_when_shown = record_id
        self._edit_pending()

    def _edit_pending(self) -> None:
        record_id = self._edit_when_shown
        if record_id is None or not self.select_id(record_id):
            return
        self._edit_when_shown = None
        row = self.model.row_for_id(record_id)
        column = next((c for c, f in enumerate(self.model.fields) if f.editable), 0)
        index = self.model.index(row, column)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        scroll = self._scroll_area()
        if scroll is not None:  # the table itself may be below the fold of its page
            scroll.ensureWidgetVisible(self.view, 0, 0)
        self.view.setFocus()
        self.view.edit(index)

    def _scroll_area(self) -> QScrollArea | None:
        parent = self.parentWidget()
        while parent is not None and not isinstance(parent, QScrollArea):
            parent = parent.parentWidget()
        return parent

    def _on_model_edit_requested(self, record_id: int, field: str, value: object) -> None:
        try:
            value = self._in_minor_units(record_id, field, value)
        except ValueError as error:
            self.show_error(f"The amount: {error}.")
            return
        self.edit_requested.emit(record_id, field, value)

    def _in_minor_units(self, record_id: int, field: str, value: object) -> object:
        """An amount typed for a record whose currency has other than two decimals (JPY,
        KWD), as that currency's minor units (the services read typed amounts as cents)."""
        spec = next((f for f in self.model.fields if f.name == field), None)
        record = next((r for r in self.model.rows if r.id == record_id), None)
        if spec is None or spec.kind != "money" or record is None or not isinstance(value, str):
            return value
        currency = _currency(record, self.model.env)
        if exponent(currency) == 2 or not value.strip():
            return value
        amount = parse_amount(value)
        return within_money_bound(minor_units(amount, currency), amount)

    def _on_archive_clicked(self) -> None:
        ids = self.selected_ids()
        if ids:
            self.archive_requested.emit(ids)

    def _on_model_reset(self) -> None:
        self._edit_pending()

    def _on_selection_changed(self, *_args: object) -> None:
        ids = self.selected_ids()
        self.archive_button.setEnabled(bool(ids))
        for button, applies in self._selection_buttons:
            button.setEnabled(bool(ids) and (applies is None or applies(ids)))
        shown = tuple(self.model.record_at(self.model.row_for_id(i)) for i in ids)
        if shown != self._shown_selection:
            self._shown_selection = shown
            self.show_error("")
