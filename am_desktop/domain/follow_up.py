"""A follow-up e-mail drafted from a note: the recap text and the message (issue 19).

Plain data in, a standard-library ``EmailMessage`` out, so the service only reads the note
and writes the file. ``X-Unsent: 1`` makes Outlook and Thunderbird open the .eml as a draft
to edit and send, not as a received mail.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from email.utils import formataddr

from am_desktop.domain.formatting import day

#: A ``- [ ]`` / ``- [x]`` line: listed on its own under "Action items", left out of the recap.
_ACTION_LINE = re.compile(r"^\s*[-*+]\s+\[[ xX]\]\s+")
#: Characters a file name cannot hold on Windows, macOS or Linux.
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


@dataclass(frozen=True, slots=True)
class Recipient:
    """Someone the follow-up goes to."""

    name: str
    email: str


@dataclass(frozen=True, slots=True)
class FollowUpItem:
    """An action item as the e-mail lists it."""

    text: str
    owner: str | None
    due: date | None
    done: bool = False


@dataclass(frozen=True, slots=True)
class FollowUpNote:
    """What the e-mail is made of."""

    title: str
    account: str
    occurred_at: datetime
    body: str
    recipients: tuple[Recipient, ...]
    items: tuple[FollowUpItem, ...]


def subject(note: FollowUpNote) -> str:
    """The e-mail's subject: "Follow-up: <title>"."""
    return f"Follow-up: {note.title}"


def recap_text(note: FollowUpNote) -> str:
    """The plain-text body: title, date, the note without its action lines, then the items."""
    when = day(note.occurred_at.astimezone())
    lines = [note.title, when, ""]
    body = [line for line in note.body.splitlines() if not _ACTION_LINE.match(line)]
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    if body:
        lines += [*body, ""]
    if note.items:
        lines.append("Action items:")
        lines += [f"- {_item_line(item)}" for item in note.items]
        lines.append("")
    return "\n".join(lines)


def _item_line(item: FollowUpItem) -> str:
    parts = [item.text]
    if item.owner:
        parts.append(f"owner: {item.owner}")
    if item.due:
        parts.append(f"due {day(item.due)}")
    if item.done:
        parts.append("done")
    return " — ".join(parts)


def draft_message(note: FollowUpNote, sender: str | None = None) -> EmailMessage:
    """The unsent message to the note's attendees."""
    message = EmailMessage()
    if sender:
        message["From"] = sender
    if note.recipients:
        message["To"] = ", ".join(formataddr((r.name, r.email)) for r in note.recipients)
    message["Subject"] = subject(note)
    message["X-Unsent"] = "1"
    message.set_content(recap_text(note))
    return message


def file_name(note: FollowUpNote) -> str:
    """A file name that says what the draft is: "2026-12-03 Follow-up Acme QBR.eml"."""
    title = _UNSAFE.sub(" ", note.title).strip(" .")[:80] or "note"
    return f"{note.occurred_at.astimezone():%Y-%m-%d} Follow-up {title}.eml"


def recipients_of(pairs: Sequence[tuple[str, str | None]]) -> tuple[Recipient, ...]:
    """Those with an address, each address once, in the order given."""
    seen: set[str] = set()
    found: list[Recipient] = []
    for name, email in pairs:
        if email and email.casefold() not in seen:
            seen.add(email.casefold())
            found.append(Recipient(name, email))
    return tuple(found)
