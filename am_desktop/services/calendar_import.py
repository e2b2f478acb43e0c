"""Calendar import: meetings in an .ics file become planned notes (issue 19).

The file is read with ``icalendar`` and its recurrences expanded with
``recurring-ical-events`` over a window of days (which also applies Google's X-WR-TIMEZONE).
Each occurrence with someone from outside the AM's own domain becomes a planned meeting note
keyed by UID + original start (``note.calendar_key``), so importing again changes nothing; a
moved or cancelled occurrence moves or removes its note while nobody has written in it. The
whole import is one transaction: a malformed file writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from am_desktop.db.base import utcnow
from am_desktop.db.models import Account, ActionItem, Contact, Note, NoteAttendee
from am_desktop.domain import addresses
from am_desktop.domain import calendar_events as rules
from am_desktop.domain.calendar_events import (
    ImportCounts,
    Occurrence,
    Person,
    TitleMatcher,
    UnknownAttendee,
)
from am_desktop.domain.cancel import CancelToken, Progress, no_progress
from am_desktop.domain.changes import Origin, origin
from am_desktop.domain.enums import NoteKind
from am_desktop.errors import ValidationError
from am_desktop.services.calendar_file import read_calendar
from am_desktop.services.store import Store
from am_desktop.services.transfer import bulk

#: The default window: from this many days back to this many days ahead of today.
DAYS_BACK, DAYS_AHEAD = 30, 90
#: The most unknown attendees and no-account titles listed.
MAX_LISTED = 200
_IN_CHUNK = 500  # SQLite's bound parameters per IN (…)
_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class CalendarImport:
    """What a calendar import did (and, for the user, what it could not place)."""

    added: int
    moved: int
    removed: int
    left: int
    unchanged: int
    #: Why occurrences were not planned: reason → how many.
    skipped: Mapping[str, int]
    #: The occurrences no account was found for ("2026-03-02 Title"), at most 50.
    no_account: tuple[str, ...]
    unknown_attendees: tuple[UnknownAttendee, ...]
    first_day: date
    last_day: date

    @property
    def changed(self) -> int:
        """How many planned notes were added, moved or removed."""
        return self.added + self.moved + self.removed

    def as_json(self) -> dict[str, Any]:
        """The ``--json`` document of PRODUCT.md §2 (its four counts first)."""
        return {
            "added": self.added,
            "moved": self.moved,
            "removed": self.removed,
            "left": self.left,
            "unchanged": self.unchanged,
            "skipped": dict(self.skipped),
            "no_account": list(self.no_account),
            "unknown_attendees": [
                {
                    "email": person.email,
                    "name": person.name,
                    "account_id": person.account_id,
                    "account": person.account_name,
                }
                for person in self.unknown_attendees
            ],
            "from": self.first_day.isoformat(),
            "to": self.last_day.isoformat(),
        }


def default_window(today: date) -> tuple[date, date]:
    """The days imported when none are given: 30 days back to 90 days ahead."""
    return today - timedelta(days=DAYS_BACK), today + timedelta(days=DAYS_AHEAD)


def my_domain(email: str) -> str:
    """The AM's own domain from their address; a plain sentence when it is not one."""
    found = addresses.address(email)
    if found is None:
        raise ValidationError(f"“{email}” is not an e-mail address (such as ann@example.com).")
    return addresses.domain_of(found)


def import_calendar(
    store: Store,
    path: Path,
    me: str,
    *,
    first_day: date | None = None,
    last_day: date | None = None,
    today: date | None = None,
    progress: Progress = no_progress,
    cancel: CancelToken | None = None,
) -> CalendarImport:
    """Plan the meetings of an .ics file as notes.

    Args:
        me: the AM's own e-mail address; its domain marks internal attendees.
        first_day, last_day: the days imported (default: :func:`default_window`).

    Raises:
        ValidationError: the file cannot be read, or is malformed (one sentence naming the
            line); nothing was written.
    """
    own_domain = my_domain(me)
    start, end = default_window(today or date.today())
    first_day, last_day = first_day or start, last_day or end
    if last_day < first_day:
        raise ValidationError("The first day comes after the last: swap --from and --to.")
    progress(0, 4, "Reading the calendar")
    calendar = read_calendar(path, first_day, last_day)
    occurrences, span = calendar.occurrences, calendar.span
    if cancel:
        cancel.raise_if_cancelled()
    progress(1, 4, "Finding accounts and contacts")
    with origin(Origin.IMPORT), store.write() as session:
        plan = _Planner(session, own_domain)
        planned = plan.place(occurrences)
        if cancel:
            cancel.raise_if_cancelled()
        progress(2, 4, "Writing planned notes")
        _Writer(session, plan.counts).apply(planned, occurrences, span)
        if cancel:
            cancel.raise_if_cancelled()  # leaving the block by an exception writes nothing
        counts = plan.counts
    progress(4, 4, "Done")
    return CalendarImport(
        counts.added,
        counts.moved,
        counts.removed,
        counts.left,
        counts.unchanged,
        dict(counts.skipped),
        tuple(counts.no_account),
        tuple(plan.unknown.values())[:MAX_LISTED],
        first_day,
        last_day,
    )


