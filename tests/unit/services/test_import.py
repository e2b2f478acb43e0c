"""CSV import (PRODUCT.md §2): one test per rule."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from datetime import date
from pathlib import Path

import pytest

from am_desktop.errors import ImportRejected, ValidationError
from am_desktop.services import catalog, ledger
from am_desktop.services.store import Store
from am_desktop.services.transfer import bulk
from am_desktop.services.transfer.exporter import export_records
from am_desktop.services.transfer.importer import import_csv

TODAY = date(2026, 11, 22)

ACCOUNTS = """name,domain,industry,segment,tier,owner,arr,customer_since,checkin_cadence_days,external_id
Acme,acme.com,Manufacturing,enterprise,strategic,Dana,"1,200.50",2024-01-01,14,A-1
Globex,globex.com,Energy,mid-market,key,Dana,$5000,,30,A-2
"Initech, Inc",initech.com,Software,smb,standard,Lee,,,,
"""
CONTACTS = """account,first_name,last_name,email,phone,title,role,sentiment,influence,reports_to
acme.com,Ann,Boss,ann@acme.com,+1 555,CEO,economic buyer,advocate,5,
Acme,Cy,Low,cy@acme.com,,Dev,user,neutral,1,bob@acme.com
Acme,Bob,Mid,bob@acme.com,,"Lead, Eng",champion,supporter,3,ann@acme.com
"""
CONTRACTS = """account,name,start_date,end_date,arr,currency,auto_renew,notice_days
acme.com,MSA,2026-01-01,2026-12-31,1200.50,usd,yes,60
globex.com,,2025-06-01,2027-05-31,5000,EUR,no,30
"""
ARR = """account,date,type,amount
globex.com,2025-01-01,expansion,100
globex.com,2025-01-01,expansion,100
acme.com,2025-02-01,contraction,50.25
"""
NOTES = """account,occurred_at,kind,title,body,attendees
acme.com,2026-10-01T10:00:00Z,call,Check-in,"Renewal is on track.
- [ ] Send proposal, with options",ann@acme.com;bob@acme.com
globex.com,2026-09-01T09:30:00+02:00,meeting,QBR prep,Usage is up,guest@partner.com
"""
SURVEYS = """account,date,kind,score,contact_email,comment
acme.com,2026-06-01,nps,9,ann@acme.com,Great support
acme.com,2026-06-01,csat,4,,
"""
USAGE = """account,date,active_users,licensed_seats
acme.com,2026-10-01,80,100
acme.com,2026-11-01,85,100
"""
FILES = {
    "accounts": ACCOUNTS,
    "contacts": CONTACTS,
    "contracts": CONTRACTS,
    "arr": ARR,
    "notes": NOTES,
    "surveys": SURVEYS,
    "usage": USAGE,
}


def write(
    tmp_path: Path, text: str, name: str = "file.csv", *, bom: bool = False, crlf: bool = False
) -> Path:
    path = tmp_path / name
    if crlf:
        text = text.replace("\n", "\r\n")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


def run(store: Store, kind: str, path: Path, **options: bool) -> object:
    return import_csv(store, kind, path, today=TODAY, **options)


def load_all(store: Store, tmp_path: Path) -> None:
    for kind, text in FILES.items():
        run(store, kind, write(tmp_path, text, f"{kind}.csv"))


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, to prove that nothing changed."""
    connection = sqlite3.connect(path)
    tables = [
        r[0]
        for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"
        )
    ]
    return {t: connection.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in tables}


def test_every_kind_imports_with_canonical_headers(store: Store, tmp_path: Path) -> None:
    load_all(store, tmp_path)
    acme = catalog.accounts.find(store, domain="acme.com")[0]
    assert (acme.tier.value, acme.checkin_cadence_days, acme.external_id) == (
        "strategic",
        14,
        "A-1",
    )
    contacts = {c.email: c for c in catalog.contacts.find(store, account_id=acme.id)}
    assert contacts["cy@acme.com"].reports_to_id == contacts["bob@acme.com"].id
    assert contacts["bob@acme.com"].title == "Lead, Eng"
    contract = catalog.contracts.find(store, account_id=acme.id)[0]
    assert (contract.arr_cents, contract.currency, contract.auto_renew, contract.notice_days) == (
        120050,
        "USD",
        True,
        60,
    )
    note = catalog.notes.find(store, account_id=acme.id)[0]
    assert note.body.endswith("- [ ] Send proposal, with options")
    assert [s.score for s in catalog.surveys.find(store, account_id=acme.id)] == [9, 4]
    assert len(catalog.usage.find(store, account_id=acme.id)) == 2
    assert ledger.account_arr(store, acme.id, TODAY) == 120050 - 5025


