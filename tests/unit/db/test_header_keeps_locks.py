"""Reading a database's header must not drop the process's SQLite locks on it (POSIX drops
every lock of a process on a file when any descriptor of it is closed). Without its lock, a
connection lets another process's last close delete the ``-wal`` under it, and then reads
the deleted log: "database disk image is malformed"."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from am_desktop.db import migrate, opener

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX advisory locks")


def _wal_database(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("CREATE TABLE t(x)")
    connection.execute("INSERT INTO t VALUES (1)")
    return connection


def _write_elsewhere_and_close(path: Path) -> None:
    script = (
        "import sqlite3, sys\n"
        "c = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
        "c.execute('INSERT INTO t VALUES (2)')\n"
        "c.close()\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=True)


@pytest.mark.parametrize(
    "look",
    [opener.is_encrypted, migrate.read_header, lambda path: opener.read_head(path, 16)],
    ids=["is_encrypted", "read_header", "read_head"],
)
def test_a_connection_open_while_the_header_is_read_keeps_its_log(
    tmp_path: Path, look: Callable[[Path], object]
) -> None:
    path = tmp_path / "am.sqlite3"
    connection = _wal_database(path)
    try:
        wal = path.with_name(path.name + "-wal")
        log_before = wal.stat().st_ino
        look(path)
        look(path)  # the second look reuses what the first opened
        _write_elsewhere_and_close(path)
        assert wal.exists()  # the other process saw ours and did not delete the log
        assert wal.stat().st_ino == log_before
        assert connection.execute("SELECT count(*) FROM t").fetchone()[0] == 2
    finally:
        connection.close()


def test_the_header_read_is_the_files_current_one(tmp_path: Path) -> None:
    path = tmp_path / "file.bin"
    path.write_bytes(b"first")
    assert opener.read_head(path, 5) == (b"first", 5)
    with path.open("r+b") as file:  # rewritten in place: same inode
        file.write(b"again!")
    assert opener.read_head(path, 5) == (b"again", 6)
    replacement = tmp_path / "other.bin"
    replacement.write_bytes(b"third")
    replacement.replace(path)  # another file takes the name
    assert opener.read_head(path, 5) == (b"third", 5)


def test_a_folder_or_a_missing_file_is_said(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        opener.read_head(tmp_path / "none", 16)
    with pytest.raises(IsADirectoryError):
        opener.read_head(tmp_path, 16)
    assert not opener.is_encrypted(tmp_path)


def _deleted_files_held(folder: Path) -> list[str]:
    """The files under ``folder`` this process holds open although they were deleted."""
    held = []
    for entry in Path("/proc/self/fd").iterdir():
        try:
            target = str(entry.readlink())
        except OSError:
            continue
        if target.startswith(str(folder)) and target.endswith(" (deleted)"):
            held.append(target)
    return held


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc")
def test_a_file_swapped_out_or_deleted_is_let_go(tmp_path: Path) -> None:
    path = tmp_path / "am.sqlite3"
    path.write_bytes(b"plain")
    opener.read_head(path, 5)
    staged = tmp_path / "am.sqlite3.encrypting"  # read under its own name, then swapped in
    staged.write_bytes(b"crypt")
    opener.read_head(staged, 5)
    staged.replace(path)
    assert opener.read_head(path, 5) == (b"crypt", 5)
    assert _deleted_files_held(tmp_path) == []  # the swapped-out file's space is freed
    backup = tmp_path / "backup.sqlite3"
    backup.write_bytes(b"copy")
    opener.read_head(backup, 4)
    backup.unlink()  # pruned
    opener.read_head(path, 5)
    assert _deleted_files_held(tmp_path) == []
