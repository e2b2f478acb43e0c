"""Backups the AM can see and restore (PRODUCT.md §1 "Data at rest", §2 ``backup``, §6).

Qt-free: the command line and the window's File → Backups… both use it. A restore never
loses data: the chosen copy is checked first (refused in words, nothing changed), what it
replaces is backed up ("before restore"), and the swap is one rename of a complete file.
"""

from __future__ import annotations

import os
import shutil
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from am_desktop import log
from am_desktop.db import backup as copies
from am_desktop.db import opener
from am_desktop.db.backup import BackupInfo, BackupStopped, Reason
from am_desktop.db.location import make_private_file
from am_desktop.errors import StorageError

#: The chosen copy waits beside the database under this name until it is swapped in.
STAGED_SUFFIX = ".restoring"

__all__ = ["BackupInfo", "Reason", "Restored"]  # with the functions: the UI reads these


@dataclass(frozen=True)
class Restored:
    """What a restore did.

    Attributes:
        database: the database now holding the backup's data.
        source: the backup restored.
        replaced: the copy of what it replaced (None: there was no database yet).
        migrated: whether the copy was from an older version and was upgraded.
    """

    database: Path
    source: Path
    replaced: Path | None
    migrated: bool


def list_backups(db_path: Path) -> list[BackupInfo]:
    """The database's complete backups, newest first."""
    return copies.list_backups(db_path)


def back_up_now(db_path: Path) -> BackupInfo:
    """A manual backup, taken now.

    Raises:
        StorageError: the copy could not be written (the database itself is untouched).
    """
    try:
        made = copies.take_backup(db_path, Reason.MANUAL)
    except (OSError, *opener.Error) as error:
        raise _not_written(db_path, "A backup", error) from error
    return _info_of(db_path, made)


def take_daily_backup(
    db_path: Path, today: date, keep: int, stop: threading.Event | None = None
) -> Path | None:
    """Today's backup copy unless taken already; ``keep`` daily and 4 weekly copies are kept.

    Args:
        stop: set when the app quits: the copy ends at once, and nothing of it is kept.

    Returns:
        The new copy; None when today's was there already, or the copy was stopped.

    Raises:
        StorageError: the copy could not be written (the database itself is untouched).
    """
    try:
        return copies.rotate_daily_backup(db_path, today, keep=keep, stop=stop)
    except BackupStopped:
        return None
    except (OSError, *opener.Error) as error:
        raise _not_written(db_path, "Today's backup", error) from error


def _not_written(db_path: Path, what: str, error: BaseException) -> StorageError:
    from am_desktop.services.store import is_disk_full

    if is_disk_full(error):
        return StorageError(
            f"{what} of {db_path.name} could not be written: the disk is full. "
            "Your data is safe; free some space.",
            detail=str(error),
        )
    return StorageError(
        f"{what} of {db_path.name} could not be written ({error}). "
        "Your data is safe; check the free space and permissions of its 'backups' folder.",
        detail=str(error),
    )


def _info_of(db_path: Path, path: Path) -> BackupInfo:
    return next(info for info in copies.list_backups(db_path) if info.path == path)


def find_backup(db_path: Path, text: str) -> Path:
    """The backup a user named: a path, or a file name in the database's backups folder."""
    given = Path(text).expanduser()
    if given.exists() or given.parent != Path():
        return given
    return copies.backup_dir(db_path) / given.name


def check_backup(db_path: Path, backup: Path) -> str:
    """Check that ``backup`` can replace the database at ``db_path``.

    Returns:
        The schema revision the copy is at.

    Raises:
        StorageError: the copy is missing, damaged, not an AM Desktop database, or from a
            newer version of the app (said in words; nothing was changed).
    """
    from am_desktop.db.migrate import KNOWN_REVISIONS

    if not backup.is_file():
        raise StorageError(f"There is no backup {backup}. Nothing was changed.")
    unchanged = "so it was not restored; your data is unchanged"
    try:
        verdict, revision = copies.examine(backup, database=db_path)
    except opener.DatabaseError as error:
        raise StorageError(
            f"The backup {backup.name} is damaged or is not a database, {unchanged}. "
            "Choose another backup.",
            detail=str(error),
        ) from error
    if verdict != "ok":
        raise StorageError(
            f"The backup {backup.name} is damaged, {unchanged}. Choose another backup.",
            detail=verdict,
        )
    if revision is None:
        raise StorageError(f"{backup.name} is not an AM Desktop database, {unchanged}.")
    if revision not in KNOWN_REVISIONS:
        raise StorageError(
            f"{backup.name} was written by a newer version of AM Desktop, {unchanged}. "
            "Update AM Desktop to restore it."
        )
    return str(revision)


