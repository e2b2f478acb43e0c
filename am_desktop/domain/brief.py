"""The pre-call brief (issue 19) as plain data, and the agenda it suggests.

``services.brief`` reads one account (and, for a meeting, its attendees) into a :class:`Brief`;
``domain.brief_document`` lays it out once for the screen, Markdown, HTML and PDF. The agenda
rules live here so they can be tested without a database: their overdue items first, then the
renewal when its notice deadline is near, the worst open issue, a coverage gap to close, our
own overdue items and the largest open opportunity.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from am_desktop.domain import formatting as fmt
from am_desktop.domain.contact_graph import ROLE_ORDER
from am_desktop.domain.coverage import CoverageWarning
from am_desktop.domain.enums import ContactRole, HealthBand, Sentiment, Severity

#: How many notes a brief recalls, and how many lines of each.
LAST_NOTES, NOTE_LINES = 3, 3
#: The renewal goes on the agenda from this many days before its notice deadline.
RENEWAL_AGENDA_DAYS = 30
#: The roles an account brief lists as its key contacts (a meeting lists its attendees).
KEY_ROLES = frozenset(ROLE_ORDER[:5])
#: At most this many of their (or our) overdue items go on the agenda one by one.
AGENDA_ITEMS = 3
_SEVERITY_RANK = {Severity.CRITICAL: 0, Severity.HIGH: 1, Severity.MEDIUM: 2, Severity.LOW: 3}


@dataclass(frozen=True, slots=True)
class BriefMeeting:
    """The meeting a brief prepares (a planned note)."""

    note_id: int
    title: str
    starts_at: datetime


@dataclass(frozen=True, slots=True)
class BriefRenewal:
    """The account's next open renewal: when the contract ends and notice must be given."""

    contract: str
    end_date: date
    notice_deadline: date | None
    arr_cents: int
    currency: str
    stage: str  # a RenewalStage value


@dataclass(frozen=True, slots=True)
class HealthFactor:
    """One component of the health score and why it is so (``value`` None: no data)."""

    label: str
    value: float | None
    why: str


@dataclass(frozen=True, slots=True)
class BriefNote:
    """A recent note: its title (or kind), when, and its first lines."""

    title: str
    occurred_at: datetime
    lines: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BriefAction:
    """An open action item; ``owner`` is the contact's full name when it is theirs."""

    text: str
    owner: str
    due: date | None

    def overdue(self, today: date) -> bool:
        return self.due is not None and self.due < today


@dataclass(frozen=True, slots=True)
class BriefIssue:
    """An open escalation."""

    title: str
    severity: Severity
    opened: date


@dataclass(frozen=True, slots=True)
class BriefPerson:
    """An attendee or key contact (an attendee known only by address has just ``name``)."""

    name: str
    title: str | None = None
    role: ContactRole | None = None
    sentiment: Sentiment | None = None
    last_contact: datetime | None = None


@dataclass(frozen=True, slots=True)
class BriefOpportunity:
    """An open expansion opportunity."""

    name: str
    kind: str  # an OpportunityKind label
    stage: str  # an OpportunityStage value
    amount_cents: int
    probability: int
    close_date: date | None
    currency: str = "USD"  # the opportunity's own


@dataclass(frozen=True, slots=True)
class Brief:
    """Everything a pre-call brief says about one account (and the meeting, if any).

    Money is in minor units; ``currency`` is the account's, that of ``arr_cents`` (None when a
    movement in another currency has no rate); the renewal and each opportunity carry their
    own. ``people`` are the meeting's attendees, else the key contacts.
    """

    account_id: int
    account: str
    domain: str | None
    today: date
    currency: str
    meeting: BriefMeeting | None
    arr_cents: int | None
    renewal: BriefRenewal | None
    health_score: float | None
    health_band: HealthBand | None
    health_factors: tuple[HealthFactor, ...]
    notes: tuple[BriefNote, ...]
    theirs: tuple[BriefAction, ...]
    ours: tuple[BriefAction, ...]
    issues: tuple[BriefIssue, ...]
    people: tuple[BriefPerson, ...]
    gaps: tuple[CoverageWarning, ...]
    opportunities: tuple[BriefOpportunity, ...]

    @property
    def title(self) -> str:
        """ "Pre-call brief: Acme — Quarterly check-in" (the account alone without a meeting)."""
        if self.meeting is None:
            return f"Pre-call brief: {self.account}"
        return f"Pre-call brief: {self.account} — {self.meeting.title}"

    @property
    def renewal_due(self) -> bool:
        """Whether the renewal belongs on the agenda: its notice deadline (else its end) is
        at most :data:`RENEWAL_AGENDA_DAYS` away, or passed while the contract runs."""
        if self.renewal is None:
            return False
        deadline = self.renewal.notice_deadline or self.renewal.end_date
        return (deadline - self.today).days <= RENEWAL_AGENDA_DAYS

    @property
    def agenda(self) -> tuple[str, ...]:
        return suggested_agenda(self)


def suggested_agenda(brief: Brief) -> tuple[str, ...]:
    """The points to raise, most pressing first (see the module's docstring)."""
    today, points = brief.today, []
    theirs_late = [a for a in brief.theirs if a.overdue(today)]
    for item in theirs_late[:AGENDA_ITEMS]:
        points.append(f"Their overdue item: {item.text} ({item.owner}, due {fmt.day(item.due)})")
    if len(theirs_late) > AGENDA_ITEMS:
        points.append(f"… and {len(theirs_late) - AGENDA_ITEMS} more of their overdue items")
    if brief.renewal_due and brief.renewal is not None:
        renewal = brief.renewal
        deadline = renewal.notice_deadline
        notice = ""
        if deadline is not None:
            passed = deadline < today
            notice = f"notice {'was due' if passed else 'by'} {fmt.day(deadline)}, "
        points.append(
            f"The renewal: {notice}the contract ends {fmt.day(renewal.end_date)} — "
            "confirm their plans and the next step"
        )
    if brief.issues:
        worst = min(brief.issues, key=lambda i: (_SEVERITY_RANK[i.severity], i.opened))
        points.append(
            f"Open issue: {worst.title} ({worst.severity.label.lower()}, "
            f"open since {fmt.day(worst.opened)})"
        )
    if brief.gaps:
        gap = brief.gaps[0]
        points.append(f"Coverage: {gap.message} {gap.advice}")
    ours_late = [a for a in brief.ours if a.overdue(today)]
    if ours_late:
        first = ours_late[0]
        more = f" and {len(ours_late) - 1} more" if len(ours_late) > 1 else ""
        points.append(f"Our overdue item: {first.text} (due {fmt.day(first.due)}){more}")
    if brief.opportunities:
        # Amounts compare only within a currency: the account's come first.
        best = max(
            brief.opportunities,
            key=lambda o: (o.currency == brief.currency, o.amount_cents, o.probability),
        )
        points.append(
            f"Expansion: {best.name} ({best.stage.replace('_', ' ')}, "
            f"{fmt.money(best.amount_cents, best.currency)})"
        )
    if not points:
        points.append("Check in: what is going well, what is not, and what comes next")
    return tuple(points)
