"""An .ics file's lines, before the calendar library reads it (issue 19).

One pass over the content lines (RFC 5545) does three jobs:

- names the first malformed line, which the library would forgive silently (a date that is no
  date is kept as text; a line that is no property is dropped);
- keeps only what the import uses for the library to parse: the VTIMEZONEs and, of each
  VEVENT, its times, recurrence, title and status. Exports carry much more (descriptions,
  alarms, conference data, a dozen parameters per attendee), and the library's parse costs
  by the property: a year of a busy calendar parses in a third of the time;
- reads each VEVENT's attendees and organizer (address and CN) here instead, in file order.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from am_desktop.domain.addresses import address
from am_desktop.domain.calendar_events import Person, merged

_CONTENT_LINE = re.compile(
    r"""^(?P<name>[A-Za-z0-9-]+)
        (?P<params>(;[A-Za-z0-9-]+=("[^"]*"|[^";:,]*)(,("[^"]*"|[^";:,]*))*)*)
        :""",
    re.VERBOSE,
)
_PARAMETER = re.compile(r';([A-Za-z0-9-]+)=("[^"]*"|[^";:,]*)')
_DATE_PROPERTIES = frozenset({"DTSTART", "DTEND", "RECURRENCE-ID", "EXDATE", "RDATE", "DUE"})
_DATE_VALUE = re.compile(r"^\d{8}(T\d{6}Z?)?$")
#: What the import reads of an event (the library is given these and nothing else). Not its
#: end: a meeting is planned at its start, and an end would only cost parsing.
_KEPT_IN_EVENT = frozenset(
    {"UID", "DTSTART", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "SUMMARY"}
)  # fmt: skip
_PEOPLE = frozenset({"ATTENDEE", "ORGANIZER"})


@dataclass(frozen=True, slots=True)
class LineProblem:
    """What is wrong in a calendar file, and on which line (1-based, as an editor counts)."""

    line: int
    reason: str

    def sentence(self, file_name: str) -> str:
        """The problem in one sentence for the user."""
        return (
            f"{file_name} is not a calendar file that can be read: line {self.line} "
            f"{self.reason}. Export the calendar again, or fix that line."
        )


@dataclass(frozen=True, slots=True)
class EventPeople:
    """Who an event names: attendees and organizer, once each by address.

    ``lists_attendees`` is False for an event without ATTENDEE lines: an edited occurrence
    like that keeps the series' attendees.
    """

    people: tuple[Person, ...]
    lists_attendees: bool


@dataclass(frozen=True, slots=True)
class Trimmed:
    """A checked calendar text, trimmed to what the import reads.

    Attributes:
        text: the VCALENDAR with its VTIMEZONEs and trimmed VEVENTs (CRLF line ends).
        people: each VEVENT's attendees and organizer, in the file's order of VEVENTs.
    """

    text: str
    people: tuple[EventPeople, ...]


def trim(text: str) -> Trimmed | LineProblem:
    """Check an iCalendar text and trim it, or the first line that cannot be read.

    Folded lines (starting with a space or tab) continue the line before; a problem is
    reported at the line where its property starts.
    """
    logical = _unfolded(text)
    if not logical or logical[0][1].strip().upper() != "BEGIN:VCALENDAR":
        return LineProblem(1, "should be BEGIN:VCALENDAR")
    scan = _Scan()
    for number, line in logical:
        reason = scan.take(line)
        if reason is not None:
            return LineProblem(number, reason)
    if scan.stack:
        return LineProblem(logical[-1][0], f"is the last line, but END:{scan.stack[-1]} is missing")
    return Trimmed("\r\n".join(scan.kept) + "\r\n", tuple(scan.people))


class _Scan:
    """The components a line is in, the lines kept, and the people of the events so far."""

    def __init__(self) -> None:
        self.stack: list[str] = []
        self.kept: list[str] = []
        self.people: list[EventPeople] = []
        self._event: list[Person] = []
        self._lists_attendees = False

    def take(self, line: str) -> str | None:
        """Read one content line; what is wrong with it, or None."""
        match = _CONTENT_LINE.match(line)
        if match is None:
            return f"is not a calendar line (“{_shown(line)}”)"
        name, value = match["name"].upper(), line[match.end() :]
        if name == "BEGIN":
            self.stack.append(value.strip().upper())
            if self.stack == ["VCALENDAR", "VEVENT"]:
                self._event, self._lists_attendees = [], False
        elif name == "END":
            if not self.stack or self.stack[-1] != value.strip().upper():
                wanted = f"END:{self.stack[-1]}" if self.stack else "nothing"
                return f"ends {value.strip()} where {wanted} was expected"
            if self.stack == ["VCALENDAR", "VEVENT"]:
                self.people.append(EventPeople(merged(self._event), self._lists_attendees))
        elif name in _DATE_PROPERTIES and not _dates_readable(value):
            return f"has a {name} that is not a date (“{_shown(value)}”)"
        elif name in _PEOPLE and self.stack == ["VCALENDAR", "VEVENT"]:
            person = _person(match["params"], value)
            if person is not None:
                self._event.append(person)
                self._lists_attendees = self._lists_attendees or name == "ATTENDEE"
        if _keep(self.stack, name) or (name == "STATUS" and _cancelled(value, self.stack)):
            self.kept.append(line)
        if name == "END":
            self.stack.pop()
        return None


def _unfolded(text: str) -> list[tuple[int, str]]:
    logical: list[tuple[int, str]] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if raw[:1] in (" ", "\t") and logical:
            start, before = logical[-1]
            logical[-1] = (start, before + raw[1:])
        elif raw.strip():
            logical.append((number, raw))
    return logical


def _keep(stack: list[str], name: str) -> bool:
    """Whether the library is given this line (``stack``: the components it is in)."""
    depth = len(stack)
    if depth <= 1:
        return True  # VCALENDAR's own lines (X-WR-TIMEZONE among them) and its BEGIN/END
    if stack[1] == "VTIMEZONE":
        return True
    if stack[1] != "VEVENT":
        return False  # to-dos, journals, free/busy
    if depth == 2:
        return name in _KEPT_IN_EVENT or name in ("BEGIN", "END")
    return False  # an event's alarms


def _cancelled(value: str, stack: list[str]) -> bool:
    """Whether a STATUS line cancels its event (the only status the import reads)."""
    return stack == ["VCALENDAR", "VEVENT"] and value.strip().upper() == "CANCELLED"


def _person(params: str, value: str) -> Person | None:
    email = address(value)
    if email is None:
        return None
    name = ""
    for key, raw in _PARAMETER.findall(params):
        if key.upper() == "CN":
            name = raw.strip().strip('"').strip()
    return Person(email, name)


def _dates_readable(value: str) -> bool:
    return all(_DATE_VALUE.match(part.strip()) for part in value.split(",")) or "/" in value


def _shown(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
