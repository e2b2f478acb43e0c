"""The portfolio KPIs of PRODUCT.md §3, written once (issue 7).

The service sums the ledger in SQL into a :class:`LedgerSums` (a few numbers and two small
per-account maps); every formula and every boundary rule lives here, Qt-free and tested on
hand-computed portfolios. Amounts are cents; ratios are fractions; ``None`` means no data.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from am_desktop.domain.fx import Conversion
from am_desktop.domain.money import to_major
from am_desktop.domain.timeline import add_months

#: CLV's lifetime never exceeds this many years (also when nothing churned).
MAX_LIFETIME_YEARS = 10.0


def default_period(today: date) -> tuple[date, date]:
    """The twelve months ending today, both days included."""
    return add_months(today, -12) + timedelta(days=1), today


@dataclass(frozen=True, slots=True)
class ArrBridge:
    """How every account's ARR went from the period's start to its end (issue 15): the bridge
    every deck, the dashboard and ``kpis`` show, so it always reconciles —
    starting + new + expansion + reactivation − contraction − churn = ending — including the
    accounts that started, churned or came back inside the period (which NRR and GRR, being
    about the starting cohort, leave out). Cents; ``moved`` is how many movements it sums.
    """

    starting: int = 0
    new: int = 0
    expansion: int = 0
    reactivation: int = 0
    contraction: int = 0
    churn: int = 0
    moved: int = 0

    @property
    def ending(self) -> int:
        return (
            self.starting
            + self.new
            + self.expansion
            + self.reactivation
            - self.contraction
            - self.churn
        )

    @property
    def has_data(self) -> bool:
        """False when the ledger holds nothing up to the period's end: every figure is "—"."""
        return self.moved > 0 or self.starting != 0

    def steps(self) -> tuple[tuple[str, int], ...]:
        """The bridge's bars, signed: start, the movements, end."""
        return (
            ("Starting ARR", self.starting),
            ("New", self.new),
            ("Expansion", self.expansion),
            ("Reactivation", self.reactivation),
            ("Contraction", -self.contraction),
            ("Churn", -self.churn),
            ("Ending ARR", self.ending),
        )

    def plus(self, other: ArrBridge) -> ArrBridge:
        """Two bridges of the same period summed (accounts added to a portfolio)."""
        return ArrBridge(
            self.starting + other.starting,
            self.new + other.new,
            self.expansion + other.expansion,
            self.reactivation + other.reactivation,
            self.contraction + other.contraction,
            self.churn + other.churn,
            self.moved + other.moved,
        )

    def as_json(self, currency: str = "USD") -> dict[str, float]:
        """The bridge in whole units of ``currency`` (the report's)."""
        return {
            "starting_arr": to_major(self.starting, currency),
            "new": to_major(self.new, currency),
            "expansion": to_major(self.expansion, currency),
            "reactivation": to_major(self.reactivation, currency),
            "contraction": to_major(self.contraction, currency),
            "churn": to_major(self.churn, currency),
            "ending_arr": to_major(self.ending, currency),
        }


@dataclass(frozen=True, slots=True)
class LedgerSums:
    """What the formulas need from the ledger for a period ``start``…``end``.

    Args:
        arr_before: each account's ARR just before ``start`` (movements dated before it).
        arr_at_end: each account's ARR at the end of ``end``.
        cohort_expansion, cohort_contraction, cohort_churn: the cohort's movements of that type
            inside the period (reactivation counted as expansion), in cents.
        new_arr: every ``new`` movement inside the period, in cents.
        bridge: every account's start, movements by type and end (reconciles by construction).
    """

    start: date
    end: date
    arr_before: Mapping[int, int]
    arr_at_end: Mapping[int, int]
    cohort_expansion: int = 0
    cohort_contraction: int = 0
    cohort_churn: int = 0
    new_arr: int = 0
    bridge: ArrBridge = field(default_factory=ArrBridge)

    @property
    def cohort(self) -> set[int]:
        """The accounts with ARR > 0 just before the period."""
        return {account for account, arr in self.arr_before.items() if arr > 0}


