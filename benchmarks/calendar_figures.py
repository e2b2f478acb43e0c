"""Calendar import figures (issue 19): a year of a busy calendar on a copy of a seeded database.

    .venv/bin/python -m benchmarks.calendar_figures DB            # prints one JSON line
    .venv/bin/python -m benchmarks.calendar_figures DB --ics OUT  # only write the calendar

The calendar is what a busy account manager's year looks like: 3,000 meetings, a third of them
occurrences of weekly series (20 series of 50 weeks), the rest one-off; most with one to three
customers from seeded accounts (contacts known, or new people at a known domain), a tenth
internal only, a few with a customer named only in the title, some moved and some cancelled.
DB is only read: the import runs on a copy, the first time (all added) and again (nothing
changes), each timed whole (reading, expanding, matching, writing).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

ME = "maya@ourco.example"
WEEKLY_SERIES, WEEKS, ONE_OFF = 20, 50, 2_000


def _customers(db: Path, rng: Random, count: int = 400) -> list[tuple[str, str, list[str]]]:
    """(account name, domain, known contact e-mails) of some seeded accounts with a domain."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        accounts = connection.execute(
            "SELECT id, name, domain FROM account WHERE domain IS NOT NULL AND archived_at IS NULL"
        ).fetchall()
        picked = rng.sample(accounts, min(count, len(accounts)))
        result = []
        for account_id, name, domain in picked:
            emails = [
                row[0]
                for row in connection.execute(
                    "SELECT email FROM contact WHERE account_id = ? AND email IS NOT NULL LIMIT 5",
                    (account_id,),
                )
            ]
            result.append((name, domain, emails))
    return result


def write_busy_calendar(db: Path, out: Path, first: date, seed: int = 19) -> int:
    """Write the year's calendar from ``first`` to ``out``; returns the meetings in it."""
    rng = Random(seed)
    customers = _customers(db, rng)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//am-desktop//bench//EN"]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")

    def attendees(kind: int) -> list[str]:
        _, domain, emails = rng.choice(customers)
        how = "CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;X-NUM-GUESTS=0"
        people = [f"ORGANIZER;CN=Maya Manager:mailto:{ME}", f"ATTENDEE;{how};CN=Maya:mailto:{ME}"]
        if kind == 0:  # internal only
            return [*people, f"ATTENDEE;{how}:mailto:jo@ourco.example"]
        for i in range(rng.randint(1, 3)):
            if emails and i < len(emails) and rng.random() < 0.7:
                people.append(f"ATTENDEE;{how};RSVP=TRUE:mailto:{emails[i]}")
            else:
                new = f"new{i}.{rng.randint(1, 99)}@{domain}"
                people.append(f"ATTENDEE;{how};CN=New Person {i};RSVP=TRUE:mailto:{new}")
        return people

    def event(uid: str, start: datetime, title: str, extra: list[str]) -> None:
        # What Google and Outlook write besides: stamps, a description, a place, an alarm.
        status = next((e for e in extra if e.startswith("STATUS:")), "STATUS:CONFIRMED")
        extra = [e for e in extra if e != status]
        lines.extend(
            ["BEGIN:VEVENT", f"DTSTART;TZID=Europe/Berlin:{start:%Y%m%dT%H%M%S}",
             f"DTEND;TZID=Europe/Berlin:{start + timedelta(minutes=45):%Y%m%dT%H%M%S}",
             f"DTSTAMP:{stamp}", f"UID:{uid}", f"CREATED:{stamp}", f"LAST-MODIFIED:{stamp}",
             "SEQUENCE:0", status, "TRANSP:OPAQUE", f"SUMMARY:{title}",
             "LOCATION:https://meet.example.com/abc-defg-hij",
             "DESCRIPTION:Join with Google Meet: https://meet.example.com/abc-defg-hij\\n\\n",
             " Learn more about Meet at: https://support.example.com/a/users/answer/9282720",
             *extra,
             "BEGIN:VALARM", "ACTION:DISPLAY", "DESCRIPTION:This is an event reminder",
             "TRIGGER:-P0DT0H10M0S", "END:VALARM", "END:VEVENT"]
        )  # fmt: skip

    count = 0
    for series in range(WEEKLY_SERIES):
        start = datetime.combine(first + timedelta(days=series % 5), datetime.min.time())
        start = start.replace(hour=9 + series % 8)
        name = customers[series][0]
        event(f"series-{series}@bench", start, f"{name} weekly sync",
              ["RRULE:FREQ=WEEKLY;COUNT=" + str(WEEKS), *attendees(1)])  # fmt: skip
        count += WEEKS
        moved = start + timedelta(weeks=3)
        event(f"series-{series}@bench", moved + timedelta(hours=2), f"{name} weekly (moved)",
              [f"RECURRENCE-ID;TZID=Europe/Berlin:{moved:%Y%m%dT%H%M%S}"])  # fmt: skip
        cancelled = start + timedelta(weeks=5)
        event(f"series-{series}@bench", cancelled, f"{name} weekly sync",
              [f"RECURRENCE-ID;TZID=Europe/Berlin:{cancelled:%Y%m%dT%H%M%S}",
               "STATUS:CANCELLED"])  # fmt: skip
    for number in range(ONE_OFF):
        day = first + timedelta(days=rng.randrange(365))
        start = datetime.combine(day, datetime.min.time()).replace(hour=rng.randint(8, 17))
        kind = 0 if number % 10 == 0 else 1
        if number % 50 == 1:  # a customer named only in the title, with an outside adviser
            name = rng.choice(customers)[0]
            event(
                f"one-{number}@bench",
                start,
                f"Prep: {name} renewal",
                [f"ATTENDEE:mailto:{ME}", "ATTENDEE:mailto:adviser@consult.example"],
            )
        else:  # fmt: skip
            event(f"one-{number}@bench", start, "Customer call", attendees(kind))
        count += 1
    lines.append("END:VCALENDAR")
    out.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8", newline="")
    return count


