"""``am-desktop brief ACCOUNT [--date DATE] --out FILE`` (issue 19)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from am_desktop.services import catalog, notes
from am_desktop.services.store import Store
from tests.unit.test_cli import run


@pytest.fixture
def acme(store: Store) -> int:
    account = catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"}).id
    notes.create_note(
        store,
        {"account_id": account, "title": "Quarterly check-in", "kind": "meeting",
         "occurred_at": datetime(2026, 12, 10, 12, tzinfo=UTC)},
    )  # fmt: skip
    return account


@pytest.mark.usefixtures("acme")
@pytest.mark.parametrize("suffix", [".md", ".html", ".pdf"])
def test_brief_writes_the_days_meeting_in_each_format(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path, suffix: str
) -> None:
    out = tmp_path / f"brief{suffix}"
    code, _, err = run(
        capsys, "brief", "acme.com", "--date", "2026-12-10", "--out", str(out),
        "--db", str(db_path),
    )  # fmt: skip
    assert code == 0, err
    assert f"Pre-call brief: Acme — Quarterly check-in saved to {out}." in err
    data = out.read_bytes()
    if suffix == ".pdf":
        assert data.startswith(b"%PDF")
    else:
        assert "Quarterly check-in" in data.decode("utf-8")


@pytest.mark.usefixtures("acme")
def test_without_a_meeting_that_day_it_is_the_accounts_brief(
    capsys: pytest.CaptureFixture[str], db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "acme.md"
    code, _, err = run(
        capsys, "brief", "Acme", "--date", "2026-12-11", "--out", str(out), "--db", str(db_path)
    )
    assert code == 0
    assert "No meeting with Acme on 2026-12-11" in err
    assert out.read_text(encoding="utf-8").startswith("# Pre-call brief: Acme\n")


@pytest.mark.usefixtures("acme")
@pytest.mark.parametrize(
    ("account", "out", "message"),
    [
        ("Nobody", "brief.md", 'No account is named "Nobody"'),
        ("Acme", "brief.docx", "FILE.md, FILE.html or FILE.pdf, not brief.docx"),
    ],
)
def test_brief_refuses_in_words(
    capsys: pytest.CaptureFixture[str],
    db_path: Path,
    tmp_path: Path,
    *,
    account: str,
    out: str,
    message: str,
) -> None:
    code, _, err = run(capsys, "brief", account, "--out", str(tmp_path / out), "--db", str(db_path))
    assert code == 1
    assert message in err and "Traceback" not in err
    assert not (tmp_path / out).exists()
