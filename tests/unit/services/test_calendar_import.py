"""Calendar import (issue 19): each rule on a hand-written .ics file."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from am_desktop.db.models import Note, NoteAttendee
from am_desktop.errors import ValidationError
from am_desktop.services import catalog, notes
from am_desktop.services.calendar_import import CalendarImport, import_calendar
from am_desktop.services.store import Store

ME = "maya@ourco.com"
TODAY = date(2026, 3, 1)
FIRST, LAST = date(2026, 3, 1), date(2026, 4, 30)


def ics(*events: str, head: str = "") -> str:
    """A calendar file of these VEVENT bodies, with CRLF line ends as exporters write.

    Lines are written indented here and stripped; one starting with "~" continues the line
    before (RFC 5545 folding: the "~" becomes the leading space).
    """
    parts = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN"]
    if head:
        parts.append(head.strip())
    for body in events:
        parts += ["BEGIN:VEVENT", body.strip(), "END:VEVENT"]
    parts.append("END:VCALENDAR")
    lines = [line.strip() for part in parts for line in part.splitlines() if line.strip()]
    return "\r\n".join(" " + line[1:] if line.startswith("~") else line for line in lines) + "\r\n"


WEEKLY = """
UID:weekly-1@test
DTSTART;TZID=Europe/Berlin:20260302T100000
DTEND;TZID=Europe/Berlin:20260302T110000
RRULE:FREQ=WEEKLY;COUNT=6
EXDATE;TZID=Europe/Berlin:20260309T100000
SUMMARY:Acme weekly sync
ORGANIZER;CN=Maya:mailto:maya@ourco.com
ATTENDEE;CN=Ann Buyer:mailto:ann@acme.com
ATTENDEE;CN=Maya:mailto:maya@ourco.com
"""


@pytest.fixture
def berlin() -> Iterator[None]:
    """The user's local zone is Berlin (all-day and floating times are local)."""
    import os

    before = os.environ.get("TZ")
    os.environ["TZ"] = "Europe/Berlin"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def acme(store: Store) -> int:
    account = catalog.accounts.create(store, {"name": "Acme Corp", "domain": "acme.com"}).id
    catalog.contacts.create(
        store, {"account_id": account, "last_name": "Buyer", "first_name": "Ann",
                "email": "ann@acme.com"},
    )  # fmt: skip
    return account


def run(store: Store, tmp_path: Path, text: str, **options: object) -> CalendarImport:
    path = tmp_path / "calendar.ics"
    path.write_text(text, encoding="utf-8", newline="")
    values: dict[str, object] = {"first_day": FIRST, "last_day": LAST, "today": TODAY}
    values.update(options)
    return import_calendar(store, path, ME, **values)  # type: ignore[arg-type]


def planned(store: Store) -> dict[str, tuple[int, datetime, str, list[str]]]:
    """The calendar's live notes: key → (account, start in UTC, title, attendee e-mails)."""
    with store.read() as session:
        rows = session.scalars(
            select(Note).where(Note.calendar_key.is_not(None), Note.archived_at.is_(None))
        ).all()
        return {
            note.calendar_key: (
                note.account_id,
                note.occurred_at,
                note.title or "",
                sorted(
                    session.scalars(
                        select(NoteAttendee.email).where(NoteAttendee.note_id == note.id)
                    )
                ),
            )
            for note in rows
            if note.calendar_key
        }


def counts(result: CalendarImport) -> tuple[int, int, int, int]:
    return result.added, result.moved, result.removed, result.left


def test_a_weekly_series_less_its_exdate_becomes_planned_notes_once(
    store: Store, tmp_path: Path, acme: int
) -> None:
    first = run(store, tmp_path, ics(WEEKLY))
    assert counts(first) == (5, 0, 0, 0)
    notes_now = planned(store)
    assert sorted(notes_now) == [
        *(f"weekly-1@test/2026{day}T090000Z" for day in ("0302", "0316", "0323")),
        # Berlin is UTC+2 from 29 March (summer time): 10:00 there is 08:00 UTC.
        *(f"weekly-1@test/2026{day}T080000Z" for day in ("0330", "0406")),
    ]
    account, start, title, people = notes_now["weekly-1@test/20260302T090000Z"]
    assert (account, start, title) == (
        acme,
        datetime(2026, 3, 2, 9, tzinfo=UTC),
        "Acme weekly sync",
    )
    assert people == ["ann@acme.com", "maya@ourco.com"]
    again = run(store, tmp_path, ics(WEEKLY))
    assert counts(again) == (0, 0, 0, 0)
    assert again.unchanged == 5
    assert planned(store) == notes_now


