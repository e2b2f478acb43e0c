"""The demo portfolio is a database of its own: the welcome's button asks to switch to it
(the user's file stays empty), the demo window says what it is and leads back, and the app's
loop closes one window and knows which opens next."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from am_desktop.app import _run_window
from am_desktop.services import catalog, health
from am_desktop.ui.context import AppContext
from am_desktop.ui.main_window import DEMO_NOTICE, DEMO_TITLE, MainWindow, window_title
from am_desktop.ui.window.databases import Databases, Opening, next_opening
from am_desktop.ui.window.views import ViewKey
from tests.gui.conftest import TODAY

#: How long the event loop may run before the test gives up on it (a bound, not a wait).
LOOP_BOUND_MS = 20_000


@pytest.fixture
def databases(context: AppContext, tmp_path: Path) -> Databases:
    """The test's database is the user's; the demo's file is never made by these tests."""
    return Databases(own=context.store.path, demo=tmp_path / "demo.sqlite3")


def welcome_window(qtbot: QtBot, context: AppContext, databases: Databases) -> MainWindow:
    """A window on the empty database, showing Today's welcome."""
    main = MainWindow(context, databases=databases)
    qtbot.addWidget(main)
    main.show()
    main.start()
    main.show_view(ViewKey.TODAY)
    qtbot.waitUntil(lambda: main.today_view.lists is not None)
    assert not main.today_view.welcome.isHidden()  # an empty portfolio: the welcome
    return main


def test_the_welcomes_demo_button_asks_for_the_demo_database_and_writes_nothing(
    qtbot: QtBot, context: AppContext, databases: Databases
) -> None:
    main = welcome_window(qtbot, context, databases)
    assert "The demo opens as a separate database" in main.today_view.welcome_text.text()
    with qtbot.waitSignal(main.switch_requested) as asked:
        main.today_view.demo_button.click()
    assert asked.args == [databases.demo, True]
    assert catalog.accounts.find(context.store) == []  # the user's database stays empty
    assert not databases.demo.exists()  # the window only asked: the app opens the file
    main.close()


def test_the_users_window_does_not_offer_a_way_back_it_does_not_need(
    qtbot: QtBot, context: AppContext, databases: Databases
) -> None:
    main = MainWindow(context, databases=databases)
    qtbot.addWidget(main)
    assert main.windowTitle() == window_title(context.store.path.name)
    assert main.demo_notice is None
    assert not main.own_database_action.isVisible()


def test_the_demo_window_says_it_is_the_demo_and_leads_back_to_the_users_database(
    qtbot: QtBot, context: AppContext, databases: Databases
) -> None:
    demo = MainWindow(context, databases=databases, demo=True)
    qtbot.addWidget(demo)
    demo.show()
    assert demo.windowTitle() == DEMO_TITLE == "Demo portfolio — AM Desktop"
    assert demo.demo_notice is not None and demo.demo_notice.isVisible()
    assert DEMO_NOTICE in demo.demo_notice.text()
    assert demo.own_database_action.isVisible()
    assert demo.own_database_action.text() == "&Open my own database"
    with qtbot.waitSignal(demo.switch_requested) as back:
        demo.own_database_action.trigger()
    assert back.args == [databases.own, False]
    with qtbot.waitSignal(demo.switch_requested) as linked:
        demo.demo_notice.linkActivated.emit("own")  # the notice's link does the same
    assert linked.args == [databases.own, False]
    demo.close()


def test_the_demo_window_fills_its_empty_database_with_the_scored_demo(
    qtbot: QtBot, context: AppContext, databases: Databases
) -> None:
    """What ``run_gui`` does for a demo window: its own (here the test's) file is seeded."""
    demo = MainWindow(context, databases=databases, demo=True)
    qtbot.addWidget(demo)
    demo.show()
    demo.start()
    demo.show_view(ViewKey.TODAY)
    today = demo.today_view
    qtbot.waitUntil(lambda: today.lists is not None)
    assert today.demo_button.isHidden()  # the demo's welcome does not offer the demo
    demo.seed_demo_if_empty()  # seeded inline by the test runner
    qtbot.waitUntil(lambda: len(catalog.accounts.find(context.store)) == 40, timeout=60_000)
    qtbot.waitUntil(today.welcome.isHidden)
    # The portfolio arrived after the day's scoring: it is scored now, not tomorrow.
    qtbot.waitUntil(lambda: health.unscored(context.store, TODAY) == [], timeout=10_000)
    demo.show_view(ViewKey.ACCOUNTS)
    qtbot.waitUntil(lambda: demo.model.rowCount() == 40)
    demo.close()


def run_loop_with(
    qapp: QApplication, window: MainWindow, step: Callable[[], object]
) -> tuple[int, Opening | None]:
    """``run_gui``'s loop for one window, with ``step`` run once it is going."""
    bound = QTimer()
    bound.setSingleShot(True)
    bound.timeout.connect(lambda: qapp.exit(99))  # a loop that never ends fails the test
    bound.start(LOOP_BOUND_MS)
    QTimer.singleShot(0, step)
    try:
        return _run_window(qapp, window)
    finally:
        bound.stop()


def test_the_loop_closes_a_window_that_asks_for_the_demo_and_names_the_demo_next(
    qapp: QApplication, qtbot: QtBot, context: AppContext, databases: Databases
) -> None:
    main = MainWindow(context, databases=databases)
    qtbot.addWidget(main)
    code, asked = run_loop_with(qapp, main, main.open_demo)
    assert code == 0 and not main.isVisible()
    assert next_opening(asked, code) == Opening(databases.demo, demo=True)
    assert catalog.accounts.find(context.store) == []


def test_the_loop_ends_the_process_when_the_user_quits(
    qapp: QApplication, qtbot: QtBot, context: AppContext, databases: Databases
) -> None:
    main = MainWindow(context, databases=databases)
    qtbot.addWidget(main)
    code, asked = run_loop_with(qapp, main, main.close)
    assert (code, asked) == (0, None)
    assert next_opening(asked, code) is None
