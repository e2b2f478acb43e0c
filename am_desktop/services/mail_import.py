"""An .eml file as an e-mail note on the right account (issue 19).

The account is the one of a matched contact (sender first, then recipients), else the one
whose domain is an outside address's; the note's attendees are the matched contacts of that
account (whose last-contacted dates follow, as for a typed note). Mail already imported (by
Message-ID) and internal-only mail are skipped; attachments are named, not stored.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy import select
from sqlalchemy.orm import Session

from am_desktop.db.models import Account, Contact, Note
from am_desktop.domain.addresses import domain_candidates, domain_of, is_internal
from am_desktop.domain.enums import NoteKind
from am_desktop.domain.mail_message import Address, MailError, MailFile, read_mail
from am_desktop.services.capture import CaptureLine, CaptureStatus, read_file
from am_desktop.services.notes import create_note
from am_desktop.services.store import Store


def import_mail_file(store: Store, path: Path, *, my_email: str | None = None) -> CaptureLine:
    """Import one .eml file; the outcome in a sentence (never raises for a bad file)."""
    data = read_file(path)
    if isinstance(data, str):
        return CaptureLine(path.name, CaptureStatus.SKIPPED, data)
    try:
        mail = read_mail(data)
    except MailError as error:
        return CaptureLine(path.name, CaptureStatus.SKIPPED, str(error))
    return import_mail(store, mail, path.name, my_email=my_email, mtime=path.stat().st_mtime)


def import_mail(
    store: Store,
    mail: MailFile,
    source: str,
    *,
    my_email: str | None = None,
    mtime: float | None = None,
) -> CaptureLine:
    """Import a read e-mail as a note (see the module's docstring for the rules)."""
    my_domain = domain_of(my_email) if my_email and "@" in my_email else None
    outside = [a for a in mail.addresses if not (my_domain and is_internal(a.email, my_domain))]
    if not mail.addresses:
        return CaptureLine(source, CaptureStatus.SKIPPED, "It names no sender or recipient.")
    if not outside:
        return CaptureLine(
            source,
            CaptureStatus.SKIPPED,
            f"Internal mail: every address is at {my_domain}, so no account is concerned.",
        )
    with store.read() as session:
        if session.scalar(select(Note.id).where(Note.message_id == mail.message_id)):
            return CaptureLine(source, CaptureStatus.SKIPPED, "Already imported (same Message-ID).")
        contacts = {
            email: (contact_id, account_id)
            for contact_id, account_id, email in session.execute(
                select(Contact.id, Contact.account_id, Contact.email).where(
                    Contact.email.in_([a.email for a in outside]),
                    Contact.archived_at.is_(None),
                )
            )
        }
        account_id = _account_by_contact(outside, contacts) or _account_by_domain(session, outside)
        if account_id is None:
            domains = ", ".join(dict.fromkeys(a.domain for a in outside))
            return CaptureLine(
                source,
                CaptureStatus.SKIPPED,
                f"No contact or account matches its addresses ({domains}).",
            )
        account = session.get(Account, account_id)
        account_name = account.name if account else ""
    attendees = [cid for cid, aid in contacts.values() if aid == account_id]
    when = mail.sent_at or _file_time(mtime)
    values = {
        "account_id": account_id,
        "kind": NoteKind.EMAIL,
        "occurred_at": when,
        "title": (mail.subject or "(no subject)")[:200],
        "body": note_body(mail),
    }
    try:
        note = create_note(store, values, attendees, message_id=mail.message_id)
    except sa_exc.IntegrityError:  # the same mail, imported meanwhile by another window
        return CaptureLine(source, CaptureStatus.SKIPPED, "Already imported (same Message-ID).")
    said = " ".join(mail.notes)
    return CaptureLine(
        source,
        CaptureStatus.ADDED,
        f"E-mail note added to {account_name}." + (f" {said}" if said else ""),
        account_id,
        note.id,
    )


def note_body(mail: MailFile) -> str:
    """The note's text: who wrote to whom, the mail's text, and its attachments by name."""
    lines = []
    if mail.sender:
        lines.append(f"From: {mail.sender.shown()}")
    if mail.recipients:
        lines.append(f"To: {', '.join(a.shown() for a in mail.recipients)}")
    if mail.attachments:
        lines.append(f"Attachments (not stored): {', '.join(mail.attachments)}")
    return "\n".join(lines) + ("\n\n" if lines else "") + mail.text


def _account_by_contact(outside: list[Address], contacts: dict[str, tuple[int, int]]) -> int | None:
    """The account of the first outside address that is a contact's (the sender first)."""
    for address in outside:
        if address.email in contacts:
            return contacts[address.email][1]
    return None


def _account_by_domain(session: Session, outside: list[Address]) -> int | None:
    """The account whose domain is an outside address's, or a parent domain of it."""
    for address in outside:
        candidates = domain_candidates(address.domain)
        found = session.scalar(
            select(Account.id).where(Account.domain.in_(candidates), Account.archived_at.is_(None))
        )
        if found is not None:
            return int(found)
    return None


def _file_time(mtime: float | None) -> datetime:
    """When a mail without a readable Date was saved (else now)."""
    return datetime.fromtimestamp(mtime, UTC) if mtime is not None else datetime.now(UTC)
