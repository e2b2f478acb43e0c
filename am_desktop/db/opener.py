"""The one way the database file is opened: plain SQLite, or SQLCipher with its key.

Every connection to the database — the window's engine, the raw fast path, the watcher, the
command line, backups, benchmarks — comes from :func:`connect`, so an encrypted file works
everywhere once a key is known, and a missing or wrong key is said in one sentence.

A plain file is opened with Python's ``sqlite3`` (fast, and what the code's ``except`` clauses
name); an encrypted one with ``sqlcipher3``, whose exceptions are separate classes: code that
may see either catches :data:`Error`, :data:`DatabaseError`, :data:`OperationalError` or
:data:`IntegrityError` from here.

The key (PRODUCT.md §1 "Data at rest"): ``$AM_DESKTOP_DB_KEY`` first (scripts, tests), else the
one the app made and keeps in the system keyring. A key of 64 hex digits is used raw (no key
derivation, so opening costs nothing extra); anything else is a passphrase.

The file's first bytes are read through a descriptor kept open (:func:`read_head`), never by
opening and closing the file: on POSIX, closing ANY descriptor of a file drops every lock the
process holds on it, SQLite's included. A connection that lost its lock lets another process's
last close delete the ``-wal`` under it; it then reads the deleted log ("database disk image is
malformed") or writes into it.
"""

from __future__ import annotations

import errno
import os
import re
import sqlite3
import stat
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

import sqlcipher3.dbapi2 as sqlcipher

from am_desktop.errors import StorageError

KEY_ENV_VAR = "AM_DESKTOP_DB_KEY"
#: The keyring entry (service "am-desktop") of the key the app made.
KEYRING_ENTRY = "database-key"
#: The first bytes of every plain SQLite database file.
SQLITE_MAGIC = b"SQLite format 3\x00"
#: SQLCipher's pages are at least this large, so an encrypted file's size is a multiple of it.
MIN_PAGE_SIZE = 512

#: Exceptions of either driver, for ``except`` clauses that may meet an encrypted database.
Error = (sqlite3.Error, sqlcipher.Error)
DatabaseError = (sqlite3.DatabaseError, sqlcipher.DatabaseError)
OperationalError = (sqlite3.OperationalError, sqlcipher.OperationalError)
IntegrityError = (sqlite3.IntegrityError, sqlcipher.IntegrityError)

_RAW_KEY = re.compile(r"[0-9a-fA-F]{64}")


class KeyMissing(StorageError):  # noqa: N818 - reads as what is wrong
    """The database is encrypted and no key was given."""

    def __init__(self, path: Path) -> None:
        from am_desktop.system_keyring import keyring_available

        where = (
            "this computer's keyring holds no key for it"
            if keyring_available()
            else "this computer has no keyring to hold its key"
        )
        super().__init__(
            f"The database {path} is encrypted and {where}: set ${KEY_ENV_VAR} to its key "
            "(or unlock the keyring that keeps it) and try again; the file was left untouched."
        )


