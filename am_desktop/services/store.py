"""The Store: one database file, and short read/write units of work on it.

Public service functions open exactly one ``with store.write() as session:`` (or ``read()``),
map rows to plain records inside it, and return those. Hot read paths that are plain SQL (the
account list) use :meth:`Store.raw` and skip SQLAlchemy, which is only imported when a
session is first needed (it costs a quarter of a second; start-up must not wait for it).
Database trouble from the environment (locked, read-only, full, damaged) surfaces as
:class:`~am_desktop.errors.StorageError`.

Every committed write is announced on :attr:`Store.changes` as a
:class:`~am_desktop.domain.changes.ChangeSet` made from what the database recorded
(:mod:`am_desktop.db.change_capture`); writes by other processes are noticed by
:meth:`Store.changed_elsewhere`.
"""

from __future__ import annotations

import errno
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from am_desktop import log
from am_desktop.db import change_capture, migrate, opener
from am_desktop.db import connection as db_connection
from am_desktop.db.location import access_problem, prepare_db_file
from am_desktop.domain.changes import ChangeFeed, ChangeSet, current_origin
from am_desktop.errors import StorageError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session, sessionmaker

#: How many idle read connections :meth:`Store.raw` keeps for reuse (one per busy thread is
#: enough: the UI thread and a few workers on a 2-CPU laptop).
IDLE_READERS = 4


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
        message = f"The database {path} is read-only, so nothing was saved. Check its permissions."
    elif "unable to open" in text:
        message = (
            f"The database {path} could not be opened: it is missing, or its folder "
            f"{path.parent} does not let AM Desktop create files. Check the permissions."
        )
    elif "disk is full" in text or "database or disk is full" in text:
        message = "The disk is full, so nothing was saved. Free some space and try again."
    elif "malformed" in text or "not a database" in text or "corrupt" in text:
        message = f"The database {path} is damaged. {migrate.restore_hint(path)}"
    else:
        message = f"The database {path.name} could not be used ({original})."
    return StorageError(message, detail=str(error))


