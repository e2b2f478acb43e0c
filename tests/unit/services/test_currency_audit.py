"""The audit of every place that adds or shows money (issue 20): an account's ARR is in its own
currency (a movement in another converts at the latest rate on or before the day, or the ARR
is unknown, never summed raw nor taken at 1); per-record figures keep their currency; totals
across records convert. Each figure is checked against a hand computation."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from am_desktop.domain import fx
from am_desktop.domain.brief import suggested_agenda
from am_desktop.errors import ValidationError
from am_desktop.services import catalog, ledger, portfolio, rates
from am_desktop.services.brief import read_brief
from am_desktop.services.store import Store
from am_desktop.services.workspace import account_figures, account_plan
from tests.support.ledger_moves import move

OPENED, LATER = date(2020, 1, 1), date(2020, 6, 1)
TODAY = date.today()
#: 1 EUR = 1.20 USD and 1 USD = 150 JPY, recorded before every movement.
RATES = (
    fx.Rate(OPENED, "EUR", "USD", Decimal("1.20")),
    fx.Rate(OPENED, "USD", "JPY", Decimal("150")),
)


def summary_arr(store: Store, account: int) -> int | None:
    with store.raw() as connection:
        (arr,) = connection.execute(
            "SELECT arr_cents FROM account_summary WHERE account_id = ?", (account,)
        ).fetchone()
    return None if arr is None else int(arr)


@pytest.fixture
def mixed(store: Store) -> dict[str, int]:
    """US (USD) holds a EUR renewal expansion; DE is EUR only; JP (JPY) holds a USD one."""
    made = {
        name: catalog.accounts.create(store, {"name": name, "currency": code}).id
        for name, code in (("US", "USD"), ("DE", "EUR"), ("JP", "JPY"))
    }
    move(store, made["US"], OPENED, "new", 1_000_00, currency="USD")
    move(store, made["US"], LATER, "expansion", 100_00, currency="EUR")  # a contract in EUR
    move(store, made["DE"], OPENED, "new", 500_00, currency="EUR")
    move(store, made["JP"], OPENED, "new", 30_000, currency="JPY")  # ¥30,000: no decimals
    move(store, made["JP"], LATER, "expansion", 10_00, currency="USD")  # $10.00
    return made


def test_account_arr_is_in_its_own_currency_converting_other_movements(
    store: Store, mixed: dict[str, int]
) -> None:
    rates.save_rates(store, RATES)  # recording rates refreshes the converted summaries
    # US: $1,000.00 + €100.00 x 1.20 = $1,120.00; JP: ¥30,000 + $10.00 x 150 = ¥31,500.
    expected = {"US": 1_120_00, "DE": 500_00, "JP": 31_500}
    assert {name: summary_arr(store, i) for name, i in mixed.items()} == expected
    rows = portfolio.account_rows(store, list(mixed.values()), TODAY)
    assert {name: rows[i].arr_cents for name, i in mixed.items()} == expected
    assert {name: ledger.account_arr(store, i, TODAY) for name, i in mixed.items()} == expected
    by_account = ledger.arr_by_account(store, TODAY)
    assert {name: by_account[i] for name, i in mixed.items()} == expected
    figures = account_figures(store, mixed["JP"], TODAY)
    assert (figures.arr_cents, figures.account.currency, figures.arr_problem) == (
        31_500,
        "JPY",
        None,
    )


def test_a_missing_rate_leaves_the_account_arr_unknown_never_a_raw_sum(
    store: Store, mixed: dict[str, int]
) -> None:
    # No rate yet: US's EUR movement cannot convert, so its ARR is unknown (not 1,100.00).
    assert summary_arr(store, mixed["US"]) is None
    assert summary_arr(store, mixed["DE"]) == 500_00  # one currency: needs no rate
    assert ledger.account_arr(store, mixed["US"], TODAY) is None
    figures = account_figures(store, mixed["US"], TODAY)
    assert figures.arr_cents is None
    assert figures.arr_problem is not None and "No EUR rate" in figures.arr_problem
    rates.save_rates(store, RATES)
    assert summary_arr(store, mixed["US"]) == 1_120_00
    rates.delete_rate(store, OPENED, "EUR", "USD")  # forgetting it makes it unknown again
    assert summary_arr(store, mixed["US"]) is None
    assert summary_arr(store, mixed["JP"]) == 31_500  # its USD rate is still there


def test_portfolio_arr_converts_each_currency_at_one_rate(
    store: Store, mixed: dict[str, int]
) -> None:
    with pytest.raises(ValidationError, match="No EUR rate"):
        ledger.portfolio_arr(store, TODAY, "USD")
    rates.save_rates(store, RATES)
    # USD $1,010.00; EUR €600.00 x 1.20 = $720.00; JPY ¥30,000 / 150 = $200.00.
    assert ledger.portfolio_arr(store, TODAY, "USD") == 1_010_00 + 720_00 + 200_00
    # Into JPY: $1,010 x 150 = ¥151,500; €600 x 1.2 x 150 = ¥108,000 (via USD); ¥30,000.
    assert ledger.portfolio_arr(store, TODAY, "JPY") == 151_500 + 108_000 + 30_000


def test_the_brief_shows_the_account_arr_and_each_opportunity_in_its_own_currency(
    store: Store, mixed: dict[str, int]
) -> None:
    rates.save_rates(store, RATES)
    for name, amount, code in (("Berlin", 50_000_00, "EUR"), ("Boston", 40_000_00, "USD")):
        catalog.opportunities.create(
            store,
            {"account_id": mixed["US"], "name": name, "amount_cents": amount, "currency": code},
        )
    brief = read_brief(store, mixed["US"], TODAY)
    assert (brief.arr_cents, brief.currency) == (1_120_00, "USD")
    assert {o.name: o.currency for o in brief.opportunities} == {"Berlin": "EUR", "Boston": "USD"}
    # €50,000 is not compared with $40,000 raw: the account's currency comes first.
    assert any(p.endswith("$40,000)") for p in suggested_agenda(brief))
    jp = read_brief(store, mixed["JP"], TODAY)
    assert (jp.arr_cents, jp.currency) == (31_500, "JPY")


def test_whitespace_amounts_are_in_the_account_currency(
    store: Store, mixed: dict[str, int]
) -> None:
    assert account_plan(store, mixed["DE"]).currency == "EUR"
    assert account_plan(store, mixed["JP"]).currency == "JPY"


def test_one_currency_figures_do_not_change(store: Store) -> None:
    """A USD-only portfolio: every figure is the plain signed sum, with no rate recorded."""
    a = catalog.accounts.create(store, {"name": "A", "currency": "USD"}).id
    b = catalog.accounts.create(store, {"name": "B", "currency": "USD"}).id
    move(store, a, OPENED, "new", 1_234_56, currency="USD")
    move(store, a, LATER, "contraction", 234_56, currency="USD")
    move(store, b, OPENED, "new", 99_99, currency="USD")
    move(store, b, LATER, "churn", 99_99, currency="USD")
    assert (summary_arr(store, a), summary_arr(store, b)) == (1_000_00, 0)
    assert ledger.arr_by_account(store, TODAY) == {a: 1_000_00, b: 0}
    assert ledger.account_arr(store, a, TODAY) == 1_000_00
    assert ledger.portfolio_arr(store, TODAY) == 1_000_00
    figures = account_figures(store, a, TODAY)
    assert (figures.arr_cents, figures.arr_problem) == (1_000_00, None)
    assert read_brief(store, a, TODAY).arr_cents == 1_000_00
