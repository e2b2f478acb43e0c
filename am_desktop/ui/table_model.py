"""One table model for every list and table of records: columns declared once, rows kept by id.

A table says three things and nothing else: its columns (a tuple of ``Column``), how a row is
identified (``row_id``) and where its rows come from (a ``RowSource``):

- ``ListSource``: rows held in memory, optionally growing a page at a time as the view scrolls
  (``canFetchMore``/``fetchMore``: the notes list);
- ``PagedSource``: the ordered ids of a query, each row read with its page when first painted
  (the accounts list, sorted and filtered in SQL).

Views address rows by id (``IdRole``, ``row_for_id``, ``id_at``), never by a row number kept
across a refresh: replacing rows with the same ids only repaints them (selection, current row and
scroll position stay); a changed set resets the model, and ``SelectionKeeper`` puts a view's
selection back by id. ``SortKeyRole`` gives a proxy something better than text to sort on.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QAbstractItemView

from am_desktop.ui.plain_text import tooltip_text

Index = QModelIndex | QPersistentModelIndex
IdRole = Qt.ItemDataRole.UserRole + 1
SortKeyRole = Qt.ItemDataRole.UserRole + 2
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter

RowT = TypeVar("RowT")
KeyT = TypeVar("KeyT", bound=Hashable)
EnvT = TypeVar("EnvT")

_DISPLAY = Qt.ItemDataRole.DisplayRole
_EDIT = Qt.ItemDataRole.EditRole
_CHECK = Qt.ItemDataRole.CheckStateRole


@dataclass(frozen=True)
class Env:
    """What most tables show their rows relative to: the day and the display currency."""

    today: date
    currency: str = "USD"


@dataclass(frozen=True)
class Column(Generic[RowT, EnvT]):
    """One column: its header and how a row is shown in it.

    Every hook receives the row and the model's ``env`` (the day, the currency…) and may
    answer None for "nothing special here".

    Attributes:
        header: the header text.
        text: the cell's text (DisplayRole).
        align: the cell's alignment; None leaves Qt's default.
        key: a tag for the owner (the accounts list's SQL sort key, a record's field name).
        sort_key: SortKeyRole, what a sorting proxy compares (default: the text).
        foreground, tooltip, decoration: those roles.
        edit: the value an editor starts from (EditRole); with ``editable`` the cell is editable.
        check: whether the cell's box is ticked; the cell is then user-checkable.
        roles: any other role, such as a delegate's rich text.
        width: the column's initial width, for views that size columns from their spec.
    """

    header: str
    text: Callable[[RowT, EnvT], str]
    align: Qt.AlignmentFlag | None = None
    key: Hashable = None
    sort_key: Callable[[RowT, EnvT], Any] | None = None
    foreground: Callable[[RowT, EnvT], Any] | None = None
    tooltip: Callable[[RowT, EnvT], str | None] | None = None
    decoration: Callable[[RowT, EnvT], Any] | None = None
    edit: Callable[[RowT, EnvT], Any] | None = None
    editable: bool = False
    check: Callable[[RowT, EnvT], bool] | None = None
    roles: Mapping[int, Callable[[RowT, EnvT], Any]] = field(default_factory=dict)
    width: int = 100


# ------------------------------------------------------------------------------------ sources


class RowSource(Generic[RowT, KeyT]):
    """Where a model's rows come from: their ids in order, and each row by position."""

    def __len__(self) -> int:
        raise NotImplementedError

    def keys(self) -> list[KeyT]:
        """The ids, in order."""
        raise NotImplementedError

    def key_at(self, position: int) -> KeyT:
        """The id of the row at ``position``."""
        raise NotImplementedError

    def row_at(self, position: int) -> RowT | None:
        """The row at ``position`` (None while it cannot be read)."""
        raise NotImplementedError

    def position_of(self, key: KeyT) -> int:
        """The position of a row by its id, or -1."""
        raise NotImplementedError

    def loaded(self) -> list[RowT]:
        """The rows held now, in order (a paged source: the ones read so far)."""
        raise NotImplementedError

    def forget(self) -> None:
        """Drop rows kept from an earlier read, so they are read again (data changed)."""

    def can_fetch_more(self) -> bool:
        """More rows can be appended (the view scrolled to the end)."""
        return False

    def fetch_more(self) -> Sequence[RowT]:
        """Read the next rows; the model then announces and ``extend``s them."""
        return ()

    def extend(self, rows: Sequence[RowT]) -> None:
        """Append rows read by ``fetch_more``."""
        raise NotImplementedError


