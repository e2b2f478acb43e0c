"""Contacts from vCard (.vcf) files, with the ``vobject`` library (issue 19).

A card matches a contact by e-mail address: the match's empty fields are filled from the
card (nothing the AM typed is overwritten). A card matching no contact becomes a new contact
on the account whose domain is its address's; a card with no address, or none whose domain
is an account's, is listed as skipped with why.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import vobject
from sqlalchemy import select
from sqlalchemy.orm import Session

from am_desktop.db.models import Account, Contact
from am_desktop.domain.addresses import domain_candidates, domain_of
from am_desktop.domain.values import parse_email, parse_phone
from am_desktop.services.capture import CaptureLine, CaptureStatus, read_file
from am_desktop.services.store import Store

_LINE_PREFIX = re.compile(r"^At line \d+:\s*")


@dataclass(frozen=True, slots=True)
class Card:
    """What a vCard says about a person."""

    name: str
    first_name: str | None
    last_name: str
    emails: tuple[str, ...]
    phone: str | None
    title: str | None


def read_cards(data: bytes) -> tuple[list[Card], str | None]:
    """The cards of a file, and why reading stopped early (None: it did not)."""
    text = _decode(data)
    cards: list[Card] = []
    try:
        for component in vobject.readComponents(text):
            if component.name.upper() == "VCARD":
                cards.append(_card(component))
    except (vobject.base.ParseError, ValueError, AttributeError, IndexError) as error:
        return (
            cards,
            f"The rest of the file is not a readable vCard ({_LINE_PREFIX.sub('', str(error))}).",
        )
    return cards, None


def import_card_file(store: Store, path: Path) -> list[CaptureLine]:
    """Import every card of a .vcf file; one outcome a card (never raises for a bad file)."""
    data = read_file(path)
    if isinstance(data, str):
        return [CaptureLine(path.name, CaptureStatus.SKIPPED, data)]
    cards, problem = read_cards(data)
    lines = [import_card(store, card, f"{path.name}: {card.name}") for card in cards]
    if problem or not cards:
        lines.append(
            CaptureLine(path.name, CaptureStatus.SKIPPED, problem or "It holds no contact card.")
        )
    return lines


def import_card(store: Store, card: Card, source: str) -> CaptureLine:
    """Update the contact the card matches by e-mail, else add it to the account of its domain."""
    if not card.emails:
        return CaptureLine(
            source, CaptureStatus.SKIPPED, "It has no e-mail address to match it by."
        )
    with store.write() as session:
        match = session.scalars(
            select(Contact)
            .where(Contact.email.in_(card.emails), Contact.archived_at.is_(None))
            .order_by(Contact.id)
        ).first()
        if match is not None:
            filled = _fill_empty(match, card)
            session.flush()
            status = CaptureStatus.UPDATED if filled else CaptureStatus.UNCHANGED
            said = f"filled in {', '.join(filled)}" if filled else "nothing new on the card"
            return CaptureLine(
                source,
                status,
                f"Matches the contact {_name(match)} ({said}).",
                match.account_id,
                match.id,
            )
        account = _account_by_domain(session, card.emails)
        if account is None:
            domains = ", ".join(dict.fromkeys(e.rpartition("@")[2] for e in card.emails))
            return CaptureLine(
                source,
                CaptureStatus.SKIPPED,
                f"No account has the domain of its address ({domains}); add the account first.",
            )
        contact = Contact(
            account_id=account.id,
            first_name=card.first_name,
            last_name=card.last_name,
            email=card.emails[0],
            phone=card.phone,
            title=card.title,
        )
        session.add(contact)
        session.flush()
        return CaptureLine(
            source,
            CaptureStatus.ADDED,
            f"New contact at {account.name}.",
            account.id,
            contact.id,
        )


def _fill_empty(contact: Contact, card: Card) -> list[str]:
    """Set the contact's empty fields from the card; the names of those filled."""
    filled: list[str] = []
    for field, label, value in (
        ("first_name", "first name", card.first_name),
        ("phone", "phone", card.phone),
        ("title", "title", card.title),
    ):
        if value and not getattr(contact, field):
            setattr(contact, field, value)
            filled.append(label)
    return filled


def _account_by_domain(session: Session, emails: tuple[str, ...]) -> Account | None:
    for email in emails:
        candidates = domain_candidates(domain_of(email))
        account = session.scalars(
            select(Account).where(Account.domain.in_(candidates), Account.archived_at.is_(None))
        ).first()
        if account is not None:
            return account
    return None


def _card(component: Any) -> Card:
    """A vobject component as plain data; values a contact cannot hold are left out."""
    contents: dict[str, list[Any]] = component.contents
    full = _first_text(contents, "fn")
    given = family = None
    if "n" in contents:
        name = contents["n"][0].value
        given = _joined(getattr(name, "given", "")) or None
        family = _joined(getattr(name, "family", "")) or None
    emails: list[str] = []
    for line in contents.get("email", []):
        try:
            emails.append(parse_email(str(line.value)))
        except ValueError:
            continue
    if not family:  # "Ann Lee" -> Ann, Lee; "Bob" -> Bob; else the address's name
        words = (full or "").split()
        family = words[-1] if words else (emails[0].partition("@")[0] if emails else "?")
        given = given or (" ".join(words[:-1]) or None)
    phone = None
    if (raw_phone := _first_text(contents, "tel")) is not None:
        try:
            phone = parse_phone(raw_phone)[:50]
        except ValueError:
            phone = None
    title = _first_text(contents, "title")
    shown = full or " ".join(p for p in (given, family) if p)
    return Card(
        shown,
        given[:100] if given else None,
        family[:100],
        tuple(dict.fromkeys(emails)),
        phone,
        title[:200] if title else None,
    )


def _first_text(contents: dict[str, list[Any]], key: str) -> str | None:
    for line in contents.get(key, []):
        text = " ".join(str(line.value).split())
        if text:
            return text
    return None


def _joined(value: object) -> str:
    parts = value if isinstance(value, list) else [value]
    return " ".join(" ".join(str(p).split()) for p in parts if p).strip()


def _name(contact: Contact) -> str:
    return f"{contact.first_name} {contact.last_name}" if contact.first_name else contact.last_name


def _decode(data: bytes) -> str:
    """UTF-8 (a BOM tolerated), else Windows-1252: what phones and Outlook write."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")
