"""Turning encryption at rest on and off (PRODUCT.md §1 "Data at rest"), losing nothing.

Either way a NEW file is written beside the database under a temporary name with SQLCipher's
``sqlcipher_export``, proven (``PRAGMA integrity_check``, the row count of every table, the
schema revision), and only then swapped in with one atomic rename. Until that rename the
original is untouched, so a crash or a killed process at any point leaves it usable (a
half-written copy is removed by the next attempt). The work holds the database exclusively:
it refuses while another window or program has the file open, and no one can open it midway.
No plaintext ``-wal`` or ``-shm`` stays behind: the plain file is checkpointed and closed
before the swap, and what is left of its journal files is removed.

The key is the app's (256 random bits, kept in the system keyring), or ``$AM_DESKTOP_DB_KEY``.
"""

from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path
from typing import Any

from am_desktop import log
from am_desktop.db import migrate, opener
from am_desktop.db.location import make_private_file
from am_desktop.domain.cancel import Progress, no_progress
from am_desktop.errors import StorageError

#: The new file's name while it is written: ``book.sqlite3.encrypting`` / ``.decrypting``.
ENCRYPTING_SUFFIX = ".encrypting"
DECRYPTING_SUFFIX = ".decrypting"
#: For the SIGKILL test only: when set, the work says "half-written" on standard output while
#: the copy is being written, then waits for a line on standard input (it is killed first).
PAUSE_ENV_VAR = "AM_DESKTOP_PAUSE_ENCRYPTION_AT"

#: Progress is reported in thousandths of the whole work.
_WHOLE = 1000
#: Progress checks run every this many SQLite virtual-machine steps.
_PROGRESS_STEPS = 1_000
#: The page cache of the check of the new copy (KiB): decrypting a page again costs more.
_CHECK_CACHE_KIB = 256 * 1024


class NoPlaceForKey(StorageError):  # noqa: N818 - reads as what is missing
    """Encrypting needs a key to be kept, and there is neither a keyring nor the variable."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"This computer has no keyring to keep the key of {path.name} in, so it was not "
            f"encrypted: set ${opener.KEY_ENV_VAR} to a key of your own (64 hex digits, or a "
            "long passphrase), keep it safe, and run this again."
        )


def is_encrypted(path: Path) -> bool:
    """Whether the database at ``path`` is encrypted (what Preferences shows)."""
    return opener.is_encrypted(path)


def encrypt_database(path: Path, *, progress: Progress = no_progress) -> None:
    """Encrypt the plain database at ``path`` in place (closed everywhere else).

    The key: ``$AM_DESKTOP_DB_KEY``, else the keyring's, else a new random one saved in the
    keyring first (so a key is never lost with the file encrypted by it).

    Raises:
        StorageError: it is encrypted already, damaged or foreign, open elsewhere, the disk
            is full, or no key can be kept (:class:`NoPlaceForKey`); the file is untouched.
    """
    _require_file(path)
    if opener.is_encrypted(path):
        raise StorageError(f"The database {path} is encrypted already; nothing was changed.")
    migrate.current_revision(path)  # refuses a damaged or foreign file in words
    key = opener.database_key(path) or _new_kept_key(path)
    _rewrite(path, key, encrypt=True, progress=progress)


def decrypt_database(path: Path, *, progress: Progress = no_progress) -> None:
    """Write the encrypted database at ``path`` back as a plain file (closed elsewhere).

    Raises:
        StorageError: it is not encrypted, its key is missing or wrong, it is open elsewhere,
            or the disk is full; the file is untouched.
    """
    _require_file(path)
    if not opener.is_encrypted(path):
        raise StorageError(f"The database {path} is not encrypted; nothing was changed.")
    key = opener.database_key(path)
    if not key:
        raise opener.KeyMissing(path)
    opener.connect(path, key=key).close()  # a wrong key is said before anything is written
    _rewrite(path, key, encrypt=False, progress=progress)


def _require_file(path: Path) -> None:
    if not path.is_file():
        raise StorageError(f"There is no database at {path}; nothing was changed.")


def _new_kept_key(path: Path) -> str:
    """A new 256-bit key, saved in the keyring before any file depends on it."""
    from am_desktop.system_keyring import NoKeyring, save_secret

    key = secrets.token_hex(32)
    try:
        save_secret(opener.KEYRING_ENTRY, key)
    except NoKeyring:
        raise NoPlaceForKey(path) from None
    log.db.info("made a new database key and kept it in the keyring")
    return key


def _rewrite(path: Path, key: str, *, encrypt: bool, progress: Progress) -> None:
    """Write the other form of ``path`` beside it, prove it, swap it in."""
    temporary = path.with_name(path.name + (ENCRYPTING_SUFFIX if encrypt else DECRYPTING_SUFFIX))
    _remove_with_journals(temporary)  # a copy left by a killed attempt
    source = _hold_exclusively(path, key=None if encrypt else key)
    try:
        progress(0, _WHOLE, "Checking the database")
        expected = _census(source)
        progress(20, _WHOLE, "Writing the new copy")
        _export(source, path, temporary, key if encrypt else "", progress)
        progress(800, _WHOLE, "Checking the new copy")
        _prove(temporary, key if encrypt else None, expected)
        _checkpoint(source)
    except BaseException:
        source.close()
        _remove_with_journals(temporary)
        raise
    source.close()  # the last connection: SQLite folds the WAL in and removes it
    progress(950, _WHOLE, "Putting the new copy in place")
    _swap(temporary, path)
    log.db.info("%s %s", "encrypted" if encrypt else "decrypted", path)
    progress(_WHOLE, _WHOLE, "Done")


def _hold_exclusively(path: Path, key: str | None) -> Any:
    """A connection that keeps the database to itself until closed (SQLCipher's module, which
    can ATTACH with a key); refuses when another connection has the file open."""
    import sqlcipher3.dbapi2 as sqlcipher

    connection = sqlcipher.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        if key is not None:
            opener.apply_key(connection, key)
        connection.execute("PRAGMA busy_timeout=0")
        connection.execute("PRAGMA locking_mode=EXCLUSIVE")
        connection.execute("BEGIN EXCLUSIVE")
        connection.execute("COMMIT")  # the lock stays: exclusive locking mode keeps it
    except sqlcipher.OperationalError as error:
        connection.close()
        if "locked" in str(error) or "busy" in str(error):
            raise StorageError(
                f"The database {path} is open in AM Desktop or another program: close it "
                "there and try again; nothing was changed.",
                detail=str(error),
            ) from error
        raise _unusable(path, error) from error
    except sqlcipher.DatabaseError as error:
        connection.close()
        raise _unusable(path, error) from error
    return connection


def _census(connection: Any) -> dict[str, Any]:
    """What must be equal in the copy: every ordinary table's row count, and the revision."""
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND sql NOT LIKE 'CREATE VIRTUAL TABLE%' ORDER BY name"
        )
    ]
    census: dict[str, Any] = {
        name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names
    }
    if "alembic_version" in census:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        census["revision:"] = row[0] if row else None
    return census


