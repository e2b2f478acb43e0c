"""The Today view's lists: what needs the account manager today (issue 7).

Renewals within 90 days, notice deadlines within 30, check-ins overdue, action items due (or
overdue), open escalations, today's and tomorrow's meetings, contacts overdue for a touch by
their own cadence (issue 19). Plain SQL: the Today view is the first thing the window shows.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from am_desktop.db.connection import datetime_from_db, datetime_to_db
from am_desktop.domain.enums import ContactRole, HealthBand, Severity
from am_desktop.domain.stay_in_touch import (
    NO_ROLE_CADENCE_DAYS,
    ROLE_CADENCE_DAYS,
    cadence_sql,
)
from am_desktop.services.health import LATEST_SNAPSHOT
from am_desktop.services.renewal_queries import RenewalRow, first_notices, first_upcoming
from am_desktop.services.store import Store

#: Action items due this many days ahead are listed with the overdue ones.
ACTIONS_AHEAD_DAYS = 7
#: Renewals this close are listed; notice deadlines this close too.
RENEWALS_WITHIN_DAYS, NOTICE_WITHIN_DAYS = 90, 30


@dataclass(frozen=True, slots=True)
class CheckIn:
    """An account whose last touch is older than its check-in cadence."""

    account_id: int
    account: str
    last_touch: date | None
    due: date | None

    def overdue_days(self, today: date) -> int | None:
        """Days past the check-in (None: never touched)."""
        return (today - self.due).days if self.due else None


@dataclass(frozen=True, slots=True)
class DueAction:
    """An open action item due soon or overdue."""

    id: int
    account_id: int
    account: str
    note_id: int | None
    text: str
    owner: str | None
    due: date


@dataclass(frozen=True, slots=True)
class OpenIssue:
    """An escalation not yet resolved."""

    id: int
    account_id: int
    account: str
    title: str
    severity: Severity
    opened: date


@dataclass(frozen=True, slots=True)
class Meeting:
    """A meeting today or tomorrow (a note of kind meeting, planned or already written)."""

    note_id: int
    account_id: int
    account: str
    title: str | None
    starts_at: datetime  # aware, UTC
    attendees: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class HealthDrop:
    """An account whose health band is worse than a week ago."""

    account_id: int
    account: str
    was: HealthBand
    now: HealthBand
    score: float


_BAND_RANK = "CASE {} WHEN 'healthy' THEN 0 WHEN 'watch' THEN 1 ELSE 2 END"
_HEALTH_DROPS = f"""
SELECT a.id, a.name, b.band, l.band, l.score FROM account a
JOIN health_snapshot l ON l.id = {LATEST_SNAPSHOT.format(when="")}
JOIN health_snapshot b ON b.id = {LATEST_SNAPSHOT.format(when="AND computed_at < ?")}
WHERE a.archived_at IS NULL AND {_BAND_RANK.format("l.band")} > {_BAND_RANK.format("b.band")}
ORDER BY l.score, a.name
"""


@dataclass(frozen=True, slots=True)
class OverdueContact:
    """A contact whose last touch is older than its stay-in-touch cadence (issue 19)."""

    contact_id: int
    account_id: int
    account: str
    name: str
    role: ContactRole | None
    last_contact: date
    cadence_days: int

    @property
    def due(self) -> date:
        """The last day the next touch was on time."""
        return self.last_contact + timedelta(days=self.cadence_days)


#: The stay-in-touch count stops here ("1,000+"): counting 50,000 overdue contacts of a large
#: portfolio would cost Today ~40 ms for a number nobody acts on (issue 19).
STAY_IN_TOUCH_COUNT_CAP = 1000

_ROLE_CUTOFF = "CASE c.role {} ELSE :cut_{} END".format(
    " ".join(f"WHEN '{role.value}' THEN :cut_{days}" for role, days in ROLE_CADENCE_DAYS.items()),
    NO_ROLE_CADENCE_DAYS,
)
# Overdue: the last touch's local day is before today minus the cadence. A role's default is
# a stored-text cutoff (its local midnight in UTC, exact). A cadence of the contact's own is
# decided by julianday() against today's local midnight except within a day of the boundary,
# where the local day itself is read ('localtime' costs ~20x a comparison, so only there).
_OVERDUE = f"""
c.archived_at IS NULL AND c.left_on IS NULL AND c.last_contacted_at < :bound
AND c.account_id NOT IN (SELECT id FROM account WHERE archived_at IS NOT NULL)
AND CASE
  WHEN c.cadence_days IS NULL THEN c.last_contacted_at < {_ROLE_CUTOFF}
  WHEN julianday(c.last_contacted_at) < :midnight - c.cadence_days - 1 THEN 1
  WHEN julianday(c.last_contacted_at) >= :midnight - c.cadence_days + 1 THEN 0
  ELSE date(c.last_contacted_at, 'localtime') < date(:today, '-' || c.cadence_days || ' days')
