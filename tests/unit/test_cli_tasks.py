"""``am-desktop tasks``: open action items, grouped in text and listed in JSON."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from am_desktop import cli
from am_desktop.services import catalog, notes
from am_desktop.services.store import open_store


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """Acme with a note of three open items (overdue, due today, later) and one done."""
    path = tmp_path / "am.sqlite3"
    store = open_store(path)
    today = date.today()
    account = catalog.accounts.create(store, {"name": "Acme"}).id
    body = (
        f"- [ ] Chase legal @jo due:{today - timedelta(days=3)}\n"
        f"- [ ] Send pricing @me due:{today}\n"
        f"- [ ] Book QBR due:{today + timedelta(days=40)}\n"
        f"- [x] Old thing due:{today}\n"
    )
    when = datetime.now(UTC)
    notes.create_note(store, {"account_id": account, "occurred_at": when, "body": body})
    store.close()
    return path


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = cli.main(list(argv))
    return code, capsys.readouterr().out


def test_text_is_grouped_as_in_the_view(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out = run(capsys, "tasks", "--db", str(db))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Overdue (1)"
    assert lines[1].strip().endswith("Chase legal — Acme  @jo")
    assert lines[2] == "Today (1)"
    assert "Send pricing — Acme  @me" in lines[3]
    assert lines[4] == "Later (1)"
    assert "Old thing" not in out


def test_json_lists_the_items_due_by_today(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out = run(capsys, "tasks", "--due", "today", "--json", "--db", str(db))
    assert code == 0
    items = json.loads(out)
    assert [(i["text"], i["account"], i["owner"]) for i in items] == [
        ("Chase legal", "Acme", "jo"),
        ("Send pricing", "Acme", "me"),
    ]
    assert items[1]["due_date"] == date.today().isoformat()
    assert all(isinstance(i["note_uid"], str) for i in items)


def test_overdue_only_and_an_empty_list(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, out = run(capsys, "tasks", "--due", "overdue", "--json", "--db", str(db))
    assert code == 0 and [i["text"] for i in json.loads(out)] == ["Chase legal"]
    empty = db.with_name("empty.sqlite3")
    open_store(empty).close()
    code = cli.main(["tasks", "--db", str(empty)])
    captured = capsys.readouterr()
    assert code == 0 and captured.out == "" and "No open action item" in captured.err
