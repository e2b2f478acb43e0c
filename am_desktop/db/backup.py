"""Copies of the database through SQLite's online backup API (consistent even while in use)."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime
from pathlib import Path

from am_desktop import log
from am_desktop.db.location import make_private_dir, make_private_file

BACKUP_DIR_NAME = "backups"


def backup_dir(db_path: Path) -> Path:
    """Backups live in a private ``backups`` folder beside the database."""
    return db_path.parent / BACKUP_DIR_NAME


def backup_to(db_path: Path, target: Path) -> Path:
    """Copy the database at ``db_path`` to ``target`` (a new private file) and return it."""
    make_private_dir(target.parent)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
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
    partial.replace(target)  # only a complete copy ever carries the final name
    log.db.info("backed up %s to %s", db_path, target)
    return target


def backup_before_migration(db_path: Path, from_revision: str) -> Path:
    """The copy taken before a schema upgrade, named after the revision it preserves."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    name = f"{db_path.stem}-{stamp}-before-upgrade-from-{from_revision}.sqlite3"
    return backup_to(db_path, backup_dir(db_path) / name)


def rotate_daily_backup(db_path: Path, today: date, keep: int = 7) -> Path | None:
    """Take today's backup unless one exists, and keep only the ``keep`` newest daily copies.

    Returns:
        The new backup's path, or None when today's copy was already there.
    """
    folder = backup_dir(db_path)
    prefix = f"{db_path.stem}-daily-"
    target = folder / f"{prefix}{today.isoformat()}.sqlite3"
    created = None if target.exists() else backup_to(db_path, target)
    dailies = sorted(folder.glob(f"{prefix}*.sqlite3"))
    for old in dailies[:-keep] if keep > 0 else dailies:
        old.unlink()
    return created
