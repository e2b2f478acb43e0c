"""A new database is built from ``schema.sql``, which must equal what the migrations make."""

from __future__ import annotations

import sqlite3
import sys
from datetime import UTC, datetime
from pathlib import Path

from am_desktop.db import empty_schema, migrate
from am_desktop.services.store import open_store

NOW = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)


def _canonical(sql: str | None) -> tuple[str, ...]:
    """A statement with its named constraints sorted, and a trigger's lines: the migrations
    write constraints and the sync triggers' per-field statements in an order that differs
    from run to run (set order); a table's columns keep theirs."""
    lines = [line.strip().rstrip(",") for line in (sql or "").splitlines()]
    if lines and lines[0].startswith("CREATE TRIGGER"):
        return tuple(sorted(lines))
    constraints = sorted(line for line in lines if line.startswith("CONSTRAINT"))
    return (*(line for line in lines if not line.startswith("CONSTRAINT")), *constraints)


def _schema(path: Path) -> list[tuple[str, str, str, tuple[str, ...]]]:
    connection = sqlite3.connect(path)
    try:
        return _schema_of(connection)
    finally:
        connection.close()


def _statements(script: str) -> list[tuple[str, ...]]:
    connection = sqlite3.connect(":memory:")
    try:
        connection.executescript(script)
        return [sql for _kind, _name, _table, sql in _schema_of(connection)]
    finally:
        connection.close()


def _schema_of(connection: sqlite3.Connection) -> list[tuple[str, str, str, tuple[str, ...]]]:
    rows = connection.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
    return sorted((kind, name, table, _canonical(sql)) for kind, name, table, sql in rows)


def test_the_schema_script_is_what_the_migrations_make(tmp_path: Path) -> None:
    """After a new migration: ``python -m am_desktop.db.empty_schema`` writes it again."""
    migrated = tmp_path / "migrated.sqlite3"
    migrate.upgrade(migrated)
    made = empty_schema.schema_script(migrated)
    assert _statements(made) == _statements(empty_schema.SCHEMA_FILE.read_text("utf-8"))
    created = tmp_path / "created.sqlite3"
    empty_schema.create(created)
    assert _schema(created) == _schema(migrated)
    assert migrate.current_revision(created) == migrate.HEAD_REVISION


def test_a_new_database_is_made_without_alembic(tmp_path: Path) -> None:
    """The first start's welcome does not wait for Alembic's import and the migrations."""
    import subprocess

    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from am_desktop.services.store import open_store\n"
        "open_store(Path(sys.argv[1])).close()\n"
        "print('alembic' in sys.modules)\n"
    )
    path = tmp_path / "new.sqlite3"
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "False"
    assert migrate.current_revision(path) == migrate.HEAD_REVISION


def test_a_created_database_takes_notes_and_finds_them(tmp_path: Path) -> None:
    from am_desktop.services import catalog

    store = open_store(tmp_path / "new.sqlite3")
    try:
        account = catalog.accounts.create(store, {"name": "Acme"})
        catalog.notes.create(
            store, {"account_id": account.id, "title": "Kick-off", "body": "x", "occurred_at": NOW}
        )
        with store.raw() as connection:
            found = connection.execute(
                "SELECT count(*) FROM note_fts WHERE note_fts MATCH 'kick'"
            ).fetchone()
        assert found == (1,)
    finally:
        store.close()


def test_a_new_database_is_in_wal_and_opening_it_is_no_news(tmp_path: Path) -> None:
    """A file made from the script must look like a migrated one: WAL from the start, so the
    store's first connection writes nothing the change watch would take for another process."""
    from am_desktop.services.store import open_store

    path = tmp_path / "new.sqlite3"
    store = open_store(path)
    try:
        assert path.read_bytes()[18:20] == b"\x02\x02"  # the header's WAL read/write versions
        store.changed_elsewhere()  # the watch's baseline
        with store.raw() as connection:
            connection.execute("SELECT count(*) FROM account").fetchone()
        with store.raw(write=True) as connection:
            connection.execute("SELECT 1").fetchone()
        assert store.changed_elsewhere() is False
    finally:
        store.close()
