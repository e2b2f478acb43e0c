"""Saving a note records what its text asks for, in one unit of work."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from am_desktop.domain.enums import ActionItemStatus
from am_desktop.domain.note_text import Tag
from am_desktop.errors import ValidationError
from am_desktop.services import catalog, notes
from am_desktop.services.notes import NoteConflict, NoteFilter
from am_desktop.services.store import Store

WHEN = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)


@pytest.fixture
def acme(store: Store) -> int:
    return catalog.accounts.create(store, {"name": "Acme"}).id


def new_note(store: Store, account: int, body: str, **values: object) -> int:
    return notes.create_note(
        store, {"account_id": account, "occurred_at": WHEN, "body": body, **values}
    ).id


def test_action_lines_become_items_and_follow_edits(store: Store, acme: int) -> None:
    note = new_note(store, acme, "- [ ] Send deck @maya due:2026-12-01\n- [ ] Book QBR\n")
    detail = notes.note_detail(store, note)
    assert [(a.text, a.owner, a.due_date) for a in detail.actions] == [
        ("Send deck", "maya", date(2026, 12, 1)),
        ("Book QBR", None, None),
    ]
    version = detail.note.version
    notes.save_note(store, note, {"body": "- [x] Send deck @jo\n"}, version)
    (action,) = notes.note_detail(store, note).actions
    assert (action.text, action.owner, action.status) == ("Send deck", "jo", ActionItemStatus.DONE)
    archived = catalog.action_items.find(store, include_archived=True, text="Book QBR")
    assert archived[0].archived  # its line went away, and nobody had touched it


def test_an_item_worked_on_elsewhere_outlives_its_line(store: Store, acme: int) -> None:
    note = new_note(store, acme, "- [ ] Chase legal\n")
    (action,) = notes.note_detail(store, note).actions
    catalog.action_items.update(store, action.id, {"owner": "dana"})
    version = catalog.notes.get(store, note).version
    notes.save_note(store, note, {"body": "nothing left"}, version)
    assert not catalog.action_items.get(store, action.id).archived


def test_tagged_lines_add_a_risk_an_opportunity_and_feedback_linked_to_the_note(
    store: Store, acme: int
) -> None:
    note = new_note(
        store,
        acme,
        "Budget frozen until Q2 #risk\nWants analytics #expansion\n#feedback export is slow\n",
    )
    assert [r.note_id for r in catalog.risks.find(store, description="Budget frozen until Q2")] == [
        note
    ]
    (opportunity,) = catalog.opportunities.find(store, account_id=acme)
    assert (opportunity.name, opportunity.note_id) == ("Wants analytics", note)
    assert [f.text for f in catalog.feedback.find(store, note_id=note)] == ["export is slow"]
    version = catalog.notes.get(store, note).version
    notes.save_note(store, note, {"title": "Same lines, new title"}, version)
    assert len(catalog.risks.find(store, account_id=acme)) == 1  # saving again adds nothing


def test_attendees_get_the_meeting_as_last_contact_and_the_account_is_touched(
    store: Store, acme: int
) -> None:
    ana = catalog.contacts.create(store, {"account_id": acme, "last_name": "Ana"}).id
    note = notes.create_note(
        store, {"account_id": acme, "occurred_at": WHEN, "body": "Call"}, attendee_ids=[ana]
    )
    assert catalog.contacts.get(store, ana).last_contacted_at == WHEN
    assert catalog.accounts.get(store, acme).last_touch_at == WHEN
    assert [a.name for a in notes.note_detail(store, note.id).attendees] == ["Ana"]
    stranger = catalog.contacts.create(
        store, {"account_id": catalog.accounts.create(store, {"name": "B"}).id, "last_name": "X"}
    ).id
    with pytest.raises(ValidationError, match="not a contact of this account"):
        notes.save_note(store, note.id, {}, note.version, attendee_ids=[stranger])


def test_a_save_over_a_newer_version_is_a_conflict_and_writes_nothing(
    store: Store, acme: int
) -> None:
    note = new_note(store, acme, "first")
    notes.save_note(store, note, {"body": "theirs"}, 1)
    with pytest.raises(NoteConflict) as raised:
        notes.save_note(store, note, {"body": "mine"}, 1)
    assert raised.value.stored.body == "theirs"
    assert catalog.notes.get(store, note).body == "theirs"


def test_ticking_an_item_elsewhere_ticks_its_line(store: Store, acme: int) -> None:
    note = new_note(store, acme, "- [ ] Send deck\n")
    (action,) = notes.note_detail(store, note).actions
    notes.set_action_done(store, action.id, True)
    assert catalog.notes.get(store, note).body.rstrip() == "- [x] Send deck"
    assert catalog.action_items.get(store, action.id).status is ActionItemStatus.DONE
    notes.set_action_done(store, action.id, False)
    assert catalog.notes.get(store, note).body.rstrip() == "- [ ] Send deck"


def test_lists_filter_by_account_kind_date_and_tag(store: Store, acme: int) -> None:
    other = catalog.accounts.create(store, {"name": "Globex"}).id
    new_note(store, acme, "plain", kind="call")
    new_note(store, acme, "at risk #risk", kind="qbr", occurred_at=datetime(2026, 1, 5, tzinfo=UTC))
    new_note(store, other, "elsewhere")
    assert len(notes.list_notes(store, NoteFilter())) == 3
    assert [r.preview for r in notes.list_notes(store, NoteFilter(account_id=acme))] == [
        "plain",
        "at risk #risk",
    ]
    assert [r.kind.value for r in notes.list_notes(store, NoteFilter(kind="qbr"))] == ["qbr"]  # type: ignore[arg-type]
    assert len(notes.list_notes(store, NoteFilter(until=date(2026, 6, 1)))) == 1
    assert len(notes.list_notes(store, NoteFilter(since=date(2026, 6, 1)))) == 2
    assert [r.preview for r in notes.list_notes(store, NoteFilter(tag=Tag.RISK))] == [
        "at risk #risk"
    ]


def test_templates_record_nothing_until_typed_into() -> None:
    from am_desktop.domain.note_templates import DEFAULT_TEMPLATES
    from am_desktop.domain.note_text import parse

    for name, text in DEFAULT_TEMPLATES.items():
        assert parse(text).actions == () and parse(text).tagged == (), name


def test_a_record_archived_elsewhere_stays_archived(store: Store, acme: int) -> None:
    note = new_note(store, acme, "Budget frozen #risk\n")
    (risk,) = catalog.risks.find(store, account_id=acme)
    catalog.risks.archive(store, risk.id)
    version = catalog.notes.get(store, note).version
    notes.save_note(store, note, {"body": "Budget frozen #risk\nmore words\n"}, version)
    assert catalog.risks.find(store, account_id=acme) == []  # not brought back, not copied


def test_a_line_removed_and_typed_again_brings_its_item_back(store: Store, acme: int) -> None:
    note = new_note(store, acme, "- [ ] Send deck\n")
    notes.save_note(store, note, {"body": "typing…"}, None)
    assert catalog.action_items.find(store, account_id=acme) == []
    notes.save_note(store, note, {"body": "- [ ] Send deck\n"}, None)
    assert [a.text for a in catalog.action_items.find(store, account_id=acme)] == ["Send deck"]
    assert len(catalog.action_items.find(store, include_archived=True, account_id=acme)) == 1


def test_editing_an_action_line_does_not_leave_a_duplicate(store: Store, acme: int) -> None:
    note = new_note(store, acme, "- [ ] Send deck @ma\n")
    for body in ("- [ ] Send deck @maya\n", "- [x] Send deck @maya due:2026-12-01\n"):
        notes.save_note(store, note, {"body": body}, None)
    (action,) = catalog.action_items.find(store, account_id=acme)
    assert (action.owner, action.due_date, action.status) == (
        "maya",
        date(2026, 12, 1),
        ActionItemStatus.DONE,
    )


def test_a_due_date_changed_elsewhere_is_not_overwritten(store: Store, acme: int) -> None:
    note = new_note(store, acme, "- [ ] Send deck due:2026-12-01\n")
    (action,) = catalog.action_items.find(store, account_id=acme)
    catalog.action_items.update(store, action.id, {"due_date": date(2026, 12, 15)})
    notes.save_note(store, note, {"body": "- [x] Send deck due:2026-12-01\n"}, None)
    saved = catalog.action_items.get(store, action.id)
    assert (saved.due_date, saved.status) == (date(2026, 12, 15), ActionItemStatus.DONE)


def test_a_note_can_be_emptied(store: Store, acme: int) -> None:
    note = new_note(store, acme, "something")
    assert notes.save_note(store, note, {"body": ""}, None).body == ""


def test_the_tag_filter_wants_the_whole_tag(store: Store, acme: int) -> None:
    new_note(store, acme, "a #risky idea")
    new_note(store, acme, "Budget #Risk.")
    assert [r.preview for r in notes.list_notes(store, NoteFilter(tag=Tag.RISK))] == [
        "Budget #Risk."
    ]
