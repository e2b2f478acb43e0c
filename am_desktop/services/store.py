"""The Store: one database file, its engine, and short read/write units of work.

Public service functions open exactly one ``with store.write() as session:`` (or ``read()``),
map rows to plain records inside it, and return those. Database trouble from the environment
(locked, read-only, full, damaged) surfaces as :class:`~am_desktop.errors.StorageError`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session, sessionmaker

from am_desktop import log
from am_desktop.db import migrate
from am_desktop.db.engine import make_engine, writer
from am_desktop.db.location import prepare_db_file
from am_desktop.errors import StorageError


def storage_error(error: sa_exc.DBAPIError, path: Path) -> StorageError:
    """Translate an SQLite failure into words for the user."""
    text = str(error.orig).lower()
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
        message = f"The database {path.name} could not be used ({error.orig})."
    return StorageError(message, detail=str(error))


class Store:
    """A migrated database file and its sessions.

    Args:
        path: the SQLite file; it must already be at the current schema (see :func:`open_store`).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.engine = make_engine(path)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(writer(self.engine), expire_on_commit=False)

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for queries; nothing it does is committed."""
        try:
            with self._read() as session:
                yield session
        except sa_exc.DatabaseError as error:
            raise storage_error(error, self.path) from error

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A session whose work is committed as one transaction, or not at all."""
        try:
            with self._write.begin() as session:
                yield session
        except sa_exc.IntegrityError:
            raise  # a rule of the data was broken: the service explains it
        except sa_exc.DatabaseError as error:
            raise storage_error(error, self.path) from error

    def close(self) -> None:
        """Release every connection (the file can then be moved or deleted)."""
        self.engine.dispose()


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