# ------------------------------------------------------------------------ accounts and people


@dataclass(frozen=True, slots=True)
class _Planned:
    """An occurrence placed on an account, its attendees as (contact id, e-mail)."""

    occurrence: Occurrence
    account_id: int
    attendees: tuple[tuple[int | None, str], ...]


class _Planner:
    """Places occurrences on accounts: contacts by e-mail, accounts by domain, else by title."""

    def __init__(self, session: Session, own_domain: str) -> None:
        self.session = session
        self.own_domain = own_domain
        self.counts = ImportCounts()
        self.unknown: dict[str, UnknownAttendee] = {}
        self._contacts: dict[str, tuple[int, int]] = {}  # e-mail → (contact id, account id)
        self._domains: dict[str, tuple[int, str]] = {}  # domain → (account id, name)
        self._titles: TitleMatcher | None = None

    def place(self, occurrences: Sequence[Occurrence]) -> list[_Planned]:
        """The occurrences to plan; the others counted as skipped, with why."""
        outside = {
            person.email
            for occurrence in occurrences
            for person in occurrence.people
            if not addresses.is_internal(person.email, self.own_domain)
        }
        self._load(outside)
        planned: list[_Planned] = []
        for occurrence in occurrences:
            placed = self._place(occurrence)
            if placed is not None:
                planned.append(placed)
        return planned

    def _place(self, occurrence: Occurrence) -> _Planned | None:
        outside = [
            p for p in occurrence.people if not addresses.is_internal(p.email, self.own_domain)
        ]
        if occurrence.cancelled:
            return None  # the writer removes its note, or counts it as skipped
        if not outside:
            self.counts.skipped[rules.SKIPPED_INTERNAL] += 1
            return None
        votes = [self._account_of(person.email) for person in outside]
        account_id = rules.most_voted(v for v in votes if v is not None)
        if account_id is None:
            account_id = self._title_matcher().find(occurrence.title)
        if account_id is None:
            self.counts.skipped[rules.SKIPPED_NO_ACCOUNT] += 1
            if len(self.counts.no_account) < 50:
                day = occurrence.starts_at.astimezone().date().isoformat()
                self.counts.no_account.append(f"{day} {occurrence.title}")
            return None
        attendees: list[tuple[int | None, str]] = []
        for person in occurrence.people:
            contact = self._contacts.get(person.email)
            if contact is not None and contact[1] == account_id:
                attendees.append((contact[0], person.email))
            else:
                attendees.append((None, person.email))
            if contact is None and person in outside:
                self._remember_unknown(person)
        return _Planned(occurrence, account_id, tuple(attendees))

    def _account_of(self, email: str) -> int | None:
        contact = self._contacts.get(email)
        if contact is not None:
            return contact[1]
        for domain in addresses.domain_candidates(addresses.domain_of(email)):
            account = self._domains.get(domain)
            if account is not None:
                return account[0]
        return None

    def _remember_unknown(self, person: Person) -> None:
        if person.email in self.unknown:
            return
        account_id = self._account_of(person.email)
        name = None
        if account_id is not None:
            name = next((n for i, n in self._domains.values() if i == account_id), None)
        self.unknown[person.email] = UnknownAttendee(person.email, person.name, account_id, name)

    def _load(self, emails: set[str]) -> None:
        """The contacts with these addresses and the accounts of their domains (indexed)."""
        listed = sorted(emails)
        found: list[tuple[str | None, int, int]] = []
        for chunk in _chunks(listed):
            # By the e-mail index alone: joined to account, SQLite walks the accounts instead.
            found += self.session.execute(
                select(Contact.email, Contact.id, Contact.account_id).where(
                    Contact.email.in_(chunk), Contact.archived_at.is_(None)
                )
            ).tuples()
        archived: set[int] = set()
        for ids in _chunks(sorted({account_id for _, _, account_id in found})):
            archived.update(
                self.session.scalars(
                    select(Account.id).where(Account.id.in_(ids), Account.archived_at.is_not(None))
                )
            )
        for email, contact_id, account_id in sorted(found, key=lambda row: row[1]):
            if email and account_id not in archived:
                self._contacts.setdefault(email, (contact_id, account_id))
        domains = sorted(
            {d for email in listed for d in addresses.domain_candidates(addresses.domain_of(email))}
        )
        for chunk in _chunks(domains):
            rows = self.session.execute(
                select(Account.domain, Account.id, Account.name).where(
                    Account.domain.in_(chunk), Account.archived_at.is_(None)
                )
            )
            for domain, account_id, name in rows:
                self._domains[domain] = (account_id, name)

    def _title_matcher(self) -> TitleMatcher:
        if self._titles is None:
            names = self.session.execute(
                select(Account.id, Account.name).where(Account.archived_at.is_(None))
            )
            self._titles = TitleMatcher(dict(names.tuples().all()))
        return self._titles


