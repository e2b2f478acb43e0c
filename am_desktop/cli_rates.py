"""``am-desktop rates import FILE.csv | rates list`` (issue 20): the exchange-rate table."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from am_desktop.services.store import Store

EXIT_OK = 0


def add_commands(commands: Any, add_db: Any) -> None:
    """Add ``rates import`` and ``rates list`` to the command line."""
    rates = commands.add_parser("rates", help="the exchange rates reports convert with")
    actions = rates.add_subparsers(dest="rates_action", metavar="ACTION", required=True)
    load = actions.add_parser(
        "import", help="import rates from a date,base,quote,rate file (1 base = rate quote)"
    )
    load.add_argument("file", type=Path, metavar="FILE")
    add_db(load)
    listed = actions.add_parser("list", help="list the recorded rates, newest first")
    listed.add_argument("--json", action="store_true", help="one JSON document on stdout")
    add_db(listed)


def run_rates(args: argparse.Namespace, open_store: Any) -> int:
    """Import or list rates."""
    from am_desktop.services import rates

    if args.rates_action == "import":
        store: Store = open_store(args, create=True)
        try:
            done = rates.import_rates(store, args.file)
        finally:
            store.close()
        print(
            f"Rates: {done.added:,} added, {done.replaced:,} replaced, "
            f"{done.unchanged:,} unchanged.",
            file=sys.stderr,
        )
        return EXIT_OK
    store = open_store(args)
    try:
        listed = rates.list_rates(store)
    finally:
        store.close()
    if args.json:
        json.dump([rate.as_json() for rate in listed], sys.stdout, indent=2)
        print()
        return EXIT_OK
    if not listed:
        print("No exchange rate is recorded; import some with `rates import`.", file=sys.stderr)
    for rate in listed:
        print(f"{rate.day.isoformat()}  1 {rate.base} = {rate.rate} {rate.quote}")
    return EXIT_OK
