"""Opening a database safely: refuse what is not ours, back up, then upgrade the schema.

Finding that a database is current costs one small ``sqlite3`` query; Alembic (slow to
import) is loaded only when a migration is due.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from am_desktop import log
from am_desktop.db import opener
from am_desktop.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

#: The newest migration; a test keeps it equal to Alembic's head.
HEAD_REVISION = "0013_summary_arr_unknown"
#: Every revision this version of the app knows, oldest first; a test keeps it equal to Alembic's.
KNOWN_REVISIONS = (
    "0001_initial",
    "0002_account_summary",
    "0003_note_search",
    "0004_contract_renewals",
    "0005_live_ledger_index",
    "0006_crm_sync",
    "0007_today_indexes",
    "0008_the_week",
    "0009_stay_in_touch",
    "0010_track_reports_to",
    "0011_currencies",
    "0012_track_currency",
    "0013_summary_arr_unknown",
)

MIGRATIONS_PACKAGE = "am_desktop.db.migrations"


#: The first bytes of every plain SQLite database file.
SQLITE_MAGIC = opener.SQLITE_MAGIC
HEADER_SIZE = 100
#: How long the quick check at every open may take before a large file is trusted (seconds).
QUICK_CHECK_BUDGET_S = 0.5


def current_revision(path: Path) -> str | None:
    """The schema revision recorded in the database; None for a new, empty file.

    Looks without leaving a trace: the header is read first, and a database in WAL mode whose
    last user closed it cleanly is read as immutable, so a refused file gains no ``-wal`` or
    ``-shm`` beside it.

    An encrypted file is opened with its key (:mod:`~am_desktop.db.opener`).

    Raises:
        StorageError: the file is not a SQLite database, is damaged or cut short, is another
            program's database, or was written by a newer version of AM Desktop; or it is
            encrypted and its key is missing or wrong.
    """
    header = read_header(path)
    if not header:
        return None
    try:
        connection = opener.connect(quiet_read_uri(path, header), uri=True)
        try:
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in tables:
                row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            connection.close()
    except opener.DatabaseError as exc:
        if "unable to open" in str(exc):
            raise StorageError(
                f"The database {path} could not be opened ({exc}). Check that it exists and "
                "that its folder lets you create files.",
                detail=str(exc),
            ) from exc
        raise _damaged(path, str(exc)) from exc
    if revision is None and tables - {"alembic_version"}:
        raise StorageError(
            f"{path} holds another program's data, so AM Desktop will not use it. "
            "Choose a new file name for your AM Desktop database."
        )
    if revision is not None and revision not in KNOWN_REVISIONS:
        raise StorageError(
            f"{path} was written by a newer version of AM Desktop. "
            "Update AM Desktop to open it; the file was left untouched."
        )
    return revision


def read_header(path: Path) -> bytes:
    """The database file's header, checked: empty for a new file.

    An encrypted file's header is random bytes (SQLCipher's salt) and cannot be checked
    without the key; it is returned as it is, and SQLCipher checks the pages when it opens.

    Raises:
        StorageError: the file is not a SQLite database, or is shorter than its header says
            (cut short by a failed copy or a full disk).
    """
    header, _size = opener.read_head(path, HEADER_SIZE)  # keeps SQLite's locks (see opener)
    if not header or opener.is_encrypted(path):
        return header
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        raise _damaged(path, f"header {header[:16]!r}")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    pages_known = pages > 0 and header[24:28] == header[92:96]  # SQLite's validity rule
    if pages_known and not wal_path(path).exists():  # a WAL may hold pages not yet copied back
        size = path.stat().st_size
        if size < pages * page_size:
            raise StorageError(
                f"{path} is damaged: it is cut short ({size} of {pages * page_size} bytes), "
                f"so it was not opened. {restore_hint(path)}",
                detail=f"{size} < {pages} pages of {page_size}",
            )
    return header


def quiet_read_uri(path: Path, header: bytes) -> str:
    """A read-only URI for the database that leaves no file behind: a WAL-mode database that
    nobody has open (no ``-wal``) is read as immutable, else SQLite would add ``-wal``/``-shm``.

    An encrypted file's header hides its journal mode: it is read as immutable when neither a
    ``-wal`` nor a ``-journal`` lies beside it (nothing is then waiting to be replayed)."""
    if header.startswith(SQLITE_MAGIC):
        quiet = header[18:20] == b"\x02\x02" and not wal_path(path).exists()
    else:
        journal = path.with_name(path.name + "-journal")
        quiet = not wal_path(path).exists() and not journal.exists()
    return f"{path.absolute().as_uri()}?mode=ro" + ("&immutable=1" if quiet else "")


def wal_path(path: Path) -> Path:
    """SQLite's write-ahead log beside the database."""
    return path.with_name(path.name + "-wal")


