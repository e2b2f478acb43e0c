"""Reading and writing the local side of CRM sync in plain SQL: links, changed fields,
conflicts, named state, and each synced record's values in canonical form (issue 8)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from am_desktop.db.connection import DATETIME_FORMAT
from am_desktop.db.sync_tracking import CURRENT_SEQ, NEXT_SEQ
from am_desktop.services import summaries
from am_desktop.services.sync.fields import KINDS, canonical, stored

#: Local kind -> the SELECT of its synced values (id, uid, archived_at, account_id, fields…).
_SELECT = {
    "account": "SELECT id, uid, archived_at, id, name, domain, industry, currency FROM account t",
    "contact": "SELECT id, uid, archived_at, account_id, first_name, last_name, email, title, "
    "phone FROM contact t",
    "opportunity": "SELECT id, uid, archived_at, account_id, name, amount_cents, close_date, "
    "stage, currency FROM opportunity t",
    "renewal": "SELECT t.id, t.uid, t.archived_at, c.account_id, t.proposed_arr_cents, "
    "t.close_date, t.stage, t.currency FROM renewal t JOIN contract c ON c.id = t.contract_id",
    "note": "SELECT id, uid, archived_at, account_id, body, occurred_at FROM note t",
}


@dataclass(frozen=True, slots=True)
class LocalRecord:
    """A synced local record's values, canonical."""

    obj: str
    local_id: int
    uid: str
    archived: bool
    account_id: int
    fields: dict[str, Any]


def now_text() -> str:
    return datetime.now(UTC).strftime(DATETIME_FORMAT)


def _record(obj: str, row: Sequence[Any]) -> LocalRecord:
    names = list(KINDS[obj])
    values = {name: canonical(obj, name, row[4 + i]) for i, name in enumerate(names)}
    return LocalRecord(obj, int(row[0]), str(row[1]), row[2] is not None, int(row[3]), values)


def local_records(
    connection: sqlite3.Connection, obj: str, ids: Sequence[int]
) -> dict[int, LocalRecord]:
    """Records of one kind by id."""
    found: dict[int, LocalRecord] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ", ".join("?" * len(chunk))
        for row in connection.execute(f"{_SELECT[obj]} WHERE t.id IN ({marks})", chunk):
            found[int(row[0])] = _record(obj, row)
    return found


def local_by(
    connection: sqlite3.Connection, obj: str, where: str, params: Sequence[Any]
) -> Iterator[LocalRecord]:
    """Records of one kind matching a condition on ``t`` (the kind's table)."""
    for row in connection.execute(f"{_SELECT[obj]} WHERE {where}", params):
        yield _record(obj, row)


def write_fields(
    connection: sqlite3.Connection, obj: str, local_id: int, values: dict[str, Any]
) -> None:
    """Store canonical values in a record (version and updated_at bumped, as every write does)."""
    if not values:
        return
    columns = list(values)
    assignments = ", ".join(f"{c} = ?" for c in columns)
    recurrency = obj == "account" and _currency_changes(connection, local_id, values)
    connection.execute(
        f"UPDATE {obj} SET {assignments}, version = version + 1, updated_at = ? WHERE id = ?",
        [*(stored(obj, c, values[c]) if c in KINDS[obj] else values[c] for c in columns),
         now_text(), local_id],
    )  # fmt: skip
    if recurrency:  # its ARR is now in another currency
        summaries.refresh(connection, date.today(), [local_id])


def _currency_changes(
    connection: sqlite3.Connection, account_id: int, values: dict[str, Any]
) -> bool:
    """Whether ``values`` give the account another currency than it has."""
    if "currency" not in values:
        return False
    row = connection.execute("SELECT currency FROM account WHERE id = ?", (account_id,)).fetchone()
    return row is not None and row[0] != values["currency"]


@contextmanager
def applying(connection: sqlite3.Connection) -> Iterator[None]:
    """Within this block the triggers do not record changes: they come from the CRM."""
    set_state(connection, "applying", "1")
    try:
        yield
    finally:
        set_state(connection, "applying", "0")


def get_state(connection: sqlite3.Connection, key: str) -> str | None:
    row = connection.execute("SELECT value FROM sync_state WHERE key = ?", (key,)).fetchone()
    return None if row is None else row[0]


