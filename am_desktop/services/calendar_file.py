"""Reading an .ics file into meeting occurrences over a window of days (issue 19).

``icalendar`` parses the file and ``recurring-ical-events`` expands its series (RRULE, RDATE,
EXDATE, moved occurrences) and applies Google's X-WR-TIMEZONE; before that, a line check of
our own names the first malformed line, which the library would forgive silently.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from am_desktop.domain import calendar_events as rules
from am_desktop.domain import ics_lines
from am_desktop.domain.calendar_events import Occurrence, Person
from am_desktop.domain.ics_lines import EventPeople, LineProblem
from am_desktop.errors import ValidationError


@dataclass(frozen=True, slots=True)
class CalendarFile:
    """The occurrences of a file in a window, and the part of the window it speaks for."""

    occurrences: tuple[Occurrence, ...]
    #: From the file's first event to its last (or the window's end when a series repeats):
    #: a planned note there that the file no longer has was cancelled.
    span: tuple[datetime, datetime]


def read_calendar(path: Path, first_day: date, last_day: date) -> CalendarFile:
    """The meeting occurrences of an .ics file from ``first_day`` to ``last_day`` (local days).

    Raises:
        ValidationError: the file cannot be read or is malformed (naming the line).
    """
    occurrences, span = _occurrences(_read(path), path.name, first_day, last_day)
    return CalendarFile(tuple(occurrences), span)


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ValidationError(
            f"The calendar file {path} could not be read ({error.strerror or error}). "
            "Check that it exists and that you may read it."
        ) from error
    return data.decode("utf-8-sig", errors="replace")


def _occurrences(
    text: str, file_name: str, first_day: date, last_day: date
) -> tuple[list[Occurrence], tuple[datetime, datetime]]:
    """The occurrences in the window, and the span of time the file speaks for."""
    import icalendar
    import recurring_ical_events

    trimmed = ics_lines.trim(text)
    if isinstance(trimmed, LineProblem):
        raise ValidationError(trimmed.sentence(file_name))
    try:
        calendar = icalendar.Calendar.from_ical(trimmed.text)
    except ValueError as error:
        raise ValidationError(
            f"{file_name} is not a calendar file that can be read ({_plain(str(error))})."
        ) from error
    events = list(calendar.walk("VEVENT"))
    for event in events:
        for name, message in event.errors:
            line = _line_of(text, name, event.get("UID"))
            raise ValidationError(
                LineProblem(line, f"cannot be read ({_plain(message)})").sentence(file_name)
            )
    window_start, window_end = _local_midnight(first_day), _local_midnight(last_day + timedelta(1))
    try:
        expanded = list(recurring_ical_events.of(calendar).between(window_start, window_end))
    except (ValueError, TypeError) as error:
        raise ValidationError(
            f"{file_name} has a repeating event that cannot be expanded ({_plain(str(error))}). "
            "Export the calendar again."
        ) from error
    people = _People(events, trimmed.people)
    occurrences = [_occurrence(component, people) for component in expanded]
    return occurrences, _span(events, window_start, window_end)


class _People:
    """Who attends an occurrence: its edited event's people, else its series'.

    The lines read them in the file's order of events, which is the order the library walks.
    """

    def __init__(self, events: Sequence[Any], people: Sequence[EventPeople]) -> None:
        self._series: dict[str, EventPeople] = {}
        self._edited: dict[str, EventPeople] = {}
        for event, found in zip(events, people, strict=False):
            uid = _uid(event)
            recurrence = event.get("RECURRENCE-ID")
            if recurrence is None:
                self._series.setdefault(uid, found)
            else:
                self._edited[_key(uid, recurrence.dt)] = found

    def of(self, uid: str, key: str) -> tuple[Person, ...]:
        """The attendees and organizer of the occurrence ``key`` of the event ``uid``."""
        series = self._series.get(uid)
        edited = self._edited.get(key)
        if edited is None:
            return series.people if series else ()
        if edited.lists_attendees or series is None:
            return edited.people
        # An edited occurrence that lists no attendees keeps the series' (issue 19).
        return rules.merged(edited.people, series.people)


def _occurrence(component: Any, people: _People) -> Occurrence:
    uid = _uid(component)
    start = component["DTSTART"].dt
    recurrence = component.get("RECURRENCE-ID")
    key = _key(uid, recurrence.dt if recurrence is not None else start)
    return Occurrence(
        key=key,
        starts_at=_utc(start),
        title=(str(component.get("SUMMARY", "")).strip() or "Meeting")[:200],
        people=people.of(uid, key),
        cancelled=str(component.get("STATUS", "")).upper() == "CANCELLED",
    )


def _uid(component: Any) -> str:
    """The event's UID; a stand-in for a missing one (files written by hand): the title and
    the first start."""
    uid = str(component.get("UID", "")).strip()
    if uid:
        return uid
    return f"no-uid:{component.get('SUMMARY', '')}:{component['DTSTART'].to_ical().decode()}"


def _key(uid: str, original: date | datetime) -> str:
    return rules.calendar_key(uid, _utc(original) if isinstance(original, datetime) else original)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def _utc(moment: date | datetime) -> datetime:
    """A start in UTC: a floating time is the user's local time, a day its local midnight."""
    if not isinstance(moment, datetime):
        return _local_midnight(moment)
    return moment.astimezone(UTC)  # naive (floating) → the local zone, by astimezone's rule


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time()).astimezone(UTC)


def _span(events: Iterable[Any], start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """The part of the window the file speaks for: from its first event's start to its last,
    or to the window's end when a series repeats. A planned note there that the file no longer
    has was cancelled; one outside (another calendar's, an older export's) is left alone."""
    starts = [_utc(event["DTSTART"].dt) for event in events if event.get("DTSTART") is not None]
    if not starts:
        return end, end
    repeats = any(event.get("RRULE") is not None for event in events)
    return max(start, min(starts)), end if repeats else min(end, max(starts) + timedelta(1))


def _line_of(text: str, name: str | None, uid: object) -> int:
    """The line where a property the library could not read starts (its event's, if known)."""
    lines = text.splitlines()
    begin = 0
    if uid is not None:
        for number, line in enumerate(lines):
            if line.upper().startswith("UID") and line.partition(":")[2].strip() == str(uid):
                begin = number
                while begin > 0 and not lines[begin].upper().startswith("BEGIN:VEVENT"):
                    begin -= 1
                break
    if name:
        wanted = name.upper()
        for number in range(begin, len(lines)):
            head = lines[number].split(":", 1)[0].split(";", 1)[0].upper()
            if head == wanted:
                return number + 1
    return begin + 1


def _plain(message: str) -> str:
    return message.strip().rstrip(".")
