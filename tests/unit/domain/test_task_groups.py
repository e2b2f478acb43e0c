"""The task list's groups at the local day's boundaries, its filters and snoozes."""

from __future__ import annotations

import time as clock
from collections.abc import Iterator
from datetime import UTC, date, datetime, time

import pytest

from am_desktop.domain.tasks import (
    DueGroup,
    DueWindow,
    Snooze,
    Task,
    TaskFilter,
    group_of,
    grouped,
    local_today,
    reminder_due,
    snoozed_to,
    week_end,
)

SUNDAY, MONDAY = date(2026, 11, 22), date(2026, 11, 23)


@pytest.fixture
def auckland(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process's local time zone is New Zealand's (UTC+13 in November)."""
    monkeypatch.setenv("TZ", "Pacific/Auckland")
    clock.tzset()
    yield
    monkeypatch.undo()
    clock.tzset()


def task(due: date | None, account: str = "Acme", owner: str | None = None, i: int = 1) -> Task:
    return Task(i, 1, account, f"task {i}", owner, due)


def test_the_local_day_turns_at_local_midnight_not_utc(auckland: None) -> None:
    before = datetime(2026, 11, 22, 10, 59, tzinfo=UTC)  # 23:59 on Sunday in Auckland
    after = datetime(2026, 11, 22, 11, 0, tzinfo=UTC)  # 00:00 on Monday there; still Sunday in UTC
    assert local_today(before) == SUNDAY
    assert local_today(after) == MONDAY
    assert group_of(SUNDAY, local_today(before)) is DueGroup.TODAY
    assert group_of(SUNDAY, local_today(after)) is DueGroup.OVERDUE
    assert group_of(MONDAY, local_today(before)) is DueGroup.LATER  # next ISO week
    assert group_of(MONDAY, local_today(after)) is DueGroup.TODAY


def test_this_week_ends_on_the_iso_weeks_sunday() -> None:
    wednesday = date(2026, 11, 18)
    assert week_end(wednesday) == SUNDAY
    assert week_end(SUNDAY) == SUNDAY
    assert group_of(SUNDAY, wednesday) is DueGroup.WEEK
    assert group_of(MONDAY, wednesday) is DueGroup.LATER
    assert group_of(date(2026, 11, 19), wednesday) is DueGroup.WEEK
    assert group_of(None, wednesday) is DueGroup.NO_DATE


def test_groups_come_in_order_soonest_first_without_empty_ones() -> None:
    wednesday = date(2026, 11, 18)
    tasks = [
        task(None, i=1),
        task(date(2026, 12, 1), i=2),
        task(date(2026, 11, 10), i=3),
        task(date(2026, 11, 1), i=4),
        task(date(2026, 11, 20), i=5),
    ]
    assert [(g, [t.id for t in items]) for g, items in grouped(tasks, wednesday)] == [
        (DueGroup.OVERDUE, [4, 3]),
        (DueGroup.WEEK, [5]),
        (DueGroup.LATER, [2]),
        (DueGroup.NO_DATE, [1]),
    ]


def test_filters_match_words_of_the_account_and_the_owner_in_any_case() -> None:
    acme_maya = task(SUNDAY, "Acme Corp", "maya")
    globex = task(SUNDAY, "Globex", None)
    assert TaskFilter(account="acme").admits(acme_maya)
    assert not TaskFilter(account="acme").admits(globex)
    assert TaskFilter(owner="MAY").admits(acme_maya)
    assert not TaskFilter(owner="maya").admits(globex)
    assert TaskFilter(account=" ", owner="").admits(globex)


def test_due_windows_include_what_comes_before() -> None:
    assert DueWindow.TODAY.admits(DueGroup.OVERDUE)
    assert not DueWindow.TODAY.admits(DueGroup.WEEK)
    assert DueWindow.WEEK.admits(DueGroup.TODAY) and not DueWindow.WEEK.admits(DueGroup.LATER)
    assert not DueWindow.OVERDUE.admits(DueGroup.TODAY)
    assert DueWindow.ALL.admits(DueGroup.NO_DATE)


def test_snoozing_counts_from_today_for_overdue_items() -> None:
    wednesday = date(2026, 11, 18)
    long_ago, next_month = date(2026, 10, 1), date(2026, 12, 10)
    assert snoozed_to(Snooze.DAY, long_ago, wednesday) == date(2026, 11, 19)
    assert snoozed_to(Snooze.DAY, next_month, wednesday) == date(2026, 12, 11)
    assert snoozed_to(Snooze.WEEK, None, wednesday) == date(2026, 11, 25)
    assert snoozed_to(Snooze.NEXT_MONDAY, long_ago, wednesday) == MONDAY
    assert snoozed_to(Snooze.NEXT_MONDAY, None, MONDAY) == date(2026, 11, 30)


def test_the_reminder_is_due_once_a_local_day_from_its_hour(auckland: None) -> None:
    nine = time(9, 0)
    early = datetime(2026, 11, 21, 19, 59, tzinfo=UTC)  # 08:59 Sunday in Auckland
    late = datetime(2026, 11, 21, 20, 0, tzinfo=UTC)  # 09:00 there
    assert not reminder_due(early, nine, None)
    assert reminder_due(late, nine, None)
    assert not reminder_due(late, nine, SUNDAY)  # shown already today
    assert reminder_due(late, nine, date(2026, 11, 21))


def test_set_due_rewrites_adds_or_keeps_the_due_token() -> None:
    from am_desktop.domain.note_text import parse, set_due

    body = "Notes\n- [ ] Send deck @maya due:2026-11-20\n- [ ] Book QBR\n- [ ] Call due:soon\n"
    moved = set_due(body, "send DECK", MONDAY)
    assert "- [ ] Send deck @maya due:2026-11-23\n" in moved
    added = set_due(moved, "Book QBR", MONDAY)
    assert "- [ ] Book QBR due:2026-11-23\n" in added
    kept_words = set_due(added, "Call due:soon", MONDAY)
    actions = {a.text: a.due for a in parse(kept_words).actions}
    assert actions == {"Send deck": MONDAY, "Book QBR": MONDAY, "Call due:soon": MONDAY}
    assert set_due(body, "Not there", MONDAY) == body
