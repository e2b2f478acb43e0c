"""CSV import and export in currencies (issue 20): a file without a currency column takes the
AM's currency for new accounts and the account's for its amounts; amounts keep exactly the
decimals their currency has (KWD three, JPY none) and export writes them back the same."""

from __future__ import annotations

import os
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from am_desktop import cli
from am_desktop.domain.money import exponent, minor_units
from am_desktop.domain.values import format_money, parse_amount
from am_desktop.errors import ImportRejected
from am_desktop.services import catalog
from am_desktop.services.store import Store
from am_desktop.services.transfer.exporter import export_records
from am_desktop.services.transfer.importer import import_csv


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _rows(store: Store, sql: str) -> list[tuple[object, ...]]:
    with store.raw() as connection:
        return [tuple(row) for row in connection.execute(sql).fetchall()]


def _exported(store: Store, kind: str, tmp_path: Path) -> str:
    out = tmp_path / f"{kind}_out.csv"
    with out.open("w", newline="", encoding="utf-8") as handle:
        export_records(store, kind, handle)
    return out.read_text(encoding="utf-8")


def test_new_accounts_without_a_currency_column_take_the_ams_currency(
    store: Store, tmp_path: Path
) -> None:
    kept = catalog.accounts.create(store, {"name": "Kept", "currency": "GBP"}).id
    path = _write(tmp_path, "accounts.csv", "name,arr\nNeu,1200.50\nKept,300\n")
    import_csv(store, "accounts", path, default_currency="EUR")
    assert _rows(store, "SELECT name, currency FROM account ORDER BY name") == [
        ("Kept", "GBP"),  # an existing account keeps its own currency
        ("Neu", "EUR"),
    ]
    assert _rows(
        store, "SELECT account_id, amount_cents, currency FROM arr_movement ORDER BY account_id"
    ) == [(kept, 30000, "GBP"), (kept + 1, 120050, "EUR")]


def test_arr_rows_without_a_currency_take_their_accounts(store: Store, tmp_path: Path) -> None:
    catalog.accounts.create(store, {"name": "Kuwait", "currency": "KWD"})
    path = _write(tmp_path, "arr.csv", "account,date,type,amount\nKuwait,2026-01-05,new,1.5\n")
    import_csv(store, "arr", path, default_currency="EUR")
    assert _rows(store, "SELECT amount_cents, currency FROM arr_movement") == [(1500, "KWD")]


def test_a_code_that_is_no_currency_is_a_row_error_in_words(store: Store, tmp_path: Path) -> None:
    lines = ["name,currency"] + [f"Firm {n},EUR" for n in range(2, 12)] + ["Euro firm,EURO"]
    path = _write(tmp_path, "accounts.csv", "\n".join(lines) + "\n")
    with pytest.raises(ImportRejected) as refused:
        import_csv(store, "accounts", path)
    assert [str(p) for p in refused.value.problems] == [
        "row 12, currency: 'EURO' is not a currency code (ISO 4217, e.g. EUR)"
    ]
    three_letters = _write(tmp_path, "xyz.csv", "name,currency\nNowhere,XYZ\n")
    with pytest.raises(ImportRejected) as refused:
        import_csv(store, "accounts", three_letters)
    assert "'XYZ' is not a currency code" in str(refused.value.problems[0])
    assert _rows(store, "SELECT count(*) FROM account") == [(0,)]


def test_three_decimals_import_exactly_and_export_back(store: Store, tmp_path: Path) -> None:
    catalog.accounts.create(store, {"name": "Kuwait", "currency": "KWD", "domain": "kw.example"})
    catalog.accounts.create(store, {"name": "Tokyo", "currency": "JPY", "domain": "jp.example"})
    path = _write(
        tmp_path,
        "contracts.csv",
        "account,name,start_date,end_date,arr\n"
        'kw.example,Gulf,2026-01-01,2026-12-31,"1,234.567"\n'
        "jp.example,Edo,2026-01-01,2026-12-31,1200000\n",
    )
    import_csv(store, "contracts", path)
    assert _rows(store, "SELECT name, arr_cents, currency FROM contract ORDER BY id") == [
        ("Gulf", 1234567, "KWD"),
        ("Edo", 1200000, "JPY"),
    ]
    text = _exported(store, "contracts", tmp_path)
    assert ",1234.567,KWD," in text and ",1200000,JPY," in text
    again = _write(tmp_path, "again.csv", text)
    summary = import_csv(store, "contracts", again)
    assert (summary.added, summary.updated, summary.unchanged) == (0, 0, 2)


