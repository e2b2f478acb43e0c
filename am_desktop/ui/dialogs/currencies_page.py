"""Preferences → Currencies (issue 20): the reporting currency and the exchange-rate table.

The reporting currency is a preference like the others: saved on OK. The rate table is data,
not a preference: an import, an added or a deleted rate is written at once (on a worker,
through ``services.rates``), and the Dashboard, Renewals and the accounts list follow it
through the change feed. The page itself follows the feed too, so a ``rates import`` run
from the command line while it is open shows up.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain import fx
from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.domain.formatting import day as shown_day
from am_desktop.errors import AppError, ImportRejected
from am_desktop.ui.bus import ChangeFollower
from am_desktop.ui.context import AppContext
from am_desktop.ui.table_model import LEFT, Column, ColumnTableModel, Env, SortKeyRole
from am_desktop.ui.tasks import Lane
from am_desktop.ui.widgets import EmptyState

#: Offered in the currency lists; any other three-letter ISO 4217 code may be typed.
CURRENCIES = ("USD", "EUR", "GBP", "CHF", "CAD", "AUD", "JPY")
#: How many rates the table shows without scrolling.
VISIBLE_RATE_ROWS = 8
#: How many row problems an import's report lists (the count is always given).
LISTED_PROBLEMS = 8

EMPTY_TITLE = "No exchange rates yet"
EMPTY_TEXT = (
    "Import a CSV with date,base,quote,rate columns, or add a rate below. Totals in more "
    "than one currency need a rate for each currency into the reporting one."
)

RateKey = tuple[date, str, str]


def _rate_text(rate: fx.Rate, _env: Env) -> str:
    return f"1 {rate.base} = {rate.rate} {rate.quote}"


RATE_COLUMNS: tuple[Column[fx.Rate, Env], ...] = (
    Column(
        "Date",
        lambda r, _e: shown_day(r.day),
        LEFT,
        "date",
        sort_key=lambda r, _e: r.day.isoformat(),
    ),
    Column(
        "Rate",
        _rate_text,
        LEFT,
        "rate",
        sort_key=lambda r, _e: f"{r.base}{r.quote}{r.day.isoformat()}",
    ),
)


def key_of(rate: fx.Rate) -> RateKey:
    """A recorded rate's identity: its day and pair."""
    return (rate.day, rate.base, rate.quote)


def same_as_mine(own: str) -> str:
    """The reporting currency's first choice, stored empty: the AM's own currency (General)."""
    return f"My currency ({own})"


def reporting_currency_box(stored: str, own: str) -> QComboBox:
    """The reporting currency: totals, KPIs and reviews are converted into it."""
    box = QComboBox()
    box.setEditable(True)
    box.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    box.addItems([same_as_mine(own), *CURRENCIES])
    box.setCurrentText(stored or same_as_mine(own))
    box.setToolTip(
        "The currency totals, KPIs and business reviews are converted into, at one "
        "exchange rate per currency (the latest on or before the report's last day)."
    )
    return box


def problems_in_words(error: ImportRejected) -> str:
    """An import's refusal: nothing written, then each bad row's number and reason."""
    rows = sorted({problem.row for problem in error.problems})
    noun = "row has" if len(rows) == 1 else "rows have"
    listed = [f"Row {p.row}: {p.column or 'the row'} {p.reason}." for p in error.problems]
    shown = listed[:LISTED_PROBLEMS]
    more = len(listed) - len(shown) + error.unlisted
    tail = [f"…and {more:,} more."] if more else []
    head = f"Nothing was imported: {len(rows):,} {noun} a problem. Fix the file and import again."
    return "\n".join([head, *shown, *tail])


