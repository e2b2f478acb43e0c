"""The Store: one database file, and short read/write units of work on it.

Public service functions open exactly one ``with store.write() as session:`` (or ``read()``),
map rows to plain records inside it, and return those. Hot read paths that are plain SQL (the
account list) use :meth:`Store.raw` and skip SQLAlchemy, which is only imported when a
session is first needed (it costs a quarter of a second; start-up must not wait for it).
Database trouble from the environment (locked, read-only, full, damaged) surfaces as
:class:`~am_desktop.errors.StorageError`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from am_desktop import log
from am_desktop.db import connection as db_connection
from am_desktop.db import migrate
from am_desktop.db.location import prepare_db_file
from am_desktop.errors import StorageError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker


def storage_error(error: BaseException, path: Path) -> StorageError:
    """Translate an SQLite failure (raw or wrapped by SQLAlchemy) into words for the user."""
    original = getattr(error, "orig", None) or error
    text = str(original).lower()
    if "locked" in text or "busy" in text:
        message = (
            f"The database {path.name} is busy in another program or window. "
            "Close it there and try again."
        )
    elif "readonly" in text or "read-only" in text:
        message = f"The database {path} cannot be written (read-only). Check its permissions."
    elif "disk is full" in text or "database or disk is full" in text:
        message = "The disk is full, so nothing was saved. Free some space and try again."
    elif "malformed" in text or "not a database" in text or "corrupt" in text:
        message = f"The database {path} is damaged. Restore a backup from its 'backups' folder."
    else:
        message = f"The database {path.name} could not be used ({original})."
    return StorageError(message, detail=str(error))


class Store:
    """A migrated database file and its sessions.

    Args:
        path: the SQLite file; it must already be at the current schema (see :func:`open_store`).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._read: sessionmaker[Session] | None = None
        self._write: sessionmaker[Session] | None = None

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, made on first use."""
        self._sessions()
        assert self._engine is not None
        return self._engine

    def _sessions(self) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
        with self._lock:
            if self._read is None or self._write is None:
                from sqlalchemy.orm import sessionmaker

                from am_desktop.db.engine import make_engine, writer

                self._engine = make_engine(self.path)
                self._read = sessionmaker(self._engine, expire_on_commit=False)
                self._write = sessionmaker(writer(self._engine), expire_on_commit=False)
            return self._read, self._write

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; nothing it does is committed."""
        from sqlalchemy import exc as sa_exc

        factory, _ = self._sessions()
        try:
            with factory() as session:
                yield session
        except sa_exc.DatabaseError as error:
            raise storage_error(error, self.path) from error

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work is committed as one transaction, or not at all."""
        from sqlalchemy import exc as sa_exc

        _, factory = self._sessions()
        try:
            with factory.begin() as session:
                yield session
        except sa_exc.IntegrityError:
            raise  # a rule of the data was broken: the service explains it
        except sa_exc.DatabaseError as error:
            raise storage_error(error, self.path) from error

    @contextmanager
    def raw(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        """A plain ``sqlite3`` connection for hand-written SQL, without SQLAlchemy.

        Args:
            write: hold the write lock (``BEGIN IMMEDIATE``) and commit at the end.
        """
        try:
            connection = db_connection.connect(self.path)
        except sqlite3.Error as error:
            raise storage_error(error, self.path) from error
        try:
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            yield connection
            connection.execute("COMMIT" if write else "ROLLBACK")
        except sqlite3.DatabaseError as error:
            _rollback(connection)
            raise storage_error(error, self.path) from error
        except BaseException:
            _rollback(connection)
            raise
        finally:
            connection.close()

    def close(self) -> None:
        """Release every connection (the file can then be moved or deleted)."""
        if self._engine is not None:
            self._engine.dispose()


def _rollback(connection: sqlite3.Connection) -> None:
    if connection.in_transaction:
        connection.execute("ROLLBACK")


def driver_connection(session: Any) -> sqlite3.Connection:
    """The ``sqlite3`` connection under a SQLAlchemy session (same transaction)."""
    driver = session.connection().connection.driver_connection
    assert isinstance(driver, sqlite3.Connection)
    return driver


def daily_backup(store: Store, today: date, keep: int) -> Path | None:
    """Today's backup copy unless taken already; only the ``keep`` newest are kept.

    Raises:
        StorageError: the copy could not be written (the database itself is untouched).
    """
    from am_desktop.db.backup import rotate_daily_backup

    try:
        return rotate_daily_backup(store.path, today, keep=keep)
    except (OSError, sqlite3.Error) as error:
        raise StorageError(
            f"Today's backup of {store.path.name} could not be written ({error}). "
            "Your data is safe; check the free space and permissions of its 'backups' folder.",
            detail=str(error),
        ) from error


def open_store(path: Path) -> Store:
    """Open (creating if needed) the database at ``path``, migrated to the current schema.

    Raises:
        StorageError: the file is damaged, foreign, too new, or cannot be created.
    """
    try:
        prepare_db_file(path)
    except OSError as error:
        raise StorageError(
            f"The database {path} could not be created: {error.strerror}.", detail=str(error)
        ) from error
    migrated = migrate.prepare_database(path)
    if migrated:
        log.db.info("database %s is now at %s", path, migrate.HEAD_REVISION)
    return Store(path)
