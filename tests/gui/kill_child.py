"""A child process for the kill test: types into a note, then keeps typing until killed.

    python -m tests.gui.kill_child DB ACCOUNT_ID

Prints ``paused`` after typing the first text and pausing, then types one character every
50 ms (a person typing: this pace models the outside world, it waits for nothing), printing
``typed <time.monotonic()>`` after each. The parent kills it with SIGKILL.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"

from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from am_desktop.services.store import open_store
from am_desktop.ui.bus import DataBus, MessageBus
from am_desktop.ui.context import AppContext
from am_desktop.ui.notes.editor import NoteEditor
from am_desktop.ui.settings import AppSettings
from am_desktop.ui.tasks import ThreadTaskRunner

FIRST = "Budget approved for next year."
SECOND = "abcdefghijklmnopqrstuvwxyz" * 4


#: The person's pause after the first text, and then one keystroke this often (ms).
PAUSE_MS = 2000
KEYSTROKE_MS = 50


def typed_at(line: str) -> float:
    """When the child typed the character ``line`` reports (for the parent)."""
    word, at = line.split()
    assert word == "typed", line
    return float(at)


def main() -> None:
    app = QApplication(sys.argv)
    db, account = Path(sys.argv[1]), int(sys.argv[2])
    messages = MessageBus()
    context = AppContext(
        open_store(db),
        ThreadTaskRunner(messages.failure),
        messages,
        DataBus(),
        AppSettings(db.with_suffix(".ini")),
    )
    editor = NoteEditor(context)  # the app's own timing: PAUSE_MS, MAX_WAIT_MS
    editor.resize(600, 400)
    editor.show()
    editor.new_note(account, [])
    QTest.keyClicks(editor.body, FIRST)
    pending = list(SECOND)
    keystrokes = QTimer()
    keystrokes.setInterval(KEYSTROKE_MS)  # the typist's pace, driven by the event loop

    def type_one() -> None:
        if pending:
            QTest.keyClicks(editor.body, pending.pop(0))
            print(f"typed {time.monotonic()}", flush=True)

    def start_typing() -> None:
        print("paused", flush=True)
        keystrokes.start()

    keystrokes.timeout.connect(type_one)
    QTimer.singleShot(PAUSE_MS, start_typing)
    app.exec()  # until the parent kills the process


if __name__ == "__main__":
    main()
