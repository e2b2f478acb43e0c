"""A full disk while a database is created, backed up or upgraded is said in words, leaves no
half-written file, and retried upgrades keep one backup per revision (issue 14, item 9)."""

from __future__ import annotations

import errno
import sqlite3
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import pytest

from am_desktop.cli import main
from am_desktop.db import backup, migrate
from am_desktop.errors import StorageError
from am_desktop.services.backups import take_daily_backup
from am_desktop.services.store import open_store

FULL = "database or disk is full"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _disk_full(*_args: Any, **_kwargs: Any) -> None:
    raise sqlite3.OperationalError(FULL)


def _no_space(*_args: Any, **_kwargs: Any) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def upgrade_due(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The database as an older version of the app left it: an upgrade is due at open."""
    monkeypatch.setattr(migrate, "HEAD_REVISION", "9999_future")
    ticks = iter(range(10**6))

    class Clock(datetime):
        @classmethod
        def now(cls, tz: tzinfo | None = None) -> Clock:
            return cls(2026, 1, 1, tzinfo=tz) + timedelta(minutes=next(ticks))  # type: ignore[return-value]

    monkeypatch.setattr(backup, "datetime", Clock)  # each attempt's backup has its own name
    return db_path


@pytest.mark.parametrize("failure", [_disk_full, _no_space], ids=["sqlite", "oserror"])
def test_a_full_disk_during_an_upgrade_is_said_and_changes_nothing(
    upgrade_due: Path, monkeypatch: pytest.MonkeyPatch, failure: Any
) -> None:
    monkeypatch.setattr(migrate, "upgrade", failure)
    before = upgrade_due.read_bytes()
    for _attempt in range(3):
        with pytest.raises(StorageError, match="The disk is full"):
            open_store(upgrade_due)
    assert upgrade_due.read_bytes() == before
    kept = sorted(p.name for p in (upgrade_due.parent / "backups").iterdir())
    assert len(kept) == 1 and "before-upgrade-from-" in kept[0]  # one per revision, not three


def test_a_full_disk_during_the_backup_leaves_no_partial_copy(
    upgrade_due: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    connect = sqlite3.connect

    def filling_up(target: Any, *args: Any, **kwargs: Any) -> sqlite3.Connection:
        if str(target).endswith(backup.PARTIAL_SUFFIX):  # half a copy, then no more room
            connection = connect(target, *args, **kwargs)
            connection.execute("CREATE TABLE half (x)")
            connection.commit()
            connection.close()
            raise sqlite3.OperationalError(FULL)
        return connect(target, *args, **kwargs)

    monkeypatch.setattr(backup.sqlite3, "connect", filling_up)
    before = _files(upgrade_due.parent)
    with pytest.raises(StorageError, match="The disk is full"):
        open_store(upgrade_due)
    assert _files(upgrade_due.parent) == before


def test_copies_left_by_a_killed_upgrade_are_removed(
    upgrade_due: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(migrate, "upgrade", lambda path, target="head": None)  # noqa: ARG005
    folder = upgrade_due.parent / "backups"
    folder.mkdir()
    stale = folder / f"{upgrade_due.name}-20260101-000000-before-upgrade-from-x.sqlite3.partial"
    stale.write_bytes(b"half")
    (folder / (stale.name + "-journal")).write_bytes(b"journal")
    others = folder / "other.sqlite3-20260101-000000-before-upgrade-from-x.sqlite3.partial"
    others.write_bytes(b"another database's copy in progress")
    open_store(upgrade_due).close()
    names = sorted(p.name for p in folder.iterdir())
    assert others.name in names
    assert not [name for name in names if ".partial" in name and name != others.name]


def test_a_new_database_on_a_full_disk_is_said_and_not_left_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from am_desktop.db import empty_schema

    monkeypatch.setattr(empty_schema, "create", _no_space)  # a new file is made from the script
    path = tmp_path / "new.sqlite3"
    code = main(["seed", "--db", str(path)])
    err = capsys.readouterr().err
    assert code == 1 and "The disk is full" in err and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_full_disk_during_the_daily_backup_is_said_and_leaves_no_copy(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = open_store(db_path)
    monkeypatch.setattr(backup, "make_private_file", _no_space)
    try:
        with pytest.raises(StorageError, match="the disk is full"):
            take_daily_backup(store.path, date(2026, 3, 1), keep=7)
    finally:
        store.close()
    assert list((db_path.parent / "backups").iterdir()) == []


def test_a_full_disk_during_a_seed_is_said_and_saves_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from sqlalchemy import exc
    from sqlalchemy.orm import Session

    def full(*_args: Any, **_kwargs: Any) -> None:
        raise exc.OperationalError("INSERT", {}, sqlite3.OperationalError(FULL))

    monkeypatch.setattr(Session, "flush", full)
    path = tmp_path / "new.sqlite3"
    code = main(["seed", "--db", str(path)])
    err = capsys.readouterr().err
    assert code == 1 and "The disk is full" in err and "Traceback" not in err
    monkeypatch.undo()
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("SELECT count(*) FROM account").fetchone() == (0,)
    finally:
        connection.close()
