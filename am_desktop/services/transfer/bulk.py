"""Fast inserts and updates for bulk work (import, seed), straight through the DB-API.

The ORM costs ~10 µs a row; a file of 100,000 rows must not. These helpers write the same
stored forms the models do (:func:`to_db`), fill every default the model declares, and keep
the record rules: a new uid, version 1 and UTC timestamps on insert; ``version + 1`` and a new
``updated_at`` on every update that changes something. They run inside the caller's unit of
work, which holds SQLite's write lock, so ids can be assigned here.
"""

from __future__ import annotations

import enum
import gc
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from itertools import repeat
from random import Random
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from am_desktop.db.base import Base, utcnow
from am_desktop.db.connection import datetime_to_db

Row = dict[str, Any]


#: SQLite's page cache during bulk writes (KiB; SQLite's default is 2,000).
BULK_CACHE_KIB = 64 * 1024


@contextmanager
def bulk_cache(session: Session, kib: int = BULK_CACHE_KIB) -> Iterator[None]:
    """A larger page cache (``kib`` KiB) for one bulk write: index pages stay in memory.

    Set per transaction, not for every connection, so an idle app keeps its memory small.
    """
    connection = session.connection()
    previous = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = -{kib}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA cache_size = {int(previous or -2000)}")


@contextmanager
def no_garbage_collection() -> Iterator[None]:
    """Pause the cyclic garbage collector during bulk work.

    A bulk job allocates millions of small objects that live until it ends; the collector
    would walk them over and over (a quarter of an import's time) to find nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


_PLAIN: frozenset[type] = frozenset({str, int, float, type(None)})


def to_db(value: object) -> object:
    """The value as SQLite stores it for our column types."""
    if type(value) in _PLAIN:  # the common case first: this runs for every cell of a seed
        return value
    if isinstance(value, enum.Enum):
        return value._value_  # what ``.value`` returns, without its descriptor
    if isinstance(value, datetime):
        return datetime_to_db(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def table_of(model: type[Base]) -> Table:
    """The model's table (typed)."""
    table = model.__table__
    assert isinstance(table, Table)
    return table


def scalar_defaults(table: Table) -> dict[str, object]:
    """Each column's plain (non-callable) default, in stored form; else its plain server
    default (a currency's ``USD`` when a row brings none: bulk rows name every column)."""
    defaults: dict[str, object] = {}
    for column in table.columns:
        default = column.default
        server = column.server_default
        if default is not None and default.is_scalar:
            defaults[column.name] = to_db(default.arg)  # type: ignore[attr-defined]
        elif server is not None and isinstance(getattr(server, "arg", None), str):
            defaults[column.name] = server.arg  # type: ignore[attr-defined]
    return defaults


class UidSource:
    """Record uids: random, or repeatable from a seed (so a seeded database is reproducible).

    Random uids are made in blocks from ``os.urandom``: a bulk insert needs hundreds of
    thousands, and ``uuid.uuid4()`` one at a time is a third of an import's time.
    """

    _BLOCK = 4096

    def __init__(self, seed: int | None = None) -> None:
        self._random = Random(seed) if seed is not None else None
        self._ready: list[str] = []

    def __call__(self) -> str:
        if not self._ready:
            self._ready = self._block()
        return self._ready.pop()

    def _block(self) -> list[str]:
        if self._random is None:
            data = os.urandom(16 * self._BLOCK)
        else:
            data = self._random.getrandbits(128 * self._BLOCK).to_bytes(16 * self._BLOCK, "big")
        # In hex, byte 6's high digit is the version (4) and byte 8's the RFC 4122 variant
        # (its top two bits 10): both are set on the text of the whole block at once.
        text = data.hex()
        variant = _VARIANT_DIGIT
        uids = [
            f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{variant[h[16]]}{h[17:20]}-{h[20:32]}"
            for h in (text[start : start + 32] for start in range(0, len(text), 32))
        ]
        uids.reverse()
        return uids


#: A hex digit with its top two bits set to 10 (the RFC 4122 variant of a uid).
_VARIANT_DIGIT = {f"{n:x}": f"{(n & 0x3) | 0x8:x}" for n in range(16)}


def executemany(session: Session, sql: str, params: Sequence[Sequence[object]]) -> None:
    """Run ``sql`` once per parameter row, inside the session's transaction.

    Straight on the DB-API cursor: SQLAlchemy's own checks of every parameter row cost a
    fifth of a bulk insert, and these rows are built here, already in stored form.
    """
    driver = session.connection().connection.driver_connection
    assert driver is not None
    cursor = driver.cursor()
    try:
        cursor.executemany(sql, params)
    finally:
        cursor.close()


