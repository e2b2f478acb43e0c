"""Copies of the database through SQLite's online backup API (consistent even while in use),
named after why they were taken, and kept within bounds (PRODUCT.md §1 "Data at rest", §6).

A backup's name starts with the database's whole file name (``book.sqlite3-…``), so
``book.sqlite3`` and ``book.db`` in one folder never share one, and says why it was taken:

- ``book.sqlite3-daily-2026-03-01.sqlite3``: the day's copy; 7 are kept, then the newest of
  each of the 4 ISO weeks before them;
- ``book.sqlite3-20260301-091500-before-upgrade-from-0007_today_indexes.sqlite3``: taken before
  a schema upgrade (the newest per revision, and the last 5);
- ``…-20260301-091500-before-restore.sqlite3`` and ``…-manual.sqlite3``: what a restore
  replaced, and "Back up now" (the last 5 of each).

Older versions named daily copies by the stem alone (``book-daily-…``); those are still found
and rotated away. A copy is written under a ``.partial`` name and renamed when complete, so a
half-written copy is never listed nor restored.
"""

from __future__ import annotations

import enum
import sqlite3
import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from am_desktop import log
from am_desktop.db.location import make_private_dir, make_private_file

BACKUP_DIR_NAME = "backups"
#: A copy being written carries this suffix until it is complete.
PARTIAL_SUFFIX = ".partial"
SUFFIX = ".sqlite3"
#: Daily copies kept, then weekly ones (the newest of each older ISO week).
DAILY_KEPT, WEEKLY_KEPT = 7, 4
#: Copies kept of each other kind (before upgrades, before restores, manual ones).
OCCASIONAL_KEPT = 5
#: Pages copied per step of the backup API; between steps a stop request is honoured (16 MiB
#: at SQLite's default page size).
STEP_PAGES = 4096
_STAMP = "%Y%m%d-%H%M%S"
_UPGRADE = "before-upgrade-from-"


class Reason(enum.Enum):
    """Why a backup was taken (the value is its mark in the file name)."""

    DAILY = "daily"
    BEFORE_UPGRADE = "before-upgrade"
    BEFORE_RESTORE = "before-restore"
    MANUAL = "manual"


@dataclass(frozen=True)
class BackupInfo:
    """One complete backup of a database.

    Attributes:
        path: the copy's file.
        taken_at: when it was taken (a daily copy's day, at the time its file was written).
        size: its size in bytes.
        reason: why, in words: "daily", "before upgrade from 0007_today_indexes",
            "before restore" or "manual".
        kind: the same, as a value.
    """

    path: Path
    taken_at: datetime
    size: int
    reason: str
    kind: Reason


class BackupStopped(Exception):  # noqa: N818 - named for what happened, like Cancelled
    """A backup was stopped before it was complete (the app is quitting); nothing was kept."""


def _connect(path: Path, database: Path) -> sqlite3.Connection:
    """The one way this module opens a file: the database itself, or a copy of ``database``.

    The opener supplies the connection: plain SQLite for a plain database, SQLCipher with
    ``database``'s key for an encrypted one. SQLite's backup API between two connections that
    use the same key writes encrypted pages, so an encrypted database's copies stay encrypted.
    """
    from am_desktop.db import opener

    if not opener.is_encrypted(database):
        return opener.connect(path)  # type: ignore[no-any-return]
    key = opener.database_key(database)
    if not key:
        raise opener.KeyMissing(database)
    if path == database or opener.is_encrypted(path):
        return opener.connect(path, key=key)  # type: ignore[no-any-return]
    return opener.connect_encrypted(path, key)  # type: ignore[no-any-return]  # a new copy


def backup_dir(db_path: Path) -> Path:
    """Backups live in a private ``backups`` folder beside the database (for the default
    database, that is the user's data folder)."""
    return db_path.parent / BACKUP_DIR_NAME


def backup_to(db_path: Path, target: Path, *, stop: threading.Event | None = None) -> Path:
    """Copy the database at ``db_path`` to ``target`` (a new private file) and return it.

    Args:
        stop: once set, the copy ends at its next step (:class:`BackupStopped`), leaving
            nothing behind.
    """
    make_private_dir(target.parent)
    partial = target.with_name(target.name + PARTIAL_SUFFIX)
    remove_partial(partial)
    try:
        make_private_file(partial)
        copy_database(db_path, partial, database=db_path, stop=stop)
    except BaseException:
        remove_partial(partial)  # a full disk or a failure must not leave half a copy
        raise
    partial.replace(target)  # only a complete copy ever carries the final name
    log.db.info("backed up %s to %s", db_path, target)
    return target


