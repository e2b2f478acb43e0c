"""CRM sync figures: the initial pull of a large HubSpot portal from the local test server, then
a sync with nothing changed (issue 8).

    .venv/bin/python -m benchmarks.sync_figures [COMPANIES CONTACTS]    # one JSON line

The server runs in its own process (seeded with companies, contacts each associated with a
company); each sync runs as ``am-desktop sync`` in a fresh process on an empty database, so
its time includes start-up and its peak memory is its own.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import subprocess
import sys
import tempfile
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

TOKEN = "bench-token"


def _serve(companies: int, contacts: int, pipe: Connection) -> None:
    from tests.support.fake_hubspot import FakeHubSpot

    server = FakeHubSpot(TOKEN)
    # Records modified over months, a hundred every six minutes (a real portal's history), so
    # the pull's two-minute overlap re-reads only the newest few.
    company_ids: list[str] = []
    for start in range(0, companies, 100):
        company_ids += server.seed_many(
            "companies",
            ({"name": f"Company {n}", "domain": f"company{n}.example", "industry": "Software"}
             for n in range(start, min(companies, start + 100))),
        )  # fmt: skip
        server.advance_clock(360_000)
    contact_ids: list[str] = []
    for start in range(0, contacts, 100):
        contact_ids += server.seed_many(
            "contacts",
            ({"firstname": f"First{n}", "lastname": f"Last{n}", "jobtitle": "Director",
              "email": f"p{n}@company{n % companies}.example"}
             for n in range(start, min(contacts, start + 100))),
        )  # fmt: skip
        server.advance_clock(360_000)
    for n, contact in enumerate(contact_ids):
        server.associate("contacts", contact, "companies", company_ids[n % companies])
    server.advance_clock(600_000)  # the account manager syncs a while after the data was made
    pipe.send(server.start())
    while pipe.recv() == "count":  # until told to stop
        pipe.send(server.write_count())
    server.stop()


def _sync(url: str, db: Path) -> tuple[float, float, str]:
    """Seconds, peak RSS (MB) and output of one ``am-desktop sync`` in a fresh process."""
    env = {**os.environ, "AM_DESKTOP_CRM_TOKEN": TOKEN}
    code = (
        "import resource, sys, time\n"
        "from am_desktop import cli\n"
        "began = time.perf_counter()\n"
        f"argv = ['sync', '--crm', 'hubspot', '--base-url', {url!r}, '--db', {str(db)!r}]\n"
        "status = cli.main(argv)\n"
        "elapsed = time.perf_counter() - began\n"
        # VmHWM, not ru_maxrss: a forked child's ru_maxrss starts at its parent's size
        "peak = next(int(line.split()[1]) for line in open('/proc/self/status')\n"
        "            if line.startswith('VmHWM:')) / 1024\n"
        "print('BENCH', elapsed, peak, status)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=False)  # fmt: skip
    line = next((ln for ln in done.stdout.splitlines() if ln.startswith("BENCH")), None)
    if line is None:
        raise RuntimeError(done.stderr[-2000:])
    _tag, seconds, rss, status = line.split()
    if status != "0":
        raise RuntimeError(done.stderr[-2000:])
    return float(seconds), float(rss), done.stdout


def measure(companies: int = 10_000, contacts: int = 100_000) -> dict[str, Any]:
    """Initial pull and a sync with nothing changed."""
    # A fresh interpreter for the server: a fork of a large benchmark process would drag its
    # heap along (slower collections, a misleading size).
    spawn = multiprocessing.get_context("spawn")
    parent, child = spawn.Pipe()
    server = spawn.Process(target=_serve, args=(companies, contacts, child))
    server.start()
    url = parent.recv()
    try:
        with tempfile.TemporaryDirectory(prefix="am-sync-") as folder:
            db = Path(folder) / "am.sqlite3"
            from am_desktop.services.store import open_store

            open_store(db).close()  # sync works on an existing database, as a user's is
            first, first_rss, _ = _sync(url, db)
            parent.send("count")
            writes_before = int(parent.recv())
            again, again_rss, out = _sync(url, db)
            parent.send("count")
            writes_after = int(parent.recv())
    finally:
        parent.send("stop")
        server.join(10)
    return {
        "companies": companies,
        "contacts": contacts,
        "initial_pull_s": first,
        "initial_pull_peak_rss_mb": first_rss,
        "nothing_changed_s": again,
        "nothing_changed_output": out.strip().splitlines()[0] if out.strip() else "",
        "writes_during_nothing_changed": writes_after - writes_before,
        "nothing_changed_peak_rss_mb": again_rss,
    }


if __name__ == "__main__":
    print(json.dumps(measure(*[int(a) for a in sys.argv[1:3]])))