def restore_backup(db_path: Path, backup: Path) -> Restored:
    """Replace the database at ``db_path`` (closed: no window or command has it open) by
    ``backup``, upgraded if it is older.

    The copy is checked and staged beside the database first; then what it replaces is
    backed up, its ``-wal`` and ``-shm`` removed (they belong to the replaced file), and the
    staged copy renamed over it.

    Raises:
        StorageError: the copy was refused, or a step failed; the database is then as it was.
    """
    from am_desktop.db.migrate import HEAD_REVISION
    from am_desktop.services.store import open_store

    revision = check_backup(db_path, backup)
    staged = db_path.with_name(db_path.name + STAGED_SUFFIX)
    try:
        _stage(db_path, backup, staged)
        replaced = keep_current(db_path) if db_path.exists() else None
        swap_in(db_path, staged)
    except (OSError, *opener.Error) as error:
        raise _not_restored(backup, error) from error
    finally:
        staged.unlink(missing_ok=True)
        copies.remove_partial(staged)
    open_store(db_path).close()  # upgrades an older copy, after its own backup
    log.db.info("restored %s from %s", db_path, backup)
    return Restored(db_path, backup, replaced, migrated=revision != HEAD_REVISION)


def _not_restored(backup: Path, error: BaseException) -> StorageError:
    from am_desktop.services.store import is_disk_full

    why = "the disk is full" if is_disk_full(error) else str(error)
    return StorageError(
        f"{backup.name} could not be restored ({why}); your data is unchanged.",
        detail=str(error),
    )


def _stage(db_path: Path, backup: Path, staged: Path) -> None:
    """Copy ``backup`` to ``staged`` (beside the database, so the swap is one rename)."""
    copies.remove_partial(staged)
    make_private_file(staged)
    copies.copy_database(backup, staged, database=db_path)
    _sync(staged)


def keep_current(db_path: Path) -> Path:
    """Back up the database a restore replaces. A damaged one cannot be read through SQLite,
    so its files are copied as they are: nothing the AM had is thrown away."""
    try:
        return copies.take_backup(db_path, Reason.BEFORE_RESTORE)
    except opener.DatabaseError:
        folder = copies.backup_dir(db_path)
        name = copies.stamped_name(db_path, Reason.BEFORE_RESTORE, datetime.now())
        target = folder / name
        partial = target.with_name(name + copies.PARTIAL_SUFFIX)
        make_private_file(partial)
        shutil.copyfile(db_path, partial)
        wal = db_path.with_name(db_path.name + "-wal")
        if wal.exists():
            shutil.copyfile(wal, target.with_name(name + "-wal"))
        partial.replace(target)
        return target


def swap_in(db_path: Path, staged: Path) -> None:
    """Put the complete file ``staged`` in the database's place in one rename, after
    removing the replaced file's ``-wal`` and ``-shm`` (left there, SQLite would replay the
    old log into the new file)."""
    for leftover in ("-wal", "-shm", "-journal"):
        db_path.with_name(db_path.name + leftover).unlink(missing_ok=True)
    staged.replace(db_path)  # atomic: os.replace
    _sync_folder(db_path.parent)


def _sync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Make a rename durable (POSIX); folders cannot be opened so on Windows."""
    if os.name != "posix":
        return
    _sync(folder)


def file_size(size: int) -> str:
    """A file's size in words a person reads at a glance: "840 KB", "1.2 MB"."""
    if size < 1000 * 1000:
        return f"{max(1, round(size / 1000))} KB"
    if size < 1000**3:
        return f"{size / 1000**2:.1f} MB"
    return f"{size / 1000**3:.1f} GB"


def backup_folder(db_path: Path) -> Path:
    """Where the database's backups are kept."""
    return copies.backup_dir(db_path)


def taken_text(info: BackupInfo) -> str:
    """When a copy was taken, as listed: a daily copy whose hour is unknown shows its day."""
    if info.kind is Reason.DAILY and info.taken_at.time() == datetime.min.time():
        return info.taken_at.strftime("%Y-%m-%d")
    return info.taken_at.strftime("%Y-%m-%d %H:%M")
