"""The renewal timeline's date maths."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from am_desktop.domain.timeline import (
    Scale,
    add_months,
    band_of,
    bands,
    group_rows,
    notice_deadline,
    visible_rows,
)


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 11, 30), 2, date(2027, 1, 30)),
        (date(2026, 3, 15), -3, date(2025, 12, 15)),
        (date(2026, 12, 31), 12, date(2027, 12, 31)),
    ],
)
def test_adding_months_clamps_to_the_month_end(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_days_map_to_pixels_and_back() -> None:
    scale = Scale.fitting(date(2026, 1, 1), 12, 365.0)
    assert scale.px_per_day == pytest.approx(1.0)
    assert scale.x(date(2026, 3, 1)) == pytest.approx(59.0)
    assert scale.day(59.5) == date(2026, 3, 1)
    assert scale.day(-0.5) == date(2025, 12, 31)


def test_a_leap_year_is_a_day_longer() -> None:
    scale = Scale(date(2028, 2, 28), 10.0)
    assert scale.x(date(2028, 3, 1)) == 20.0  # 28 and 29 February


def test_a_bar_crossing_the_edges_is_clipped_and_one_outside_is_not_drawn() -> None:
    scale = Scale(date(2026, 1, 1), 2.0)
    assert scale.span(date(2025, 6, 1), date(2026, 1, 10), 100.0) == (0.0, 20.0)
    assert scale.span(date(2026, 1, 20), date(2027, 1, 1), 100.0) == (38.0, 100.0)
    assert scale.span(date(2025, 1, 1), date(2025, 12, 31), 100.0) is None
    assert scale.span(date(2026, 3, 1), date(2026, 4, 1), 100.0) is None


def test_zoom_keeps_the_day_under_the_pointer() -> None:
    scale = Scale(date(2026, 1, 1), 1.0)
    zoomed = scale.zoomed(2.0, anchor_x=100.0)
    assert zoomed.day(100.0) == scale.day(100.0)
    assert zoomed.px_per_day == 2.0
    assert scale.scrolled(10).start == date(2026, 1, 11)


def test_month_ticks_are_the_firsts_in_view() -> None:
    scale = Scale(date(2026, 1, 15), 1.0)
    ticks = list(scale.months(70.0))
    assert [day for day, _ in ticks] == [date(2026, 2, 1), date(2026, 3, 1)]
    assert ticks[0][1] == 17.0


def test_bands_and_which_one_a_renewal_is_in() -> None:
    today = date(2026, 11, 22)
    assert [(end - start).days for start, end, _ in bands(today)] == [90, 60, 30]
    assert band_of(today, date(2026, 11, 22)) == 30  # ends today
    assert band_of(today, date(2027, 2, 20)) == 90  # exactly 90 days
    assert band_of(today, date(2027, 2, 21)) is None
    assert band_of(today, date(2026, 11, 21)) is None  # already past


def test_the_notice_deadline_is_the_end_less_the_notice() -> None:
    assert notice_deadline(date(2027, 3, 31), 60) == date(2027, 1, 30)
    assert notice_deadline(date(2027, 3, 31), None) is None


def test_only_the_rows_in_view_are_painted() -> None:
    assert visible_rows(10_000, 24.0, top=2400.0, height=480.0) == (100, 120)
    assert visible_rows(5, 24.0, top=0.0, height=480.0) == (0, 5)
    assert visible_rows(0, 24.0, top=0.0, height=480.0) == (0, 0)


def test_groups_start_where_the_key_changes() -> None:
    assert group_rows(["Key", "Key", "Strategic", "Standard", "Standard"]) == [
        (0, "Key"),
        (2, "Strategic"),
        (3, "Standard"),
    ]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2026, 1, 1), date(2026, 12, 31), (date(2027, 1, 1), date(2027, 12, 31))),
        (date(2024, 2, 29), date(2025, 2, 28), (date(2025, 3, 1), date(2026, 2, 28))),
        (date(2025, 8, 31), date(2026, 2, 28), (date(2026, 3, 1), date(2026, 8, 31))),
        (date(2026, 1, 1), date(2026, 3, 31), (date(2026, 4, 1), date(2026, 6, 30))),
        (date(2026, 3, 15), date(2027, 3, 14), (date(2027, 3, 15), date(2028, 3, 14))),
        (date(2026, 1, 10), date(2026, 2, 20), (date(2026, 2, 21), date(2026, 4, 3))),
    ],
)
def test_the_next_term_keeps_the_terms_length(
    start: date, end: date, expected: tuple[date, date]
) -> None:
    from am_desktop.domain.timeline import next_term

    assert next_term(start, end) == expected


def test_a_year_from_the_last_of_february_ends_on_the_last_of_february() -> None:
    from am_desktop.domain.timeline import term_end

    assert term_end(date(2024, 2, 29), 12) == date(2025, 2, 28)
    assert term_end(date(2026, 3, 1), 12) == date(2027, 2, 28)
    assert term_end(date(2027, 3, 1), 12) == date(2028, 2, 29)


def test_zooming_keeps_the_anchor_on_its_pixel_through_fractions_of_a_day() -> None:
    scale = Scale(date(2026, 1, 1), 2.37)
    anchor = 513.7
    moment = anchor / scale.px_per_day + scale.shift  # days after 1 Jan, with the fraction
    for factor in (1.25, 1.25, 1.25, 0.8, 1.5, 3.0):
        scale = scale.zoomed(factor, anchor)
        assert 0 <= scale.shift < 1
        now = (scale.start - date(2026, 1, 1)).days + anchor / scale.px_per_day + scale.shift
        assert abs(now - moment) * scale.px_per_day < 1e-6
    assert scale.day(anchor) == date(2026, 1, 1) + timedelta(days=int(moment))
    assert scale.scrolled(3).shift == scale.shift
