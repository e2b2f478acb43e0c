"""The account summary cache follows every write to the ledger, contracts and renewals."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

from am_desktop.services import catalog, summaries
from am_desktop.services.store import Store
from am_desktop.services.transfer.importer import import_csv

TODAY = date.today()


def summary(store: Store, account_id: int) -> tuple[object, ...] | None:
    row = (
        sqlite3.connect(store.path)
        .execute(
            "SELECT as_of, arr_cents, next_renewal_on FROM account_summary WHERE account_id = ?",
            (account_id,),
        )
        .fetchone()
    )
    return tuple(row) if row else None


def test_ledger_contract_and_renewal_writes_refresh_the_summary(store: Store) -> None:
    account = catalog.accounts.create(store, {"name": "Acme"})
    move = catalog.movements.create(
        store, {"account_id": account.id, "occurred_on": TODAY, "type": "new", "amount_cents": 500}
    )
    assert summary(store, account.id) == (TODAY.isoformat(), 500, None)
    end = TODAY + timedelta(days=90)
    contract = catalog.contracts.create(
        store,
        {
            "account_id": account.id,
            "start_date": TODAY - timedelta(days=275),
            "end_date": end,
            "arr_cents": 500,
        },
    )
    assert summary(store, account.id) == (TODAY.isoformat(), 500, end.isoformat())
    renewal = catalog.renewals.create(store, {"contract_id": contract.id})
    catalog.renewals.update(store, renewal.id, {"stage": "renewed"})
    assert summary(store, account.id) == (TODAY.isoformat(), 500, None)
    catalog.movements.archive(store, move.id)
    assert summary(store, account.id) == (TODAY.isoformat(), 0, None)


def test_imports_refresh_the_accounts_they_touch(store: Store, tmp_path: Path) -> None:
    source = tmp_path / "accounts.csv"
    source.write_text("name,domain,arr\nAcme,acme.com,1200\n")
    import_csv(store, "accounts", source, today=TODAY)
    account = catalog.accounts.find(store)[0]
    assert summary(store, account.id) == (TODAY.isoformat(), 120000, None)
    source = tmp_path / "arr.csv"
    source.write_text(f"account,date,type,amount\nacme.com,{TODAY},expansion,100\n")
    import_csv(store, "arr", source, today=TODAY)
    assert summary(store, account.id) == (TODAY.isoformat(), 130000, None)


def test_a_new_day_rebuilds_every_summary(store: Store) -> None:
    account = catalog.accounts.create(store, {"name": "Acme"})
    tomorrow = TODAY + timedelta(days=1)
    catalog.movements.create(
        store,
        {"account_id": account.id, "occurred_on": tomorrow, "type": "new", "amount_cents": 700},
    )
    with store.write() as session:
        assert summaries.ensure_fresh(session, TODAY) is False  # every write kept it fresh
    assert summary(store, account.id) == (TODAY.isoformat(), 0, None)
    with store.write() as session:
        assert summaries.ensure_fresh(session, tomorrow) is True
    assert summary(store, account.id) == (tomorrow.isoformat(), 700, None)
