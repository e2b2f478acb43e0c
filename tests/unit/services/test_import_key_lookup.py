"""A batch's stored matches are read in one join over its keys: the same records as before.

Imports look up the records a batch's rows may update (by e-mail, account, uid, or an ARR
movement's account, day and type) through a temporary table of keys; what matches, and which
record wins when several share a key, must be what the ``IN`` lists found.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from am_desktop.db import deferred_indexes
from am_desktop.errors import ImportRejected
from am_desktop.services.store import Store
from am_desktop.services.transfer import importer
from am_desktop.services.transfer.importer import import_csv
from am_desktop.services.transfer.key_lookup import matching_rows

TODAY = date(2026, 11, 22)


def write(tmp_path: Path, name: str, content: str) -> Path:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_matching_rows_reads_each_stored_match_once_and_leaves_no_keys(
    store: Store, tmp_path: Path
) -> None:
    import_csv(store, "accounts", _accounts(tmp_path))
    with store.write() as session:
        sql = (
            "SELECT a.id, a.domain FROM {keys} AS k CROSS JOIN account AS a "
            "ON a.domain = k.k0 WHERE a.id < ? ORDER BY a.domain"
        )
        keys = [("beta.com",), ("acme.com",), ("beta.com",), ("nowhere.com",)]
        found = matching_rows(session, sql, keys, (100,))
        left = session.connection().exec_driver_sql("SELECT count(*) FROM temp.am_import_keys_1")
        assert [domain for _, domain in found] == ["acme.com", "beta.com"]
        assert left.scalar() == 0
        assert matching_rows(session, sql, [], (100,)) == []


def _accounts(folder: Path) -> Path:
    return write(folder, "a.csv", "name,domain\nAcme,acme.com\nBeta,beta.com\n")


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(importer, "BATCH_ROWS", 2)


@pytest.mark.usefixtures("small_batches")
def test_arr_twins_are_matched_one_for_one_across_batches(store: Store, tmp_path: Path) -> None:
    import_csv(store, "accounts", _accounts(tmp_path))
    rows = (
        "acme.com,2026-01-05,expansion,100.00\n"
        "acme.com,2026-01-05,expansion,100.00\n"  # a second, identical movement
        "beta.com,2026-01-05,expansion,100.00\n"
        "acme.com,2026-02-05,contraction,20.00\n"
        "beta.com,2026-03-01,expansion,7.50\n"
    )
    path = write(tmp_path, "arr.csv", "account,date,type,amount\n" + rows)
    first = import_csv(store, "arr", path, today=TODAY)
    again = import_csv(store, "arr", path, today=TODAY)
    bigger = write(tmp_path, "arr2.csv", "account,date,type,amount\n" + rows * 2)
    third = import_csv(store, "arr", bigger, today=TODAY)
    assert (first.added, again.added, again.unchanged) == (5, 0, 5)
    assert (third.added, third.unchanged) == (5, 5)
    with store.read() as session:
        count = session.execute(text("SELECT count(*) FROM arr_movement")).scalar()
    assert count == 10


@pytest.mark.usefixtures("small_batches")
def test_contacts_are_matched_by_email_and_by_name_across_batches(
    store: Store, tmp_path: Path
) -> None:
    import_csv(store, "accounts", _accounts(tmp_path))
    header = "account,first_name,last_name,email,title\n"
    rows = (
        "acme.com,Sam,Ng,sam@acme.com,CTO\n"
        "beta.com,Ada,Lo,ada@beta.com,CFO\n"
        "acme.com,Kim,Wu,,VP\n"
        "beta.com,Kim,Wu,,VP\n"
    )
    import_csv(store, "contacts", write(tmp_path, "c.csv", header + rows))
    edits = (
        "beta.com,Ada,Lo,ada@beta.com,CEO\n"
        "acme.com,Kim,Wu,,SVP\n"
        "acme.com,Sam,Ng,sam@acme.com,CTO\n"
        "beta.com,Kim,Wu,,VP\n"
    )
    summary = import_csv(store, "contacts", write(tmp_path, "c2.csv", header + edits))
    assert (summary.added, summary.updated, summary.unchanged) == (0, 2, 2)
    with store.read() as session:
        titles = session.execute(
            text("SELECT coalesce(email, account_id), title FROM contact ORDER BY id")
        ).all()
    assert [title for _, title in titles] == ["CTO", "CEO", "SVP", "VP"]


# ------------------------------------------------------------------ large imports' indexes


def _indexes(store: Store) -> list[tuple[str, str]]:
    with store.read() as session:
        rows = session.execute(
            text("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name")
        )
        return [(name, sql) for name, sql in rows]


@pytest.fixture
def every_file_large(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file counts as large; records which tables had indexes built afterwards."""
    monkeypatch.setattr(importer, "BATCH_ROWS", 2)
    monkeypatch.setattr(importer, "ROW_BYTES_GUESS", 1)
    deferred: list[str] = []
    real = deferred_indexes.indexes_built_afterwards

    def recording(connection: object, tables: list[str], keep: frozenset[str]) -> object:
        deferred.extend(tables)
        return real(connection, tables, keep)  # type: ignore[arg-type]

    monkeypatch.setattr(importer, "indexes_built_afterwards", recording)
    return deferred