class ListSource(RowSource[RowT, KeyT]):
    """Rows in memory.

    Args:
        rows: the rows, in order.
        row_id: a row's id.
        more: reads the rows after the first ``offset`` ones (the list grows as it scrolls);
            asked again only while the last answer filled a page.
        page_size: how many rows a full page holds.
    """

    def __init__(
        self,
        rows: Sequence[RowT],
        row_id: Callable[[RowT], KeyT],
        more: Callable[[int], Sequence[RowT]] | None = None,
        page_size: int = 0,
    ) -> None:
        self._rows = list(rows)
        self._row_id = row_id
        self._keys = [row_id(row) for row in self._rows]
        self._positions: dict[KeyT, int] | None = None
        self._more = more
        self._page_size = page_size
        self._has_more = more is not None and len(self._rows) == page_size > 0

    def __len__(self) -> int:
        return len(self._rows)

    def keys(self) -> list[KeyT]:
        return list(self._keys)

    def key_at(self, position: int) -> KeyT:
        return self._keys[position]

    def row_at(self, position: int) -> RowT | None:
        return self._rows[position]

    def position_of(self, key: KeyT) -> int:
        if self._positions is None:
            self._positions = {}
            for position, each in enumerate(self._keys):
                self._positions.setdefault(each, position)
        return self._positions.get(key, -1)

    def loaded(self) -> list[RowT]:
        return self._rows

    def can_fetch_more(self) -> bool:
        return self._has_more

    def fetch_more(self) -> Sequence[RowT]:
        if self._more is None or not self._has_more:
            return ()
        rows = self._more(len(self._rows))
        self._has_more = len(rows) == self._page_size
        return rows

    def extend(self, rows: Sequence[RowT]) -> None:
        self._rows.extend(rows)
        self._keys.extend(self._row_id(row) for row in rows)
        self._positions = None


class PagedSource(RowSource[RowT, KeyT]):
    """The ordered ids of a query; a row is read with its page the first time it is shown.

    Args:
        ids: the ids, in order (sorted and filtered where the data is).
        fetch: reads the rows of some ids.
        page_size: how many rows one read asks for.
        cache: rows already read (kept across a new query), by id.
    """

    def __init__(
        self,
        ids: Sequence[KeyT],
        fetch: Callable[[Sequence[KeyT]], Mapping[KeyT, RowT]],
        page_size: int = 100,
        cache: Mapping[KeyT, RowT] | None = None,
    ) -> None:
        self._ids = list(ids)
        self._fetch = fetch
        self._page_size = page_size
        kept = set(self._ids)
        self.cache: dict[KeyT, RowT] = {k: r for k, r in (cache or {}).items() if k in kept}
        self._positions: dict[KeyT, int] | None = None

    def __len__(self) -> int:
        return len(self._ids)

    def keys(self) -> list[KeyT]:
        return list(self._ids)

    def key_at(self, position: int) -> KeyT:
        return self._ids[position]

    def row_at(self, position: int) -> RowT | None:
        key = self._ids[position]
        found = self.cache.get(key)
        if found is None:
            start = position - position % self._page_size
            page = [k for k in self._ids[start : start + self._page_size] if k not in self.cache]
            self.cache.update(self._fetch(page))
            found = self.cache.get(key)
        return found

    def position_of(self, key: KeyT) -> int:
        if self._positions is None:
            self._positions = {}
            for position, each in enumerate(self._ids):
                self._positions.setdefault(each, position)
        return self._positions.get(key, -1)

    def loaded(self) -> list[RowT]:
        return [self.cache[k] for k in self._ids if k in self.cache]

    def forget(self) -> None:
        self.cache.clear()


# ------------------------------------------------------------------------------------ model


