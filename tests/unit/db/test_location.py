"""Where the database lives and who may read it."""

from __future__ import annotations

import stat
from pathlib import Path

from am_desktop.db import location
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
