"""Fast inserts and updates for bulk work (import, seed), straight through the DB-API.

The ORM costs ~10 µs a row; a file of 100,000 rows must not. These helpers write the same
stored forms the models do (:func:`to_db`), fill every default the model declares, and keep
the record rules: a new uid, version 1 and UTC timestamps on insert; ``version + 1`` and a new
``updated_at`` on every update that changes something. They run inside the caller's unit of
work, which holds SQLite's write lock, so ids can be assigned here.
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from random import Random
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from am_desktop.db.base import Base, utcnow
from am_desktop.db.types import datetime_to_db

Row = dict[str, Any]


_PLAIN: frozenset[type] = frozenset({str, int, float, type(None)})


def to_db(value: object) -> object:
    """The value as SQLite stores it for our column types."""
    if type(value) in _PLAIN:  # the common case first: this runs for every cell of a seed
        return value
    if isinstance(value, enum.Enum):
        return value.value
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
    """Each column's plain (non-callable) default, in stored form."""
    defaults: dict[str, object] = {}
    for column in table.columns:
        default = column.default
        if default is not None and default.is_scalar:
            defaults[column.name] = to_db(default.arg)  # type: ignore[attr-defined]
    return defaults


class UidSource:
    """Record uids: random, or repeatable from a seed (so a seeded database is reproducible)."""

    def __init__(self, seed: int | None = None) -> None:
        self._random = Random(seed) if seed is not None else None

    def __call__(self) -> str:
        if self._random is None:
            return str(uuid.uuid4())
        return str(uuid.UUID(int=self._random.getrandbits(128), version=4))


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
    names = [c.name for c in table.columns]
    start = first_id if first_id is not None else next_id(session, table)
    ids = list(range(start, start + len(rows)))
    params: list[tuple[object, ...]] = []
    for index, row in enumerate(rows):
        values = dict(defaults)
        values.update((key, to_db(value)) for key, value in row.items())
        if values.get("id") is None:
            values["id"] = ids[index]
        else:
            ids[index] = int(values["id"])  # type: ignore[call-overload]
        if synced and values.get("uid") is None:
            values["uid"] = uids()
        params.append(tuple(values.get(name) for name in names))
    placeholders = ", ".join("?" for _ in names)
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({placeholders})"
    session.connection().exec_driver_sql(sql, params)
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
    connection = session.connection()
    for columns, params in groups.items():
        assignments = "".join(f"{c} = ?, " for c in columns)
        sql = (
            f"UPDATE {table.name} SET {assignments}version = version + 1, updated_at = ? "
            "WHERE id = ?"
        )
        connection.exec_driver_sql(sql, params)
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
