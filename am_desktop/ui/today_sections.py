"""Today's lists as data: each section's caption, columns, empty text and what a row stands for.

The view (``ui.today``) shows every section the same way, through a ``ColumnTableModel``; what
differs between renewals, notices, action items, check-ins, escalations and health drops is
declared here once.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from am_desktop.services.renewal_queries import RenewalRow
from am_desktop.services.today import (
    CheckIn,
    DueAction,
    HealthDrop,
    Meeting,
    OpenIssue,
    OverdueContact,
    TodayLists,
)
from am_desktop.ui import format as fmt
from am_desktop.ui.column_fit import TEXT_SHARE
from am_desktop.ui.table_model import Column, Env

RowT = TypeVar("RowT")


@dataclass(frozen=True)
class TodayEnv(Env):
    """The day and currency, and the action items ticked whose write has not come back yet."""

    ticked: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class Ref:
    """What a row stands for.

    Attributes:
        kind, item_id: the row's id in its list, and its snooze key ``today:{kind}:{item_id}``.
        opens: what opening it opens, as ``open_requested``'s (kind, account_id, item_id).
    """

    kind: str
    item_id: int
    opens: tuple[str, int, int]

    @property
    def snooze_key(self) -> str:
        """The key a snooze of this row is kept under."""
        return snooze_key(self.kind, self.item_id)


def snooze_key(kind: str, item_id: int) -> str:
    """The key a snoozed row is kept under in the settings."""
    return f"today:{kind}:{item_id}"


@dataclass(frozen=True)
class Section(Generic[RowT]):
    """One of Today's lists.

    Attributes:
        key: its name (``TodayLists`` field and ``totals`` key).
        caption: the title above it (the view adds the count).
        columns: its columns; the first one's tooltip is its text (long titles are cut).
        empty: what its one row says when nothing is listed.
        rows: its rows in ``TodayLists``.
        ref: what a row stands for.
        stretch: the column that takes the spare width and gives way first.
        share: the least share of the width that column keeps.
    """

    key: str
    caption: str
    columns: tuple[Column[RowT, TodayEnv], ...]
    empty: str
    rows: Callable[[TodayLists], Sequence[RowT]]
    ref: Callable[[RowT], Ref]
    stretch: int = 0
    share: float = TEXT_SHARE

    def item_id(self, row: RowT) -> int:
        """A row's id in its list (the model's row id)."""
        return self.ref(row).item_id


def _first(header: str, text: Callable[[Any, TodayEnv], str], **options: Any) -> Column[Any, Any]:
    """The first column: its text is its tooltip too."""
    return Column(header, text, tooltip=text, **options)


def _contract(row: RenewalRow, _env: TodayEnv) -> str:
    return f"{row.account} — {row.contract}"


def _action_opens(action: DueAction) -> tuple[str, int, int]:
    """An action item opens the note it came from (its account when it has none)."""
    if action.note_id:
        return ("note", action.account_id, action.note_id)
    return ("account", action.account_id, action.account_id)


def meeting_time(meeting: Meeting, today: date) -> str:
    """``today 14:30`` / ``tomorrow 09:00``, in local time."""
    local = meeting.starts_at.astimezone()
    return f"{fmt.days_from(today, local.date())} {local:%H:%M}"


#: The column the Brief and Start note buttons sit in (the view puts them there).
MEETING_BUTTONS_COLUMN = 4

MEETINGS: Section[Meeting] = Section(
    "meetings",
    "Meetings today and tomorrow",
    (
        _first("Meeting", lambda m, _e: m.title or "Meeting"),
        Column("When", lambda m, e: meeting_time(m, e.today)),
        Column("Account", lambda m, _e: m.account, tooltip=lambda m, _e: m.account),
        Column(
            "Attendees",
            lambda m, _e: ", ".join(m.attendees) or "—",
            tooltip=lambda m, _e: "\n".join(m.attendees),
        ),
        Column("", lambda _m, _e: ""),
    ),
    "No meeting today or tomorrow. Import your calendar (File → Import calendar…) and your "
    "meetings appear here.",
    lambda lists: lists.meetings,
    lambda m: Ref("meeting", m.note_id, ("note", m.account_id, m.note_id)),
    stretch=3,  # the attendees give way: the meeting, its time and account stay whole
    share=0.2,
)
RENEWALS: Section[RenewalRow] = Section(
    "renewals",
    "Renewals in the next 90 days",
    (
        _first("Account — contract", _contract),
        Column("Ends", lambda r, e: fmt.days_from(e.today, r.end_date)),
        Column("ARR", lambda r, _e: fmt.money(r.arr_cents, r.currency)),  # its own currency
        Column("Stage", lambda r, _e: r.stage.label),
    ),
    "No renewal in the next 90 days.",
    lambda lists: lists.renewals,
    lambda r: Ref("renewal", r.renewal_id, ("renewal", r.account_id, r.renewal_id)),
)
NOTICES: Section[RenewalRow] = Section(
    "notices",
    "Notice deadlines within 30 days",
    (
        _first("Account — contract", _contract),
        Column("Notice by", lambda r, e: fmt.days_from(e.today, r.notice_deadline)),
        Column("Ends", lambda r, _e: fmt.day(r.end_date)),
    ),
    "No notice deadline in the next 30 days.",
    lambda lists: lists.notices,
    lambda r: Ref("notice", r.renewal_id, ("notice", r.account_id, r.renewal_id)),
)
ACTIONS: Section[DueAction] = Section(
    "actions",
    "Action items due",
    (
        _first("Action item", lambda a, _e: a.text, check=lambda a, e: a.id in e.ticked),
        Column("Account", lambda a, _e: a.account, tooltip=lambda a, _e: a.account),
        Column("Due", lambda a, e: fmt.days_from(e.today, a.due)),
        Column("Owner", lambda a, _e: a.owner or "—"),
    ),
    "Nothing due this week. Lines like '- [ ] … due:2026-12-01' in a note appear here.",
    lambda lists: lists.actions,
    lambda a: Ref("action", a.id, _action_opens(a)),
)
CHECK_INS: Section[CheckIn] = Section(
    "check_ins",
    "Check-ins overdue",
    (
        _first("Account", lambda c, _e: c.account),
        Column("Last touch", lambda c, _e: fmt.day(c.last_touch) if c.last_touch else "never"),
        Column("Was due", lambda c, e: fmt.days_from(e.today, c.due)),
    ),
    "Every account has been touched within its cadence.",
    lambda lists: lists.check_ins,
    lambda c: Ref("account", c.account_id, ("account", c.account_id, c.account_id)),
)
ISSUES: Section[OpenIssue] = Section(
    "issues",
    "Open escalations",
    (
        _first("Issue", lambda i, _e: i.title),
        Column("Account", lambda i, _e: i.account, tooltip=lambda i, _e: i.account),
        Column("Severity", lambda i, _e: i.severity.label),
        Column("Opened", lambda i, _e: fmt.day(i.opened)),
    ),
    "No open escalations.",
    lambda lists: lists.issues,
    lambda i: Ref("issue", i.id, ("issue", i.account_id, i.id)),
)
HEALTH_DROPS: Section[HealthDrop] = Section(
    "health_drops",
    "Health dropped since last week",
    (
        _first("Account", lambda h, _e: h.account),
        Column("Was", lambda h, _e: h.was.label),
        Column("Now", lambda h, _e: h.now.label),
        Column("Score", lambda h, _e: f"{h.score:.0f}"),
    ),
    "No account's health band fell this week.",
    lambda lists: lists.health_drops,
    lambda h: Ref("health", h.account_id, ("health", h.account_id, h.account_id)),
)

STAY_IN_TOUCH: Section[OverdueContact] = Section(
    "stay_in_touch",
    "Stay in touch",
    (
        _first("Contact", lambda c, _e: c.name),
        Column("Account", lambda c, _e: c.account, tooltip=lambda c, _e: c.account),
        Column(
            "Last contact",
            lambda c, _e: fmt.day(c.last_contact),
            tooltip=lambda c, e: f"Was due {fmt.days_from(e.today, c.due)}",
        ),
        Column(
            "Every",
            lambda c, _e: f"{c.cadence_days} days",
            tooltip=lambda c, _e: (
                "The contact's own cadence, else its role's default"
                + (f" ({c.role.label})" if c.role else "")
            ),
        ),
    ),
    "Everyone has heard from you within their cadence.",
    lambda lists: lists.stay_in_touch,
    lambda c: Ref("contact", c.contact_id, ("contact", c.account_id, c.contact_id)),
)

#: Every section in focus order, with its place in the view's grid: (section, column, row).
SECTIONS: tuple[tuple[Section[Any], int, int], ...] = (
    (MEETINGS, 0, 0),
    (RENEWALS, 0, 1),
    (NOTICES, 0, 2),
    (ACTIONS, 1, 0),
    (CHECK_INS, 1, 1),
    (ISSUES, 1, 2),
    (HEALTH_DROPS, 0, 3),
    (STAY_IN_TOUCH, 1, 3),
)