def copy_database(
    source_path: Path, target: Path, *, database: Path, stop: threading.Event | None = None
) -> None:
    """Copy ``source_path`` into the file ``target`` with the backup API, step by step.

    The source's read transaction is held for the whole copy, so writes by the window
    meanwhile neither restart it nor enter it half-way (WAL mode lets them go on).

    Args:
        database: the database both files belong to (whose key opens them).
    """

    def check(_status: int, _remaining: int, _total: int) -> None:
        if stop is not None and stop.is_set():
            raise BackupStopped(f"the backup of {source_path.name} was stopped")

    source = _connect(source_path, database)
    try:
        source.execute("BEGIN")
        source.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot
        dest = _connect(target, database)
        try:
            source.backup(dest, pages=STEP_PAGES, progress=check)
        finally:
            dest.close()
    finally:
        source.close()


def examine(path: Path, *, database: Path) -> tuple[str, str | None]:
    """SQLite's full integrity check of the copy at ``path``, and its schema revision (None:
    no ``alembic_version``, so not an AM Desktop database).

    Raises:
        sqlite3.DatabaseError: the file is not a database SQLite can read.
    """
    connection = _connect(path, database)
    try:
        row = connection.execute("PRAGMA integrity_check").fetchone()
        tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master")}
        revision = None
        if "alembic_version" in tables:
            found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
            revision = str(found[0]) if found else None
    finally:
        connection.close()
    return ("ok" if row is not None and row[0] == "ok" else str(row)), revision


def copy_by_reading(db_path: Path, target: Path) -> Path:
    """Copy the database to ``target`` only reading it, leaving its file and folder exactly
    as they were (for work that must never touch the user's data, like the self-test).

    Raises:
        StorageError: the database is damaged, foreign or too new (see
            :func:`~am_desktop.db.migrate.current_revision`).
    """
    from am_desktop.db.migrate import current_revision, quiet_read_uri, read_header

    current_revision(db_path)
    from am_desktop.db import opener

    source = opener.connect(quiet_read_uri(db_path, read_header(db_path)), uri=True)
    try:
        dest = _connect(target, db_path)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    return target


def stamped_name(db_path: Path, kind: Reason, when: datetime, revision: str = "") -> str:
    """The file name of a copy taken at ``when`` (not a daily one)."""
    mark = f"{_UPGRADE}{revision}" if kind is Reason.BEFORE_UPGRADE else kind.value
    return f"{db_path.name}-{when.strftime(_STAMP)}-{mark}{SUFFIX}"


def take_backup(
    db_path: Path, kind: Reason, *, revision: str = "", stop: threading.Event | None = None
) -> Path:
    """A copy taken now for ``kind`` (not daily), then only the last few of that kind kept."""
    target = backup_dir(db_path) / stamped_name(db_path, kind, datetime.now(), revision)
    created = backup_to(db_path, target, stop=stop)
    prune(db_path)
    return created


def backup_before_migration(db_path: Path, from_revision: str) -> Path:
    """The copy taken before a schema upgrade, named after the revision it preserves.

    A failed or interrupted upgrade is retried at the next open, so only the newest copy per
    revision is kept (the database was not changed between attempts but by the user), and the
    half-written copies of killed attempts are removed.
    """
    remove_stale_partials(db_path)
    created = take_backup(db_path, Reason.BEFORE_UPGRADE, revision=from_revision)
    for info in list_backups(db_path):
        if info.path != created and info.reason == f"before upgrade from {from_revision}":
            info.path.unlink()
    return created


def parse_name(db_path: Path, name: str) -> tuple[Reason, datetime, str] | None:
    """Why and when the copy called ``name`` was taken (and the revision it preserves, if
    before an upgrade); None when ``name`` is not a complete copy of this database."""
    prefix = f"{db_path.name}-"
    if not (name.startswith(prefix) and name.endswith(SUFFIX)):
        return None
    middle = name[len(prefix) : -len(SUFFIX)]
    return _parse_daily(middle) if middle.startswith("daily-") else _parse_stamped(middle)


def _parse_daily(middle: str) -> tuple[Reason, datetime, str] | None:
    try:
        day = date.fromisoformat(middle[len("daily-") :])
    except ValueError:
        return None
    return Reason.DAILY, datetime.combine(day, datetime.min.time()), ""


def _parse_stamped(middle: str) -> tuple[Reason, datetime, str] | None:
    day, _, rest = middle.partition("-")
    clock, _, mark = rest.partition("-")
    try:
        when = datetime.strptime(f"{day}-{clock}", _STAMP)
    except ValueError:
        return None
    if mark.startswith(_UPGRADE) and len(mark) > len(_UPGRADE):
        return Reason.BEFORE_UPGRADE, when, mark[len(_UPGRADE) :]
    kinds = {kind.value: kind for kind in (Reason.BEFORE_RESTORE, Reason.MANUAL)}
    return (kinds[mark], when, "") if mark in kinds else None


