"""The ledger in SQL agrees with the reference arithmetic, whatever order rows come in."""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from am_desktop.domain.enums import MovementType
from am_desktop.domain.ledger import Movement, arr_by_account
from am_desktop.domain.values import format_money
from am_desktop.services import catalog, ledger
from am_desktop.services.store import open_store
from am_desktop.services.transfer.importer import import_csv

DAY0 = date(2025, 1, 1)
DOMAINS = ("acme.com", "globex.com")

movements = st.lists(
    st.builds(
        Movement,
        account_key=st.sampled_from(DOMAINS),
        occurred_on=st.integers(0, 60).map(lambda n: DAY0 + timedelta(days=n)),
        type=st.sampled_from(list(MovementType)),
        amount_cents=st.integers(1, 10_000_000),
    ),
    min_size=1,
    max_size=25,
)


def _csv(rows: list[Movement]) -> str:
    lines = ["account,date,type,amount"]
    lines += [
        f"{m.account_key},{m.occurred_on},{m.type.value},{format_money(m.amount_cents)}"
        for m in rows
    ]
    return "\n".join(lines) + "\n"


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(movements, st.randoms(use_true_random=False), st.integers(0, 60))
def test_imported_arr_is_the_signed_sum_whatever_the_order(
    rows: list[Movement], shuffler: object, offset: int
) -> None:
    on = DAY0 + timedelta(days=offset)
    shuffled = list(rows)
    shuffler.shuffle(shuffled)  # type: ignore[attr-defined]
    expected = arr_by_account(rows, on)
    for order in (rows, shuffled):
        with tempfile.TemporaryDirectory() as folder:
            store = open_store(Path(folder) / "db.sqlite3")
            ids = {d: catalog.accounts.create(store, {"name": d, "domain": d}).id for d in DOMAINS}
            source = Path(folder) / "arr.csv"
            source.write_text(_csv(order))
            summary = import_csv(store, "arr", source)
            assert summary.added == len(order)
            by_account = ledger.arr_by_account(store, on)
            assert {d: by_account[i] for d, i in ids.items() if i in by_account} == expected
            assert ledger.portfolio_arr(store, on) == sum(expected.values())
            for domain, account_id in ids.items():
                assert ledger.account_arr(store, account_id, on) == expected.get(domain, 0)
            store.close()


def test_archived_movements_leave_the_ledger(store) -> None:  # type: ignore[no-untyped-def]
    account = catalog.accounts.create(store, {"name": "Acme"})
    new = catalog.movements.create(
        store, {"account_id": account.id, "occurred_on": DAY0, "type": "new", "amount_cents": 500}
    )
    catalog.movements.create(
        store,
        {"account_id": account.id, "occurred_on": DAY0, "type": "expansion", "amount_cents": 100},
    )
    assert ledger.account_arr(store, account.id, DAY0) == 600
    catalog.movements.archive(store, new.id)
    assert ledger.account_arr(store, account.id, DAY0) == 100
    assert [m.amount_cents for m in ledger.account_movements(store, account.id)] == [100]
