"""The database records what each write touched, for the change feed (issue 13).

Temporary triggers (one connection's own, never stored in the file) add a row to the
temporary table ``am_change`` for every inserted, updated or deleted record of the product's
tables: whatever code path writes on that connection (the ORM, hand-written SQL, a bulk
``executemany``), nothing can forget to announce it. The store reads and clears the table at
the end of each write transaction, before its commit, so a rolled-back write announces
nothing, and publishes it after the commit.
"""

from __future__ import annotations

import sqlite3

from am_desktop.db import opener
from am_desktop.domain.changes import Entity

#: Table -> (the kind of record, the SQL for a row's id, for its account; ``{row}`` is NEW/OLD).
TABLES: dict[str, tuple[Entity, str, str]] = {
    "account": (Entity.ACCOUNT, "{row}.id", "{row}.id"),
    "account_summary": (Entity.ACCOUNT, "{row}.account_id", "{row}.account_id"),
    "contact": (Entity.CONTACT, "{row}.id", "{row}.account_id"),
    "influence_link": (Entity.INFLUENCE_LINK, "{row}.id", "{row}.account_id"),
    "note": (Entity.NOTE, "{row}.id", "{row}.account_id"),
    # Attendees are part of their note.
    "note_attendee": (
        Entity.NOTE,
        "{row}.note_id",
        "(SELECT account_id FROM main.note WHERE id = {row}.note_id)",
    ),
    "action_item": (Entity.ACTION_ITEM, "{row}.id", "{row}.account_id"),
    "account_objective": (Entity.OBJECTIVE, "{row}.id", "{row}.account_id"),
    "account_risk": (Entity.RISK, "{row}.id", "{row}.account_id"),
    "whitespace_product": (Entity.WHITESPACE, "{row}.id", "{row}.account_id"),
    "product_feedback": (Entity.FEEDBACK, "{row}.id", "{row}.account_id"),
    "contract": (Entity.CONTRACT, "{row}.id", "{row}.account_id"),
    "renewal": (
        Entity.RENEWAL,
        "{row}.id",
        "(SELECT account_id FROM main.contract WHERE id = {row}.contract_id)",
    ),
    "opportunity": (Entity.OPPORTUNITY, "{row}.id", "{row}.account_id"),
    "escalation": (Entity.ISSUE, "{row}.id", "{row}.account_id"),
    "arr_movement": (Entity.LEDGER_MOVEMENT, "{row}.id", "{row}.account_id"),
    "health_snapshot": (Entity.HEALTH_SNAPSHOT, "{row}.id", "{row}.account_id"),
    "survey_response": (Entity.SURVEY, "{row}.id", "{row}.account_id"),
    "usage_sample": (Entity.USAGE, "{row}.id", "{row}.account_id"),
    "sync_link": (Entity.SYNC_STATE, "{row}.local_id", "NULL"),
    "sync_change": (Entity.SYNC_STATE, "{row}.local_id", "NULL"),
    "sync_conflict": (Entity.SYNC_STATE, "{row}.local_id", "NULL"),
    "sync_outbox": (Entity.SYNC_STATE, "{row}.local_id", "NULL"),
    "sync_state": (Entity.SYNC_STATE, "0", "NULL"),
    "fx_rate": (Entity.EXCHANGE_RATE, "0", "NULL"),
}

#: One touched record: its kind, id and account (None for records of no account).
Touched = tuple[Entity, int, int | None]

_BY_VALUE = {entity.value: entity for entity in Entity}

# No key or constraint: a conflict clause in a trigger gives way to the outer statement's (an
# upsert's would make a duplicate fail the write), so duplicates are removed when read instead.
_TABLE_SQL = (
    "CREATE TEMP TABLE IF NOT EXISTS am_change ("
    " entity TEXT NOT NULL, id INTEGER NOT NULL, account_id INTEGER NOT NULL)"
)


def _trigger_sql(table: str, event: str) -> str:
    entity, id_sql, account_sql = TABLES[table]
    rows = {"INSERT": ("NEW",), "DELETE": ("OLD",), "UPDATE": ("NEW", "OLD")}[event]
    inserts = "\n".join(
        "INSERT INTO am_change (entity, id, account_id) VALUES "
        f"('{entity.value}', {id_sql.format(row=row)}, "
        f"coalesce({account_sql.format(row=row)}, -1));"
        for row in rows  # a record moved to another account concerns both
    )
    return (
        f"CREATE TEMP TRIGGER IF NOT EXISTS am_change_{table}_{event.lower()} "
        f"AFTER {event} ON main.{table} BEGIN\n{inserts}\nEND"
    )


_INSTALL = [
    _TABLE_SQL,
    *(_trigger_sql(table, event) for table in TABLES for event in ("INSERT", "UPDATE", "DELETE")),
]
_DROP = [
    f"DROP TRIGGER IF EXISTS temp.am_change_{table}_{event}"
    for table in TABLES
    for event in ("insert", "update", "delete")
]


def install(connection: sqlite3.Connection) -> None:
    """Start recording this connection's writes (once per connection; again after
    :func:`suspend`)."""
    for statement in _INSTALL:
        connection.execute(statement)


def suspend(connection: sqlite3.Connection) -> None:
    """Stop recording on this connection (a bulk load announces itself as a whole instead of
    row by row); :func:`install` brings the triggers back."""
    for statement in _DROP:
        connection.execute(statement)


def collect(connection: sqlite3.Connection) -> list[Touched]:
    """What this connection's transaction touched so far, as ``(kind, id, account id)``; the
    record is cleared (call it last, inside the transaction)."""
    try:
        rows = connection.execute(
            "SELECT DISTINCT entity, id, account_id FROM temp.am_change"
        ).fetchall()
    except opener.OperationalError:  # recording was never installed on this connection
        return []
    if rows:
        connection.execute("DELETE FROM temp.am_change")
    return [(_BY_VALUE[e], i, None if a < 0 else a) for e, i, a in rows]
