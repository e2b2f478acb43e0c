"""The per-account summary cache (``account_summary``): ARR and next renewal as of a day.

Every write that changes the ledger, contracts or renewals refreshes the accounts it touched,
inside the same transaction; :func:`ensure_fresh` rebuilds every row when the day has changed
(ARR "as of today" moves with the calendar) or rows are missing.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, TypeAlias

from am_desktop.db import opener
from am_desktop.services.store import driver_connection

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

#: A plain connection (the fast path) or a SQLAlchemy session (inside a service's work).
Database: TypeAlias = "sqlite3.Connection | Session"

_CHUNK = 500

_REFRESH = """
INSERT OR REPLACE INTO account_summary (account_id, as_of, arr_cents, next_renewal_on)
SELECT a.id, :today, COALESCE(m.arr, 0), n.next_end
FROM account a
LEFT JOIN (
    SELECT account_id,
           SUM(CASE WHEN type IN ('contraction', 'churn') THEN -amount_cents
                    ELSE amount_cents END) AS arr
    FROM arr_movement
    WHERE archived_at IS NULL AND occurred_on <= :today {movement_filter}
    GROUP BY account_id
) m ON m.account_id = a.id
LEFT JOIN (
    SELECT c.account_id, MIN(c.end_date) AS next_end
    FROM contract c LEFT JOIN renewal r ON r.contract_id = c.id AND r.archived_at IS NULL
    WHERE c.archived_at IS NULL AND c.end_date >= :today
      AND (r.stage IS NULL OR r.stage NOT IN ('renewed', 'churned')) {contract_filter}
    GROUP BY c.account_id
) n ON n.account_id = a.id
{account_filter}
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