def _chunks(items: Sequence[_T]) -> Iterable[Sequence[_T]]:
    for start in range(0, len(items), _IN_CHUNK):
        yield items[start : start + _IN_CHUNK]


# ------------------------------------------------------------------------ writing the notes


@dataclass(frozen=True, slots=True)
class _Existing:
    """A calendar note as stored: what an import compares (read as columns, not ORM rows)."""

    id: int
    account_id: int
    occurred_at: datetime
    title: str | None
    archived: bool
    attendees: tuple[tuple[int | None, str], ...]
    written_in: bool


class _Writer:
    """Adds, moves and removes planned notes by calendar key, leaving written-in ones alone.

    Everything goes straight through the DB-API in bulk (a year's calendar is thousands of
    notes: the ORM's cost a row would be most of the import); the change capture still sees
    every row.
    """

    def __init__(self, session: Session, counts: ImportCounts) -> None:
        self.session = session
        self.counts = counts
        self._edits: list[tuple[int, dict[str, object]]] = []
        self._new_people: dict[int, tuple[tuple[int | None, str], ...]] = {}

    def apply(
        self,
        planned: Sequence[_Planned],
        occurrences: Sequence[Occurrence],
        span: tuple[datetime, datetime],
    ) -> None:
        """Bring the planned notes in line with the file's occurrences."""
        in_file = {occurrence.key for occurrence in occurrences}
        cancelled = {o.key for o in occurrences if o.cancelled}
        existing = self._existing(in_file, span)
        new_notes: dict[str, _Planned] = {}
        for placed in planned:
            found = existing.get(placed.occurrence.key)
            if found is None:
                new_notes.setdefault(placed.occurrence.key, placed)  # a UID listed twice: once
            elif found.archived:
                self.counts.unchanged += 1  # the AM deleted it: it stays deleted
            else:
                self._update(found, placed)
        for key, found in existing.items():
            gone = key not in in_file
            if (gone or key in cancelled) and not found.archived:
                self._remove(found)
        self.counts.skipped[rules.SKIPPED_CANCELLED] += sum(
            1 for key in cancelled if key not in existing
        )
        if not self.counts.skipped[rules.SKIPPED_CANCELLED]:
            del self.counts.skipped[rules.SKIPPED_CANCELLED]
        self._write_edits()
        self._insert(list(new_notes.values()))

    def _insert(self, planned: Sequence[_Planned]) -> None:
        """The new planned notes and their attendees."""
        ids = bulk.insert_rows(
            self.session,
            bulk.table_of(Note),
            [
                {
                    "account_id": placed.account_id,
                    "kind": NoteKind.MEETING,
                    "occurred_at": placed.occurrence.starts_at,
                    "title": placed.occurrence.title,
                    "body": "",
                    "calendar_key": placed.occurrence.key,
                }
                for placed in planned
            ],
        )
        self._insert_people(zip(ids, (placed.attendees for placed in planned), strict=True))
        self.counts.added += len(planned)

    def _insert_people(
        self, notes: Iterable[tuple[int, tuple[tuple[int | None, str], ...]]]
    ) -> None:
        bulk.insert_rows(
            self.session,
            bulk.table_of(NoteAttendee),
            [
                {"note_id": note_id, "contact_id": contact_id, "email": email}
                for note_id, attendees in notes
                for contact_id, email in attendees
            ],
        )

    def _write_edits(self) -> None:
        """The moved and removed notes (each edit bumps the note's version)."""
        bulk.update_rows(self.session, bulk.table_of(Note), self._edits)
        if self._new_people:
            for ids in _chunks(sorted(self._new_people)):
                self.session.execute(delete(NoteAttendee).where(NoteAttendee.note_id.in_(ids)))
            self._insert_people(self._new_people.items())

    def _existing(self, keys: set[str], span: tuple[datetime, datetime]) -> dict[str, _Existing]:
        """The calendar's notes: those of the file's keys, and those in the span it covers."""
        columns = (
            Note.id,
            Note.calendar_key,
            Note.account_id,
            Note.occurred_at,
            Note.title,
            Note.archived_at.is_not(None),
            func.length(func.trim(Note.body)) > 0,
        )
        rows: dict[int, Any] = {}
        for keys_chunk in _chunks(sorted(keys)):
            for row in self.session.execute(
                select(*columns).where(Note.calendar_key.in_(keys_chunk))
            ):
                rows[row[0]] = row
        in_span = (
            select(*columns)
            .where(
                Note.calendar_key.is_not(None),
                Note.archived_at.is_(None),
                Note.occurred_at >= span[0],
                Note.occurred_at < span[1],
            )
            # The calendar's few notes by their partial index, not a year of all notes by date.
            .with_hint(Note, "INDEXED BY ux_note_calendar_key", "sqlite")
        )
        for row in self.session.execute(in_span):
            rows[row[0]] = row
        ids = list(rows)
        attendees: dict[int, list[tuple[int | None, str]]] = {i: [] for i in ids}
        with_actions: set[int] = set()
        for chunk in _chunks(ids):
            people = self.session.execute(
                select(NoteAttendee.note_id, NoteAttendee.contact_id, NoteAttendee.email)
                .where(NoteAttendee.note_id.in_(chunk))
                .order_by(NoteAttendee.id)
            )
            for note_id, contact_id, email in people:
                attendees[note_id].append((contact_id, email or ""))
            with_actions.update(
                self.session.scalars(
                    select(ActionItem.note_id).where(
                        ActionItem.note_id.in_(chunk), ActionItem.archived_at.is_(None)
                    )
                )
            )
        return {
            key: _Existing(
                note_id,
                account_id,
                occurred_at,
                title,
                bool(archived),
                tuple(attendees[note_id]),
                bool(has_body) or note_id in with_actions,
            )
            for note_id, key, account_id, occurred_at, title, archived, has_body in rows.values()
        }

    def _update(self, found: _Existing, placed: _Planned) -> None:
        occurrence = placed.occurrence
        wanted: dict[str, object] = {
            "account_id": placed.account_id,
            "occurred_at": occurrence.starts_at,
            "title": occurrence.title,
        }
        differs = {name: value for name, value in wanted.items() if getattr(found, name) != value}
        same_people = sorted(found.attendees, key=_by_email) == sorted(
            placed.attendees, key=_by_email
        )
        if not differs and same_people:
            self.counts.unchanged += 1
            return
        if found.written_in:
            self.counts.left += 1
            return
        self._edits.append((found.id, differs))  # no change of its own: only the version moves
        if not same_people:
            self._new_people[found.id] = placed.attendees
        self.counts.moved += 1

    def _remove(self, found: _Existing) -> None:
        if found.written_in:
            self.counts.left += 1
            return
        # Archived (the app's delete, synced as such) and unkeyed, so the meeting can come back.
        self._edits.append((found.id, {"archived_at": utcnow(), "calendar_key": None}))
        self.counts.removed += 1


