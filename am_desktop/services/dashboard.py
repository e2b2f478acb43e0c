"""The Dashboard's data (issue 7): what depends on the chosen period (the KPIs and ARR by
month) apart from what does not (the renewal forecast, the health bands, the accounts at
risk), so a period change reads and redraws only the first. The read models live in
:mod:`am_desktop.domain.dashboard`, where the screen, the exports and the charts take them.

Every amount is in the reporting currency (issue 20), converted by the same functions as the
``kpis`` command (:func:`period_figures`, rates as of the period's last day) and the forecast
(:func:`forecast_in`, rates as of today); a missing rate raises the ``ValidationError`` they
raise, whose sentence the screen shows in place of the figures.
"""

from __future__ import annotations

from datetime import date

from am_desktop.domain import fx
from am_desktop.domain.dashboard import AtRisk, PeriodData, StandingData
from am_desktop.services.health import LATEST_SNAPSHOT
from am_desktop.services.kpis import period_figures
from am_desktop.services.rates import missing_rate_error, rate_book_in
from am_desktop.services.renewal_queries import forecast_in
from am_desktop.services.store import Store

#: Each at-risk account's ARR today, per currency (contraction and churn take away).
_AT_RISK_ARR = (
    "SELECT account_id, currency, sum(CASE WHEN type IN ('contraction', 'churn') "
    "THEN -amount_cents ELSE amount_cents END) FROM arr_movement "
    "WHERE archived_at IS NULL AND occurred_on <= ? AND account_id IN ({ids}) "
    "GROUP BY account_id, currency"
)


def period_data(
    store: Store, start: date, end: date, *, gross_margin: float = 0.80, currency: str = "USD"
) -> PeriodData:
    """The KPIs and ARR by month of ``start``…``end``, in ``currency``.

    Raises:
        ValidationError: an amount's currency has no rate on or before ``end``.
    """
    kpis, ledger = period_figures(store, start, end, gross_margin=gross_margin, currency=currency)
    return PeriodData(kpis, ledger.arr_by_month())


def standing_data(store: Store, today: date, *, currency: str = "USD") -> StandingData:
    """The renewal forecast from ``today`` and the latest health score of every account, the
    ARR at risk converted at the forecast's rates (one per currency, as of ``today``).

    Raises:
        ValidationError: a contract's or an at-risk account's currency has no rate.
    """
    quarters, forecast_rates = forecast_in(store, today, currency=currency)
    with store.raw() as connection:
        latest = connection.execute(
            "SELECT a.id, a.name, h.band, h.score FROM account a "
            f"JOIN health_snapshot h ON h.id = {LATEST_SNAPSHOT.format(when='')} "
            "WHERE a.archived_at IS NULL"
        ).fetchall()
        risky = [int(row[0]) for row in latest if row[2] == "at_risk"]
        amounts = connection.execute(
            _AT_RISK_ARR.format(ids=",".join("?" * len(risky))), (today.isoformat(), *risky)
        ).fetchall()
        try:
            rates = fx.conversion(
                rate_book_in(connection),
                {*forecast_rates.used, *(str(code) for _a, code, _arr in amounts)},
                currency,
                today,
            )
        except fx.MissingRate as error:
            raise missing_rate_error(error) from error
    arr: dict[int, int] = {}
    for account, code, cents in amounts:
        arr[account] = arr.get(account, 0) + rates.convert(int(cents), str(code))
    bands = {"healthy": 0, "watch": 0, "at_risk": 0}
    for _account, _name, band, _score in latest:
        bands[band] = bands.get(band, 0) + 1
    at_risk = sorted(
        (
            AtRisk(a, name, float(s), arr.get(a, 0))
            for a, name, band, s in latest
            if band == "at_risk"
        ),
        key=lambda r: -r.arr_cents,
    )
    return StandingData(tuple(quarters), bands, tuple(at_risk), rates)
