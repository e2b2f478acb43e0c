"""Restoring a backup: old values come back, what is replaced is kept, and a copy that cannot
be used is refused in words with nothing changed (issue 21 item 3)."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from am_desktop.cli import main
from am_desktop.db import migrate
from am_desktop.db.backup import Reason, backup_dir
from am_desktop.errors import StorageError
from am_desktop.services import backups, catalog
from am_desktop.services.store import open_store


def _names(db_path: Path) -> list[str]:
    connection = sqlite3.connect(db_path)
    try:
        return [name for (name,) in connection.execute("SELECT name FROM account ORDER BY name")]
    finally:
        connection.close()


def _add(db_path: Path, name: str) -> None:
    store = open_store(db_path)
    try:
        catalog.accounts.create(store, {"name": name})
    finally:
        store.close()


def _digest(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_restore_brings_old_values_back_and_keeps_what_it_replaced(db_path: Path) -> None:
    _add(db_path, "Acme")
    taken = backups.back_up_now(db_path)
    _add(db_path, "Globex")  # after the backup: replaced by the restore, but kept
    open_store(db_path).close()
    wal = db_path.with_name(db_path.name + "-wal")
    wal.write_bytes(b"the replaced file's log")
    done = backups.restore_backup(db_path, taken.path)
    assert _names(db_path) == ["Acme"]
    assert done.replaced is not None and not done.migrated
    kept = [info for info in backups.list_backups(db_path) if info.kind is Reason.BEFORE_RESTORE]
    assert [info.path for info in kept] == [done.replaced]
    assert _names(done.replaced) == ["Acme", "Globex"]
    assert not db_path.with_name(db_path.name + backups.STAGED_SUFFIX).exists()
    assert not wal.exists() or not wal.read_bytes().startswith(b"the replaced")


def test_an_older_backup_is_upgraded_after_it_is_restored(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _add(db_path, "Acme")
    old = backups.back_up_now(db_path).path
    connection = sqlite3.connect(old)
    connection.execute("UPDATE alembic_version SET version_num = ?", (migrate.KNOWN_REVISIONS[-2],))
    connection.commit()
    connection.close()
    upgraded: list[Path] = []
    monkeypatch.setattr(migrate, "upgrade", lambda path, target="head": upgraded.append(path))  # noqa: ARG005
    done = backups.restore_backup(db_path, old)
    assert done.migrated and upgraded == [db_path]


@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        ("pages", "is damaged"),
        ("text", "is damaged or is not a database"),
        ("foreign", "is not an AM Desktop database"),
        ("newer", "was written by a newer version of AM Desktop"),
    ],
)
def test_a_copy_that_cannot_be_used_is_refused_with_nothing_changed(
    db_path: Path, spoil: str, words: str
) -> None:
    _add(db_path, "Acme")
    chosen = backups.back_up_now(db_path).path
    if spoil == "pages":  # damage inside the file, past its first page
        data = bytearray(chosen.read_bytes())
        page = int.from_bytes(data[16:18], "big")
        for start in range(page, len(data), page):
            data[start : start + 64] = b"\xa5" * 64
        chosen.write_bytes(bytes(data))
    elif spoil == "text":
        chosen.write_bytes(b"a shopping list, not a database")
    else:
        connection = sqlite3.connect(chosen)
        if spoil == "foreign":
            connection.execute("DROP TABLE alembic_version")
        else:
            connection.execute("UPDATE alembic_version SET version_num = '9999_future'")
        connection.commit()
        connection.close()
    before = _digest(db_path.parent)
    with pytest.raises(StorageError, match=words) as refused:
        backups.restore_backup(db_path, chosen)
    assert "your data is unchanged" in refused.value.user_message
    assert _digest(db_path.parent) == before


def test_the_command_line_lists_takes_and_restores(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", str(db_path)]
    assert main(["backup", "list", *db]) == 0
    assert "No backups of am.sqlite3 yet" in capsys.readouterr().out
    _add(db_path, "Acme")
    assert main(["backup", "now", *db]) == 0
    assert "Backed up am.sqlite3 to" in capsys.readouterr().out
    assert main(["backup", "list", "--json", *db]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [row["reason"] for row in listed] == ["manual"] and listed[0]["size"] > 0
    _add(db_path, "Globex")
    name = Path(listed[0]["file"]).name
    assert main(["backup", "restore", name, *db]) == 0  # by its name as listed; no question
    out = capsys.readouterr().out
    assert f"Restored am.sqlite3 from {name}." in out and "What it replaced is kept" in out
    assert _names(db_path) == ["Acme"]
    assert main(["backup", "list", *db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "before restore" in lines[0] and "manual" in lines[1]


def test_the_command_line_refuses_a_damaged_copy_in_words(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = backup_dir(db_path) / "am.sqlite3-20260301-090000-manual.sqlite3"
    bad.parent.mkdir()
    bad.write_bytes(b"not a database at all")
    before = _digest(db_path.parent)
    assert main(["backup", "restore", str(bad), "--db", str(db_path)]) == 1
    err = capsys.readouterr().err
    assert "is damaged or is not a database" in err and "Traceback" not in err
    assert _digest(db_path.parent) == before


def test_sizes_read_plainly() -> None:
    assert [backups.file_size(n) for n in (10, 840_000, 1_234_567, 5_600_000_000)] == [
        "1 KB",
        "840 KB",
        "1.2 MB",
        "5.6 GB",
    ]
