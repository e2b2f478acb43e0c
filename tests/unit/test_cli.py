"""The command line: what scripts see (exit codes, stdout, one plain sentence on stderr)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from am_desktop import __version__, cli
from am_desktop.db import connection
from am_desktop.services.store import open_store

ACCOUNTS = "name,domain,arr\nAcme,acme.com,1200\nGlobex,globex.com,500\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def usage_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """The message of arguments refused while they are read (exit status 2, no traceback)."""
    with pytest.raises(SystemExit) as exited:
        cli.main(list(argv))
    err = capsys.readouterr().err
    assert exited.value.code == cli.EXIT_USAGE and "Traceback" not in err
    return err


def test_version_is_printed_by_the_installed_entry_point() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "am_desktop", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert done.stdout.strip() == f"am-desktop {__version__}"


def test_import_then_export_round_trips(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = str(tmp_path / "am.sqlite3")
    source = tmp_path / "accounts.csv"
    source.write_text(ACCOUNTS)
    code, out, _ = run(capsys, "import", "accounts", str(source), "--db", db)
    assert code == 0 and "2 added" in out and "2 opening balances" in out
    code, out, _ = run(capsys, "--db", db, "export", "accounts", "--format", "json")
    assert code == 0
    assert [(a["name"], a["arr"]) for a in json.loads(out)] == [("Acme", 1200), ("Globex", 500)]
    target = tmp_path / "out.csv"
    code, _, err = run(capsys, "export", "accounts", "--db", db, "--out", str(target))
    assert code == 0 and "Exported 2 accounts" in err
    assert target.read_text().splitlines()[0].startswith("name,domain")


def test_the_database_comes_from_the_environment(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AM_DESKTOP_DB", str(tmp_path / "env.sqlite3"))
    source = tmp_path / "accounts.csv"
    source.write_text(ACCOUNTS)
    assert run(capsys, "import", "accounts", str(source))[0] == 0
    assert (tmp_path / "env.sqlite3").exists()


def test_a_dry_run_says_so_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "am.sqlite3")
    source = tmp_path / "accounts.csv"
    source.write_text(ACCOUNTS)
    code, out, _ = run(capsys, "import", "accounts", str(source), "--db", db, "--dry-run")
    assert code == 0 and "dry run: nothing was written" in out
    assert run(capsys, "export", "accounts", "--db", db)[1].count("\n") == 1  # header only


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "There is no file"),
        ("name,domain\nAcme,not a domain\n", "Nothing was imported: 1 of 1 row is invalid"),
        ("first_name\nAnn\n", "The file has no column for: name"),
    ],
)
def test_user_errors_are_one_plain_sentence_without_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str | None, message: str
) -> None:
    source = tmp_path / "accounts.csv"
    if content is not None:
        source.write_text(content)
    code, out, err = run(
        capsys, "import", "accounts", str(source), "--db", str(tmp_path / "am.sqlite3")
    )
    assert code == 1 and out == ""
    assert err.startswith(f"am-desktop: {message}")
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('[{"name": "Acme"}]', "accounts.csv holds JSON, and import reads CSV files and Excel"),
        ('  {"name": "Acme"}', "accounts.csv holds JSON"),
        (
            'name,domain\nAcme,acme.com\n"Globex,globex.com\nInitech,initech.com\n',
            "row 3 (from line 3) opens a quote that is never closed",
        ),
        (
            "name,notes\nAcme,x\nGlobex," + "y" * (17 * 1024 * 1024) + "\n",
            "row 3 (from line 3) has a cell larger than 16 MB",
        ),
    ],
    ids=["json-array", "json-object", "unterminated-quote", "huge-cell"],
)
def test_unreadable_files_are_named_for_what_they_are_and_where(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, message: str
) -> None:
    source = tmp_path / "accounts.csv"
    source.write_text(content)
    db = tmp_path / "am.sqlite3"
    code, out, err = run(capsys, "import", "accounts", str(source), "--db", str(db))
    assert code == 1 and out == "" and message in err and "Traceback" not in err
    assert "no column for" not in err


def test_a_header_only_file_says_it_has_no_rows(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = tmp_path / "accounts.csv"
    source.write_text("name,domain\n")
    db = str(tmp_path / "am.sqlite3")
    code, out, err = run(capsys, "import", "accounts", str(source), "--db", db)
    assert code == 0 and out == ""
    assert err == "accounts.csv has no rows, only a header: there is nothing to import.\n"


def test_every_invalid_row_is_listed_on_stderr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "am.sqlite3")
    (tmp_path / "a.csv").write_text(ACCOUNTS)
    run(capsys, "import", "accounts", str(tmp_path / "a.csv"), "--db", db)
    (tmp_path / "u.csv").write_text(
        "account,date,active_users,licensed_seats\nNobody,2026-01-01,1,2\nacme.com,someday,1,2\n"
    )
    code, _, err = run(capsys, "import", "usage", str(tmp_path / "u.csv"), "--db", db)
    assert code == 1
    assert "  row 2, account: no account is named 'Nobody'" in err
    assert "  row 3, date: 'someday' is not a date" in err


def test_a_locked_database_is_explained(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "am.sqlite3"
    (tmp_path / "a.csv").write_text(ACCOUNTS)
    assert run(capsys, "import", "accounts", str(tmp_path / "a.csv"), "--db", str(db))[0] == 0
    monkeypatch.setattr(connection, "BUSY_TIMEOUT_MS", 50)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program is writing
    try:
        code, _, err = run(capsys, "import", "accounts", str(tmp_path / "a.csv"), "--db", str(db))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert code == 1 and "busy in another program" in err and "Traceback" not in err


def test_a_damaged_database_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "am.sqlite3"
    db.write_bytes(b"garbage" * 1000)
    code, _, err = run(capsys, "export", "accounts", "--db", str(db))
    assert code == 1 and "damaged" in err


def test_seed_needs_an_empty_database(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from am_desktop.services import seed

    monkeypatch.setitem(seed.SCALES, "small", seed.Scale(3, 4, 5, 3))
    db = str(tmp_path / "demo.sqlite3")
    code, out, _ = run(capsys, "seed", "--db", db, "--scale", "small", "--seed", "4")
    assert code == 0 and out.startswith("Seeded") and "3 accounts" in out
    code, _, err = run(capsys, "seed", "--db", db)
    assert code == 1 and "already holds 3 accounts" in err


def test_export_to_a_missing_folder_is_explained(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    open_store(tmp_path / "am.sqlite3").close()
    code, _, err = run(
        capsys,
        "export",
        "notes",
        "--db",
        str(tmp_path / "am.sqlite3"),
        "--out",
        str(tmp_path / "nope" / "x.csv"),
    )
    assert code == 1 and "There is no folder" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("export", "accounts"),
        ("search", "acme"),
        ("renewals",),
        ("kpis",),
        ("map", "Acme", "--out", "map.svg"),
        ("conflicts",),
        ("conflicts", "resolve", "1", "--take", "local"),
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_a_mistyped_database_path_is_said_not_to_exist_and_is_not_created(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: tuple[str, ...]
) -> None:
    typo = tmp_path / "amm.sqlite3"
    code, out, err = run(capsys, *argv, "--db", str(typo))
    assert code == 1 and out == ""
    assert err.startswith(f"am-desktop: There is no database {typo}.") and "seed" in err
    assert list(tmp_path.iterdir()) == []


def test_import_creates_a_new_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(ACCOUNTS)
    db = tmp_path / "new" / "am.sqlite3"
    db.parent.mkdir()
    assert run(capsys, "import", "accounts", str(tmp_path / "a.csv"), "--db", str(db))[0] == 0
    assert db.exists()


def test_map_draws_an_account_as_svg_or_png(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "am.sqlite3")
    accounts, contacts = tmp_path / "accounts.csv", tmp_path / "contacts.csv"
    accounts.write_text(ACCOUNTS)
    contacts.write_text(
        "account,first_name,last_name,email,title,role,reports_to\n"
        "acme.com,Ada,Boss,ada@acme.com,CEO,economic_buyer,\n"
        "Acme,Bo,Report,bo@acme.com,Analyst,user,ada@acme.com\n"
    )
    assert run(capsys, "import", "accounts", str(accounts), "--db", db)[0] == 0
    assert run(capsys, "import", "contacts", str(contacts), "--db", db)[0] == 0

    code, _, err = run(capsys, "map", "ACME.COM", "--out", str(tmp_path / "acme.svg"), "--db", db)
    assert code == 0 and "2 contacts" in err
    svg = (tmp_path / "acme.svg").read_text()
    assert "Ada Boss" in svg and "Bo Report" in svg
    assert ">Acme<" in svg and "Contact map · drawn " in svg and ">Champion<" in svg  # header, key
    code, _, _ = run(capsys, "map", "Acme", "--out", str(tmp_path / "acme.png"), "--db", db)
    assert code == 0 and (tmp_path / "acme.png").read_bytes()[:4] == b"\x89PNG"


@pytest.mark.parametrize(
    ("account", "out", "message"),
    [
        ("Nobody", "map.svg", "No account is named"),
        ("Acme", "map.pdf", "FILE.svg or FILE.png"),
    ],
)
def test_map_explains_what_it_cannot_do(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, account: str, out: str, message: str
) -> None:
    db = str(tmp_path / "am.sqlite3")
    source = tmp_path / "accounts.csv"
    source.write_text(ACCOUNTS)
    run(capsys, "import", "accounts", str(source), "--db", db)
    code, _, err = run(capsys, "map", account, "--out", str(tmp_path / out), "--db", db)
    assert code == 1
    assert message in err and "Traceback" not in err


def test_map_of_an_account_without_contacts_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "am.sqlite3")
    source = tmp_path / "accounts.csv"
    source.write_text(ACCOUNTS)
    run(capsys, "import", "accounts", str(source), "--db", db)
    code, _, err = run(capsys, "map", "Acme", "--out", str(tmp_path / "acme.svg"), "--db", db)
    assert code == 1 and "no contacts yet" in err
    assert not (tmp_path / "acme.svg").exists()


def test_search_prints_ranked_snippets_or_json(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "am.sqlite3")
    accounts, notes_file = tmp_path / "accounts.csv", tmp_path / "notes.csv"
    accounts.write_text(ACCOUNTS)
    notes_file.write_text(
        "account,occurred_at,kind,title,body\n"
        "Acme,2026-11-20T10:00:00Z,call,Renewal call,The renewal budget is approved\n"
        "Globex,2026-11-21T10:00:00Z,qbr,QBR,Adoption is up\n"
    )
    assert run(capsys, "import", "accounts", str(accounts), "--db", db)[0] == 0
    assert run(capsys, "import", "notes", str(notes_file), "--db", db)[0] == 0
    code, out, _ = run(capsys, "search", "budg*", "--db", db)
    assert code == 0 and "Acme" in out and "[budget]" in out and "Globex" not in out
    code, out, _ = run(capsys, "search", "adoption", "--db", db, "--json")
    document = json.loads(out)
    assert [r["account"] for r in document["results"]] == ["Globex"]
    code, out, err = run(capsys, "search", '"((', "--db", db, "--json")
    assert code == 0 and json.loads(out)["results"] == [] and "Traceback" not in err


def test_renewals_json_lists_open_renewals_within_the_window(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from datetime import date, timedelta

    from am_desktop.services import catalog
    from am_desktop.services.store import open_store

    db = tmp_path / "am.sqlite3"
    store = open_store(db)
    account = catalog.accounts.create(store, {"name": "Acme"}).id
    for ends_in in (10, 200):
        end = date.today() + timedelta(days=ends_in)
        made = catalog.contracts.create(
            store,
            {
                "account_id": account,
                "start_date": end - timedelta(days=364),
                "end_date": end,
                "arr_cents": 120_000,
                "notice_days": 30,
            },
        )
        catalog.renewals.create(store, {"contract_id": made.id})
    store.close()
    code, out, _ = run(capsys, "renewals", "--within", "90", "--json", "--db", str(db))
    (row,) = json.loads(out)
    assert code == 0 and row["days_left"] == 10 and row["arr"] == 1200.0
    assert row["stage"] == "not_started" and set(row) == {
        "account", "contract", "end_date", "notice_deadline", "days_left", "arr", "stage", "likelihood",
        "currency", "reporting_arr", "reporting_currency",
    }  # fmt: skip
    err = usage_error(capsys, "renewals", "--within", "-1", "--db", str(db))
    assert "--within: DAYS must be a whole number from 0 to 36,500" in err


def test_kpis_json_has_the_products_keys_and_refuses_a_bad_date(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "am.sqlite3")
    source = tmp_path / "accounts.csv"
    source.write_text(ACCOUNTS)
    run(capsys, "import", "accounts", str(source), "--db", db)
    code, out, _ = run(
        capsys, "kpis", "--from", "2026-01-01", "--to", "2026-12-31", "--json", "--db", db
    )
    document = json.loads(out)
    assert code == 0 and document["from"] == "2026-01-01" and document["to"] == "2026-12-31"
    assert {"nrr", "grr", "clv", "accounts_at_end"} <= set(document)
    err = usage_error(capsys, "kpis", "--from", "yesterday", "--db", db)
    assert "--from: a date such as 2026-01-31" in err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("renewals", "--within", "3000000"), "--within: DAYS must be a whole number from 0 to"),
        (("renewals", "--within", "soon"), "not “soon”"),
        (("qbr", "--portfolio", "--to", "9999-12-31", "--out", "."), "from 1900 to 2200"),
        (("kpis", "--from", "0001-01-01"), "--from: a date such as 2026-01-31, from 1900"),
        (
            ("conflicts", "resolve", "99999999999999999999", "--take", "local"),
            "ID must be a whole number from 1 to 9,223,372,036,854,775,807",
        ),
        (("search", "acme", "--limit", "0"), "--limit: N must be a whole number from 1"),
    ],
)
def test_numbers_and_dates_out_of_range_are_refused_with_what_is_allowed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: tuple[str, ...], message: str
) -> None:
    db = tmp_path / "am.sqlite3"
    assert message in usage_error(capsys, *argv, "--db", str(db))
    assert not db.exists()  # refused before anything is opened


def test_a_query_starting_with_a_dash_is_explained_and_found_after_double_dash(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "am.sqlite3")
    (tmp_path / "a.csv").write_text(ACCOUNTS)
    run(capsys, "import", "accounts", str(tmp_path / "a.csv"), "--db", db)
    err = usage_error(capsys, "search", "-renewal", "--db", db)
    assert "-- -renewal" in err and "after the options" in err
    code, _, err = run(capsys, "search", "--db", db, "--", "-renewal")
    assert code == 0 and 'No note matches "-renewal".' in err


def test_search_json_stays_valid_utf8_when_the_query_holds_bytes_that_are_not(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    db = str(tmp_path / "am.sqlite3")
    (tmp_path / "a.csv").write_text(ACCOUNTS)
    run(capsys, "import", "accounts", str(tmp_path / "a.csv"), "--db", db)
    query = b"\xff\xferenewal".decode("utf-8", "surrogateescape")  # as Python passes such argv
    code, out, err = run(capsys, "search", query, "--json", "--db", db)
    assert code == 0 and "not UTF-8" in err
    assert json.loads(out.encode("utf-8"))["query"] == "\ufffd\ufffdrenewal"


def test_qbr_writes_the_customer_pptx_and_pdf_and_charts_on_request(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from pptx import Presentation

    db = str(tmp_path / "am.sqlite3")
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(ACCOUNTS)
    run(capsys, "import", "accounts", str(accounts), "--db", db)
    out = tmp_path / "not" / "yet" / "there"  # --out is made when missing
    code, printed, _ = run(capsys, "qbr", "acme.com", "--out", str(out), "--db", db)
    assert code == 0
    deck, pdf = out / "Acme - business review.pptx", out / "Acme - business review.pdf"
    assert printed.splitlines() == [str(deck), str(pdf)]
    assert pdf.read_bytes().startswith(b"%PDF")
    slides = Presentation(str(deck)).slides
    assert slides[0].shapes.title.text == "Acme"
    code, _, _ = run(
        capsys, "qbr", "acme.com", "--out", str(out), "--format", "png,svg", "--db", db
    )
    png = (out / "Acme - usage.png").read_bytes()
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert code == 0 and (width, height) == (1650, 928)  # 11 by 6.19 inches at 150 dpi
    assert "<svg" in (out / "Acme - issues.svg").read_text()
    code, _, _ = run(capsys, "qbr", "--portfolio", "--out", str(out), "--format", "pdf", "--db", db)
    assert code == 0 and (out / "Portfolio - internal review.pdf").exists()
    before = sorted(p.name for p in out.iterdir())
    for argv, message in (
        (("--portfolio", "--format", "gif"), "not gif"),
        (("--portfolio", "--audience", "customer"), "A customer deck is for one account"),
        (("acme.com", "--format", "pdf", "--template", str(tmp_path / "t.pptx")), "add pptx"),
        (("acme.com", "--logo", str(accounts)), "is not a PNG or JPEG picture"),
    ):
        code, _, err = run(capsys, "qbr", *argv, "--out", str(out), "--db", db)
        assert code == 1 and message in err and "Traceback" not in err
        assert len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in out.iterdir()) == before  # nothing half-written
