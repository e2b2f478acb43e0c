"""The Dashboard: KPI tiles for a period and the charts behind them (issue 7).

The figures are built on a worker from plain data (``charts.kpi``, never pyplot) and shown in
matplotlib's Qt canvas on the GUI thread, so a period change never freezes the window.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QDate, Qt, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
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

from am_desktop.domain.kpis import default_period
from am_desktop.domain.timeline import add_months
from am_desktop.ui import format as fmt
from am_desktop.ui.context import AppContext
from am_desktop.ui.tasks import Lane

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


def build_figures(data: Any, subtitle: str) -> list[Any]:
    """The Dashboard's five figures (runs on a worker: Figures, not canvases)."""
    from am_desktop.charts import kpi

    return [
        kpi.arr_bridge(data.kpis, subtitle),
        kpi.arr_by_month(data.arr_by_month, subtitle),
        kpi.renewal_forecast(data.forecast, "ARR renewing per quarter"),
        kpi.health_distribution(data.bands, "Accounts by band, latest scores"),
        kpi.accounts_at_risk(data.at_risk, "Largest by ARR"),
    ]


def copy_chart(canvas: QWidget) -> None:
    """Put a chart on the clipboard as an image (for slides and mails)."""
    QApplication.clipboard().setImage(canvas.grab().toImage())


class DashboardView(QWidget):
    """KPI tiles and charts for a chosen period."""

    def __init__(self, context: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self.data: Any = None
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
        self.tiles: dict[str, QLabel] = {}
        self.canvases: list[QWidget] = []
        self.chart_grid = QGridLayout()
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
        layout.addLayout(self.chart_grid)
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
        self.refresh()

    @Slot()
    def _on_custom_changed(self) -> None:
        if self.period.currentData() == "custom":
            self.refresh()

    def refresh(self) -> None:
        """Read the period's figures and draw the charts (on a worker)."""
        start, end = self.dates()
        if end < start:
            self.status.setText("The period ends before it starts: choose the dates again.")
            return
        store, today = self.context.store, self.context.today()
        margin = float(self.context.settings.preference("gross_margin"))
        subtitle = f"{fmt.day(start)} to {fmt.day(end)}"

        def work(_progress: object) -> Any:
            from am_desktop.services.dashboard import dashboard

            data = dashboard(store, start, end, today, gross_margin=margin)
            return data, build_figures(data, subtitle)

        self.status.setText("Working out the figures…")
        self.context.tasks.submit(work, lane=Lane.READ, on_done=self._on_loaded)

    def _on_loaded(self, loaded: Any) -> None:
        from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

        data, figures = loaded
        self.data = data
        kpis = data.kpis
        currency = self.context.settings.preference("currency")

        def ratio(value: float | None) -> str:
            return "—" if value is None else f"{value * 100:.0f} %"

        shown = {
            "arr": fmt.money(kpis.ending_arr, currency, compact=True),
            "nrr": ratio(kpis.nrr),
            "grr": ratio(kpis.grr),
            "logos": ratio(kpis.logo_retention),
            "expansion": fmt.money(kpis.expansion, currency, compact=True),
            "nps": "—" if kpis.nps is None else f"{kpis.nps:.0f}",
            "csat": "—" if kpis.csat is None else f"{kpis.csat:.0f}",
            "at_risk": fmt.money(data.arr_at_risk_cents, currency, compact=True),
        }
        for key, text in shown.items():
            self.tiles[key].setText(text)
        for canvas in self.canvases:
            self.chart_grid.removeWidget(canvas)
            canvas.deleteLater()
        self.canvases = []
        for index, figure in enumerate(figures):
            canvas = FigureCanvasQTAgg(figure)  # type: ignore[no-untyped-call]
            canvas.setMinimumHeight(300)
            canvas.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            copy = QAction("Copy chart", canvas)
            copy.triggered.connect(lambda _c=False, c=canvas: copy_chart(c))
            canvas.addAction(copy)
            canvas.setToolTip("Right-click to copy the chart")
            self.chart_grid.addWidget(canvas, index // 2, index % 2)
            self.canvases.append(canvas)
        self.status.setText(
            f"{fmt.day(kpis.start)} to {fmt.day(kpis.end)} · {kpis.accounts_at_start} accounts "
            f"at the start, {kpis.accounts_at_end} at the end"
        )
