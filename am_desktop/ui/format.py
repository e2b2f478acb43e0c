"""How values read on screen: money, dates, relative days (one place, so every view agrees)."""

from __future__ import annotations

from datetime import date, datetime

_SYMBOLS = {
    "USD": "$",
    "EUR": "€",
    "GBP": "£",
    "JPY": "¥",
    "CHF": "CHF ",
    "CAD": "CA$",
    "AUD": "A$",
}


def money(cents: int | None, currency: str = "USD", *, compact: bool = False) -> str:
    """``345800000`` -> ``$3,458,000`` (or ``$3.46M`` when compact); None -> an em dash."""
    if cents is None:
        return "—"
    symbol = _SYMBOLS.get(currency, f"{currency} ")
    amount = cents / 100
    sign = "−" if amount < 0 else ""
    amount = abs(amount)
    if compact and amount >= 1_000_000:
        return f"{sign}{symbol}{amount / 1_000_000:.2f}M"
    if compact and amount >= 10_000:
        return f"{sign}{symbol}{amount / 1_000:.0f}k"
    return f"{sign}{symbol}{amount:,.0f}"


def day(value: date | datetime | None) -> str:
    """``22 Nov 2026``: unambiguous in every country; None -> an em dash."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.astimezone().date()
    return f"{value.day} {value:%b %Y}"


def days_from(today: date, target: date | None) -> str:
    """``in 38 days``, ``today``, ``3 days ago``."""
    if target is None:
        return "—"
    delta = (target - today).days
    if delta == 0:
        return "today"
    if delta == 1:
        return "tomorrow"
    if delta == -1:
        return "yesterday"
    return f"in {delta} days" if delta > 0 else f"{-delta} days ago"


def ago(today: date, moment: datetime | None) -> str:
    """How long ago something happened, in days."""
    if moment is None:
        return "never"
    return days_from(today, moment.astimezone().date())


def trend(change: float | None) -> str:
    """`` ▲4`` / `` ▼6`` after a score (nothing when it moved less than a point or is unknown)."""
    if change is None or abs(change) < 1:
        return ""
    return f" {'▲' if change > 0 else '▼'}{abs(change):.0f}"


def trend_words(change: float | None) -> str:
    """The trend as a sentence, for tooltips."""
    if change is None:
        return "No score from a week ago to compare with yet."
    if abs(change) < 1:
        return "About the same as a week ago."
    points = f"{abs(change):.0f} point{'s' if round(abs(change)) != 1 else ''}"
    return f"{'Up' if change > 0 else 'Down'} {points} since a week ago."
