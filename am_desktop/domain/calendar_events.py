"""The calendar import's rules, apart from reading the file (issue 19).

A meeting occurrence becomes a planned note when someone outside the AM's own e-mail domain
attends; the account is the one most outside attendees belong to (by contact, else by their
domain), else an account named in the title. These rules and the check that names a malformed
line are plain functions here, so they are tested without a calendar library or a database.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

#: The longest calendar key stored (note.calendar_key is 400 characters); a longer UID is hashed.
MAX_KEY = 400
#: The longest account name looked for in a title, in words.
MAX_NAME_WORDS = 8

SKIPPED_INTERNAL = "internal only"
SKIPPED_NO_ACCOUNT = "no account found"
SKIPPED_CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class Person:
    """An attendee as the calendar names them: an e-mail address (lower case) and a name."""

    email: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One meeting of a calendar event, as it is to be planned.

    Attributes:
        key: UID + the occurrence's original start (:func:`calendar_key`).
        starts_at: when it starts, in UTC (an all-day one: the local day's midnight).
        people: the attendees and organizer, once each.
        cancelled: STATUS:CANCELLED on the event or on this occurrence.
    """

    key: str
    starts_at: datetime
    title: str
    people: tuple[Person, ...]
    cancelled: bool = False


@dataclass(frozen=True, slots=True)
class UnknownAttendee:
    """An outside attendee who is no contact yet, offered as a new contact."""

    email: str
    name: str
    account_id: int | None
    account_name: str | None


@dataclass(slots=True)
class ImportCounts:
    """What an import did to the planned notes, and what it skipped and why."""

    added: int = 0
    moved: int = 0
    removed: int = 0
    left: int = 0
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    #: The titles (and days) of the occurrences no account was found for, at most 50.
    no_account: list[str] = field(default_factory=list)

    @property
    def changed(self) -> int:
        """How many planned notes were written or deleted."""
        return self.added + self.moved + self.removed


def calendar_key(uid: str, original_start: date | datetime) -> str:
    """The key of one occurrence: its event's UID and its original start.

    A timed start is written in UTC (``20260302T090000Z``), a day as ``20260302``, so the same
    occurrence has the same key whichever zone the file was exported in.
    """
    if isinstance(original_start, datetime):
        stamp = original_start.strftime("%Y%m%dT%H%M%SZ")
    else:
        stamp = original_start.strftime("%Y%m%d")
    if len(uid) + len(stamp) + 1 > MAX_KEY:
        uid = "sha1:" + hashlib.sha1(uid.encode(), usedforsecurity=False).hexdigest()
    return f"{uid}/{stamp}"


def merged(*groups: Iterable[Person]) -> tuple[Person, ...]:
    """Everyone once (by address), in order; a later mention gives a name to a nameless one."""
    by_email: dict[str, Person] = {}
    for group in groups:
        for person in group:
            known = by_email.get(person.email)
            if known is None or (not known.name and person.name):
                by_email[person.email] = person
    return tuple(by_email.values())


def most_voted(votes: Iterable[int]) -> int | None:
    """The account most outside attendees point to (the first named wins a tie)."""
    counted = Counter(votes)
    if not counted:
        return None
    best = max(counted.values())
    return next(account for account, n in counted.items() if n == best)


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


class TitleMatcher:
    """Finds an account's name in a meeting title ("Acme Corp — QBR prep" → Acme Corp).

    Names are compared word by word, ignoring case and punctuation; the longest name found
    wins (so "Acme Corp Ltd" is preferred to "Acme Corp").

    Args:
        names: account id → name.
    """

    def __init__(self, names: Mapping[int, str]) -> None:
        self._by_words: dict[tuple[str, ...], int] = {}
        for account_id, name in names.items():
            words = tuple(_words(name))
            if words and len(words) <= MAX_NAME_WORDS:
                self._by_words.setdefault(words, account_id)

    def find(self, title: str) -> int | None:
        """The account whose name the title holds, or None."""
        words = _words(title)
        for length in range(min(MAX_NAME_WORDS, len(words)), 0, -1):
            for start in range(len(words) - length + 1):
                found = self._by_words.get(tuple(words[start : start + length]))
                if found is not None:
                    return found
        return None
