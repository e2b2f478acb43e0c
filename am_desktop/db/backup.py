"""Copies of the database through SQLite's online backup API (consistent even while in use).

A backup's name starts with the database's whole file name (``book.sqlite3-daily-…``), so
``book.sqlite3`` and ``book.db`` in one folder never share one. Older versions used the stem
alone (``book-daily-…``); those are still found and rotated away.
"""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from pathlib import Path

from am_desktop import log
from am_desktop.db.location import make_private_dir, make_private_file

BACKUP_DIR_NAME = "backups"
#: A copy being written carries this suffix until it is complete.
PARTIAL_SUFFIX = ".partial"


def backup_dir(db_path: Path) -> Path:
    """Backups live in a private ``backups`` folder beside the database."""
    return db_path.parent / BACKUP_DIR_NAME


def backup_to(db_path: Path, target: Path) -> Path:
    """Copy the database at ``db_path`` to ``target`` (a new private file) and return it."""
    make_private_dir(target.parent)
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    remove_partial(partial)
    try:
        make_private_file(partial)
        source = sqlite3.connect(db_path)
        try:
            dest = sqlite3.connect(partial)
            try:
                source.backup(dest)
            finally:
                dest.close()
        finally:
            source.close()
    except BaseException:
        remove_partial(partial)  # a full disk or a failure must not leave half a copy
        raise
    partial.replace(target)  # only a complete copy ever carries the final name
    log.db.info("backed up %s to %s", db_path, target)
    return target


def copy_by_reading(db_path: Path, target: Path) -> Path:
    """Copy the database to ``target`` only reading it, leaving its file and folder exactly
    as they were (for work that must never touch the user's data, like the self-test).

    Raises:
        StorageError: the database is damaged, foreign or too new (see
            :func:`~am_desktop.db.migrate.current_revision`).
    """
    from am_desktop.db.migrate import current_revision, quiet_read_uri, read_header

    current_revision(db_path)
    source = sqlite3.connect(quiet_read_uri(db_path, read_header(db_path)), uri=True)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def backup_before_migration(db_path: Path, from_revision: str) -> Path:
    """The copy taken before a schema upgrade, named after the revision it preserves.

    A failed or interrupted upgrade is retried at the next open, so only the newest copy per
    revision is kept (the database was not changed between attempts but by the user), and the
    half-written copies of killed attempts are removed.
    """
    folder = backup_dir(db_path)
    remove_stale_partials(db_path)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    suffix = f"-before-upgrade-from-{from_revision}.sqlite3"
    created = backup_to(db_path, folder / f"{db_path.name}-{stamp}{suffix}")
    for old in folder.iterdir():
        middle = old.name[len(db_path.name) + 1 : -len(suffix)]
        if (
            old != created
            and old.name.startswith(f"{db_path.name}-")
            and old.name.endswith(suffix)
            and _is_stamp(middle)
        ):
            old.unlink()
    return created


def _is_stamp(text: str) -> bool:
    try:
        datetime.strptime(text, "%Y%m%d-%H%M%S")
    except ValueError:
        return False
    return True


def remove_partial(partial: Path) -> None:
    """Remove a half-written copy and the rollback journal SQLite kept beside it."""
    for leftover in (partial, partial.with_name(partial.name + "-journal")):
        leftover.unlink(missing_ok=True)


def remove_stale_partials(db_path: Path) -> None:
    """Remove this database's half-written copies left by a killed process."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return
    for path in folder.iterdir():
        if path.name.startswith(f"{db_path.name}-") and path.name.endswith(PARTIAL_SUFFIX):
            remove_partial(path)


def newest_backup(db_path: Path) -> Path | None:
    """The most recently written complete backup of this database, if any."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return None
    prefixes = (f"{db_path.name}-", f"{db_path.stem}-daily-")
    copies = [
        path
        for path in folder.iterdir()
        if path.name.startswith(prefixes) and path.name.endswith(".sqlite3") and path.is_file()
    ]
    return max(copies, key=lambda path: path.stat().st_mtime, default=None)


def rotate_daily_backup(db_path: Path, today: date, keep: int = 7) -> Path | None:
    """Take today's backup unless one exists, and keep only the ``keep`` newest daily copies.

    Copies named the old way (by stem) may be a namesake's, so they never count towards
    ``keep``; they are removed once older than the kept window, as their own rotation would.

    Returns:
        The new backup's path, or None when today's copy was already there.
    """
    folder = backup_dir(db_path)
    prefix = f"{db_path.name}-daily-"
    target = folder / f"{prefix}{today.isoformat()}.sqlite3"
    created = None if target.exists() else backup_to(db_path, target)
    dailies = daily_backups(folder, prefix)
    for _day, old in dailies[:-keep] if keep > 0 else dailies:
        old.unlink()
    if db_path.suffix:  # without one, the old names were the new ones
        for day, old in daily_backups(folder, f"{db_path.stem}-daily-"):
            if day <= today - timedelta(days=keep):
                old.unlink()
    return created


def daily_backups(folder: Path, prefix: str) -> list[tuple[date, Path]]:
    """The daily copies in ``folder`` named ``{prefix}{day}.sqlite3``, oldest first."""
    found: list[tuple[date, Path]] = []
    for path in folder.iterdir():  # not glob: a file name may hold glob's "[" or "*"
        if not (path.name.startswith(prefix) and path.name.endswith(".sqlite3")):
            continue
        try:
            found.append((date.fromisoformat(path.name[len(prefix) : -len(".sqlite3")]), path))
        except ValueError:
            continue  # another database's, whose name merely starts alike
    return sorted(found)