class ColumnTableModel(QAbstractTableModel, Generic[RowT, KeyT, EnvT]):
    """Rows of records under declared columns; the only table model the UI has.

    Args:
        columns: the columns, left to right.
        row_id: a row's id (IdRole, selection, refresh).
        env: what the columns show rows relative to (``Env``: the day and currency).
        fetch: reads the rows of some ids, for a model shown through ``set_ids``.
        empty_text: when there is no row, one disabled row saying why (Today's lists).
        align_headers: headers take their column's alignment (else Qt centres them).

    Signals:
        edit_requested(row_id, column_key, value): the user edited a cell. The model never
            changes a row itself: the owner writes, and the new rows come back with the refresh.
        check_requested(row_id, checked): the user ticked or cleared a cell's box.
    """

    edit_requested = Signal(object, object, object)
    check_requested = Signal(object, bool)

    def __init__(
        self,
        columns: Sequence[Column[RowT, EnvT]],
        row_id: Callable[[RowT], KeyT],
        env: EnvT,
        *,
        fetch: Callable[[Sequence[KeyT]], Mapping[KeyT, RowT]] | None = None,
        empty_text: str | None = None,
        align_headers: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.columns: tuple[Column[RowT, EnvT], ...] = tuple(columns)
        self.row_id = row_id
        self._env = env
        self._fetch = fetch
        self.empty_text = empty_text
        self.align_headers = align_headers
        self._source: RowSource[RowT, KeyT] = ListSource([], row_id)

    # -- Qt model API ---------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        if parent.isValid():
            return 0
        count = len(self._source)
        return 1 if count == 0 and self.empty_text is not None else count

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        column = self.columns[section]
        if role == _DISPLAY:
            return column.header
        if role == Qt.ItemDataRole.TextAlignmentRole and self.align_headers:
            return column.align
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._showing_empty_text():
            return Qt.ItemFlag.NoItemFlags
        flags = super().flags(index)
        column = self.columns[index.column()]
        if column.editable:
            flags |= Qt.ItemFlag.ItemIsEditable
        if column.check is not None:
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._source):
            if role == _DISPLAY and index.isValid() and index.column() == 0:
                return self.empty_text if self._showing_empty_text() else None
            return None
        if role == IdRole:
            return self._source.key_at(index.row())
        row = self._source.row_at(index.row())
        if row is None:
            return "…" if role == _DISPLAY else None
        return self._cell(row, self.columns[index.column()], role)

    def setData(self, index: Index, value: Any, role: int = _EDIT) -> bool:
        if not index.isValid() or not 0 <= index.row() < len(self._source):
            return False
        column = self.columns[index.column()]
        row = self._source.row_at(index.row())
        key = self._source.key_at(index.row())
        if row is None:
            return False
        if role == _EDIT and column.editable:
            current = column.edit(row, self._env) if column.edit else column.text(row, self._env)
            if current != value:
                self.edit_requested.emit(key, column.key, value)
            return True
        if role == _CHECK and column.check is not None:
            self.check_requested.emit(key, _checked(value))
            return True
        return False

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self._source.can_fetch_more()

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or not self._source.can_fetch_more():
            return
        rows = self._source.fetch_more()
        if rows:
            start = len(self._source)
            self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
            self._source.extend(rows)
            self.endInsertRows()

    # -- ours -----------------------------------------------------------------------------------

    @property
    def env(self) -> EnvT:
        """What the columns show rows relative to."""
        return self._env

    def set_env(self, env: EnvT) -> None:
        """Show the rows relative to another day, currency… (repaints, keeps everything)."""
        self._env = env
        self._repaint()

    def set_rows(
        self,
        rows: Sequence[RowT],
        *,
        more: Callable[[int], Sequence[RowT]] | None = None,
        page_size: int = 0,
    ) -> None:
        """Show these rows (``more``: read the next ones as the view scrolls to the end)."""
        self.set_source(ListSource(rows, self.row_id, more, page_size))

    def set_ids(self, ids: Sequence[KeyT]) -> None:
        """Show these ids in this order, reading rows a page at a time as they are painted."""
        if self._fetch is None:
            raise TypeError("set_ids needs a model made with fetch=")
        cache = self._source.cache if isinstance(self._source, PagedSource) else None
        self.set_source(PagedSource(ids, self._fetch, cache=cache))

    def set_source(self, source: RowSource[RowT, KeyT]) -> None:
        """Show another source's rows: a repaint if the ids are the same, else a reset."""
        if source.keys() == self._source.keys():
            self._source = source
            self._repaint()
            return
        self.beginResetModel()
        self._source = source
        self.endResetModel()

    def refresh_rows(self) -> None:
        """Read the rows again as they are painted (a paged source's rows changed)."""
        self._source.forget()
        self._repaint()

    @property
    def rows(self) -> list[RowT]:
        """The rows held, in order (a paged source: those read so far)."""
        return self._source.loaded()

    def ids(self) -> list[KeyT]:
        """The ids shown, in order."""
        return self._source.keys()

    def id_at(self, position: int) -> KeyT | None:
        """The id of the row at ``position`` (None: no such row)."""
        return self._source.key_at(position) if 0 <= position < len(self._source) else None

    def row_at(self, position: int) -> RowT | None:
        """The row at ``position`` (read with its page if needed; None: no such row)."""
        return self._source.row_at(position) if 0 <= position < len(self._source) else None

    def row_for_id(self, key: KeyT) -> int:
        """The position of the row with this id, or -1."""
        return self._source.position_of(key)

    row_of = row_for_id  # the name the contact map and the accounts view know

    # -- helpers --------------------------------------------------------------------------------

    def _cell(self, row: RowT, column: Column[RowT, EnvT], role: int) -> Any:
        env = self._env
        if role == _DISPLAY:
            return column.text(row, env)
        hook: Callable[[RowT, EnvT], Any] | None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        if role == SortKeyRole:
            hook = column.sort_key or column.text
        elif role == _EDIT:
            hook = column.edit or column.text
        elif role == _CHECK:
            if column.check is None:
                return None
            return Qt.CheckState.Checked if column.check(row, env) else Qt.CheckState.Unchecked
        else:
            hook = _HOOKS[role](column) if role in _HOOKS else column.roles.get(role)
        value = None if hook is None else hook(row, env)
        if role == Qt.ItemDataRole.ToolTipRole and isinstance(value, str):
            return tooltip_text(value)  # tooltips hold names: shown as typed, never as HTML
        return value

    def _showing_empty_text(self) -> bool:
        return self.empty_text is not None and len(self._source) == 0

    def _repaint(self) -> None:
        rows, columns = self.rowCount(), self.columnCount()
        if rows and columns:
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, columns - 1))


