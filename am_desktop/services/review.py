"""The data of a business review (issues 7 and 15) for one account or the whole portfolio over a
period: the ledger's figures (``services.kpis.period_figures``, the same function as the
Dashboard and ``am-desktop kpis``), ARR by month and its movements, health month by month, NPS
and CSAT, usage against seats, the open pipeline, the issues, the account plan's objectives,
the open action items and the next renewal — as a :class:`~am_desktop.domain.review.ReviewData`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from datetime import date

from am_desktop.domain import fx
from am_desktop.domain.deck import ROWS_PER_SLIDE
from am_desktop.domain.fx import Conversion
from am_desktop.domain.health import DEFAULT_BANDS
from am_desktop.domain.review import (
    IssueSummary,
    NextStep,
    Objective,
    OpenRenewal,
    ReviewData,
    Risk,
    customer_people,
    whose,
)
from am_desktop.domain.timeline import month_ends
from am_desktop.services.health_history import month_end_scores
from am_desktop.services.kpis import period_figures
from am_desktop.services.rates import missing_rate_error, rate_book_in
from am_desktop.services.store import Store

#: The most open action items a review lists (the soonest due first).
NEXT_STEPS = 12


def review_data(
    store: Store,
    start: date,
    end: date,
    *,
    account_id: int | None = None,
    gross_margin: float = 0.8,
    bands: tuple[float, float] = DEFAULT_BANDS,
    weights: Mapping[str, float] | None = None,
    currency: str = "USD",
) -> ReviewData:
    """The review of one account (or the portfolio, ``account_id`` None) for ``start``…``end``."""
    kpis, ledger = period_figures(
        store, start, end, account_id=account_id, gross_margin=gross_margin, currency=currency
    )
    only = "AND account_id = ?" if account_id is not None else ""
    extra: tuple[int, ...] = (account_id,) if account_id is not None else ()
    period = (start.isoformat(), end.isoformat())
    contract_only = only.replace("account_id", "c.account_id")
    with store.raw() as connection:
        convert = _conversion(connection, currency, end, only, extra)
        title = "Portfolio"
        if account_id is not None:
            row = connection.execute("SELECT name FROM account WHERE id = ?", extra).fetchone()
            title = row[0] if row else "Account"
        movements = tuple(
            (date.fromisoformat(day), kind, convert.convert(int(signed), code))
            for day, kind, signed, code in connection.execute(
                "SELECT occurred_on, type, CASE WHEN type IN ('contraction', 'churn') THEN "
                "-amount_cents ELSE amount_cents END, currency FROM arr_movement "
                "WHERE archived_at IS NULL "
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
        open_renewals = (
            "FROM renewal r JOIN contract c ON c.id = r.contract_id "
            "WHERE r.archived_at IS NULL AND c.archived_at IS NULL AND r.stage NOT IN "
            f"('renewed', 'churned') AND c.end_date >= ? {contract_only}"
        )
        renewals = tuple(
            OpenRenewal(
                name,
                date.fromisoformat(ends),
                convert.convert(int(cents), code),
                stage,
                int(likelihood),
            )
            for name, ends, cents, stage, likelihood, code in connection.execute(
                "SELECT a.name, c.end_date, c.arr_cents, r.stage, r.likelihood, c.currency "
                f"{open_renewals.replace('WHERE', 'JOIN account a ON a.id = c.account_id WHERE')} "
                "ORDER BY c.end_date, c.arr_cents DESC LIMIT ?",
                (start.isoformat(), *extra, ROWS_PER_SLIDE),
            )
        )
        renewal_stages = _in_one_currency(
            convert,
            connection.execute(
                f"SELECT r.stage, c.currency, sum(c.arr_cents), count(*), min(c.end_date) "
                f"{open_renewals} GROUP BY r.stage, c.currency",
                (start.isoformat(), *extra),
            ).fetchall(),
        )
        expansions = [
            (stage, cents)
            for stage, cents, _n, _first in _in_one_currency(
                convert,
                connection.execute(
                    "SELECT stage, currency, sum(amount_cents), count(*), stage FROM opportunity "
                    f"WHERE archived_at IS NULL AND stage NOT IN ('won', 'lost') {only} "
                    "GROUP BY stage, currency",
                    extra,
                ).fetchall(),
            )
        ]
        issues = _issues(connection, start, end, only, extra)
        risks = tuple(
            Risk(name, description, mitigation or "", severity, owner or "")
            for name, description, mitigation, severity, owner in connection.execute(
                "SELECT a.name, r.description, r.mitigation, r.severity, r.owner "
                "FROM account_risk r JOIN account a ON a.id = r.account_id WHERE "
                "r.archived_at IS NULL AND r.status = 'open' "
                f"{only.replace('account_id', 'r.account_id')} ORDER BY CASE r.severity "
                "WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, "
                "r.id LIMIT ?",
                (*extra, ROWS_PER_SLIDE),
            )
        )
        (open_risks,) = connection.execute(
            "SELECT count(*) FROM account_risk WHERE archived_at IS NULL AND status = 'open' "
            f"{only}",
            extra,
        ).fetchone()
        objectives: tuple[Objective, ...] = ()
        next_steps: tuple[NextStep, ...] = ()
        renewal_date = None
        if account_id is not None:
            objectives, next_steps = _plan(connection, account_id)
            row = connection.execute(
                "SELECT min(end_date) FROM contract WHERE archived_at IS NULL "
                "AND account_id = ? AND end_date >= ?",
                (account_id, end.isoformat()),
            ).fetchone()
            renewal_date = date.fromisoformat(row[0]) if row and row[0] else None
    pipeline = tuple(
        ("renewal", stage, int(cents)) for stage, cents, _n, _first in renewal_stages
    ) + tuple(("expansion", stage, int(cents or 0)) for stage, cents in expansions)
    trend = month_end_scores(
        store, month_ends(start, end), account_id=account_id, weights=weights, bands=bands
    )
    return ReviewData(
        title, start, end, kpis, ledger.arr_by_month(), movements, trend, surveys, usage, pipeline,
        issues, bands, account_id, currency, objectives, next_steps, renewal_date, risks,
        renewals, sum(int(n) for _s, _c, n, _f in renewal_stages), open_risks, convert,
    )  # fmt: skip


def _conversion(
    connection: sqlite3.Connection, currency: str, end: date, only: str, extra: tuple[int, ...]
) -> Conversion:
    """One rate per currency for every amount the review shows (ledger, contracts,
    opportunities), as of the period's last day."""
    found = {
        code
        for (code,) in connection.execute(
            f"SELECT DISTINCT currency FROM arr_movement WHERE archived_at IS NULL {only} "
            f"UNION SELECT DISTINCT currency FROM contract WHERE archived_at IS NULL {only} "
            f"UNION SELECT DISTINCT currency FROM opportunity WHERE archived_at IS NULL {only}",
            extra * 3,
        )
    }
    try:
        return fx.conversion(rate_book_in(connection), found, currency, end)
    except fx.MissingRate as error:
        raise missing_rate_error(error) from error


