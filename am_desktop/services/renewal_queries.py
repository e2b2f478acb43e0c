"""What is coming up for renewal, in plain SQL: the upcoming list, the timeline's rows and the
quarterly forecast (issue 6).

No SQLAlchemy here: ``am-desktop renewals --json`` answers in a fraction of a second, and the
Renewals view reads 10,000 contracts without waiting for the ORM to load.
"""

from __future__ import annotations

import itertools
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from am_desktop.domain import fx
from am_desktop.domain.dashboard import QuarterForecast
from am_desktop.domain.enums import RenewalStage, Tier
from am_desktop.domain.money import to_major
from am_desktop.domain.timeline import add_months, notice_deadline
from am_desktop.services.rates import missing_rate_error, rate_book_in
from am_desktop.services.store import Store

#: Stages counted as committed in the forecast.
COMMITTED = (RenewalStage.COMMITTED.value, RenewalStage.RENEWED.value)


@dataclass(frozen=True, slots=True)
class RenewalRow:
    """A contract and its renewal, as the timeline and the upcoming list show them."""

    renewal_id: int
    contract_id: int
    account_id: int
    account: str
    tier: Tier
    owner: str | None
    contract: str
    start_date: date
    end_date: date
    notice_days: int
    arr_cents: int
    currency: str
    stage: RenewalStage
    likelihood: int

    @property
    def notice_deadline(self) -> date | None:
        """The last day to give notice (None without a notice period)."""
        return notice_deadline(self.end_date, self.notice_days)

    def days_left(self, today: date) -> int:
        """Days from today to the contract's end (negative once it ended)."""
        return (self.end_date - today).days

    @property
    def forecast_cents(self) -> int:
        """The ARR weighted by the renewal's likelihood."""
        return self.arr_cents * self.likelihood // 100

    def as_json(self, today: date) -> dict[str, object]:
        """The fields of ``am-desktop renewals --json`` (PRODUCT.md §3)."""
        deadline = self.notice_deadline
        return {
            "account": self.account,
            "contract": self.contract,
            "end_date": self.end_date.isoformat(),
            "notice_deadline": (deadline or self.end_date).isoformat(),
            "days_left": self.days_left(today),
            "arr": to_major(self.arr_cents, self.currency),
            "currency": self.currency,
            "stage": self.stage.value,
            "likelihood": self.likelihood,
        }


_COLUMNS = """
SELECT r.id, c.id, a.id, a.name, a.tier, a.owner,
       coalesce(c.name, 'Contract ending ' || c.end_date), c.start_date, c.end_date,
       c.notice_days, c.arr_cents, c.currency, r.stage, r.likelihood"""
_FROM = """
FROM renewal r
JOIN contract c ON c.id = r.contract_id
JOIN account a ON a.id = c.account_id
WHERE r.archived_at IS NULL AND c.archived_at IS NULL AND +a.archived_at IS NULL
"""
_ROWS = _COLUMNS + _FROM
#: Open renewals of contracts that have not ended by the first parameter.
_OPEN = " AND c.end_date >= ? AND r.stage NOT IN ('renewed', 'churned')"
#: The notice deadline in SQL, as ``domain.timeline.notice_deadline`` computes it.
_DEADLINE = "date(c.end_date, '-' || c.notice_days || ' days')"


def _row(values: Any) -> RenewalRow:
    """A row of ``_ROWS`` as a RenewalRow."""
    (renewal, contract, account, name, tier, owner, label, start, end, notice, arr, currency,
     stage, likelihood) = values  # fmt: skip
    return RenewalRow(
        renewal_id=renewal,
        contract_id=contract,
        account_id=account,
        account=name,
        tier=Tier(tier),
        owner=owner,
        contract=label,
        start_date=date.fromisoformat(start),
        end_date=date.fromisoformat(end),
        notice_days=notice or 0,
        arr_cents=arr,
        currency=currency,
        stage=RenewalStage(stage),
        likelihood=likelihood,
    )


def upcoming(
    store: Store, today: date, within_days: int | None = None, *, stage: RenewalStage | None = None
) -> list[RenewalRow]:
    """Active contracts ending from today on (within ``within_days``) whose renewal is open,
    soonest first."""
    sql = _ROWS + _OPEN
    params: list[object] = [today.isoformat()]
    if within_days is not None:
        sql += " AND c.end_date <= ?"
        params.append((today + timedelta(days=within_days)).isoformat())
    if stage is not None:
        sql += " AND r.stage = ?"
        params.append(stage.value)
    sql += " ORDER BY c.end_date, a.name, c.id"
    with store.raw() as connection:
        return [_row(values) for values in connection.execute(sql, params)]


def first_upcoming(
    store: Store, today: date, within_days: int, limit: int
) -> tuple[list[RenewalRow], int]:
    """The first ``limit`` of :func:`upcoming` within ``within_days``, and how many in all
    (the start view reads only what it shows: the rows walk ix_contract_end_date and stop at
    ``limit``, the count reads no row of its own)."""
    where = f"{_FROM}{_OPEN} AND c.end_date <= ?"
    last = today + timedelta(days=within_days)
    return _page(
        store,
        f"{_COLUMNS} {where} ORDER BY c.end_date, a.name, c.id LIMIT ?",
        f"SELECT count(*) {where}",
        (today.isoformat(), last.isoformat()),
        limit,
    )


