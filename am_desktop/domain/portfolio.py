"""The portfolio list's vocabulary: its rows, columns, saved filters and queries (Qt-free)."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import date, datetime

from am_desktop.domain.enums import HealthBand, Segment, Tier


@dataclass(frozen=True, slots=True)
class AccountRow:
    """One line of the account list."""

    id: int
    name: str
    domain: str | None
    industry: str | None
    tier: Tier
    segment: Segment | None
    owner: str | None
    #: None when a movement in another currency has no rate (``services.summaries``).
    arr_cents: int | None
    health_score: float | None
    health_band: HealthBand | None
    next_renewal_on: date | None
    days_to_renewal: int | None
    last_touch_at: datetime | None
    next_checkin_on: date | None
    archived: bool
    #: Points gained (or lost, below 0) since the score of a week ago; None without both.
    health_change: float | None = None
    #: The account's own currency: ``arr_cents`` are its minor units (issue 20).
    currency: str = "USD"
    #: Why ``arr_cents`` is None (fx's sentence: the missing rate), else None.
    arr_problem: str | None = None

    def checkin_overdue(self, today: date) -> bool:
        """No touch yet, or the cadence ran out before today."""
        return self.next_checkin_on is None or self.next_checkin_on < today


class SavedFilter(enum.StrEnum):
    """The sidebar's ready-made views of the portfolio."""

    ALL = "all"
    STRATEGIC = "strategic"
    RENEWING_90 = "renewing_90"
    AT_RISK = "at_risk"
    CHECKIN_OVERDUE = "checkin_overdue"
    ARCHIVED = "archived"

    @property
    def label(self) -> str:
        """The filter's name in the sidebar."""
        return {
            "all": "All accounts",
            "strategic": "Strategic",
            "renewing_90": "Renewing in 90 days",
            "at_risk": "At risk",
            "checkin_overdue": "Check-in overdue",
            "archived": "Archived",
        }[self.value]


class SortKey(enum.StrEnum):
    """The columns the list sorts on (each sorts in SQL)."""

    NAME = "name"
    TIER = "tier"
    SEGMENT = "segment"
    OWNER = "owner"
    ARR = "arr"
    HEALTH = "health"
    NEXT_RENEWAL = "next_renewal"
    LAST_TOUCH = "last_touch"
    NEXT_CHECKIN = "next_checkin"


@dataclass(frozen=True, slots=True)
class PortfolioQuery:
    """What the list shows: a text filter, a saved filter and a sort order."""

    text: str = ""
    saved: SavedFilter = SavedFilter.ALL
    sort: SortKey = SortKey.NAME
    descending: bool = False
