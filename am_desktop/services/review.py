"""The data of a business review (QBR) for one account or the whole portfolio over a period
(issue 7): KPIs, ARR history with its movements, health, NPS/CSAT and usage trends, the
renewal and expansion pipeline, and the issues, as a :class:`~am_desktop.domain.review.ReviewData`
(plain data: the charts and the deck follow).
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from am_desktop.domain.health import DEFAULT_BANDS
from am_desktop.domain.review import ReviewData
from am_desktop.services import health
from am_desktop.services.kpis import period_figures
from am_desktop.services.store import Store


def review_data(
    store: Store,
    start: date,
    end: date,
    *,
    account_id: int | None = None,
    gross_margin: float = 0.8,
    bands: tuple[float, float] = DEFAULT_BANDS,
) -> ReviewData:
    """The review of one account (or the portfolio, ``account_id`` None) for ``start``…``end``."""
    kpis, ledger = period_figures(
        store, start, end, account_id=account_id, gross_margin=gross_margin
    )
    only = "AND account_id = ?" if account_id is not None else ""
    extra: tuple[int, ...] = (account_id,) if account_id is not None else ()
    period = (start.isoformat(), end.isoformat())
    contract_only = only.replace("account_id", "c.account_id")
    with store.raw() as connection:
        title = "Portfolio"
        if account_id is not None:
            row = connection.execute("SELECT name FROM account WHERE id = ?", extra).fetchone()
            title = row[0] if row else "Account"
        movements = tuple(
            (date.fromisoformat(day), kind, int(signed))
            for day, kind, signed in connection.execute(
                "SELECT occurred_on, type, CASE WHEN type IN ('contraction', 'churn') THEN "
                "-amount_cents ELSE amount_cents END FROM arr_movement WHERE archived_at IS NULL "
                f"AND occurred_on BETWEEN ? AND ? {only} ORDER BY occurred_on",
                (*period, *extra),
            )
        )
        surveys = tuple(
            (date.fromisoformat(day), kind, int(score))
            for day, kind, score in connection.execute(
                "SELECT responded_on, kind, score FROM survey_response WHERE archived_at IS NULL "
                f"AND responded_on BETWEEN ? AND ? {only} ORDER BY responded_on",
                (*period, *extra),
            )
        )
        usage = tuple(
            (date.fromisoformat(day), int(active), int(seats))
            for day, active, seats in connection.execute(
                "SELECT sampled_on, sum(active_users), sum(licensed_seats) FROM usage_sample "
                f"WHERE archived_at IS NULL AND sampled_on BETWEEN ? AND ? {only} "
                "GROUP BY sampled_on ORDER BY sampled_on",
                (*period, *extra),
            )
        )
        renewals_open = connection.execute(
            "SELECT r.stage, sum(c.arr_cents) FROM renewal r JOIN contract c ON c.id = "
            "r.contract_id WHERE r.archived_at IS NULL AND c.archived_at IS NULL AND r.stage NOT "
            f"IN ('renewed', 'churned') AND c.end_date >= ? {contract_only} "
            "GROUP BY r.stage",
            (start.isoformat(), *extra),
        ).fetchall()
        expansions = connection.execute(
            "SELECT stage, sum(amount_cents) FROM opportunity WHERE archived_at IS NULL "
            f"AND stage NOT IN ('won', 'lost') {only} GROUP BY stage",
            extra,
        ).fetchall()
        issues = Counter(
            dict(
                connection.execute(
                    "SELECT severity, count(*) FROM escalation WHERE archived_at IS NULL "
                    f"AND opened_on BETWEEN ? AND ? {only} GROUP BY severity",
                    (*period, *extra),
                ).fetchall()
            )
        )
    if account_id is None:
        trend = _portfolio_health(store, start, end)
    else:
        trend = tuple(
            (when.date(), value)
            for when, value in health.trend(store, account_id, 400, until=end)
            if when.date() >= start
        )
    pipeline = tuple(("renewal", stage, int(cents)) for stage, cents in renewals_open) + tuple(
        ("expansion", stage, int(cents or 0)) for stage, cents in expansions
    )
    return ReviewData(
        title, start, end, kpis, ledger.arr_by_month(), movements, trend, surveys, usage, pipeline,
        dict(issues), bands, account_id,
    )  # fmt: skip


def _portfolio_health(store: Store, start: date, end: date) -> tuple[tuple[date, float], ...]:
    """The mean score of the scored accounts on each day the app scored them."""
    with store.raw() as connection:
        rows = connection.execute(
            "SELECT substr(computed_at, 1, 10), avg(score) FROM health_snapshot "
            "WHERE computed_at >= ? AND computed_at < ? GROUP BY 1 ORDER BY 1",
            (start.isoformat(), (end + timedelta(days=1)).isoformat()),
        ).fetchall()
    return tuple((date.fromisoformat(day), float(score)) for day, score in rows)
