"""Encryption at rest (issue 21): the file hides its contents, every command works with the
key, a wrong or missing key changes nothing, and turning it on or off loses nothing."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from am_desktop import cli, system_keyring
from am_desktop.db import opener
from am_desktop.errors import StorageError
from am_desktop.services import encryption
from am_desktop.services.notes import create_note
from am_desktop.services.store import open_store

KEY = "5e" * 32
WRONG_KEY = "a1" * 32
ACCOUNT = "Quillfeather Dynamics"
SENTENCE = "The procurement lead hinted at a sixty percent budget cut in spring"
LATER_SENTENCE = "Their new CISO wants the export audit finished before the board meets"
ROOT = Path(__file__).resolve().parents[3]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def beside(path: Path, end: str) -> Path:
    return path.with_name(path.name + end)


@pytest.fixture
def planted(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A plain database holding an account and a note with words to look for."""
    path = tmp_path / "book.sqlite3"
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(f"name,domain,arr\n{ACCOUNT},quillfeather.example,1200\n")
    notes = tmp_path / "notes.csv"
    notes.write_text(
        f"account,occurred_at,title,body\n{ACCOUNT},2026-03-02 10:00,Call,{SENTENCE}\n"
    )
    assert run(capsys, "import", "accounts", str(accounts), "--db", str(path))[0] == 0
    assert run(capsys, "import", "notes", str(notes), "--db", str(path))[0] == 0
    assert ACCOUNT.encode() in path.read_bytes() + _read(beside(path, "-wal"))
    return path