class WrongKey(StorageError):  # noqa: N818 - reads as what is wrong
    """The key given does not decrypt the database."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The key does not open this database ({path}); the file was left untouched. "
            f"Give the right key in ${KEY_ENV_VAR}, or restore a backup."
        )


def is_encrypted(path: Path) -> bool:
    """Whether the file at ``path`` looks like an encrypted database.

    A SQLCipher file starts with random bytes instead of SQLite's header and is a whole number
    of pages long; a missing or empty file (a new database) is plain. Anything else without
    SQLite's header (a text file given by mistake) is not taken for encrypted, so it is still
    called damaged or foreign rather than asking for a key.
    """
    try:
        head, size = read_head(path, len(SQLITE_MAGIC))
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return False
    if not head or head == SQLITE_MAGIC:
        return False
    return size >= MIN_PAGE_SIZE and size % MIN_PAGE_SIZE == 0


#: Descriptors :func:`read_head` keeps open, by (device, inode), the last used last, with the
#: path they were opened by; at most this many (a process uses one database and a few copies).
_HELD_MAX = 32
_held: OrderedDict[tuple[int, int], tuple[int, Path]] = OrderedDict()
_held_lock = threading.Lock()


def read_head(path: Path, size: int) -> tuple[bytes, int]:
    """The first ``size`` bytes of the file at ``path`` and its length, without dropping the
    process's SQLite locks on it.

    On POSIX the descriptor is kept (one per file, by inode: an inode cannot be reused while
    it is open) and read with ``pread``, so the bytes are always the file's current ones. When
    another file takes the path (a swap, a restore), the replaced one's descriptor is closed,
    so its space is freed, as is a deleted file's (a pruned backup). Windows locks do not
    belong to the process, and an open descriptor there would stop the file from being
    replaced: it is opened and closed.

    Raises:
        OSError: the file is missing or not a file (``FileNotFoundError``, ``IsADirectoryError``).
    """
    if os.name != "posix":
        with path.open("rb") as file:
            return file.read(size), path.stat().st_size
    status = path.stat()
    if not stat.S_ISREG(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, "not a file", str(path))
    identity = (status.st_dev, status.st_ino)
    with _held_lock:
        held = _held.get(identity)
        if held is None:
            descriptor = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
            if os.fstat(descriptor).st_ino != status.st_ino:  # replaced in between
                os.close(descriptor)
                raise FileNotFoundError(errno.ENOENT, "replaced while read", str(path))
            held = _held[identity] = (descriptor, path)
            while len(_held) > _HELD_MAX:
                os.close(_held.popitem(last=False)[1][0])
        elif held[1] != path:  # renamed into place (a swap, a restore): now known by this path
            held = _held[identity] = (held[0], path)
        _let_go_of_replaced(identity, path)
        _held.move_to_end(identity)
        return os.pread(held[0], size, 0), os.fstat(held[0]).st_size


def _let_go_of_replaced(current: tuple[int, int], path: Path) -> None:
    """Close the descriptors of files ``path`` named before and of deleted files (a pruned
    backup, a swapped-out database): held open, their space would not be freed. Call with
    ``_held_lock`` held."""
    for other, (descriptor, old_path) in list(_held.items()):
        if other == current:
            continue
        if old_path == path or os.fstat(descriptor).st_nlink == 0:
            os.close(descriptor)
            del _held[other]


def database_key(path: Path) -> str | None:  # noqa: ARG001 - one key per user, see below
    """The key for the database at ``path``: ``$AM_DESKTOP_DB_KEY``, else the keyring's.

    The app keeps one key per user (not per file), so a moved file, a backup and a restored
    copy all open with it.
    """
    from_environment = os.environ.get(KEY_ENV_VAR, "").strip()
    if from_environment:
        return from_environment
    from am_desktop.system_keyring import load_secret

    return load_secret(KEYRING_ENTRY)


def connect(path: Path | str, *, key: str | None = None, uri: bool = False, **kwargs: Any) -> Any:
    """A DB-API connection to the database at ``path`` (plain or encrypted).

    Args:
        path: the file, or with ``uri=True`` a ``file:`` URI of it (query parameters kept).
        key: the key of an encrypted file; by default :func:`database_key`'s.
        kwargs: passed to the driver's ``connect`` (``check_same_thread``, ``isolation_level``…).

    Raises:
        KeyMissing: the file is encrypted and no key is known.
        WrongKey: the key does not decrypt it (nothing was written to the file).
    """
    file = _file_of(path, uri=uri)
    if not is_encrypted(file):
        return sqlite3.connect(path, uri=uri, **kwargs)
    key = key if key is not None else database_key(file)
    if not key:
        raise KeyMissing(file)
    connection = sqlcipher.connect(str(path), uri=uri, **kwargs)
    try:
        apply_key(connection, key)
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as error:
        connection.close()
        if "not a database" in str(error):
            raise WrongKey(file) from None
        raise
    return connection


def connect_encrypted(path: Path, key: str, **kwargs: Any) -> Any:
    """A SQLCipher connection to a (new or encrypted) file with ``key`` applied, unchecked."""
    connection = sqlcipher.connect(str(path), **kwargs)
    apply_key(connection, key)
    return connection


def apply_key(connection: Any, key: str) -> None:
    """Give SQLCipher the key, its own log lines silenced (a wrong key is said by us)."""
    connection.execute("PRAGMA cipher_log_level = NONE")
    connection.execute(f"PRAGMA key = {key_literal(key)}")


def key_literal(key: str) -> str:
    """The SQL literal of a key: a raw key for 64 hex digits, else a quoted passphrase."""
    if _RAW_KEY.fullmatch(key):
        return f"\"x'{key}'\""
    return "'" + key.replace("'", "''") + "'"


def is_sqlcipher(connection: object) -> bool:
    """Whether a DB-API connection is SQLCipher's (an encrypted database's)."""
    return isinstance(connection, sqlcipher.Connection)


def driver_module(path: Path) -> Any:
    """The DB-API module that opens ``path`` (for SQLAlchemy's ``module=``)."""
    return sqlcipher if is_encrypted(path) else sqlite3


def _file_of(path: Path | str, *, uri: bool) -> Path:
    if not uri:
        return Path(path)
    from urllib.parse import unquote, urlsplit

    return Path(unquote(urlsplit(str(path)).path))
