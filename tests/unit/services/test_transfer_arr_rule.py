"""Export and import value an account's ARR by the one rule of ``services/summaries`` (issue
20): its own currency, a movement in another converted at the latest rate on or before the
day, unknown without a rate — never a raw sum of two currencies."""

from __future__ import annotations

import csv
import logging
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from am_desktop.domain import fx
from am_desktop.services import catalog, rates
from am_desktop.services.store import Store
from am_desktop.services.transfer.exporter import export_records
from am_desktop.services.transfer.importer import import_csv

TODAY = date.today()
BEFORE = date(2025, 1, 2)


def _usd_account_with_a_eur_renewal(store: Store) -> int:
    """USD 1,000 new, then a EUR 100 expansion (a contract written in EUR)."""
    account = catalog.accounts.create(
        store, {"name": "Acme", "domain": "acme.test", "currency": "USD"}
    ).id
    for kind, amount, code in (("new", 1000_00, "USD"), ("expansion", 100_00, "EUR")):
        catalog.movements.create(
            store,
            {
                "account_id": account,
                "occurred_on": BEFORE,
                "type": kind,
                "amount_cents": amount,
                "currency": code,
            },
        )
    return account


def _exported_accounts(store: Store, tmp_path: Path) -> list[dict[str, str]]:
    out = tmp_path / "accounts.csv"
    with out.open("w", newline="", encoding="utf-8") as handle:
        export_records(store, "accounts", handle, today=TODAY)
    with out.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_exported_arr_converts_a_foreign_movement(store: Store, tmp_path: Path) -> None:
    _usd_account_with_a_eur_renewal(store)
    rates.save_rates(store, [fx.Rate(BEFORE, "EUR", "USD", Decimal("1.2"))])
    (row,) = _exported_accounts(store, tmp_path)
    assert (row["arr"], row["currency"]) == ("1120", "USD")  # not 1000 (USD only), not 1100


def test_an_unknown_arr_is_exported_empty_with_the_reason_in_the_log(
    store: Store, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    _usd_account_with_a_eur_renewal(store)
    with caplog.at_level(logging.WARNING, logger="am_desktop.export"):
        (row,) = _exported_accounts(store, tmp_path)
    assert row["arr"] == ""  # neither 1000 nor 1100: nobody can say
    assert "Acme" in caplog.text and "No EUR rate" in caplog.text  # fx's sentence names the rate


def test_an_unknown_arr_is_null_in_json(store: Store, tmp_path: Path) -> None:
    _usd_account_with_a_eur_renewal(store)
    out = tmp_path / "accounts.json"
    with out.open("w", encoding="utf-8") as handle:
        export_records(store, "accounts", handle, fmt="json", today=TODAY)
    assert '"arr": null' in out.read_text(encoding="utf-8")


def _kept(store: Store, tmp_path: Path, arr: str) -> int:
    path = tmp_path / "stated.csv"
    path.write_text(f"name,domain,arr\nAcme,acme.test,{arr}\n", encoding="utf-8")
    return import_csv(store, "accounts", path).ledger_kept


def test_an_imported_arr_is_compared_with_the_ledger_by_the_one_rule(
    store: Store, tmp_path: Path
) -> None:
    """Guards ``ledger_plan``'s comparison: a file's ARR (in the account's currency) against
    the ledger valued by the rule. A raw sum would call USD 1,000 + EUR 100 "1,100" — equal
    to a file saying 1100 (wrong) and different from one saying 1120 (the true figure)."""
    _usd_account_with_a_eur_renewal(store)
    rates.save_rates(store, [fx.Rate(BEFORE, "EUR", "USD", Decimal("1.2"))])
    assert _kept(store, tmp_path, "1120") == 0
    assert _kept(store, tmp_path, "1100") == 1
    with store.raw() as connection:  # the ledger is history: kept either way
        assert connection.execute("SELECT count(*) FROM arr_movement").fetchone()[0] == 2


def test_an_exported_two_currency_account_imports_back_without_a_difference(
    store: Store, tmp_path: Path
) -> None:
    _usd_account_with_a_eur_renewal(store)
    rates.save_rates(store, [fx.Rate(BEFORE, "EUR", "USD", Decimal("1.2"))])
    out = tmp_path / "round.csv"
    with out.open("w", newline="", encoding="utf-8") as handle:
        export_records(store, "accounts", handle)
    assert import_csv(store, "accounts", out).ledger_kept == 0


def test_a_ledger_without_a_rate_is_not_called_different(store: Store, tmp_path: Path) -> None:
    _usd_account_with_a_eur_renewal(store)
    assert _kept(store, tmp_path, "1100") == 0  # unknown, not "differs" (nor "agrees")
