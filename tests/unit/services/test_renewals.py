"""Renewals: the upcoming list and its boundaries, what closing writes, re-open, the forecast."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from am_desktop.domain.enums import MovementType, RenewalStage
from am_desktop.errors import ValidationError
from am_desktop.services import catalog, ledger, renewals
from am_desktop.services.renewal_queries import forecast, upcoming
from am_desktop.services.store import Store

TODAY = date(2026, 11, 22)


@pytest.fixture
def acme(store: Store) -> int:
    account = catalog.accounts.create(store, {"name": "Acme"}).id
    catalog.movements.create(
        store,
        {
            "account_id": account,
            "occurred_on": date(2025, 1, 1),
            "type": "new",
            "amount_cents": 10_000_00,
        },
    )
    return account


def contract(store: Store, account: int, ends_in: int, *, notice: int = 30, arr: int = 10_000_00,
             stage: str = "proposal", likelihood: int = 80) -> tuple[int, int]:  # fmt: skip
    end = TODAY + timedelta(days=ends_in)
    made = catalog.contracts.create(
        store,
        {
            "account_id": account,
            "name": f"Term ending {end}",
            "start_date": end - timedelta(days=364),
            "end_date": end,
            "arr_cents": arr,
            "notice_days": notice,
        },
    )
    renewal = catalog.renewals.create(
        store, {"contract_id": made.id, "stage": stage, "likelihood": likelihood}
    )
    return made.id, renewal.id


def test_the_window_includes_today_and_its_last_day_and_leaves_closed_ones_out(
    store: Store, acme: int
) -> None:
    contract(store, acme, 0)
    contract(store, acme, 90)
    contract(store, acme, 91)
    contract(store, acme, -1)
    contract(store, acme, 10, stage="renewed")
    rows = upcoming(store, TODAY, 90)
    assert [row.days_left(TODAY) for row in rows] == [0, 90]


def test_a_notice_period_longer_than_the_time_left_has_a_deadline_in_the_past(
    store: Store, acme: int
) -> None:
    contract(store, acme, 20, notice=60)
    (row,) = upcoming(store, TODAY, 90)
    assert row.notice_deadline == TODAY - timedelta(days=40)
    document = row.as_json(TODAY)
    assert document == {
        "account": "Acme",
        "contract": f"Term ending {TODAY + timedelta(days=20)}",
        "end_date": (TODAY + timedelta(days=20)).isoformat(),
        "notice_deadline": (TODAY - timedelta(days=40)).isoformat(),
        "days_left": 20,
        "arr": 10000.0,
        "currency": "USD",
        "stage": "proposal",
        "likelihood": 80,
    }


def movements(store: Store, account: int) -> list[tuple[MovementType, int]]:
    return [
        (m.type, m.amount_cents)
        for m in ledger.account_movements(store, account)
        if not m.archived and m.type is not MovementType.NEW
    ]


@pytest.mark.parametrize(
    ("renewed", "outcome", "written"),
    [
        (True, 10_000_00, []),
        (True, 12_500_00, [(MovementType.EXPANSION, 2_500_00)]),
        (True, 8_000_00, [(MovementType.CONTRACTION, 2_000_00)]),
        (False, None, [(MovementType.CHURN, 10_000_00)]),
    ],
)
def test_closing_writes_the_ledger_and_reopening_takes_it_back(
    store: Store, acme: int, renewed: bool, outcome: int | None, written: list[object]
) -> None:
    _contract, renewal = contract(store, acme, 30)
    closed = renewals.close_renewal(
        store, renewal, renewed=renewed, on=TODAY, outcome_arr_cents=outcome
    )
    assert closed.stage is (RenewalStage.RENEWED if renewed else RenewalStage.CHURNED)
    assert closed.close_date == TODAY
    assert movements(store, acme) == written
    with pytest.raises(ValidationError, match="already"):
        renewals.close_renewal(store, renewal, renewed=True, on=TODAY)
    undone = renewals.reopen_renewal(store, renewal)
    assert undone.stage is closed.stage and undone.close_date == TODAY  # what was undone
    reopened = catalog.renewals.get(store, renewal)
    assert reopened.stage is RenewalStage.NEGOTIATION and reopened.close_date is None
    assert movements(store, acme) == []


def test_a_churn_never_takes_more_than_the_account_has(store: Store, acme: int) -> None:
    _contract, renewal = contract(store, acme, 30, arr=50_000_00)
    renewals.close_renewal(store, renewal, renewed=False, on=TODAY)
    assert movements(store, acme) == [(MovementType.CHURN, 10_000_00)]
    assert ledger.account_arr(store, acme, TODAY) == 0


def test_the_next_term_starts_in_one_step_and_goes_with_a_reopen(store: Store, acme: int) -> None:
    first, renewal = contract(store, acme, 30)
    renewals.close_renewal(
        store, renewal, renewed=True, on=TODAY, outcome_arr_cents=11_000_00, next_term=True
    )
    following = catalog.contracts.find(store, previous_contract_id=first)
    assert len(following) == 1
    term = following[0]
    ended = catalog.contracts.get(store, first).end_date
    assert term.start_date == ended + timedelta(days=1)
    assert (term.end_date - term.start_date).days in (364, 365)
    assert term.arr_cents == 11_000_00
    assert [r.stage for r in catalog.renewals.find(store, contract_id=term.id)] == [
        RenewalStage.NOT_STARTED
    ]
    renewals.reopen_renewal(store, renewal)
    assert catalog.contracts.find(store, previous_contract_id=first) == []


def test_the_forecast_sums_each_quarter_total_weighted_and_committed(
    store: Store, acme: int
) -> None:
    contract(store, acme, 5, arr=1_000_00, likelihood=50)  # Q4 2026
    contract(store, acme, 20, arr=3_000_00, stage="committed", likelihood=90)  # Q4 2026
    contract(store, acme, 60, arr=2_000_00, likelihood=25)  # Q1 2027
    contract(store, acme, 70, arr=9_000_00, stage="churned", likelihood=0)  # left out
    quarters = forecast(store, TODAY)
    assert [q.label for q in quarters] == ["Q4 2026", "Q1 2027", "Q2 2027", "Q3 2027"]
    q4, q1 = quarters[0], quarters[1]
    assert (q4.renewals, q4.total_cents, q4.weighted_cents, q4.committed_cents) == (
        2,
        4_000_00,
        500_00 + 2_700_00,
        3_000_00,
    )
    assert (q1.total_cents, q1.weighted_cents, q1.committed_cents) == (2_000_00, 500_00, 0)
    assert quarters[2].renewals == 0


@pytest.mark.parametrize(
    ("start", "end", "next_end"),
    [
        (date(2026, 1, 1), date(2026, 12, 31), date(2027, 12, 31)),  # a calendar year
        (date(2026, 3, 15), date(2027, 3, 14), date(2028, 3, 14)),  # a year mid-month
        (date(2026, 1, 1), date(2026, 3, 31), date(2026, 6, 30)),  # a quarter
        (date(2026, 1, 10), date(2026, 2, 20), date(2026, 4, 3)),  # 41 days, again
    ],
)
def test_the_next_term_has_the_same_length(
    store: Store, acme: int, start: date, end: date, next_end: date
) -> None:
    made = catalog.contracts.create(
        store, {"account_id": acme, "start_date": start, "end_date": end, "arr_cents": 1}
    )
    renewal = catalog.renewals.create(store, {"contract_id": made.id}).id
    renewals.close_renewal(store, renewal, renewed=True, on=end, next_term=True)
    (following,) = catalog.contracts.find(store, previous_contract_id=made.id)
    assert (following.start_date, following.end_date) == (end + timedelta(days=1), next_end)


def test_reopening_refuses_when_the_next_term_was_worked_on(store: Store, acme: int) -> None:
    first, renewal = contract(store, acme, 30)
    renewals.close_renewal(store, renewal, renewed=True, on=TODAY, next_term=True)
    (term,) = catalog.contracts.find(store, previous_contract_id=first)
    (next_renewal,) = catalog.renewals.find(store, contract_id=term.id)
    catalog.renewals.update(store, next_renewal.id, {"risk_notes": "Budget review in May"})
    with pytest.raises(ValidationError, match="worked on"):
        renewals.reopen_renewal(store, renewal)
    assert catalog.renewals.get(store, renewal).stage is RenewalStage.RENEWED  # nothing changed


def test_reopening_refuses_when_the_next_term_closed_too(store: Store, acme: int) -> None:
    first, renewal = contract(store, acme, 30)
    renewals.close_renewal(store, renewal, renewed=True, on=TODAY, next_term=True)
    (term,) = catalog.contracts.find(store, previous_contract_id=first)
    (next_renewal,) = catalog.renewals.find(store, contract_id=term.id)
    renewals.close_renewal(
        store, next_renewal.id, renewed=True, on=TODAY, outcome_arr_cents=15_000_00
    )
    with pytest.raises(ValidationError, match="worked on"):
        renewals.reopen_renewal(store, renewal)
    assert movements(store, acme) == [(MovementType.EXPANSION, 5_000_00)]


def test_undoing_a_reopen_restores_the_close_exactly(store: Store, acme: int) -> None:
    first, renewal = contract(store, acme, 30, likelihood=90)
    renewals.close_renewal(
        store, renewal, renewed=True, on=TODAY, outcome_arr_cents=12_000_00, next_term=True
    )
    undone = renewals.reopen_renewal(store, renewal, RenewalStage.PROPOSAL, 90)
    assert catalog.renewals.get(store, renewal).likelihood == 90
    assert catalog.contracts.find(store, previous_contract_id=first) == []
    restored = renewals.restore_close(store, undone)
    assert (restored.stage, restored.outcome_arr_cents, restored.close_date) == (
        RenewalStage.RENEWED,
        12_000_00,
        TODAY,
    )
    assert len(catalog.contracts.find(store, previous_contract_id=first)) == 1
    assert movements(store, acme) == [(MovementType.EXPANSION, 2_000_00)]


def test_the_forecast_counts_a_renewed_contract_at_its_new_arr(store: Store, acme: int) -> None:
    _contract, renewal = contract(store, acme, 5, arr=10_000_00)
    renewals.close_renewal(store, renewal, renewed=True, on=TODAY, outcome_arr_cents=12_500_00)
    (q4, *_rest) = forecast(store, TODAY)
    assert (q4.total_cents, q4.committed_cents) == (12_500_00, 12_500_00)


def test_a_closed_renewal_records_its_time_to_renewal(store: Store, acme: int) -> None:
    _contract, renewal = contract(store, acme, 30)
    renewals.close_renewal(store, renewal, renewed=True, on=TODAY)
    with store.read() as session:
        (line,) = renewals.account_renewals(session, acme)
    assert line.days_to_renewal == 30  # closed a month early


@pytest.mark.parametrize(
    ("name", "renamed"),
    [
        ("Platform subscription 2025", "Platform subscription 2026"),
        ("Order form 2024 2025", "Order form 2024 2026"),
        ("Order form 2024", "Order form 2024"),  # not the term's start year: kept
        ("2025", "2025"),
        ("Master agreement", "Master agreement"),
        (None, None),
    ],
)
def test_a_renewed_term_carries_its_own_start_year(name: str | None, renamed: str | None) -> None:
    assert renewals.next_term_name(name, 2025, 2026) == renamed


def test_todays_first_rows_and_counts_match_the_whole_lists(store: Store, acme: int) -> None:
    """Today reads only what it shows: the first rows, soonest first, and how many in all, the
    same as filtering the whole upcoming list."""
    from am_desktop.services.renewal_queries import first_notices, first_upcoming

    for ends_in, notice in ((5, 0), (20, 10), (40, 30), (60, 90), (95, 70), (120, 30), (3, 2)):
        contract(store, acme, ends_in, notice=notice)
    contract(store, acme, 15, notice=5, stage="churned")

    every = upcoming(store, TODAY)
    soon = [r for r in every if r.days_left(TODAY) <= 90]
    rows, total = first_upcoming(store, TODAY, 90, limit=2)
    assert total == len(soon) == 5
    assert rows == soon[:2]

    horizon = TODAY + timedelta(days=30)
    due = sorted(
        (r for r in every if r.notice_deadline and TODAY <= r.notice_deadline <= horizon),
        key=lambda r: r.notice_deadline or r.end_date,
    )
    rows, total = first_notices(store, TODAY, 30, limit=10)
    assert [(r.notice_deadline - TODAY).days for r in rows] == [1, 10, 10, 25]  # type: ignore[operator]
    assert [r.days_left(TODAY) for r in rows] == [3, 20, 40, 95]  # a tie: the earlier end first
    assert (rows, total) == (due, 4)  # the 60-day one's notice passed; 120's is 90 days off
