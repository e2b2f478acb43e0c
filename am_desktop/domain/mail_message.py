"""An .eml file read into what an e-mail note needs (issue 19), with the standard library.

Mail in the wild is often malformed: charsets undeclared or misnamed, MIME boundaries
missing, headers with raw 8-bit bytes. Nothing here raises for that; the text is decoded as
well as it can be and each repair is named in a sentence (``MailFile.notes``). Only a file
with no headers at all is refused (:class:`MailError`).
"""

from __future__ import annotations

import email
import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime

from am_desktop.domain.values import parse_email

#: The charsets tried, in order, for text whose charset is missing or unknown: UTF-8 fails
#: loudly on other encodings; Windows-1252 is what an undeclared 8-bit Western mail is.
_FALLBACK_CHARSETS = ("utf-8", "cp1252")
_SPACES = re.compile(r"[ \t]+\n")
_TAGS = re.compile(r"<[^>]+>")
_BLANK_LINES = re.compile(r"\n{3,}")


class MailError(ValueError):
    """The file is not an e-mail; the message says why in a sentence."""


@dataclass(frozen=True, slots=True)
class Address:
    """A name and a lower-cased address."""

    name: str
    email: str

    @property
    def domain(self) -> str:
        """The part after the @."""
        return self.email.rpartition("@")[2]

    def shown(self) -> str:
        """As a header shows it: "Ann Lee <ann@acme.com>"."""
        return f"{self.name} <{self.email}>" if self.name else self.email


@dataclass(frozen=True, slots=True)
class MailFile:
    """What an e-mail note is made of.

    Attributes:
        message_id: the Message-ID, else a digest of the file (the same file twice is one).
        sent_at: the Date header in UTC (None: missing or unreadable).
        recipients: To and Cc.
        attachments: the attached files' names (not their content).
        notes: sentences about what was repaired while reading.
    """

    message_id: str
    subject: str
    sent_at: datetime | None
    sender: Address | None
    recipients: tuple[Address, ...]
    text: str
    attachments: tuple[str, ...]
    notes: tuple[str, ...] = ()

    @property
    def addresses(self) -> tuple[Address, ...]:
        """Sender, then recipients, each address once."""
        seen: set[str] = set()
        found: list[Address] = []
        for address in (self.sender, *self.recipients):
            if address is not None and address.email not in seen:
                seen.add(address.email)
                found.append(address)
        return tuple(found)


def read_mail(data: bytes) -> MailFile:
    """Parse an .eml file's bytes.

    Raises:
        MailError: the bytes hold no e-mail headers at all.
    """
    message = email.message_from_bytes(data, policy=policy.default)
    if not isinstance(message, EmailMessage) or not any(
        message.get(name) for name in ("From", "To", "Subject", "Message-ID", "Date")
    ):
        raise MailError("It has no From, To, Subject or Date header, so it is not an e-mail.")
    notes: list[str] = []
    if message.defects:
        notes.append("Its MIME structure is damaged; the readable parts were kept.")
    sender = _addresses(message, "From", notes)
    text, attachments = _body(message, notes)
    message_id = _header(message, "Message-ID").strip()
    return MailFile(
        message_id=message_id or f"<sha256-{hashlib.sha256(data).hexdigest()}@am-desktop>",
        subject=" ".join(_header(message, "Subject", notes).split()),
        sent_at=_sent_at(message),
        sender=sender[0] if sender else None,
        recipients=(*_addresses(message, "To", notes), *_addresses(message, "Cc", notes)),
        text=text,
        attachments=tuple(attachments),
        notes=tuple(dict.fromkeys(notes)),
    )


def _header(message: Message, name: str, notes: list[str] | None = None) -> str:
    """A header's text. Raw 8-bit bytes (no declared charset) are read as UTF-8, else as
    Windows-1252; a broken encoded-word stays as written."""
    raw = next((v for k, v in message.raw_items() if k.lower() == name.lower()), None)
    if raw is None:
        return ""
    if any("\udc80" <= char <= "\udcff" for char in str(raw)):  # undecodable bytes
        data = str(raw).encode("utf-8", "surrogateescape")
        if notes is not None:
            notes.append("A header has characters in an undeclared character set.")
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")
    try:
        return str(message.get(name) or "")
    except (ValueError, LookupError, IndexError, TypeError):
        return str(raw)


def _addresses(message: Message, name: str, notes: list[str]) -> list[Address]:
    found: list[Address] = []
    for display, raw in getaddresses([_header(message, name, notes)]):
        try:
            address = parse_email(raw)
        except ValueError:
            continue  # "undisclosed-recipients:;" and the like
        found.append(Address(" ".join(display.split()), address))
    return found


def _sent_at(message: Message) -> datetime | None:
    try:
        sent = parsedate_to_datetime(_header(message, "Date"))
    except (TypeError, ValueError, IndexError):
        return None
    return (sent if sent.tzinfo else sent.replace(tzinfo=UTC)).astimezone(UTC)


def _body(message: EmailMessage, notes: list[str]) -> tuple[str, list[str]]:
    """The plain text (else the HTML without its tags) and the attachments' names."""
    plain: list[str] = []
    html: list[str] = []
    attachments: list[str] = []
    for part in message.walk():
        if part.is_multipart():
            continue
        name = part.get_filename()
        if name or part.get_content_disposition() == "attachment":
            attachments.append(name or "(an unnamed attachment)")
            continue
        kind = part.get_content_type()
        if kind == "text/plain":
            plain.append(_text(part, notes))
        elif kind == "text/html":
            html.append(_TAGS.sub("", _text(part, notes)))
    text = "\n\n".join(t for t in plain if t.strip()) or "\n\n".join(h for h in html if h.strip())
    text = _BLANK_LINES.sub("\n\n", _SPACES.sub("\n", text.replace("\r\n", "\n"))).strip()
    return text, attachments


def _text(part: Message, notes: list[str]) -> str:
    """A text part decoded by its charset, else by the fallbacks (saying so)."""
    payload = part.get_payload(decode=True)
    raw = payload if isinstance(payload, bytes) else b""
    declared = part.get_content_charset()
    if declared:
        try:
            return raw.decode(declared)
        except LookupError:
            notes.append(f"Its text declares an unknown character set ({declared}).")
        except UnicodeDecodeError:
            notes.append(f"Its text is not valid {declared}.")
    for charset in _FALLBACK_CHARSETS:
        try:
            text = raw.decode(charset)
        except UnicodeDecodeError:
            continue
        if not declared and charset != "utf-8":
            notes.append("Its text has no declared character set; it was read as Windows-1252.")
        return text
    notes.append("Some characters of its text could not be read and were replaced.")
    return raw.decode("utf-8", errors="replace")
