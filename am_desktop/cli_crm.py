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

#: The consumer key of the company's Salesforce connected app, for scripts.
CONSUMER_KEY_ENVIRONMENT = "AM_DESKTOP_SF_CONSUMER_KEY"


def _base_url(args: argparse.Namespace) -> str:
    """``--base-url``, else (Salesforce) the org the last sign-in reached, else the CRM's own."""
    given = args.base_url
    if not given and args.crm == "salesforce":
        from am_desktop.ui.settings import AppSettings

        given = AppSettings().prefs.salesforce_instance_url or None
    return base_url_of(args.crm, given)


def add_commands(commands: Any, add_db: Any) -> None:
    """Add crm, sync and conflicts to the command line."""
    crm = commands.add_parser("crm", help="connect to a CRM")
    actions = crm.add_subparsers(dest="crm_action", metavar="ACTION", required=True)
    login = actions.add_parser(
        "login",
        help="save the CRM token in the system keyring (Salesforce: sign in with the browser)",
    )
    login.add_argument("--crm", choices=list(CRMS), default="hubspot")
    login.add_argument("--base-url", metavar="URL", help="the CRM's API address (HubSpot)")
    login.add_argument(
        "--login-url",
        metavar="URL",
        help="Salesforce's login address: https://login.salesforce.com (the default), "
        "https://test.salesforce.com for a sandbox, or your My Domain",
    )
    login.add_argument(
        "--consumer-key",
        metavar="KEY",
        help=f"the Salesforce connected app's consumer key (else ${CONSUMER_KEY_ENVIRONMENT}, "
        "else the one in Preferences)",
    )

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
    """``crm login``: read the token from standard input (never an argument) and keep it;
    for Salesforce, sign in through the browser and keep the sign-in."""
    from am_desktop import log

    if args.crm == "salesforce":
        return _salesforce_login(args)
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


def _salesforce_login(args: argparse.Namespace) -> int:
    """Sign in to Salesforce with the system browser; the address is printed too, for a
    machine whose browser is elsewhere."""
    import os
    import webbrowser

    from am_desktop.services.sync import salesforce_auth as auth

    saved_key, saved_login_url, port = _salesforce_settings()
    key = args.consumer_key or os.environ.get(CONSUMER_KEY_ENVIRONMENT, "") or saved_key
    app = auth.SalesforceApp.of(key, args.login_url or saved_login_url or auth.PRODUCTION, port)

    def show(url: str) -> None:
        from urllib.parse import parse_qs, urlsplit

        callback = parse_qs(urlsplit(url).query)["redirect_uri"][0]
        port = urlsplit(callback).port
        print(f"Sign in to Salesforce in the browser that opens (waiting up to "
              f"{auth.SIGN_IN_MINUTES} minutes). If none opens, open this address:\n\n  {url}\n\n"
              f"A browser on another computer reaches this one's answer page through "
              f"`ssh -L {port}:127.0.0.1:{port}` to this machine. The connected app must list "
              f"the callback URL {app.callback_url}.",
              file=sys.stderr, flush=True)  # fmt: skip

    done = auth.sign_in(app, open_browser=webbrowser.open, show_url=show)
    if not done.kept:
        auth.revoke(done.session.saved)  # nothing can keep it: leave no live sign-in behind
        raise SyncError(
            "Signed in, but this computer has no keyring to keep the Salesforce sign-in in, so "
            "it was not kept. For scripts, set $AM_DESKTOP_CRM_TOKEN to an access token and "
            "pass --base-url with the org's address; the window signs in each session.",
            SyncErrorKind.AUTH,
        )
    who = f" as {done.user}" if done.user else ""
    instance = done.session.instance_url
    print(f"Signed in to Salesforce at {instance}{who}; the sign-in is kept in the system "
          f"keyring.\nSync with: am-desktop sync --crm salesforce --base-url {instance}",
          file=sys.stderr)  # fmt: skip
    return 0


def _salesforce_settings() -> tuple[str, str, int]:
    """The consumer key and login address chosen in Preferences ("" when none), and the
    callback port."""
    from am_desktop.ui.settings import AppSettings

    prefs = AppSettings().prefs
    return (
        prefs.salesforce_consumer_key,
        prefs.salesforce_login_url,
        prefs.salesforce_callback_port,
    )


def _tokens(crm: str, base_url: str) -> Any:
    """The run's ``TokenSource``: ``$AM_DESKTOP_CRM_TOKEN`` first; else Salesforce's kept
    sign-in (refreshed as it expires) or the other CRMs' saved token; None when there is none."""
    from am_desktop import log
    from am_desktop.services.sync.credentials import load_token
    from am_desktop.services.sync.tokens import StaticToken

    if crm == "salesforce":
        from am_desktop.services.sync.salesforce_auth import token_source

        return token_source(base_url)
    token = load_token(crm, base_url)
    if not token:
        return None
    log.Redact.remember(token)
    return StaticToken(token)


def connector_for(crm: str, base_url: str, token: Any) -> Any:
    """The connector of a CRM kind (the registry in services/sync/crms.py), with the stage
    map chosen in Preferences."""
    from am_desktop.services.sync.crms import connector_for as make

    stages = None
    if crm == "salesforce":
        from am_desktop.ui.settings import AppSettings

        stages = AppSettings().prefs.salesforce_stage_map
    return make(crm, base_url, token, stages=stages)


def _keep_stage_values(crm: str, values: list[str]) -> None:
    """The org's stages as this run read them, for Preferences to offer."""
    if crm == "salesforce" and values:
        from am_desktop.ui.settings import AppSettings

        AppSettings().state.salesforce_stage_values = "\n".join(values)


def run_sync(args: argparse.Namespace, store_of: Any, progress: Any) -> int:
    """``sync``: one run; prints what it pulled, pushed and left in conflict."""
    from am_desktop.services.sync.engine import SyncEngine
    from am_desktop.services.sync.http import check_secure

    base_url = _base_url(args)
    check_secure(base_url)
    tokens = _tokens(args.crm, base_url)
    if tokens is None:
        how = (
            "run `am-desktop crm login --crm salesforce`"
            if args.crm == "salesforce"
            else f"run `am-desktop crm login --crm {args.crm}"
            f"{' --base-url ' + base_url if args.base_url else ''}`"
        )
        raise SyncError(
            f"No sign-in for {args.crm} at {base_url}: {how} or set $AM_DESKTOP_CRM_TOKEN.",
            SyncErrorKind.AUTH,
        )
    store = store_of(args)
    connector = connector_for(args.crm, base_url, tokens)
    try:
        report = SyncEngine(store, connector, progress=progress, dry_run=args.dry_run).run()
    finally:
        connector.close()
        store.close()
    _keep_stage_values(args.crm, report.stage_values)
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