def set_state(connection: sqlite3.Connection, key: str, value: str | None) -> None:
    connection.execute(
        "INSERT INTO sync_state (key, value) VALUES (?, ?) "
        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


# -- links -------------------------------------------------------------------------------------


def link_of(
    connection: sqlite3.Connection, objs: Sequence[str], remote_id: str
) -> tuple[str, int, int | None] | None:
    """(kind, local id, remote modified ms) of the record linked to a remote id."""
    marks = ", ".join("?" * len(objs))
    row = connection.execute(
        f"SELECT obj, local_id, remote_modified_ms FROM sync_link WHERE obj IN ({marks}) "
        "AND remote_id = ?",
        (*objs, remote_id),
    ).fetchone()
    return None if row is None else (row[0], int(row[1]), row[2])


def remote_id_of(connection: sqlite3.Connection, obj: str, local_id: int) -> str | None:
    row = connection.execute(
        "SELECT remote_id FROM sync_link WHERE obj = ? AND local_id = ?", (obj, local_id)
    ).fetchone()
    return None if row is None else str(row[0])


def local_id_of(connection: sqlite3.Connection, obj: str, remote_id: str) -> int | None:
    row = connection.execute(
        "SELECT local_id FROM sync_link WHERE obj = ? AND remote_id = ?", (obj, remote_id)
    ).fetchone()
    return None if row is None else int(row[0])


def set_link(
    connection: sqlite3.Connection, obj: str, local_id: int, remote_id: str, modified: int | None
) -> None:
    connection.execute(
        "INSERT INTO sync_link (obj, local_id, remote_id, remote_modified_ms) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (obj, local_id) DO UPDATE SET remote_id = excluded.remote_id, "
        "remote_modified_ms = excluded.remote_modified_ms",
        (obj, local_id, remote_id, modified),
    )


# -- changes and conflicts -------------------------------------------------------------------


def changes_of(
    connection: sqlite3.Connection, obj: str, local_id: int
) -> dict[str, tuple[Any, int]]:
    """The record's locally changed fields: field -> (canonical base, seq)."""
    found: dict[str, tuple[Any, int]] = {}
    for field, base, seq in connection.execute(
        "SELECT field, base, seq FROM sync_change WHERE obj = ? AND local_id = ?", (obj, local_id)
    ):
        value = json.loads(base) if base is not None else None
        found[field] = (canonical(obj, field, value) if field in KINDS[obj] else value, int(seq))
    return found


def clear_change(
    connection: sqlite3.Connection, obj: str, local_id: int, field: str, seq: int | None = None
) -> None:
    """Forget a changed field (only if still at ``seq``: an edit made meanwhile stays)."""
    connection.execute(
        "DELETE FROM sync_change WHERE obj = ? AND local_id = ? AND field = ? "
        "AND (? IS NULL OR seq = ?)",
        (obj, local_id, field, seq, seq),
    )


def set_base(
    connection: sqlite3.Connection, obj: str, local_id: int, field: str, base: Any
) -> None:
    """Mark a field changed against ``base`` (stored form), so the next push sends it."""
    connection.execute(NEXT_SEQ)
    connection.execute(
        "INSERT INTO sync_change (obj, local_id, field, base, seq) VALUES (?, ?, ?, ?, "
        f"{CURRENT_SEQ}) ON CONFLICT (obj, local_id, field) "
        "DO UPDATE SET base = excluded.base, seq = excluded.seq",
        (obj, local_id, field, json.dumps(base)),
    )


def open_conflict_fields(
    connection: sqlite3.Connection, obj: str, local_id: int
) -> set[str | None]:
    return {
        row[0]
        for row in connection.execute(
            "SELECT field FROM sync_conflict WHERE obj = ? AND local_id = ?", (obj, local_id)
        )
    }


def add_conflict(
    connection: sqlite3.Connection,
    obj: str,
    local_id: int,
    field: str | None,
    *,
    base: Any,
    local: Any,
    remote: Any,
    kind: str = "edited",
) -> None:
    """Record a conflict (or bring an open one on the same field up to the CRM's latest)."""
    existing = connection.execute(
        "SELECT id FROM sync_conflict WHERE obj = ? AND local_id = ? AND field IS ?",
        (obj, local_id, field),
    ).fetchone()
    if existing:
        connection.execute(
            "UPDATE sync_conflict SET remote = ?, local = ? WHERE id = ?",
            (json.dumps(remote), json.dumps(local), existing[0]),
        )
        return
    connection.execute(
        "INSERT INTO sync_conflict (obj, local_id, field, base, local, remote, kind, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (obj, local_id, field, json.dumps(base), json.dumps(local), json.dumps(remote), kind,
         now_text()),
    )  # fmt: skip
