"""The local fields CRM sync follows, and the triggers that record their changes (issue 8).

A trigger, not application code, records each change: every path that writes (the window's
services, the note autosave, an import, a script with the sqlite3 shell) is covered, in the
same transaction as the change. Recording is on once sync is first used (``tracking``), only
for records already linked to the CRM (the others are sent whole as creates), and off while
the sync itself applies what it pulled (``applying``, set inside its own write transaction).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

#: Table -> the columns whose local changes are pushed to the CRM (a contact's manager since
#: 0010: a CRM without reporting lines drops that change at the push; the currencies since
#: 0012: a CRM record without one takes only the amounts, rewritten in the new currency).
TRACKED: dict[str, tuple[str, ...]] = {
    "account": ("name", "domain", "industry", "archived_at", "currency"),
    "contact": (
        "first_name",
        "last_name",
        "email",
        "title",
        "phone",
        "account_id",
        "archived_at",
        "reports_to_id",
    ),
    "note": ("body", "occurred_at", "account_id", "archived_at"),
    "opportunity": (
        "name",
        "amount_cents",
        "close_date",
        "stage",
        "account_id",
        "archived_at",
        "currency",
    ),
    "renewal": ("stage", "proposed_arr_cents", "close_date", "archived_at", "currency"),
}


def trigger_name(table: str) -> str:
    return f"sync_track_{table}"


#: The newest change number, kept in ``sync_state``: it only grows (a number is never reused,
#: so a push can tell an edit made while it was on its way), and reading it is one lookup.
NEXT_SEQ = (
    "INSERT INTO sync_state (key, value) VALUES ('seq', 1) "
    "ON CONFLICT (key) DO UPDATE SET value = value + 1;"
)
CURRENT_SEQ = "(SELECT value FROM sync_state WHERE key = 'seq')"


def create_trigger_sql(table: str, fields: tuple[str, ...]) -> str:
    """One AFTER UPDATE trigger recording each changed field with the value it had (its base)."""
    statements = [NEXT_SEQ]
    for field in fields:
        statements.append(
            "INSERT INTO sync_change (obj, local_id, field, base, seq) "
            f"SELECT '{table}', NEW.id, '{field}', json_quote(OLD.{field}), {CURRENT_SEQ} "
            f"WHERE OLD.{field} IS NOT NEW.{field} "
            "ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;"
        )
        # An edit back to the agreed value leaves nothing to send.
        statements.append(
            f"DELETE FROM sync_change WHERE obj = '{table}' AND local_id = NEW.id "
            f"AND field = '{field}' AND base IS json_quote(NEW.{field});"
        )
    body = "\n  ".join(statements)
    return (
        f"CREATE TRIGGER {trigger_name(table)} AFTER UPDATE ON {table}\n"
        "WHEN (SELECT value FROM sync_state WHERE key = 'tracking') = '1'\n"
        " AND (SELECT value FROM sync_state WHERE key = 'applying') IS NOT '1'\n"
        f" AND EXISTS (SELECT 1 FROM sync_link WHERE obj = '{table}' AND local_id = NEW.id)\n"
        f"BEGIN\n  {body}\nEND"
    )


#: A note's attendees are a set: any change to it marks the note's ``attendees`` as changed
#: (the push compares the whole set with the CRM's associations).
ATTENDEE_TRIGGERS = {
    f"sync_track_note_attendee_{event.lower()}": (event, row)
    for event, row in (("INSERT", "NEW"), ("DELETE", "OLD"), ("UPDATE", "NEW"))
}


def attendee_trigger_sql(name: str) -> str:
    """A trigger marking the note of an added, removed or changed attendee."""
    event, row = ATTENDEE_TRIGGERS[name]
    return (
        f"CREATE TRIGGER {name} AFTER {event} ON note_attendee\n"
        "WHEN (SELECT value FROM sync_state WHERE key = 'tracking') = '1'\n"
        " AND (SELECT value FROM sync_state WHERE key = 'applying') IS NOT '1'\n"
        f" AND EXISTS (SELECT 1 FROM sync_link WHERE obj = 'note' AND local_id = {row}.note_id)\n"
        f"BEGIN\n  {NEXT_SEQ}\n"
        "  INSERT INTO sync_change (obj, local_id, field, base, seq) "
        f"VALUES ('note', {row}.note_id, 'attendees', NULL, {CURRENT_SEQ}) "
        "ON CONFLICT (obj, local_id, field) DO UPDATE SET seq = excluded.seq;\nEND"
    )


def tracking_triggers() -> tuple[str, ...]:
    """The names of every trigger that records local changes for the CRM."""
    return (*(trigger_name(table) for table in TRACKED), *ATTENDEE_TRIGGERS)


@contextmanager
def untracked_while_unlinked(connection: sqlite3.Connection) -> Iterator[None]:
    """Suspend the tracking triggers for a bulk load into a database linked to no CRM record.

    Each trigger records a change only for a record in ``sync_link``: with that table empty
    they record nothing, yet still look it up for every row (1.7 million note attendees in
    a large seed). They are dropped for the block and made again from their stored SQL after
    it, inside the caller's transaction (rolled back with it if the block fails). With links
    present nothing is suspended.
    """
    if connection.execute("SELECT 1 FROM sync_link LIMIT 1").fetchone() is not None:
        yield
        return
    names = tracking_triggers()
    marks = ", ".join("?" for _ in names)
    triggers = connection.execute(
        f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN ({marks}) "
        "ORDER BY name",
        names,
    ).fetchall()
    for name, _ in triggers:
        connection.execute(f'DROP TRIGGER "{name}"')
    yield
    for _, sql in triggers:
        connection.execute(sql)
