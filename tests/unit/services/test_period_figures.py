"""Every figure of a period reconciles, whatever the ledger (issue 15): the dashboard, the
``kpis`` command and both decks read one bridge, and starting ARR plus the movements is the
ending ARR — also for accounts that start, churn or come back inside the period."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from am_desktop.domain import formatting as fmt
from am_desktop.domain.deck import Audience, ChartSlide, TableSlide
from am_desktop.domain.review_deck import build_deck, is_internal
from am_desktop.services import catalog
from am_desktop.services.dashboard import period_data
from am_desktop.services.kpis import period_kpis
from am_desktop.services.review import review_data
from am_desktop.services.store import Store, open_store

DAY0 = date(2025, 1, 1)
SIGN = {"new": 1, "expansion": 1, "reactivation": 1, "contraction": -1, "churn": -1}


@dataclass(frozen=True)
class Move:
    account: int  # index into the test's accounts
    on: date
    type: str
    cents: int


@st.composite
def lifecycle(draw: st.DrawFn, account: int) -> list[Move]:
    """One customer's ledger as it happens: won, grown and shrunk, maybe lost and won back."""
    day = DAY0 + timedelta(days=draw(st.integers(0, 400)))
    arr = draw(st.integers(1, 5_000_000))
    moves = [Move(account, day, "new", arr)]
    for _ in range(draw(st.integers(0, 7))):
        day += timedelta(days=draw(st.integers(0, 120)))
        if arr == 0:
            amount = draw(st.integers(1, 5_000_000))
            moves.append(Move(account, day, "reactivation", amount))
            arr = amount
            continue
        kind = draw(st.sampled_from(["expansion", "contraction", "churn"]))
        if kind == "expansion":
            amount = draw(st.integers(1, 2_000_000))
        elif kind == "contraction" and arr > 1:
            amount = draw(st.integers(1, arr - 1))
        else:
            kind, amount = "churn", arr
        moves.append(Move(account, day, kind, amount))
        arr += SIGN[kind] * amount
    return moves


ledgers = st.lists(st.integers(0, 2), min_size=1, max_size=3, unique=True).flatmap(
    lambda accounts: st.tuples(*(lifecycle(a) for a in accounts))
)
periods = st.tuples(st.integers(0, 800), st.integers(0, 500)).map(
    lambda p: (DAY0 + timedelta(days=p[0]), DAY0 + timedelta(days=p[0] + p[1]))
)


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, list[int]]]:
    """One database for every example (each example replaces the ledger)."""
    store = open_store(tmp_path_factory.mktemp("figures") / "db.sqlite3")
    accounts = [catalog.accounts.create(store, {"name": n}).id for n in ("A", "B", "C")]
    yield store, accounts
    store.close()


def _replace_ledger(store: Store, accounts: list[int], moves: list[Move]) -> None:
    with store.raw(write=True) as connection:
        connection.execute("DELETE FROM arr_movement")
        connection.executemany(
            "INSERT INTO arr_movement (uid, account_id, occurred_on, type, amount_cents, source, "
            "created_at, updated_at, version) VALUES (lower(hex(randomblob(16))), ?, ?, ?, ?, 'manual', "
            "'2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000', 1)",
            [(accounts[m.account], m.on.isoformat(), m.type, m.cents) for m in moves],
        )


def _arr(moves: list[Move], before: date) -> int:
    return sum(SIGN[m.type] * m.cents for m in moves if m.on < before)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(ledgers, periods)
def test_every_bridge_reconciles_with_the_ledger_and_with_each_other(
    shared_store: tuple[Store, list[int]],
    ledger: tuple[list[Move], ...],
    period: tuple[date, date],
) -> None:
    store, accounts = shared_store
    moves = [m for account in ledger for m in account]
    _replace_ledger(store, accounts, moves)
    start, end = period
    kpis = period_kpis(store, start, end)
    bridge = kpis.bridge
    inside = [m for m in moves if start <= m.on <= end]
    # the reference arithmetic, straight from the movements
    assert bridge.starting == _arr(moves, start)
    assert bridge.ending == _arr(moves, end + timedelta(days=1)) == kpis.ending_arr
    for kind in SIGN:
        assert getattr(bridge, kind) == sum(m.cents for m in inside if m.type == kind)
    assert bridge.moved == len(inside)
    # the dashboard's tiles and chart, and its ARR line, end where the bridge ends
    shown = period_data(store, start, end)
    assert shown.kpis.bridge == bridge
    assert shown.arr_by_month[-1][1] == bridge.ending
    # the accounts' bridges add up to the portfolio's
    each = [period_kpis(store, start, end, account_id=a).bridge for a in accounts]
    assert sum(b.ending for b in each) == bridge.ending
    assert sum(b.new + b.reactivation for b in each) == bridge.new + bridge.reactivation
    # the internal deck shows exactly these figures; the customer deck none of them
    data = review_data(store, start, end)
    internal = build_deck(data, Audience.INTERNAL)
    (chart,) = [s for s in internal.charts if s.name == "bridge"]
    if bridge.has_data:
        assert chart.chart.series[0].values == tuple(float(v) for _, v in bridge.steps())
        level = chart.chart.series[0].values[0] or 0.0
        for value in chart.chart.series[0].values[1:-1]:
            level += value or 0.0
        assert level == chart.chart.series[0].values[-1]  # the bars add up
    summary = next(s for s in internal.slides if isinstance(s, TableSlide))
    rows = dict(summary.rows)
    assert rows["Ending ARR"] == (fmt.money(bridge.ending) if bridge.has_data else fmt.NO_DATA)
    for account in accounts:
        customer = build_deck(review_data(store, start, end, account_id=account), Audience.CUSTOMER)
        assert customer.audience is Audience.CUSTOMER
        assert not [t for t in customer.texts() if is_internal(t)]
        assert all(not isinstance(s, ChartSlide) or s.chart.value_format.value != "money"
                   for s in customer.slides)  # fmt: skip


def test_an_account_won_mid_period_shows_its_movements_in_the_bridge(store: Store) -> None:
    """The deck that said "starting $0, expansion $0, new $513k, ending $540k"."""
    account = catalog.accounts.create(store, {"name": "Mid"}).id
    for on, kind, cents in (
        (date(2026, 3, 1), "new", 513_000_00),
        (date(2026, 5, 1), "expansion", 314_000_00),
        (date(2026, 8, 1), "contraction", 286_000_00),
    ):
        catalog.movements.create(
            store, {"account_id": account, "occurred_on": on, "type": kind, "amount_cents": cents}
        )
    kpis = period_kpis(store, date(2026, 1, 1), date(2026, 12, 31), account_id=account)
    assert kpis.bridge.steps() == (
        ("Starting ARR", 0),
        ("New", 513_000_00),
        ("Expansion", 314_000_00),
        ("Reactivation", 0),
        ("Contraction", -286_000_00),
        ("Churn", 0),
        ("Ending ARR", 541_000_00),
    )
    assert kpis.nrr is None  # no cohort: retention is "—", never 0
    assert kpis.expansion == 0  # NRR's expansion is the cohort's (PRODUCT.md §3)
