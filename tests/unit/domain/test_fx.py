"""Exchange rates and constant currency (issue 20): the rules of ``domain.fx`` and the
exponents of ``domain.money``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from am_desktop.domain import fx
from am_desktop.domain.formatting import money
from am_desktop.domain.money import exponent, minor_from_cents, to_major
from am_desktop.domain.values import format_money, parse_money_cents

DAY = date(2026, 6, 30)
BOOK = fx.RateBook(
    [
        fx.Rate(date(2026, 1, 2), "EUR", "USD", Decimal("1.0841")),
        fx.Rate(date(2026, 6, 1), "EUR", "USD", Decimal("1.10")),
        fx.Rate(date(2026, 7, 1), "EUR", "USD", Decimal("9.99")),  # after the report: unused
        fx.Rate(date(2026, 5, 1), "USD", "JPY", Decimal("150")),
        fx.Rate(date(2026, 3, 1), "GBP", "EUR", Decimal("1.17")),
    ]
)


def test_the_latest_direct_rate_on_or_before_the_last_day() -> None:
    used = BOOK.rate("EUR", "USD", DAY)
    assert (used.rate, used.day, used.via) == (Fraction("1.10"), date(2026, 6, 1), None)


def test_an_inverse_rate() -> None:
    assert BOOK.rate("JPY", "USD", DAY).rate == Fraction(1, 150)


def test_two_rates_through_one_shared_currency() -> None:
    used = BOOK.rate("GBP", "USD", DAY)
    assert used.via == "EUR" and used.rate == Fraction("1.17") * Fraction("1.10")
    assert used.day == date(2026, 3, 1)  # the older leg's


def test_a_missing_rate_names_the_currency_and_the_day_and_is_never_one() -> None:
    with pytest.raises(fx.MissingRate, match="No CHF rate on or before 30 Jun 2026"):
        fx.conversion(BOOK, {"CHF", "USD"}, "USD", DAY)
    with pytest.raises(fx.MissingRate, match="No EUR rate on or before 1 Jan 2026"):
        BOOK.rate("EUR", "USD", date(2026, 1, 1))  # the first rate is a day later


def test_a_same_currency_amount_needs_no_rate() -> None:
    conversion = fx.conversion(fx.RateBook(), {"SEK"}, "SEK", DAY)
    assert conversion.convert(12_345, "SEK") == 12_345 and conversion.rates == ()
    assert "no exchange rate" in conversion.describe()


def test_exponents_convert_between_minor_units() -> None:
    conversion = fx.conversion(BOOK, {"JPY"}, "USD", DAY)
    assert conversion.convert(15_000, "JPY") == 100_00  # ¥15,000 = $100.00
    back = fx.conversion(BOOK, {"USD"}, "JPY", DAY)
    assert back.convert(100_00, "USD") == 15_000
    assert "1 JPY = 0.006667 USD (1 May 2026)" in conversion.describe()


@given(st.integers(-(10**12), 10**12), st.sampled_from(["USD", "EUR", "GBP", "CHF"]))
def test_rate_one_changes_nothing(minor: int, currency: str) -> None:
    book = fx.RateBook([fx.Rate(DAY, currency, "XTS", Decimal(1))])
    conversion = fx.conversion(book, {currency}, "XTS", DAY)
    assert conversion.convert(minor, currency) == minor
    assert conversion.exact(minor, currency) == minor


@given(st.integers(0, 10**9), st.sampled_from(["USD", "EUR", "JPY", "KWD", "BHD", "KRW"]))
def test_exponents_round_trip_through_files(minor: int, currency: str) -> None:
    places = exponent(currency)
    written = format_money(minor, places)
    assert Decimal(written) == Decimal(minor).scaleb(-places)
    if places <= 2:  # the file reader reads up to two decimals, then rescales
        assert minor_from_cents(parse_money_cents(written), currency) == minor
    assert to_major(minor, currency) == pytest.approx(float(Decimal(written)))


def test_amounts_show_in_their_own_units() -> None:
    assert money(1_200, "JPY") == "¥1,200"
    assert money(1_200_00, "EUR") == "€1,200"
    assert money(1_250_000, "KWD") == "KWD 1,250"
    with pytest.raises(ValueError, match="JPY amounts have no decimals"):
        minor_from_cents(12_50, "JPY")


@given(
    st.lists(st.integers(1, 10**9), min_size=1, max_size=6),
    st.fractions(min_value=Fraction(1, 1000), max_value=Fraction(1000)),
)
def test_reconciled_parts_add_up_to_the_rounded_total(parts: list[int], rate: Fraction) -> None:
    signed = [part if i % 2 == 0 else -part for i, part in enumerate(parts)]
    exact = [part * rate for part in signed]
    total = fx.round_half_away(sum(exact, Fraction(0)))
    rounded = fx.reconcile(total, exact)
    assert sum(rounded) == total
    assert all(abs(r - e) <= len(parts) for r, e in zip(rounded, exact, strict=True))