class Store:
    """A migrated database file and its sessions.

    Args:
        path: the SQLite file; it must already be at the current schema (see :func:`open_store`).
        key: an encrypted file's key; by default :func:`opener.database_key`'s, looked up once
            here (every connection, the raw ones included, reuses it).
    """

    def __init__(self, path: Path, *, key: str | None = None) -> None:
        self.path = path
        if key is None and opener.is_encrypted(path):
            key = opener.database_key(path)
        self._key = key
        self._lock = threading.Lock()
        self._engine: Engine | None = None
        self._read: sessionmaker[Session] | None = None
        self._write: sessionmaker[Session] | None = None
        #: Every committed write's change set, published on the thread that committed.
        self.changes = ChangeFeed()
        self._watch_lock = threading.Lock()
        self._watch: sqlite3.Connection | None = None
        self._idle_lock = threading.Lock()
        self._idle_readers: list[sqlite3.Connection] = []
        #: Bumped when the idle readers are closed: a read begun before is not kept after.
        self._readers_generation = 0
        self._seen_version = 0
        self._elsewhere_pending = False
        #: Why writes are refused (a damaged file found after opening), or None.
        self.refusal: str | None = None

    @property
    def engine(self) -> Engine:
        """The SQLAlchemy engine, made on first use."""
        self._sessions()
        assert self._engine is not None
        return self._engine

    def _sessions(self) -> tuple[sessionmaker[Session], sessionmaker[Session]]:
        with self._lock:
            if self._read is None or self._write is None:
                from sqlalchemy import event
                from sqlalchemy.orm import sessionmaker

                from am_desktop.db.engine import make_engine, writer

                self._engine = make_engine(self.path, key=self._key)
                event.listen(self._engine, "connect", _record_changes)
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
    def write(self, *, bulk: bool = False) -> Iterator[Session]:
        """A session whose work is committed as one transaction, or not at all.

        Args:
            bulk: a load of many rows (an import, the demo portfolio): announced as "anything
                may have changed" instead of record by record, which would cost a row each.
        """
        from sqlalchemy import exc as sa_exc

        self._refuse_if_damaged()
        _, factory = self._sessions()
        try:
            with factory.begin() as session:
                if bulk:
                    change_capture.suspend(driver_connection(session))
                yield session
                session.flush()
                connection = driver_connection(session)
                touched = change_capture.collect(connection)
                self._note_elsewhere_before_commit()
                if bulk:
                    change_capture.install(connection)  # committed with the load
        except sa_exc.IntegrityError:
            raise  # a rule of the data was broken: the service explains it
        except sa_exc.DatabaseError as error:
            raise storage_error(error, self.path) from error
        self._announce(ChangeSet.whole(current_origin()) if bulk else touched)

    @contextmanager
    def loading_alone(self, *, check_references: bool = True) -> Iterator[None]:
        """For a load that fills a new file no one else has open (``am-desktop seed``):
        its writes go straight into the file, unsynced, instead of through the WAL.

        In WAL mode a load of a gigabyte is written twice (to the WAL, then into the file by
        the checkpoint) and synced. A rollback journal holds only the pages the load changes
        of what was there before (almost nothing in a new file), so a failed or cancelled
        load still rolls back; with syncs off, a power cut during the load can damage the
        new file (nothing else is at stake). The block's connections are made afresh and
        closed after it; the file is back in WAL mode when it ends.

        When another connection has the file open there is no switch: the load runs in WAL
        mode, as any write.

        Args:
            check_references: False for a load whose rows refer only to rows it wrote before
                them (the seed, whose same rows are checked when it runs in WAL mode, as in the
                tests): SQLite then skips a parent lookup for each reference of each row, a
                tenth of a large seed's work. Checks are back on for every later connection.
        """
        from sqlalchemy import event

        engine = self.engine
        self._close_idle_readers()
        engine.dispose()  # the switch needs the block's connection to be the only one
        switched = False

        def direct(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            nonlocal switched
            dbapi_connection.execute("PRAGMA busy_timeout=0")  # in use elsewhere: no switch
            try:
                mode = dbapi_connection.execute("PRAGMA journal_mode=TRUNCATE").fetchone()
            except opener.OperationalError:
                mode = None
            dbapi_connection.execute(f"PRAGMA busy_timeout={db_connection.BUSY_TIMEOUT_MS}")
            if not check_references:
                dbapi_connection.execute("PRAGMA foreign_keys=OFF")
            if mode is not None and str(mode[0]).lower() == "truncate":
                dbapi_connection.execute("PRAGMA synchronous=OFF")
                switched = True

        event.listen(engine, "connect", direct)
        try:
            yield
        finally:
            event.remove(engine, "connect", direct)
            engine.dispose()
            if switched:
                try:
                    # back to WAL (see configure)
                    db_connection.connect(self.path, key=self._key).close()
                except opener.Error as error:
                    raise storage_error(error, self.path) from error

    @contextmanager
    def raw(self, *, write: bool = False) -> Iterator[sqlite3.Connection]:
        """A plain ``sqlite3`` connection for hand-written SQL, without SQLAlchemy.

        A read reuses an idle connection when there is one: its page cache is still warm, which
        matters for an encrypted file (a new connection decrypts every page it reads again:
        twice the time of a short read). A write gets a connection of its own.

        Args:
            write: hold the write lock (``BEGIN IMMEDIATE``) and commit at the end.
        """
        generation = self._readers_generation
        try:
            connection = self._fresh() if write else self._take_reader()
        except opener.Error as error:
            raise storage_error(error, self.path) from error
        reusable = False
        if write:
            self._refuse_if_damaged()
        touched: list[change_capture.Touched] = []
        try:
            if write:
                change_capture.install(connection)
            connection.execute("BEGIN IMMEDIATE" if write else "BEGIN")
            yield connection
            if write:
                touched = change_capture.collect(connection)
                self._note_elsewhere_before_commit()
            connection.execute("COMMIT" if write else "ROLLBACK")
            reusable = not write
        except opener.DatabaseError as error:
            _rollback(connection)
            raise storage_error(error, self.path) from error
        except BaseException:
            _rollback(connection)
            raise
        finally:
            if reusable:
                self._put_reader(connection, generation)
            else:
                connection.close()
        if write:
            self._announce(touched)

    def _fresh(self) -> sqlite3.Connection:
        return db_connection.connect(self.path, key=self._key)

    def _take_reader(self) -> sqlite3.Connection:
        """The most recently used idle read connection (warmest cache), else a new one."""
        with self._idle_lock:
            if self._idle_readers:
                return self._idle_readers.pop()
        return self._fresh()

    def _put_reader(self, connection: sqlite3.Connection, generation: int) -> None:
        """Keep a read connection that ended cleanly for the next read (a connection is used
        by one thread at a time; it was opened with ``check_same_thread=False``), unless the
        idle readers were closed since it was taken (the store closed for a restore)."""
        with self._idle_lock:
            if generation == self._readers_generation and len(self._idle_readers) < IDLE_READERS:
                self._idle_readers.append(connection)
                return
        connection.close()

    def _close_idle_readers(self) -> None:
        with self._idle_lock:
            idle, self._idle_readers = self._idle_readers, []
            self._readers_generation += 1
        for connection in idle:
            connection.close()

    def _refuse_if_damaged(self) -> None:
        if self.refusal is not None:
            raise StorageError(self.refusal)

    def _announce(self, touched: list[change_capture.Touched] | ChangeSet) -> None:
        """After a commit: what it changed, to every listener (our own commit is not news
        for :meth:`changed_elsewhere`)."""
        self._absorb_own_commit()
        if isinstance(touched, ChangeSet):
            self.changes.publish(touched)
        elif touched:
            self.changes.publish(ChangeSet.of_rows(touched, current_origin()))

    def changed_elsewhere(self) -> bool:
        """Whether another process (a second window, the command line) committed a write
        since the last call. Cheap enough for a timer: one ``PRAGMA data_version``."""
        with self._watch_lock:
            if self._watch is None:
                self._watch = opener.connect(
                    f"{self.path.resolve().as_uri()}?mode=ro",
                    uri=True,
                    key=self._key,
                    check_same_thread=False,
                )
                self._seen_version = self._data_version()
                return False
            version = self._data_version()
            changed = version != self._seen_version or self._elsewhere_pending
            self._seen_version, self._elsewhere_pending = version, False
            return changed

    def _note_elsewhere_before_commit(self) -> None:
        """Inside a write transaction, just before its commit: a version that moved since
        the last look is another process's commit (ours holds the write lock, so nobody can
        commit between this look and ours), kept for :meth:`changed_elsewhere` — otherwise
        absorbing our own commit would swallow it."""
        with self._watch_lock:
            if self._watch is not None:
                version = self._data_version()
                if version != self._seen_version:
                    self._elsewhere_pending = True
                    self._seen_version = version

    def _absorb_own_commit(self) -> None:
        """After our commit: the version it moved to is not news. (Only a commit by another
        process in the instant between our commit and this look would go unnoticed.)"""
        with self._watch_lock:
            if self._watch is not None:
                self._seen_version = self._data_version()

    def _data_version(self) -> int:
        assert self._watch is not None
        try:
            row = self._watch.execute("PRAGMA data_version").fetchone()
        except opener.Error:  # the file went away or is locked: no news is the safe answer
            return self._seen_version
        return int(row[0])

    def close(self) -> None:
        """Release every connection (the file can then be moved or deleted)."""
        self._close_idle_readers()
        if self._engine is not None:
            self._engine.dispose()
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None


def _record_changes(dbapi_connection: sqlite3.Connection, _record: object) -> None:
    """Each pooled connection records what its writes touch (the change feed)."""
    change_capture.install(dbapi_connection)


def _rollback(connection: sqlite3.Connection) -> None:
    if connection.in_transaction:
        connection.execute("ROLLBACK")


def driver_connection(session: Any) -> sqlite3.Connection:
    """The DB-API connection under a SQLAlchemy session (same transaction): ``sqlite3``'s, or
    SQLCipher's for an encrypted file (the same interface)."""
    driver: sqlite3.Connection | None = session.connection().connection.driver_connection
    assert driver is not None
    return driver


def _os_storage_error(error: OSError, path: Path, *, is_new: bool) -> StorageError:
    if is_disk_full(error):
        message = "The disk is full, so nothing was saved. Free some space and try again."
    else:
        done = "created" if is_new else "upgraded"
        message = f"The database {path} could not be {done}: {error.strerror or error}."
    return StorageError(message, detail=str(error))


def is_disk_full(error: BaseException) -> bool:
    """Whether a failure (``OSError``, ``sqlite3``'s, or one SQLAlchemy wraps) is a full disk."""
    original = getattr(error, "orig", None) or error
    if isinstance(original, OSError):
        return original.errno == errno.ENOSPC
    return isinstance(original, opener.Error) and "disk is full" in str(original).lower()


def _remove_new_database(path: Path) -> None:
    for leftover in (
        path,
        *(path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal")),
    ):
        leftover.unlink(missing_ok=True)


def open_store(path: Path, *, check_budget_s: float = migrate.QUICK_CHECK_BUDGET_S) -> Store:
    """Open (creating if needed) the database at ``path``, migrated to the current schema.

    Args:
        check_budget_s: the time the quick check of a current file may take at open; the
            window passes 0 and runs :func:`verify_file` first on its write lane instead, so
            its first paint does not wait for it.

    Raises:
        StorageError: the file is damaged, foreign, too new, read-only, missing behind a
            link, or cannot be created.
    """
    problem = access_problem(path)
    if problem is not None:
        raise StorageError(problem)
    is_new = not path.exists()
    try:
        prepare_db_file(path)
        migrated = migrate.prepare_database(path, check_budget_s=check_budget_s)
    except StorageError:
        raise
    except Exception as error:
        if is_new:
            _remove_new_database(path)  # nothing of a database that could not be made
        if isinstance(error, OSError):
            raise _os_storage_error(error, path, is_new=is_new) from error
        if isinstance(error, opener.Error) or isinstance(
            getattr(error, "orig", None), opener.Error
        ):
            raise storage_error(error, path) from error  # read-only, full, locked mid-migration
        raise
    if migrated:
        log.db.info("database %s is now at %s", path, migrate.HEAD_REVISION)
    return Store(path)


def verify_file(store: Store, budget_s: float = migrate.QUICK_CHECK_BUDGET_S) -> None:
    """The quick check the window runs first on its write lane (no write can precede it):
    a damaged file refuses every write from then on.

    Raises:
        StorageError: the file is damaged (the message names the newest backup).
    """
    try:
        migrate.check_integrity(store.path, budget_s=budget_s)
    except StorageError as error:
        store.refusal = error.user_message
        raise