def _by_email(attendee: tuple[int | None, str]) -> tuple[str, int]:
    return attendee[1], attendee[0] or 0


__all__ = [
    "DAYS_AHEAD",
    "DAYS_BACK",
    "CalendarImport",
    "UnknownAttendee",
    "add_attendees_as_contacts",
    "default_window",
    "import_calendar",
    "my_domain",
]


def add_attendees_as_contacts(store: Store, people: Sequence[UnknownAttendee]) -> int:
    """Make outside attendees contacts of the account their domain belongs to, and link them
    as attendees of that account's notes; returns how many contacts were added.

    The name is the calendar's (CN): its last word is the last name; without one, the
    address's local part. Someone who became a contact meanwhile is not added twice.
    """
    added = 0
    with origin(Origin.USER), store.write() as session:
        for person in people:
            if person.account_id is None:
                continue
            taken = session.scalar(
                select(Contact.id).where(
                    Contact.email == person.email, Contact.archived_at.is_(None)
                )
            )
            if taken is not None:
                continue
            first, _, last = (person.name or "").strip().rpartition(" ")
            contact = Contact(
                account_id=person.account_id,
                first_name=first or None,
                last_name=(last or person.email.partition("@")[0])[:100],
                email=person.email,
            )
            session.add(contact)
            session.flush()
            linked = select(Note.id).where(Note.account_id == person.account_id).scalar_subquery()
            session.execute(
                update(NoteAttendee)
                .where(
                    NoteAttendee.email == person.email,
                    NoteAttendee.contact_id.is_(None),
                    NoteAttendee.note_id.in_(linked),
                )
                .values(contact_id=contact.id)
            )
            added += 1
    return added
