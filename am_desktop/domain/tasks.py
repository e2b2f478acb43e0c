"""Open action items as one task list (issue 19): grouped by when they are due, filtered,
snoozed. Pure functions of the items and the AM's local day; the service reads and writes.

Days are the AM's own: ``today`` is the local calendar day (the caller passes it), and a
due date is a calendar day with no time, so an item due "today" stays due today until local
midnight whatever the UTC offset. "This week" runs to the end of the current ISO week
(Sunday): on a Sunday it holds nothing beyond today.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta


class DueGroup(enum.Enum):
    """Where a task is listed, in the order the groups are shown."""

    OVERDUE = "overdue"
    TODAY = "today"
    WEEK = "week"
    LATER = "later"
    NO_DATE = "no_date"

    @property
    def label(self) -> str:
        """The group's heading."""
        return _LABELS[self]


_LABELS = {
    DueGroup.OVERDUE: "Overdue",
    DueGroup.TODAY: "Today",
    DueGroup.WEEK: "This week",
    DueGroup.LATER: "Later",
    DueGroup.NO_DATE: "No date",
}


class DueWindow(enum.Enum):
    """``am-desktop tasks --due``: how far ahead to list (each includes the ones before)."""

    OVERDUE = "overdue"
    TODAY = "today"
    WEEK = "week"
    ALL = "all"

    def admits(self, group: DueGroup) -> bool:
        """Whether a task of ``group`` is listed."""
        return group in _WINDOWS[self]


_WINDOWS = {
    DueWindow.OVERDUE: frozenset({DueGroup.OVERDUE}),
    DueWindow.TODAY: frozenset({DueGroup.OVERDUE, DueGroup.TODAY}),
    DueWindow.WEEK: frozenset({DueGroup.OVERDUE, DueGroup.TODAY, DueGroup.WEEK}),
    DueWindow.ALL: frozenset(DueGroup),
}


class Snooze(enum.Enum):
    """How far a snooze puts a task off."""

    DAY = "day"
    WEEK = "week"
    NEXT_MONDAY = "next_monday"

    @property
    def label(self) -> str:
        """The menu's text."""
        return _SNOOZE_LABELS[self]


_SNOOZE_LABELS = {
    Snooze.DAY: "One day",
    Snooze.WEEK: "One week",
    Snooze.NEXT_MONDAY: "Next Monday",
}


@dataclass(frozen=True, slots=True)
class Task:
    """An open action item as the task list shows it."""

    id: int
    account_id: int
    account: str
    text: str
    owner: str | None
    due: date | None
    #: The note it came from (None: made elsewhere), and that note's uid.
    note_id: int | None = None
    note_uid: str | None = None

    def as_json(self) -> dict[str, object]:
        """``am-desktop tasks --json``'s item (PRODUCT.md §2)."""
        return {
            "text": self.text,
            "account": self.account,
            "owner": self.owner,
            "due_date": self.due.isoformat() if self.due else None,
            "note_uid": self.note_uid,
        }


@dataclass(frozen=True, slots=True)
class TaskFilter:
    """Which tasks a list shows: words found in the account's name and the owner ("": any),
    compared as a person would (case does not matter)."""

    account: str = ""
    owner: str = ""

    def admits(self, task: Task) -> bool:
        """Whether ``task`` is listed."""
        account, owner = self.account.strip().casefold(), self.owner.strip().casefold()
        if account and account not in task.account.casefold():
            return False
        return not owner or owner in (task.owner or "").casefold()


def week_end(today: date) -> date:
    """The last day of ``today``'s ISO week (its Sunday)."""
    return today + timedelta(days=6 - today.weekday())


def group_of(due: date | None, today: date) -> DueGroup:
    """Where a task due on ``due`` is listed on the local day ``today``."""
    if due is None:
        return DueGroup.NO_DATE
    if due < today:
        return DueGroup.OVERDUE
    if due == today:
        return DueGroup.TODAY
    if due <= week_end(today):
        return DueGroup.WEEK
    return DueGroup.LATER


def grouped(tasks: Iterable[Task], today: date) -> list[tuple[DueGroup, list[Task]]]:
    """The tasks under their groups, in group order, soonest first within each (then by
    account); empty groups left out."""
    groups: dict[DueGroup, list[Task]] = {group: [] for group in DueGroup}
    for task in tasks:
        groups[group_of(task.due, today)].append(task)
    return [(group, sorted(items, key=_order)) for group, items in groups.items() if items]


def _order(task: Task) -> tuple[date, str, str, int]:
    return (task.due or date.max, task.account.casefold(), task.text.casefold(), task.id)


def snoozed_to(step: Snooze, due: date | None, today: date) -> date:
    """The new due date of a task snoozed by ``step``.

    A day or a week counts from the later of its due date and today (an item two weeks
    overdue snoozed by a day is due tomorrow, not still overdue); next Monday is the Monday
    after today.
    """
    start = max(due or today, today)
    if step is Snooze.DAY:
        return start + timedelta(days=1)
    if step is Snooze.WEEK:
        return start + timedelta(days=7)
    return week_end(today) + timedelta(days=1)


def local_today(now: datetime) -> date:
    """The AM's calendar day at the aware instant ``now``: its date in the local time zone
    (the process's, as the operating system sets it)."""
    return now.astimezone().date()


def reminder_due(now: datetime, at: time, reminded_on: date | None) -> bool:
    """Whether the day's reminder is due: the local time ``now`` is past ``at`` and no
    reminder was shown on this local day yet (started after ``at``: at once)."""
    local = now.astimezone()
    return local.date() != reminded_on and local.time().replace(tzinfo=None) >= at
