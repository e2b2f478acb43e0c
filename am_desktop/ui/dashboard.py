"""The Dashboard: KPI tiles for a period and the charts behind them (issue 7).

The figures are built and drawn on a worker from plain data (``charts.kpi``, never pyplot, the
same functions as the exports) and shown as images, so a period change never freezes the window.
Amounts are in the reporting currency, converted as the ``kpis`` command and the forecast do
(``services.dashboard``); a muted line under the tiles names the rates, and a missing rate's
sentence stands in place of the figures (a rate is never taken as 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.domain.dashboard import rates_line
from am_desktop.domain.formatting import NO_DATA, percent, score
from am_desktop.domain.kpis import default_period
from am_desktop.domain.timeline import add_months
from am_desktop.domain.values import counted
from am_desktop.errors import ValidationError
from am_desktop.ui import format as fmt
from am_desktop.ui.bus import ChangeFollower
from am_desktop.ui.chart_view import ChartView, FigureFactory
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane

if TYPE_CHECKING:
    from am_desktop.domain.dashboard import PeriodData, StandingData

PERIODS = (
    ("trailing", "Trailing 12 months"),
    ("quarter", "This quarter"),
    ("last_quarter", "Last quarter"),
    ("year", "This year"),
    ("last_year", "Last year"),
    ("custom", "Custom…"),
)
TILES = (
    ("arr", "Ending ARR"),
    ("nrr", "NRR"),
    ("grr", "GRR"),
    ("logos", "Logo retention"),
    ("expansion", "Expansion"),
    ("nps", "NPS"),
    ("csat", "CSAT"),
    ("at_risk", "ARR at risk"),
)


def period_of(key: str, today: date) -> tuple[date, date]:
    """The days a named period covers (custom: the trailing twelve months to start from)."""
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    if key == "quarter":
        return quarter_start, today
    if key == "last_quarter":
        start = add_months(quarter_start, -3)
        return start, quarter_start - timedelta(days=1)
    if key == "year":
        return date(today.year, 1, 1), today
    if key == "last_year":
        return date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)
    return default_period(today)


def period_charts(data: PeriodData, subtitle: str, currency: str) -> list[FigureFactory]:
    """The charts that follow the period: the ARR bridge and ARR by month."""
    from am_desktop.charts import kpi

    return [
        partial(kpi.arr_bridge, data.kpis.bridge, subtitle, currency=currency),
        partial(kpi.arr_by_month, data.arr_by_month, subtitle, currency=currency),
    ]


def standing_charts(data: StandingData, currency: str) -> list[FigureFactory]:
    """The charts of today: the renewal forecast, health bands and accounts at risk."""
    from am_desktop.charts import kpi

    return [
        partial(kpi.renewal_forecast, data.forecast, "ARR renewing per quarter", currency=currency),
        partial(kpi.health_distribution, data.bands, "Accounts by band, latest scores"),
        partial(kpi.accounts_at_risk, data.at_risk, "Largest by ARR", currency=currency),
    ]


#: What the dashboard's figures are read from.
DASHBOARD_SHOWS = (
    Entity.ACCOUNT,
    Entity.CONTRACT,
    Entity.RENEWAL,
    Entity.LEDGER_MOVEMENT,
    Entity.OPPORTUNITY,
    Entity.HEALTH_SNAPSHOT,
    Entity.SURVEY,
    Entity.EXCHANGE_RATE,
)


class DashboardView(QWidget):
    """KPI tiles and charts for a chosen period.

    A period change reads and redraws only what follows the period (the KPIs, the bridge, ARR by
    month); the forecast, the health bands and the accounts at risk are read again on
    :meth:`refresh` (when the data changes). The charts are drawn on the worker that read their
    data, at the size they have on screen, so the GUI thread only shows images.
    """

    #: The newest figures and charts are on screen.
    updated = Signal()

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.period_figures: PeriodData | None = None
        self.standing: StandingData | None = None
        self._reading = False  # a read was asked for and its answer has not arrived yet
        self._standing_due = True  # today's figures must be read again (kept if superseded)
        #: Periods read since the data last changed: (start, end, margin, currency) -> figures.
        self._periods: dict[tuple[date, date, float, str], PeriodData] = {}
        #: Why the figures cannot be shown (a missing exchange rate), else empty.
        self.problem = ""
        self.period = QComboBox(self)
        for key, label in PERIODS:
            self.period.addItem(label, key)
        self.start = QDateEdit(self)
        self.end = QDateEdit(self)
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("d MMM yyyy")
        self.status = QLabel(self)
        self.status.setObjectName("muted")
        self.rates = QLabel(self)
        self.rates.setObjectName("muted")
        self.rates.setWordWrap(True)
        self.rates.hide()
        self.tiles: dict[str, QLabel] = {}
        self.charts = [ChartView(context.tasks, self) for _ in range(5)]
        self.follower = ChangeFollower(
            self, context.data, lambda c: c.touches(*DASHBOARD_SHOWS), self._on_changes
        )
        self._build()
        self._set_dates(*period_of("trailing", context.today()))
        self.period.currentIndexChanged.connect(self._on_period_changed)
        self.start.dateChanged.connect(self._on_custom_changed)
        self.end.dateChanged.connect(self._on_custom_changed)

    def _build(self) -> None:
        bar = QHBoxLayout()
        title = QLabel("Dashboard", self)
        title.setObjectName("viewTitle")
        bar.addWidget(title)
        bar.addStretch(1)
        bar.addWidget(self.period)
        bar.addWidget(self.start)
        bar.addWidget(QLabel("to", self))
        bar.addWidget(self.end)
        tiles = QGridLayout()
        for index, (key, label) in enumerate(TILES):
            frame = QFrame(self)
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            inner = QVBoxLayout(frame)
            caption = QLabel(label, frame)
            caption.setObjectName("muted")
            value = QLabel("—", frame)
            value.setObjectName("figure")
            inner.addWidget(caption)
            inner.addWidget(value)
            tiles.addWidget(frame, index // 4, index % 4)
            self.tiles[key] = value
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(18, 12, 18, 12)
        layout.addLayout(bar)
        layout.addWidget(self.status)
        layout.addLayout(tiles)
        layout.addWidget(self.rates)
        charts = QGridLayout()
        for index, chart in enumerate(self.charts):
            charts.addWidget(chart, index // 2, index % 2)
        layout.addLayout(charts)
        layout.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)

    def _set_dates(self, start: date, end: date) -> None:
        for edit, day in ((self.start, start), (self.end, end)):
            edit.blockSignals(True)
            edit.setDate(QDate(day.year, day.month, day.day))
            edit.blockSignals(False)
        custom = self.period.currentData() == "custom"
        self.start.setEnabled(custom)
        self.end.setEnabled(custom)

    def dates(self) -> tuple[date, date]:
        """The period shown."""
        start, end = self.start.date().toPython(), self.end.date().toPython()
        assert isinstance(start, date) and isinstance(end, date)
        return start, end

    @Slot()
    def _on_period_changed(self) -> None:
        key = self.period.currentData()
        if key != "custom":
            self._set_dates(*period_of(key, self.context.today()))
        else:
            self._set_dates(*self.dates())
        self.refresh(standing=False)

    @Slot()
    def _on_custom_changed(self) -> None:
        if self.period.currentData() == "custom":
            self.refresh(standing=False)

    def ready(self) -> bool:
        """Whether the newest figures and every chart are on screen."""
        return not self._reading and (bool(self.problem) or all(c.current for c in self.charts))

    def _on_changes(self, _changes: ChangeSet) -> None:
        self._periods.clear()  # every period may read differently now
        self.refresh()

    def refresh(self, *, standing: bool = True) -> None:
        """Read the period's figures (and, with ``standing``, today's), show the tiles, then
        draw each chart on its own (the first shows while the others are being drawn).

        A period read before (and not changed since, see :meth:`_on_changes`) shows at once.
        """
        start, end = self.dates()
        if end < start:
            self.status.setText("The period ends before it starts: choose the dates again.")
            return
        store, today = self.context.store, self.context.today()
        margin = self.context.settings.prefs.gross_margin
        currency = self.context.settings.prefs.reporting_currency_or_default
        standing = self._standing_due = standing or self._standing_due
        cached = self._periods.get((start, end, margin, currency))  # still answered through
        # the runner, so it supersedes (and is superseded by) the reads in flight like any other

        def work(_progress: object) -> Loaded | str:
            from am_desktop.services.dashboard import period_data, standing_data

            try:
                period = cached or period_data(
                    store, start, end, gross_margin=margin, currency=currency
                )
                return Loaded(
                    period, standing_data(store, today, currency=currency) if standing else None
                )
            except ValidationError as error:  # a missing rate: said, never taken as 1
                return error.user_message

        self.status.setText("Working out the figures…")
        self._reading = True
        self.context.tasks.submit(
            work,
            lane=Lane.READ,
            receiver=self,
            on_done=self._on_loaded,
            supersede=(self, "figures"),  # a period chosen since wins over this one
        )

    on_shown = refresh  # the window's view registry: read again each time it is shown

    def _on_loaded(self, loaded: Loaded | str) -> None:
        self._reading = False
        if isinstance(loaded, str):
            self._show_problem(loaded)
            return
        self.problem = ""
        for chart in self.charts:
            chart.show()
        self.period_figures = kpis_data = loaded.period
        kpis = kpis_data.kpis
        margin = self.context.settings.prefs.gross_margin
        currency = kpis.currency
        self._periods[(kpis.start, kpis.end, margin, currency)] = kpis_data
        if loaded.standing is not None:
            self.standing, self._standing_due = loaded.standing, False
        assert self.standing is not None

        bridge = kpis.bridge
        standing = self.standing

        def amount(cents: int, known: bool) -> str:
            return fmt.money(cents, currency, compact=True) if known else NO_DATA

        scored = any(standing.bands.values())  # no score at all: "at risk" is not known
        shown = {
            "arr": amount(bridge.ending, bridge.has_data),
            "nrr": percent(kpis.nrr, 0),
            "grr": percent(kpis.grr, 0),
            "logos": percent(kpis.logo_retention, 0),
            "expansion": amount(bridge.expansion, bridge.has_data),
            "nps": score(kpis.nps),
            "csat": score(kpis.csat),
            "at_risk": amount(standing.arr_at_risk_cents, scored),
        }
        for key, text in shown.items():
            self.tiles[key].setText(text)
        line = rates_line(kpis.conversion, standing.conversion)
        self.rates.setText(line)
        self.rates.setVisible(bool(line))
        self.tiles["expansion"].setToolTip(
            "Every account's expansion in the period, as in the ARR bridge. NRR counts only "
            "the accounts that had ARR when the period began: "
            f"{fmt.money(kpis.expansion, currency)} of expansion and reactivation."
        )
        subtitle = f"{fmt.day(kpis.start)} to {fmt.day(kpis.end)}"
        factories = period_charts(kpis_data, subtitle, currency)
        if loaded.standing is not None:
            factories += standing_charts(loaded.standing, currency)
        for chart, factory in zip(self.charts, factories, strict=False):
            chart.show_chart(factory)  # each drawn on a worker, shown as it arrives
        self.status.setText(
            f"{fmt.day(kpis.start)} to {fmt.day(kpis.end)} · "
            f"{counted(kpis.accounts_at_start, 'account')} at the start, "
            f"{kpis.accounts_at_end:,} at the end"
        )
        self.updated.emit()

    def _show_problem(self, sentence: str) -> None:
        """A figure needs a rate that is missing: the sentence stands in place of them all."""
        self.problem = sentence
        self._standing_due = True  # read today's figures again once the rate is there
        for tile in self.tiles.values():
            tile.setText(NO_DATA)
        for chart in self.charts:
            chart.hide()
        self.rates.setText(sentence)
        self.rates.show()
        self.status.setText("The figures cannot be converted into the reporting currency.")
        self.updated.emit()


@dataclass(frozen=True, slots=True)
class Loaded:
    """What a worker read for the Dashboard (the charts are drawn apart, each on its own)."""

    period: PeriodData
    standing: StandingData | None
