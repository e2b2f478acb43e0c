"""Meeting notes: create, save (with what the text asks to be recorded), list, tick actions.

Saving a note is one unit of work: the note, its attendees, the action items, risks,
opportunity stubs and feedback its lines ask for, the attendees' last-contacted dates and the
account's last touch (issue 5). Search lives in :mod:`am_desktop.services.note_search`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from am_desktop.db.base import Record, utcnow
from am_desktop.db.models import (
    Account,
    AccountRisk,
    ActionItem,
    Contact,
    Note,
    NoteAttendee,
    Opportunity,
    ProductFeedback,
)
from am_desktop.domain import note_text
from am_desktop.domain.enums import ActionItemStatus, NoteKind
from am_desktop.domain.note_text import NoteStructure, Tag, text_key, title_from_text
from am_desktop.domain.records import ActionItemRecord, NoteRecord
from am_desktop.domain.snippets import elide_words
from am_desktop.errors import NotFoundError, StaleRecordError, ValidationError
from am_desktop.services import catalog
from am_desktop.services.store import Store
from am_desktop.services.transfer.bulk import advance_timestamps

#: The most a list of notes holds at once (the list fetches more as it scrolls).
PAGE = 200
_PREVIEW = 160


class NoteConflict(StaleRecordError):  # noqa: N818 - reads as what happened
    """The note changed elsewhere (a sync, another window) since the editor loaded it.

    ``stored`` is the note as it is now, so the user can keep theirs, take it, or keep both.
    """

    def __init__(self, stored: NoteRecord) -> None:
        super().__init__(
            "This note was changed elsewhere while you were editing it. "
            "Choose which version to keep."
        )
        self.stored = stored


@dataclass(frozen=True, slots=True)
class Attendee:
    """Someone at the meeting: a contact of the account, or only an e-mail address."""

    contact_id: int | None
    name: str
    email: str | None


@dataclass(frozen=True, slots=True)
class NoteDetail:
    """A note with its attendees and what it recorded, as the editor shows it."""

    note: NoteRecord
    account_name: str
    attendees: tuple[Attendee, ...]
    actions: tuple[ActionItemRecord, ...]
    #: (contact id, name) of everyone at the account who could attend.
    people: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class NoteRow:
    """A note in a list: enough to show and open it."""

    id: int
    account_id: int
    account_name: str
    kind: NoteKind
    occurred_at: datetime
    title: str | None
    preview: str
    #: An untitled note's first line (what it is listed as).
    first_line: str = ""

    @property
    def heading(self) -> str:
        """What the note is listed as: its title, else its first line, else its kind."""
        return self.title or self.first_line or self.kind.label


@dataclass(frozen=True, slots=True)
class NoteFilter:
    """Which notes a list shows (None: any)."""

    account_id: int | None = None
    kind: NoteKind | None = None
    since: date | None = None
    until: date | None = None
    tag: Tag | None = None


# --------------------------------------------------------------------------- reading


def note_detail(store: Store, note_id: int) -> NoteDetail:
    """One note for the editor."""
    with store.read() as session:
        note = session.get(Note, note_id)
        if note is None:
            raise NotFoundError("That note no longer exists.")
        account = session.get(Account, note.account_id)
        rows = session.execute(
            select(
                NoteAttendee.contact_id, NoteAttendee.email, Contact.first_name, Contact.last_name
            )
            .outerjoin(Contact, Contact.id == NoteAttendee.contact_id)
            .where(NoteAttendee.note_id == note_id)
            .order_by(NoteAttendee.id)
        ).all()
        attendees = tuple(
            Attendee(contact_id, _person(first, last) if last else (email or "?"), email)
            for contact_id, email, first, last in rows
        )
        actions = session.scalars(
            select(ActionItem)
            .where(ActionItem.note_id == note_id, ActionItem.archived_at.is_(None))
            .order_by(ActionItem.id)
        ).all()
        return NoteDetail(
            catalog.NOTE.to_record(note),
            account.name if account else "",
            attendees,
            tuple(catalog.ACTION_ITEM.to_record(a) for a in actions),
            _people(session, note.account_id),
        )


def account_name(store: Store, account_id: int) -> str:
    """An account's name (for a window title)."""
    with store.read() as session:
        account = session.get(Account, account_id)
        if account is None:
            raise NotFoundError("That account no longer exists.")
        return account.name