def test_salesforce_and_hubspot_headers_are_accepted(store: Store, tmp_path: Path) -> None:
    salesforce = "Account Name,Website,Industry,Annual Revenue,Account ID\nAcme,www.acme.com,Retail,1000,001A\n"
    hubspot = "Company name,Company Domain Name,Record ID\nGlobex,globex.com,9001\n"
    run(store, "accounts", write(tmp_path, salesforce, "sf.csv"))
    run(store, "accounts", write(tmp_path, hubspot, "hs.csv"))
    names = {a.name: a for a in catalog.accounts.find(store)}
    assert names["Acme"].domain == "acme.com" and names["Acme"].external_id == "001A"
    assert names["Globex"].external_id == "9001"
    contacts = (
        "Company Name,Firstname,Lastname,Email Address,Job Title\nAcme,Ann,Lee,ann@acme.com,CFO\n"
    )
    run(store, "contacts", write(tmp_path, contacts, "c.csv"))
    assert catalog.contacts.find(store)[0].title == "CFO"


def test_bom_crlf_and_quoted_commas_and_newlines_are_read(store: Store, tmp_path: Path) -> None:
    run(store, "accounts", write(tmp_path, ACCOUNTS, bom=True, crlf=True))
    run(store, "notes", write(tmp_path, NOTES, "n.csv", bom=True, crlf=True))
    assert {a.name for a in catalog.accounts.find(store)} == {"Acme", "Globex", "Initech, Inc"}
    body = catalog.notes.find(store)[0].body
    assert body == "Renewal is on track.\n- [ ] Send proposal, with options"


def test_an_invalid_row_rejects_the_whole_file_and_every_problem_is_listed(
    store: Store, tmp_path: Path
) -> None:
    text = ACCOUNTS + 'Bad,not a domain,,huge,,,,,,\n,empty.com,,,,,"1.200,00",,,\n'
    before = dump(store.path)
    with pytest.raises(ImportRejected) as caught:
        run(store, "accounts", write(tmp_path, text))
    problems = {(p.row, p.column) for p in caught.value.problems}
    assert problems == {(5, "domain"), (5, "segment"), (6, "name"), (6, "arr")}
    assert "2 of 5 rows are invalid" in caught.value.user_message
    assert dump(store.path) == before


def test_skip_invalid_imports_the_rest_and_lists_what_it_left_out(
    store: Store, tmp_path: Path
) -> None:
    text = ACCOUNTS + "Bad,not a domain,,,,,,,,\n"
    summary = run(store, "accounts", write(tmp_path, text), skip_invalid=True)
    assert (summary.added, summary.skipped) == (3, 1)
    assert [(p.row, p.column) for p in summary.problems] == [(5, "domain")]


def test_rows_referring_to_a_skipped_row_are_skipped_too(store: Store, tmp_path: Path) -> None:
    run(store, "accounts", write(tmp_path, ACCOUNTS, "a.csv"))
    text = CONTACTS.replace('bob@acme.com,,"Lead', 'bob@acme,,"Lead')
    summary = run(store, "contacts", write(tmp_path, text), skip_invalid=True)
    assert summary.added == 1 and summary.skipped == 2  # Cy reports to the invalid Bob


