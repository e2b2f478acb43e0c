"""Note editor figures: GUI-thread time of a save, and opening a note, on a seeded database.

    .venv/bin/python -m benchmarks.notes_figures DB      # prints one JSON line

Runs the real editor with the app's thread pools, offscreen. A save's GUI-thread time is the
snapshot and hand-over to the write lane (the write itself runs on its thread); opening is
from the request to the editor showing the note, the read included.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any


def measure(db: Path, samples: int = 40) -> dict[str, Any]:
    """Median and max (ms) of save GUI-thread time and note opening."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from am_desktop.services import notes
    from am_desktop.services.notes import NoteFilter
    from am_desktop.services.store import open_store
    from am_desktop.ui.bus import DataBus, MessageBus
    from am_desktop.ui.context import AppContext
    from am_desktop.ui.notes.panel import NotesPanel
    from am_desktop.ui.settings import AppSettings
    from am_desktop.ui.tasks import ThreadTaskRunner

    app = QApplication.instance() or QApplication(sys.argv)
    messages = MessageBus()
    store = open_store(db)
    context = AppContext(
        store,
        ThreadTaskRunner(messages.failure),
        messages,
        DataBus(),
        AppSettings(db.with_suffix(".ini")),
    )
    rows = notes.list_notes(store, NoteFilter(), limit=samples)
    account = rows[0].account_id
    panel = NotesPanel(context, account)
    panel.resize(1100, 600)
    panel.show()

    def spin(condition: Any, seconds: float = 10) -> None:
        end = time.monotonic() + seconds
        while not condition() and time.monotonic() < end:
            app.processEvents()
            time.sleep(0.0005)

    opening: list[float] = []
    for row in rows:
        start = time.perf_counter()
        panel.open_note(row.id)
        spin(lambda r=row: panel.editor.note is not None and panel.editor.note.id == r.id)
        app.processEvents()
        opening.append(time.perf_counter() - start)
    saving: list[float] = []
    editor = panel.editor
    for index in range(samples):
        editor.body.insertPlainText(f" word{index}")
        start = time.perf_counter()
        editor.flush()  # what the autosave timer calls
        saving.append(time.perf_counter() - start)
        spin(lambda: editor.status.text().startswith("Saved"))
    context.tasks.shutdown()
    store.close()
    return {
        "open_median_ms": 1000 * statistics.median(opening),
        "open_max_ms": 1000 * max(opening),
        "save_gui_median_ms": 1000 * statistics.median(saving),
        "save_gui_max_ms": 1000 * max(saving),
    }


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))
