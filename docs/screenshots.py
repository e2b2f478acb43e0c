"""Render each view of the demo portfolio at 1366×768, light and dark, for the README.

    .venv/bin/python docs/screenshots.py            # writes docs/screenshots/*.png

Runs offscreen on a fresh seeded database in a temporary folder, with the same window code the
app uses; nothing of the user's (data, settings) is read or written.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtWidgets import QApplication

OUT = Path(__file__).parent / "screenshots"
TODAY = date(2026, 11, 22)


def main() -> None:
    folder = Path(tempfile.mkdtemp(prefix="am-shots-"))
    os.environ["XDG_CONFIG_HOME"] = str(folder / "config")
    from am_desktop.app import _wait, build_window
    from am_desktop.services.seed import SCALES, seed_database
    from am_desktop.services.store import open_store
    from am_desktop.ui.theme import apply_theme

    app = QApplication(sys.argv)
    path = folder / "demo.sqlite3"
    store = open_store(path)
    seed_database(store, SCALES["small"], seed=1, today=TODAY)
    store.close()
    OUT.mkdir(exist_ok=True)
    for theme, dark in (("light", False), ("dark", True)):
        apply_theme(app, dark=dark)
        window = build_window(path)
        window.context.today = lambda: TODAY
        window.resize(1366, 768)
        window.show()
        window.start()
        _wait(app, lambda w=window: w.model.rowCount() > 0)
        for key in ("today", "accounts", "renewals"):
            window.show_view(key)
            _wait(app, lambda: False, 0.3)
            window.grab().save(str(OUT / f"{key}-{theme}.png"))
        window.show_view("accounts")
        window.open_account(window.model.ids()[0])
        workspace = window.tabs.currentWidget()
        _wait(app, lambda w=workspace: w.overview is not None)
        _wait(app, lambda: False, 0.3)
        window.grab().save(str(OUT / f"workspace-{theme}.png"))
        workspace.show_tab("Opportunities")
        _wait(app, lambda: False, 0.2)
        window.grab().save(str(OUT / f"opportunities-{theme}.png"))
        window.close()
        window.context.store.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
