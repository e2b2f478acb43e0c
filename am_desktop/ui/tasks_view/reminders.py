"""The due-day reminder and the Tasks sidebar count (issue 19).

Once a local day, at the hour set in the preferences (or at start-up when that is later),
one notification names the open items due today that no reminder named yet
(``action_item.reminded_at`` marks them, so a restart does not repeat it): a system-tray
message where the platform has a tray, else a status-bar message; never a modal dialog.
The sidebar's count (overdue and due today) stays current through the change feed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from am_desktop.domain.changes import ChangeSet, Entity, Origin, origin
from am_desktop.domain.tasks import Task, local_today, reminder_due
from am_desktop.services import tasks as task_service
from am_desktop.ui.context import AppContext
from am_desktop.ui.settings import Option, Prefs
from am_desktop.ui.tasks import Lane

#: How often the clock is looked at (ms): a minute late at most, and right after a sleep.
CHECK_EVERY_MS = 60_000


def remind_at(text: str) -> time:
    """The preference's "HH:MM" as a time (the default when it is not one)."""
    try:
        return time.fromisoformat(text)
    except ValueError:
        return time.fromisoformat(Prefs.tasks_remind_at.default)


def reminder_text(tasks: list[Task]) -> str:
    """The notification's one sentence."""
    if len(tasks) == 1:
        return f"Due today: {tasks[0].text} ({tasks[0].account})."
    first = ", ".join(task.text for task in tasks[:3])
    more = f" and {len(tasks) - 3:,} more" if len(tasks) > 3 else ""
    return f"{len(tasks):,} tasks due today: {first}{more}."


class TaskReminders(QObject):
    """Looks at the clock each minute and reminds once a day; counts what is due.

    Args:
        context: the shared services.
        clock: the current instant (aware; tests pass their own).

    Signals:
        reminded(text, count): a reminder to show (the window picks tray or status bar).
        counted(due): the open items overdue or due today.
    """

    reminded = Signal(str, int)
    counted = Signal(int)

    def __init__(
        self,
        context: AppContext,
        parent: QObject | None = None,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self.context = context
        self._clock = clock
        self._reminded_on: date | None = None
        self._counted_on: date | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_EVERY_MS)
        self._timer.timeout.connect(self.check)
        context.data.changed.connect(self._on_data_changed)
        context.settings.changed.connect(self._on_settings_changed)

    def start(self) -> None:
        """Count, remind now if the hour has passed, then look each minute."""
        self.count()
        self.check()
        self._timer.start()

    @Slot()
    def check(self) -> None:
        """Remind if the day's hour has come and today's reminder was not shown yet."""
        now = self._clock()
        if local_today(now) != self._counted_on:  # a new day: other items are due
            self.count()
        at = remind_at(self.context.settings.prefs.tasks_remind_at)
        if not reminder_due(now, at, self._reminded_on):
            return
        today = self._reminded_on = local_today(now)
        store = self.context.store

        def work(_progress: object) -> list[Task]:
            with origin(Origin.JOB):  # not the user's edit: no "Saved HH:MM"
                return task_service.take_reminders(store, today, now)

        self.context.tasks.submit(work, lane=Lane.WRITE, receiver=self, on_done=self._on_taken)

    def count(self) -> None:
        """Read how many items are overdue or due today (READ lane)."""
        today, store = local_today(self._clock()), self.context.store
        self._counted_on = today
        self.context.tasks.submit(
            lambda _p: task_service.task_counts(store, today).due,
            lane=Lane.READ,
            receiver=self,
            on_done=self.counted.emit,
            supersede=(self, "count"),
        )

    def _on_taken(self, tasks: list[Task]) -> None:
        if tasks:
            self.reminded.emit(reminder_text(tasks), len(tasks))

    @Slot(object)
    def _on_data_changed(self, changes: ChangeSet) -> None:
        if changes.touches(Entity.ACTION_ITEM, Entity.ACCOUNT):
            self.count()

    @Slot(object)
    def _on_settings_changed(self, option: Option[Any]) -> None:
        if option is Prefs.tasks_remind_at:
            self.check()


class TrayNotice(QObject):
    """The system tray's message, where the platform has a tray (its icon made on first use).

    Signals:
        clicked: the message or the icon was clicked (show the tasks).
    """

    clicked = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tray: QSystemTrayIcon | None = None

    def show(self, title: str, text: str) -> bool:
        """Show the message; False when there is no tray to show it in."""
        if not QSystemTrayIcon.isSystemTrayAvailable():
            return False
        if self.tray is None:
            icon = QApplication.windowIcon()
            self.tray = QSystemTrayIcon(icon if not icon.isNull() else QIcon(), self)
            self.tray.setToolTip("AM Desktop")
            self.tray.messageClicked.connect(self.clicked)
            self.tray.activated.connect(lambda _reason: self.clicked.emit())
            self.tray.show()
        self.tray.showMessage(title, text, QSystemTrayIcon.MessageIcon.Information, 15_000)
        return True
