"""The ARR ledger's arithmetic (PRODUCT.md §3), against the SQL the services run."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from am_desktop.domain.enums import MovementType
from am_desktop.domain.ledger import Movement, arr_by_account, portfolio_arr

DAY0 = date(2025, 1, 1)

movements = st.lists(
    st.builds(
        Movement,
        account_key=st.sampled_from(["a", "b", "c"]),
        occurred_on=st.integers(0, 400).map(lambda n: DAY0 + timedelta(days=n)),
        type=st.sampled_from(list(MovementType)),
        amount_cents=st.integers(1, 10_000_000),
    ),
    max_size=40,
)


@given(movements, st.randoms(use_true_random=False), st.integers(0, 400))
def test_arr_does_not_depend_on_the_order_of_movements(
    ledger: list[Movement], shuffler: object, offset: int
) -> None:
    on = DAY0 + timedelta(days=offset)
    shuffled = list(ledger)
    shuffler.shuffle(shuffled)  # type: ignore[attr-defined]
    assert arr_by_account(shuffled, on) == arr_by_account(ledger, on)


@given(movements)
def test_arr_is_the_signed_sum_of_movements_up_to_the_day(ledger: list[Movement]) -> None:
    end = DAY0 + timedelta(days=400)
    expected = sum(
        m.amount_cents * (-1 if m.type in ("contraction", "churn") else 1) for m in ledger
    )
    assert portfolio_arr(ledger, end) == expected
    assert portfolio_arr(ledger, DAY0 - timedelta(days=1)) == 0


def test_a_movement_counts_from_its_own_day_on() -> None:
    ledger = [
        Movement("a", DAY0, MovementType.NEW, 100),
        Movement("a", DAY0 + timedelta(days=1), MovementType.CHURN, 100),
    ]
    assert arr_by_account(ledger, DAY0) == {"a": 100}
    assert arr_by_account(ledger, DAY0 + timedelta(days=1)) == {"a": 0}