def _damaged(path: Path, detail: str) -> StorageError:
    return StorageError(
        f"{path} is damaged or is not an AM Desktop database, so it was not opened. "
        f"{restore_hint(path)} Or choose another file.",
        detail=detail,
    )


def check_integrity(path: Path, budget_s: float | None = QUICK_CHECK_BUDGET_S) -> None:
    """Run SQLite's quick check, read-only and leaving no file behind, for at most ``budget_s``.

    A large file is trusted once the budget is spent: opening must stay quick, and damage is
    still caught by the full check that precedes every migration (``budget_s=None``).

    Raises:
        StorageError: the database is damaged (named with the newest backup to restore).
    """
    connection = opener.connect(quiet_read_uri(path, read_header(path)), uri=True)
    if budget_s is not None:
        deadline = time.monotonic() + budget_s
        connection.set_progress_handler(lambda: time.monotonic() > deadline, 100)
    try:
        result = connection.execute("PRAGMA quick_check").fetchone()
    except opener.OperationalError as exc:
        result = ("ok",) if str(exc) == "interrupted" else (str(exc),)
    except opener.DatabaseError as exc:
        result = (str(exc),)
    finally:
        connection.close()
    if result is None or result[0] != "ok":
        raise damaged_database(path, str(result))


def damaged_database(path: Path, detail: str) -> StorageError:
    """The refusal of a damaged database, saying where its newest backup is."""
    return StorageError(
        f"The database {path} is damaged, so AM Desktop did not open or change it. "
        f"{restore_hint(path)}",
        detail=detail,
    )


def restore_hint(path: Path) -> str:
    """Where to find the copy that replaces a damaged database: its newest backup, if any."""
    from am_desktop.db.backup import backup_dir, newest_backup

    try:
        newest = newest_backup(path)
    except OSError:  # an unreadable backups folder must not hide the message itself
        newest = None
    if newest is None:
        return f"Restore a backup from {backup_dir(path)}, if you have one."
    return f"Restore a backup from {backup_dir(path)} (the newest is {newest.name})."


def upgrade(path: Path, target: str = "head") -> None:
    """Run the Alembic migrations on ``path`` up to ``target`` (imports Alembic)."""
    from alembic import command

    from am_desktop.db.engine import make_engine

    engine = make_engine(path)
    try:
        with engine.begin() as connection:
            config = alembic_config()
            config.attributes["connection"] = connection
            command.upgrade(config, target)
    finally:
        engine.dispose()


def alembic_config() -> Config:
    """Alembic's configuration, built in code so it works from a frozen bundle too."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", f"{MIGRATIONS_PACKAGE}:")
    return config


def prepare_database(path: Path, *, check_budget_s: float = QUICK_CHECK_BUDGET_S) -> bool:
    """Bring the database at ``path`` to the current schema, backing it up first.

    Args:
        check_budget_s: how long the quick check of a current database may take (0: none
            here — the window checks on its write lane after the first paint instead).

    Returns:
        True when a migration ran.

    Raises:
        StorageError: the file is damaged, foreign or too new (it is never overwritten).
    """
    revision = current_revision(path)
    if revision is not None and revision != HEAD_REVISION:
        check_integrity(path, budget_s=None)  # the whole file, before a migration touches it
    elif revision is not None and check_budget_s > 0:
        check_integrity(path, budget_s=check_budget_s)
    if revision == HEAD_REVISION:
        return False
    if revision is not None:
        from am_desktop.db.backup import backup_before_migration

        backup_before_migration(path, revision)
    if revision is None and not read_header(path):
        from am_desktop.db import empty_schema

        log.db.info("creating %s at %s", path, HEAD_REVISION)
        empty_schema.create(path)  # a new file has no history to replay: no Alembic
        return True
    log.db.info("upgrading %s from %s to %s", path, revision or "empty", HEAD_REVISION)
    upgrade(path)
    return True
