"""Plain DB-API connections with the PRAGMAs the product relies on, and the stored text
form of timestamps: the fast path that needs no SQLAlchemy (start-up, the account list).

Connections come from :mod:`am_desktop.db.opener`: ``sqlite3``'s for a plain file, SQLCipher's
(the same interface) for an encrypted one."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from am_desktop.db import opener

#: How long a writer waits for another writer before "database is locked" (ms).
BUSY_TIMEOUT_MS = 5000
#: How timestamps are stored: UTC, fixed width, so text order is time order.
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S.%f"


def configure(connection: sqlite3.Connection) -> None:
    """Foreign keys on, WAL, a busy timeout; transactions are begun explicitly by callers."""
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    # WAL + NORMAL: a committed transaction survives a killed process (not a power cut mid-commit).
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def connect(path: Path, *, key: str | None = None) -> sqlite3.Connection:
    """A configured connection to the database at ``path`` (``key``: see :func:`opener.connect`).

    Raises:
        StorageError: the file is encrypted and the key is missing or wrong.
    """
    connection: sqlite3.Connection = opener.connect(path, key=key, check_same_thread=False)
    configure(connection)
    return connection


def datetime_to_db(moment: datetime) -> str:
    """The stored text of an aware (or UTC-naive) datetime."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime(DATETIME_FORMAT)


def datetime_from_db(text: str) -> datetime:
    """An aware UTC datetime from its stored text."""
    return datetime.strptime(text, DATETIME_FORMAT).replace(tzinfo=UTC)
