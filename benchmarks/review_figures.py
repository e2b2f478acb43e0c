"""KPI, dashboard and business-review figures on a seeded database.

    .venv/bin/python -m benchmarks.review_figures DB     # prints one JSON line

- KPIs: ``period_kpis`` over the whole ledger for the trailing twelve months.
- Dashboard period change: the real view, offscreen at the size it has in a 1366 by 768 window,
  with the app's thread pools: from choosing another period to every tile and chart on screen.
- Deck: one account's review read and written as a PDF, beside a plain matplotlib script that
  draws the same pages (title, KPI table, the six charts, from the same data, matplotlib's
  defaults) into a PDF in the same run.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any


def plain_deck(data: Any, target: Path) -> float:
    """Seconds a plain script takes to draw the review's pages into a PDF."""
    from matplotlib.backends.backend_pdf import PdfPages
    from matplotlib.figure import Figure

    start = time.perf_counter()
    with PdfPages(target) as deck:
        page = Figure(figsize=(11.0, 6.1875))
        page.text(0.06, 0.6, data.title, fontsize=30)
        page.text(0.06, 0.5, "Business review", fontsize=18)
        deck.savefig(page)
        page = Figure(figsize=(11.0, 6.1875))
        axes = page.add_subplot()
        axes.set_axis_off()
        k = data.kpis
        rows = [[name, str(getattr(k, name))] for name in (
            "starting_arr", "expansion", "contraction", "churn", "new_arr", "ending_arr", "nrr",
            "grr", "logo_retention", "nps", "csat")]  # fmt: skip
        axes.table(cellText=rows, colLabels=["Measure", "Value"], loc="upper left")
        deck.savefig(page)
        charts: list[Callable[[Any], object]] = [
            lambda a: a.plot([d for d, _ in data.arr_by_month], [v for _, v in data.arr_by_month]),
            lambda a: a.plot([d for d, _ in data.health_trend], [v for _, v in data.health_trend]),
            lambda a: a.scatter([d for d, _, _ in data.surveys], [s for _, _, s in data.surveys]),
            lambda a: a.plot([d for d, _, _ in data.usage], [u for _, u, _ in data.usage]),
            lambda a: a.barh(
                [f"{k} {s}" for k, s, _ in data.pipeline], [c for _, _, c in data.pipeline]
            ),
            lambda a: a.bar(list(data.issues) or ["none"], list(data.issues.values()) or [0]),
        ]
        for draw in charts:
            page = Figure(figsize=(11.0, 6.1875))
            axes = page.add_subplot()
            draw(axes)
            axes.set_title(data.title)
            deck.savefig(page)
    return time.perf_counter() - start


def _period_changes(db: Path, changes: int = 12) -> list[float]:
    """Seconds from choosing a period in the Dashboard to all of it on screen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from am_desktop.services.store import open_store
    from am_desktop.ui.bus import DataBus, MessageBus
    from am_desktop.ui.context import AppContext
    from am_desktop.ui.dashboard import DashboardView
    from am_desktop.ui.settings import AppSettings
    from am_desktop.ui.tasks import ThreadTaskRunner

    app = QApplication.instance() or QApplication(sys.argv)
    messages = MessageBus()
    store = open_store(db)
    with tempfile.TemporaryDirectory(prefix="am-bench-") as folder:
        settings = AppSettings(Path(folder) / "settings.ini")
        context = AppContext(
            store, ThreadTaskRunner(messages.failure), messages, DataBus(), settings
        )
        view = DashboardView(context)
        view.resize(1166, 740)  # beside the sidebar in a 1366 by 768 window
        view.show()

        def spin(seconds: float = 30) -> None:
            end = time.monotonic() + seconds
            while not view.ready() and time.monotonic() < end:
                app.processEvents()
                time.sleep(0.0005)

        view.refresh()
        spin()
        keys = ["quarter", "last_quarter", "year", "last_year", "trailing"]
        times = []
        for index in range(changes):
            began = time.perf_counter()
            view.period.setCurrentIndex(view.period.findData(keys[index % len(keys)]))
            spin()
            app.processEvents()  # the paint
            times.append(time.perf_counter() - began)
        context.tasks.shutdown()
    store.close()
    return times


def measure(db: Path, runs: int = 9) -> dict[str, Any]:
    """Medians (ms or s) of the KPIs, a dashboard period change and a one-account deck."""
    from am_desktop.charts.review import write_review
    from am_desktop.domain.kpis import default_period
    from am_desktop.services.files import writing
    from am_desktop.services.kpis import period_kpis
    from am_desktop.services.review import review_data
    from am_desktop.services.store import open_store

    today = date.today()
    start, end = default_period(today)
    store = open_store(db)
    kpis, deck, plain = [], [], []
    account = 1
    with tempfile.TemporaryDirectory(prefix="am-review-") as folder:
        for _ in range(runs):
            began = time.perf_counter()
            period_kpis(store, start, end)
            kpis.append(time.perf_counter() - began)
            began = time.perf_counter()
            review = review_data(store, start, end, account_id=account)
            write_review(review, today, lambda n: writing(Path(folder) / n), formats=["pdf"])
            deck.append(time.perf_counter() - began)
            plain.append(plain_deck(review, Path(folder) / "plain.pdf"))
    store.close()
    changes = _period_changes(db)
    return {
        "kpis_ms": 1000 * statistics.median(kpis),
        "dashboard_period_change_ms": 1000 * statistics.median(changes),
        "dashboard_period_change_max_ms": 1000 * max(changes),
        "deck_s": statistics.median(deck),
        "plain_deck_s": statistics.median(plain),
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))
