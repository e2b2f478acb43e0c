"""The Dashboard's data for a period: the KPIs, ARR by month, the renewal forecast, the health
distribution and the accounts at risk (issue 7). Plain data, for the screen and the exports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from am_desktop.domain.kpis import Kpis
from am_desktop.domain.timeline import add_months
from am_desktop.services.kpis import period_kpis
from am_desktop.services.renewal_queries import QuarterForecast, forecast
from am_desktop.services.store import Store


@dataclass(frozen=True, slots=True)
class AtRisk:
    """An account in the at-risk band, with its ARR."""

    account_id: int
    name: str
    score: float
    arr_cents: int


@dataclass(frozen=True, slots=True)
class DashboardData:
    """Everything the Dashboard shows for one period."""

    kpis: Kpis
    arr_by_month: tuple[tuple[date, int], ...]
    forecast: tuple[QuarterForecast, ...]
    bands: dict[str, int]
    at_risk: tuple[AtRisk, ...]

    @property
    def arr_at_risk_cents(self) -> int:
        """The ARR of the accounts in the at-risk band."""
        return sum(a.arr_cents for a in self.at_risk)


def month_ends(start: date, end: date) -> list[date]:
    """The last day of each month from ``start``'s to ``end``'s (``end`` itself for the last)."""
    ends: list[date] = []
    first = date(start.year, start.month, 1)
    while first <= end:
        last = add_months(first, 1) - timedelta(days=1)
        ends.append(min(last, end))
        first = add_months(first, 1)
    return ends


def dashboard(
    store: Store, start: date, end: date, today: date, *, gross_margin: float = 0.80
) -> DashboardData:
    """The Dashboard's figures for ``start``…``end``."""
    kpis = period_kpis(store, start, end, gross_margin=gross_margin)
    points = month_ends(start, end)
    with store.raw() as connection:
        # ARR at each month's end, from the ledger's signed amounts summed by day (one pass).
        by_day = connection.execute(
            "SELECT occurred_on, sum(CASE WHEN type IN ('contraction', 'churn') THEN "
            "-amount_cents ELSE amount_cents END) FROM arr_movement WHERE archived_at IS NULL "
            "AND occurred_on <= ? GROUP BY occurred_on ORDER BY occurred_on",
            (end.isoformat(),),
        ).fetchall()
        latest = connection.execute(
            "SELECT h.account_id, a.name, h.band, h.score, coalesce(s.arr_cents, 0) "
            "FROM (SELECT account_id, band, score, max(computed_at) FROM health_snapshot "
            "GROUP BY account_id) h JOIN account a ON a.id = h.account_id "
            "LEFT JOIN account_summary s ON s.account_id = a.id WHERE a.archived_at IS NULL"
        ).fetchall()
    series: list[tuple[date, int]] = []
    running, index = 0, 0
    for point in points:
        while index < len(by_day) and by_day[index][0] <= point.isoformat():
            running += int(by_day[index][1])
            index += 1
        series.append((point, running))
    bands = {"healthy": 0, "watch": 0, "at_risk": 0}
    for _account, _name, band, _score, _arr in latest:
        bands[band] = bands.get(band, 0) + 1
    at_risk = sorted(
        (
            AtRisk(a, name, float(s), int(arr))
            for a, name, band, s, arr in latest
            if band == "at_risk"
        ),
        key=lambda r: -r.arr_cents,
    )
    return DashboardData(kpis, tuple(series), tuple(forecast(store, today)), bands, tuple(at_risk))
