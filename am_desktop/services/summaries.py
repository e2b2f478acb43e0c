"""The per-account summary cache (``account_summary``): ARR and next renewal as of a day.

An account's ARR is in the account's own currency (issue 20). A movement in another currency
(a renewal of a contract written in EUR under a USD account) converts at the latest rate on or
before the summary's day; without one the ARR is NULL (shown "—"; :func:`arr_problem` says
why), never a sum of two currencies nor a conversion at 1. Every caller reads ARR here.

Every write that changes the ledger, contracts or renewals refreshes the accounts it touched,
inside the same transaction; :func:`ensure_fresh` rebuilds every row when the day has changed
(ARR "as of today" moves with the calendar) or rows are missing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, TypeAlias

from am_desktop.db import opener
from am_desktop.domain import fx
from am_desktop.services.store import driver_connection

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: A plain connection (the fast path) or a SQLAlchemy session (inside a service's work).
Database: TypeAlias = "sqlite3.Connection | Session"

_CHUNK = 500

_SIGNED = "CASE WHEN type IN ('contraction', 'churn') THEN -amount_cents ELSE amount_cents END"

#: The ledger's one scan, in the covering index's order: each account's signed sum and its
#: movements' lowest and highest currency. Most accounts have one currency, their own: their
#: sum is their ARR. The others get NULL here and are worked out per currency after.
_REFRESH = f"""
INSERT OR REPLACE INTO account_summary (account_id, as_of, arr_cents, next_renewal_on)
SELECT a.id, :today,
       CASE WHEN m.account_id IS NULL THEN 0
            WHEN m.lo = a.currency AND m.hi = a.currency THEN m.arr END,
       n.next_end
FROM account a
LEFT JOIN (
    SELECT account_id, min(currency) AS lo, max(currency) AS hi, SUM({_SIGNED}) AS arr
    FROM arr_movement
    WHERE archived_at IS NULL AND occurred_on <= :today {{movement_filter}}
    GROUP BY account_id
) m ON m.account_id = a.id
LEFT JOIN (
    SELECT c.account_id, MIN(c.end_date) AS next_end
    FROM contract c LEFT JOIN renewal r ON r.contract_id = c.id AND r.archived_at IS NULL
    WHERE c.archived_at IS NULL AND c.end_date >= :today
      AND (r.stage IS NULL OR r.stage NOT IN ('renewed', 'churned')) {{contract_filter}}
    GROUP BY c.account_id
) n ON n.account_id = a.id
{{account_filter}}
"""

#: Per account and currency, the signed sum, with the account's own currency.
_BY_CURRENCY = f"""
SELECT g.account_id, a.currency, g.currency, g.arr
FROM (
    SELECT account_id, currency, SUM({_SIGNED}) AS arr FROM arr_movement
    WHERE archived_at IS NULL AND occurred_on <= :today AND account_id IN ({{marks}})
    GROUP BY account_id, currency
) g JOIN account a ON a.id = g.account_id
"""


def _driver(database: Database) -> sqlite3.Connection:
    if isinstance(database, sqlite3.Connection) or opener.is_sqlcipher(database):
        return database  # type: ignore[return-value]  # SQLCipher's has sqlite3's interface
    return driver_connection(database)


def refresh(database: Database, today: date, account_ids: Iterable[int] | None = None) -> None:
    """Recompute the summaries of ``account_ids`` (every account when None)."""
    connection = _driver(database)
    params = {"today": today.isoformat()}
    if account_ids is None:
        sql = _REFRESH.format(movement_filter="", contract_filter="", account_filter="")
        connection.execute(sql, params)
        _in_several_currencies(connection, today, "")
        return
    ids = sorted(set(account_ids))
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join(str(int(i)) for i in chunk)  # ints only: safe to inline
        sql = _REFRESH.format(
            movement_filter=f"AND account_id IN ({marks})",
            contract_filter=f"AND c.account_id IN ({marks})",
            account_filter=f"WHERE a.id IN ({marks})",
        )
        connection.execute(sql, params)
        _in_several_currencies(connection, today, f"AND account_id IN ({marks})")


def _in_several_currencies(connection: sqlite3.Connection, today: date, only: str) -> None:
    """The ARR of the accounts the one scan left NULL: their own currency's sum plus each
    other currency's, converted (still NULL without a rate)."""
    pending = [
        int(row[0])
        for row in connection.execute(
            f"SELECT account_id FROM account_summary WHERE arr_cents IS NULL {only}"
        )
    ]
    if not pending:
        return
    from am_desktop.services.rates import rate_book_in

    book = rate_book_in(connection)
    for start in range(0, len(pending), _CHUNK):
        marks = ", ".join(str(i) for i in pending[start : start + _CHUNK])
        parts: dict[int, dict[str, int]] = {}
        owns: dict[int, str] = {}
        for account_id, own, code, signed in connection.execute(
            _BY_CURRENCY.format(marks=marks), {"today": today.isoformat()}
        ):
            parts.setdefault(account_id, {})[code] = int(signed)
            owns[account_id] = own
        connection.executemany(
            "UPDATE account_summary SET arr_cents = ? WHERE account_id = ?",
            [(arr_in(book, by_code, owns[a], today), a) for a, by_code in parts.items()],
        )


