"""KPIs of a period for the portfolio or one account (PRODUCT.md §3, issue 7).

The ledger is summed in one pass of plain SQL (a row per account); the formulas are
``domain.kpis``. Archived (deleted) movements, answers and renewals do not count.
"""

from __future__ import annotations

import sqlite3
from datetime import date

from am_desktop.domain.kpis import Kpis, LedgerSums, compute
from am_desktop.services.store import Store

_LEDGER = """
SELECT account_id,
  sum(CASE WHEN occurred_on < :start THEN signed ELSE 0 END),
  sum(CASE WHEN occurred_on <= :end THEN signed ELSE 0 END),
  sum(CASE WHEN occurred_on BETWEEN :start AND :end AND type IN ('expansion', 'reactivation')
      THEN amount_cents ELSE 0 END),
  sum(CASE WHEN occurred_on BETWEEN :start AND :end AND type = 'contraction'
      THEN amount_cents ELSE 0 END),
  sum(CASE WHEN occurred_on BETWEEN :start AND :end AND type = 'churn'
      THEN amount_cents ELSE 0 END),
  sum(CASE WHEN occurred_on BETWEEN :start AND :end AND type = 'new'
      THEN amount_cents ELSE 0 END)
FROM (
  SELECT account_id, occurred_on, type, amount_cents,
    CASE WHEN type IN ('contraction', 'churn') THEN -amount_cents ELSE amount_cents END AS signed
  FROM arr_movement
  WHERE archived_at IS NULL AND occurred_on <= :end {account}
)
GROUP BY account_id
"""


def ledger_sums(
    connection: sqlite3.Connection, start: date, end: date, account_id: int | None = None
) -> LedgerSums:
    """The ledger's sums for a period, for every account or one."""
    account = "AND account_id = :account" if account_id is not None else ""
    params = {"start": start.isoformat(), "end": end.isoformat(), "account": account_id}
    before: dict[int, int] = {}
    at_end: dict[int, int] = {}
    expansion = contraction = churn = new = 0
    for row in connection.execute(_LEDGER.format(account=account), params):
        account_key, was, now, grew, shrank, lost, won = row
        before[account_key], at_end[account_key] = was, now
        new += won
        if was > 0:  # the cohort: ARR just before the period
            expansion, contraction, churn = expansion + grew, contraction + shrank, churn + lost
    return LedgerSums(start, end, before, at_end, expansion, contraction, churn, new)


def period_kpis(
    store: Store,
    start: date,
    end: date,
    *,
    account_id: int | None = None,
    gross_margin: float = 0.80,
) -> Kpis:
    """Every KPI of ``start``…``end`` (both days included), for the portfolio or one account."""
    if end < start:
        from am_desktop.errors import ValidationError

        raise ValidationError("The period ends before it starts.", "to")
    account = "AND account_id = ?" if account_id is not None else ""
    extra: tuple[int, ...] = (account_id,) if account_id is not None else ()
    with store.raw() as connection:
        sums = ledger_sums(connection, start, end, account_id)
        answers = connection.execute(
            "SELECT kind, score FROM survey_response WHERE archived_at IS NULL "
            f"AND responded_on BETWEEN ? AND ? {account}",
            (start.isoformat(), end.isoformat(), *extra),
        ).fetchall()
        renewal_days = [
            int(days)
            for (days,) in connection.execute(
                "SELECT julianday(c.end_date) - julianday(r.close_date) FROM renewal r "
                "JOIN contract c ON c.id = r.contract_id WHERE r.archived_at IS NULL "
                "AND r.stage IN ('renewed', 'churned') AND r.close_date BETWEEN ? AND ? "
                f"{account.replace('account_id', 'c.account_id')}",
                (start.isoformat(), end.isoformat(), *extra),
            )
        ]
    return compute(
        sums,
        nps_scores=[score for kind, score in answers if kind == "nps"],
        csat_scores=[score for kind, score in answers if kind == "csat"],
        renewal_days=renewal_days,
        gross_margin=gross_margin,
    )
