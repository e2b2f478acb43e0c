"""Stored rows that match many keys at once, read in one indexed join.

A batch of 5,000 rows names thousands of keys (e-mails, accounts and days). Asked 500 at a
time in ``IN`` lists that is ten queries a batch, each returning far more than can match (an
ARR batch read every movement of its accounts within its dates, 40 times over a large file).
The keys go into a temporary table instead (the connection's own, never in the file) and
one join reads exactly the stored rows that carry them, through the table's index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy.orm import Session


def _key_table(arity: int) -> str:
    return f"temp.am_import_keys_{arity}"


def matching_rows(
    session: Session,
    select_sql: str,
    keys: Iterable[Sequence[object]],
    params: Sequence[object] = (),
) -> list[tuple[Any, ...]]:
    """Run ``select_sql`` with the distinct ``keys`` in the table it names ``{keys}``.

    Args:
        select_sql: a query of ``{keys} AS k CROSS JOIN`` the stored table on the key's
            columns ``k.k0``, ``k.k1``, … (CROSS JOIN keeps the keys the outer loop: the
            planner would otherwise walk the whole stored table in its ORDER BY's order).
        keys: tuples of equal length, in stored form.
        params: the query's other parameters.
    """
    unique = list(dict.fromkeys(tuple(key) for key in keys))
    if not unique:
        return []
    arity = len(unique[0])
    table = _key_table(arity)
    driver = session.connection().connection.driver_connection
    assert driver is not None
    cursor = driver.cursor()
    try:
        columns = ", ".join(f"k{n}" for n in range(arity))
        # No declared type: a key compares as the stored column it is joined to.
        cursor.execute(f"CREATE TEMP TABLE IF NOT EXISTS am_import_keys_{arity} ({columns})")
        cursor.execute(f"DELETE FROM {table}")
        marks = ", ".join("?" * arity)
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", unique)
        found = [tuple(row) for row in cursor.execute(select_sql.format(keys=table), params)]
        cursor.execute(f"DELETE FROM {table}")
        return found
    finally:
        cursor.close()
