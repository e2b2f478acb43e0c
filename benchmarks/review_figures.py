"""KPI, dashboard and business-review figures on a seeded database.

    .venv/bin/python -m benchmarks.review_figures DB     # prints one JSON line

- KPIs: ``period_kpis`` over the whole ledger for the trailing twelve months.
- Dashboard period change: the real view, offscreen at the size it has in a 1366 by 768 window,
  with the app's thread pools: from choosing another period to every tile and chart on screen.
- Customer deck (.pptx): one account's review read, composed and written as PowerPoint
  (``exports.review.export_review``, what the window and ``qbr`` run), and the writer alone
  beside a plain python-pptx script making the same slides with the same native charts
  (``benchmarks.plain_decks``) in the same run.
- PDF deck: the same account's internal deck drawn by the app beside a plain matplotlib script
  drawing the same pages, in the same run.
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


def _busiest_account(db: Path) -> int:
    """The account with the most usage samples and action items: the largest customer deck."""
    from am_desktop.db import opener

    connection = opener.connect(db)
    try:
        (account,) = connection.execute(
            "SELECT account_id FROM action_item WHERE status = 'open' GROUP BY account_id "
            "ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    finally:
        connection.close()
    return int(account)


def _median(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def _side_by_side(
    ours: Callable[[], object], baseline: Callable[[], object], runs: int
) -> tuple[float, float]:
    """Medians of two pieces of work run in turn (so a busy moment of the machine falls on
    both alike)."""
    ours(), baseline()  # warm: imports, fonts, caches
    mine, theirs = [], []
    for _ in range(runs):
        for work, times in ((ours, mine), (baseline, theirs)):
            began = time.perf_counter()
            work()
            times.append(time.perf_counter() - began)
    return statistics.median(mine), statistics.median(theirs)


def measure(db: Path, runs: int = 7) -> dict[str, Any]:
    """Medians (ms or s) of the KPIs, a dashboard period change and one account's decks."""
    import io

    from am_desktop.charts.pptx_deck import write_pptx
    from am_desktop.charts.review import write_deck
    from am_desktop.domain.deck import Audience
    from am_desktop.domain.kpis import default_period
    from am_desktop.exports.review import ReviewRequest, export_review, review_deck
    from am_desktop.services.files import writing
    from am_desktop.services.kpis import period_kpis
    from am_desktop.services.store import open_store
    from benchmarks.plain_decks import plain_pdf, plain_pptx

    start, end = default_period(date.today())
    store = open_store(db)
    account = _busiest_account(db)
    with tempfile.TemporaryDirectory(prefix="am-review-") as folder:
        out = Path(folder)
        customer = ReviewRequest(account, start, end, out, Audience.CUSTOMER, ("pptx",))
        internal = ReviewRequest(account, start, end, out, Audience.INTERNAL, ("pdf",))
        customer_deck = review_deck(store, customer)
        internal_deck = review_deck(store, internal)
        export_review(store, customer)  # warm: imports, fonts
        plain_pptx(customer_deck)
        figures = {
            "kpis_ms": 1000 * _median(lambda: period_kpis(store, start, end), runs),
            "customer_pptx_s": _median(lambda: export_review(store, customer), runs),
            "customer_read_s": _median(lambda: review_deck(store, customer), runs),
        }
        writer, plain = _side_by_side(
            lambda: write_pptx(customer_deck, io.BytesIO()), lambda: plain_pptx(customer_deck), runs
        )
        drawn, drawn_plain = _side_by_side(
            lambda: write_deck(internal_deck, lambda n: writing(out / n), formats=["pdf"]),
            lambda: plain_pdf(internal_deck, out / "plain.pdf"),
            runs,
        )
        figures |= {
            "pptx_writer_s": writer,
            "plain_pptx_s": plain,
            "pdf_deck_s": drawn,
            "plain_pdf_s": drawn_plain,
        }
    store.close()
    changes = _period_changes(db)
    return {
        **figures,
        "dashboard_period_change_ms": 1000 * statistics.median(changes),
        "dashboard_period_change_max_ms": 1000 * max(changes),
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))
