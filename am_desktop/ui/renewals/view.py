"""The Renewals view: the timeline, the upcoming renewals and the quarterly forecast (issue 6).

The forecast and the upcoming total are in the reporting currency, converted as the decks and
the ``renewals`` command do (``forecast_in``, ``in_reporting_currency``: one rate per currency
as of today); a muted line names the rates, and a missing rate's sentence replaces the figures.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import (
    QModelIndex,
    QPointF,
    QRectF,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.domain.dashboard import QuarterForecast, rates_line
from am_desktop.domain.enums import RenewalStage
from am_desktop.domain.fx import Conversion
from am_desktop.domain.money import exponent
from am_desktop.domain.timeline import SPANS, add_months
from am_desktop.errors import ValidationError
from am_desktop.services.files import replacing
from am_desktop.services.renewal_queries import (
    RenewalRow,
    forecast_in,
    in_reporting_currency,
    timeline_rows,
    upcoming,
)
from am_desktop.services.store import Store
from am_desktop.ui import format as fmt
from am_desktop.ui.bus import ChangeFollower
from am_desktop.ui.context import AppContext
from am_desktop.ui.renewals.timeline import (
    AFTER_MONTHS,
    BEFORE_MONTHS,
    RenewalTimeline,
    stage_legend_html,
)
from am_desktop.ui.table_model import (
    RIGHT,
    Column,
    ColumnTableModel,
    Env,
    IdRole,
    SelectionKeeper,
    SortKeyRole,
)
from am_desktop.ui.tasks import Lane

WINDOWS = ((30, "30 days"), (60, "60 days"), (90, "90 days"), (180, "180 days"), (None, "All"))
_SOON = QColor("#d93025")


def _notice_colour(row: RenewalRow, env: Env) -> QColor | None:
    deadline = row.notice_deadline
    return _SOON if deadline is not None and deadline <= env.today + timedelta(days=30) else None


COLUMNS: tuple[Column[RenewalRow, Env], ...] = (
    Column("Account", lambda r, _e: r.account, sort_key=lambda r, _e: r.account.casefold()),
    Column("Contract", lambda r, _e: r.contract, sort_key=lambda r, _e: r.contract.casefold()),
    Column(
        "Ends", lambda r, _e: fmt.day(r.end_date), sort_key=lambda r, _e: r.end_date.toordinal()
    ),
    Column(
        "Notice by",
        lambda r, _e: fmt.day(r.notice_deadline),
        sort_key=lambda r, _e: (r.notice_deadline or r.end_date).toordinal(),
        foreground=_notice_colour,
    ),
    Column(
        "Days left",
        lambda r, e: str(r.days_left(e.today)),
        RIGHT,
        sort_key=lambda r, e: r.days_left(e.today),
    ),
    Column(
        "ARR",
        lambda r, _e: fmt.money(r.arr_cents, r.currency),
        RIGHT,
        sort_key=lambda r, _e: r.arr_cents,
    ),
    Column(
        "Stage",
        lambda r, _e: r.stage.label,
        sort_key=lambda r, _e: list(RenewalStage).index(r.stage),
    ),
    Column(
        "Likelihood", lambda r, _e: f"{r.likelihood}%", RIGHT, sort_key=lambda r, _e: r.likelihood
    ),
    Column(
        "Forecast ARR",
        lambda r, _e: fmt.money(r.forecast_cents, r.currency),
        RIGHT,
        sort_key=lambda r, _e: r.forecast_cents,
    ),
)

FORECAST_COLUMNS: tuple[Column[QuarterForecast, Env], ...] = (
    Column("Quarter", lambda q, _e: q.label),
    Column("Renewals", lambda q, _e: str(q.renewals), RIGHT),
    Column("Total ARR", lambda q, e: fmt.money(q.total_cents, e.currency), RIGHT),
    Column("Weighted", lambda q, e: fmt.money(q.weighted_cents, e.currency), RIGHT),
    Column("Committed", lambda q, e: fmt.money(q.committed_cents, e.currency), RIGHT),
)


class UpcomingModel(ColumnTableModel[RenewalRow, tuple[int, int], Env]):
    """Open renewals, filtered by window and stage (an id is ``(account_id, renewal_id)``)."""

    def __init__(self) -> None:
        super().__init__(COLUMNS, lambda r: (r.account_id, r.renewal_id), Env(date.today()))
        self.all: list[RenewalRow] = []
        self.currency = "USD"
        self.window: int | None = 90
        self.stage: RenewalStage | None = None

    def set_rows(
        self,
        rows: Sequence[RenewalRow],
        today: date | None = None,
        *,
        more: Callable[[int], Sequence[RenewalRow]] | None = None,
        page_size: int = 0,
    ) -> None:
        """Hold every open renewal (as of ``today``); show those the filter keeps."""
        self.all = list(rows)
        if today is not None:
            self.set_env(Env(today))
        self._filter(more, page_size)

    def set_filter(self, window: int | None, stage: RenewalStage | None) -> None:
        """Show the renewals ending within ``window`` days (None: any) at ``stage``."""
        self.window, self.stage = window, stage
        self._filter()

    def _filter(
        self, more: Callable[[int], Sequence[RenewalRow]] | None = None, page_size: int = 0
    ) -> None:
        today = self.env.today
        kept = [
            r
            for r in self.all
            if (self.window is None or r.days_left(today) <= self.window)
            and (self.stage is None or r.stage is self.stage)
        ]
        super().set_rows(kept, more=more, page_size=page_size)


class ForecastChart(QWidget):
    """Bars per quarter: total, weighted and committed ARR renewing."""

    SERIES = (("Total", "#9aa5b1"), ("Weighted", "#4f86c6"), ("Committed", "#3a9a5b"))

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.quarters: list[QuarterForecast] = []
        self.setMinimumHeight(150)

    def set_quarters(self, quarters: list[QuarterForecast]) -> None:
        self.quarters = quarters
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        width, height = float(self.width()), float(self.height())
        top, bottom = 22.0, height - 22.0
        highest = max((q.total_cents for q in self.quarters), default=0) or 1
        slot = (width - 20) / max(1, len(self.quarters))
        bar = min(22.0, slot / 4)
        for index, (label, colour) in enumerate(self.SERIES):
            painter.fillRect(QRectF(10 + index * 90, 6, 10, 10), QColor(colour))
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            painter.drawText(QPointF(24 + index * 90, 15), label)
        for index, quarter in enumerate(self.quarters):
            left = 10 + index * slot + (slot - 3 * bar) / 2
            values = (quarter.total_cents, quarter.weighted_cents, quarter.committed_cents)
            for series, (value, (_label, colour)) in enumerate(
                zip(values, self.SERIES, strict=True)
            ):
                h = (bottom - top) * value / highest
                painter.fillRect(
                    QRectF(left + series * bar, bottom - h, bar - 2, h), QColor(colour)
                )
            painter.setPen(palette.color(QPalette.ColorRole.Text))
            painter.drawText(
                QRectF(10 + index * slot, bottom + 2, slot, 18),
                Qt.AlignmentFlag.AlignCenter,
                quarter.label,
            )
        painter.end()


#: What the timeline, the upcoming list and the forecast are read from.
RENEWALS_SHOW = (
    Entity.ACCOUNT,
    Entity.CONTRACT,
    Entity.RENEWAL,
    Entity.LEDGER_MOVEMENT,
    Entity.EXCHANGE_RATE,
)


class RenewalsView(QWidget):
    """The timeline above, upcoming renewals and the forecast below.

    Signals:
        renewal_activated(account_id, renewal_id): open this renewal.
    """

    renewal_activated = Signal(int, int)

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.follower = ChangeFollower(
            self, context.data, lambda c: c.touches(*RENEWALS_SHOW), self._on_changes
        )
        self.timeline = RenewalTimeline(self, context.today())
        self.spans = QButtonGroup(self)
        self.group = QComboBox(self)
        for key, label in (("none", "No grouping"), ("tier", "By tier"), ("owner", "By owner")):
            self.group.addItem(label, key)
        self.today_button = QPushButton("Today", self)
        self.today_button.setToolTip("Back to today (Home)")
        self.window_filter = QComboBox(self)
        for days, label in WINDOWS:
            self.window_filter.addItem(f"Ending within {label}" if days else "All upcoming", days)
        self.window_filter.setCurrentIndex(2)
        self.stage = QComboBox(self)
        self.stage.addItem("Any stage", None)
        for stage in RenewalStage:
            if not stage.is_closed:
                self.stage.addItem(stage.label, stage.value)
        self.model = UpcomingModel()
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SortKeyRole)
        self.table = QTableView(self)
        self.forecast_model = ColumnTableModel(
            FORECAST_COLUMNS, lambda q: q.label, Env(date.today())
        )
        self.forecast_table = QTableView(self)
        self.chart = ForecastChart(self)
        self.export_button = QPushButton("Export forecast CSV…", self)
        self.summary = QLabel(self)
        self.summary.setObjectName("muted")
        self.rates = QLabel(self)
        self.rates.setObjectName("muted")
        self.rates.setWordWrap(True)
        self.rates.hide()
        self.quarters: list[QuarterForecast] = []
        #: The upcoming renewals' conversion into the reporting currency (None: a rate is
        #: missing, and ``problem`` says which).
        self.conversion: Conversion | None = None
        self.problem = ""
        self._build()
        self._connect_signals()

    def _build(self) -> None:
        self.table.setModel(self.proxy)
        self.table.setTabKeyNavigation(False)  # Tab leaves the tables
        self.forecast_table.setTabKeyNavigation(False)
        self.keeper = SelectionKeeper(self.table, self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(2, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        for column, width in enumerate((180, 170, 95, 95, 75, 95, 95, 80, 100)):
            self.table.setColumnWidth(column, width)
        self.forecast_table.setModel(self.forecast_model)
        self.forecast_table.verticalHeader().hide()
        self.forecast_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self._timeline_with_legend())
        split.addWidget(self._lower())
        split.setSizes([330, 300])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 8, 10, 8)
        layout.addLayout(self._toolbar())
        layout.addWidget(split, 1)

    def _timeline_with_legend(self) -> QWidget:
        """The timeline, and under it what each bar colour means."""
        box = QWidget(self)
        self.stage_legend = QLabel(stage_legend_html(), box)
        self.stage_legend.setObjectName("muted")
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.timeline, 1)
        layout.addWidget(self.stage_legend)
        return box

    def _toolbar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        for months in SPANS:
            button = QPushButton(f"{months} months", self)
            button.setCheckable(True)
            button.setChecked(months == 12)
            self.spans.addButton(button, months)
            bar.addWidget(button)
        bar.addWidget(self.today_button)
        bar.addWidget(self.group)
        bar.addStretch(1)
        legend = QLabel(
            "<span style='color:#d93025'>|</span> today · shaded: 90 / 60 / 30 days · "
            "● renewal · ◆ notice deadline · red outline: likelihood under 50%",
            self,
        )
        legend.setObjectName("muted")
        bar.addWidget(legend)
        return bar

    def _lower(self) -> QSplitter:
        upcoming_box = QWidget(self)
        upcoming_layout = QVBoxLayout(upcoming_box)
        upcoming_layout.setContentsMargins(0, 0, 0, 0)
        filters = QHBoxLayout()
        title = QLabel("Upcoming renewals", self)
        title.setObjectName("sectionTitle")
        filters.addWidget(title)
        filters.addWidget(self.window_filter)
        filters.addWidget(self.stage)
        filters.addStretch(1)
        filters.addWidget(self.summary)
        upcoming_layout.addLayout(filters)
        upcoming_layout.addWidget(self.table)
        forecast_box = QWidget(self)
        forecast_layout = QVBoxLayout(forecast_box)
        forecast_layout.setContentsMargins(0, 0, 0, 0)
        heading = QHBoxLayout()
        forecast_title = QLabel("Forecast by quarter", self)
        forecast_title.setObjectName("sectionTitle")
        heading.addWidget(forecast_title)
        heading.addStretch(1)
        heading.addWidget(self.export_button)
        forecast_layout.addLayout(heading)
        forecast_layout.addWidget(self.chart)
        forecast_layout.addWidget(self.forecast_table)
        forecast_layout.addWidget(self.rates)
        below = QSplitter(Qt.Orientation.Horizontal, self)
        below.addWidget(upcoming_box)
        below.addWidget(forecast_box)
        below.setSizes([760, 380])
        return below

    def _connect_signals(self) -> None:
        self.spans.idClicked.connect(self.timeline.set_span)
        self.today_button.clicked.connect(self.timeline.go_to_today)
        self.group.currentIndexChanged.connect(
            lambda _i: self.timeline.set_group_by(self.group.currentData())
        )
        self.window_filter.currentIndexChanged.connect(self._on_filter_changed)
        self.stage.currentIndexChanged.connect(self._on_filter_changed)
        self.timeline.renewal_activated.connect(self.renewal_activated)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.export_button.clicked.connect(self._on_export_clicked)

    # ------------------------------------------------------------------------------ data

    def _on_changes(self, _changes: ChangeSet) -> None:
        self.refresh()

    def refresh(self) -> None:
        """Read the contracts, the upcoming renewals and the forecast (READ lane)."""
        store, today = self.context.store, self.context.today()
        first, last = add_months(today, -BEFORE_MONTHS), add_months(today, AFTER_MONTHS)
        currency = self.context.settings.prefs.reporting_currency_or_default
        self.context.tasks.submit(
            lambda _p: read_renewals(store, today, first, last, currency),
            lane=Lane.READ,
            receiver=self,
            on_done=lambda loaded: self._on_loaded(today, *loaded),
            supersede=(self, "renewals"),
        )

    def on_shown(self) -> None:
        """The Renewals view was brought forward: read again (dates move on)."""
        self.refresh()

    def _on_loaded(
        self,
        today: date,
        rows: list[RenewalRow],
        coming: list[RenewalRow],
        converted: tuple[list[QuarterForecast], Conversion, Conversion] | str,
    ) -> None:
        self.timeline.set_rows(rows, today)
        self.model.currency = self.context.settings.prefs.currency
        self.model.set_rows(coming, today)
        if isinstance(converted, str):  # a missing rate: said in place of the figures
            quarters: list[QuarterForecast] = []
            self.conversion, self.problem, line = None, converted, converted
        else:
            quarters, forecast_rates, self.conversion = converted
            self.problem, line = "", rates_line(forecast_rates, self.conversion)
            self.forecast_model.set_env(Env(today, forecast_rates.target))
        self._show_summary()
        self.quarters = quarters
        self.chart.set_quarters(quarters)
        self.forecast_model.set_rows(quarters)
        self.rates.setText(line)
        self.rates.setVisible(bool(line))

    def _show_summary(self) -> None:
        rows = self.model.rows
        counted = f"{len(rows)} renewal{'s' if len(rows) != 1 else ''}"
        conversion = self.conversion
        if conversion is None:
            self.summary.setText(counted)
            return
        total = sum(conversion.convert(r.arr_cents, r.currency) for r in rows)
        weighted = sum(conversion.convert(r.forecast_cents, r.currency) for r in rows)
        self.summary.setText(
            f"{counted} · {fmt.money(total, conversion.target)} ARR · "
            f"{fmt.money(weighted, conversion.target)} weighted"
        )

    @Slot()
    def _on_filter_changed(self) -> None:
        stage = self.stage.currentData()
        self.model.set_filter(
            self.window_filter.currentData(), RenewalStage(stage) if stage else None
        )
        self._show_summary()

    @Slot(QModelIndex)
    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        account_id, renewal_id = self.proxy.data(index, IdRole)
        self.renewal_activated.emit(account_id, renewal_id)

    @Slot()
    def _on_export_clicked(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "Export forecast", str(Path.home() / "renewal forecast.csv"), "CSV (*.csv)"
        )
        if path:
            self.export_forecast(Path(path))

    def export_forecast(self, path: Path) -> None:
        """Write the forecast table as CSV (in the background)."""
        quarters, currency = list(self.quarters), self.forecast_model.env.currency
        self.context.tasks.submit(
            lambda _p: write_forecast_csv(quarters, path, currency),
            lane=Lane.NET,
            receiver=self,
            on_done=lambda _r: self.context.messages.info(f"Forecast saved to {path}."),
        )


def read_renewals(
    store: Store, today: date, first: date, last: date, currency: str
) -> tuple[
    list[RenewalRow],
    list[RenewalRow],
    tuple[list[QuarterForecast], Conversion, Conversion] | str,
]:
    """The timeline's rows, the upcoming renewals, and the forecast with the conversions of
    both into ``currency`` (or the sentence of the missing rate, never a rate of 1)."""
    coming = upcoming(store, today)
    try:
        quarters, forecast_rates = forecast_in(store, today, currency=currency)
        converted: tuple[list[QuarterForecast], Conversion, Conversion] | str = (
            quarters,
            forecast_rates,
            in_reporting_currency(store, coming, currency, today),
        )
    except ValidationError as error:
        converted = error.user_message
    return timeline_rows(store, first, last), coming, converted


def write_forecast_csv(quarters: list[QuarterForecast], path: Path, currency: str = "USD") -> Path:
    """The forecast as CSV: quarter, dates, renewals, total, weighted and committed ARR, in
    ``currency`` (the reporting one, named on every row) with its own decimals."""
    places = exponent(currency)

    def amount(minor: int) -> str:
        return f"{Decimal(minor).scaleb(-places):.{places}f}"

    with replacing(path) as temporary, temporary.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "quarter",
                "start",
                "end",
                "renewals",
                "total_arr",
                "weighted_arr",
                "committed_arr",
                "currency",
            ]
        )
        for q in quarters:
            writer.writerow(
                [
                    q.label,
                    q.start.isoformat(),
                    q.end.isoformat(),
                    q.renewals,
                    amount(q.total_cents),
                    amount(q.weighted_cents),
                    amount(q.committed_cents),
                    currency,
                ]
            )
    return path
