"""after_next_frame and the lifetime of the widget it waits on (a segfault in the suite: the
helper held the last reference to a widget made in Python, and its deletion deleted it twice)."""

from __future__ import annotations

import os
import subprocess
import sys
import weakref
from pathlib import Path

from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from am_desktop.ui.window.next_frame import after_next_frame

_PRELUDE = """
import gc
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication, QWidget
from am_desktop.ui.window.next_frame import after_next_frame

app = QApplication([])
gc.disable()  # the crash needs the cycle collector not to have stepped in first
loop = QEventLoop()
"""

#: As test_start_order did: the wait ends when the callback has run (the helper's deletion is
#: still pending); the widget's last owner goes; pytest-qt then processes the pending events.
_HELPER_OUTLIVES_ITS_OWNERS = """
widget = QWidget()
after_next_frame(widget, loop.quit)
loop.exec()
del widget
app.processEvents()
print("survived")
"""

#: The callback is a method of the window that holds the widget, and nothing else holds it.
_CALLBACK_OWNS_THE_WINDOW = """
class Window(QWidget):
    def painted(self):
        loop.quit()

window = Window()
after_next_frame(QWidget(window), window.painted)
del window
loop.exec()
app.processEvents()
print("survived")
"""


def _run_child(body: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-X", "faulthandler", "-c", _PRELUDE + body],
        capture_output=True,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        cwd=Path(__file__).parent.parent.parent,
        timeout=120,
        check=False,
    )


def test_the_helper_deleted_after_the_widget_lost_its_owners_does_not_crash() -> None:
    done = _run_child(_HELPER_OUTLIVES_ITS_OWNERS)
    assert (done.returncode, done.stdout.strip()) == (0, "survived"), done.stderr[-2000:]


def test_a_callback_that_is_the_windows_last_owner_does_not_crash() -> None:
    done = _run_child(_CALLBACK_OWNS_THE_WINDOW)
    assert (done.returncode, done.stdout.strip()) == (0, "survived"), done.stderr[-2000:]


def test_the_helper_does_not_keep_the_widget_alive(qtbot: QtBot) -> None:
    widget = QWidget()
    gone = weakref.ref(widget)
    after_next_frame(widget, lambda: None)
    del widget
    assert gone() is None  # freed by its last owner at once, not by a later collection


def test_a_widget_deleted_before_its_frame_runs_nothing(qtbot: QtBot) -> None:
    """The waiter dies with its widget, and its patience timer with it (Qt drops a timer whose
    context object is gone), so nothing can call the callback afterwards."""
    widget = QWidget()
    ran: list[bool] = []
    after_next_frame(widget, lambda: ran.append(True))
    (waiter,) = [child for child in widget.children() if type(child).__name__ == "_NextFrame"]
    gone: list[bool] = []
    waiter.destroyed.connect(lambda: gone.append(True))
    widget.deleteLater()
    qtbot.waitUntil(lambda: gone == [True])
    assert ran == []
