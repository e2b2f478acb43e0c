"""Measure seeding and CSV import beside plain ``sqlite3`` on the same rows, in one run.

    .venv/bin/python -m benchmarks.run                 # the large scale (about 3 minutes)
    .venv/bin/python -m benchmarks.run --scale medium  # a quick look

Prints a table and writes ``benchmarks/results/<time>.json``. Each figure stands beside its
baseline and the ratio between them, so a slow machine does not read as a regression.
Later issues add their figures here (one ``measure_*`` function each).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from random import Random
from typing import Any

from am_desktop.db import opener
from am_desktop.services.seed import SCALES, seed_database
from am_desktop.services.store import open_store
from am_desktop.services.transfer.importer import import_csv

RESULTS = Path(__file__).parent / "results"
TODAY = date.today()
STAMP = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


@dataclass
class Figure:
    """One measured figure beside its baseline and the target it is held to."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target: str = ""

    @property
    def ratio(self) -> float | None:
        """value / baseline."""
        return self.value / self.baseline if self.baseline else None


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds an action took, and its result."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def raw_connection(path: Path) -> sqlite3.Connection:
    """A bare connection with the app's PRAGMAs, for the baseline (through the opener, so an
    encrypted seed works with ``$AM_DESKTOP_DB_KEY``)."""
    connection: sqlite3.Connection = opener.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA foreign_keys=ON")
    return connection


# ------------------------------------------------------------------ import files and their rows


def contacts_file(db: Path, folder: Path, rows: int) -> tuple[Path, str, list[tuple[Any, ...]]]:
    """New contacts at existing accounts: the CSV, and the same rows ready for executemany."""
    connection = opener.connect(db)
    accounts = connection.execute("SELECT id, domain FROM account ORDER BY id").fetchall()
    connection.close()
    rng = Random(5)
    path = folder / "contacts.csv"
    raw = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "account",
                "first_name",
                "last_name",
                "email",
                "title",
                "role",
                "sentiment",
                "influence",
            ]
        )
        for n in range(rows):
            account_id, domain = accounts[rng.randrange(len(accounts))]
            email = f"bench{n}@{domain}"
            cells = ["Sam", f"Bench{n}", email, "Analyst", "user", "neutral", "2"]
            writer.writerow([domain, *cells])
            raw.append((account_id, *cells, str(uuid.uuid4()), 1, STAMP, STAMP))
    sql = (
        "INSERT INTO contact (account_id, first_name, last_name, email, title, role, sentiment, "
        "influence, uid, version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)"
    )
    return path, sql, raw


def arr_file(db: Path, folder: Path, rows: int) -> tuple[Path, str, list[tuple[Any, ...]]]:
    """New expansion movements: the CSV, and the same rows ready for executemany."""
    connection = opener.connect(db)
    accounts = connection.execute("SELECT id, domain FROM account ORDER BY id").fetchall()
    connection.close()
    rng = Random(6)
    path = folder / "arr.csv"
    raw = []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["account", "date", "type", "amount"])
        for n in range(rows):
            account_id, domain = accounts[rng.randrange(len(accounts))]
            day = date(2024, 1, 1).toordinal() + n % 700
            cents = 1000_00 + n
            writer.writerow(
                [domain, date.fromordinal(day).isoformat(), "expansion", f"{cents / 100:.2f}"]
            )
            raw.append(
                (
                    account_id,
                    date.fromordinal(day).isoformat(),
                    "expansion",
                    cents,
                    "import",
                    str(uuid.uuid4()),
                    1,
                    STAMP,
                    STAMP,
                )
            )
    sql = (
        "INSERT INTO arr_movement (account_id, occurred_on, type, amount_cents, source, uid, "
        "version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)"
    )
    return path, sql, raw


def measure_import(
    db: Path, folder: Path, kind: str, rows: int, make: Callable[..., Any]
) -> list[Figure]:
    """An import's rows/s beside raw executemany of the same rows into a copy of the database."""
    path, sql, raw = make(db, folder, rows)
    copy = folder / "raw-copy.sqlite3"
    shutil.copyfile(db, copy)
    connection = raw_connection(copy)

    def baseline() -> None:
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(sql, raw)
        connection.execute("COMMIT")

    raw_seconds, _ = timed(baseline)
    connection.close()
    copy.unlink()
    store = open_store(db)
    seconds, summary = timed(lambda: import_csv(store, kind, path))
    store.close()
    assert summary.added == rows, summary
    return [
        Figure(
            f"import {kind} ({rows:,} rows)",
            rows / seconds,
            "rows/s",
            rows / raw_seconds,
            "sqlite3 executemany, same rows",
            "≥ 50,000 rows/s and ≥ 0.5× raw",
        )
    ]