def list_backups(db_path: Path) -> list[BackupInfo]:
    """This database's complete backups, newest first (copies being written are not)."""
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    found: list[tuple[datetime, int, BackupInfo]] = []
    for path in folder.iterdir():  # not glob: a file name may hold glob's "[" or "*"
        parsed = parse_name(db_path, path.name)
        if parsed is None:
            continue
        kind, when, revision = parsed
        try:
            status = path.stat()
        except FileNotFoundError:  # rotated away meanwhile
            continue
        if kind is Reason.DAILY:
            written = datetime.fromtimestamp(status.st_mtime)
            if written.date() == when.date():
                when = written
        words = f"before upgrade from {revision}" if revision else kind.value.replace("-", " ")
        info = BackupInfo(path, when, status.st_size, words, kind)
        found.append((when, status.st_mtime_ns, info))  # two in one second: by when written
    return [info for _when, _written, info in sorted(found, key=lambda row: row[:2], reverse=True)]


def prune(db_path: Path, daily: int = DAILY_KEPT, weekly: int = WEEKLY_KEPT) -> list[Path]:
    """Delete the copies beyond the bounds; returns those deleted.

    Kept: the ``daily`` newest daily copies; then, for the ``weekly`` newest ISO weeks older
    than those that hold none of the kept dailies, each week's newest copy; and the last
    :data:`OCCASIONAL_KEPT` of each other kind.
    """
    backups = list_backups(db_path)  # newest first
    keep: set[Path] = set()
    dailies = [info for info in backups if info.kind is Reason.DAILY]
    keep.update(info.path for info in dailies[:daily])
    covered = {info.taken_at.isocalendar()[:2] for info in dailies[:daily]}
    weeklies = 0
    for info in dailies[daily:]:  # newest first: the first one seen of a week is its newest
        week = info.taken_at.isocalendar()[:2]
        if weeklies < weekly and week not in covered:
            covered.add(week)
            keep.add(info.path)
            weeklies += 1
    for kind in (Reason.BEFORE_UPGRADE, Reason.BEFORE_RESTORE, Reason.MANUAL):
        keep.update([info.path for info in backups if info.kind is kind][:OCCASIONAL_KEPT])
    deleted = [info.path for info in backups if info.path not in keep]
    for path in deleted:
        path.unlink(missing_ok=True)
    return deleted


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
        if path.name.startswith(prefixes) and path.name.endswith(SUFFIX) and path.is_file()
    ]
    return max(copies, key=lambda path: path.stat().st_mtime, default=None)


def rotate_daily_backup(
    db_path: Path,
    today: date,
    keep: int = DAILY_KEPT,
    *,
    weeks: int = WEEKLY_KEPT,
    stop: threading.Event | None = None,
) -> Path | None:
    """Take today's backup unless one exists, and keep ``keep`` daily and ``weeks`` weekly
    copies (see :func:`prune`).

    Copies named the old way (by stem) may be a namesake's, so they never count towards
    ``keep``; they are removed once older than the kept window, as their own rotation would.

    Returns:
        The new backup's path, or None when today's copy was already there.

    Raises:
        BackupStopped: ``stop`` was set before the copy was complete.
    """
    folder = backup_dir(db_path)
    target = folder / f"{db_path.name}-daily-{today.isoformat()}{SUFFIX}"
    created = None if target.exists() else backup_to(db_path, target, stop=stop)
    prune(db_path, daily=keep, weekly=weeks)
    if db_path.suffix:  # without one, the old names were the new ones
        for day, old in daily_backups(folder, f"{db_path.stem}-daily-"):
            if day <= today - timedelta(days=keep):
                old.unlink()
    return created


def daily_backups(folder: Path, prefix: str) -> list[tuple[date, Path]]:
    """The daily copies in ``folder`` named ``{prefix}{day}.sqlite3``, oldest first."""
    found: list[tuple[date, Path]] = []
    if not folder.is_dir():
        return found
    for path in folder.iterdir():  # not glob: a file name may hold glob's "[" or "*"
        if not (path.name.startswith(prefix) and path.name.endswith(SUFFIX)):
            continue
        try:
            found.append((date.fromisoformat(path.name[len(prefix) : -len(SUFFIX)]), path))
        except ValueError:
            continue  # another database's, whose name merely starts alike
    return sorted(found)
