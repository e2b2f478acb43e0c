"""A contact's manager in sync (issue 18): the CRM's reporting line (Salesforce's ReportsToId)
and the local ``reports_to_id``, merged as one field.

A CRM that keeps reporting lines says so by a ``reports_to`` link on every contact it sends
(empty when none); HubSpot sends none, so a manager changed here is simply not its business.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from am_desktop.services.sync import state as st
from am_desktop.services.sync.connector import RemoteRecord

FIELD = "reports_to_id"


def _remote_manager(connection: sqlite3.Connection, manager_id: Any) -> str | None:
    return None if manager_id is None else st.remote_id_of(connection, "contact", int(manager_id))


def manager_to_send(
    connection: sqlite3.Connection, contact_id: int, remote: RemoteRecord
) -> tuple[str | None, int] | None:
    """(the manager's CRM id, None to clear; the change's seq) when a manager changed here is
    to be sent. None when there is nothing to send: the CRM keeps no reporting lines (the
    change is dropped), it already has that manager (settled), or the manager is not in the
    CRM yet (sent once it is)."""
    change = st.changes_of(connection, "contact", contact_id).get(FIELD)
    if change is None:
        return None
    _base, seq = change
    if "reports_to" not in remote.links:
        st.clear_change(connection, "contact", contact_id, FIELD, seq)
        return None
    row = connection.execute("SELECT reports_to_id FROM contact WHERE id = ?", (contact_id,))
    manager = (row.fetchone() or (None,))[0]
    wanted = _remote_manager(connection, manager)
    if manager is not None and wanted is None:
        return None
    if next(iter(remote.links["reports_to"]), None) == wanted:
        st.clear_change(connection, "contact", contact_id, FIELD, seq)
        return None
    return wanted, seq


def keeps_local_manager(
    connection: sqlite3.Connection, contact_id: int, record: RemoteRecord
) -> bool | None:
    """Whether a manager changed here (not yet sent) stands against the CRM's reporting line:
    True while the CRM still has the line it had before (ours is sent next); False when the CRM
    changed it too (theirs is taken, our change dropped); None when nothing changed here."""
    change = st.changes_of(connection, "contact", contact_id).get(FIELD)
    if change is None:
        return None
    base, seq = change
    theirs = next(iter(record.links.get("reports_to", [])), None)
    if theirs == _remote_manager(connection, base):
        return True
    st.clear_change(connection, "contact", contact_id, FIELD, seq)
    return False