def test_more_decimals_than_the_currency_has_is_a_row_error(store: Store, tmp_path: Path) -> None:
    catalog.accounts.create(store, {"name": "Tokyo", "currency": "JPY"})
    path = _write(
        tmp_path,
        "arr.csv",
        "account,date,type,amount,currency\n"
        "Tokyo,2026-01-05,new,1234.5,\n"
        "Tokyo,2026-01-06,expansion,10.125,EUR\n"
        "Tokyo,2026-01-07,expansion,10.125,BHD\n",
    )
    with pytest.raises(ImportRejected) as refused:
        import_csv(store, "arr", path)
    assert [str(p) for p in refused.value.problems] == [
        "row 2, amount: '1234.5' has 1 decimal but JPY amounts have no decimals",
        "row 3, amount: '10.125' has 3 decimals but EUR amounts have 2 decimals",
    ]


def test_an_accounts_arr_with_too_many_decimals_is_refused(store: Store, tmp_path: Path) -> None:
    path = _write(tmp_path, "accounts.csv", "name,arr,currency\nTokyo,99.5,JPY\n")
    with pytest.raises(ImportRejected) as refused:
        import_csv(store, "accounts", path)
    assert [str(p) for p in refused.value.problems] == [
        "row 2, arr: '99.5' has 1 decimal but JPY amounts have no decimals"
    ]


def test_the_command_line_import_takes_the_currency_setting(
    store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = Path(os.environ["XDG_CONFIG_HOME"]) / "am-desktop"
    folder.mkdir(parents=True)
    (folder / "am-desktop.ini").write_text("[prefs]\ncurrency=CHF\n", encoding="utf-8")
    path = _write(tmp_path, "accounts.csv", "name,arr\nBern,1000\n")
    store.close()
    assert cli.main(["import", "accounts", str(path), "--db", str(store.path)]) == 0
    capsys.readouterr()
    with sqlite3.connect(store.path) as connection:
        assert connection.execute("SELECT currency FROM account").fetchall() == [("CHF",)]


@st.composite
def amounts(draw: st.DrawFn) -> tuple[str, int]:
    """A currency with 0, 2, 3 or 4 decimals and an amount in its minor units."""
    code = draw(st.sampled_from(["JPY", "KRW", "EUR", "USD", "KWD", "BHD", "OMR", "CLF"]))
    return code, draw(st.integers(min_value=1, max_value=10**13))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(amounts())
def test_an_amount_written_as_export_writes_it_reads_back_the_same(
    amount: tuple[str, int],
) -> None:
    code, minor = amount
    written = format_money(minor, exponent(code))
    assert minor_units(parse_amount(written), code) == minor
    assert minor_units(parse_amount(written.replace(".", ","), decimal_comma=True), code) == minor


@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=1, max_value=9))
def test_a_yen_amount_with_a_decimal_is_refused(whole: int, tenth: int) -> None:
    with pytest.raises(ValueError, match="JPY amounts have no decimals"):
        minor_units(Decimal(f"{whole}.{tenth}"), "JPY")


def test_arr_files_round_trip_in_every_exponent(store: Store, tmp_path: Path) -> None:
    codes = {"JPY": "12345", "EUR": "12345.67", "KWD": "12345.678", "CLF": "1.2345"}
    for code in codes:
        catalog.accounts.create(store, {"name": code, "currency": code})
    lines = [f"{code},2026-01-05,new,{amount}" for code, amount in codes.items()]
    path = _write(tmp_path, "arr.csv", "account,date,type,amount\n" + "\n".join(lines) + "\n")
    import_csv(store, "arr", path)
    assert _rows(store, "SELECT currency, amount_cents FROM arr_movement ORDER BY id") == [
        ("JPY", 12345),
        ("EUR", 1234567),
        ("KWD", 12345678),
        ("CLF", 12345),
    ]
    text = _exported(store, "arr", tmp_path)
    for code, amount in codes.items():
        assert f",{amount},{code}" in text
    summary = import_csv(store, "arr", _write(tmp_path, "back.csv", text))
    assert (summary.added, summary.unchanged) == (0, 4)