def measure_seed(folder: Path, scale: str) -> tuple[Path, list[Figure]]:
    """Seeding time, beside raw executemany of the same number of rows (of notes' width)."""
    db = folder / f"{scale}.sqlite3"
    store = open_store(db)
    seconds, counts = timed(
        lambda: seed_database(store, SCALES[scale], seed=1, today=TODAY, alone=True)
    )
    store.close()
    total = sum(counts.values())
    # Baseline: the same number of rows, pre-built, through plain executemany.
    copy = folder / "raw-seed.sqlite3"
    connection = raw_connection(copy)
    connection.execute(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c INTEGER, d TEXT, e TEXT)"
    )
    body = (
        "Renewal call: budget is tight, adoption is up 12% and procurement wants a multi-year. " * 5
    )
    rows = [(n, str(uuid.uuid4()), body, n, STAMP, STAMP) for n in range(total)]

    def baseline() -> None:
        connection.execute("BEGIN")
        connection.executemany("INSERT INTO t VALUES (?,?,?,?,?,?)", rows)
        connection.execute("COMMIT")

    raw_seconds, _ = timed(baseline)
    connection.close()
    copy.unlink()
    return db, [
        Figure(
            f"seed {scale} ({total:,} rows)",
            seconds,
            "s",
            raw_seconds,
            "sqlite3 executemany of as many pre-built rows",
            "≤ 90 s (large)",
        ),
    ]


def measure_gui(db: Path) -> list[Figure]:
    """Start-up, filter, workspace and memory on the seeded database (issue: the window)."""
    from benchmarks import gui_figures

    start = gui_figures.startup(db)
    live = gui_figures.interactive(db)
    heavy = " (matplotlib imported before paint!)" if start["matplotlib_before_paint"] else ""
    return [
        Figure(
            "start-up to a filled start view" + heavy,
            start["app"],
            "s",
            start["bare"],
            "bare PySide6 window, same run",
            "≤ 1.0 s and ≤ 4× bare",
        ),
        Figure(
            "first Dashboard visit, 1.5 s after start",
            gui_figures.first_dashboard(db),
            "s",
            target="≤ 1.0 s demo, ≤ 1.5 s large",
        ),
        Figure("filter keystroke p95", live["filter_p95_ms"], "ms", target="≤ 30 ms"),
        Figure(
            "open account workspace (median)", live["workspace_median_ms"], "ms", target="≤ 150 ms"
        ),
        Figure("open account workspace (max)", live["workspace_max_ms"], "ms", target="≤ 150 ms"),
        Figure(
            "workspace, Enter to painted tab (median)",
            live["workspace_from_key_median_ms"],
            "ms",
            target="≤ 150 ms",
        ),
        Figure("memory, large database open", live["rss_mb"], "MB", target="≤ 300 MB RSS"),
        *measure_map(),
        *measure_search(db),
    ]


def measure_search(db: Path) -> list[Figure]:
    """Note search over the seeded notes (issue: meeting notes), the naive ranking beside it."""
    from benchmarks import search_figures

    m = search_figures.measure(db)
    return [
        Figure(
            "note search p95 (query mix)",
            m["search_p95_ms"],
            "ms",
            m["naive_p95_ms"],
            "naive ORDER BY rank, same queries",
            "≤ 50 ms",
        ),
        Figure("note search p95, first run", m["search_first_run_p95_ms"], "ms", target="≤ 50 ms"),
        *measure_notes(db),
        *measure_renewals(db),
        *measure_reviews(db),
    ]


def measure_reviews(db: Path) -> list[Figure]:
    """KPIs, the Dashboard and a business-review deck (issue: KPIs and reviews)."""
    from am_desktop.services import health
    from am_desktop.services.store import open_store
    from benchmarks import review_figures

    store = open_store(db)
    health.compute_all(store, date.today())  # the app scores every account once a day
    store.close()
    m = review_figures.measure(db)
    return [
        Figure("KPIs over the ledger", m["kpis_ms"], "ms", target="≤ 200 ms"),
        Figure("dashboard period change", m["dashboard_period_change_ms"], "ms", target="≤ 300 ms"),
        Figure(
            "one account's customer .pptx (read, compose, write)",
            m["customer_pptx_s"],
            "s",
            target="≤ 2 s",
        ),
        Figure(
            "the PowerPoint writer, same deck",
            m["pptx_writer_s"],
            "s",
            m["plain_pptx_s"],
            "plain python-pptx, same slides and native charts",
            "≤ 1.5×",
        ),
        Figure(
            "one account's internal PDF deck",
            m["pdf_deck_s"],
            "s",
            m["plain_pdf_s"],
            "plain matplotlib, the same pages",
            "≤ 1.3×",
        ),
    ]


