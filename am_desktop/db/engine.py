"""One SQLAlchemy engine per database file, with the PRAGMAs the product relies on.

Its connections come from :mod:`am_desktop.db.opener` (a ``creator``, so a key never sits in
a URL); an encrypted file's engine names SQLCipher's module, so SQLAlchemy wraps its errors as
it wraps ``sqlite3``'s."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.pool import ConnectionPoolEntry

from am_desktop.db import opener
from am_desktop.db.connection import configure


def _on_connect(dbapi_connection: sqlite3.Connection, _record: ConnectionPoolEntry) -> None:
    # Autocommit at the driver level: we issue BEGIN ourselves (see _on_begin), so SQLite's
    # locking is explicit rather than the pysqlite module's guess.
    configure(dbapi_connection)


def _on_begin(connection: Connection) -> None:
    # Writers take the write lock up front (BEGIN IMMEDIATE) so two writers queue on
    # busy_timeout instead of failing half-way when a read lock cannot be upgraded.
    mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
    connection.exec_driver_sql(f"BEGIN {mode}")


def make_engine(path: Path, *, key: str | None = None, **kwargs: Any) -> Engine:
    """An engine for the SQLite file at ``path``; foreign keys on, WAL, busy timeout.

    Args:
        key: an encrypted file's key; by default :func:`opener.database_key`'s, looked up once.

    Raises:
        StorageError: the file is encrypted and no key is known (a wrong key is said at the
            first connection).
    """
    if opener.is_encrypted(path) and key is None:
        key = opener.database_key(path)
        if not key:
            raise opener.KeyMissing(path)

    def creator() -> Any:
        return opener.connect(path, key=key, check_same_thread=False)

    engine = create_engine(
        f"sqlite:///{path}", creator=creator, module=opener.driver_module(path), **kwargs
    )
    event.listen(engine, "connect", _on_connect)
    event.listen(engine, "begin", _on_begin)
    return engine


def writer(engine: Engine) -> Engine:
    """The same engine (and pool) whose transactions start with ``BEGIN IMMEDIATE``."""
    return engine.execution_options(sqlite_begin="IMMEDIATE")
