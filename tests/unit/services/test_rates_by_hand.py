"""The rate table edited by hand (Preferences → Currencies) and the accounts list's
conversion: one rate added, replaced and deleted; each account currency converts into the
reporting one or says why it cannot; the ARR order follows the reporting figures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from am_desktop.domain import fx
from am_desktop.domain.portfolio import PortfolioQuery, SortKey
from am_desktop.errors import ValidationError
from am_desktop.services import catalog, portfolio, rates
from am_desktop.services.store import Store

DAY = date(2026, 6, 1)
TODAY = date(2026, 11, 22)


def test_a_rate_added_by_hand_is_listed_then_replaced_then_deleted(store: Store) -> None:
    done = rates.add_rate(store, "2026-06-01", " eur ", "USD", "1.0841")
    assert (done.added, done.replaced) == (1, 0)
    assert rates.list_rates(store) == [fx.Rate(DAY, "EUR", "USD", Decimal("1.0841"))]
    again = rates.add_rate(store, "2026-06-01", "EUR", "USD", "1.09")
    assert (again.added, again.replaced) == (0, 1)
    assert [rate.rate for rate in rates.list_rates(store)] == [Decimal("1.09")]
    assert rates.delete_rate(store, DAY, "EUR", "USD") is True
    assert rates.list_rates(store) == []
    assert rates.delete_rate(store, DAY, "EUR", "USD") is False  # already gone


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        (("2026-06-01", "EUR", "USD", "abc"), "rate", "The rate 'abc' is not a number"),
        (("2026-06-01", "EUR", "USD", "-1"), "rate", "is not a positive rate"),
        (("2026-06-01", "EUR", "EUR", "1.1"), "quote", "is the same currency as base"),
        (("2026-06-01", "EURO", "USD", "1.1"), "base", "The base currency"),
        (("2026-06-01", "EUR", "USD", ""), "rate", "The rate is required"),
    ],
)
def test_a_wrong_rate_is_refused_naming_its_field(
    store: Store, values: tuple[str, str, str, str], field: str, words: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        rates.add_rate(store, *values)
    assert refused.value.field == field
    assert words in refused.value.user_message
    assert rates.list_rates(store) == []


def test_each_account_currency_converts_or_says_why_not(store: Store) -> None:
    for name, code in (("US", "USD"), ("DE", "EUR"), ("CH", "CHF")):
        catalog.accounts.create(store, {"name": name, "currency": code})
    rates.add_rate(store, "2026-06-01", "EUR", "USD", "1.20")
    found = rates.reporting_rates(store, "USD", TODAY)
    assert found.convert(100_00, "USD") == 100_00  # home: no rate needed
    assert found.convert(100_00, "EUR") == 120_00
    assert found.convert(100_00, "CHF") is None
    assert found.problem("EUR") is None
    problem = found.problem("CHF")
    assert problem is not None and problem.startswith("No CHF rate on or before 22 Nov 2026")
    assert found.factors() == {"USD": 1.0, "EUR": pytest.approx(1.2)}


def test_arr_sorts_on_the_reporting_figure(store: Store) -> None:
    """€900 at 1.20 is $1,080: above $1,000, though 900 < 1000; no rate sorts last."""
    ids = {}
    for name, code, cents in (("US", "USD", 1000_00), ("DE", "EUR", 900_00), ("CH", "CHF", 5)):
        ids[name] = catalog.accounts.create(store, {"name": name, "currency": code}).id
        catalog.movements.create(
            store,
            {"account_id": ids[name], "occurred_on": DAY, "type": "new",
             "amount_cents": cents, "currency": code},
        )  # fmt: skip
    rates.add_rate(store, "2026-06-01", "EUR", "USD", "1.20")
    portfolio.refresh_if_stale(store, TODAY)
    factors = rates.reporting_rates(store, "USD", TODAY).factors()
    largest_first = PortfolioQuery(sort=SortKey.ARR, descending=True)
    assert portfolio.account_ids(store, largest_first, TODAY, factors) == [
        ids["DE"],
        ids["US"],
        ids["CH"],
    ]
    smallest_first = PortfolioQuery(sort=SortKey.ARR)
    assert portfolio.account_ids(store, smallest_first, TODAY, factors) == [
        ids["US"],
        ids["DE"],
        ids["CH"],
    ]
    assert portfolio.account_ids(store, largest_first, TODAY) == [
        ids["US"],
        ids["DE"],
        ids["CH"],
    ]  # unconverted (the old order): raw minor units
