"""The import's fast paths read and write exactly what the plain ones did.

Cells are parsed once per distinct value (a memo per column) and rows are inserted a column at
a time, leaving out columns no row gives: the values stored and the problems listed must not
change for it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from am_desktop.db.models import Contact
from am_desktop.errors import ImportRejected
from am_desktop.services.store import Store
from am_desktop.services.transfer import bulk
from am_desktop.services.transfer.bulk import UidSource
from am_desktop.services.transfer.csv_reader import read_csv
from am_desktop.services.transfer.importer import import_csv

TODAY = date(2026, 11, 22)


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_a_repeated_cell_reads_the_same_on_every_row(tmp_path: Path) -> None:
    rows = "".join(f"acme.com,Sam,P{n},p{n}@acme.com,champion,'=x, 4 \n" for n in range(3))
    header = "account,first_name,last_name,email,role,title,influence\n"
    source = read_csv("contacts", write(tmp_path, "c.csv", header + rows))
    assert [r.values["role"].value for r in source.rows] == ["champion"] * 3
    assert [r.values["title"] for r in source.rows] == ["=x"] * 3  # formula guard undone
    assert [r.values["influence"] for r in source.rows] == [4] * 3


def test_a_repeated_bad_cell_is_a_problem_on_every_row(tmp_path: Path) -> None:
    rows = "acme.com,P1,captain\nacme.com,P2,captain\nacme.com,P3,\nacme.com,P4,  \n"
    source = read_csv("contacts", write(tmp_path, "c.csv", "account,last_name,role\n" + rows))
    problems = [(p.row, p.column, p.reason) for r in source.rows for p in r.problems]
    assert [(row, column) for row, column, _ in problems] == [(2, "role"), (3, "role")]
    assert "'captain' is not one of" in problems[0][2]
    assert problems[0][2] == problems[1][2]
    assert "role" not in source.rows[2].values and "role" not in source.rows[3].values


def test_a_control_character_is_found_in_a_cell_read_before(tmp_path: Path) -> None:
    rows = "acme.com,Sam,P1\nacme.com,Sam\x07,P2\nacme.com,Sam,P3\n"
    source = read_csv("contacts", write(tmp_path, "c.csv", "account,first_name,last_name\n" + rows))
    assert [r.values.get("first_name") for r in source.rows] == ["Sam", None, "Sam"]
    [problem] = source.rows[1].problems
    assert (problem.row, problem.column) == (3, "first_name")
    assert "control character (U+0007)" in problem.reason


def test_a_short_row_reads_its_missing_cells_as_empty(tmp_path: Path) -> None:
    source = read_csv(
        "contacts", write(tmp_path, "c.csv", "account,last_name,email\nacme.com,P1\n")
    )
    [row] = source.rows
    assert row.values == {"account": "acme.com", "last_name": "P1"} and row.valid


def test_inserted_rows_get_defaults_ids_and_uids_as_before(store: Store, tmp_path: Path) -> None:
    import_csv(store, "accounts", write(tmp_path, "a.csv", "name,domain\nAcme,acme.com\n"))
    table = bulk.table_of(Contact)
    with store.write() as session:
        account = session.execute(text("SELECT id FROM account")).scalar_one()
        rows = [
            {"account_id": account, "last_name": "A"},
            {"account_id": account, "last_name": "B", "id": 50, "influence": 3},
            {"account_id": account, "last_name": "C", "uid": None},
        ]
        ids = bulk.insert_rows(session, table, rows, uids=UidSource(seed=4), first_id=10)
        stored = session.execute(
            text("SELECT id, last_name, influence, uid, version, archived_at FROM contact")
        ).all()
    assert ids == [10, 50, 12]
    expected = UidSource(seed=4)
    uids = [expected(), expected(), expected()]
    assert sorted(stored) == [
        (10, "A", None, uids[0], 1, None),
        (12, "C", None, uids[2], 1, None),
        (50, "B", 3, uids[1], 1, None),
    ]


def test_a_file_refused_still_lists_every_repeated_problem(store: Store, tmp_path: Path) -> None:
    import_csv(store, "accounts", write(tmp_path, "a.csv", "name,domain\nAcme,acme.com\n"))
    rows = "".join(f"acme.com,P{n},p{n}@acme.com,5x\n" for n in range(4))
    path = write(tmp_path, "c.csv", "account,last_name,email,influence\n" + rows)
    with pytest.raises(ImportRejected) as refused:
        import_csv(store, "contacts", path, today=TODAY)
    assert [p.row for p in refused.value.problems] == [2, 3, 4, 5]
    assert len({p.reason for p in refused.value.problems}) == 1
