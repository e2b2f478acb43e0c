"""Money in several currencies (issue 20): every total converts at one rate per currency,
a churned account nets to zero, and a one-currency portfolio keeps its figures."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from am_desktop.db import empty_schema
from am_desktop.domain import fx
from am_desktop.errors import ValidationError
from am_desktop.services import catalog, rates
from am_desktop.services.kpis import period_kpis, read_ledger
from am_desktop.services.renewal_queries import forecast
from am_desktop.services.store import Store
from am_desktop.services.transfer.exporter import export_records
from am_desktop.services.transfer.importer import import_csv
from tests.support.ledger_moves import move

START, END = date(2026, 1, 1), date(2026, 12, 31)


@pytest.fixture
def two_currencies(store: Store) -> dict[str, int]:
    """US (USD) grows, DE (EUR) shrinks, FR (EUR) churns entirely, JP (JPY) is new."""
    made = {
        name: catalog.accounts.create(store, {"name": name, "currency": code}).id
        for name, code in (("US", "USD"), ("DE", "EUR"), ("FR", "EUR"), ("JP", "JPY"))
    }
    move(store, made["US"], date(2025, 3, 1), "new", 1000_00, currency="USD")
    move(store, made["US"], date(2026, 4, 1), "expansion", 200_00, currency="USD")
    move(store, made["DE"], date(2025, 5, 1), "new", 500_00, currency="EUR")
    move(store, made["DE"], date(2026, 6, 1), "contraction", 100_00, currency="EUR")
    move(store, made["FR"], date(2025, 5, 1), "new", 300_00, currency="EUR")
    move(store, made["FR"], date(2026, 2, 1), "contraction", 33_33, currency="EUR")
    move(store, made["FR"], date(2026, 9, 1), "churn", 266_67, currency="EUR")
    move(store, made["JP"], date(2026, 7, 1), "new", 30_000, currency="JPY")
    rates.save_rates(
        store,
        [
            fx.Rate(date(2025, 1, 1), "EUR", "USD", Decimal("1.05")),  # older: not used
            fx.Rate(date(2026, 12, 1), "EUR", "USD", Decimal("1.20")),
            fx.Rate(date(2026, 11, 30), "USD", "JPY", Decimal("150")),
        ],
    )
    return made


def test_every_total_of_a_two_currency_portfolio_by_hand(
    store: Store, two_currencies: dict[str, int]
) -> None:
    kpis = period_kpis(store, START, END, currency="USD")
    # €1 = $1.20 for every EUR amount, ¥150 = $1 for the JPY one, whatever their dates.
    starting = 1000_00 + 1.2 * 500_00 + 1.2 * 300_00  # 1960.00
    assert kpis.starting_arr == round(starting) == 1960_00
    assert (kpis.expansion, kpis.contraction, kpis.churn) == (200_00, 120_00 + 40_00, 320_00)
    assert kpis.new_arr == 200_00
    assert kpis.ending_arr == 1200_00 + 480_00 + 0 + 200_00
    bridge = kpis.bridge
    assert bridge.ending == kpis.ending_arr  # reconciles
    assert kpis.nrr == pytest.approx((1960 + 200 - 160 - 320) / 1960)
    assert kpis.grr == pytest.approx((1960 - 160 - 320) / 1960)
    document = kpis.as_json()
    assert document["currency"] == "USD" and document["rates_date"] == "2026-12-31"
    assert [(r["currency"], r["rate"]) for r in document["rates"]] == [  # type: ignore[union-attr]
        ("EUR", 1.2),
        ("JPY", pytest.approx(1 / 150)),
    ]
    in_euros = period_kpis(store, START, END, currency="EUR")
    assert in_euros.ending_arr == 1000_00 + 400_00 + 166_67  # ¥30,000 = $200 = €166.67
    assert in_euros.nrr == pytest.approx(kpis.nrr, abs=1e-5)  # the same, but for cents


def test_a_missing_rate_is_said_never_taken_as_one(
    store: Store, two_currencies: dict[str, int]
) -> None:
    with pytest.raises(ValidationError, match="No EUR rate on or before 31 Dec 2026"):
        period_kpis(store, START, END, currency="CHF")
    with pytest.raises(ValidationError, match="No JPY rate on or before 31 Aug 2026"):
        period_kpis(store, START, date(2026, 8, 31), currency="USD")
    # A period whose amounts are all in USD needs no rate at all.
    assert period_kpis(store, date(2024, 1, 1), date(2024, 12, 31)).ending_arr == 0


def test_the_forecast_converts_each_contract(store: Store, two_currencies: dict[str, int]) -> None:
    for name, arr in (("US", 100_00), ("DE", 100_00)):
        contract = catalog.contracts.create(
            store,
            {
                "account_id": two_currencies[name],
                "start_date": date(2026, 1, 1),
                "end_date": date(2026, 12, 20),
                "arr_cents": arr,
            },
        )
        catalog.renewals.create(store, {"contract_id": contract.id})
    (quarter,) = forecast(store, date(2026, 12, 1), quarters=1, currency="USD")
    assert quarter.total_cents == 100_00 + 120_00  # the DE contract is in the account's EUR


def _ledger(rows: list[tuple[int, str, str, int, str]]) -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    connection.executescript(empty_schema.SCHEMA_FILE.read_text("utf-8"))
    for account, _name, _kind, _amount, _code in rows:
        connection.execute(
            "INSERT OR IGNORE INTO account (id, uid, version, created_at, updated_at, name, "
            "tier, checkin_cadence_days, currency) VALUES (?, ?, 1, '', '', ?, 'standard', 30, "
            "'USD')",
            (account, f"a{account}", f"A{account}"),
        )
    for number, (account, day, kind, amount, code) in enumerate(rows, start=1):
        connection.execute(
            "INSERT INTO arr_movement (id, uid, version, created_at, updated_at, account_id, "
            "occurred_on, type, amount_cents, currency, source) "
            "VALUES (?, ?, 1, '', '', ?, ?, ?, ?, ?, 'manual')",
            (number, f"m{number}", account, day, kind, amount, code),
        )
    return connection


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.integers(1, 10**9), min_size=1, max_size=4),
    st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("10000"), places=4),
    st.sampled_from(["EUR", "JPY", "KWD"]),
)
def test_a_fully_churned_foreign_account_ends_at_exactly_zero(
    pieces: list[int], rate: Decimal, code: str
) -> None:
    """Whatever the rate and however the account shrank, it adds nothing to ending ARR and
    the bridge still reconciles."""
    total = sum(pieces)
    rows = [(1, "2025-06-01", "new", total, code)]
    rows += [(1, f"2026-0{i + 2}-01", "contraction", p, code) for i, p in enumerate(pieces[1:])]
    rows += [(1, "2026-09-01", "churn", pieces[0], code), (2, "2025-01-01", "new", 5_00, "USD")]
    book = fx.RateBook([fx.Rate(date(2026, 1, 1), code, "USD", rate)])
    sums = read_ledger(_ledger(rows), START, END, currency="USD", book=book).sums
    assert sums.arr_at_end[1] == 0
    assert sum(sums.arr_at_end.values()) == 5_00 == sums.bridge.ending
    assert sums.cohort_contraction + sums.cohort_churn == sums.arr_before[1]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 5),
            st.dates(date(2024, 1, 1), date(2027, 6, 30)).map(date.isoformat),
            st.sampled_from(["new", "expansion", "contraction", "churn", "reactivation"]),
            st.integers(1, 10**8),
        ),
        max_size=25,
    )
)
def test_one_currency_gives_the_same_figures_with_or_without_a_rate(
    rows: list[tuple[int, str, str, int]],
) -> None:
    """A one-currency ledger read in its own currency, and through a rate of 1 into another,
    gives the same sums to the cent."""
    ledger = _ledger([(*row, "EUR") for row in rows])
    same = read_ledger(ledger, START, END, currency="EUR").sums
    book = fx.RateBook([fx.Rate(date(2020, 1, 1), "EUR", "XTS", Decimal(1))])
    through_one = read_ledger(ledger, START, END, currency="XTS", book=book).sums
    assert same == through_one


def test_an_arr_file_with_a_currency_column_and_without(store: Store, tmp_path: Path) -> None:
    tokyo = catalog.accounts.create(store, {"name": "Tokyo", "currency": "JPY"}).id
    paris = catalog.accounts.create(store, {"name": "Paris", "currency": "EUR"}).id
    plain = tmp_path / "arr.csv"
    plain.write_text(
        "account,date,type,amount\nTokyo,2026-01-05,new,120000\nParis,2026-01-05,new,99.50\n"
    )
    import_csv(store, "arr", plain)
    both = tmp_path / "arr_usd.csv"
    both.write_text("account,date,type,amount,currency\nParis,2026-02-01,expansion,10.25,USD\n")
    import_csv(store, "arr", both)
    bad = tmp_path / "arr_bad.csv"
    bad.write_text("account,date,type,amount\nTokyo,2026-03-01,expansion,10.50\n")
    with pytest.raises(ValidationError) as refused:
        import_csv(store, "arr", bad)
    assert "JPY amounts have no decimals" in str(refused.value.problems)  # type: ignore[attr-defined]
    with store.raw() as connection:
        stored = connection.execute(
            "SELECT account_id, amount_cents, currency FROM arr_movement ORDER BY id"
        ).fetchall()
    assert stored == [(tokyo, 120000, "JPY"), (paris, 9950, "EUR"), (paris, 1025, "USD")]
    out = tmp_path / "out.csv"
    with out.open("w", newline="") as handle:
        export_records(store, "arr", handle)
    assert ",120000,JPY" in out.read_text() and ",99.50,EUR" in out.read_text()
    import_csv(store, "arr", out)  # exported, imported back: nothing new
    with store.raw() as connection:
        assert connection.execute("SELECT count(*) FROM arr_movement").fetchone()[0] == 3


def test_a_rates_file_is_checked_row_by_row(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "rates.csv"
    path.write_text(
        "date,base,quote,rate\n2026-01-02,EUR,USD,1.0841\n2026-01-02,EUR,EUR,1\n"
        "2026-13-01,GBP,USD,1.2\n2026-01-03,GBP,USD,-1\n"
    )
    with pytest.raises(ValidationError) as refused:
        rates.import_rates(store, path)
    problems = {(p.row, p.column) for p in refused.value.problems}  # type: ignore[attr-defined]
    assert problems == {(3, "quote"), (4, "date"), (5, "rate")}
    assert rates.list_rates(store) == []
    path.write_text("date;base;quote;rate\n2026-01-02;EUR;USD;1,0841\n")
    assert rates.import_rates(store, path).added == 1
    assert rates.import_rates(store, path).unchanged == 1
    (rate,) = rates.list_rates(store)
    assert (rate.base, rate.quote, rate.rate) == ("EUR", "USD", Decimal("1.0841"))