def test_an_import_is_one_transaction(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(store, "accounts", write(tmp_path, ACCOUNTS, "a.csv"))
    before = dump(store.path)
    changed = ACCOUNTS.replace("Dana", "Robin") + "Hooli,hooli.com,,,,,,,,\n"

    def fail(*args: object, **kwargs: object) -> int:
        raise RuntimeError("disk unplugged")

    monkeypatch.setattr(bulk, "update_rows", fail)  # after the inserts went in
    with pytest.raises(RuntimeError):
        run(store, "accounts", write(tmp_path, changed))
    assert dump(store.path) == before


@pytest.mark.parametrize("kind", list(FILES))
def test_importing_the_same_file_twice_changes_nothing(
    store: Store, tmp_path: Path, kind: str
) -> None:
    load_all(store, tmp_path)
    before = dump(store.path)
    summary = run(store, kind, write(tmp_path, FILES[kind], f"{kind}.csv"))
    assert (summary.added, summary.updated) == (0, 0)
    assert summary.unchanged == summary.rows
    assert summary.ledger_movements == 0
    assert dump(store.path) == before


def test_a_row_updates_the_account_it_matches_by_external_id_then_domain_then_name(
    store: Store, tmp_path: Path
) -> None:
    run(store, "accounts", write(tmp_path, ACCOUNTS, "a.csv"))
    text = "name,domain,external_id,owner\nAcme Renamed,acme.io,A-1,Kim\nGlobex,globex.com,,Kim\nInitech, Inc,,,Kim\n"
    text = text.replace("Initech, Inc", '"Initech, Inc"')
    summary = run(store, "accounts", write(tmp_path, text))
    assert (summary.added, summary.updated) == (0, 3)
    by_id = {a.external_id or a.domain: a for a in catalog.accounts.find(store)}
    assert by_id["A-1"].name == "Acme Renamed" and by_id["A-1"].domain == "acme.io"
    assert {a.owner for a in catalog.accounts.find(store)} == {"Kim"}


def test_contacts_match_by_email_else_by_name_at_the_account(store: Store, tmp_path: Path) -> None:
    run(store, "accounts", write(tmp_path, ACCOUNTS, "a.csv"))
    run(store, "contacts", write(tmp_path, CONTACTS, "c.csv"))
    text = "account,first_name,last_name,email,title\nacme.com,Annie,Boss,ann@acme.com,Chair\nacme.com,Cy,Low,,Senior Dev\n"
    summary = run(store, "contacts", write(tmp_path, text))
    assert (summary.added, summary.updated) == (0, 2)
    titles = {c.email: c.title for c in catalog.contacts.find(store)}
    assert titles["ann@acme.com"] == "Chair" and titles["cy@acme.com"] == "Senior Dev"


def test_missing_columns_and_empty_cells_leave_fields_alone(store: Store, tmp_path: Path) -> None:
    run(store, "accounts", write(tmp_path, ACCOUNTS, "a.csv"))
    run(store, "accounts", write(tmp_path, "name,domain,owner\nAcme,acme.com,\n", "b.csv"))
    acme = catalog.accounts.find(store, domain="acme.com")[0]
    assert (acme.industry, acme.owner, acme.tier.value) == ("Manufacturing", "Dana", "strategic")
    assert acme.version == 1


def test_rewriting_a_value_unchanged_is_not_an_edit(store: Store, tmp_path: Path) -> None:
    run(store, "accounts", write(tmp_path, ACCOUNTS, "a.csv"))
    respelled = (
        "Account Name,Website,Segment,Tier\nAcme,https://www.ACME.com/,Enterprise,Strategic\n"
    )
    summary = run(store, "accounts", write(tmp_path, respelled))
    assert (summary.updated, summary.unchanged) == (0, 1)
    assert catalog.accounts.find(store, domain="acme.com")[0].version == 1
    edited = run(
        store, "accounts", write(tmp_path, "name,domain,tier\nAcme,acme.com,key\n", "c.csv")
    )
    assert edited.updated == 1
    assert catalog.accounts.find(store, domain="acme.com")[0].version == 2


@pytest.mark.parametrize(
    ("amount", "cents"), [("1,200.50", 120050), ("$1200", 120000), ("1200", 120000)]
)
def test_amounts_in_common_spellings_are_parsed(
    store: Store, tmp_path: Path, amount: str, cents: int
) -> None:
    run(store, "accounts", write(tmp_path, f'name,domain,arr\nAcme,acme.com,"{amount}"\n'))
    acme = catalog.accounts.find(store)[0]
    assert ledger.account_arr(store, acme.id, TODAY) == cents


def test_ambiguous_amounts_are_refused_explicitly(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as caught:
        run(store, "accounts", write(tmp_path, 'name,arr\nAcme,"1.200,50"\n'))
    (problem,) = caught.value.problems
    assert problem.column == "arr" and "a point for decimals" in problem.reason


def test_an_accounts_arr_opens_its_ledger_but_never_rewrites_it(
    store: Store, tmp_path: Path
) -> None:
    run(store, "accounts", write(tmp_path, ACCOUNTS, "a.csv"))
    acme = catalog.accounts.find(store, domain="acme.com")[0]
    first = ledger.account_movements(store, acme.id)
    assert [(m.type.value, m.amount_cents, m.occurred_on) for m in first] == [
        ("new", 120050, date(2024, 1, 1))
    ]
    summary = run(
        store, "accounts", write(tmp_path, "name,domain,arr\nAcme,acme.com,1000\n", "b.csv")
    )
    assert (summary.ledger_movements, summary.ledger_kept) == (0, 1)
    assert ledger.account_movements(store, acme.id) == first


def test_unknown_and_ambiguous_accounts_are_reported(store: Store, tmp_path: Path) -> None:
    catalog.accounts.create(store, {"name": "Twin"})
    catalog.accounts.create(store, {"name": "Twin"})
    with pytest.raises(ImportRejected) as caught:
        run(
            store,
            "usage",
            write(
                tmp_path,
                "account,date,active_users,licensed_seats\nNobody,2026-01-01,1,2\nTwin,2026-01-01,1,2\n",
            ),
        )
    reasons = [p.reason for p in caught.value.problems]
    assert "no account is named 'Nobody'" in reasons[0]
    assert "names 2 accounts" in reasons[1]


def test_a_missing_required_column_is_named(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="no column for: last_name"):
        run(store, "contacts", write(tmp_path, "account,first_name\nAcme,Ann\n"))


def test_a_file_that_is_not_utf8_is_read_as_windows_1252(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("name\nCafé Müller\n".encode("latin-1"))
    run(store, "accounts", path)
    assert catalog.accounts.find(store)[0].name == "Café Müller"


def test_a_dry_run_counts_but_writes_nothing(store: Store, tmp_path: Path) -> None:
    before = dump(store.path)
    summary = run(store, "accounts", write(tmp_path, ACCOUNTS), dry_run=True)
    assert (summary.added, summary.ledger_movements, summary.dry_run) == (3, 2, True)
    assert dump(store.path) == before


def test_a_file_repeating_a_record_is_refused(store: Store, tmp_path: Path) -> None:
    with pytest.raises(ImportRejected) as caught:
        run(store, "accounts", write(tmp_path, "name,domain\nAcme,acme.com\nAcme again,acme.com\n"))
    (problem,) = caught.value.problems
    assert problem.row == 3 and "repeats row 2" in problem.reason


def test_a_domain_already_owned_by_another_account_is_refused(store: Store, tmp_path: Path) -> None:
    run(store, "accounts", write(tmp_path, ACCOUNTS, "a.csv"))
    with pytest.raises(ImportRejected) as caught:
        run(store, "accounts", write(tmp_path, "name,domain,external_id\nAcme,globex.com,A-1\n"))
    assert "already belongs to Globex" in caught.value.problems[0].reason


def test_reporting_loops_in_a_file_are_refused(store: Store, tmp_path: Path) -> None:
    run(store, "accounts", write(tmp_path, ACCOUNTS, "a.csv"))
    text = "account,last_name,email,reports_to\nacme.com,A,a@acme.com,b@acme.com\nacme.com,B,b@acme.com,a@acme.com\n"
    with pytest.raises(ImportRejected) as caught:
        run(store, "contacts", write(tmp_path, text))
    assert {p.row for p in caught.value.problems} == {2, 3}
    assert all("loop" in p.reason for p in caught.value.problems)


def test_notes_update_last_touch_and_last_contacted(store: Store, tmp_path: Path) -> None:
    load_all(store, tmp_path)
    acme = catalog.accounts.find(store, domain="acme.com")[0]
    assert (
        acme.last_touch_at is not None
        and acme.last_touch_at.isoformat() == "2026-10-01T10:00:00+00:00"
    )
    ann = catalog.contacts.find(store, email="ann@acme.com")[0]
    assert ann.last_contacted_at == acme.last_touch_at


def test_changing_a_notes_attendees_is_an_edit_of_the_note(store: Store, tmp_path: Path) -> None:
    load_all(store, tmp_path)
    text = NOTES.replace("ann@acme.com;bob@acme.com", "ann@acme.com")
    summary = run(store, "notes", write(tmp_path, text))
    assert summary.updated == 1
    note = catalog.notes.find(store, title="Check-in")[0]
    assert note.version == 2
    out = io.StringIO()
    export_records(store, "notes", out, fmt="json")
    attendees = {n["title"]: n["attendees"] for n in json.loads(out.getvalue())}
    assert attendees == {"Check-in": ["ann@acme.com"], "QBR prep": ["guest@partner.com"]}


@pytest.mark.parametrize("kind", list(FILES))
def test_an_export_imports_back_without_change(store: Store, tmp_path: Path, kind: str) -> None:
    load_all(store, tmp_path)
    out = io.StringIO(newline="")
    export_records(store, kind, out, today=TODAY)
    before = dump(store.path)
    summary = run(store, kind, write(tmp_path, out.getvalue(), f"export-{kind}.csv"))
    assert (summary.added, summary.updated) == (0, 0), kind
    assert dump(store.path) == before


def test_exported_csv_neutralises_formula_cells(store: Store, tmp_path: Path) -> None:
    catalog.accounts.create(
        store, {"name": '=HYPERLINK("http://x")', "owner": "@mallory", "industry": "+1"}
    )
    out = io.StringIO()
    export_records(store, "accounts", out)
    row = out.getvalue().splitlines()[1]
    assert row.startswith("\"'=HYPERLINK(") and ",'@mallory," in row and ",'+1," in row


def test_json_export_has_the_csv_columns_plus_uid(store: Store, tmp_path: Path) -> None:
    load_all(store, tmp_path)
    out = io.StringIO()
    export_records(store, "contracts", out, fmt="json")
    first = json.loads(out.getvalue())[0]
    assert list(first) == [
        "uid",
        "account",
        "name",
        "start_date",
        "end_date",
        "arr",
        "currency",
        "auto_renew",
        "notice_days",
    ]
    assert first["arr"] == 1200.5 and first["auto_renew"] is True


def test_rows_with_a_uid_match_by_it_and_repeat_only_by_it(store: Store, tmp_path: Path) -> None:
    run(store, "accounts", write(tmp_path, ACCOUNTS, "accounts.csv"))
    uid_a, uid_b = "0f8fad5b-d9cb-469f-a165-70867728950e", "7c9e6679-7425-40de-944b-e07fc1f90ae7"
    twins = (
        "account,occurred_at,title,uid\n"
        f"acme.com,2026-10-01T10:00:00Z,Call,{uid_a}\n"
        f"acme.com,2026-10-01T10:00:00Z,Call,{uid_b}\n"
    )
    added = run(store, "notes", write(tmp_path, twins, "twins.csv"))
    assert (added.added, added.unchanged) == (2, 0)
    renamed = twins.replace("Call,", "Renewal call,", 1)
    again = run(store, "notes", write(tmp_path, renamed, "renamed.csv"))
    assert (again.added, again.updated, again.unchanged) == (0, 1, 1)
    repeated = twins + f"globex.com,2026-11-01T10:00:00Z,Other,{uid_a.upper()}\n"
    with pytest.raises(ImportRejected) as rejected:
        run(store, "notes", write(tmp_path, repeated, "repeated.csv"))
    assert [p.reason for p in rejected.value.problems] == ["repeats row 2 (same uid)"]
    bad = run(
        store, "notes", write(tmp_path, twins + "acme.com,2026-10-02,X,nope\n"), skip_invalid=True
    )
    assert [(p.column, p.reason) for p in bad.problems] == [
        ("uid", "is not a uid (a UUID such as the one an export writes)")
    ]


def test_formula_cells_are_neutralised_in_csv_and_kept_raw_in_json(store: Store) -> None:
    cells = {"name": "=SUM(A1)", "owner": "@mallory", "industry": "+1", "external_id": "-2"}
    catalog.accounts.create(store, cells)
    as_csv, as_json = io.StringIO(), io.StringIO()
    export_records(store, "accounts", as_csv)
    export_records(store, "accounts", as_json, fmt="json")
    row = next(csv.DictReader(io.StringIO(as_csv.getvalue())))
    assert {k: row[k] for k in cells} == {k: "'" + v for k, v in cells.items()}
    record = json.loads(as_json.getvalue())[0]
    assert {k: record[k] for k in cells} == cells
