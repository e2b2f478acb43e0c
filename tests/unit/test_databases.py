"""Which database the next window opens on: the demo is a file of its own, and quitting ends
the process rather than opening anything."""

from __future__ import annotations

from pathlib import Path

from am_desktop.ui.window.databases import Databases, Opening, first_opening, next_opening

OWN, DEMO = Path("/data/am-desktop.sqlite3"), Path("/data/am-desktop-demo.sqlite3")
DATABASES = Databases(own=OWN, demo=DEMO)


def test_the_first_window_opens_the_users_database_or_with_demo_the_demos() -> None:
    assert first_opening(DATABASES, demo=False) == Opening(OWN, demo=False)
    assert first_opening(DATABASES, demo=True) == Opening(DEMO, demo=True)


def test_a_switch_asked_for_opens_that_database_next() -> None:
    assert next_opening(Opening(DEMO, True), 0) == Opening(DEMO, True)
    assert next_opening(Opening(OWN, False), 0) == Opening(OWN, False)


def test_quitting_or_a_failed_loop_opens_nothing() -> None:
    assert next_opening(None, 0) is None
    assert next_opening(Opening(DEMO, True), 1) is None  # told to end (a crash): no new window