def test_known_attendees_are_linked_to_their_contact(
    store: Store, tmp_path: Path, acme: int
) -> None:
    run(store, tmp_path, ics(WEEKLY))
    with store.read() as session:
        linked = session.execute(
            select(NoteAttendee.email, NoteAttendee.contact_id).where(
                NoteAttendee.contact_id.is_not(None)
            )
        ).all()
    assert {email for email, _ in linked} == {"ann@acme.com"}


def moved(own_attendees: str) -> str:
    return f"""
    UID:weekly-1@test
    RECURRENCE-ID;TZID=Europe/Berlin:20260316T100000
    DTSTART;TZID=Europe/Berlin:20260317T150000
    DTEND;TZID=Europe/Berlin:20260317T160000
    SUMMARY:Acme weekly sync (moved)
    {own_attendees}
    """


def test_a_moved_occurrence_without_attendees_keeps_the_series_people(
    store: Store, tmp_path: Path, acme: int
) -> None:
    run(store, tmp_path, ics(WEEKLY))
    result = run(store, tmp_path, ics(WEEKLY, moved("")))
    assert counts(result) == (0, 1, 0, 0)
    _, start, title, people = planned(store)["weekly-1@test/20260316T090000Z"]
    assert start == datetime(2026, 3, 17, 14, tzinfo=UTC)
    assert title == "Acme weekly sync (moved)"
    assert people == ["ann@acme.com", "maya@ourco.com"]


def test_a_moved_occurrence_with_its_own_attendees_takes_them(
    store: Store, tmp_path: Path, acme: int
) -> None:
    run(store, tmp_path, ics(WEEKLY))
    edited = moved("ATTENDEE;CN=Bob:mailto:bob@acme.com\nORGANIZER:mailto:maya@ourco.com")
    result = run(store, tmp_path, ics(WEEKLY, edited))
    assert result.moved == 1
    assert planned(store)["weekly-1@test/20260316T090000Z"][3] == [
        "bob@acme.com",
        "maya@ourco.com",
    ]
    assert [(p.email, p.account_id) for p in result.unknown_attendees] == [("bob@acme.com", acme)]


def test_cancelled_occurrences_and_events_remove_their_empty_notes(
    store: Store, tmp_path: Path, acme: int
) -> None:
    one_off = """
    UID:one-off@test
    DTSTART:20260305T130000Z
    SUMMARY:Pricing call
    ATTENDEE:mailto:ann@acme.com
    """
    run(store, tmp_path, ics(WEEKLY, one_off))
    cancelled_occurrence = """
    UID:weekly-1@test
    RECURRENCE-ID;TZID=Europe/Berlin:20260323T100000
    DTSTART;TZID=Europe/Berlin:20260323T100000
    SUMMARY:Acme weekly sync
    STATUS:CANCELLED
    """
    result = run(store, tmp_path, ics(WEEKLY, cancelled_occurrence, one_off + "STATUS:CANCELLED"))
    assert counts(result) == (0, 0, 2, 0)
    keys = planned(store)
    assert "weekly-1@test/20260323T090000Z" not in keys
    assert "one-off@test/20260305T130000Z" not in keys
    assert len(keys) == 4


def test_an_event_gone_from_the_file_removes_its_note_but_one_written_in_is_left(
    store: Store, tmp_path: Path, acme: int
) -> None:
    other = """
    UID:other@test
    DTSTART:20260312T130000Z
    SUMMARY:Renewal prep
    ATTENDEE:mailto:ann@acme.com
    """
    run(store, tmp_path, ics(WEEKLY, other))
    written = planned(store)
    note_id = _note_id(store, "weekly-1@test/20260330T080000Z")
    version = catalog.notes.get(store, note_id).version
    notes.save_note(store, note_id, {"body": "Agenda: pricing"}, version)
    result = run(store, tmp_path, ics(WEEKLY.replace("COUNT=6", "COUNT=4")))
    # other@test and the 6 April meeting are gone; the 30 March one holds the AM's agenda.
    assert counts(result) == (0, 0, 2, 1)
    assert set(planned(store)) == set(written) - {
        "other@test/20260312T130000Z",
        "weekly-1@test/20260406T080000Z",
    }


