"""``am-desktop import calendar FILE.ics``: meetings become planned notes (issue 19).

``import`` takes its KIND first; for ``calendar`` it also takes ``--from``, ``--to``, ``--me``
and ``--json`` (the CSV kinds' ``--dry-run`` and ``--skip-invalid`` do not apply).
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from am_desktop.cli_args import day
from am_desktop.errors import ValidationError

KIND = "calendar"
HOW_TO_SAY_ME = (
    "Say which e-mail address is yours, so your colleagues count as internal: "
    "--me you@yourcompany.com (or set “My e-mail address” in the window's Preferences)."
)


def add_options(parser: argparse.ArgumentParser) -> None:
    """The calendar's options on the ``import`` command."""
    group = parser.add_argument_group("import calendar FILE.ics")
    group.add_argument(
        "--from",
        dest="cal_from",
        type=day,
        metavar="DATE",
        help="calendar: first day imported (default: 30 days before today)",
    )
    group.add_argument(
        "--to",
        dest="cal_to",
        type=day,
        metavar="DATE",
        help="calendar: last day imported (default: 90 days after today)",
    )
    group.add_argument(
        "--me",
        metavar="EMAIL",
        help="calendar: your e-mail address; its domain marks internal attendees "
        "(default: the one in Preferences)",
    )
    group.add_argument("--json", action="store_true", help="calendar: one JSON document")


def refuse_calendar_options(args: argparse.Namespace) -> None:
    """A CSV import given the calendar's options (or the reverse) says so."""
    calendar_only = [
        flag
        for flag, given in (
            ("--from", args.cal_from),
            ("--to", args.cal_to),
            ("--me", args.me),
            ("--json", args.json),
        )
        if given
    ]
    if args.kind != KIND and calendar_only:
        raise ValidationError(f"{', '.join(calendar_only)} is for `import calendar` only.")
    if args.kind == KIND and (args.dry_run or args.skip_invalid):
        raise ValidationError(
            "--dry-run and --skip-invalid are for CSV files; a calendar import writes "
            "everything or, for a malformed file, nothing."
        )


def my_address(given: str | None) -> str:
    """``--me``, else the address in the window's preferences; else how to give one."""
    if given:
        return given
    from am_desktop.ui.settings import AppSettings

    saved = AppSettings().prefs.my_email
    if not saved:
        raise ValidationError(HOW_TO_SAY_ME)
    return saved


def run(args: argparse.Namespace, open_store: Any, progress: Any) -> int:
    """Import the calendar file and print what it did."""
    from am_desktop.services.calendar_import import import_calendar

    me = my_address(args.me)
    store = open_store(args, create=True)
    try:
        result = import_calendar(
            store, args.file, me, first_day=args.cal_from, last_day=args.cal_to, progress=progress
        )
    finally:
        progress.finish()
        store.close()
    if args.json:
        json.dump(result.as_json(), sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    print(
        f"{args.file.name} ({result.first_day} to {result.last_day}): planned notes "
        f"{result.added:,} added, {result.moved:,} moved, {result.removed:,} removed, "
        f"{result.left:,} left as they were written in; {result.unchanged:,} unchanged."
    )
    if result.skipped:
        listed = ", ".join(f"{count:,} {why}" for why, count in result.skipped.items())
        print(f"Not planned: {listed}.")
    for title in result.no_account:
        print(f"  no account found: {title}")
    if result.unknown_attendees:
        print("Outside attendees who are no contacts yet:")
        for person in result.unknown_attendees:
            at = person.account_name or "no account with that domain"
            print(f"  {person.name or '—'} <{person.email}> — {at}")
    return 0
