"""Exchange rates and constant-currency conversion (PRODUCT.md §3, issue 20).

A report converts every amount at ONE rate per currency: the latest on or before the report's
last day, found as a direct rate, its inverse, or two rates through one shared currency. So a
churned account nets to exactly zero, the ARR bridge reconciles and NRR/GRR do not move with
exchange rates. A same-currency amount needs no rate; a missing rate is an error naming the
currency and the day, never a rate of 1.

Conversion is exact (``Fraction``); amounts are rounded to the target's minor units only at the
end, and :func:`reconcile` keeps a set of rounded parts adding up to their rounded total.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from am_desktop.domain.formatting import day as shown_day
from am_desktop.domain.money import exponent
from am_desktop.domain.values import parse_currency


@dataclass(frozen=True, slots=True)
class Rate:
    """One recorded rate: on ``day``, 1 ``base`` = ``rate`` ``quote``."""

    day: date
    base: str
    quote: str
    rate: Decimal

    def as_json(self) -> dict[str, object]:
        return {
            "date": self.day.isoformat(),
            "base": self.base,
            "quote": self.quote,
            "rate": str(self.rate),
        }


class MissingRate(ValueError):  # noqa: N818 - reads as what is wrong
    """No rate converts ``currency`` into the target on or before ``day``."""

    def __init__(self, currency: str, target: str, day: date) -> None:
        super().__init__(
            f"No {currency} rate on or before {shown_day(day)} to convert into {target}; "
            "import one with `am-desktop rates import` (Preferences → Currencies)"
        )
        self.currency, self.target, self.day = currency, target, day


def parse_rate(text: str) -> Decimal:
    """A positive, finite rate written with a decimal point (``1.0841``)."""
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(f"'{text.strip()}' is not a number such as 1.0841") from None
    if not value.is_finite() or value <= 0:
        raise ValueError(f"'{text.strip()}' is not a positive rate")
    return value


@dataclass(frozen=True, slots=True)
class UsedRate:
    """The one rate a report converts a currency at: 1 ``currency`` = ``rate`` ``target``.

    ``day`` is the date of the rate (the older leg's, through ``via``).
    """

    currency: str
    target: str
    rate: Fraction
    day: date
    via: str | None = None

    def shown(self, places: int = 6) -> str:
        """``1 EUR = 1.0841 USD (2 Jan 2026)``, with ``via GBP`` for a cross rate."""
        number = f"{float(self.rate):.{places}f}".rstrip("0").rstrip(".")
        through = f", via {self.via}" if self.via else ""
        return f"1 {self.currency} = {number} {self.target} ({shown_day(self.day)}{through})"

    def as_json(self) -> dict[str, object]:
        return {
            "currency": self.currency,
            "rate": round(float(self.rate), 10),
            "date": self.day.isoformat(),
            "via": self.via,
        }


class RateBook:
    """Every recorded rate, looked up by pair and day."""

    def __init__(self, rates: Iterable[Rate] = ()) -> None:
        pairs: dict[tuple[str, str], list[tuple[date, Fraction]]] = {}
        for rate in rates:
            pairs.setdefault((rate.base, rate.quote), []).append((rate.day, Fraction(rate.rate)))
        for series in pairs.values():
            series.sort(key=lambda point: point[0])
        self._pairs = pairs
        self._partners: dict[str, set[str]] = {}
        for base, quote in pairs:
            self._partners.setdefault(base, set()).add(quote)
            self._partners.setdefault(quote, set()).add(base)

    def _latest(self, base: str, quote: str, on: date) -> tuple[date, Fraction] | None:
        series = self._pairs.get((base, quote))
        if not series:
            return None
        index = bisect.bisect_right(series, on, key=lambda point: point[0])
        return series[index - 1] if index else None

    def leg(self, currency: str, target: str, on: date) -> tuple[date, Fraction] | None:
        """The latest direct rate or inverse (1 ``currency`` = r ``target``) on or before
        ``on``; the more recent of the two, the direct one on a tie."""
        direct = self._latest(currency, target, on)
        inverse = self._latest(target, currency, on)
        if inverse is not None and (direct is None or inverse[0] > direct[0]):
            return inverse[0], 1 / inverse[1]
        return direct

    def rate(self, currency: str, target: str, on: date) -> UsedRate:
        """The rate converting ``currency`` into ``target`` for a report ending ``on``.

        Raises:
            MissingRate: no direct rate, inverse, or pair through one shared currency.
        """
        if currency == target:
            return UsedRate(currency, target, Fraction(1), on)
        found = self.leg(currency, target, on)
        if found is not None:
            return UsedRate(currency, target, found[1], found[0])
        best: UsedRate | None = None
        shared = self._partners.get(currency, set()) & self._partners.get(target, set())
        for via in sorted(shared):
            first, second = self.leg(currency, via, on), self.leg(via, target, on)
            if first is None or second is None:
                continue
            candidate = UsedRate(
                currency, target, first[1] * second[1], min(first[0], second[0]), via
            )
            if best is None or candidate.day > best.day:
                best = candidate
        if best is None:
            raise MissingRate(currency, target, on)
        return best


def round_half_away(value: Fraction) -> int:
    """The nearest whole number; halves away from zero (as accountants round)."""
    whole = (abs(value.numerator) * 2 + value.denominator) // (2 * value.denominator)
    return whole if value >= 0 else -whole


@dataclass(frozen=True, slots=True)
class Conversion:
    """A report's conversion into ``target``: one rate per currency, as of ``on``."""

    target: str
    on: date
    used: Mapping[str, UsedRate]

    def exact(self, minor: int, currency: str) -> Fraction:
        """``minor`` units of ``currency`` in the target's minor units, unrounded."""
        if currency == self.target:
            return Fraction(minor)
        rate = self.used[currency].rate
        return minor * rate * Fraction(10) ** (exponent(self.target) - exponent(currency))

    def convert(self, minor: int, currency: str) -> int:
        """``minor`` units of ``currency`` in the target's minor units, rounded."""
        if currency == self.target:
            return minor
        return round_half_away(self.exact(minor, currency))

    @property
    def rates(self) -> tuple[UsedRate, ...]:
        """The rates actually needed (same-currency amounts need none), by currency."""
        return tuple(
            self.used[code] for code in sorted(self.used) if self.used[code].currency != self.target
        )

    def describe(self) -> str:
        """One line saying which rates were used, for a report's footer or a deck."""
        if not self.rates:
            return f"All amounts in {self.target}; no exchange rate was needed."
        listed = "; ".join(rate.shown() for rate in self.rates)
        as_of = shown_day(self.on)
        return f"Amounts in {self.target} at one rate per currency as of {as_of}: {listed}."

    def as_json(self) -> dict[str, object]:
        """``currency``, ``rates_date`` and ``rates`` (PRODUCT.md §3)."""
        return {
            "currency": self.target,
            "rates_date": self.on.isoformat(),
            "rates": [rate.as_json() for rate in self.rates],
        }


def conversion(book: RateBook, currencies: Iterable[str], target: str, on: date) -> Conversion:
    """The conversion of a report ending ``on`` whose amounts are in ``currencies``.

    Raises:
        MissingRate: for the first currency (alphabetically) that has no rate.
    """
    target = parse_currency(target)
    used = {code: book.rate(code, target, on) for code in sorted(set(currencies))}
    return Conversion(target, on, used)


def identity(target: str, on: date) -> Conversion:
    """The conversion of a report whose amounts are all in ``target`` already."""
    return Conversion(target, on, {})


def reconcile(total: int, exact_parts: Sequence[Fraction]) -> list[int]:
    """Round ``exact_parts`` (signed) so they add up to ``total`` exactly.

    Each part is rounded on its own, then the difference (a few minor units at most) goes to
    the largest parts, one unit each, so a converted bridge reconciles to the cent.
    """
    rounded = [round_half_away(part) for part in exact_parts]
    gap = total - sum(rounded)
    order = sorted(range(len(rounded)), key=lambda i: -abs(exact_parts[i]))
    step = 1 if gap > 0 else -1
    index = 0
    while gap and order:
        rounded[order[index % len(order)]] += step
        gap -= step
        index += 1
    return rounded
