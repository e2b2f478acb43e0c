"""Start-up as the user sees it (issue 17): from process start to the start view painted with
its data, on a real X server when one can be had (Xvfb), beside a bare PySide6 window started
and painted the same way in the same run.

    .venv/bin/python -m benchmarks.outside DB [DB …]     # prints one JSON line per database

The app tells when its start view is filled and painted only under ``AM_DESKTOP_STARTUP_PROBE``
(``app._probe_startup``: it prints the monotonic clock, which every process on the machine
shares, and quits). Each run gets a fresh settings folder, so the window opens on its default
view (Today), as a new user's does.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: A bare window, painted: the floor no Qt app can beat on this machine.
_BARE = """
import sys, time
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication(sys.argv)
window = QMainWindow()
window.resize(1366, 768)
class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint and watched is window:
            QTimer.singleShot(0, lambda: (print(time.monotonic(), flush=True), app.quit()))
            watched.removeEventFilter(self)
        return False
spy = Painted()
window.installEventFilter(spy)
window.show()
app.exec()
"""


@contextmanager
def display() -> Iterator[dict[str, str]]:
    """The environment of a real X server: the user's, else a fresh Xvfb (with openbox when
    installed), else offscreen rendering (said in the result)."""
    if os.environ.get("DISPLAY"):
        yield {**os.environ, "AM_BENCH_DISPLAY": "x11"}
        return
    xvfb = shutil.which("Xvfb")
    if xvfb is None:
        yield {**os.environ, "QT_QPA_PLATFORM": "offscreen", "AM_BENCH_DISPLAY": "offscreen"}
        return
    number = 90 + os.getpid() % 9
    command = [xvfb, f":{number}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    env = {**os.environ, "DISPLAY": f":{number}", "QT_QPA_PLATFORM": "xcb"}
    env["AM_BENCH_DISPLAY"] = "xvfb"
    socket = Path(f"/tmp/.X11-unix/X{number}")
    deadline = time.monotonic() + 10
    while not socket.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    manager = None
    if shutil.which("openbox"):
        manager = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)  # fmt: skip
        env["AM_BENCH_DISPLAY"] = "xvfb+openbox"
    try:
        yield env
    finally:
        for process in (manager, server):
            if process is not None:
                process.terminate()
                process.wait(timeout=10)


def _seconds(command: list[str], env: dict[str, str]) -> float:
    """From launching ``command`` to the monotonic time it prints last."""
    began = time.monotonic()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=True,
                          timeout=120)  # fmt: skip
    return float(done.stdout.strip().splitlines()[-1]) - began


def _compile_the_app() -> None:
    """Byte-compile the app's modules once, as installing it does: a shell that sets
    ``PYTHONDONTWRITEBYTECODE`` (an editable checkout) would otherwise recompile them on every
    start, ~0.15 s that no installed copy pays."""
    import am_desktop

    quiet = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    folder = str(Path(am_desktop.__file__).parent)
    subprocess.run([sys.executable, "-m", "compileall", "-q", folder], env=quiet, check=True)


def startup(db: Path, runs: int = 5) -> dict[str, object]:
    """Median seconds to a painted, filled start view, and to a bare painted window."""
    _compile_the_app()
    app = [sys.executable, "-m", "am_desktop", "--db", str(db)]
    bare = [sys.executable, "-c", _BARE]
    with display() as env:
        shown: list[float] = []
        floor: list[float] = []
        for run in range(runs + 1):
            fresh = tempfile.mkdtemp(prefix="am-bench-config-")
            probe = {**env, "AM_DESKTOP_STARTUP_PROBE": "1", "XDG_CONFIG_HOME": fresh}
            app_seconds = _seconds(app, probe)
            bare_seconds = _seconds(bare, env)
            if run:  # the first run warms the file cache
                shown.append(app_seconds)
                floor.append(bare_seconds)
        where = env["AM_BENCH_DISPLAY"]
    return {
        "database": db.name,
        "display": where,
        "start_view_filled_s": statistics.median(shown),
        "bare_window_s": statistics.median(floor),
        "ratio": statistics.median(shown) / statistics.median(floor),
    }


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(json.dumps(startup(Path(name))), flush=True)
