"""Data files as users have them (PRODUCT.md §2, issue 16): a semicolon-separated CSV with
decimal commas, Windows-1252 text and an .xlsx workbook import exactly like UTF-8 comma CSV."""

from __future__ import annotations

import csv
import io
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from am_desktop.domain import values
from am_desktop.domain.csv_formats import FORMATS, KINDS
from am_desktop.errors import ImportRejected, ValidationError
from am_desktop.resources import EXAMPLES, resource_path
from am_desktop.services import catalog, ledger
from am_desktop.services.store import Store
from am_desktop.services.transfer.csv_reader import read_headers
from am_desktop.services.transfer.importer import ImportSummary, import_csv
from am_desktop.services.transfer.table_files import cell_text

TODAY = date(2026, 11, 22)


def run(store: Store, kind: str, path: Path, **options: bool) -> ImportSummary:
    return import_csv(store, kind, path, today=TODAY, **options)


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    connection = sqlite3.connect(path)
    tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    return {t: connection.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def example_rows(kind: str) -> list[list[str]]:
    with resource_path(f"{EXAMPLES}/{kind}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _is_number(kind: str, header: str) -> bool:
    return any(c.name == header and c.comma_parse is not None for c in FORMATS[kind])


def european_csv(kind: str, path: Path) -> Path:
    """The example as a German Excel saves "CSV": ``;``, ``1.234,56``, Windows-1252, CRLF."""
    header, *rows = example_rows(kind)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(
            _decimal_comma(cell) if _is_number(kind, name) and cell else cell
            for name, cell in zip(header, row, strict=True)
        )
    path.write_bytes(out.getvalue().encode("cp1252"))
    return path


def _decimal_comma(cell: str) -> str:
    units, _, cents = cell.partition(".")
    grouped = f"{int(units):,}".replace(",", ".")
    return f"{grouped},{cents.ljust(2, '0')}" if cents else grouped


def workbook(kind: str, path: Path) -> Path:
    """The example as an Excel workbook: numbers, dates and yes/no as typed cells."""
    book = Workbook()
    sheet = book.active
    header, *rows = example_rows(kind)
    sheet.append(header)
    parse = {c.name: c.parse for c in FORMATS[kind]}
    for row in rows:
        sheet.append(
            [_typed(parse.get(name), cell) for name, cell in zip(header, row, strict=True)]
        )
    book.create_sheet("Second sheet").append(["ignored"])
    book.save(path)
    return path


def _typed(parse: object, cell: str) -> object:
    if not cell:
        return None
    if parse is values.parse_date:
        return datetime.fromisoformat(cell)  # Excel keeps dates as date-times at midnight
    if parse is values.parse_datetime:
        return values.parse_datetime(cell).replace(tzinfo=None)  # Excel has no time zones
    if parse is values.parse_bool:
        return values.parse_bool(cell)
    if cell.replace(".", "", 1).isdigit():
        return float(cell) if "." in cell else int(cell)
    return cell


def load_examples(store: Store) -> None:
    for kind in KINDS:
        run(store, kind, resource_path(f"{EXAMPLES}/{kind}.csv"))


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("make", [european_csv, workbook], ids=["semicolon-cp1252", "xlsx"])
def test_each_format_imports_exactly_like_the_utf8_comma_csv(
    store: Store, tmp_path: Path, kind: str, make: object
) -> None:
    load_examples(store)
    before = dump(store.path)
    suffix = ".xlsx" if make is workbook else ".csv"
    path = make(kind, tmp_path / f"{kind}{suffix}")  # type: ignore[operator]
    for _ in range(2):  # and importing it twice changes nothing either
        summary = run(store, kind, path)
        assert (summary.rows, summary.added, summary.updated) == (summary.unchanged, 0, 0)
        assert summary.rows > 0 and summary.ledger_movements == 0
        assert dump(store.path) == before


def test_the_examples_import_in_order_into_an_empty_database(store: Store) -> None:
    load_examples(store)
    nordwerk = catalog.accounts.find(store, domain="nordwerk.de")[0]
    assert nordwerk.name == "Nordwerk Maschinenbau GmbH"
    assert ledger.account_arr(store, nordwerk.id, TODAY) == 144_000_00  # 120,000 + 24,000
    contract = catalog.contracts.find(store, account_id=nordwerk.id)[0]
    assert contract.arr_cents == 144_000_00
    names = {c.last_name for c in catalog.contacts.find(store, account_id=nordwerk.id)}
    assert names == {"Müller", "Lefèvre", "Brandt"}


def test_semicolons_and_decimal_commas_are_read(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "konten.csv"
    path.write_text(
        "name;domain;industry;arr;checkin_cadence_days\n"
        'Acme;acme.com;"Maschinen; Anlagen";1.234,56;14\n'
        "Globex;globex.com;Energie;1234,5 €;1.000\n"
        "Initech;initech.com;Software;12.000;\n",
        encoding="utf-8",
    )
    assert run(store, "accounts", path).added == 3
    arr = {a.name: ledger.account_arr(store, a.id, TODAY) for a in catalog.accounts.find(store)}
    assert arr == {"Acme": 123456, "Globex": 123450, "Initech": 1200000}
    acme = catalog.accounts.find(store, domain="acme.com")[0]
    assert acme.industry == "Maschinen; Anlagen"
    globex = catalog.accounts.find(store, domain="globex.com")[0]
    assert globex.checkin_cadence_days == 1000


def test_a_point_decimal_in_a_semicolon_file_is_refused_not_guessed(
    store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "mixed.csv"
    path.write_text("name;arr\nAcme;1234.56\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        run(store, "accounts", path)
    (problem,) = caught.value.problems
    assert problem.column == "arr" and "a comma for decimals" in problem.reason


def test_a_comma_file_keeps_the_point_decimal(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text('name,arr\nAcme,"1,234.56"\n', encoding="utf-8")
    run(store, "accounts", path)
    acme = catalog.accounts.find(store)[0]
    assert ledger.account_arr(store, acme.id, TODAY) == 123456


def test_windows_1252_text_is_read(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(
        "name;domain;industry\r\nMüller & Söhne;mueller.de;Café-Ausstattung € Handel\r\n"
        "Société Générale Exemple;sge.fr;Banque\r\n".encode("cp1252")
    )
    assert run(store, "accounts", path).added == 2
    muller = catalog.accounts.find(store, domain="mueller.de")[0]
    assert (muller.name, muller.industry) == ("Müller & Söhne", "Café-Ausstattung € Handel")
    assert run(store, "accounts", path).unchanged == 2


def test_utf8_with_a_bom_is_still_utf8(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "name,industry\nMüller,Café\n".encode())
    run(store, "accounts", path)
    assert catalog.accounts.find(store)[0].industry == "Café"


def test_a_file_neither_utf8_nor_windows_1252_is_explained(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "binary.csv"
    path.write_bytes(b"name\nAcme \x81\x9d\n")
    with pytest.raises(ValidationError, match=r"neither UTF-8 nor Windows-1252 text \(byte 10\)"):
        run(store, "accounts", path)


def test_an_xlsx_workbook_is_read_from_its_first_sheet(store: Store, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Company name", "Website", "Annual Revenue", "Became a Customer Date"])
    sheet.append(["Müller GmbH", "mueller.de", 1234.56, datetime(2024, 3, 1)])
    sheet.append([None, None, None, None])  # an empty row is no row
    sheet.append(["Globex", "globex.com", 5000, date(2025, 1, 15)])
    book.save(tmp_path / "accounts.xlsx")
    path = tmp_path / "accounts.xlsx"
    assert read_headers(path) == [
        "Company name",
        "Website",
        "Annual Revenue",
        "Became a Customer Date",
    ]
    summary = run(store, "accounts", path)
    assert (summary.rows, summary.added) == (2, 2)
    muller = catalog.accounts.find(store, domain="mueller.de")[0]
    assert (muller.name, muller.customer_since) == ("Müller GmbH", date(2024, 3, 1))
    assert ledger.account_arr(store, muller.id, TODAY) == 123456
    assert run(store, "accounts", path).unchanged == 2


def test_a_bad_xlsx_cell_is_reported_at_its_spreadsheet_row(store: Store, tmp_path: Path) -> None:
    book = Workbook()
    book.active.append(["account", "date", "active_users", "licensed_seats"])
    book.active.append(["Nobody", datetime(2026, 1, 1), 12.5, 20])
    book.save(tmp_path / "usage.xlsx")
    with pytest.raises(ImportRejected) as caught:
        run(store, "usage", tmp_path / "usage.xlsx")
    reasons = {(p.row, p.column): p.reason for p in caught.value.problems}
    assert "is not a whole number" in reasons[(2, "active_users")]
    assert "no account is named 'Nobody'" in reasons[(2, "account")]


def test_an_old_xls_or_a_broken_workbook_is_named(store: Store, tmp_path: Path) -> None:
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    with pytest.raises(ValidationError, match=r"Excel 97–2003 workbook \(\.xls\)"):
        run(store, "accounts", old)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + bytes(100))
    with pytest.raises(ValidationError, match="not an Excel workbook that can be read"):
        run(store, "accounts", broken)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("Acme", "Acme"),
        (1234.56, "1234.56"),
        (1200.0, "1200"),
        (42, "42"),
        (True, "yes"),
        (datetime(2026, 1, 2), "2026-01-02"),
        (datetime(2026, 1, 2, 9, 30), "2026-01-02T09:30:00"),
        (date(2026, 1, 2), "2026-01-02"),
    ],
)
def test_workbook_cells_become_the_text_a_csv_holds(value: object, text: str) -> None:
    assert cell_text(value) == text


def test_influence_takes_words_and_numbers(store: Store, tmp_path: Path) -> None:
    catalog.accounts.create(store, {"name": "Acme"})
    path = tmp_path / "contacts.csv"
    path.write_text(
        "account,last_name,influence\nAcme,Low,low\nAcme,Mid,Medium\nAcme,High, HIGH \n"
        "Acme,Four,4\n",
        encoding="utf-8",
    )
    assert run(store, "contacts", path).added == 4
    influence = {c.last_name: c.influence for c in catalog.contacts.find(store)}
    assert influence == {"Low": 1, "Mid": 3, "High": 5, "Four": 4}
    assert run(store, "contacts", path).unchanged == 4


def test_an_unknown_influence_word_names_what_is_accepted(store: Store, tmp_path: Path) -> None:
    catalog.accounts.create(store, {"name": "Acme"})
    path = tmp_path / "contacts.csv"
    path.write_text("account,last_name,influence\nAcme,Big,huge\nAcme,Six,6\n", encoding="utf-8")
    with pytest.raises(ImportRejected) as caught:
        run(store, "contacts", path)
    reasons = [p.reason for p in caught.value.problems]
    assert reasons == ["'huge' is not an influence: write 1–5, low, medium or high"] * 1 + [
        "'6' is not an influence: write 1–5, low, medium or high"
    ]