def measure(db: Path, runs: int = 3) -> dict[str, Any]:
    """Seconds to import the year's calendar into a copy of ``db``: first time and again.

    The copy is made (and migrated) once; between runs the imported notes are deleted again.
    """
    from am_desktop.services.calendar_import import import_calendar
    from am_desktop.services.store import open_store

    first_day = date.today()
    last_day = first_day + timedelta(days=365)
    firsts: list[float] = []
    first_cpu: list[float] = []
    agains: list[float] = []
    with tempfile.TemporaryDirectory(prefix="am-calendar-") as tmp:
        folder = Path(tmp)
        ics = folder / "year.ics"
        meetings = write_busy_calendar(db, ics, first_day)
        copy = folder / "copy.sqlite3"
        shutil.copyfile(db, copy)
        open_store(copy).close()  # migrated once, outside the timing
        for _ in range(runs):
            store = open_store(copy)
            try:
                started, cpu = time.perf_counter(), time.process_time()
                result = import_calendar(
                    store, ics, ME, first_day=first_day, last_day=last_day, today=first_day
                )
                firsts.append(time.perf_counter() - started)
                first_cpu.append(time.process_time() - cpu)
                started = time.perf_counter()
                again = import_calendar(
                    store, ics, ME, first_day=first_day, last_day=last_day, today=first_day
                )
                agains.append(time.perf_counter() - started)
            finally:
                store.close()
            with sqlite3.connect(copy) as connection:  # back as it was, for the next run
                # (foreign keys off: two tables' note_id has no index, a scan per note deleted)
                connection.execute(
                    "DELETE FROM note_attendee WHERE note_id IN "
                    "(SELECT id FROM note WHERE calendar_key IS NOT NULL)"
                )
                connection.execute("DELETE FROM note WHERE calendar_key IS NOT NULL")
    return {
        "meetings": meetings,
        "added": result.added,
        "skipped": dict(result.skipped),
        "again_changed": again.added + again.moved + again.removed,
        "import_median_s": _median(firsts),
        "import_runs_s": firsts,
        "import_cpu_median_s": _median(first_cpu),
        "again_median_s": _median(agains),
    }


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("db", type=Path)
    parser.add_argument("--ics", type=Path, help="only write the calendar to this file")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.ics:
        print(write_busy_calendar(args.db, args.ics, date.today()), file=sys.stderr)
        return
    print(json.dumps(measure(args.db, args.runs)))


if __name__ == "__main__":
    main()