def next_id(session: Session, table: Table) -> int:
    """The first free id of ``table`` (safe: the caller's transaction holds the write lock)."""
    current = session.connection().exec_driver_sql(f"SELECT max(id) FROM {table.name}").scalar()
    return int(current or 0) + 1


def insert_rows(
    session: Session,
    table: Table,
    rows: Sequence[Mapping[str, object]],
    *,
    uids: UidSource | None = None,
    now: datetime | None = None,
    first_id: int | None = None,
) -> list[int]:
    """Insert ``rows`` (column -> value, any form :func:`to_db` knows) with defaults filled.

    A row may bring its own ``id`` (taken as given); the others get consecutive free ids.

    Returns:
        The ids given to the rows, in order.
    """
    if not rows:
        return []
    uids = uids or UidSource()
    stamp = datetime_to_db(now or utcnow())
    defaults = scalar_defaults(table)
    synced = "uid" in table.columns
    if synced:
        defaults.update(version=1, created_at=stamp, updated_at=stamp, archived_at=None)
    start = first_id if first_id is not None else next_id(session, table)
    ids = list(range(start, start + len(rows)))
    given: set[str] = set()
    for row in rows:
        given.update(row)
    # A column no row gives, without a default, is left to SQLite, which stores NULL: binding
    # NULLs for it costs as much as a fifth of the insert.
    names = [
        c.name
        for c in table.columns
        if c.name in given
        or defaults.get(c.name) is not None
        or c.name in ("id", "uid")
        or c.server_default is not None
    ]
    # Built a column at a time (a row's own cells converted, the others the default), then
    # zipped into rows: a fifth of the Python work of filling each row's list in turn.
    columns: list[Iterable[object]] = []
    for name in names:
        default = defaults.get(name)
        if name == "id":
            columns.append(_ids(rows, ids) if name in given else ids)
        elif name == "uid" and synced:
            own = _column(rows, name, None) if name in given else repeat(None, len(rows))
            columns.append([uid if uid is not None else uids() for uid in own])
        else:
            columns.append(_column(rows, name, default) if name in given else repeat(default))
    params = list(zip(*columns, strict=False))
    placeholders = ", ".join("?" for _ in names)
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({placeholders})"
    executemany(session, sql, params)
    return ids


_MISSING: Any = object()


def _column(rows: Sequence[Mapping[str, object]], name: str, default: object) -> list[object]:
    """Each row's value of column ``name`` in stored form, or ``default`` where it has none."""
    return [
        value if type(value) in _PLAIN else default if value is _MISSING else to_db(value)
        for value in (row.get(name, _MISSING) for row in rows)
    ]


def _ids(rows: Sequence[Mapping[str, object]], ids: list[int]) -> list[int]:
    """The id column: a row's own id where it brings one (noted in ``ids``), else ``ids``'."""
    for index, value in enumerate(_column(rows, "id", None)):
        if value is not None:
            ids[index] = int(value)  # type: ignore[call-overload]
    return ids


def update_rows(
    session: Session,
    table: Table,
    changes: Iterable[tuple[int, Mapping[str, object]]],
    *,
    now: datetime | None = None,
) -> int:
    """Apply ``(id, {column: new value})`` edits; each bumps version and updated_at.

    An empty edit only bumps the version: the record changed through rows of its own
    (a note's attendees).

    Rows are grouped by the set of columns they change, one ``executemany`` a group.

    Returns:
        How many rows were updated.
    """
    stamp = datetime_to_db(now or utcnow())
    groups: dict[tuple[str, ...], list[tuple[object, ...]]] = {}
    count = 0
    for row_id, fields in changes:
        columns = tuple(sorted(fields))
        groups.setdefault(columns, []).append((*(to_db(fields[c]) for c in columns), stamp, row_id))
        count += 1
    for columns, params in groups.items():
        assignments = "".join(f"{c} = ?, " for c in columns)
        sql = (
            f"UPDATE {table.name} SET {assignments}version = version + 1, updated_at = ? "
            "WHERE id = ?"
        )
        executemany(session, sql, params)
    return count


def advance_timestamps(
    session: Session, table: str, column: str, moments: Mapping[int, datetime]
) -> None:
    """Move a derived "last …" timestamp forward (never back) for ``{id: moment}``.

    Such columns (an account's last touch, a contact's last contact) are caches of other
    records, so this is not an edit: no version bump, nothing to sync.
    """
    params = [(to_db(when), record_id, to_db(when)) for record_id, when in moments.items()]
    if params:
        session.connection().exec_driver_sql(
            f"UPDATE {table} SET {column} = ? WHERE id = ? AND ({column} IS NULL OR {column} < ?)",
            params,
        )
