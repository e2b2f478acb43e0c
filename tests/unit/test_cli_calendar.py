"""``am-desktop import calendar`` (issue 19): counts, JSON, and the AM's own address."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from am_desktop.cli import main

EVENT = "\r\n".join(
    [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "BEGIN:VEVENT",
        "UID:cli-1@test",
        "DTSTART:20260310T150000Z",
        "SUMMARY:Acme pricing",
        "ATTENDEE;CN=Ann Buyer:mailto:ann@acme.com",
        "ATTENDEE;CN=Lee New:mailto:lee@acme.com",
        "ORGANIZER:mailto:maya@ourco.com",
        "END:VEVENT",
        "END:VCALENDAR",
        "",
    ]
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[str, str]:
    accounts = tmp_path / "accounts.csv"
    accounts.write_text("name,domain\nAcme,acme.com\n")
    contacts = tmp_path / "contacts.csv"
    contacts.write_text("account,first_name,last_name,email\nAcme,Ann,Buyer,ann@acme.com\n")
    db = str(tmp_path / "am.sqlite3")
    assert run(capsys, "import", "accounts", str(accounts), "--db", db)[0] == 0
    assert run(capsys, "import", "contacts", str(contacts), "--db", db)[0] == 0
    calendar = tmp_path / "week.ics"
    calendar.write_text(EVENT, newline="")
    return db, str(calendar)


def test_json_counts_then_nothing_changes(
    capsys: pytest.CaptureFixture[str], files: tuple[str, str]
) -> None:
    db, calendar = files
    window = ("--from", "2026-03-01", "--to", "2026-03-31", "--me", "maya@ourco.com")
    code, out, _ = run(capsys, "import", "calendar", calendar, *window, "--db", db, "--json")
    assert code == 0
    document = json.loads(out)
    assert {k: document[k] for k in ("added", "moved", "removed", "left")} == {
        "added": 1, "moved": 0, "removed": 0, "left": 0,
    }  # fmt: skip
    assert document["unknown_attendees"] == [
        {"email": "lee@acme.com", "name": "Lee New", "account_id": 1, "account": "Acme"}
    ]
    code, out, _ = run(capsys, "import", "calendar", calendar, *window, "--db", db)
    assert code == 0
    assert "0 added, 0 moved, 0 removed, 0 left" in out
    assert "Lee New <lee@acme.com> — Acme" in out
    code, out, _ = run(capsys, "--db", db, "export", "notes", "--format", "json")
    (note,) = json.loads(out)
    assert (note["kind"], note["title"]) == ("meeting", "Acme pricing")


def test_without_me_or_the_setting_it_says_how_to_give_it(
    capsys: pytest.CaptureFixture[str], files: tuple[str, str]
) -> None:
    db, calendar = files
    code, _, err = run(capsys, "import", "calendar", calendar, "--db", db)
    assert code == 1
    assert "--me you@yourcompany.com" in err
    assert "Traceback" not in err


def test_the_setting_is_used_when_me_is_not_given(
    capsys: pytest.CaptureFixture[str], files: tuple[str, str]
) -> None:
    from am_desktop.ui.settings import AppSettings

    settings = AppSettings()
    settings.prefs.my_email = "maya@ourco.com"
    settings.sync()
    db, calendar = files
    window = ("--from", "2026-03-01", "--to", "2026-03-31")
    code, out, _ = run(capsys, "import", "calendar", calendar, *window, "--db", db, "--json")
    assert (code, json.loads(out)["added"]) == (0, 1)


def test_calendar_options_are_refused_for_csv_kinds(
    capsys: pytest.CaptureFixture[str], files: tuple[str, str], tmp_path: Path
) -> None:
    db, calendar = files
    code, _, err = run(capsys, "import", "accounts", calendar, "--me", "a@b.com", "--db", db)
    assert code == 1
    assert "--me is for `import calendar` only" in err
    code, _, err = run(capsys, "import", "calendar", calendar, "--dry-run", "--db", db)
    assert code == 1
    assert "--dry-run" in err


def test_a_malformed_calendar_is_one_sentence_naming_the_line(
    capsys: pytest.CaptureFixture[str], files: tuple[str, str], tmp_path: Path
) -> None:
    db, _ = files
    bad = tmp_path / "bad.ics"
    bad.write_text(EVENT.replace("DTSTART:20260310T150000Z", "DTSTART:tomorrow"), newline="")
    code, _, err = run(capsys, "import", "calendar", str(bad), "--me", "m@ourco.com", "--db", db)
    assert code == 1
    assert "line 5 has a DTSTART that is not a date" in err
    assert err.count("\n") == 1
