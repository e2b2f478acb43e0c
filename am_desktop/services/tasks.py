"""The task list (issue 19): every open action item, and what the AM does to them in bulk.

Completing, snoozing and rescheduling go through the notes service's own helpers, so an item
from a ``- [ ] … due:DATE`` line keeps its note in step (the box ticked, the ``due:`` token
rewritten) in the same unit of work; the store's change feed and the sync's triggers see
both. Reading is plain SQL: the large portfolio has some 16,000 open items.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import date, datetime

from am_desktop.domain.tasks import DueWindow, Snooze, Task, TaskFilter, group_of, snoozed_to
from am_desktop.services.store import Store

_FROM = "FROM action_item ai JOIN account a ON a.id = ai.account_id"
#: Open, live items of live accounts (the partial index ix_action_item_open_due leads).
_LIVE = "WHERE ai.archived_at IS NULL AND ai.status = 'open' AND +a.archived_at IS NULL"
_TASKS = (
    "SELECT ai.id, ai.account_id, a.name, ai.text, ai.owner, ai.due_date, ai.note_id, n.uid "
    f"{_FROM} LEFT JOIN note n ON n.id = ai.note_id {_LIVE}"
)


@dataclass(frozen=True, slots=True)
class TaskCounts:
    """How many open items there are in all, and how many are due by today."""

    open: int
    due: int


def open_tasks(
    store: Store,
    today: date,
    where: TaskFilter = TaskFilter(),  # noqa: B008 - frozen, never changed
    window: DueWindow = DueWindow.ALL,
) -> list[Task]:
    """The open action items the filter and the window admit (in no order: the list groups
    them with :func:`am_desktop.domain.tasks.grouped`)."""
    with store.raw() as connection:
        rows = connection.execute(_TASKS).fetchall()
    tasks = [
        Task(i, account_id, account, text, owner, _day(due), note_id, note_uid)
        for i, account_id, account, text, owner, due, note_id, note_uid in rows
    ]
    return [t for t in tasks if where.admits(t) and window.admits(group_of(t.due, today))]


def task_counts(store: Store, today: date) -> TaskCounts:
    """The open items, and those overdue or due today (the sidebar's count)."""
    with store.raw() as connection:
        total, due = connection.execute(
            f"SELECT count(*), count(CASE WHEN ai.due_date <= ? THEN 1 END) {_FROM} {_LIVE}",
            (today.isoformat(),),
        ).fetchone()
    return TaskCounts(int(total), int(due or 0))


def complete(store: Store, ids: Collection[int]) -> int:
    """Mark the items done (their notes' boxes ticked), in one transaction; how many were
    still open."""
    from am_desktop.services.notes import mark_action

    return _each_open(store, ids, lambda session, item: mark_action(session, item, True))


def reschedule(store: Store, ids: Collection[int], due: date) -> int:
    """Give the items a new due date (their notes' ``due:`` too); how many were open."""
    from am_desktop.services.notes import reschedule_action

    return _each_open(store, ids, lambda session, item: reschedule_action(session, item, due))


def snooze(store: Store, ids: Collection[int], step: Snooze, today: date) -> int:
    """Put the items off by ``step`` (see :func:`am_desktop.domain.tasks.snoozed_to`)."""
    from am_desktop.services.notes import reschedule_action

    return _each_open(
        store,
        ids,
        lambda session, item: reschedule_action(
            session, item, snoozed_to(step, item.due_date, today)
        ),
    )


def take_reminders(store: Store, today: date, now: datetime) -> list[Task]:
    """The open items due ``today`` not yet reminded of, marked reminded at ``now`` in the
    same transaction (each is named by one reminder only, whoever asks next)."""
    from sqlalchemy import select

    from am_desktop.db.models import Account, ActionItem, Note
    from am_desktop.domain.enums import ActionItemStatus

    with store.write() as session:
        rows = session.execute(
            select(ActionItem, Account.name, Note.uid)
            .join(Account, Account.id == ActionItem.account_id)
            .outerjoin(Note, Note.id == ActionItem.note_id)
            .where(
                ActionItem.status == ActionItemStatus.OPEN,
                ActionItem.archived_at.is_(None),
                ActionItem.due_date == today,
                ActionItem.reminded_at.is_(None),
                Account.archived_at.is_(None),
            )
            .order_by(Account.name, ActionItem.id)
        ).all()
        for item, _account, _uid in rows:
            item.reminded_at = now
        return [
            Task(i.id, i.account_id, name, i.text, i.owner, i.due_date, i.note_id, uid)
            for i, name, uid in rows
        ]


def _each_open(store: Store, ids: Collection[int], change: Callable[..., None]) -> int:
    """``change(session, item)`` for each open, live item of ``ids``, in one transaction."""
    from sqlalchemy import select

    from am_desktop.db.models import ActionItem
    from am_desktop.domain.enums import ActionItemStatus

    if not ids:
        return 0
    with store.write() as session:
        items = session.scalars(
            select(ActionItem)
            .where(
                ActionItem.id.in_(list(ids)),
                ActionItem.status == ActionItemStatus.OPEN,
                ActionItem.archived_at.is_(None),
            )
            .order_by(ActionItem.id)
        ).all()
        for item in items:
            change(session, item)
        return len(items)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
