"""Encrypted beside plain, in one run (issue 21): search, the account list, export; and how
long encrypting a seed takes. Reports only — tests never assert timings.

    python -m benchmarks.encryption_figures /tmp/bench/large.sqlite3 [--repeat 3]

The seed is copied (twice) into a scratch folder and never written to.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from am_desktop.db import opener
from am_desktop.domain.portfolio import PortfolioQuery
from am_desktop.services.encryption import encrypt_database
from am_desktop.services.note_search import search_notes
from am_desktop.services.portfolio import account_ids, account_rows
from am_desktop.services.store import Store, open_store
from am_desktop.services.transfer.exporter import export_to_file

TODAY = date(2026, 6, 1)
KEY = "b3" * 32


def timed(action: Callable[[], Any]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def account_list(store: Store) -> None:
    """The first screen of the account list: every id in order, then the first 60 rows."""
    ids = account_ids(store, PortfolioQuery(), TODAY)
    account_rows(store, ids[:60], TODAY)


def figures(store: Store, scratch: Path, repeat: int) -> dict[str, float]:
    work: dict[str, Callable[[], Any]] = {
        "search 'renewal budget'": lambda: search_notes(store, "renewal budget"),
        "search 'pric*'": lambda: search_notes(store, "pric*"),
        "account list (ids + 60 rows)": lambda: account_list(store),
        "export notes (CSV)": lambda: export_to_file(store, "notes", scratch / "n.csv", fmt="csv"),
        "export accounts (CSV)": lambda: export_to_file(
            store, "accounts", scratch / "a.csv", fmt="csv"
        ),
    }
    for action in work.values():
        action()  # warm: the file's pages in the OS cache for both sides alike
    return {name: statistics.median(timed(a) for _ in range(repeat)) for name, a in work.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("seed", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ[opener.KEY_ENV_VAR] = KEY
    with tempfile.TemporaryDirectory(prefix="am-encryption-bench-") as folder:
        scratch = Path(folder)
        plain, encrypted = scratch / "plain.sqlite3", scratch / "encrypted.sqlite3"
        shutil.copyfile(args.seed, plain)
        open_store(plain).close()  # migrated (if the seed is older) before either is timed
        shutil.copyfile(plain, encrypted)
        size = plain.stat().st_size / 2**20
        phases: list[tuple[float, str]] = []
        seconds = timed(
            lambda: encrypt_database(
                encrypted,
                progress=lambda _d, _t, stage: phases.append((time.perf_counter(), stage)),
            )
        )
        print(f"encrypting {size:,.0f} MiB: {seconds:.1f} s")
        for (_at, stage), (after, _next) in itertools.pairwise(phases):
            if stage != _next:
                print(f"  {stage}: until {after - phases[0][0]:.1f} s")
        results = {}
        for name, path in (("plain", plain), ("encrypted", encrypted)):
            store = open_store(path)
            try:
                results[name] = figures(store, scratch, args.repeat)
            finally:
                store.close()
        print(f"{'median of ' + str(args.repeat):32} {'plain':>9} {'encrypted':>10} {'ratio':>6}")
        for work, took in results["plain"].items():
            other = results["encrypted"][work]
            print(f"{work:32} {took * 1000:7.0f}ms {other * 1000:8.0f}ms {other / took:6.2f}")


if __name__ == "__main__":
    main()