def _export(source: Any, path: Path, temporary: Path, key: str, progress: Progress) -> None:
    """``sqlcipher_export`` of the whole database into a new private file (``key`` "" = plain)."""
    make_private_file(temporary)
    total = max(path.stat().st_size, 1)
    pause = [bool(os.environ.get(PAUSE_ENV_VAR))]

    def report() -> int:
        written = temporary.stat().st_size if temporary.exists() else 0
        progress(20 + round(780 * min(written / total, 1.0)), _WHOLE, "Writing the new copy")
        if pause[0]:
            pause[0] = False
            _pause_for_test()
        return 0

    literal = opener.key_literal(key) if key else "''"
    source.execute(f"ATTACH DATABASE ? AS copy KEY {literal}", (str(temporary),))
    source.execute("PRAGMA copy.cache_size = -2048")  # pages reach the file as they are made
    # Checked by each statement of the export that runs this many steps (its big copies); the
    # test's pause must also catch a tiny database's.
    source.set_progress_handler(report, 10 if pause[0] else _PROGRESS_STEPS)
    try:
        source.execute("BEGIN")
        source.execute("SELECT sqlcipher_export('copy')").fetchone()
        source.execute("COMMIT")
    except BaseException:
        if source.in_transaction:
            source.execute("ROLLBACK")
        raise
    finally:
        source.set_progress_handler(None, 0)
        source.execute("DETACH DATABASE copy")
    user_version = source.execute("PRAGMA user_version").fetchone()[0]
    copy = _open_copy(temporary, key or None)
    try:
        copy.execute(f"PRAGMA user_version = {int(user_version)}")
        copy.execute("PRAGMA journal_mode = WAL")  # as the product keeps every database
    finally:
        copy.close()


def _pause_for_test() -> None:
    """Announce a half-written copy, then wait for a line on standard input (the test kills
    the process instead: nothing is timed)."""
    print("half-written", flush=True)
    sys.stdin.readline()


def _open_copy(temporary: Path, key: str | None) -> Any:
    if key is None:
        return opener.connect(temporary, isolation_level=None)
    return opener.connect_encrypted(temporary, key, isolation_level=None)


def _prove(temporary: Path, key: str | None, expected: dict[str, Any]) -> None:
    """The new copy is whole and holds what the original holds, or an error says why."""
    if opener.is_encrypted(temporary) != (key is not None):
        raise StorageError("The new copy was not written as asked; the database is unchanged.")
    copy = _open_copy(temporary, key)
    try:
        copy.execute(f"PRAGMA cache_size = -{_CHECK_CACHE_KIB}")  # the check revisits pages
        result = copy.execute("PRAGMA integrity_check").fetchone()
        found = _census(copy)
    finally:
        copy.close()
    if result is None or result[0] != "ok" or found != expected:
        differences = sorted(
            k for k in expected.keys() | found.keys() if expected.get(k) != found.get(k)
        )
        raise StorageError(
            "The new copy did not match the database, so it was not used; the database is "
            "unchanged.",
            detail=f"integrity {result}; differing {differences}",
        )


def _checkpoint(connection: Any) -> None:
    """Fold the WAL into the file before the connection closes (nothing left in ``-wal``)."""
    busy, _log, _done = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:
        raise StorageError("The database is busy; nothing was changed. Try again.")


def _swap(temporary: Path, path: Path) -> None:
    """The atomic step: the proven copy takes the database's name; the old journal files go."""
    _fsync(temporary)
    for leftover in _journals(path):  # checkpointed and empty: they belong to the old form
        leftover.unlink(missing_ok=True)
    temporary.replace(path)  # atomic (os.replace)
    _fsync(path.parent)


def _fsync(path: Path) -> None:
    try:
        descriptor = os.open(path, os.O_RDONLY)
    except OSError:  # a folder cannot be opened on Windows: the rename is durable there
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _journals(path: Path) -> list[Path]:
    return [path.with_name(path.name + end) for end in ("-wal", "-shm", "-journal")]


def _remove_with_journals(path: Path) -> None:
    for leftover in (path, *_journals(path)):
        leftover.unlink(missing_ok=True)


def _unusable(path: Path, error: BaseException) -> StorageError:
    return StorageError(
        f"The database {path} could not be read, so nothing was changed ({error}).",
        detail=str(error),
    )