def measure_renewals(db: Path) -> list[Figure]:
    """The renewal timeline and the renewals command (issue: renewals), in a fresh process."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.renewals_figures", str(db)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    m = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        Figure("timeline repaint p95 (all contracts)", m["repaint_p95_ms"], "ms", target="≤ 16 ms"),
        Figure(
            "renewals --within 90 --json (wall)", m["renewals_json_median_s"], "s", target="≤ 0.3 s"
        ),
    ]


def measure_notes(db: Path) -> list[Figure]:
    """The note editor on the seeded database, in a fresh process (issue: meeting notes)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.notes_figures", str(db)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    m = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        Figure("note save, GUI-thread time (max)", m["save_gui_max_ms"], "ms", target="≤ 5 ms"),
        Figure("open a note (median)", m["open_median_ms"], "ms", target="≤ 50 ms"),
        Figure("open a note (max)", m["open_max_ms"], "ms", target="≤ 50 ms"),
    ]


def measure_map() -> list[Figure]:
    """The contact map at 200 contacts (issue: the contact map), in a fresh process."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.map_figures"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    m = json.loads(done.stdout.strip().splitlines()[-1])
    return [
        Figure(
            "map 200: layout + first paint", m["layout_first_paint_ms"], "ms", target="≤ 200 ms"
        ),
        Figure(
            "map 200: first paint (max)", m["layout_first_paint_max_ms"], "ms", target="≤ 200 ms"
        ),
        Figure("map 200: drag frame p95", m["drag_frame_p95_ms"], "ms", target="≤ 16.7 ms"),
        Figure("map 200: PNG drawn (GUI thread)", m["export_png_draw_ms"], "ms"),
    ]


def measure_sync(scale: str) -> list[Figure]:
    """CRM sync from the local HubSpot-compatible server (issue: CRM sync)."""
    from benchmarks import sync_figures

    companies, contacts = (10_000, 100_000) if scale == "large" else (1_000, 10_000)
    m = sync_figures.measure(companies, contacts)
    return [
        Figure(f"sync: first pull {companies:,}+{contacts:,}", m["initial_pull_s"], "s",
               target="≤ 60 s"),
        Figure("sync: peak memory of the pull", m["initial_pull_peak_rss_mb"], "MB",
               target="≤ 300 MB"),
        Figure("sync: nothing changed", m["nothing_changed_s"], "s", target="≤ 0.5 s"),
        Figure("sync: writes when nothing changed", m["writes_during_nothing_changed"], "",
               target="0"),
    ]  # fmt: skip


def measure_calendar(db: Path) -> list[Figure]:
    """A year of a busy calendar imported on a copy of the seeded database (issue 19)."""
    from benchmarks import calendar_figures

    m = calendar_figures.measure(db)
    return [
        Figure(f"import calendar ({m['meetings']:,} mtgs)", m["import_median_s"], "s",
               target="≤ 2 s"),
        Figure("import calendar, CPU time", m["import_cpu_median_s"], "s"),
        Figure("import calendar again (no change)", m["again_median_s"], "s"),
    ]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scale", choices=tuple(SCALES), default="large")
    parser.add_argument("--rows", type=int, default=100_000, help="rows per import file")
    parser.add_argument("--keep", type=Path, help="keep the seeded database at this path")
    args = parser.parse_args()
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="am-bench-") as tmp:
        folder = Path(tmp)
        db, seeded = measure_seed(folder, args.scale)
        figures += seeded
        figures += measure_gui(db)
        figures += measure_import(db, folder, "contacts", args.rows, contacts_file)
        figures += measure_import(db, folder, "arr", args.rows, arr_file)
        figures += measure_sync(args.scale)
        figures += measure_calendar(db)
        if args.keep:
            shutil.copyfile(db, args.keep)
    print(f"{'figure':<34} {'value':>16} {'baseline':>16} {'ratio':>7}  target")
    for f in figures:
        ratio = f"{f.ratio:.2f}×" if f.ratio else ""
        base = f"{f.baseline:,.1f}" if f.baseline else ""
        print(f"{f.name:<34} {f.value:>12,.1f} {f.unit:<3} {base:>16} {ratio:>7}  {f.target}")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / f"{datetime.now().strftime('%Y%m%d-%H%M%S')}-{args.scale}.json"
    out.write_text(
        json.dumps(
            {
                "machine": {"python": platform.python_version(), "platform": platform.platform()},
                "scale": args.scale,
                "figures": [{**asdict(f), "ratio": f.ratio} for f in figures],
            },
            indent=2,
        )
    )
    print(f"\nwritten to {out}")


if __name__ == "__main__":
    main()