@dataclass(frozen=True, slots=True)
class Kpis:
    """The KPIs of a period (cents for amounts; fractions for ratios; None for no data)."""

    start: date
    end: date
    starting_arr: int
    expansion: int
    contraction: int
    churn: int
    new_arr: int
    ending_arr: int
    nrr: float | None
    grr: float | None
    logo_retention: float | None
    logo_churn: float | None
    accounts_at_start: int
    accounts_at_end: int
    nps: float | None
    csat: float | None
    clv: int | None
    time_to_renewal_days: float | None = None
    bridge: ArrBridge = field(default_factory=ArrBridge)
    extras: dict[str, object] = field(default_factory=dict)
    #: How the amounts were converted into the report's currency (None: all in USD already).
    conversion: Conversion | None = None

    @property
    def currency(self) -> str:
        """The currency every amount of these KPIs is in."""
        return "USD" if self.conversion is None else self.conversion.target

    def as_json(self) -> dict[str, object]:
        """The keys and units of ``am-desktop kpis --json`` (PRODUCT.md §3): amounts in whole
        units of ``currency``, with the date and list of the rates used."""
        code = self.currency
        rates: dict[str, object] = (
            self.conversion.as_json()
            if self.conversion is not None
            else {"currency": code, "rates_date": self.end.isoformat(), "rates": []}
        )
        return {
            "from": self.start.isoformat(),
            "to": self.end.isoformat(),
            **rates,
            "starting_arr": to_major(self.starting_arr, code),
            "expansion": to_major(self.expansion, code),
            "contraction": to_major(self.contraction, code),
            "churn": to_major(self.churn, code),
            "new_arr": to_major(self.new_arr, code),
            "ending_arr": to_major(self.ending_arr, code),
            "nrr": _rounded(self.nrr),
            "grr": _rounded(self.grr),
            "logo_retention": _rounded(self.logo_retention),
            "logo_churn": _rounded(self.logo_churn),
            "accounts_at_start": self.accounts_at_start,
            "accounts_at_end": self.accounts_at_end,
            "nps": _rounded(self.nps, 1),
            "csat": _rounded(self.csat, 1),
            "clv": None if self.clv is None else to_major(self.clv, code),
            "bridge": self.bridge.as_json(code),
        }


def _rounded(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def nps(scores: Sequence[int]) -> float | None:
    """100 × (promoters 9–10 − detractors 0–6) / responses."""
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return 100 * (promoters - detractors) / len(scores)


def csat(scores: Sequence[int]) -> float | None:
    """100 × responses of 4–5 (on 1–5) / responses."""
    if not scores:
        return None
    return 100 * sum(1 for s in scores if s >= 4) / len(scores)


def clv(
    ending_arr: int,
    accounts_at_end: int,
    starting_arr: int,
    *,
    lost: int,
    days: int,
    gross_margin: float,
) -> int | None:
    """ARPA × gross margin × lifetime (years, capped at MAX_LIFETIME_YEARS), in cents.

    ARPA = ending ARR / accounts with ARR at the end; lifetime = 1 / annual revenue churn, where
    annual revenue churn = (contraction + churn, ``lost``) / starting ARR × 365 / days in the
    period.
    """
    if accounts_at_end == 0 or starting_arr <= 0 or days <= 0:
        return None
    arpa = ending_arr / accounts_at_end
    annual_churn = lost / starting_arr * 365 / days
    lifetime = (
        MAX_LIFETIME_YEARS if annual_churn <= 0 else min(MAX_LIFETIME_YEARS, 1 / annual_churn)
    )
    return round(arpa * gross_margin * lifetime)


def compute(
    sums: LedgerSums,
    *,
    nps_scores: Sequence[int] = (),
    csat_scores: Sequence[int] = (),
    renewal_days: Sequence[int] = (),
    gross_margin: float = 0.80,
    conversion: Conversion | None = None,
) -> Kpis:
    """Every KPI of the period from the ledger's sums and the period's survey answers.

    Args:
        renewal_days: time to renewal of each renewal closed in the period (days before the
            contract's end; negative when late).
    """
    cohort = sums.cohort
    starting = sum(sums.arr_before[a] for a in cohort)
    retained = sum(1 for a in cohort if sums.arr_at_end.get(a, 0) > 0)
    ending = sum(sums.arr_at_end.values())  # every account's ARR, as §3 says
    at_end = sum(1 for arr in sums.arr_at_end.values() if arr > 0)
    expansion, contraction, churn = (
        sums.cohort_expansion,
        sums.cohort_contraction,
        sums.cohort_churn,
    )
    days = (sums.end - sums.start).days + 1
    return Kpis(
        start=sums.start,
        end=sums.end,
        starting_arr=starting,
        expansion=expansion,
        contraction=contraction,
        churn=churn,
        new_arr=sums.new_arr,
        ending_arr=ending,
        nrr=(starting + expansion - contraction - churn) / starting if starting else None,
        grr=(starting - contraction - churn) / starting if starting else None,
        logo_retention=retained / len(cohort) if cohort else None,
        logo_churn=1 - retained / len(cohort) if cohort else None,
        accounts_at_start=len(cohort),
        accounts_at_end=at_end,
        nps=nps(nps_scores),
        csat=csat(csat_scores),
        clv=clv(
            ending, at_end, starting, lost=contraction + churn, days=days, gross_margin=gross_margin
        ),
        time_to_renewal_days=sum(renewal_days) / len(renewal_days) if renewal_days else None,
        bridge=sums.bridge,
        conversion=conversion,
    )
