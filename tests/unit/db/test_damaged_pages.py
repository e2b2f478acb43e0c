"""A database with a damaged page is refused at every open, in words that say where the newest
backup is, and is never written to (issue 14, item 7)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from am_desktop.cli import main
from am_desktop.db import migrate
from am_desktop.errors import StorageError
from am_desktop.services.catalog import accounts
from am_desktop.services.store import open_store


def _folder(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file()}


@pytest.fixture
def damaged(db_path: Path) -> Path:
    """A real database with several pages of accounts, one page in the middle overwritten."""
    store = open_store(db_path)
    for n in range(200):
        accounts.create(store, {"name": f"Account {n}", "industry": "x" * 90})
    store.close()
    data = bytearray(db_path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    pages = len(data) // page_size
    assert pages > 8
    middle = page_size * (pages // 2)
    data[middle : middle + page_size] = b"\xa5" * page_size
    db_path.write_bytes(bytes(data))
    return db_path


def test_a_damaged_page_is_refused_at_open_and_the_file_is_untouched(damaged: Path) -> None:
    before = _folder(damaged)
    with pytest.raises(StorageError, match="is damaged") as refused:
        open_store(damaged)
    assert f"Restore a backup from {damaged.parent / 'backups'}" in str(refused.value)
    assert _folder(damaged) == before


def test_the_refusal_names_the_newest_backup(damaged: Path) -> None:
    folder = damaged.parent / "backups"
    folder.mkdir()
    older = folder / f"{damaged.name}-daily-2026-01-01.sqlite3"
    newer = folder / f"{damaged.name}-daily-2026-01-02.sqlite3"
    for age, copy in ((100, older), (200, newer)):
        copy.write_bytes(b"copy")
        os.utime(copy, (1_700_000_000 + age, 1_700_000_000 + age))
    (folder / "other.sqlite3-daily-2026-01-03.sqlite3").write_bytes(b"a namesake's")
    with pytest.raises(StorageError, match=f"the newest is {newer.name}"):
        open_store(damaged)


def test_an_import_from_the_command_line_is_refused(
    damaged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "accounts.csv"
    source.write_text("name,domain\nAcme,acme.test\n")
    before = _folder(damaged)
    code = main(["import", "accounts", str(source), "--db", str(damaged)])
    err = capsys.readouterr().err
    assert code == 1 and "is damaged" in err and "Traceback" not in err
    assert _folder(damaged) == before


def test_a_check_past_its_time_budget_trusts_the_file(
    damaged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = iter(range(0, 10**6, 10))  # every look at the clock is ten seconds later
    monkeypatch.setattr(migrate.time, "monotonic", lambda: float(next(clock)))
    migrate.check_integrity(damaged)  # stopped at the first progress call, so trusted
    with pytest.raises(StorageError, match="is damaged"):
        migrate.check_integrity(damaged, budget_s=None)  # before a migration: the whole file


def test_the_check_leaves_no_file_beside_a_path_with_uri_characters(tmp_path: Path) -> None:
    path = tmp_path / "odd ?#% name.sqlite3"
    open_store(path).close()
    before = _folder(path)
    migrate.check_integrity(path)
    assert _folder(path) == before


def test_the_window_opens_at_once_and_its_first_write_finds_the_damage(damaged: Path) -> None:
    from am_desktop.services import catalog
    from am_desktop.services.store import open_store, verify_file

    before = _folder(damaged.parent)
    store = open_store(damaged, check_budget_s=0)  # the window: no check before the paint
    try:
        with pytest.raises(StorageError, match="damaged"):
            verify_file(store)  # the write lane's first job
        with pytest.raises(StorageError, match="damaged"):
            catalog.accounts.create(store, {"name": "Never written"})
        with pytest.raises(StorageError, match="damaged"), store.raw(write=True):
            pass
    finally:
        store.close()
    assert _folder(damaged.parent) == before