def account_people(store: Store, account_id: int) -> tuple[tuple[int, str], ...]:
    """(contact id, name) of an account's live contacts, by name: who can attend a meeting."""
    with store.read() as session:
        return _people(session, account_id)


def _people(session: Session, account_id: int) -> tuple[tuple[int, str], ...]:
    rows = session.execute(
        select(Contact.id, Contact.first_name, Contact.last_name).where(
            Contact.account_id == account_id, Contact.archived_at.is_(None)
        )
    ).all()
    return tuple(sorted(((i, _person(f, last)) for i, f, last in rows), key=lambda p: p[1]))


def list_notes(
    store: Store, where: NoteFilter, *, limit: int = PAGE, offset: int = 0
) -> list[NoteRow]:
    """Notes newest first, filtered; a page at a time."""
    query = (
        select(
            Note.id,
            Note.account_id,
            Account.name,
            Note.kind,
            Note.occurred_at,
            Note.title,
            func.substr(Note.body, 1, _PREVIEW),
        )
        .join(Account, Account.id == Note.account_id)
        .where(Note.archived_at.is_(None))
    )
    if where.account_id is not None:
        query = query.where(Note.account_id == where.account_id)
    if where.kind is not None:
        query = query.where(Note.kind == where.kind)
    if where.since is not None:
        query = query.where(Note.occurred_at >= _local_midnight(where.since))
    if where.until is not None:
        query = query.where(Note.occurred_at < _local_midnight(where.until + timedelta(days=1)))
    if where.tag is not None:
        # "#risk" as a whole tag ("#risky" is not it), in any case, as the note parser reads it
        body, tag = func.lower(Note.body), f"#{where.tag.value}"
        query = query.where(body.op("GLOB")(f"*{tag}[^a-z0-9_]*") | body.op("GLOB")(f"*{tag}"))
    query = query.order_by(Note.occurred_at.desc(), Note.id.desc()).limit(limit).offset(offset)
    with store.read() as session:
        return [
            NoteRow(
                i, a, name, kind, when, title, _preview(body or ""), title_from_text(body or "")
            )
            for i, a, name, kind, when, title, body in session.execute(query)
        ]


# --------------------------------------------------------------------------- writing


def create_note(
    store: Store,
    values: Mapping[str, object],
    attendee_ids: Sequence[int] = (),
    *,
    message_id: str | None = None,
) -> NoteRecord:
    """A new note (``values`` as catalog.NOTE's rules take them), recorded as it is saved.

    Args:
        message_id: an e-mail note's Message-ID (unique: the same mail twice is refused).
    """
    checked = catalog.NOTE.check(values, creating=True)
    if checked.get("body") is None:
        checked["body"] = ""
    if message_id is not None:
        checked["message_id"] = message_id[:400]
    with store.write() as session:
        if session.get(Account, checked["account_id"]) is None:
            raise ValidationError("That account no longer exists.", "account_id")
        note = Note(**checked)
        session.add(note)
        session.flush()
        _record(session, note, attendee_ids)
        return catalog.NOTE.to_record(note)


def save_note(
    store: Store,
    note_id: int,
    changes: Mapping[str, object],
    base_version: int | None,
    attendee_ids: Sequence[int] | None = None,
) -> NoteRecord:
    """Save an edit of a note.

    Args:
        changes: the fields that changed (catalog.NOTE's rules).
        base_version: the version the editor loaded; another one raises :class:`NoteConflict`
            and writes nothing.
        attendee_ids: the contacts who attended (None: unchanged).
    """
    checked = catalog.NOTE.check(changes, creating=False)
    with store.write() as session:
        note = session.get(Note, note_id)
        if note is None:
            raise NotFoundError("That note no longer exists; its text is still in the editor.")
        if base_version is not None and note.version != base_version:
            raise NoteConflict(catalog.NOTE.to_record(note))
        previous_body = note.body
        if "body" in checked and checked["body"] is None:
            checked["body"] = ""  # an emptied note is an empty text, not a missing one
        for name, value in checked.items():
            if getattr(note, name) != value:
                setattr(note, name, value)
        session.flush()
        _record(session, note, attendee_ids, previous_body)
        return catalog.NOTE.to_record(note)