@pytest.fixture
def key_in_environment(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv(opener.KEY_ENV_VAR, KEY)
    return KEY


def _read(path: Path) -> bytes:
    return path.read_bytes() if path.exists() else b""


def test_an_encrypted_file_is_not_sqlite_to_anyone_without_the_key(
    planted: Path, key_in_environment: str
) -> None:
    encryption.encrypt_database(planted)
    assert not planted.read_bytes().startswith(b"SQLite format 3\x00")
    connection = sqlite3.connect(planted)
    with pytest.raises(sqlite3.DatabaseError):
        connection.execute("SELECT count(*) FROM account").fetchone()
    connection.close()
    assert not beside(planted, ".encrypting").exists()
    assert not beside(planted, "-wal").exists() and not beside(planted, "-shm").exists()


def test_planted_words_appear_nowhere_in_the_file_or_its_wal(
    planted: Path, key_in_environment: str
) -> None:
    encryption.encrypt_database(planted)
    store = open_store(planted)
    try:
        account_id = _account_id(store)
        create_note(
            store,
            {
                "account_id": account_id,
                "occurred_at": "2026-04-01 09:00",
                "title": "Later",
                "body": LATER_SENTENCE,
            },
        )
        wal = beside(planted, "-wal")
        assert wal.exists() and wal.stat().st_size > 0  # written while the store is open
        everything = planted.read_bytes() + wal.read_bytes()
        for words in (ACCOUNT, SENTENCE, LATER_SENTENCE):
            assert words.encode() not in everything
            assert words.encode("utf-16-le") not in everything
    finally:
        store.close()


def _account_id(store: Any) -> int:
    with store.raw() as connection:
        row = connection.execute("SELECT id FROM account WHERE name = ?", (ACCOUNT,)).fetchone()
    return int(row[0])


def test_every_command_works_with_the_key(
    planted: Path, key_in_environment: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    encryption.encrypt_database(planted)
    db = ("--db", str(planted))
    code, out, _ = run(capsys, "export", "accounts", *db)
    assert code == 0 and ACCOUNT in out
    code, out, _ = run(capsys, "search", "procurement", *db)
    assert code == 0 and ACCOUNT in out
    for command in (("renewals",), ("tasks",), ("kpis",)):
        code, _, err = run(capsys, *command, *db)
        assert code == 0, err
    more = tmp_path / "more.csv"
    more.write_text("name,domain,arr\nBrightwater Labs,brightwater.example,900\n")
    assert run(capsys, "import", "accounts", str(more), *db)[0] == 0
    code, out, _ = run(capsys, "export", "accounts", *db)
    assert "Brightwater Labs" in out
    assert opener.is_encrypted(planted)


@pytest.mark.parametrize("key", [WRONG_KEY, None], ids=["wrong key", "no key"])
def test_a_wrong_or_missing_key_changes_nothing(
    planted: Path,
    key: str | None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv(opener.KEY_ENV_VAR, KEY)
    encryption.encrypt_database(planted)
    before = digest(planted)
    if key is None:
        monkeypatch.delenv(opener.KEY_ENV_VAR)
    else:
        monkeypatch.setenv(opener.KEY_ENV_VAR, key)
    expected = "key does not open this database" if key else f"set ${opener.KEY_ENV_VAR}"
    for argv in (("export", "accounts"), ("db", "decrypt"), ("search", "budget")):
        code, out, err = run(capsys, *argv, "--db", str(planted))
        assert code == 1 and expected in err and not out
        assert len(err.strip().splitlines()) == 1  # one sentence, no SQLCipher log lines
    assert digest(planted) == before
    assert sorted(p.name for p in planted.parent.iterdir() if p.name.startswith("book")) == [
        "book.sqlite3"
    ]


def test_the_round_trip_keeps_every_record(
    planted: Path, key_in_environment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ("--db", str(planted))
    exports = ["accounts", "notes"]
    before = [run(capsys, "export", kind, "--format", "json", *db)[1] for kind in exports]
    code, out, err = run(capsys, "db", "encrypt", *db)
    assert code == 0 and "Encrypted" in out, err
    assert opener.is_encrypted(planted)
    code, out, err = run(capsys, "db", "decrypt", *db)
    assert code == 0 and "Decrypted" in out, err
    assert planted.read_bytes().startswith(b"SQLite format 3\x00")
    after = [run(capsys, "export", kind, "--format", "json", *db)[1] for kind in exports]
    assert after == before and SENTENCE in after[1]


def test_the_wrong_form_is_recognised_and_said(planted: Path, key_in_environment: str) -> None:
    with pytest.raises(StorageError, match="is not encrypted"):
        encryption.decrypt_database(planted)
    encryption.encrypt_database(planted)
    before = digest(planted)
    with pytest.raises(StorageError, match="encrypted already"):
        encryption.encrypt_database(planted)
    assert digest(planted) == before


def test_the_app_makes_the_key_and_keeps_it_in_the_keyring(
    planted: Path, fake_keyring: Any
) -> None:
    encryption.encrypt_database(planted)
    kept = fake_keyring.secrets[(system_keyring.SERVICE, opener.KEYRING_ENTRY)]
    assert len(bytes.fromhex(kept)) == 32
    store = open_store(planted)  # the keyring's key opens it
    try:
        assert _account_id(store) > 0
    finally:
        store.close()


def test_without_a_keyring_or_a_key_nothing_is_encrypted(
    planted: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(system_keyring, "keyring_available", lambda: False)
    before = digest(planted)
    with pytest.raises(encryption.NoPlaceForKey, match=opener.KEY_ENV_VAR):
        encryption.encrypt_database(planted)
    assert digest(planted) == before


HOLD_OPEN = """
import sqlite3, sys
connection = sqlite3.connect(sys.argv[1])
connection.execute("SELECT count(*) FROM account").fetchone()
print("open", flush=True)
sys.stdin.read()
"""


def test_it_refuses_while_the_database_is_open_in_another_process(
    planted: Path, key_in_environment: str
) -> None:
    # Another process, as a window is: POSIX locks of one process never block each other.
    with subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN, str(planted)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    ) as holder:
        assert holder.stdout is not None and holder.stdout.readline() == "open\n"
        before = digest(planted)
        try:
            with pytest.raises(StorageError, match="open in AM Desktop or another program"):
                encryption.encrypt_database(planted)
        finally:
            holder.communicate("")  # the other process closes the database and ends
        assert digest(planted) == before
    encryption.encrypt_database(planted)  # closed there: it works
    assert opener.is_encrypted(planted)


def test_a_process_killed_while_encrypting_leaves_the_original_usable(
    planted: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = ("--db", str(planted))
    before = run(capsys, "export", "notes", "--format", "json", *db)[1]
    environment = {
        **os.environ,
        opener.KEY_ENV_VAR: KEY,
        encryption.PAUSE_ENV_VAR: "1",
        "PYTHONPATH": str(ROOT),
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "am_desktop", "db", "encrypt", *db],
        env=environment,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        # Blocks until the child says so; "" if it ended first (its output closed).
        assert child.stdout.readline() == "half-written\n", "ended before half written"
        assert beside(planted, ".encrypting").exists()
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate()  # reaped, its pipes closed
    assert not opener.is_encrypted(planted)
    assert run(capsys, "export", "notes", "--format", "json", *db)[1] == before
    monkeypatch.setenv(opener.KEY_ENV_VAR, KEY)
    encryption.encrypt_database(planted)  # a later attempt removes the half-written copy
    assert opener.is_encrypted(planted) and not beside(planted, ".encrypting").exists()
