"""The Dashboard's data (issue 7): what depends on the chosen period (the KPIs and ARR by
month) apart from what does not (the renewal forecast, the health bands, the accounts at
risk), so a period change reads and redraws only the first. The read models live in
:mod:`am_desktop.domain.dashboard`, where the screen, the exports and the charts take them."""

from __future__ import annotations

from datetime import date

from am_desktop.domain.dashboard import AtRisk, PeriodData, StandingData
from am_desktop.services.health import LATEST_SNAPSHOT
from am_desktop.services.kpis import period_figures
from am_desktop.services.renewal_queries import forecast
from am_desktop.services.store import Store


def period_data(store: Store, start: date, end: date, *, gross_margin: float = 0.80) -> PeriodData:
    """The KPIs and ARR by month of ``start``…``end``."""
    kpis, ledger = period_figures(store, start, end, gross_margin=gross_margin)
    return PeriodData(kpis, ledger.arr_by_month())


def standing_data(store: Store, today: date) -> StandingData:
    """The renewal forecast from ``today`` and the latest health score of every account."""
    with store.raw() as connection:
        latest = connection.execute(
            "SELECT a.id, a.name, h.band, h.score, coalesce(s.arr_cents, 0) FROM account a "
            f"JOIN health_snapshot h ON h.id = {LATEST_SNAPSHOT.format(when='')} "
            "LEFT JOIN account_summary s ON s.account_id = a.id WHERE a.archived_at IS NULL"
        ).fetchall()
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
    return StandingData(tuple(forecast(store, today)), bands, tuple(at_risk))
