"""KPIs from the ledger: the period's boundaries as PRODUCT.md §3 states them."""

from __future__ import annotations

from datetime import date

import pytest

from am_desktop.services import catalog, renewals
from am_desktop.services.kpis import period_kpis
from am_desktop.services.store import Store

START, END = date(2026, 1, 1), date(2026, 12, 31)


def move(store: Store, account: int, on: date, kind: str, amount: int) -> None:
    catalog.movements.create(
        store, {"account_id": account, "occurred_on": on, "type": kind, "amount_cents": amount}
    )


@pytest.fixture
def accounts(store: Store) -> dict[str, int]:
    made = {n: catalog.accounts.create(store, {"name": n}).id for n in ("A", "B", "C", "D")}
    move(store, made["A"], date(2025, 12, 31), "new", 100_00)  # the day before: cohort
    move(store, made["A"], START, "expansion", 20_00)  # the first day: inside
    move(store, made["A"], END, "contraction", 10_00)  # the last day: inside
    move(store, made["A"], date(2027, 1, 1), "expansion", 999_00)  # the day after: outside
    move(store, made["B"], date(2025, 6, 1), "new", 50_00)
    move(store, made["B"], date(2026, 3, 1), "churn", 50_00)
    move(store, made["B"], date(2026, 9, 1), "reactivation", 30_00)  # churn, then back
    move(store, made["C"], START, "new", 40_00)  # new inside the period: not in the cohort
    move(store, made["D"], date(2025, 1, 1), "new", 10_00)
    move(store, made["D"], date(2025, 6, 1), "churn", 10_00)  # gone before: not in the cohort
    return made


def test_boundaries_cohort_and_reactivation(store: Store, accounts: dict[str, int]) -> None:
    kpis = period_kpis(store, START, END)
    assert kpis.starting_arr == 150_00 and kpis.accounts_at_start == 2
    assert (kpis.expansion, kpis.contraction, kpis.churn) == (50_00, 10_00, 50_00)
    assert kpis.new_arr == 40_00
    assert kpis.ending_arr == 110_00 + 30_00 + 40_00
    assert kpis.nrr == pytest.approx((150 + 50 - 10 - 50) / 150)
    assert kpis.logo_retention == 1.0  # B came back before the end


def test_one_account_and_a_reversed_period(store: Store, accounts: dict[str, int]) -> None:
    from am_desktop.errors import ValidationError

    kpis = period_kpis(store, START, END, account_id=accounts["A"])
    assert (kpis.starting_arr, kpis.ending_arr, kpis.accounts_at_start) == (100_00, 110_00, 1)
    with pytest.raises(ValidationError, match="ends before"):
        period_kpis(store, END, START)


def test_surveys_and_time_to_renewal_inside_the_period(
    store: Store, accounts: dict[str, int]
) -> None:
    a = accounts["A"]
    for on, kind, score in (
        (START, "nps", 10),
        (END, "nps", 0),
        (date(2025, 12, 31), "nps", 10),  # outside
        (date(2026, 6, 1), "csat", 5),
    ):
        catalog.surveys.create(
            store, {"account_id": a, "responded_on": on, "kind": kind, "score": score}
        )
    made = catalog.contracts.create(
        store, {"account_id": a, "start_date": date(2026, 1, 1), "end_date": date(2026, 12, 31),
                "arr_cents": 100_00},
    )  # fmt: skip
    renewal = catalog.renewals.create(store, {"contract_id": made.id}).id
    renewals.close_renewal(store, renewal, renewed=True, on=date(2026, 12, 1))
    kpis = period_kpis(store, START, END)
    assert (kpis.nps, kpis.csat) == (0.0, 100.0)
    assert kpis.time_to_renewal_days == 30.0
