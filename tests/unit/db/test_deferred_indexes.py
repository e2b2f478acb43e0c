"""Indexes built after a bulk load: dropped for the block, made again after it, kept if asked."""

from __future__ import annotations

import sqlite3

import pytest

from am_desktop.db.deferred_indexes import indexes_built_afterwards


def _connection() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT UNIQUE, b TEXT, c TEXT)")
    connection.execute("CREATE INDEX ix_t_b ON t (b)")
    connection.execute("CREATE INDEX ix_t_c ON t (c)")
    return connection


def _names(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
    return [name for (name,) in rows]


def test_kept_indexes_stay_during_the_block_and_the_others_come_back() -> None:
    connection = _connection()
    connection.execute("BEGIN")
    with indexes_built_afterwards(connection, ["t"], keep=["ix_t_b"]):
        assert _names(connection) == ["ix_t_b", "sqlite_autoindex_t_1"]
        connection.executemany("INSERT INTO t (a, b, c) VALUES (?, ?, ?)", [("x", "y", "z")])
    connection.execute("COMMIT")
    assert _names(connection) == ["ix_t_b", "ix_t_c", "sqlite_autoindex_t_1"]
    assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_a_failed_block_rolled_back_has_every_index() -> None:
    connection = _connection()
    connection.execute("BEGIN")
    with pytest.raises(RuntimeError), indexes_built_afterwards(connection, ["t"]):
        raise RuntimeError("load failed")
    connection.execute("ROLLBACK")
    assert _names(connection) == ["ix_t_b", "ix_t_c", "sqlite_autoindex_t_1"]
