"""GUI fixtures: an AppContext on a temporary database, work run inline, settings in tmp."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from pytestqt.qtbot import QtBot

from am_desktop.services.store import Store
from am_desktop.ui.bus import DataBus, MessageBus
from am_desktop.ui.context import AppContext
from am_desktop.ui.settings import AppSettings
from am_desktop.ui.tasks import InlineTaskRunner

if TYPE_CHECKING:
    from am_desktop.ui.main_window import MainWindow

TODAY = date(2026, 11, 22)


@pytest.fixture
def context(qtbot: QtBot, store: Store, tmp_path: Path) -> Iterator[AppContext]:
    """Everything a window needs; background work runs inline so tests are deterministic."""
    messages = MessageBus()
    tasks = InlineTaskRunner(default_error=messages.failure)
    settings = AppSettings(tmp_path / "settings.ini")
    data = DataBus(debounce_ms=None)  # changes reach the screens at once, like the work
    yield AppContext(store, tasks, messages, data, settings, today=lambda: TODAY)
    data.stop()


@pytest.fixture(autouse=True)
def _no_leaked_windows(qapp: object) -> Iterator[None]:
    """Every test closes the top-level widgets it made (napari's leak check)."""
    from PySide6.QtWidgets import QApplication

    before = set(QApplication.topLevelWidgets())
    yield
    leaked = [w for w in QApplication.topLevelWidgets() if w not in before and w.isVisible()]
    for widget in leaked:
        widget.close()
    assert not leaked, f"windows left open: {leaked}"


def added_on(store: Store, contact_ids: list[int], day: date) -> None:
    """Say the contacts were added on ``day`` (a contact never contacted is "new" for a
    cadence from when it was added, "quiet" after)."""
    from datetime import UTC, datetime

    from sqlalchemy import update

    from am_desktop.db.models.contact import Contact

    moment = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    with store.write() as session:
        session.execute(
            update(Contact).where(Contact.id.in_(contact_ids)).values(created_at=moment)
        )


@pytest.fixture
def window(qtbot: QtBot, context: AppContext) -> Iterator[MainWindow]:
    """The main window on the test's database, shown (screens follow changes while shown).
    A test module that needs data or a view first defines its own ``window``."""
    from am_desktop.ui.main_window import MainWindow

    main = MainWindow(context)
    qtbot.addWidget(main)
    main.show()
    yield main
    main.close()
