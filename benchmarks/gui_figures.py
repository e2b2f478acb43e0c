"""GUI figures: start-up to a filled account list, filter keystrokes, workspace open, memory.

Start-up runs in child processes (a fresh interpreter each time, as a user starts the app),
beside a bare PySide6 window started the same way. Everything runs offscreen.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

_BARE = """
import sys, time
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow(); window.resize(1366, 768); window.show(); window.repaint()
app.processEvents()
print(time.monotonic())
"""

#: A fresh interpreter opening the window on sys.argv[1] as the app does (real threads).
_OPEN = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
from am_desktop.app import build_window
from am_desktop.ui.theme import apply_theme
from am_desktop.ui.window.views import ViewKey
app = QApplication(sys.argv)
apply_theme(app)
window = build_window(Path(sys.argv[1]))
window.resize(1366, 768)
window.show()
window.start()
def spin_until(ready):
    while not ready():
        app.processEvents()
        time.sleep(0.001)
"""

#: Process start to the start view painted with its data.
_APP = (
    _OPEN
    + """
spin_until(window.start_view_ready)
window.repaint()
app.processEvents()
print(time.monotonic())
print("matplotlib" in sys.modules, file=sys.stderr)
window.context.tasks.shutdown()
"""
)

#: The Dashboard chosen 1.5 s after start (the user looks at the start view a moment), to
#: every tile and chart painted.
_DASHBOARD = (
    _OPEN
    + """
idle = time.monotonic() + 1.5
spin_until(lambda: window.start_view_ready() and time.monotonic() >= idle)
began = time.monotonic()
window.show_view(ViewKey.DASHBOARD)
spin_until(window.dashboard_view.ready)
window.repaint()
app.processEvents()
print(time.monotonic() - began)
window.context.tasks.shutdown()
"""
)


def first_dashboard(db: Path, runs: int = 3) -> float:
    """Median seconds from choosing the Dashboard (1.5 s after start) to every tile and chart
    painted, each run a fresh process (real threads, offscreen)."""
    return statistics.median(_child_seconds(_DASHBOARD, str(db), since_start=False)[0]
                             for _ in range(runs))  # fmt: skip


def _child_seconds(code: str, *args: str, since_start: bool = True) -> tuple[float, str]:
    """What the child prints last: a monotonic time (``since_start``: the seconds from its
    launch to then) or seconds it measured itself. Each child gets a fresh settings folder,
    so the window opens on its default view (Today), as a new user's does."""
    import tempfile

    fresh = tempfile.mkdtemp(prefix="am-bench-config-")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": fresh}
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, check=True
    )
    printed = float(done.stdout.strip().splitlines()[-1])
    return (printed - start if since_start else printed), done.stderr


def startup(db: Path, runs: int = 5) -> dict[str, Any]:
    """Median seconds from process start to a painted window, app and bare, same run."""
    _child_seconds(_APP, str(db))  # warm the OS file cache once
    bare = statistics.median(_child_seconds(_BARE)[0] for _ in range(runs))
    results = [_child_seconds(_APP, str(db)) for _ in range(runs)]
    app = statistics.median(seconds for seconds, _ in results)
    heavy = any("True" in err for _, err in results)
    return {"app": app, "bare": bare, "matplotlib_before_paint": heavy}


def interactive(db: Path) -> dict[str, float]:
    """Filter keystrokes, workspace opening and memory, in a fresh process (so the memory
    figure is the app's, not the benchmark's)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.gui_figures", str(db)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=Path(__file__).parent.parent,
    )
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _interactive_here(db: Path) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from am_desktop.domain.portfolio import PortfolioQuery
    from am_desktop.services.store import open_store
    from am_desktop.ui.bus import DataBus, MessageBus
    from am_desktop.ui.context import AppContext
    from am_desktop.ui.main_window import MainWindow
    from am_desktop.ui.settings import AppSettings
    from am_desktop.ui.tasks import InlineTaskRunner
    from am_desktop.ui.window.views import ViewKey

    app = QApplication.instance() or QApplication(sys.argv)
    messages = MessageBus()
    settings = AppSettings(db.with_suffix(".ini"))
    context = AppContext(
        open_store(db), InlineTaskRunner(messages.failure), messages, DataBus(), settings
    )
    window = MainWindow(context)
    window.resize(1366, 768)
    window.show()
    window.start()
    deadline = time.monotonic() + 2  # a user's first second: the editing code loads meanwhile
    while time.monotonic() < deadline:
        app.processEvents()
        time.sleep(0.01)
    keystrokes = []
    for text in (
        "n",
        "no",
        "nor",
        "nort",
        "north",
        "northw",
        "",
        "a",
        "ac",
        "acm",
        "s",
        "so",
        "sof",
    ):
        start = time.perf_counter()
        window.accounts_list.run_query(PortfolioQuery(text=text))
        window.accounts.table.viewport().repaint()
        keystrokes.append(time.perf_counter() - start)
    ids = window.model.ids()
    opening = []
    for account_id in ids[:10]:
        start = time.perf_counter()
        window.open_account(account_id)
        window.tabs.currentWidget().repaint()
        opening.append(time.perf_counter() - start)
    window.accounts_list.run_query(PortfolioQuery())  # every account, not the last filter's
    from_key = _workspace_from_key(app, window, window.model.ids()[10:20])
    window.show_view(ViewKey.ACCOUNTS)
    for row in range(0, min(len(ids), 3000), 25):  # scroll through the list
        window.accounts.table.scrollTo(window.model.index(row, 0))
        window.accounts.table.viewport().repaint()
    rss = _rss_mb()
    window.close()
    context.store.close()
    return {
        "filter_p95_ms": 1000 * sorted(keystrokes)[int(0.95 * (len(keystrokes) - 1))],
        "filter_max_ms": 1000 * max(keystrokes),
        "workspace_median_ms": 1000 * statistics.median(opening),
        "workspace_max_ms": 1000 * max(opening),
        "workspace_from_key_median_ms": 1000 * statistics.median(from_key or [float("nan")]),
        "workspace_from_key_max_ms": 1000 * max(from_key or [float("nan")]),
        "rss_mb": rss,
    }


def _workspace_from_key(app: Any, window: Any, ids: list[int]) -> list[float]:
    """Seconds from Enter pressed on an account in the list to its workspace tab's first
    paint (the key event goes through Qt as a user's does; the tab paints when the event
    loop gets to it)."""
    from PySide6.QtCore import QEvent, QObject, Qt
    from PySide6.QtTest import QTest

    from am_desktop.ui.window.views import ViewKey

    painted: list[float] = []

    class FirstPaint(QObject):
        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            tab = window.tabs.currentWidget()
            if (
                event.type() == QEvent.Type.Paint
                and not painted
                and tab is not window.views
                and (watched is tab or tab.isAncestorOf(watched))
            ):
                painted.append(time.perf_counter())
            return False

    spy = FirstPaint()
    app.installEventFilter(spy)
    seconds = []
    table = window.accounts.table
    for account_id in ids:
        window.show_view(ViewKey.ACCOUNTS)
        row = window.model.ids().index(account_id)
        table.setCurrentIndex(window.model.index(row, 0))
        table.setFocus()
        app.processEvents()
        painted.clear()
        start = time.perf_counter()
        QTest.keyClick(table, Qt.Key.Key_Return)
        deadline = start + 5
        while not painted and time.perf_counter() < deadline:
            app.processEvents()
        if painted:
            seconds.append(painted[0] - start)
    app.removeEventFilter(spy)
    return seconds


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


if __name__ == "__main__":
    print(json.dumps(_interactive_here(Path(sys.argv[1]))))
