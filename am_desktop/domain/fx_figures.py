"""The accounts list's conversion into the reporting currency (issue 20): each account
currency's one rate as of a day, or the sentence saying why there is none.

Unlike a report (``fx.conversion``), the list does not stop at the first missing rate: an
account whose currency has no rate shows "—" with the sentence, the others their figures.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from am_desktop.domain.fx import Conversion, MissingRate, RateBook, UsedRate


@dataclass(frozen=True, slots=True)
class ReportingRates:
    """Per account currency: the rate into ``target`` as of ``on``, or why there is none.

    Attributes:
        target: the reporting currency.
        on: the day the rates are taken on or before.
        used: each convertible currency's rate.
        missing: each currency without a rate, with fx's sentence saying so.
    """

    target: str
    on: date
    used: Mapping[str, UsedRate] = field(default_factory=lambda: MappingProxyType({}))
    missing: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def needed(self) -> bool:
        """Whether some account is in another currency than the target (else the list has
        nothing to show beside the accounts' own figures)."""
        return bool(self.used or self.missing)

    def convert(self, minor: int, currency: str) -> int | None:
        """``minor`` units of ``currency`` in the target's minor units; None without a rate."""
        if currency == self.target:
            return minor
        if currency not in self.used:
            return None
        return Conversion(self.target, self.on, self.used).convert(minor, currency)

    def problem(self, currency: str) -> str | None:
        """Why ``currency`` cannot be converted (fx's sentence), or None when it can."""
        if currency == self.target or currency in self.used:
            return None
        return self.missing.get(currency, f"The {currency} rate has not been read yet.")

    def factors(self) -> dict[str, float]:
        """Target minor units per minor unit of each convertible currency (for an ORDER BY
        in SQL: approximate is enough to sort, the figures shown are exact)."""
        conversion = Conversion(self.target, self.on, self.used)
        found = {code: float(conversion.exact(1, code)) for code in self.used}
        found[self.target] = 1.0
        return found


def reporting_rates(
    book: RateBook, currencies: Iterable[str], target: str, on: date
) -> ReportingRates:
    """The rates converting each of ``currencies`` into ``target`` as of ``on``."""
    used: dict[str, UsedRate] = {}
    missing: dict[str, str] = {}
    for code in sorted(set(currencies) - {target}):
        try:
            used[code] = book.rate(code, target, on)
        except MissingRate as error:
            missing[code] = str(error)
    return ReportingRates(target, on, MappingProxyType(used), MappingProxyType(missing))