def set_action_done(store: Store, item_id: int, done: bool) -> ActionItemRecord:
    """Tick or untick an action item, and its ``- [ ]`` line in the note it came from."""
    with store.write() as session:
        item = session.get(ActionItem, item_id)
        if item is None:
            raise NotFoundError("That action item no longer exists.")
        mark_action(session, item, done)
        session.flush()
        return catalog.ACTION_ITEM.to_record(item)


def mark_action(session: Session, item: ActionItem, done: bool) -> None:
    """Tick or untick ``item`` and its line in its note, in the caller's unit of work."""
    status = ActionItemStatus.DONE if done else ActionItemStatus.OPEN
    if item.status != status:
        item.status = status
        item.done_at = utcnow() if done else None
    _rewrite_note(session, item, lambda body: note_text.set_done(body, item.text, done))


def reschedule_action(session: Session, item: ActionItem, due: date) -> None:
    """Give ``item`` a new due date and its line in its note the same ``due:``, in the
    caller's unit of work."""
    if item.due_date != due:
        item.due_date = due
    _rewrite_note(session, item, lambda body: note_text.set_due(body, item.text, due))


def _rewrite_note(session: Session, item: ActionItem, rewrite: Callable[[str], str]) -> None:
    """The note ``item`` came from, its body rewritten (unchanged: left alone)."""
    if item.note_id is None:
        return
    note = session.get(Note, item.note_id)
    if note is not None:
        body = rewrite(note.body)
        if body != note.body:
            note.body = body


# --------------------------------------------------------------------------- what a save records


def _record(
    session: Session, note: Note, attendee_ids: Sequence[int] | None, previous_body: str = ""
) -> None:
    """Everything a saved note asks to be recorded, in the note's unit of work.

    Args:
        previous_body: the text before this save (what the note's records were made from).
    """
    if attendee_ids is not None:
        _set_attendees(session, note, attendee_ids)
    structure, previous = note_text.parse(note.body), note_text.parse(previous_body)
    for reconcile in _RECONCILERS:
        reconcile(session, note, structure, previous)
    attended = [
        contact_id
        for contact_id in session.scalars(
            select(NoteAttendee.contact_id).where(NoteAttendee.note_id == note.id)
        )
        if contact_id is not None
    ]
    if note.archived_at is None:
        advance_timestamps(
            session, "contact", "last_contacted_at", dict.fromkeys(attended, note.occurred_at)
        )
        catalog.touch_account(session, note.account_id)


def _set_attendees(session: Session, note: Note, contact_ids: Sequence[int]) -> None:
    wanted = list(dict.fromkeys(contact_ids))
    found = session.execute(
        select(Contact.id, Contact.email).where(
            Contact.id.in_(wanted), Contact.account_id == note.account_id
        )
    ).all()
    emails: dict[int, str | None] = {contact_id: email for contact_id, email in found}
    missing = [i for i in wanted if i not in emails]
    if missing:
        raise ValidationError("An attendee is not a contact of this account.", "attendees")
    session.execute(delete(NoteAttendee).where(NoteAttendee.note_id == note.id))
    session.add_all(NoteAttendee(note_id=note.id, contact_id=i, email=emails[i]) for i in wanted)


