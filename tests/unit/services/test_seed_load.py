"""How the seed loads its rows: cancelling leaves nothing behind, the indexes and triggers the
load puts off are all there afterwards, a seeded database is searchable and has nothing to sync
(issue 17)."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from random import Random

import pytest

from am_desktop import cli
from am_desktop.db.sync_tracking import tracking_triggers, untracked_while_unlinked
from am_desktop.domain.cancel import CancelToken
from am_desktop.errors import Cancelled
from am_desktop.services import seed
from am_desktop.services.seed import Scale, seed_database
from am_desktop.services.seed_random import SeedRandom
from am_desktop.services.store import open_store

TODAY = date(2026, 11, 22)
TINY = Scale(accounts=30, contacts_per_account=6, notes_per_account=15, movements_per_account=5)


def _schema(path: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return sorted(
            connection.execute(
                "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type != 'table'"
            ).fetchall()
        )
    finally:
        connection.close()


def _count(path: Path, table: str) -> int:
    connection = sqlite3.connect(path)
    try:
        return int(connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    finally:
        connection.close()


def test_the_seed_random_draws_what_the_standard_one_does() -> None:
    standard, quick = Random(9), SeedRandom(9)
    for size in range(1, 400):
        assert quick.below(size) == standard.randrange(size)
        assert quick.randint(-2, size) == standard.randint(-2, size)
        assert quick.pick("abcdefg"[: size % 7 + 1]) == standard.choice("abcdefg"[: size % 7 + 1])
        assert quick.choice(range(size)) == standard.choice(range(size))
    with pytest.raises(IndexError):
        quick.choice(())
    sizes = tuple(range(1, 70))
    assert quick.below_each(sizes) == [standard.randrange(size) for size in sizes]


def test_a_seeded_database_has_every_index_and_trigger_of_an_empty_one(tmp_path: Path) -> None:
    path = tmp_path / "demo.sqlite3"
    store = open_store(path)
    empty = _schema(path)
    seed_database(store, TINY, seed=4, today=TODAY)
    store.close()
    assert _schema(path) == empty
    assert any(kind == "index" and name == "ix_note_occurred_at" for kind, name, *_ in empty)


def test_a_cancelled_seed_leaves_an_empty_database_that_seeds_afterwards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seed, "_BATCH_ROWS", 300)  # several batches, so it is cancelled mid-way
    path = tmp_path / "demo.sqlite3"
    store = open_store(path)
    empty = _schema(path)
    token = CancelToken()
    reports: list[int] = []

    def progress(done: int, total: int, stage: str) -> None:
        reports.append(done)
        if len(reports) == 2:
            token.cancel()

    with pytest.raises(Cancelled):
        seed_database(store, TINY, seed=4, today=TODAY, progress=progress, cancel=token)
    assert 0 < reports[-1] < TINY.accounts
    assert [_count(path, t) for t in ("account", "note", "note_fts_docsize")] == [0, 0, 0]
    assert _schema(path) == empty
    counts = seed_database(store, TINY, seed=4, today=TODAY)
    store.close()
    assert counts["accounts"] == TINY.accounts
    assert _count(path, "note_fts_docsize") == _count(path, "note") == counts["notes"]


def test_search_finds_a_word_of_a_seeded_note(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.sqlite3"
    store = open_store(path)
    seed_database(store, TINY, seed=4, today=TODAY)
    store.close()
    connection = sqlite3.connect(path)
    note_id, title = connection.execute(
        "SELECT id, title FROM note ORDER BY occurred_at DESC, id LIMIT 1"
    ).fetchone()
    connection.close()
    word = max(title.split(), key=len).strip(".,:;!?()")
    capsys.readouterr()

    assert cli.main(["search", "--db", str(path), "--json", "--limit", "500", word]) == 0

    found = json.loads(capsys.readouterr().out)["results"]
    assert note_id in {hit["note_id"] for hit in found}


def _contents(path: Path) -> dict[str, list[tuple[object, ...]]]:
    connection = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {  # every row in a stable order (the index's tables have no rowid)
            t: sorted(connection.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
            for t in tables
        }
    finally:
        connection.close()


def _journal_mode(path: Path) -> str:
    connection = sqlite3.connect(path)
    try:
        return str(connection.execute("PRAGMA journal_mode").fetchone()[0])
    finally:
        connection.close()


def test_a_seed_loaded_alone_holds_the_same_data_and_is_back_in_wal_mode(tmp_path: Path) -> None:
    shared, alone = tmp_path / "shared.sqlite3", tmp_path / "alone.sqlite3"
    for path, by_itself in ((shared, False), (alone, True)):
        store = open_store(path)
        seed_database(store, TINY, seed=4, today=TODAY, alone=by_itself)
        store.close()

    assert _contents(alone) == _contents(shared)
    assert _contents(alone)["note"]
    connection = sqlite3.connect(alone)
    try:  # loaded without checking references: every one holds
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        connection.close()
    assert _journal_mode(alone) == "wal"
    assert _schema(alone) == _schema(shared)


def test_loading_alone_writes_past_the_wal_only_when_no_one_else_has_the_file(
    tmp_path: Path,
) -> None:
    path = tmp_path / "demo.sqlite3"
    store = open_store(path)
    with store.loading_alone(), store.write() as session:
        connection = session.connection()
        modes = [
            connection.exec_driver_sql(f"PRAGMA {p}").scalar()
            for p in ("journal_mode", "synchronous", "foreign_keys")
        ]
    assert modes == ["truncate", 0, 1]  # synchronous OFF, references checked
    with store.loading_alone(check_references=False), store.write() as session:
        unchecked = session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar()
    with store.write() as session:
        afterwards = session.connection().exec_driver_sql("PRAGMA foreign_keys").scalar()
    assert (unchecked, afterwards) == (0, 1)

    other = sqlite3.connect(path)
    other.execute("SELECT count(*) FROM account").fetchone()
    other.execute("BEGIN")
    other.execute("SELECT count(*) FROM account").fetchone()  # a reader holds the file
    try:
        with store.loading_alone(), store.write() as session:
            mode = session.connection().exec_driver_sql("PRAGMA journal_mode").scalar()
    finally:
        other.rollback()
        other.close()
    store.close()
    assert mode == "wal"
    assert _journal_mode(path) == "wal"


def _track_note_one(connection: sqlite3.Connection) -> None:
    """Sync in use, with note 1 linked to a CRM record."""
    connection.execute("INSERT INTO sync_state (key, value) VALUES ('tracking', '1')")
    connection.execute("INSERT INTO sync_link (obj, local_id, remote_id) VALUES ('note', 1, 'R1')")


def _add_attendee_to_note_one(connection: sqlite3.Connection) -> None:
    connection.execute(
        "INSERT INTO note_attendee (note_id, contact_id, email) "
        "SELECT 1, id, email FROM contact ORDER BY id LIMIT 1"
    )


def test_a_seeded_database_has_nothing_to_sync_and_tracks_changes_made_after_it(
    tmp_path: Path,
) -> None:
    path = tmp_path / "demo.sqlite3"
    store = open_store(path)
    seed_database(store, TINY, seed=4, today=TODAY, alone=True)
    store.close()
    assert [_count(path, t) for t in ("sync_change", "sync_outbox", "sync_state")] == [0, 0, 0]

    connection = sqlite3.connect(path)
    try:
        _track_note_one(connection)
        _add_attendee_to_note_one(connection)
        changes = connection.execute("SELECT obj, local_id, field FROM sync_change").fetchall()
    finally:
        connection.close()
    assert changes == [("note", 1, "attendees")]


def test_tracking_stays_on_during_a_load_into_a_database_linked_to_the_crm(
    tmp_path: Path,
) -> None:
    path = tmp_path / "demo.sqlite3"
    store = open_store(path)
    seed_database(store, TINY, seed=4, today=TODAY)
    store.close()
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        _track_note_one(connection)
        connection.execute("BEGIN")
        with untracked_while_unlinked(connection):
            _add_attendee_to_note_one(connection)
        connection.execute("COMMIT")
        changes = connection.execute("SELECT obj, local_id, field FROM sync_change").fetchall()
    finally:
        connection.close()
    assert changes == [("note", 1, "attendees")]


def test_an_unlinked_load_suspends_the_tracking_triggers_and_makes_them_again(
    tmp_path: Path,
) -> None:
    path = tmp_path / "demo.sqlite3"
    open_store(path).close()
    before = _schema(path)
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("BEGIN")
        with untracked_while_unlinked(connection):
            during = connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'sync_track%'"
            ).fetchall()
        connection.execute("COMMIT")
    finally:
        connection.close()
    assert during == []
    assert _schema(path) == before
    assert {name for kind, name, *_ in before if kind == "trigger"} >= set(tracking_triggers())
