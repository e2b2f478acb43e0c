"""Secondary indexes built once after a bulk load instead of row by row during it.

Inserting a million rows into a table keeps each of its indexes sorted as it goes: for an
index in another order than the rows arrive in (a note's date, a contact's email), every
insert lands on a random page, and the page cache thrashes once the index outgrows it.
Building the index afterwards sorts it once. The indexes are dropped and made again inside
the load's own transaction, so no one ever sees the tables without them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager


@contextmanager
def indexes_built_afterwards(
    connection: sqlite3.Connection, tables: Iterable[str], keep: Iterable[str] = ()
) -> Iterator[None]:
    """Drop the declared indexes of ``tables`` for the block; make them again after it.

    Indexes named in ``keep`` stay: the block reads through them (an import's lookups).

    Must run inside a transaction that is rolled back if the block fails: the indexes are not
    made again then (the rollback brings them back). Indexes SQLite makes for UNIQUE and
    PRIMARY KEY constraints stay (they cannot be dropped).
    """
    names = sorted(set(tables))
    marks = ", ".join("?" for _ in names)
    indexes = connection.execute(
        "SELECT name, sql FROM sqlite_master "
        f"WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks}) ORDER BY name",
        names,
    ).fetchall()
    kept = set(keep)
    indexes = [(name, sql) for name, sql in indexes if name not in kept]
    for name, _ in indexes:
        connection.execute(f'DROP INDEX "{name}"')
    yield
    for _, sql in indexes:
        connection.execute(sql)
