"""Databases that cannot be used as they are: each is refused in true words, never as "damaged".

Root ignores permission bits, so when the suite runs as root (as in CI containers) a read-only
file or folder would simply be written to. There the tests judge access by the owner's bits, as
the kernel does for an ordinary user; they say so in the marker ``_as_an_ordinary_user``.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from am_desktop.cli import main
from am_desktop.errors import StorageError
from am_desktop.services.store import open_store, storage_error


@pytest.fixture
def _as_an_ordinary_user(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Under root, ``os.access`` reads the owner's permission bits (root would pass them all)."""
    if os.geteuid() == 0:
        checks = ((os.R_OK, stat.S_IRUSR), (os.W_OK, stat.S_IWUSR), (os.X_OK, stat.S_IXUSR))

        def access(path: str | os.PathLike[str], mode: int) -> bool:
            bits = stat.S_IMODE(Path(path).stat().st_mode)
            return all(bits & bit for wanted, bit in checks if mode & wanted)

        monkeypatch.setattr(os, "access", access)
    yield


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.usefixtures("_as_an_ordinary_user")
def test_a_read_only_database_is_called_read_only(db_path: Path) -> None:
    before = _snapshot(db_path.parent)
    db_path.chmod(0o444)
    with pytest.raises(StorageError, match="is read-only") as caught:
        open_store(db_path)
    assert "damaged" not in caught.value.user_message
    assert _snapshot(db_path.parent) == before


@pytest.mark.usefixtures("_as_an_ordinary_user")
def test_a_healthy_database_in_a_read_only_folder_names_the_folder(db_path: Path) -> None:
    folder = db_path.parent
    before = _snapshot(folder)
    folder.chmod(0o555)
    try:
        with pytest.raises(StorageError, match="cannot create files in") as caught:
            open_store(db_path)
    finally:
        folder.chmod(0o755)
    assert str(folder) in caught.value.user_message
    assert "damaged" not in caught.value.user_message
    assert _snapshot(folder) == before


@pytest.mark.usefixtures("_as_an_ordinary_user")
def test_a_new_database_in_a_read_only_folder_names_the_folder(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    folder.mkdir(mode=0o555)
    try:
        with pytest.raises(StorageError, match="cannot create files in"):
            open_store(folder / "book.sqlite3")
    finally:
        folder.chmod(0o755)
    assert not list(folder.iterdir())


def test_a_dangling_link_does_not_exist(tmp_path: Path) -> None:
    link = tmp_path / "book.sqlite3"
    link.symlink_to(tmp_path / "unplugged" / "book.sqlite3")
    with pytest.raises(StorageError, match="does not exist") as caught:
        open_store(link)
    assert "damaged" not in caught.value.user_message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.sqlite3"]


@pytest.mark.usefixtures("_as_an_ordinary_user")
def test_the_command_line_says_read_only_without_a_traceback(
    capsys: pytest.CaptureFixture[str], db_path: Path
) -> None:
    db_path.chmod(0o444)
    code = main(["export", "accounts", "--db", str(db_path)])
    err = capsys.readouterr().err
    assert code != 0
    assert "is read-only" in err
    assert "Traceback" not in err


def test_sqlites_own_errors_are_told_apart_from_damage(tmp_path: Path) -> None:
    path = tmp_path / "book.sqlite3"
    readonly = storage_error(sqlite3.OperationalError("attempt to write a readonly database"), path)
    assert "is read-only" in readonly.user_message
    unopenable = storage_error(sqlite3.OperationalError("unable to open database file"), path)
    assert "damaged" not in unopenable.user_message
    assert "could not be opened" in unopenable.user_message


def test_a_database_named_relative_to_the_folder_is_watched(
    db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--db mine.sqlite3``: noticing other processes' writes needs a URI, and a relative
    path has none of its own."""
    monkeypatch.chdir(db_path.parent)
    store = open_store(Path(db_path.name))
    try:
        assert store.changed_elsewhere() is False
        other = sqlite3.connect(db_path)
        other.execute("UPDATE alembic_version SET version_num = version_num")
        other.commit()
        other.close()
        assert store.changed_elsewhere() is True
    finally:
        store.close()
