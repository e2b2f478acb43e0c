"""A window opened in a fresh interpreter, as the app opens it, for what one process cannot
show (which modules a start-up has loaded)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

#: Opens the window on the database named by the first argument; the body goes on from there.
_PRELUDE = (
    "import sys\n"
    "from pathlib import Path\n"
    "from PySide6.QtWidgets import QApplication\n"
    "from am_desktop.app import build_window\n"
    "app = QApplication(sys.argv)\n"
    "window = build_window(Path(sys.argv[1]))\n"
)


def last_line_of_fresh_window(body: str, tmp_path: Path) -> str:
    """Create and migrate a database in ``tmp_path``, run ``body`` after opening a window on
    it in a new process (offscreen, fresh settings), and return the last line it printed."""
    from am_desktop.services.store import open_store

    database = tmp_path / "am.sqlite3"
    open_store(database).close()  # created and migrated here: a first start migrates
    env = {"QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run(
        [sys.executable, "-c", _PRELUDE + body, str(database)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=Path(__file__).parent.parent.parent,
        timeout=120,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1]
