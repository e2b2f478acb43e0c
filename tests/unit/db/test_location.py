"""Where the database lives and who may read it."""

from __future__ import annotations

import sqlite3
import stat
from pathlib import Path

from am_desktop.db import location
from am_desktop.services import catalog
from am_desktop.services.store import open_store


def test_db_path_is_flag_then_environment_then_user_folder(tmp_path: Path) -> None:
    env = {"AM_DESKTOP_DB": str(tmp_path / "env.sqlite3")}
    assert (
        location.resolve_db_path(str(tmp_path / "flag.sqlite3"), env) == tmp_path / "flag.sqlite3"
    )
    assert location.resolve_db_path(None, env) == tmp_path / "env.sqlite3"
    default = location.resolve_db_path(None, {})
    assert default == location.user_data_dir() / "am-desktop.sqlite3"


def test_the_data_folder_and_file_are_private_to_the_user() -> None:
    path = location.resolve_db_path(None, {})
    assert not path.parent.exists()
    open_store(path).close()
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_an_existing_data_folder_is_tightened() -> None:
    folder = location.user_data_dir()
    folder.mkdir(parents=True, mode=0o755)
    folder.chmod(0o755)
    open_store(folder / location.DB_FILENAME).close()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_daily_backups_rotate(db_path: Path) -> None:
    from datetime import date, timedelta

    from am_desktop.db.backup import backup_dir, rotate_daily_backup

    start = date(2026, 1, 1)
    for n in range(10):
        rotate_daily_backup(db_path, start + timedelta(days=n), keep=7)
    assert rotate_daily_backup(db_path, start + timedelta(days=9), keep=7) is None  # already taken
    names = sorted(p.name for p in backup_dir(db_path).iterdir())
    assert len(names) == 7
    assert names[0].endswith("2026-01-04.sqlite3") and names[-1].endswith("2026-01-10.sqlite3")


def test_two_databases_with_one_stem_keep_their_own_backups(tmp_path: Path) -> None:
    from datetime import date

    from am_desktop.db.backup import backup_dir, rotate_daily_backup

    book_sqlite, book_db = tmp_path / "book.sqlite3", tmp_path / "book.db"
    for path, name in ((book_sqlite, "Sqlite Co"), (book_db, "Db Co")):
        store = open_store(path)
        catalog.accounts.create(store, {"name": name})
        store.close()
    today = date(2026, 3, 1)
    first = rotate_daily_backup(book_sqlite, today)
    second = rotate_daily_backup(book_db, today)
    assert first is not None and second is not None and first != second
    assert {p.name for p in backup_dir(book_db).iterdir()} == {first.name, second.name}
    for backup, name in ((first, "Sqlite Co"), (second, "Db Co")):
        connection = sqlite3.connect(backup)
        assert connection.execute("SELECT name FROM account").fetchall() == [(name,)]
        connection.close()


def test_old_style_daily_backups_are_rotated_away(db_path: Path) -> None:
    from datetime import date

    from am_desktop.db.backup import backup_dir, rotate_daily_backup

    folder = backup_dir(db_path)
    folder.mkdir()
    stem = db_path.stem
    (folder / f"{stem}-daily-2026-02-20.sqlite3").write_bytes(b"old")  # older than a week
    (folder / f"{stem}-daily-2026-02-27.sqlite3").write_bytes(b"recent")
    (folder / f"{stem}-daily-notes.sqlite3").write_bytes(b"not a daily copy")
    rotate_daily_backup(db_path, date(2026, 3, 1), keep=7)
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{stem}-daily-2026-02-27.sqlite3",
        f"{stem}-daily-notes.sqlite3",
        f"{db_path.name}-daily-2026-03-01.sqlite3",
    ]
