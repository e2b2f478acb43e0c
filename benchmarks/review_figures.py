"""KPI, dashboard and business-review figures on a seeded database.

    .venv/bin/python -m benchmarks.review_figures DB     # prints one JSON line

The deck is timed beside a plain matplotlib script drawing as many pages (a line chart each)
into a PDF in the same run.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any


def _plain_deck(folder: Path, pages: int) -> float:
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    start = time.perf_counter()
    with PdfPages(folder / "plain.pdf") as deck:
        for page in range(pages):
            figure = Figure(figsize=(11.0, 6.1875), dpi=100)
            axes = figure.add_subplot()
            axes.plot(range(24), [v * (page + 1) for v in range(24)], marker="o")
            axes.set_title(f"Page {page}")
            deck.savefig(figure)
    return time.perf_counter() - start


def measure(db: Path, runs: int = 3) -> dict[str, Any]:
    """Medians (ms) of the KPIs, the dashboard's data and figures, and a one-account deck."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from am_desktop.charts.review import write_review
    from am_desktop.domain.kpis import default_period
    from am_desktop.services.dashboard import dashboard
    from am_desktop.services.kpis import period_kpis
    from am_desktop.services.review import review_data
    from am_desktop.services.store import open_store
    from am_desktop.ui.dashboard import build_figures

    today = date.today()
    start, end = default_period(today)
    store = open_store(db)
    kpis, board, deck, plain = [], [], [], []
    account = 1
    with tempfile.TemporaryDirectory(prefix="am-review-") as folder:
        for _ in range(runs):
            began = time.perf_counter()
            period_kpis(store, start, end)
            kpis.append(time.perf_counter() - began)
            began = time.perf_counter()
            data = dashboard(store, start, end, today)
            for figure in build_figures(data, "bench"):
                FigureCanvasAgg(figure).draw()
            board.append(time.perf_counter() - began)
            began = time.perf_counter()
            review = review_data(store, start, end, account_id=account)
            write_review(review, Path(folder), today, formats=["pdf"])
            deck.append(time.perf_counter() - began)
            plain.append(_plain_deck(Path(folder), 8))
    store.close()
    return {
        "kpis_ms": 1000 * statistics.median(kpis),
        "dashboard_period_change_ms": 1000 * statistics.median(board),
        "deck_s": statistics.median(deck),
        "plain_deck_s": statistics.median(plain),
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))