@dataclass(frozen=True)
class _Derived:
    """One kind of record a note line makes: how to find, make and update it.

    A record is the note's to change while it still reads as the note last wrote it (its
    line was in the previous text, with the same owner and due date). Once someone changes
    it elsewhere, or archives it, it is theirs: the note ticks it, nothing more.
    """

    model: type[Record]
    text_field: str
    make: Callable[[Note, Any], dict[str, object]]
    lines: Callable[[NoteStructure], Sequence[Any]]
    update: Callable[[Any, Any, bool], None] | None = None
    #: Whether a record still holds what a line of the previous text set (None: always).
    unchanged: Callable[[Any, Any], bool] | None = None

    def __call__(
        self, session: Session, note: Note, structure: NoteStructure, previous: NoteStructure
    ) -> None:
        model: Any = self.model
        rows = session.scalars(
            select(model).where(model.note_id == note.id).order_by(model.archived_at.is_(None))
        ).all()
        by_key = {text_key(getattr(row, self.text_field)): row for row in rows}  # live wins
        before = {self._key(note, line): line for line in self.lines(previous)}
        seen: set[str] = set()
        for line in self.lines(structure):
            values = self.make(note, line)
            key = text_key(str(values[self.text_field]))
            if key in seen:
                continue
            seen.add(key)
            row = by_key.get(key)
            if row is None:
                session.add(model(**values))
            elif row.archived_at is not None:
                if key not in before:  # the note archived it when its line went: back it comes
                    row.archived_at = None
                    if self.update is not None:
                        self.update(row, line, True)
            elif self.update is not None:
                self.update(row, line, self._ours(row, before.get(key)))
        for key, row in by_key.items():
            if key not in seen and row.archived_at is None and self._ours(row, before.get(key)):
                row.archived_at = utcnow()  # its line went away, and nobody else touched it

    def _key(self, note: Note, line: Any) -> str:
        return text_key(str(self.make(note, line)[self.text_field]))

    def _ours(self, row: Any, previous_line: Any) -> bool:
        if previous_line is None:
            return False
        return self.unchanged is None or self.unchanged(row, previous_line)


def _action_values(note: Note, line: note_text.ActionLine) -> dict[str, object]:
    return {
        "account_id": note.account_id,
        "note_id": note.id,
        "text": line.text[:2000],
        "owner": line.owner[:100] if line.owner else None,
        "due_date": line.due,
        "status": ActionItemStatus.DONE if line.done else ActionItemStatus.OPEN,
        "done_at": utcnow() if line.done else None,
    }


def _action_unchanged(row: ActionItem, line: note_text.ActionLine) -> bool:
    owner = line.owner[:100] if line.owner else None
    return row.owner == owner and row.due_date == line.due


def _update_action(row: ActionItem, line: note_text.ActionLine, ours: bool) -> None:
    """Owner and due date follow the line while the item is the note's; ticking always does."""
    owner = line.owner[:100] if line.owner else None
    status = ActionItemStatus.DONE if line.done else ActionItemStatus.OPEN
    if ours and row.owner != owner:
        row.owner = owner
    if ours and row.due_date != line.due:
        row.due_date = line.due
    if row.status != status:
        row.status = status
        row.done_at = utcnow() if line.done else None


def _tagged(tag: Tag) -> Callable[[NoteStructure], Sequence[note_text.TaggedLine]]:
    return lambda structure: [line for line in structure.tagged if line.tag is tag]


_RECONCILERS: tuple[_Derived, ...] = (
    _Derived(
        ActionItem,
        "text",
        _action_values,
        lambda s: s.actions,
        _update_action,
        _action_unchanged,
    ),
    _Derived(
        AccountRisk,
        "description",
        lambda note, line: {
            "account_id": note.account_id,
            "note_id": note.id,
            "description": line.text[:10_000],
        },
        _tagged(Tag.RISK),
    ),
    _Derived(
        Opportunity,
        "name",
        lambda note, line: {
            "account_id": note.account_id,
            "note_id": note.id,
            "name": line.text[:200],
        },
        _tagged(Tag.EXPANSION),
    ),
    _Derived(
        ProductFeedback,
        "text",
        lambda note, line: {
            "account_id": note.account_id,
            "note_id": note.id,
            "text": line.text[:10_000],
        },
        _tagged(Tag.FEEDBACK),
    ),
)


# --------------------------------------------------------------------------- helpers


def _person(first: str | None, last: str) -> str:
    return f"{first} {last}" if first else last


def _preview(body: str) -> str:
    return elide_words(body, _PREVIEW)


def _local_midnight(day: date) -> datetime:
    """The start of a day on the user's calendar, in UTC (as timestamps are stored)."""
    return datetime.combine(day, time()).astimezone(UTC)