def test_a_large_import_leaves_every_index_and_row_as_a_small_one(
    store: Store, tmp_path: Path, every_file_large: list[str]
) -> None:
    import_csv(store, "accounts", _accounts(tmp_path))
    before = _indexes(store)
    rows = "".join(f"acme.com,2026-01-{n + 1:02},expansion,{n + 1}.00\n" for n in range(9))
    import_csv(store, "arr", write(tmp_path, "arr.csv", "account,date,type,amount\n" + rows))
    contacts = "".join(f"beta.com,P{n},p{n}@beta.com\n" for n in range(7))
    path = write(tmp_path, "c.csv", "account,last_name,email\n" + contacts)
    import_csv(store, "contacts", path)
    assert every_file_large == ["arr_movement", "contact"]
    assert _indexes(store) == before
    with store.read() as session:
        assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
        found = session.execute(
            text(
                "SELECT email FROM contact INDEXED BY ix_contact_email WHERE email = 'p3@beta.com'"
            )
        ).all()
        summary = session.execute(text("SELECT arr_cents FROM account_summary")).scalars()
        assert [tuple(row) for row in found] == [("p3@beta.com",)]
        assert sorted(summary) == [0, 4500]


def test_a_failed_large_import_rolls_back_with_its_indexes(
    store: Store, tmp_path: Path, every_file_large: list[str]
) -> None:
    import_csv(store, "accounts", _accounts(tmp_path))
    before = _indexes(store)
    rows = "".join(f"acme.com,2026-01-{n + 1:02},expansion,{n + 1}.00\n" for n in range(6))
    bad = rows + "nowhere.com,2026-02-01,expansion,5.00\n"
    with pytest.raises(ImportRejected):
        import_csv(store, "arr", write(tmp_path, "arr.csv", "account,date,type,amount\n" + bad))
    assert every_file_large == ["arr_movement"]
    assert _indexes(store) == before
    with store.read() as session:
        assert session.execute(text("SELECT count(*) FROM arr_movement")).scalar() == 0


def test_a_large_import_failing_midway_rolls_back_with_its_indexes(
    store: Store, tmp_path: Path, every_file_large: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import_csv(store, "accounts", _accounts(tmp_path))
    before = _indexes(store)
    written = importer.ArrImport.write
    calls: list[int] = []

    def failing(self: importer.ArrImport, plan: importer.Plan) -> dict[int, int]:
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk gone")
        return written(self, plan)

    monkeypatch.setattr(importer.ArrImport, "write", failing)
    rows = "".join(f"acme.com,2026-01-{n + 1:02},expansion,{n + 1}.00\n" for n in range(6))
    with pytest.raises(OSError, match="disk gone"):
        import_csv(store, "arr", write(tmp_path, "arr.csv", "account,date,type,amount\n" + rows))
    assert every_file_large == ["arr_movement"]
    assert _indexes(store) == before
    with store.read() as session:
        assert session.execute(text("SELECT count(*) FROM arr_movement")).scalar() == 0
