"""A new database's schema in one script: what the migrations build, without Alembic.

A first start used to import Alembic (half a second) and replay every migration (a quarter
more) before the window could show its welcome. A new, empty file needs no history: it gets
the schema the migrations end with, written down in ``schema.sql`` with its revision, and a
test keeps that script equal to what the migrations make (``python -m
am_desktop.db.empty_schema`` writes it again after a new migration).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

#: The schema of a database migrated to the newest revision, as SQL.
SCHEMA_FILE = Path(__file__).with_name("schema.sql")
#: The order objects are created in: what a later kind refers to exists by then.
_KIND_ORDER = {"table": 0, "index": 1, "view": 2, "trigger": 3}


def schema_script(path: Path) -> str:
    """The SQL that builds the schema of the database at ``path`` and records its revision.

    SQLite's own tables and the tables a virtual table keeps its data in are left out (the
    virtual table makes them again).
    """
    connection = sqlite3.connect(path)
    try:
        objects = connection.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY rowid"
        ).fetchall()
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()[0]
    finally:
        connection.close()
    virtual = [name for kind, name, sql in objects if sql.startswith("CREATE VIRTUAL TABLE")]
    kept = [
        (kind, sql)
        for kind, name, sql in objects
        if not name.startswith("sqlite_")
        and not (kind == "table" and any(name.startswith(f"{table}_") for table in virtual))
    ]
    kept.sort(key=lambda item: _KIND_ORDER[item[0]])  # stable: the migrations' order within
    lines = [f"{sql};" for _kind, sql in kept]
    lines.append(f"INSERT INTO alembic_version (version_num) VALUES ('{revision}');")
    return "\n".join(lines) + "\n"


def create(path: Path) -> None:
    """Build the newest schema in the new, empty database at ``path``, in one transaction."""
    from am_desktop.db.connection import connect

    script = SCHEMA_FILE.read_text(encoding="utf-8")
    # Configured as every connection of the app is: in WAL from its first byte, as a migrated
    # file is (otherwise the store's first connection switches it, a write that nobody
    # announced and that the change watch then takes for another process's).
    connection = connect(path)
    try:
        connection.executescript(f"BEGIN;\n{script}COMMIT;")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    finally:
        connection.close()


def write_schema_file(scratch: Path) -> None:
    """Migrate a new database in ``scratch`` (a folder) and write its script to SCHEMA_FILE."""
    from am_desktop.db.migrate import upgrade

    path = scratch / "schema.sqlite3"
    upgrade(path)
    SCHEMA_FILE.write_text(schema_script(path), encoding="utf-8")


if __name__ == "__main__":  # pragma: no cover - a maintainer's command
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        write_schema_file(Path(folder))
    print(f"wrote {SCHEMA_FILE}")
