"""How figures read, wherever they are shown: the window, the command line and every file of a
business review (issue 15). One place, so a deck can never say $1.2M where the screen says
$1.25M, or 03/04/2026 where the screen says 3 Apr 2026."""

from __future__ import annotations

from datetime import date, datetime

from am_desktop.domain.money import minor_per_major

#: A figure with no data (no answers, no start to compare with) is a dash, never 0.
NO_DATA = "—"

_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CHF": "CHF ",
    "CAD": "CA$",
    "AUD": "A$",
}


def currency_symbol(currency: str) -> str:
    """``$`` for USD; an unknown code is written out (``SEK 1,200``)."""
    return _SYMBOLS.get(currency, f"{currency} ")


def money(cents: float | None, currency: str = "USD", *, compact: bool = False) -> str:
    """``345800000`` -> ``$3,458,000`` (``$3.46M`` when compact, ``$350k`` from 10,000);
    None -> a dash. ``cents`` are the currency's minor units (``¥1,200`` is 1200, issue 20)."""
    if cents is None:
        return NO_DATA
    symbol = currency_symbol(currency)
    amount = cents / minor_per_major(currency)
    sign = "−" if amount < 0 else ""
    amount = abs(amount)
    if compact and amount >= 1_000_000:
        return f"{sign}{symbol}{amount / 1_000_000:.2f}M"
    if compact and amount >= 10_000:
        return f"{sign}{symbol}{amount / 1_000:.0f}k"
    return f"{sign}{symbol}{amount:,.0f}"


def signed_money(cents: float, currency: str = "USD", *, compact: bool = False) -> str:
    """A movement with its direction: ``+$12,000`` / ``−$3,000``."""
    shown = money(cents, currency, compact=compact)
    return shown if cents < 0 else f"+{shown}"


def day(value: date | datetime | None) -> str:
    """``22 Nov 2026``: unambiguous in every country; None -> a dash."""
    if value is None:
        return NO_DATA
    if isinstance(value, datetime):
        value = value.astimezone().date()
    return f"{value.day} {value:%b %Y}"


def month(value: date) -> str:
    """``Nov 2026``: a chart's category for a month."""
    return f"{value:%b %Y}"


def period(start: date, end: date) -> str:
    """``1 Jan 2026 – 31 Dec 2026``."""
    return f"{day(start)} – {day(end)}"


def percent(fraction: float | None, digits: int = 1) -> str:
    """``0.9712`` -> ``97.1 %``; None -> a dash."""
    return NO_DATA if fraction is None else f"{fraction * 100:.{digits}f} %"


def score(value: float | None) -> str:
    """An NPS, CSAT or health score, whole points (NPS may be negative); None -> a dash."""
    if value is None:
        return NO_DATA
    return f"{value:.0f}".replace("-", "−")


def count(value: int | None) -> str:
    """``12,400``; None -> a dash."""
    return NO_DATA if value is None else f"{value:,}"


#: The compact units of a money axis: the divisor (in whole currency units) and its suffix.
MONEY_UNITS = {"": (1, ""), "k": (1_000, "k"), "M": (1_000_000, "M")}


def money_unit(largest_cents: float, currency: str = "USD") -> str:
    """The one compact unit for a set of amounts (a chart axis): "M" from a million, "k" from
    10,000 (as :func:`money` when compact), else "" — decided by the largest, so an axis never
    mixes $900 with $1.2M."""
    largest = abs(largest_cents) / minor_per_major(currency)
    if largest >= 1_000_000:
        return "M"
    if largest >= 10_000:
        return "k"
    return ""


def money_in_unit(cents: float, currency: str, unit: str, decimals: int = 0) -> str:
    """``money`` in a given compact unit: ``$0.5M``, ``$1.5M``, ``$900``; zero is ``$0``."""
    divisor, suffix = MONEY_UNITS[unit]
    amount = cents / minor_per_major(currency) / divisor
    if round(amount, decimals) == 0:
        return f"{currency_symbol(currency)}0"
    sign = "−" if amount < 0 else ""
    return f"{sign}{currency_symbol(currency)}{abs(amount):,.{decimals}f}{suffix}"