def _in_one_currency(
    convert: Conversion, rows: list[tuple[str, str, int, int, str]]
) -> list[tuple[str, int, int, str]]:
    """(key, currency, sum, count, order) rows summed per key in the report's currency,
    ordered by ``order`` (the first end date, or the key)."""
    totals: dict[str, tuple[int, int, str]] = {}
    for key, code, cents, count, order in rows:
        total, n, first = totals.get(key, (0, 0, order))
        totals[key] = (total + convert.convert(int(cents), code), n + int(count), min(first, order))
    return sorted(
        ((key, total, n, first) for key, (total, n, first) in totals.items()),
        key=lambda row: (row[3], row[0]),
    )


def _issues(
    connection: sqlite3.Connection, start: date, end: date, only: str, extra: tuple[int, ...]
) -> IssueSummary:
    period = (start.isoformat(), end.isoformat())
    opened = dict(
        connection.execute(
            "SELECT severity, count(*) FROM escalation WHERE archived_at IS NULL "
            f"AND opened_on BETWEEN ? AND ? {only} GROUP BY severity",
            (*period, *extra),
        ).fetchall()
    )
    resolved, mean_days = connection.execute(
        "SELECT count(*), avg(julianday(resolved_on) - julianday(opened_on)) FROM escalation "
        f"WHERE archived_at IS NULL AND resolved_on BETWEEN ? AND ? {only}",
        (*period, *extra),
    ).fetchone()
    (open_now,) = connection.execute(
        "SELECT count(*) FROM escalation WHERE archived_at IS NULL AND opened_on <= ? "
        f"AND (resolved_on IS NULL OR resolved_on > ?) {only}",
        (end.isoformat(), end.isoformat(), *extra),
    ).fetchone()
    return IssueSummary(
        {str(k): int(v) for k, v in opened.items()},
        int(resolved),
        None if mean_days is None else float(mean_days),
        int(open_now),
    )


def _plan(
    connection: sqlite3.Connection, account_id: int
) -> tuple[tuple[Objective, ...], tuple[NextStep, ...]]:
    """The account plan's objectives and the soonest open action items, each marked ours or
    theirs: an owner that names one of the account's contacts (first name, full name or the
    e-mail's local part) is the customer's."""
    objectives = tuple(
        Objective(title, status, date.fromisoformat(due) if due else None)
        for title, status, due in connection.execute(
            "SELECT title, status, due_date FROM account_objective WHERE archived_at IS NULL "
            "AND account_id = ? ORDER BY position, id",
            (account_id,),
        )
    )
    people = customer_people(
        connection.execute(
            "SELECT first_name, last_name, email FROM contact WHERE archived_at IS NULL "
            "AND account_id = ?",
            (account_id,),
        )
    )
    steps = []
    for text, owner, due in connection.execute(
        "SELECT text, owner, due_date FROM action_item WHERE archived_at IS NULL "
        "AND status = 'open' AND account_id = ? ORDER BY due_date IS NULL, due_date, id LIMIT ?",
        (account_id, NEXT_STEPS),
    ):
        who, theirs = whose(owner, people)
        steps.append(NextStep(text, who, theirs, date.fromisoformat(due) if due else None))
    return objectives, tuple(steps)
