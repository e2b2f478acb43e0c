"""The Dashboard's read models (issue 7): what the services compute and the charts draw.

Plain frozen data, so ``charts`` depends on the domain only and never on the services that
fill these in (``services.dashboard``, ``services.renewal_queries``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from am_desktop.domain.formatting import day
from am_desktop.domain.fx import Conversion
from am_desktop.domain.kpis import Kpis


@dataclass(frozen=True, slots=True)
class QuarterForecast:
    """ARR renewing in one quarter."""

    start: date
    end: date
    label: str
    renewals: int
    total_cents: int
    weighted_cents: int
    committed_cents: int


@dataclass(frozen=True, slots=True)
class AtRisk:
    """An account in the at-risk band, with its ARR."""

    account_id: int
    name: str
    score: float
    arr_cents: int


@dataclass(frozen=True, slots=True)
class PeriodData:
    """The figures that follow the chosen period."""

    kpis: Kpis
    arr_by_month: tuple[tuple[date, int], ...]


@dataclass(frozen=True, slots=True)
class StandingData:
    """The figures of today, whatever the period: forecast, health bands, accounts at risk."""

    forecast: tuple[QuarterForecast, ...]
    bands: dict[str, int]
    at_risk: tuple[AtRisk, ...]
    #: The rates the forecast and the ARR at risk were converted at (as of today).
    conversion: Conversion | None = None

    @property
    def arr_at_risk_cents(self) -> int:
        """The ARR of the accounts in the at-risk band."""
        return sum(a.arr_cents for a in self.at_risk)


def rates_line(*conversions: Conversion | None) -> str:
    """Which rates a screen's figures were converted at, one clause per rates date:
    ``In EUR at the rates of 30 Jun 2026: USD 0.92, GBP 1.17``; empty when none was needed
    (a one-currency portfolio reads as before)."""
    by_day: dict[date, dict[str, str]] = {}
    target = ""
    for conversion in conversions:
        if conversion is None:
            continue
        target = conversion.target
        for used in conversion.rates:
            number = f"{float(used.rate):.4f}".rstrip("0").rstrip(".")
            by_day.setdefault(conversion.on, {})[used.currency] = f"{used.currency} {number}"
    clauses = [
        f"at the rates of {day(on)}: {', '.join(rates[code] for code in sorted(rates))}"
        for on, rates in sorted(by_day.items())
    ]
    return f"In {target} {'; '.join(clauses)}" if clauses else ""
