"""``am-desktop backup list|now|restore FILE`` (PRODUCT.md §2): the database's backups."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from am_desktop.errors import Cancelled, ValidationError

PROG = "am-desktop"


def add_commands(commands: Any, add_db: Any) -> None:
    """Add ``backup`` and its actions to the command line."""
    backup = commands.add_parser("backup", help="list, take or restore backups of the database")
    actions = backup.add_subparsers(dest="backup_action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the backups, newest first: date, size, why")
    listing.add_argument("--json", action="store_true", help="print them as one JSON document")
    add_db(listing)
    add_db(actions.add_parser("now", help="take a backup now"))
    restore = actions.add_parser(
        "restore", help="replace the database by a backup (what it replaces is backed up first)"
    )
    restore.add_argument("file", metavar="FILE", help="a backup's path, or its name as listed")
    add_db(restore)


def run_backup(args: argparse.Namespace) -> int:
    """Run ``backup list``, ``backup now`` or ``backup restore``."""
    from am_desktop.db.location import resolve_db_path

    path = resolve_db_path(getattr(args, "db", None))
    if args.backup_action == "restore":
        return _restore(path, args.file)
    if not path.exists():
        raise ValidationError(f"There is no database {path}. Check --db (or $AM_DESKTOP_DB).")
    return _list(path, as_json=args.json) if args.backup_action == "list" else _now(path)


def _list(path: Path, *, as_json: bool) -> int:
    from am_desktop.services.backups import file_size, list_backups, taken_text

    found = list_backups(path)
    if as_json:
        rows = [
            {
                "file": str(info.path),
                "taken_at": info.taken_at.isoformat(timespec="seconds"),
                "size": info.size,
                "reason": info.reason,
            }
            for info in found
        ]
        print(json.dumps(rows, indent=2))
        return 0
    if not found:
        print(f"No backups of {path.name} yet; `{PROG} backup now` takes one.")
        return 0
    for info in found:
        size, why = file_size(info.size), info.reason
        print(f"{taken_text(info):<16}  {size:>8}  {why:<40}  {info.path.name}")
    return 0


def _now(path: Path) -> int:
    from am_desktop.services.backups import back_up_now, file_size

    info = back_up_now(path)
    print(f"Backed up {path.name} to {info.path} ({file_size(info.size)}).")
    return 0


def _restore(path: Path, text: str) -> int:
    from am_desktop.services.backups import check_backup, find_backup, restore_backup

    chosen = find_backup(path, text)
    check_backup(path, chosen)  # refused before anything is asked or changed
    if sys.stdin.isatty():  # scripts are never asked (PRODUCT.md §1)
        answer = input(
            f"Replace {path} by the copy {chosen.name}? The current data is backed up first. [y/N] "
        )
        if answer.strip().lower() not in ("y", "yes"):
            print("Nothing was changed.", file=sys.stderr)
            raise Cancelled
    done = restore_backup(path, chosen)
    upgraded = " (upgraded from an older version)" if done.migrated else ""
    print(f"Restored {path.name} from {chosen.name}{upgraded}.")
    if done.replaced is not None:
        print(f"What it replaced is kept as {done.replaced}.")
    return 0