END"""
# Both halves walk ix_contact_stay_in_touch oldest touch first and stop early: the first rows
# after `limit` matches, the count after the cap. The account is read for the rows shown only.
_OVERDUE_CONTACTS = f"""
SELECT c.id, c.account_id, a.name, c.first_name, c.last_name, c.role, c.last_contacted_at,
       {cadence_sql("c.cadence_days", "c.role")},
       (SELECT count(*) FROM (SELECT 1 FROM contact c WHERE {_OVERDUE} LIMIT :cap))
FROM contact c JOIN account a ON a.id = c.account_id
WHERE {_OVERDUE}
ORDER BY c.last_contacted_at LIMIT :limit
"""


def _overdue_contacts(
    connection: sqlite3.Connection, today: date, limit: int
) -> tuple[tuple[OverdueContact, ...], int]:
    """Contacts not touched within their cadence, longest silent first, and how many (at
    most :data:`STAY_IN_TOUCH_COUNT_CAP`)."""
    midnight = _local_midnight(today)
    cutoffs = {
        f"cut_{days}": datetime_to_db(_local_midnight(today - timedelta(days=days)))
        for days in {*ROLE_CADENCE_DAYS.values(), NO_ROLE_CADENCE_DAYS}
    }
    rows = connection.execute(
        _OVERDUE_CONTACTS,
        {
            **cutoffs,
            "bound": datetime_to_db(_local_midnight(today - timedelta(days=1))),
            "midnight": _julian_day(midnight),
            "today": today.isoformat(),
            "limit": limit,
            "cap": STAY_IN_TOUCH_COUNT_CAP,
        },
    ).fetchall()
    contacts = tuple(
        OverdueContact(
            contact_id,
            account_id,
            account,
            f"{first} {last}" if first else last,
            ContactRole(role) if role else None,
            datetime_from_db(touched).astimezone().date(),
            int(cadence),
        )
        for contact_id, account_id, account, first, last, role, touched, cadence, _n in rows
    )
    return contacts, int(rows[0][-1]) if rows else 0


def _julian_day(moment: datetime) -> float:
    """An aware moment as SQLite's julianday() counts it (UTC)."""
    return moment.timestamp() / 86400 + 2440587.5


def _local_midnight(day: date) -> datetime:
    """The start of a day on the user's calendar, in UTC."""
    return datetime.combine(day, time()).astimezone(UTC)


@dataclass(frozen=True, slots=True)
class TodayLists:
    """Everything the Today view lists: the first ``limit`` of each, and how many in all."""

    renewals: tuple[RenewalRow, ...]
    notices: tuple[RenewalRow, ...]
    check_ins: tuple[CheckIn, ...]
    actions: tuple[DueAction, ...]
    issues: tuple[OpenIssue, ...]
    totals: dict[str, int]
    health_drops: tuple[HealthDrop, ...] = ()
    meetings: tuple[Meeting, ...] = ()
    #: Contacts overdue for a touch by their own cadence (issue 19).
    stay_in_touch: tuple[OverdueContact, ...] = ()
    #: The lists whose total stopped counting at a cap (shown as "1,000+").
    capped: frozenset[str] = frozenset()


#: Today's and tomorrow's meetings, by the range of ix_note_occurred_at (the second parameter
#: is local midnight two days on); attendees by name (else address), read for the rows listed
#: only.
_MEETINGS = """
SELECT m.*,
       (SELECT group_concat(coalesce(c.first_name || ' ' || c.last_name, c.last_name, na.email),
                            char(31))
        FROM note_attendee na LEFT JOIN contact c ON c.id = na.contact_id
        WHERE na.note_id = m.id)
FROM (SELECT n.id, n.account_id, a.name, n.title, n.occurred_at, count(*) OVER ()
      FROM note n JOIN account a ON a.id = n.account_id
      WHERE n.occurred_at >= ? AND n.occurred_at < ? AND n.kind = 'meeting'
        AND n.archived_at IS NULL AND +a.archived_at IS NULL
      ORDER BY n.occurred_at, a.name, n.id LIMIT ?) m
"""


#: Accounts overdue for a check-in: never touched, or the local day of the last touch plus
#: the cadence is before today. 'localtime' costs ~20x a comparison, so an account is only
#: given its local due day when its last touch is within a day of the cutoff or before it
#: (a time zone moves the local day by less than a day); the rest cannot be overdue.
_CHECK_INS = """
SELECT id, name, last_touch_at, due, count(*) OVER () FROM (
  SELECT id, name, last_touch_at,
         date(last_touch_at, 'localtime', '+' || checkin_cadence_days || ' days') AS due
  FROM account
  WHERE archived_at IS NULL
    AND (last_touch_at IS NULL
         OR julianday(last_touch_at) < :midnight - checkin_cadence_days + 1))
WHERE last_touch_at IS NULL OR due < :today
ORDER BY due IS NULL, due, name LIMIT :limit
"""


