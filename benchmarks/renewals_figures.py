"""Renewal figures: the timeline's repaint with every contract, and ``renewals --json``.

.venv/bin/python -m benchmarks.renewals_figures DB      # prints one JSON line
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any


def measure(db: Path) -> dict[str, Any]:
    """Repaint times (ms) while scrolling and zooming, and the command's wall time (s)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from am_desktop.domain.timeline import add_months
    from am_desktop.services.renewal_queries import timeline_rows
    from am_desktop.services.store import open_store
    from am_desktop.ui.renewals.timeline import AFTER_MONTHS, BEFORE_MONTHS, RenewalTimeline
    from am_desktop.ui.theme import apply_theme

    app = QApplication.instance() or QApplication(sys.argv)
    apply_theme(app)  # type: ignore[arg-type]
    today = date.today()
    store = open_store(db)
    rows = timeline_rows(store, add_months(today, -BEFORE_MONTHS), add_months(today, AFTER_MONTHS))
    store.close()
    timeline = RenewalTimeline(today=today)
    timeline.resize(1130, 420)
    timeline.show()
    timeline.set_rows(rows, today)
    app.processEvents()
    paints = []
    vertical = timeline.verticalScrollBar()
    for step in range(60):
        vertical.setValue(vertical.maximum() * step // 60)
        if step % 10 == 5:
            timeline.zoom(1.25 if step < 30 else 0.8)
        if step % 7 == 3:
            timeline.scroll_days(14)
        start = time.perf_counter()
        timeline.viewport().repaint()
        paints.append(time.perf_counter() - start)
    timeline.close()
    walls = []
    for _ in range(5):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "am_desktop", "renewals", "--within", "90", "--json",
             "--db", str(db)],
            capture_output=True,
            check=True,
        )  # fmt: skip
        walls.append(time.perf_counter() - start)
    return {
        "contracts": len(rows),
        "repaint_median_ms": 1000 * statistics.median(paints),
        "repaint_p95_ms": 1000 * sorted(paints)[int(0.95 * (len(paints) - 1))],
        "renewals_json_median_s": statistics.median(walls),
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))