def first_notices(
    store: Store, today: date, within_days: int, limit: int
) -> tuple[list[RenewalRow], int]:
    """Open renewals whose notice deadline falls from today to ``within_days`` ahead, the
    soonest deadline first: the first ``limit`` and how many in all."""
    where = f"{_FROM}{_OPEN} AND c.notice_days > 0 AND {_DEADLINE} BETWEEN ? AND ?"
    last = today + timedelta(days=within_days)
    return _page(
        store,
        f"{_COLUMNS} {where} ORDER BY {_DEADLINE}, c.end_date, a.name, c.id LIMIT ?",
        f"SELECT count(*) {where}",
        (today.isoformat(), today.isoformat(), last.isoformat()),
        limit,
    )


def _page(
    store: Store, rows_sql: str, count_sql: str, params: tuple[object, ...], limit: int
) -> tuple[list[RenewalRow], int]:
    """The first ``limit`` rows of ``_COLUMNS`` and how many match in all, in two queries: a
    ``count(*) OVER ()`` beside the rows would make SQLite read and sort every match before
    the first row (a third of the start view's read on a large portfolio)."""
    with store.raw() as connection:
        rows = connection.execute(rows_sql, (*params, limit)).fetchall()
        if len(rows) < limit:  # every match is here: no need to count them
            return [_row(values) for values in rows], len(rows)
        (total,) = connection.execute(count_sql, params).fetchone()
    return [_row(values) for values in rows], int(total)


def in_reporting_currency(
    store: Store, rows: list[RenewalRow], currency: str, on: date
) -> fx.Conversion:
    """The conversion of ``rows``' ARR into ``currency`` (one rate per currency, as of ``on``).

    Raises:
        ValidationError: a row's currency has no rate on or before ``on``.
    """
    with store.raw() as connection:
        book = rate_book_in(connection)
    try:
        return fx.conversion(book, {row.currency for row in rows}, currency, on)
    except fx.MissingRate as error:
        raise missing_rate_error(error) from error


def timeline_rows(store: Store, first: date, last: date) -> list[RenewalRow]:
    """Every live contract overlapping ``first``…``last`` with its renewal (the timeline)."""
    sql = _ROWS + " AND c.end_date >= ? AND c.start_date <= ? ORDER BY c.end_date, a.name, c.id"
    with store.raw() as connection:
        return [
            _row(values)
            for values in connection.execute(sql, (first.isoformat(), last.isoformat()))
        ]


def forecast(
    store: Store, today: date, quarters: int = 4, *, currency: str = "USD"
) -> list[QuarterForecast]:
    """ARR renewing per calendar quarter, this one and the next ``quarters - 1``: the total,
    weighted by likelihood, and committed (committed or already renewed), in ``currency``.

    Raises:
        ValidationError: a contract's currency has no rate on or before today.
    """
    return forecast_in(store, today, quarters, currency=currency)[0]


def forecast_in(
    store: Store, today: date, quarters: int = 4, *, currency: str = "USD"
) -> tuple[list[QuarterForecast], fx.Conversion]:
    """:func:`forecast` and the conversion it used: each contract's ARR at one rate per
    currency, the latest on or before ``today`` (future rates are not known)."""
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    bounds = [add_months(first, 3 * i) for i in range(quarters + 1)]
    with store.raw() as connection:
        found = _forecast_rows(connection, bounds[0], bounds[-1] - timedelta(days=1))
        try:
            conversion = fx.conversion(
                rate_book_in(connection), {row[4] for row in found}, currency, today
            )
        except fx.MissingRate as error:
            raise missing_rate_error(error) from error
    rows = [
        (end, conversion.convert(arr, code), likelihood, stage)
        for end, arr, likelihood, stage, code in found
    ]
    result = []
    for start, following in itertools.pairwise(bounds):
        inside = [r for r in rows if start <= r[0] < following]
        result.append(
            QuarterForecast(
                start,
                following - timedelta(days=1),
                f"Q{(start.month - 1) // 3 + 1} {start.year}",
                len(inside),
                sum(r[1] for r in inside),
                sum(r[1] * r[2] // 100 for r in inside),
                sum(r[1] for r in inside if r[3] in COMMITTED),
            )
        )
    return result, conversion


def _forecast_rows(
    connection: sqlite3.Connection, first: date, last: date
) -> list[tuple[date, int, int, str, str]]:
    sql = (
        "SELECT c.end_date, CASE WHEN r.stage = 'renewed' THEN coalesce(r.outcome_arr_cents, "
        "c.arr_cents) ELSE c.arr_cents END, r.likelihood, r.stage, c.currency FROM renewal r "
        "JOIN contract c ON c.id = r.contract_id JOIN account a ON a.id = c.account_id "
        "WHERE r.archived_at IS NULL AND c.archived_at IS NULL AND a.archived_at IS NULL "
        "AND r.stage <> 'churned' AND c.end_date BETWEEN ? AND ?"
    )
    return [
        (date.fromisoformat(end), int(arr), int(likelihood), str(stage), str(code))
        for end, arr, likelihood, stage, code in connection.execute(
            sql, (first.isoformat(), last.isoformat())
        )
    ]
