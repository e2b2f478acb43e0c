"""Note search figures: p95 over a mix of queries, the app's ranking beside a naive ORDER BY rank.

    .venv/bin/python -m benchmarks.search_figures DB     # prints one JSON line

The mix: common words (in a fifth of all notes or more), rare words, prefixes and phrases, as
an account manager types them; each is run a few times, the first run discarded (cache).
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

QUERIES = (
    "renewal",
    "budget",
    "adoption",
    "champion",
    "escalation",
    "qbr",
    "procurement",
    "renewal budget",
    "renew*",
    "budg*",
    "escal*",
    "proc*",
    '"champion left"',
    '"price increase"',
    '"executive sponsor"',
    "security review",
    "sso",
    "soc",
    "zendesk",
    "churn",
)
_RUNS = 4


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[int(0.95 * (len(ordered) - 1))]


def measure(db: Path) -> dict[str, Any]:
    """p95 and max (ms) of the app's search and of the naive ranking, same queries, same run."""
    from am_desktop.services.note_search import search_naive, search_notes
    from am_desktop.services.store import open_store

    store = open_store(db)
    ours: list[float] = []
    naive: list[float] = []
    first: list[float] = []
    per_query: dict[str, tuple[float, float]] = {}
    try:
        for query in QUERIES:
            mine, plain = [], []
            for run in range(_RUNS):
                start = time.perf_counter()
                search_notes(store, query)
                middle = time.perf_counter()
                search_naive(store, query)
                end = time.perf_counter()
                if run:
                    mine.append(middle - start)
                    plain.append(end - middle)
                else:
                    first.append(middle - start)
            ours += mine
            naive += plain
            per_query[query] = (1000 * statistics.median(mine), 1000 * statistics.median(plain))
    finally:
        store.close()
    return {
        "search_p95_ms": 1000 * _p95(ours),
        "search_max_ms": 1000 * max(ours),
        "search_first_run_p95_ms": 1000 * _p95(first),
        "naive_p95_ms": 1000 * _p95(naive),
        "naive_max_ms": 1000 * max(naive),
        "per_query_ms": per_query,
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))
