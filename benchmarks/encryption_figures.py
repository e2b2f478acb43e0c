"""Encrypted beside plain, in one run (issue 21): search, the account list, export; and how
long encrypting a seed takes. Reports only — tests never assert timings.

    python -m benchmarks.encryption_figures /tmp/bench/medium.sqlite3 /tmp/bench/large.sqlite3
        [--repeat 5] [--scratch /tmp/bench]

Each seed is copied (twice, with its ``-wal``) into a scratch folder and never written to;
its plain and encrypted copies are timed one after the other in each round, and the medians
and their ratios are printed per seed.
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


def work_of(store: Store, scratch: Path) -> dict[str, Callable[[], Any]]:
    return {
        "search 'renewal budget'": lambda: search_notes(store, "renewal budget"),
        "search 'pric*'": lambda: search_notes(store, "pric*"),
        "account list (ids + 60 rows)": lambda: account_list(store),
        "export notes (CSV)": lambda: export_to_file(store, "notes", scratch / "n.csv", fmt="csv"),
        "export accounts (CSV)": lambda: export_to_file(
            store, "accounts", scratch / "a.csv", fmt="csv"
        ),
    }


def one_seed(seed: Path, folder: Path, repeat: int) -> None:
    """Encrypt a copy of ``seed`` (timed), then time both copies side by side."""
    plain, encrypted = folder / "plain.sqlite3", folder / "encrypted.sqlite3"
    for end in ("", "-wal", "-shm"):
        if seed.with_name(seed.name + end).exists():
            shutil.copyfile(seed.with_name(seed.name + end), plain.with_name(plain.name + end))
    open_store(plain).close()  # migrated (if the seed is older) and checkpointed
    shutil.copyfile(plain, encrypted)
    size = plain.stat().st_size / 2**20
    phases: list[tuple[float, str]] = []
    started = time.perf_counter()
    encrypt_database(
        encrypted, progress=lambda _d, _t, stage: phases.append((time.perf_counter(), stage))
    )
    seconds = time.perf_counter() - started
    print(f"\n{seed.name}: encrypting {size:,.0f} MiB: {seconds:.1f} s")
    firsts: dict[str, float] = {}
    for at, stage in phases:
        firsts.setdefault(stage, at)
    for (stage, at), (_next, after) in itertools.pairwise(
        [*firsts.items(), ("", started + seconds)]
    ):
        print(f"  {stage}: {after - at:.1f} s")
    stores = {name: open_store(path) for name, path in (("plain", plain), ("encrypted", encrypted))}
    works = {name: work_of(store, folder) for name, store in stores.items()}
    samples: dict[str, dict[str, list[float]]] = {name: {} for name in stores}
    try:
        for work in works["plain"]:
            # Each piece of work is repeated as the AM repeats it (typing a search again):
            # warmed once on both copies, then timed alternating, so a busy moment hits both.
            for name in stores:
                works[name][work]()
            for _ in range(repeat):
                for name in stores:
                    samples[name].setdefault(work, []).append(timed(works[name][work]))
    finally:
        for store in stores.values():
            store.close()
    print(f"{'median of ' + str(repeat):32} {'plain':>9} {'encrypted':>10} {'ratio':>6}")
    for work, times in samples["plain"].items():
        took, other = statistics.median(times), statistics.median(samples["encrypted"][work])
        print(f"{work:32} {took * 1000:7.0f}ms {other * 1000:8.0f}ms {other / took:6.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("seeds", type=Path, nargs="+")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--scratch", type=Path, default=None, help="a folder for the copies")
    args = parser.parse_args()
    os.environ[opener.KEY_ENV_VAR] = KEY
    for seed in args.seeds:
        with tempfile.TemporaryDirectory(prefix="am-encryption-bench-", dir=args.scratch) as f:
            one_seed(seed, Path(f), args.repeat)


if __name__ == "__main__":
    main()
