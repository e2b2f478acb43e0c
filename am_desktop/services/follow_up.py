"""Draft a follow-up e-mail from a note: an unsent .eml in the user's folder (issue 19).

The window opens the file with the system's mail handler; the note remembers when it was
drafted (``note.follow_up_at``), which the editor shows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from am_desktop.db.location import make_private_dir, user_data_dir
from am_desktop.db.models import Account, ActionItem, Contact, Note, NoteAttendee
from am_desktop.domain.enums import ActionItemStatus
from am_desktop.domain.follow_up import (
    FollowUpItem,
    FollowUpNote,
    draft_message,
    file_name,
    recipients_of,
)
from am_desktop.domain.records import NoteRecord
from am_desktop.errors import NotFoundError
from am_desktop.services import catalog
from am_desktop.services.store import Store

#: The folder under the user data folder the drafts are written to.
FOLDER_NAME = "follow-ups"


@dataclass(frozen=True, slots=True)
class FollowUpDraft:
    """A draft written: its file, and the note with its ``follow_up_at`` set."""

    path: Path
    note: NoteRecord
    #: How many attendees had an address (0: the To line is empty, for the user to fill).
    recipients: int


def follow_up_folder() -> Path:
    """Where drafts go: a private folder in the user's data folder."""
    return user_data_dir() / FOLDER_NAME


def draft_follow_up(
    store: Store,
    note_id: int,
    *,
    folder: Path | None = None,
    sender: str | None = None,
    now: datetime | None = None,
) -> FollowUpDraft:
    """Write the follow-up .eml of a note and mark the note as followed up.

    Args:
        folder: where the file goes (default :func:`follow_up_folder`).
        sender: the From address (the AM's own; None leaves it to the mail client).
        now: when it is drafted (tests).
    """
    target = folder or follow_up_folder()
    with store.read() as session:
        note = session.get(Note, note_id)
        if note is None:
            raise NotFoundError("That note no longer exists.")
        account = session.get(Account, note.account_id)
        people = session.execute(
            select(NoteAttendee.email, Contact.first_name, Contact.last_name, Contact.email)
            .outerjoin(Contact, Contact.id == NoteAttendee.contact_id)
            .where(NoteAttendee.note_id == note_id)
            .order_by(NoteAttendee.id)
        ).all()
        items = session.scalars(
            select(ActionItem)
            .where(ActionItem.note_id == note_id, ActionItem.archived_at.is_(None))
            .order_by(ActionItem.due_date.is_(None), ActionItem.due_date, ActionItem.id)
        ).all()
        content = FollowUpNote(
            title=note.title or note.kind.label,
            account=account.name if account else "",
            occurred_at=note.occurred_at,
            body=note.body,
            recipients=recipients_of(
                [
                    (f"{first} {last}" if first else (last or ""), contact_email or email)
                    for email, first, last, contact_email in people
                ]
            ),
            items=tuple(
                FollowUpItem(i.text, i.owner, i.due_date, i.status is ActionItemStatus.DONE)
                for i in items
            ),
        )
    make_private_dir(target)
    path = _unused(target / file_name(content))
    message = draft_message(content, sender)
    path.write_bytes(message.as_bytes(policy=message.policy.clone(linesep="\r\n")))
    with store.write() as session:
        row = session.get(Note, note_id)
        if row is None:
            path.unlink(missing_ok=True)
            raise NotFoundError("That note no longer exists.")
        row.follow_up_at = now or datetime.now(UTC)
        session.flush()
        record = catalog.NOTE.to_record(row)
    return FollowUpDraft(path, record, len(content.recipients))


def _unused(path: Path) -> Path:
    """``path``, or "name (2).eml" and so on when a draft of that name exists."""
    candidate, number = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} ({number}){path.suffix}")
        number += 1
    return candidate
