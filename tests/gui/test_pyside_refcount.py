"""Guard against the PySide6 6.12.0 crash on Python 3.11 (see pyproject's pin).

6.12.0 drops a reference to ``None`` in ``QComboBox.addItem``,
``QStandardItemModel.appendRow/setItem``, ``QListWidget.addItem`` and more; after a few
thousand calls the process dies with ``Fatal Python error: none_dealloc``. An upgrade that
brings the bug back must fail here, in a child process, rather than in a user's session.
"""

from __future__ import annotations

import os
import subprocess
import sys

CALLS = 50_000

_CHILD = f"""
import sys
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QApplication, QComboBox, QListWidget

app = QApplication([])
before = sys.getrefcount(None)
combo, listing, model = QComboBox(), QListWidget(), QStandardItemModel()
for n in range({CALLS} // 4):
    combo.addItem("x")
    listing.addItem("x")
    model.appendRow(QStandardItem("x"))
    model.setItem(n % 50, 0, QStandardItem("y"))
    if n % 1000 == 999:
        combo.clear(); listing.clear(); model.clear()
print(sys.getrefcount(None) - before)
"""


def test_fifty_thousand_item_calls_keep_none_alive() -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, "-c", _CHILD],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    leaked = int(done.stdout.strip().splitlines()[-1])
    assert leaked > -1000, f"None lost {-leaked} references: the PySide6 refcount bug is back"
