"""A database that is refused is left exactly as it was: same bytes, and nothing new beside it
(no ``-wal`` or ``-shm``), however it is refused."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from am_desktop.cli import main
from am_desktop.errors import StorageError
from am_desktop.services.store import open_store


def _folder(path: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(path.parent.iterdir()) if p.is_file()}


def _refused_untouched(path: Path, match: str) -> None:
    before = _folder(path)
    with pytest.raises(StorageError, match=match):
        open_store(path)
    assert _folder(path) == before


def _wal_database(path: Path, *statements: str) -> Path:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    for statement in statements:
        connection.execute(statement)
    connection.commit()
    connection.close()
    assert path.read_bytes()[18:20] == b"\x02\x02"  # the header says WAL
    return path


def test_a_newer_schema_gains_no_files(db_path: Path) -> None:
    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.commit()
    connection.close()
    _refused_untouched(db_path, "newer version")


def test_a_foreign_database_in_wal_mode_gains_no_files(tmp_path: Path) -> None:
    path = _wal_database(tmp_path / "crm.sqlite3", "CREATE TABLE invoices (id INTEGER)")
    _refused_untouched(path, "another program")


def test_a_truncated_database_is_called_cut_short_and_gains_no_files(db_path: Path) -> None:
    data = db_path.read_bytes()
    assert len(data) > 3 * 4096
    db_path.write_bytes(data[: 2 * 4096 + 100])
    _refused_untouched(db_path, "cut short")


def test_a_file_shorter_than_a_header_is_damaged(tmp_path: Path) -> None:
    path = tmp_path / "stub.sqlite3"
    path.write_bytes(b"SQLite format 3\x00\x10\x00")
    _refused_untouched(path, "damaged")


def test_the_command_line_refuses_a_newer_database_without_a_trace(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.commit()
    connection.close()
    before = _folder(db_path)
    assert main(["search", "renewal", "--db", str(db_path)]) != 0
    assert "newer version" in capsys.readouterr().err
    assert _folder(db_path) == before


def test_a_database_with_a_live_wal_is_read_with_it(db_path: Path) -> None:
    """A WAL left by another open connection holds committed pages: the look must see them."""
    holder = sqlite3.connect(db_path)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("PRAGMA wal_autocheckpoint=0")
    holder.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    holder.commit()
    try:
        with pytest.raises(StorageError, match="newer version"):
            open_store(db_path)
    finally:
        holder.close()
