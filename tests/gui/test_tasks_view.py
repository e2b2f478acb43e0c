"""The Tasks view: Ctrl+6, keyboard complete, snooze and reschedule with the note in step,
the empty state, Today's link, and the day's reminder."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from am_desktop.domain.tasks import DueGroup
from am_desktop.services import catalog, notes
from am_desktop.services.store import Store
from am_desktop.ui.context import AppContext
from am_desktop.ui.main_window import MainWindow
from am_desktop.ui.tasks_view.reminders import TaskReminders
from am_desktop.ui.tasks_view.view import EMPTY_TEXT, TasksView
from am_desktop.ui.window.views import TASKS, ViewKey

pytestmark = pytest.mark.qt_log_ignore(
    r"This plugin does not support (propagateSizeHints\(\)|raise\(\)|grabbing the keyboard)"
)

BODY = (
    "- [ ] Chase legal @jo due:2026-11-20\n"
    "- [ ] Send pricing @me due:2026-11-22\n"
    "- [ ] Book QBR due:2026-12-20\n"
)


@pytest.fixture
def note(store: Store) -> int:
    account = catalog.accounts.create(store, {"name": "Acme"}).id
    when = datetime(2026, 11, 18, 15, tzinfo=UTC)
    return notes.create_note(store, {"account_id": account, "occurred_at": when, "body": BODY}).id


@pytest.fixture
def view(qtbot: QtBot, context: AppContext) -> Iterator[TasksView]:
    tasks = TasksView(context)
    qtbot.addWidget(tasks)
    tasks.resize(1000, 600)
    tasks.show()
    tasks.refresh()
    qtbot.waitUntil(tasks.ready)
    yield tasks
    tasks.close()


def select(view: TasksView, text: str) -> None:
    task = next(t for t in view.model.tasks() if t.text == text)
    view.tree.setCurrentIndex(view.model.index_of(task.id))
    view.tree.setFocus()


def body_of(store: Store, note: int) -> str:
    return catalog.notes.get(store, note).body


def test_ctrl_6_shows_the_tasks_view_from_the_go_menu(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClick(window, Qt.Key.Key_6, Qt.KeyboardModifier.ControlModifier)
    assert window.current_view() is ViewKey.TASKS
    assert isinstance(window.views.built(TASKS), TasksView)


def test_groups_are_shown_with_their_counts(view: TasksView, note: int) -> None:
    assert view.model.groups() == [DueGroup.OVERDUE, DueGroup.TODAY, DueGroup.LATER]
    assert view.model.index(0, 0).data() == "Overdue (1)"
    assert not view.empty.isVisible()


def test_space_completes_and_ticks_the_notes_box(
    qtbot: QtBot, view: TasksView, store: Store, note: int
) -> None:
    select(view, "Chase legal")
    qtbot.keyClick(view.tree, Qt.Key.Key_Space)
    assert "- [x] Chase legal @jo due:2026-11-20" in body_of(store, note)
    assert [t.text for t in view.model.tasks()] == ["Send pricing", "Book QBR"]
    assert view.tree.current_task() is not None  # the next one is current: keep going


def test_ctrl_enter_completes_every_selected_task(
    qtbot: QtBot, view: TasksView, store: Store, note: int
) -> None:
    view.tree.selectAll()
    qtbot.keyClick(view.tree, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert body_of(store, note).count("- [x]") == 3
    assert view.empty.isVisible() and view.empty.text() == EMPTY_TEXT


def test_ctrl_r_reschedules_and_rewrites_due_in_the_note(
    qtbot: QtBot, view: TasksView, store: Store, note: int
) -> None:
    select(view, "Book QBR")
    qtbot.keyClick(view.tree, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    dialog = view.reschedule_dialog
    assert dialog is not None and dialog.isVisible()
    from PySide6.QtCore import QDate

    dialog.calendar.setSelectedDate(QDate(2026, 11, 24))
    dialog.accept()
    assert "- [ ] Book QBR due:2026-11-24" in body_of(store, note)
    assert view.model.groups() == [DueGroup.OVERDUE, DueGroup.TODAY, DueGroup.LATER]


def test_ctrl_shift_s_opens_the_snooze_menu_not_sync(
    qtbot: QtBot, window: MainWindow, store: Store, note: int
) -> None:
    window.show_view(ViewKey.TASKS)
    view = window.views.built(TASKS)
    assert view is not None
    qtbot.waitUntil(view.ready)
    select(view, "Chase legal")
    qtbot.keyClick(
        view.tree,
        Qt.Key.Key_S,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    qtbot.waitUntil(view.snooze_menu.isVisible)
    view.snooze_menu.actions()[0].trigger()  # one day: from today, as it is overdue
    view.snooze_menu.close()
    assert "- [ ] Chase legal @jo due:2026-11-23" in body_of(store, note)


def test_filters_by_account_and_owner(qtbot: QtBot, view: TasksView, note: int) -> None:
    view.owner_filter.setText("JO")
    assert [t.text for t in view.model.tasks()] == ["Chase legal"]
    view.account_filter.setText("globex")
    assert view.model.tasks() == [] and view.empty.text() != EMPTY_TEXT
    view.account_filter.clear()
    view.owner_filter.clear()
    assert len(view.model.tasks()) == 3


def test_today_links_to_every_open_task(qtbot: QtBot, window: MainWindow, note: int) -> None:
    window.show_view(ViewKey.TODAY)
    today = window.today_view
    qtbot.waitUntil(today.tasks_link.isVisible)
    assert "See all 3 tasks" in today.tasks_link.text()
    today.tasks_link.linkActivated.emit("tasks")
    assert window.current_view() is ViewKey.TASKS


def test_the_reminder_fires_once_for_items_due_today(
    qtbot: QtBot, context: AppContext, store: Store, note: int
) -> None:
    nine = datetime(2026, 11, 22, 9, 0).astimezone()  # the local clock at 09:00
    now = [nine.replace(hour=8)]
    reminders = TaskReminders(context, clock=lambda: now[0])
    shown: list[tuple[str, int]] = []
    counts: list[int] = []
    reminders.reminded.connect(lambda text, n: shown.append((text, n)))
    reminders.counted.connect(counts.append)
    reminders.start()
    assert shown == [] and counts == [2]  # before nine: nothing yet; two overdue or due
    now[0] = nine
    reminders.check()
    assert shown == [("Due today: Send pricing (Acme).", 1)]
    reminders.check()
    again = TaskReminders(context, clock=lambda: now[0])  # a restart the same day
    again.reminded.connect(lambda text, n: shown.append((text, n)))
    again.check()
    assert len(shown) == 1
    reminders.deleteLater()
    again.deleteLater()
    QApplication.processEvents()


def test_the_window_says_the_reminder_in_the_status_bar_without_a_tray(
    window: MainWindow,
) -> None:
    window.task_reminders.reminded.emit("Due today: Send pricing (Acme).", 1)
    assert "Send pricing" in window.statusBar().currentMessage()
    window.task_reminders.counted.emit(2)
    assert window.sidebar.view_text(ViewKey.TASKS) == "Tasks  2"
