"""A business review's read model (issue 7): what ``services.review`` gathers for one account
or the portfolio, and what ``charts.review`` draws into the deck. Plain frozen data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from am_desktop.domain.health import DEFAULT_BANDS
from am_desktop.domain.kpis import Kpis


@dataclass(frozen=True, slots=True)
class ReviewData:
    """Everything a business review shows."""

    title: str
    start: date
    end: date
    kpis: Kpis
    arr_by_month: tuple[tuple[date, int], ...]
    movements: tuple[tuple[date, str, int], ...]  # (day, type, signed cents) in the period
    health_trend: tuple[tuple[date, float], ...]
    surveys: tuple[tuple[date, str, int], ...]  # (day, kind, score)
    usage: tuple[tuple[date, int, int], ...]  # (day, active users, licensed seats)
    pipeline: tuple[tuple[str, str, int], ...]  # (kind: renewal|expansion, stage, cents)
    issues: dict[str, int]  # severity -> opened in the period
    bands: tuple[float, float] = DEFAULT_BANDS  # the healthy and watch bands' lower bounds
    account_id: int | None = None  # None: the portfolio

    @property
    def period_label(self) -> str:
        return f"{self.start:%d %b %Y} – {self.end:%d %b %Y}"
