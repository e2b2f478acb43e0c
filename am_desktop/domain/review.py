"""A business review's read models (issues 7 and 15): what ``services.review`` gathers for one
account or the portfolio, before ``domain.review_deck`` composes the slides for an audience.
Plain frozen data; money in cents, days as dates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from am_desktop.domain.formatting import period
from am_desktop.domain.fx import Conversion
from am_desktop.domain.health import DEFAULT_BANDS
from am_desktop.domain.kpis import Kpis


@dataclass(frozen=True, slots=True)
class Objective:
    """One objective of the account plan."""

    title: str
    status: str  # an ObjectiveStatus value
    due: date | None = None


@dataclass(frozen=True, slots=True)
class NextStep:
    """An open action item; ``theirs`` when its owner is one of the customer's people."""

    text: str
    owner: str  # who: "Dana Reyes" for theirs, the owner as written for ours ("" unknown)
    theirs: bool
    due: date | None = None


def customer_people(contacts: Iterable[tuple[str | None, str, str | None]]) -> dict[str, str]:
    """The names an action item's owner may give one of the customer's contacts — first name,
    full name, ``first.last`` or the e-mail's local part, any case — each to the full name.
    ``contacts`` are ``(first_name, last_name, email)``."""
    people: dict[str, str] = {}
    for first, last, email in contacts:
        name = f"{first} {last}".strip() if first else str(last)
        for key in (first, name, name.replace(" ", "."), (email or "").split("@")[0]):
            if key:
                people.setdefault(str(key).casefold(), name)
    return people


def whose(owner: str | None, people: dict[str, str]) -> tuple[str, bool]:
    """Who an action item's owner is, and whether theirs: one of the customer's people (by
    :func:`customer_people`) is theirs, anyone else ours — the rule of the review decks and the
    pre-call brief."""
    who = (owner or "").lstrip("@")
    name = people.get(who.casefold())
    return (name, True) if name is not None else (who, False)


@dataclass(frozen=True, slots=True)
class IssueSummary:
    """The support issues of the period: opened by severity, resolved and how fast."""

    opened: dict[str, int]  # severity -> opened in the period
    resolved: int = 0  # resolved in the period
    mean_days_to_resolve: float | None = None  # of those resolved in the period
    open_now: int = 0  # still open at the period's end


@dataclass(frozen=True, slots=True)
class Risk:
    """An open risk of an account, with what is being done about it."""

    account: str
    description: str
    mitigation: str
    severity: str
    owner: str


@dataclass(frozen=True, slots=True)
class OpenRenewal:
    """A renewal not yet closed, for the internal pipeline table."""

    account: str
    end_date: date
    arr_cents: int
    stage: str
    likelihood: int


@dataclass(frozen=True, slots=True)
class ReviewData:
    """Everything either deck of a review may show; each deck picks what its audience sees."""

    title: str
    start: date
    end: date
    kpis: Kpis
    arr_by_month: tuple[tuple[date, int], ...]
    movements: tuple[tuple[date, str, int], ...]  # (day, type, signed cents) in the period
    health_trend: tuple[tuple[date, float | None], ...]  # the score at each month's end
    surveys: tuple[tuple[date, str, int], ...]  # (day, kind, score)
    usage: tuple[tuple[date, int, int], ...]  # (day, active users, licensed seats)
    pipeline: tuple[tuple[str, str, int], ...]  # (kind: renewal|expansion, stage, cents)
    issues: IssueSummary
    bands: tuple[float, float] = DEFAULT_BANDS  # the healthy and watch bands' lower bounds
    account_id: int | None = None  # None: the portfolio
    currency: str = "USD"
    objectives: tuple[Objective, ...] = ()
    next_steps: tuple[NextStep, ...] = ()
    renewal_date: date | None = None  # the next contract end on or after the period's end
    risks: tuple[Risk, ...] = ()  # the most severe open risks (one slide's worth)
    renewals: tuple[OpenRenewal, ...] = ()  # the soonest open renewals (one slide's worth)
    open_renewals: int = 0  # how many renewals are open in all
    open_risks: int = 0  # how many risks are open in all
    conversion: Conversion | None = None  # the rates every amount was converted at (issue 20)

    @property
    def rates_line(self) -> str:
        """Which rates the review's amounts were converted at (each deck says it)."""
        if self.conversion is None:
            return f"All amounts in {self.currency}."
        return self.conversion.describe()

    @property
    def period_label(self) -> str:
        return period(self.start, self.end)