def test_a_written_in_note_is_not_moved(store: Store, tmp_path: Path, acme: int) -> None:
    run(store, tmp_path, ics(WEEKLY))
    note_id = _note_id(store, "weekly-1@test/20260316T090000Z")
    notes.save_note(store, note_id, {"body": "- [ ] Send deck"}, None)
    result = run(store, tmp_path, ics(WEEKLY, moved("")))
    assert counts(result) == (0, 0, 0, 1)
    assert planned(store)["weekly-1@test/20260316T090000Z"][1] == datetime(
        2026, 3, 16, 9, tzinfo=UTC
    )


def test_new_york_across_its_dst_change_and_an_all_day_meeting(
    store: Store, tmp_path: Path, acme: int, berlin: None
) -> None:
    new_york = """
    UID:ny@test
    DTSTART;TZID=America/New_York:20260305T090000
    RRULE:FREQ=WEEKLY;COUNT=2
    SUMMARY:Acme stand-up
    ATTENDEE:mailto:ann@acme.com
    """
    all_day = """
    UID:offsite@test
    DTSTART;VALUE=DATE:20260320
    DTEND;VALUE=DATE:20260321
    SUMMARY:Acme on-site
    ATTENDEE:mailto:ann@acme.com
    """
    result = run(store, tmp_path, ics(new_york, all_day))
    assert result.added == 3
    keys = planned(store)
    assert keys["ny@test/20260305T140000Z"][1] == datetime(2026, 3, 5, 14, tzinfo=UTC)  # EST
    assert keys["ny@test/20260312T130000Z"][1] == datetime(2026, 3, 12, 13, tzinfo=UTC)  # EDT
    # A whole-day meeting starts at the local day's midnight (Berlin: 23:00 UTC the day before).
    assert keys["offsite@test/20260320"][1] == datetime(2026, 3, 19, 23, tzinfo=UTC)


def test_a_vtimezone_and_google_x_wr_timezone_are_honoured(
    store: Store, tmp_path: Path, acme: int
) -> None:
    zone = """
    BEGIN:VTIMEZONE
    TZID:Custom Berlin
    BEGIN:STANDARD
    DTSTART:19701025T030000
    RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
    TZOFFSETFROM:+0200
    TZOFFSETTO:+0100
    END:STANDARD
    BEGIN:DAYLIGHT
    DTSTART:19700329T020000
    RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
    TZOFFSETFROM:+0100
    TZOFFSETTO:+0200
    END:DAYLIGHT
    END:VTIMEZONE
    """
    custom = """
    UID:custom@test
    DTSTART;TZID=Custom Berlin:20260401T100000
    SUMMARY:Acme review
    ATTENDEE:mailto:ann@acme.com
    """
    run(store, tmp_path, ics(custom, head=zone))
    assert planned(store)["custom@test/20260401T080000Z"][1] == datetime(2026, 4, 1, 8, tzinfo=UTC)
    google = """
    UID:google@test
    DTSTART:20260402T150000Z
    RRULE:FREQ=DAILY;COUNT=1
    SUMMARY:Acme call
    ATTENDEE:mailto:ann@acme.com
    """
    run(store, tmp_path, ics(google, head="X-WR-TIMEZONE:America/New_York"))
    assert planned(store)["google@test/20260402T150000Z"][1] == datetime(2026, 4, 2, 15, tzinfo=UTC)


