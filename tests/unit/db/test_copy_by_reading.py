"""A copy made only by reading: the source keeps its bytes and gains no file beside it."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from am_desktop.app import self_test_database
from am_desktop.db.backup import copy_by_reading
from am_desktop.errors import StorageError
from am_desktop.services import catalog
from am_desktop.services.store import open_store


def _folder(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() if p.is_file() else b"<folder>" for p in path.parent.iterdir()}


def test_the_copy_holds_the_data_and_the_source_is_untouched(db_path: Path, tmp_path: Path) -> None:
    store = open_store(db_path)
    catalog.accounts.create(store, {"name": "Acme"})
    store.close()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    before = _folder(db_path)
    copy = copy_by_reading(db_path, elsewhere / "copy.sqlite3")
    assert _folder(db_path) == before
    connection = sqlite3.connect(copy)
    assert connection.execute("SELECT name FROM account").fetchall() == [("Acme",)]
    connection.close()


def test_a_newer_database_is_refused_by_its_own_name(db_path: Path, tmp_path: Path) -> None:
    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.commit()
    connection.close()
    with pytest.raises(StorageError, match=str(db_path)):
        copy_by_reading(db_path, tmp_path / "copy.sqlite3")


def test_the_self_test_never_works_on_the_users_file(db_path: Path, tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    assert self_test_database(db_path, work).parent == work
    assert self_test_database(None, work).parent == work
    missing = tmp_path / "typo.sqlite3"
    assert self_test_database(missing, work).parent == work
    assert not missing.exists()
