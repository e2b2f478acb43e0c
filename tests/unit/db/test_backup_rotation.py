"""Backups are bounded, private, named for why they were taken, and never listed half-written
(issue 21 item 3)."""

from __future__ import annotations

import stat
import threading
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from am_desktop.db import backup
from am_desktop.db.backup import Reason, backup_dir, list_backups, prune, rotate_daily_backup


def _daily(db_path: Path, day: date) -> Path:
    folder = backup_dir(db_path)
    folder.mkdir(exist_ok=True)
    path = folder / f"{db_path.name}-daily-{day.isoformat()}.sqlite3"
    path.write_bytes(b"copy")
    return path


def _stamped(db_path: Path, mark: str, when: datetime) -> Path:
    folder = backup_dir(db_path)
    folder.mkdir(exist_ok=True)
    path = folder / f"{db_path.name}-{when:%Y%m%d-%H%M%S}-{mark}.sqlite3"
    path.write_bytes(b"copy")
    return path


def _days(paths: list[Path], db_path: Path) -> list[str]:
    prefix = f"{db_path.name}-daily-"
    return sorted(p.name[len(prefix) : -len(".sqlite3")] for p in paths if prefix in p.name)


def test_seven_dailies_and_the_newest_of_four_older_weeks_are_kept(db_path: Path) -> None:
    start = date(2026, 1, 1)  # a Thursday
    for n in range(70):  # ten weeks of daily copies
        _daily(db_path, start + timedelta(days=n))
    prune(db_path)
    kept = _days(list(backup_dir(db_path).iterdir()), db_path)
    # The last seven days (Mar 5-11: Thursday to Wednesday, ISO weeks 10 and 11), then the
    # Sundays ending the four ISO weeks before week 10.
    assert kept == [
        "2026-02-08",
        "2026-02-15",
        "2026-02-22",
        "2026-03-01",
        *[f"2026-03-{day:02d}" for day in range(5, 12)],
    ]


def test_weeklies_survive_gaps_and_the_bound_holds_day_after_day(db_path: Path) -> None:
    today = date(2026, 1, 1)
    for n in range(120):  # the app started on some days only
        if n % 3:
            rotate_daily_backup(db_path, today + timedelta(days=n))
        names = list(backup_dir(db_path).iterdir()) if backup_dir(db_path).exists() else []
        assert len(names) <= 7 + 4
    assert len(list(backup_dir(db_path).iterdir())) == 11


def test_the_last_five_of_each_other_kind_are_kept(db_path: Path) -> None:
    start = datetime(2026, 3, 1, 9, 0, 0)
    made = {
        mark: [_stamped(db_path, mark, start + timedelta(minutes=n)) for n in range(8)]
        for mark in ("manual", "before-restore", "before-upgrade-from-0007_today_indexes")
    }
    deleted = prune(db_path)
    for paths in made.values():
        assert all(path.exists() for path in paths[-5:])
        assert not any(path.exists() for path in paths[:3])
    assert len(deleted) == 9


def test_the_list_says_why_each_copy_was_taken_newest_first(db_path: Path) -> None:
    _daily(db_path, date(2026, 3, 1))
    _stamped(db_path, "before-upgrade-from-0007_today_indexes", datetime(2026, 3, 2, 8, 0))
    _stamped(db_path, "before-restore", datetime(2026, 3, 3, 8, 0))
    _stamped(db_path, "manual", datetime(2026, 3, 4, 8, 0, 5))
    folder = backup_dir(db_path)
    (folder / f"{db_path.name}-daily-notes.sqlite3").write_bytes(b"not a copy")
    (folder / "other.sqlite3-daily-2026-03-05.sqlite3").write_bytes(b"another database's")
    listed = list_backups(db_path)
    assert [(info.reason, info.kind) for info in listed] == [
        ("manual", Reason.MANUAL),
        ("before restore", Reason.BEFORE_RESTORE),
        ("before upgrade from 0007_today_indexes", Reason.BEFORE_UPGRADE),
        ("daily", Reason.DAILY),
    ]
    assert listed[0].taken_at == datetime(2026, 3, 4, 8, 0, 5)
    assert listed[-1].taken_at.date() == date(2026, 3, 1)
    assert all(info.size == 4 for info in listed)


def test_backups_are_private(db_path: Path) -> None:
    made = backup.take_backup(db_path, Reason.MANUAL)
    assert stat.S_IMODE(made.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(made.stat().st_mode) == 0o600
    made.parent.chmod(0o755)  # loosened by hand: the next backup tightens it again
    daily = rotate_daily_backup(db_path, date(2026, 3, 1))
    assert daily is not None
    assert stat.S_IMODE(daily.parent.stat().st_mode) == 0o700
    assert stat.S_IMODE(daily.stat().st_mode) == 0o600


def test_a_backup_being_written_is_not_listed(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[list[str]] = []
    partials: list[bool] = []
    monkeypatch.setattr(backup, "STEP_PAGES", 1)  # a step per page: the copy is seen mid-way
    copy = backup.copy_database

    def watched(source: Path, target: Path, **kwargs: object) -> None:
        seen.append([info.path.name for info in list_backups(db_path)])
        partials.append(target.exists() and target.name.endswith(backup.PARTIAL_SUFFIX))
        copy(source, target, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(backup, "copy_database", watched)
    made = backup.take_backup(db_path, Reason.MANUAL)
    assert partials == [True] and seen == [[]]
    assert [info.path for info in list_backups(db_path)] == [made]


def test_a_stopped_backup_leaves_nothing(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup, "STEP_PAGES", 1)
    stop = threading.Event()
    stop.set()  # the window closed while the day's copy was being written
    with pytest.raises(backup.BackupStopped):
        rotate_daily_backup(db_path, date(2026, 3, 1), stop=stop)
    assert list(backup_dir(db_path).iterdir()) == []
    assert list_backups(db_path) == []
