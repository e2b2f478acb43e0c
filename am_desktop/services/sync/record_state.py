"""Where a record stands with the CRM, and where sync stands as a whole, for the window's
labels (issue 8 item 7). Plain SQL over the sync tables, read-only, no network.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from am_desktop.services.store import Store
from am_desktop.services.sync import state as st
from am_desktop.services.sync.engine import pending_changes


class RecordState(enum.Enum):
    """One record's standing with the CRM."""

    #: Linked, nothing waiting: the CRM has what this computer has.
    IN_CRM = "in_crm"
    #: Linked, with local changes the next sync sends.
    CHANGED = "changed"
    #: Never sent: the next sync creates it in the CRM.
    NEW = "new"
    #: A conflict waits for the account manager.
    CONFLICT = "conflict"


@dataclass(frozen=True, slots=True)
class SyncSummary:
    """Sync at a glance, for the status bar.

    Attributes:
        tracking: sync has been used on this database.
        pending: records with changes the CRM has not had yet.
        conflicts: open conflicts.
        last_sync: when the last run finished (UTC text), or None.
    """

    tracking: bool
    pending: int
    conflicts: int
    last_sync: str | None


def record_state(store: Store, obj: str, local_id: int) -> RecordState | None:
    """A record's standing with the CRM.

    Args:
        store: the database.
        obj: the local kind ("account", "contact", …).
        local_id: the record's id.

    Returns:
        None while sync has never been used on this database, else the record's state
        (a conflict first, then changes waiting, then whether it is linked at all).
    """
    with store.raw() as connection:
        if st.get_state(connection, "tracking") != "1":
            return None
        key = (obj, local_id)
        if connection.execute(
            "SELECT 1 FROM sync_conflict WHERE obj = ? AND local_id = ? LIMIT 1", key
        ).fetchone():
            return RecordState.CONFLICT
        if not connection.execute(
            "SELECT 1 FROM sync_link WHERE obj = ? AND local_id = ?", key
        ).fetchone():
            return RecordState.NEW
        if connection.execute(
            "SELECT 1 FROM sync_change WHERE obj = ? AND local_id = ? LIMIT 1", key
        ).fetchone():
            return RecordState.CHANGED
    return RecordState.IN_CRM


def sync_summary(store: Store) -> SyncSummary:
    """Whether sync is in use, what waits to be sent, the open conflicts and the last run."""
    with store.raw() as connection:
        tracking = st.get_state(connection, "tracking") == "1"
        last = st.get_state(connection, "last_sync")
        conflicts = int(connection.execute("SELECT count(*) FROM sync_conflict").fetchone()[0])
    return SyncSummary(tracking, pending_changes(store) if tracking else 0, conflicts, last)