def test_internal_unknown_and_title_matched_meetings(
    store: Store, tmp_path: Path, acme: int
) -> None:
    globex = catalog.accounts.create(store, {"name": "Globex", "domain": "globex.example"}).id
    internal = """
    UID:internal@test
    DTSTART:20260303T090000Z
    SUMMARY:Team stand-up
    ATTENDEE:mailto:maya@ourco.com
    ATTENDEE:mailto:jo@eu.ourco.com
    """
    unknown_domain = """
    UID:stranger@test
    DTSTART:20260303T100000Z
    SUMMARY:Coffee
    ATTENDEE;CN=Stranger:mailto:who@nowhere.example
    """
    by_title = """
    UID:title@test
    DTSTART:20260303T110000Z
    SUMMARY:Prep: GLOBEX renewal
    ATTENDEE;CN="Lee Adviser":mailto:lee@consultants.example
    """
    result = run(store, tmp_path, ics(internal, unknown_domain, by_title))
    assert result.added == 1
    assert planned(store)["title@test/20260303T110000Z"][0] == globex
    assert dict(result.skipped) == {"internal only": 1, "no account found": 1}
    assert result.no_account == ("2026-03-03 Coffee",)
    assert [(p.name, p.email, p.account_id) for p in result.unknown_attendees] == [
        ("Lee Adviser", "lee@consultants.example", None)
    ]


def test_most_outside_attendees_choose_the_account(store: Store, tmp_path: Path, acme: int) -> None:
    globex = catalog.accounts.create(store, {"name": "Globex", "domain": "globex.example"}).id
    event = """
    UID:mixed@test
    DTSTART:20260303T110000Z
    SUMMARY:Partner call
    ATTENDEE:mailto:ann@acme.com
    ATTENDEE:mailto:a@globex.example
    ATTENDEE:mailto:b@mail.globex.example
    """
    run(store, tmp_path, ics(event))
    assert planned(store)["mixed@test/20260303T110000Z"][0] == globex


@pytest.mark.parametrize(
    ("text", "line"),
    [
        (ics(WEEKLY, "UID:bad@test\nDTSTART:2026-03-02 10:00\nSUMMARY:x"), 17),
        (ics(WEEKLY).replace("SUMMARY:Acme", "this line is junk SUMMARY Acme"), 10),
        (ics(WEEKLY).replace("END:VEVENT\r\n", ""), 14),
    ],
)
def test_a_malformed_file_names_its_line_and_writes_nothing(
    store: Store, tmp_path: Path, acme: int, text: str, line: int
) -> None:
    with pytest.raises(ValidationError) as raised:
        run(store, tmp_path, text)
    assert f"line {line} " in raised.value.user_message
    assert raised.value.user_message.count(".") <= 3  # one sentence, and what to do
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(Note)) == 0


def test_no_file_and_a_bad_own_address_say_so(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="could not be read"):
        import_calendar(store, tmp_path / "missing.ics", ME)
    with pytest.raises(ValidationError, match="not an e-mail address"):
        import_calendar(store, tmp_path / "missing.ics", "maya")


def _note_id(store: Store, key: str) -> int:
    with store.read() as session:
        found = session.scalar(select(Note.id).where(Note.calendar_key == key))
    assert found is not None
    return found


def test_a_google_export_with_alarms_descriptions_and_attendee_parameters(
    store: Store, tmp_path: Path, acme: int
) -> None:
    google = """
    DTSTART:20260310T150000Z
    DTEND:20260310T160000Z
    DTSTAMP:20260301T120000Z
    UID:g-1@google.com
    ORGANIZER;CN=maya@ourco.com:mailto:maya@ourco.com
    ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;CN="Buyer, Ann";
    ~X-NUM-GUESTS=0:mailto:Ann@Acme.com
    DESCRIPTION:Agenda: pricing\\, renewal
    STATUS:CONFIRMED
    SUMMARY:Acme pricing
    BEGIN:VALARM
    ACTION:DISPLAY
    DESCRIPTION:Reminder
    TRIGGER:-P0DT0H10M0S
    END:VALARM
    """
    result = run(store, tmp_path, ics(google, head="X-WR-TIMEZONE:Europe/Berlin"))
    assert result.added == 1
    account, start, title, people = planned(store)["g-1@google.com/20260310T150000Z"]
    assert (account, start, title) == (acme, datetime(2026, 3, 10, 15, tzinfo=UTC), "Acme pricing")
    assert people == ["ann@acme.com", "maya@ourco.com"]
    with store.read() as session:
        kinds = set(session.scalars(select(Note.kind)))
    assert {kind.value for kind in kinds} == {"meeting"}
