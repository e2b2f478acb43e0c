"""How values read on screen: money and dates as in every file (``domain.formatting``), and
the relative days and trends only a screen shows."""

from __future__ import annotations

from datetime import date, datetime

from am_desktop.domain.formatting import day, money

__all__ = ["ago", "day", "days_from", "money", "trend", "trend_words"]


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