def arr_in(book: fx.RateBook, parts: Mapping[str, int], own: str, on: date) -> int | None:
    """An ARR in ``own`` currency from its ledger's signed sums per currency: ``own``'s as
    they are, each other converted by :func:`foreign_arr`; None when one has no rate."""
    total = 0
    for code, minor in parts.items():
        part = minor if code == own else foreign_arr(book, minor, code, own, on)
        if part is None:
            return None
        total += part
    return total


def foreign_arr(book: fx.RateBook, minor: int, currency: str, own: str, on: date) -> int | None:
    """``minor`` units of ``currency`` in the account's ``own`` currency at the latest rate on
    or before ``on``; None without a rate."""
    try:
        rate = book.rate(currency, own, on)
    except fx.MissingRate:
        return None
    return fx.Conversion(own, on, {currency: rate}).convert(minor, currency)


def arr_problem(database: Database, account_id: int, on: date) -> str | None:
    """Why an account's ARR is unknown (fx's sentence for the first currency without a rate
    into the account's), or None when it is known."""
    connection = _driver(database)
    rows = connection.execute(
        _BY_CURRENCY.format(marks=int(account_id)), {"today": on.isoformat()}
    ).fetchall()
    foreign = sorted(str(code) for _account, own, code, _signed in rows if code != own)
    if not foreign:
        return None
    from am_desktop.services.rates import rate_book_in

    book, own = rate_book_in(connection), str(rows[0][1])
    for code in foreign:
        try:
            book.rate(code, own, on)
        except fx.MissingRate as error:
            return str(error)
    return None


def foreign_accounts(database: Database) -> list[int]:
    """The accounts whose ledger holds a movement in another currency than their own (their
    ARR moves when a rate is recorded or forgotten)."""
    rows = _driver(database).execute(
        "SELECT DISTINCT mv.account_id FROM arr_movement mv JOIN account a "
        "ON a.id = mv.account_id WHERE mv.archived_at IS NULL AND mv.currency <> a.currency"
    )
    return [int(row[0]) for row in rows]


def is_stale(database: Database, today: date) -> bool:
    """Whether any account lacks a summary for ``today``."""
    found = _driver(database).execute(
        "SELECT 1 FROM account a LEFT JOIN account_summary s ON s.account_id = a.id "
        "WHERE s.as_of IS NULL OR s.as_of <> ? LIMIT 1",
        (today.isoformat(),),
    )
    return found.fetchone() is not None


def ensure_fresh(database: Database, today: date) -> bool:
    """Rebuild every summary if any is missing or from another day; returns whether it did."""
    if not is_stale(database, today):
        return False
    refresh(database, today)
    return True
