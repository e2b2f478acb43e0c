"""The CRM commands: ``crm login``, ``sync``, ``conflicts`` (PRODUCT.md §2 and §5; issue 8)."""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any

from am_desktop.cli_args import LARGEST_ID, whole_number
from am_desktop.errors import SyncError, SyncErrorKind, ValidationError
from am_desktop.services.sync.crms import CRMS, base_url_of


def _base_url(args: argparse.Namespace) -> str:
    return base_url_of(args.crm, args.base_url)


def add_commands(commands: Any, add_db: Any) -> None:
    """Add crm, sync and conflicts to the command line."""
    crm = commands.add_parser("crm", help="connect to a CRM")
    actions = crm.add_subparsers(dest="crm_action", metavar="ACTION", required=True)
    login = actions.add_parser("login", help="save the CRM token in the system keyring")
    login.add_argument("--crm", choices=list(CRMS), default="hubspot")
    login.add_argument("--base-url", metavar="URL", help="the CRM's API address")

    sync = commands.add_parser("sync", help="pull and push changes with the CRM")
    sync.add_argument("--crm", choices=list(CRMS), required=True)
    sync.add_argument("--base-url", metavar="URL", help="the CRM's API address")
    sync.add_argument(
        "--dry-run", action="store_true", help="read what would change, write nothing"
    )
    add_db(sync)

    conflicts = commands.add_parser("conflicts", help="list or settle sync conflicts")
    conflicts.add_argument("--json", action="store_true", help="one JSON document on stdout")
    settle = conflicts.add_subparsers(dest="conflict_action", metavar="ACTION")
    resolve = settle.add_parser("resolve", help="settle one conflict")
    resolve.add_argument(
        "id", type=whole_number(1, LARGEST_ID, "ID"), metavar="ID", help="as `conflicts` lists it"
    )
    resolve.add_argument("--take", choices=("local", "remote"), required=True)
    add_db(resolve)
    add_db(conflicts)


def run_crm(args: argparse.Namespace) -> int:
    """``crm login``: read the token from standard input (never an argument) and keep it."""
    from am_desktop import log
    from am_desktop.services.sync.credentials import save_token

    base_url = _base_url(args)
    if sys.stdin.isatty():
        token = getpass.getpass(f"Token for {args.crm} at {base_url}: ")
    else:
        token = sys.stdin.readline()
    token = token.strip()
    if not token:
        raise ValidationError("No token was given: paste it, then press Enter.")
    log.Redact.remember(token)
    save_token(args.crm, base_url, token)
    print(f"The token is saved in the system keyring for {args.crm} at {base_url}.",
          file=sys.stderr)  # fmt: skip
    return 0


def connector_for(crm: str, base_url: str, token: str) -> Any:
    """The connector of a CRM kind (the registry in services/sync/crms.py)."""
    from am_desktop.services.sync.crms import connector_for as make

    return make(crm, base_url, token)


def run_sync(args: argparse.Namespace, store_of: Any, progress: Any) -> int:
    """``sync``: one run; prints what it pulled, pushed and left in conflict."""
    from am_desktop import log
    from am_desktop.services.sync.credentials import load_token
    from am_desktop.services.sync.engine import SyncEngine
    from am_desktop.services.sync.http import check_secure

    base_url = _base_url(args)
    check_secure(base_url)
    token = load_token(args.crm, base_url)
    if not token:
        raise SyncError(
            f"No token for {args.crm} at {base_url}: run `am-desktop crm login --crm {args.crm}"
            f"{' --base-url ' + base_url if args.base_url else ''}` or set $AM_DESKTOP_CRM_TOKEN.",
            SyncErrorKind.AUTH,
        )
    log.Redact.remember(token)
    store = store_of(args)
    connector = connector_for(args.crm, base_url, token)
    try:
        report = SyncEngine(store, connector, progress=progress, dry_run=args.dry_run).run()
    finally:
        connector.close()
        store.close()
    verb = "would pull" if args.dry_run else "pulled"
    print(f"{verb} {report.pulled + report.created_locally}, pushed "
          f"{report.pushed + report.created_remotely}, conflicts {report.conflicts}")  # fmt: skip
    for problem in report.problems[:20]:
        print(f"  {problem}", file=sys.stderr)
    return 0


def run_conflicts(args: argparse.Namespace, store_of: Any) -> int:
    """``conflicts`` lists the open conflicts; ``conflicts resolve ID --take …`` settles one."""
    from am_desktop.services.sync.conflicts import list_conflicts, resolve

    store = store_of(args)
    try:
        if args.conflict_action == "resolve":
            resolve(store, args.id, args.take)
            print(f"Conflict {args.id} settled: {args.take} value kept.", file=sys.stderr)
            return 0
        found = list_conflicts(store)
    finally:
        store.close()
    if args.json:
        print(json.dumps([c.as_json() for c in found], indent=2, default=str))
        return 0
    if not found:
        print("No conflicts: everything agrees with the CRM.")
    for c in found:
        what = c.field or ("deleted in the CRM" if c.kind == "deleted_remotely" else "deleted here")
        print(f"{c.id:>5}  {c.obj:<12} {c.record[:30]:<30} {what}: mine {c.local!r}, "
              f"theirs {c.remote!r}")  # fmt: skip
    return 0
