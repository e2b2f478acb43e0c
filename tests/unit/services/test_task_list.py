"""The task list's service: open items, bulk complete, reschedule and snooze with the note in
step, and the reminder's once-only marking."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from am_desktop.domain.changes import ChangeSet, Entity
from am_desktop.domain.enums import ActionItemStatus
from am_desktop.domain.tasks import DueWindow, Snooze, TaskFilter
from am_desktop.services import catalog, notes, tasks
from am_desktop.services.store import Store

TODAY = date(2026, 11, 18)  # a Wednesday
WHEN = datetime(2026, 11, 10, 15, 0, tzinfo=UTC)
BODY = (
    "Call with Acme\n"
    "- [ ] Send pricing @maya due:2026-11-18\n"
    "- [ ] Chase legal @jo due:2026-11-02\n"
    "- [ ] Book QBR due:2026-12-20\n"
    "- [ ] Think about it\n"
)


@pytest.fixture
def acme(store: Store) -> int:
    return catalog.accounts.create(store, {"name": "Acme"}).id


@pytest.fixture
def note(store: Store, acme: int) -> int:
    return notes.create_note(store, {"account_id": acme, "occurred_at": WHEN, "body": BODY}).id


def by_text(store: Store) -> dict[str, tasks.Task]:
    return {t.text: t for t in tasks.open_tasks(store, TODAY)}


def body_of(store: Store, note: int) -> str:
    return catalog.notes.get(store, note).body


def test_open_tasks_list_every_open_item_with_its_note(store: Store, note: int) -> None:
    globex = catalog.accounts.create(store, {"name": "Globex"}).id
    catalog.action_items.create(store, {"account_id": globex, "text": "Renew NDA"})
    listed = by_text(store)
    assert set(listed) == {"Send pricing", "Chase legal", "Book QBR", "Think about it", "Renew NDA"}
    uid = catalog.notes.get(store, note).uid
    assert listed["Send pricing"].as_json() == {
        "text": "Send pricing",
        "account": "Acme",
        "owner": "maya",
        "due_date": "2026-11-18",
        "note_uid": uid,
    }
    assert listed["Renew NDA"].note_uid is None
    assert tasks.task_counts(store, TODAY) == tasks.TaskCounts(open=5, due=2)


def test_filters_and_windows(store: Store, note: int) -> None:
    only_jo = tasks.open_tasks(store, TODAY, TaskFilter(owner="JO"))
    assert [t.text for t in only_jo] == ["Chase legal"]
    assert tasks.open_tasks(store, TODAY, TaskFilter(account="globex")) == []
    due_today = tasks.open_tasks(store, TODAY, window=DueWindow.TODAY)
    assert {t.text for t in due_today} == {"Send pricing", "Chase legal"}
    overdue = tasks.open_tasks(store, TODAY, window=DueWindow.OVERDUE)
    assert [t.text for t in overdue] == ["Chase legal"]


def test_bulk_complete_ticks_the_notes_boxes_in_one_change(store: Store, note: int) -> None:
    listed = by_text(store)
    seen: list[ChangeSet] = []
    store.changes.subscribe(seen.append)
    done = tasks.complete(store, [listed["Send pricing"].id, listed["Chase legal"].id])
    assert done == 2
    body = body_of(store, note)
    assert "- [x] Send pricing @maya due:2026-11-18" in body
    assert "- [x] Chase legal @jo due:2026-11-02" in body
    assert "- [ ] Book QBR" in body
    assert set(by_text(store)) == {"Book QBR", "Think about it"}
    assert len(seen) == 1 and seen[0].touches(Entity.NOTE) and seen[0].touches(Entity.ACTION_ITEM)
    item = catalog.action_items.get(store, listed["Send pricing"].id)
    assert item.status is ActionItemStatus.DONE
    assert tasks.complete(store, [listed["Send pricing"].id]) == 0  # done already


def test_reschedule_rewrites_due_in_the_note_and_survives_the_next_save(
    store: Store, note: int
) -> None:
    listed = by_text(store)
    moved = date(2026, 12, 1)
    tasks.reschedule(store, [listed["Chase legal"].id, listed["Think about it"].id], moved)
    body = body_of(store, note)
    assert "- [ ] Chase legal @jo due:2026-12-01\n" in body
    assert body.endswith("- [ ] Think about it due:2026-12-01")
    assert by_text(store)["Chase legal"].due == moved
    # the note saved again as it now reads keeps the item and its date
    version = catalog.notes.get(store, note).version
    notes.save_note(store, note, {"body": body + "\nmore\n"}, version)
    assert by_text(store)["Think about it"].due == moved


def test_snooze_moves_overdue_items_from_today(store: Store, note: int) -> None:
    listed = by_text(store)
    tasks.snooze(store, [listed["Chase legal"].id], Snooze.DAY, TODAY)
    tasks.snooze(store, [listed["Book QBR"].id], Snooze.WEEK, TODAY)
    tasks.snooze(store, [listed["Send pricing"].id], Snooze.NEXT_MONDAY, TODAY)
    after = by_text(store)
    assert after["Chase legal"].due == date(2026, 11, 19)
    assert after["Book QBR"].due == date(2026, 12, 27)
    assert after["Send pricing"].due == date(2026, 11, 23)
    assert "Send pricing @maya due:2026-11-23" in body_of(store, note)


def test_a_reminder_names_each_item_once_and_never_a_done_one(store: Store, note: int) -> None:
    acme = catalog.notes.get(store, note).account_id
    done = catalog.action_items.create(
        store, {"account_id": acme, "text": "Already done", "due_date": TODAY}
    )
    tasks.complete(store, [done.id])
    now = datetime(2026, 11, 18, 8, 0, tzinfo=UTC)
    first = tasks.take_reminders(store, TODAY, now)
    assert [t.text for t in first] == ["Send pricing"]
    with store.raw() as connection:
        (marked,) = connection.execute(
            "SELECT reminded_at FROM action_item WHERE id = ?", (first[0].id,)
        ).fetchone()
    assert marked is not None
    assert tasks.take_reminders(store, TODAY, now) == []
    tomorrow = date(2026, 11, 19)
    assert tasks.take_reminders(store, tomorrow, now) == []  # nothing due then