_HOOKS: dict[int, Callable[[Column[Any, Any]], Callable[[Any, Any], Any] | None]] = {
    Qt.ItemDataRole.ForegroundRole: lambda c: c.foreground,
    Qt.ItemDataRole.ToolTipRole: lambda c: c.tooltip,
    Qt.ItemDataRole.DecorationRole: lambda c: c.decoration,
}


def _checked(value: Any) -> bool:
    if isinstance(value, Qt.CheckState):
        return value == Qt.CheckState.Checked
    return bool(value == Qt.CheckState.Checked.value or value is True)


# ------------------------------------------------------------------------------------ selection


class SelectionKeeper(QObject):
    """Puts a view's selection and current row back, by id, after its model is reset.

    The view's model may be a proxy (sorting, filtering) over a ``ColumnTableModel``: ids are
    read through ``IdRole`` and found again through the proxies.
    """

    def __init__(self, view: QAbstractItemView, model: ColumnTableModel[Any, Any, Any]) -> None:
        super().__init__(view)
        self._view, self._model = view, model
        self._selected: list[Hashable] = []
        self._current: Hashable = None
        shown = view.model()
        shown.modelAboutToBeReset.connect(self._on_about_to_be_reset)
        shown.modelReset.connect(self._on_reset)

    @Slot()
    def _on_about_to_be_reset(self) -> None:
        selection = self._view.selectionModel()
        self._selected = [i.data(IdRole) for i in selection.selectedRows()]
        current = selection.currentIndex()
        self._current = current.data(IdRole) if current.isValid() else None

    @Slot()
    def _on_reset(self) -> None:
        selection = self._view.selectionModel()
        wanted = QItemSelection()
        for key in self._selected:
            index = self.view_index(key)
            if index.isValid():
                wanted.select(index, index)
        if not wanted.isEmpty():
            selection.select(
                wanted,
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        current = self.view_index(self._current) if self._current is not None else QModelIndex()
        if current.isValid():
            selection.setCurrentIndex(current, QItemSelectionModel.SelectionFlag.NoUpdate)

    def view_index(self, key: Hashable) -> QModelIndex:
        """The view's index of the row with this id (invalid when not shown)."""
        position = self._model.row_for_id(key)
        if position < 0:
            return QModelIndex()
        index = self._model.index(position, 0)
        chain: list[QAbstractProxyModel] = []
        shown: QAbstractItemModel | None = self._view.model()
        while isinstance(shown, QAbstractProxyModel):
            chain.append(shown)
            shown = shown.sourceModel()
        for proxy in reversed(chain):
            index = proxy.mapFromSource(index)
        return index
