"""The renewal timeline's date maths: days to pixels and back, month ticks, alert bands, rows
(issue 6). Pure, so the widget only paints what this module says is visible."""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

#: The alert bands ahead of today, widest first: (days, label).
BANDS: tuple[tuple[int, str], ...] = ((90, "90 days"), (60, "60 days"), (30, "30 days"))
#: The spans the timeline offers, in months.
SPANS = (6, 12, 24)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the month's end.

    31 January plus one month is 28 February (29 in a leap year).
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = _days_in_month(year, month)
    return date(year, month, min(day.day, last))


def month_ends(start: date, end: date) -> list[date]:
    """The last day of each month from ``start``'s to ``end``'s (``end`` itself for the last)."""
    ends: list[date] = []
    first = date(start.year, start.month, 1)
    while first <= end:
        last = add_months(first, 1) - timedelta(days=1)
        ends.append(min(last, end))
        first = add_months(first, 1)
    return ends


def term_end(start: date, months: int) -> date:
    """The last day of a term of ``months`` starting on ``start``.

    One day before the same date ``months`` later (1 Mar → 28 Feb); when that date does not
    exist the month's last day ends the term (29 Feb 2024 + 12 months ends 28 Feb 2025).
    """
    following = add_months(start, months)
    return following if following.day < start.day else following - timedelta(days=1)


def next_term(start: date, end: date) -> tuple[date, date]:
    """The term after ``start``…``end``: the same number of months when the term is whole
    months (give or take the month-end clamping), else the same number of days."""
    days = (end - start).days + 1
    months = round(days / 30.4375)
    following = end + timedelta(days=1)
    if months >= 1 and abs((term_end(start, months) - end).days) <= 3:
        return following, term_end(following, months)
    return following, following + timedelta(days=days - 1)


def _days_in_month(year: int, month: int) -> int:
    following = date(year + (month == 12), month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


@dataclass(frozen=True, slots=True)
class Scale:
    """Days across a width of pixels: x = 0 is ``shift`` (0 ≤ shift < 1) of a day past ``start``.

    The fraction lets a zoom keep the day under the mouse on its very pixel, however wide a
    day is drawn.
    """

    start: date
    px_per_day: float
    shift: float = 0.0

    @classmethod
    def fitting(cls, start: date, months: int, width: float) -> Scale:
        """``months`` from ``start`` across ``width`` pixels."""
        days = (add_months(start, months) - start).days
        return cls(start, width / max(1, days))

    def x(self, day: date) -> float:
        """The x of a day's start."""
        return ((day - self.start).days - self.shift) * self.px_per_day

    def day(self, x: float) -> date:
        """The day under an x (the day whose span holds it)."""
        return self.start + timedelta(days=math.floor(x / self.px_per_day + self.shift))

    def span(self, first: date, last: date, width: float) -> tuple[float, float] | None:
        """The visible x range of days ``first``…``last`` inclusive, clipped to 0…width (None
        when wholly outside)."""
        left, right = self.x(first), self.x(last + timedelta(days=1))
        if right <= 0 or left >= width:
            return None
        return max(0.0, left), min(width, right)

    def zoomed(self, factor: float, anchor_x: float) -> Scale:
        """Zoom by ``factor`` keeping the instant under ``anchor_x`` where it is."""
        anchor = anchor_x / self.px_per_day + self.shift  # days after start, under the anchor
        per_day = self.px_per_day * factor
        first = anchor - anchor_x / per_day  # days after start, at x = 0 once zoomed
        whole = math.floor(first)
        return Scale(self.start + timedelta(days=whole), per_day, first - whole)

    def scrolled(self, days: int) -> Scale:
        """The same zoom, ``days`` later (or earlier)."""
        return Scale(self.start + timedelta(days=days), self.px_per_day, self.shift)

    def months(self, width: float) -> Iterator[tuple[date, float]]:
        """Each month's first day in view, with its x: the ticks along the top."""
        first = date(self.start.year, self.start.month, 1)
        while True:
            x = self.x(first)
            if x >= width:
                return
            if x >= 0:
                yield first, x
            first = add_months(first, 1)


def bands(today: date) -> list[tuple[date, date, str]]:
    """The alert bands: renewals within 90, 60 and 30 days of today (start, end, label)."""
    return [(today, today + timedelta(days=days), label) for days, label in BANDS]


def band_of(today: date, end: date) -> int | None:
    """The tightest band a renewal falls in (30, 60 or 90 days), or None."""
    left = (end - today).days
    if left < 0:
        return None
    inside = [days for days, _ in BANDS if left <= days]
    return min(inside) if inside else None


def notice_deadline(end: date, notice_days: int | None) -> date | None:
    """The last day to give notice (None when the contract has no notice period)."""
    return end - timedelta(days=notice_days) if notice_days else None


class RowWindow(NamedTuple):
    """Which rows a viewport shows: ``first`` up to (not including) ``last``."""

    first: int
    last: int


def visible_rows(count: int, row_height: float, top: float, height: float) -> RowWindow:
    """The rows a viewport ``height`` tall, scrolled to ``top``, shows (so 10,000 rows paint
    as fast as twenty)."""
    if count <= 0 or row_height <= 0:
        return RowWindow(0, 0)
    first = max(0, math.floor(top / row_height))
    last = min(count, math.ceil((top + height) / row_height))
    return RowWindow(first, max(first, last))


def group_rows(keys: Sequence[str]) -> list[tuple[int, str]]:
    """Where each group starts, for group headers: (row index, group name), in row order."""
    starts: list[tuple[int, str]] = []
    for index, key in enumerate(keys):
        if not starts or starts[-1][1] != key:
            starts.append((index, key))
    return starts
