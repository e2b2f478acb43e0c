"""The Accounts view: every account, filtered and sorted in SQL, rows fetched as they show.

The model holds the ordered ids of the current query and a cache of the rows that have been
painted; a new query runs on the READ lane and replaces the ids when it answers (an older
answer arriving late is dropped).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from PySide6.QtCore import (
    QModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.enums import HealthBand
from am_desktop.domain.fx_figures import ReportingRates
from am_desktop.domain.portfolio import AccountRow, PortfolioQuery, SavedFilter, SortKey
from am_desktop.ui import format as fmt
from am_desktop.ui.table_model import (
    LEFT,
    RIGHT,
    Column,
    ColumnTableModel,
    Env,
    SelectionKeeper,
)
from am_desktop.ui.widgets import EmptyState

_BAND_COLOURS = {
    HealthBand.HEALTHY: QColor("#2e7d32"),
    HealthBand.WATCH: QColor("#b26a00"),
    HealthBand.AT_RISK: QColor("#c62828"),
}
_OVERDUE = QColor("#c62828")


def _health(row: AccountRow, _env: Env) -> str:
    if row.health_score is None or row.health_band is None:
        return "—"
    return f"{row.health_score:.0f} · {row.health_band.label}{fmt.trend(row.health_change)}"


def _health_tip(row: AccountRow, _env: Env) -> str:
    return "No health score yet." if row.health_band is None else fmt.trend_words(row.health_change)


def _name_tip(row: AccountRow, _env: Env) -> str | None:
    return f"{row.name} · {row.domain} · {row.industry or 'no industry'}" if row.domain else None


@dataclass(frozen=True)
class AccountsEnv(Env):
    """The list's day and currencies: each account's ARR is in its own currency, with the
    reporting figure beside it where they differ (``rates``: None until first read)."""

    rates: ReportingRates | None = None

    @property
    def reporting(self) -> str:
        """The reporting currency (the display currency until the rates are read)."""
        return self.rates.target if self.rates is not None else self.currency


def _muted() -> QColor:
    """The converted figure reads as secondary to the account's own (the theme's muted
    colour, as muted labels use, light or dark)."""
    return QApplication.palette().color(QPalette.ColorRole.PlaceholderText)


def _foreign(row: AccountRow, env: AccountsEnv) -> bool:
    return row.currency != env.reporting


def _reporting_arr(row: AccountRow, env: AccountsEnv) -> int | None:
    if row.arr_cents is None:
        return None
    if env.rates is None:
        return row.arr_cents if not _foreign(row, env) else None
    return env.rates.convert(row.arr_cents, row.currency)


def _reporting_text(row: AccountRow, env: AccountsEnv) -> str:
    """Blank for an account in the reporting currency (its ARR says it), "—" without a rate."""
    if not _foreign(row, env):
        return ""
    return fmt.money(_reporting_arr(row, env), env.reporting)


def _arr_tip(row: AccountRow, _env: AccountsEnv) -> str | None:
    """Why an ARR is "—": the rate its ledger lacks (``summaries.arr_problem``)."""
    return row.arr_problem if row.arr_cents is None else None


def _reporting_tip(row: AccountRow, env: AccountsEnv) -> str | None:
    if not _foreign(row, env):
        return None
    if row.arr_cents is None:
        return _arr_tip(row, env)
    if env.rates is None:
        return "Reading the exchange rates…"
    problem = env.rates.problem(row.currency)
    if problem is not None:
        return problem
    return env.rates.used[row.currency].shown()


def _checkin_overdue(row: AccountRow, env: Env) -> bool:
    return row.checkin_overdue(env.today)


def _renews_soon(row: AccountRow, _env: Env) -> QColor | None:
    return _OVERDUE if row.days_to_renewal is not None and row.days_to_renewal <= 30 else None


COLUMNS: tuple[Column[AccountRow, AccountsEnv], ...] = (
    Column("Account", lambda r, _e: r.name, LEFT, SortKey.NAME, tooltip=_name_tip),
    Column("Tier", lambda r, _e: r.tier.label, LEFT, SortKey.TIER),
    Column("Segment", lambda r, _e: r.segment.label if r.segment else "—", LEFT, SortKey.SEGMENT),
    Column("Owner", lambda r, _e: r.owner or "—", LEFT, SortKey.OWNER),
    Column(
        "ARR",
        lambda r, _e: fmt.money(r.arr_cents, r.currency),
        RIGHT,
        SortKey.ARR,
        tooltip=_arr_tip,
    ),
    Column(
        "ARR (reporting)",
        _reporting_text,
        RIGHT,
        SortKey.ARR,
        foreground=lambda _r, _e: _muted(),
        tooltip=_reporting_tip,
    ),
    Column(
        "Health",
        _health,
        LEFT,
        SortKey.HEALTH,
        foreground=lambda r, _e: _BAND_COLOURS[r.health_band] if r.health_band else None,
        tooltip=_health_tip,
    ),
    Column("Next renewal", lambda r, _e: fmt.day(r.next_renewal_on), LEFT, SortKey.NEXT_RENEWAL),
    Column(
        "Renews",
        lambda r, e: fmt.days_from(e.today, r.next_renewal_on),
        RIGHT,
        SortKey.NEXT_RENEWAL,
        foreground=_renews_soon,
    ),
    Column("Last touch", lambda r, e: fmt.ago(e.today, r.last_touch_at), LEFT, SortKey.LAST_TOUCH),
    Column(
        "Next check-in",
        lambda r, _e: fmt.day(r.next_checkin_on),
        LEFT,
        SortKey.NEXT_CHECKIN,
        foreground=lambda r, e: _OVERDUE if _checkin_overdue(r, e) else None,
        tooltip=lambda r, e: (
            "Check-in overdue: the last touch is older than this account's cadence."
            if _checkin_overdue(r, e)
            else None
        ),
    ),
)

#: The column of the reporting-currency figure (hidden while every account is in it).
REPORTING_COLUMN = next(i for i, c in enumerate(COLUMNS) if c.text is _reporting_text)

#: A long usual text of each column, for its width (the last column stretches).
_SAMPLE_TEXTS = (
    "Broadleaf Construction Group",
    "Strategic",
    "Mid-market",
    "Maya Lindqvist",
    "CHF 1,957,600",  # a code-named currency is the widest (¥15,000,000 as wide)
    "$1,957,600",
    "100 · At risk ▼10",
    "30 Dec 2026",
    "in 404 days",
    "153 days ago",
)
#: Room around a cell's text (margins, the focus frame) and a header's (the sort arrow).
_CELL_PADDING_PX = 12
_HEADER_PADDING_PX = 22


class AccountTableModel(ColumnTableModel[AccountRow, int, AccountsEnv]):
    """The ordered ids of a query; rows fetched a page at a time as the view paints them.

    Sorting is the query's (in SQL), so a header click asks the owner to query again.

    Args:
        fetch: reads the rows of some ids (``services.portfolio.account_rows``).
        today: the day figures are relative to.

    Signals:
        sort_requested(key, descending): a header was clicked; the owner re-queries.
    """

    sort_requested = Signal(object, bool)

    def __init__(
        self, fetch: Callable[[Sequence[int]], Mapping[int, AccountRow]], today: date
    ) -> None:
        super().__init__(
            COLUMNS, lambda row: row.id, AccountsEnv(today), fetch=fetch, align_headers=True
        )

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.columns):
            key = self.columns[column].key
            self.sort_requested.emit(key, order == Qt.SortOrder.DescendingOrder)

    @property
    def today(self) -> date:
        """The day figures are relative to."""
        return self.env.today

    @today.setter
    def today(self, today: date) -> None:
        self.set_env(replace(self.env, today=today))

    @property
    def currency(self) -> str:
        """The currency amounts are shown in."""
        return self.env.currency

    @currency.setter
    def currency(self, currency: str) -> None:
        self.set_env(replace(self.env, currency=currency))

    def set_rates(self, rates: ReportingRates) -> None:
        """Convert into ``rates.target`` with these rates (the second ARR column's header
        names the reporting currency)."""
        changed = self.env.reporting != rates.target
        self.set_env(replace(self.env, rates=rates))
        if changed:
            self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.columns) - 1)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.columns)
            and self.columns[section].text is _reporting_text
        ):
            return f"ARR ({self.env.reporting})"
        return super().headerData(section, orientation, role)


class AccountsView(QWidget):
    """The filter box, the list and its empty states.

    Signals:
        query_changed(query): the user changed the filter, saved filter or sort.
        open_requested(account_ids): open these accounts' workspaces.
        new_note_requested(account_id): start a note for this account.
        archive_requested(account_ids, archive): archive (True) or restore (False).
        new_account_requested(): the user wants a new account.
    """

    query_changed = Signal(object)
    open_requested = Signal(list)
    new_note_requested = Signal(int)
    archive_requested = Signal(list, bool)
    new_account_requested = Signal()

    def __init__(self, model: AccountTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.query = PortfolioQuery()
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setPlaceholderText("Filter by name, domain, industry or owner")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setAccessibleName("Filter accounts")
        self.title = QLabel(SavedFilter.ALL.label, self)
        self.title.setObjectName("viewTitle")
        self.count_label = QLabel(self)
        self.count_label.setObjectName("muted")
        self.new_button = QPushButton("New account…", self)
        self.table = QTableView(self)
        self.table.setModel(model)
        self.table.setTabKeyNavigation(False)  # Tab leaves the list; arrows move in it
        # A new answer (the list follows every change) keeps a multi-selection whole.
        self._keeper = SelectionKeeper(self.table, model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setShowGrid(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(28)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        for column, width in enumerate(self.column_widths()):
            self.table.setColumnWidth(column, width)
        self.empty = EmptyState(self)
        self.pages = QStackedWidget(self)
        self.pages.addWidget(self.table)
        self.pages.addWidget(self.empty)
        self._debounce = QTimer(self, singleShot=True, interval=120)

        top = QHBoxLayout()
        top.addWidget(self.title)
        top.addWidget(self.count_label)
        top.addStretch(1)
        top.addWidget(self.filter_edit, 2)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.filter_edit.textChanged.connect(self._debounce.start)
        self._debounce.timeout.connect(self._on_filter_timeout)
        self.filter_edit.returnPressed.connect(self._on_filter_return)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.table.activated.connect(self._on_table_double_clicked)
        self.table.customContextMenuRequested.connect(self._on_table_context_menu)
        self.model.sort_requested.connect(self._on_model_sort_requested)
        self.new_button.clicked.connect(self.new_account_requested)
        focus = QAction("Filter accounts", self)
        focus.setShortcut(QKeySequence("Ctrl+L"))
        focus.triggered.connect(self.focus_filter)
        self.addAction(focus)

    # -- what the owner calls ---------------------------------------------------------------

    def column_widths(self) -> list[int]:
        """Each column's width for its longest usual text or its header, whichever is wider."""
        cells, header = self.table.fontMetrics(), self.table.horizontalHeader()
        widths = []
        for column, sample in enumerate(_SAMPLE_TEXTS):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            widths.append(
                max(
                    cells.horizontalAdvance(sample) + _CELL_PADDING_PX,
                    header.fontMetrics().horizontalAdvance(title) + _HEADER_PADDING_PX,
                )
            )
        return widths

    def widen_narrow_columns(self) -> None:
        """Widen every column narrower than its usual text (a layout restored from an older
        version, or a larger font, would cut "77 · Healthy ▲4" to "77 · Hea…")."""
        for column, width in enumerate(self.column_widths()):
            if self.table.columnWidth(column) < width:
                self.table.setColumnWidth(column, width)

    def set_saved_filter(self, saved: SavedFilter) -> None:
        """Show one of the sidebar's saved filters."""
        self.title.setText(saved.label)
        self._change(PortfolioQuery(self.query.text, saved, self.query.sort, self.query.descending))

    def show_ids(self, ids: list[int]) -> None:
        """The answer to the current query arrived."""
        self.model.set_ids(ids)  # the selection, by id, is kept (SelectionKeeper)
        noun = "account" if len(ids) == 1 else "accounts"
        self.count_label.setText(f"{len(ids):,} {noun}")
        if ids:
            self.pages.setCurrentWidget(self.table)
        else:
            self.pages.setCurrentWidget(self.empty)
            self._explain_empty()

    def selected_ids(self) -> list[int]:
        """The accounts selected in the list, top to bottom."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        ids = self.model.ids()
        return [ids[r] for r in rows if r < len(ids)]

    @Slot()
    def focus_filter(self) -> None:
        """Put the cursor in the filter box."""
        self.filter_edit.setFocus()
        self.filter_edit.selectAll()

    # -- slots -----------------------------------------------------------------------------

    @Slot()
    def _on_filter_timeout(self) -> None:
        text = self.filter_edit.text()
        if text != self.query.text:
            self._change(
                PortfolioQuery(text, self.query.saved, self.query.sort, self.query.descending)
            )

    @Slot()
    def _on_filter_return(self) -> None:
        self._debounce.stop()
        self._on_filter_timeout()
        if self.model.rowCount() > 0:
            self.table.setFocus()
            self.table.selectRow(0)

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        ids = self.selected_ids() or [self.model.ids()[index.row()]]
        self.open_requested.emit(ids)

    @Slot(object, bool)
    def _on_model_sort_requested(self, key: SortKey, descending: bool) -> None:
        self._change(PortfolioQuery(self.query.text, self.query.saved, key, descending))

    @Slot(QPoint)
    def _on_table_context_menu(self, point: QPoint) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        menu = QMenu(self)
        noun = "account" if len(ids) == 1 else f"{len(ids)} accounts"
        menu.addAction(f"Open {noun}", lambda: self.open_requested.emit(ids))
        note = menu.addAction("New note…", lambda: self.new_note_requested.emit(ids[0]))
        note.setEnabled(len(ids) == 1)
        menu.addSeparator()
        if self.query.saved is SavedFilter.ARCHIVED:
            menu.addAction(f"Restore {noun}", lambda: self.archive_requested.emit(ids, False))
        else:
            menu.addAction(f"Archive {noun}", lambda: self.archive_requested.emit(ids, True))
        menu.exec(self.table.viewport().mapToGlobal(point))

    # -- helpers -----------------------------------------------------------------------------

    def _change(self, query: PortfolioQuery) -> None:
        self.query = query
        self.query_changed.emit(query)

    def _explain_empty(self) -> None:
        if self.query.text:
            self.empty.show_message(
                "No account matches", f"Nothing matches “{self.query.text}”. Try fewer letters."
            )
        elif self.query.saved is SavedFilter.ALL:
            self.empty.show_message(
                "No accounts yet",
                "Add your first account with “New account…”, or bring your portfolio in with "
                "File → Import CSV.",
            )
        elif self.query.saved is SavedFilter.AT_RISK:
            self.empty.show_message(
                "No account is at risk",
                "Accounts appear here when their health score falls below 40.",
            )
        else:
            self.empty.show_message(
                f"Nothing in “{self.query.saved.label}”", "No account fits this filter today."
            )
