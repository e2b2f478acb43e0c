"""Which local renewal a renewal made in the CRM is (issue 18): the renewal of the account's
live contract ending nearest the CRM record's close date, not linked to another CRM record yet.
Where there is none the record stays an expansion opportunity, and the sync says why."""

from __future__ import annotations

import sqlite3
from typing import Any


def renewal_to_link(
    connection: sqlite3.Connection, account_id: int, close_date: Any | None
) -> int | None:
    """The local renewal a CRM renewal of ``account_id`` closing on ``close_date`` stands for
    (without a close date: the contract ending nearest today), or None."""
    row = connection.execute(
        "SELECT r.id FROM renewal r JOIN contract c ON c.id = r.contract_id "
        "WHERE c.account_id = ? AND c.archived_at IS NULL AND r.archived_at IS NULL "
        "AND NOT EXISTS (SELECT 1 FROM sync_link l WHERE l.obj = 'renewal' AND l.local_id = r.id) "
        "ORDER BY abs(julianday(c.end_date) - julianday(coalesce(?, date('now')))), c.end_date "
        "LIMIT 1",
        (account_id, None if close_date is None else str(close_date)),
    ).fetchone()
    return None if row is None else int(row[0])


def kept_as_opportunity(remote_id: str, name: str | None) -> str:
    """The sync report's words for a CRM renewal with no contract here to renew."""
    called = f" “{name}”" if name else ""
    return (
        f"A renewal in the CRM{called} ({remote_id}) was kept here as an expansion opportunity: "
        "its account has no contract here whose renewal it could be (renewals follow "
        "contracts). It stays an opportunity here; add the contract to track the next one."
    )
