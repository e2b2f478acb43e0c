"""The opener: plain files through sqlite3, encrypted ones through SQLCipher with the key."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from am_desktop.db import opener

KEY = "ab" * 32
OTHER_KEY = "cd" * 32


def _encrypted(path: Path, key: str = KEY) -> Path:
    connection = opener.connect_encrypted(path, key)
    connection.execute("CREATE TABLE secret(word TEXT)")
    connection.execute("INSERT INTO secret VALUES ('Halvorsen Marine')")
    connection.commit()
    connection.close()
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_plain_file_opens_with_sqlite3(db_path: Path) -> None:
    assert not opener.is_encrypted(db_path)
    connection = opener.connect(db_path, key=KEY)  # a key is ignored for a plain file
    try:
        assert isinstance(connection, sqlite3.Connection)
        assert not opener.is_sqlcipher(connection)
    finally:
        connection.close()


def test_a_missing_or_empty_file_is_plain(tmp_path: Path) -> None:
    assert not opener.is_encrypted(tmp_path / "new.sqlite3")
    (tmp_path / "empty.sqlite3").touch()
    assert not opener.is_encrypted(tmp_path / "empty.sqlite3")


def test_a_text_file_is_not_taken_for_an_encrypted_one(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(b"this is not a database at all" * 200)
    assert not opener.is_encrypted(path)


def test_an_encrypted_file_is_recognised_and_opens_with_its_key(tmp_path: Path) -> None:
    path = _encrypted(tmp_path / "book.sqlite3")
    assert opener.is_encrypted(path)
    assert not path.read_bytes().startswith(opener.SQLITE_MAGIC)
    connection = opener.connect(path, key=KEY)
    try:
        assert opener.is_sqlcipher(connection)
        assert connection.execute("SELECT word FROM secret").fetchone() == ("Halvorsen Marine",)
    finally:
        connection.close()


def test_python_sqlite3_cannot_read_an_encrypted_file(tmp_path: Path) -> None:
    path = _encrypted(tmp_path / "book.sqlite3")
    connection = sqlite3.connect(path)
    with pytest.raises(sqlite3.DatabaseError):
        connection.execute("SELECT * FROM sqlite_master").fetchall()
    connection.close()


def test_a_wrong_key_is_said_and_the_file_is_untouched(tmp_path: Path) -> None:
    path = _encrypted(tmp_path / "book.sqlite3")
    before = _digest(path)
    with pytest.raises(opener.WrongKey, match="key does not open this database"):
        opener.connect(path, key=OTHER_KEY)
    assert _digest(path) == before


def test_a_missing_key_says_how_to_give_one(tmp_path: Path) -> None:
    path = _encrypted(tmp_path / "book.sqlite3")
    before = _digest(path)
    with pytest.raises(opener.KeyMissing, match=r"AM_DESKTOP_DB_KEY"):
        opener.connect(path)
    assert _digest(path) == before


def test_the_key_comes_from_the_environment_before_the_keyring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fake_keyring: Any
) -> None:
    from am_desktop.system_keyring import save_secret

    path = tmp_path / "book.sqlite3"
    assert opener.database_key(path) is None
    save_secret(opener.KEYRING_ENTRY, OTHER_KEY)
    assert opener.database_key(path) == OTHER_KEY
    monkeypatch.setenv(opener.KEY_ENV_VAR, KEY)
    assert opener.database_key(path) == KEY
    _encrypted(path)
    opener.connect(path).close()  # the environment's key opens it


def test_a_passphrase_works_as_a_key(tmp_path: Path) -> None:
    path = _encrypted(tmp_path / "book.sqlite3", key="it's a long passphrase")
    connection = opener.connect(path, key="it's a long passphrase")
    assert connection.execute("SELECT count(*) FROM secret").fetchone() == (1,)
    connection.close()


def test_either_drivers_errors_are_caught(tmp_path: Path) -> None:
    path = _encrypted(tmp_path / "book.sqlite3")
    connection = opener.connect(path, key=KEY)
    with pytest.raises(opener.OperationalError):
        connection.execute("SELECT * FROM no_such_table")
    connection.close()