_SEVERITY_ORDER = (
    "CASE e.severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END"
)


def today_lists(store: Store, today: date, limit: int = 50) -> TodayLists:
    """What needs doing today, each list soonest (or most serious) first."""
    renewals, renewals_total = first_upcoming(store, today, RENEWALS_WITHIN_DAYS, limit)
    notices, notices_total = first_notices(store, today, NOTICE_WITHIN_DAYS, limit)
    totals = {"renewals": renewals_total, "notices": notices_total}
    with store.raw() as connection:
        totals["accounts"] = connection.execute(
            "SELECT count(*) FROM account WHERE archived_at IS NULL"
        ).fetchone()[0]
        check_in_rows = connection.execute(  # the first rows and, beside each, how many in all
            _CHECK_INS,
            {"today": today.isoformat(), "midnight": _julian_day(_local_midnight(today)),
             "limit": limit},
        ).fetchall()  # fmt: skip
        totals["check_ins"] = int(check_in_rows[0][-1]) if check_in_rows else 0
        check_ins = tuple(
            CheckIn(
                account_id,
                name,
                date.fromisoformat(touched[:10]) if touched else None,
                date.fromisoformat(due) if due else None,
            )
            for account_id, name, touched, due, _count in check_in_rows
        )
        # "+a.archived_at": the account is joined by its key, the partial indexes on the
        # items lead (ix_action_item_open_due, ix_escalation_unresolved).
        due_where = (
            "FROM action_item ai JOIN account a ON a.id = ai.account_id "
            "WHERE ai.archived_at IS NULL AND +a.archived_at IS NULL AND ai.status = 'open' "
            "AND ai.due_date IS NOT NULL AND ai.due_date <= ?"
        )
        soon = (today + timedelta(days=ACTIONS_AHEAD_DAYS)).isoformat()
        due_count = connection.execute(f"SELECT count(*) {due_where}", (soon,))
        (totals["actions"],) = due_count.fetchone()
        actions = tuple(
            DueAction(i, a, name, note, text, owner, date.fromisoformat(due))
            for i, a, name, note, text, owner, due in connection.execute(
                "SELECT ai.id, ai.account_id, a.name, ai.note_id, ai.text, ai.owner, ai.due_date "
                f"{due_where} ORDER BY ai.due_date, a.name LIMIT ?",
                (soon, limit),
            )
        )
        issue_where = (
            "FROM escalation e JOIN account a ON a.id = e.account_id "
            "WHERE e.archived_at IS NULL AND +a.archived_at IS NULL AND e.status <> 'resolved'"
        )
        (totals["issues"],) = connection.execute(f"SELECT count(*) {issue_where}").fetchone()
        issues = tuple(
            OpenIssue(i, a, name, title, Severity(severity), date.fromisoformat(opened))
            for i, a, name, title, severity, opened in connection.execute(
                "SELECT e.id, e.account_id, a.name, e.title, e.severity, e.opened_on "
                f"{issue_where} ORDER BY {_SEVERITY_ORDER}, e.opened_on LIMIT ?",
                (limit,),
            )
        )
        week_ago = datetime.combine(today - timedelta(days=7), time()).astimezone(UTC)
        drops = tuple(
            HealthDrop(i, name, HealthBand(was), HealthBand(now), float(score))
            for i, name, was, now, score in connection.execute(
                _HEALTH_DROPS, (datetime_to_db(week_ago),)
            )
        )
        meetings = _meetings(connection, today, limit)
        totals["meetings"] = meetings[1]
        overdue, totals["stay_in_touch"] = _overdue_contacts(connection, today, limit)
    totals["health_drops"] = len(drops)
    return TodayLists(
        tuple(renewals),
        tuple(notices),
        check_ins,
        actions,
        issues,
        totals,
        drops[:limit],
        meetings[0],
        overdue,
        frozenset({"stay_in_touch"})
        if totals["stay_in_touch"] >= STAY_IN_TOUCH_COUNT_CAP
        else frozenset(),
    )


def _meetings(
    connection: sqlite3.Connection, today: date, limit: int
) -> tuple[tuple[Meeting, ...], int]:
    """Meetings from local midnight today to local midnight the day after tomorrow, and how
    many in all."""
    start = datetime.combine(today, time()).astimezone(UTC)
    end = datetime.combine(today + timedelta(days=2), time()).astimezone(UTC)
    rows = connection.execute(
        _MEETINGS, (datetime_to_db(start), datetime_to_db(end), limit)
    ).fetchall()
    return (
        tuple(
            Meeting(
                note_id, account_id, name, title, datetime_from_db(occurred),
                tuple(people.split("\x1f")) if people else (),
            )
            for note_id, account_id, name, title, occurred, _count, people in rows
        ),
        int(rows[0][5]) if rows else 0,
    )  # fmt: skip