class CurrenciesPage(QWidget):
    """The reporting currency, the rate table, and importing, adding and deleting rates.

    Args:
        context: the shared services (the store, through ``services.rates`` on workers).
        stored: the saved reporting currency ("" for the same as the AM's own currency).
        own: the AM's own currency (Preferences → General), which "" stands for.
    """

    def __init__(
        self, context: AppContext, stored: str, own: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.context = context
        self.reporting_currency = reporting_currency_box(stored, own)
        self.model: ColumnTableModel[fx.Rate, RateKey, Env] = ColumnTableModel(
            RATE_COLUMNS, key_of, Env(context.today())
        )
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortKeyRole)
        self.table = self._rate_table()
        self.empty = EmptyState(self, EMPTY_TITLE, EMPTY_TEXT)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.stack.setCurrentWidget(self.empty)
        self.import_button = QPushButton("&Import rates…", self)
        self.import_button.setToolTip(
            "A CSV or Excel file with the columns date,base,quote,rate (1 base = rate quote)."
        )
        self.delete_button = QPushButton("&Delete rate", self)
        self.delete_button.setEnabled(False)
        self.new_day = QDateEdit(self)
        self.new_day.setCalendarPopup(True)
        self.new_day.setDisplayFormat("d MMM yyyy")
        today = context.today()
        self.new_day.setDate(QDate(today.year, today.month, today.day))
        self.new_base = _code_field("EUR", "The currency of which one unit is priced")
        self.new_quote = _code_field("USD", "The currency the price is in")
        self.new_rate = QLineEdit(self)
        self.new_rate.setPlaceholderText("1.0841")
        self.new_rate.setToolTip("How many quote units one base unit is worth")
        self.new_rate.setMinimumWidth(
            self.new_rate.fontMetrics().horizontalAdvance("0.000000000") + 16
        )
        self.add_button = QPushButton("&Add rate", self)
        self.report = QLabel(self)
        self.report.setWordWrap(True)
        self.report.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.report.setAccessibleName("What the last change of rates did")
        self._lay_out()
        self._connect_signals()
        self._follower = ChangeFollower(self, context.data, _concerns_rates, self._on_rates_changed)
        self.reload()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.addRow("&Reporting currency", self.reporting_currency)
        label = form.labelForField(self.reporting_currency)
        if isinstance(label, QLabel):
            label.setBuddy(self.reporting_currency)
        note = QLabel(
            "Each account keeps its own currency; totals, KPIs and reviews convert into the "
            "reporting currency at one rate per currency, and say which rates they used."
        )
        note.setWordWrap(True)
        note.setObjectName("muted")
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel("Exchange rates, newest first"))
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.delete_button)
        adding = QHBoxLayout()
        adding.addWidget(QLabel("On"))
        adding.addWidget(self.new_day)
        adding.addWidget(QLabel("1"))
        adding.addWidget(self.new_base)
        adding.addWidget(QLabel("="))
        adding.addWidget(self.new_rate)
        adding.addWidget(self.new_quote)
        adding.addWidget(self.add_button)
        adding.addStretch(1)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(note)  # beside the form a wrapped label leaves a gap above it
        column.addLayout(buttons)
        column.addWidget(self.stack, 1)
        column.addLayout(adding)
        column.addWidget(self.report)

    def _connect_signals(self) -> None:
        self.import_button.clicked.connect(self._on_import_clicked)
        self.delete_button.clicked.connect(self._on_delete_clicked)
        self.add_button.clicked.connect(self._on_add_clicked)
        self.new_rate.returnPressed.connect(self._on_add_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.model.modelReset.connect(self._on_selection_changed)

    # -- what the dialog and tests call ---------------------------------------------------------

    def reload(self) -> None:
        """Read the rate table again (on a worker)."""
        from am_desktop.services import rates

        store = self.context.store
        self.context.tasks.submit(
            lambda _p: rates.list_rates(store),
            lane=Lane.READ,
            on_done=self._on_rates_read,
            receiver=self,
            supersede=(self, "rates"),
        )

    def import_file(self, path: Path) -> None:
        """Import a rates file on a worker; the page says what was added or what was wrong."""
        from am_desktop.services import rates

        store = self.context.store
        self.import_button.setEnabled(False)
        self.report.setText(f"Importing {path.name}…")
        self.context.tasks.submit(
            lambda _p: rates.import_rates(store, path),
            lane=Lane.WRITE,
            on_done=lambda done: self._on_imported(path, done),
            on_error=self._on_import_failed,
            receiver=self,
        )

    def selected_keys(self) -> list[RateKey]:
        """The rates selected in the table (as the table shows them)."""
        keys = []
        for index in self.table.selectionModel().selectedRows():
            key = self.model.id_at(self.proxy.mapToSource(index).row())
            if key is not None:
                keys.append(key)
        return keys

    def _rate_table(self) -> QTableView:
        """The rates, newest first, sortable, several selectable at once."""
        table = QTableView(self)
        table.setModel(self.proxy)
        table.setSortingEnabled(True)
        table.sortByColumn(0, Qt.SortOrder.DescendingOrder)  # newest first
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setAlternatingRowColors(True)
        table.setShowGrid(False)
        table.verticalHeader().setVisible(False)
        # Room for a quarter's month-end rates of a few currencies without scrolling.
        rows = VISIBLE_RATE_ROWS * table.verticalHeader().defaultSectionSize()
        table.setMinimumHeight(rows + table.horizontalHeader().sizeHint().height() + 4)
        table.horizontalHeader().setStretchLastSection(True)
        table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        table.setColumnWidth(0, table.fontMetrics().horizontalAdvance("30 Dec 2026") + 40)
        table.setAccessibleName("Exchange rates")
        return table

    def show_own_currency(self, own: str) -> None:
        """Name the AM's currency (as typed on General) in the "My currency" choice."""
        self.reporting_currency.setItemText(0, same_as_mine(own))

    # -- slots ----------------------------------------------------------------------------------

    def _on_rates_changed(self, _changes: ChangeSet) -> None:
        self.reload()

    def _on_rates_read(self, found: list[fx.Rate]) -> None:
        self.model.set_rows(found)
        self.stack.setCurrentWidget(self.table if found else self.empty)

    @Slot()
    def _on_import_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            "Import exchange rates",
            str(Path.home()),
            "CSV files and Excel workbooks (*.csv *.xlsx);;All files (*)",
        )
        if name:
            self.import_file(Path(name))

    def _on_imported(self, path: Path, done: object) -> None:
        from am_desktop.services.rates import RatesImported

        self.import_button.setEnabled(True)
        assert isinstance(done, RatesImported)
        self.report.setText(
            f"{path.name}: {done.added:,} {_rates(done.added)} added, "
            f"{done.replaced:,} replaced with a new value, {done.unchanged:,} already recorded."
        )

    def _on_import_failed(self, error: BaseException) -> None:
        self.import_button.setEnabled(True)
        if isinstance(error, ImportRejected):
            self.report.setText(problems_in_words(error))
        elif isinstance(error, AppError):
            self.report.setText(error.user_message)
        else:
            self.report.clear()
            self.context.messages.failure(error)

    @Slot()
    def _on_add_clicked(self) -> None:
        from am_desktop.services import rates

        store = self.context.store
        day = self.new_day.date().toPython()
        assert isinstance(day, date)
        values = (
            day.isoformat(),
            self.new_base.text(),
            self.new_quote.text(),
            self.new_rate.text(),
        )
        shown = f"1 {values[1].strip().upper()} = {values[3].strip()} {values[2].strip().upper()}"

        def added(done: object) -> None:
            replaced = getattr(done, "replaced", 0)
            verb = "replaced the rate of that day" if replaced else "added"
            self.report.setText(f"{shown} on {shown_day(day)}: {verb}.")
            self.new_rate.clear()

        self.context.tasks.submit(
            lambda _p: rates.add_rate(store, *values),
            lane=Lane.WRITE,
            on_done=added,
            on_error=self._on_write_failed,
            receiver=self,
        )

    @Slot()
    def _on_delete_clicked(self) -> None:
        from am_desktop.services import rates

        store, keys = self.context.store, self.selected_keys()
        if not keys:
            return

        def work(_progress: object) -> int:
            return sum(rates.delete_rate(store, *key) for key in keys)

        def deleted(count: int) -> None:
            self.report.setText(f"{count:,} {_rates(count)} deleted.")

        self.context.tasks.submit(
            work, lane=Lane.WRITE, on_done=deleted, on_error=self._on_write_failed, receiver=self
        )

    def _on_write_failed(self, error: BaseException) -> None:
        if isinstance(error, AppError):
            self.report.setText(error.user_message)
        else:
            self.context.messages.failure(error)

    def _on_selection_changed(self) -> None:
        self.delete_button.setEnabled(bool(self.table.selectionModel().selectedRows()))


def _code_field(placeholder: str, tip: str) -> QLineEdit:
    field = QLineEdit()
    field.setPlaceholderText(placeholder)
    field.setToolTip(tip)
    field.setMaxLength(3)
    field.setFixedWidth(field.fontMetrics().horizontalAdvance("WWWW") + 16)
    return field


def _rates(count: int) -> str:
    return "rate" if count == 1 else "rates"


def _concerns_rates(changes: ChangeSet) -> bool:
    return changes.touches(Entity.EXCHANGE_RATE)
