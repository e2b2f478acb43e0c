"""Schema and migrations: models and migrations agree, upgrades run, bad files are refused."""

from __future__ import annotations

import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory

from am_desktop.db import migrate
from am_desktop.db.engine import make_engine
from am_desktop.db.location import prepare_db_file
from am_desktop.errors import StorageError
from am_desktop.services.store import open_store


def _alembic(path: Path, action: str, target: str) -> None:
    engine = make_engine(path)
    with engine.begin() as connection:
        config = migrate.alembic_config()
        config.attributes["connection"] = connection
        getattr(command, action)(config, target)
    engine.dispose()


def test_models_and_migrations_agree(db_path: Path) -> None:
    engine = make_engine(db_path)
    with engine.begin() as connection:
        config = migrate.alembic_config()
        config.attributes["connection"] = connection
        command.check(config)  # raises when autogenerate would find a difference
    engine.dispose()


def test_the_known_revisions_are_alembics() -> None:
    script = ScriptDirectory.from_config(migrate.alembic_config())
    assert script.get_current_head() == migrate.HEAD_REVISION
    walked = [rev.revision for rev in script.walk_revisions()]
    assert tuple(reversed(walked)) == migrate.KNOWN_REVISIONS


def test_a_new_file_is_migrated_from_empty(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    open_store(path).close()
    assert migrate.current_revision(path) == migrate.HEAD_REVISION


@pytest.mark.parametrize("previous", [None, *migrate.KNOWN_REVISIONS[:-1]])
def test_every_revision_upgrades_to_head_and_back(tmp_path: Path, previous: str | None) -> None:
    path = tmp_path / "db.sqlite3"
    prepare_db_file(path)
    _alembic(path, "upgrade", previous or "base")
    migrate.prepare_database(path)
    assert migrate.current_revision(path) == migrate.HEAD_REVISION
    _alembic(path, "downgrade", previous or "base")
    tables = {
        r[0]
        for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'")
    }
    assert "account" not in tables or previous is not None


def test_a_current_database_opens_without_importing_alembic(db_path: Path) -> None:
    code = (
        "import sys; from pathlib import Path; from am_desktop.db import migrate; "
        f"assert migrate.prepare_database(Path({str(db_path)!r})) is False; "
        "print('alembic' in sys.modules, 'sqlalchemy.orm' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_an_upgrade_is_preceded_by_a_backup(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store = open_store(db_path)
    from am_desktop.services.catalog import accounts

    accounts.create(store, {"name": "Acme"})
    store.close()
    upgraded: list[Path] = []
    current = migrate.HEAD_REVISION
    monkeypatch.setattr(migrate, "HEAD_REVISION", "9999_future")
    monkeypatch.setattr(migrate, "upgrade", lambda path, target="head": upgraded.append(path))  # noqa: ARG005
    assert migrate.prepare_database(db_path) is True
    assert upgraded == [db_path]
    backups = list((db_path.parent / "backups").glob(f"*before-upgrade-from-{current}.sqlite3"))
    assert len(backups) == 1
    assert sqlite3.connect(backups[0]).execute("SELECT name FROM account").fetchall() == [("Acme",)]
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600


def test_a_database_from_a_newer_version_is_refused_untouched(db_path: Path) -> None:
    connection = sqlite3.connect(db_path)
    connection.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    connection.commit()
    connection.close()
    before = db_path.read_bytes()
    with pytest.raises(StorageError, match="newer version"):
        open_store(db_path)
    assert db_path.read_bytes() == before


def test_a_damaged_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "damaged.sqlite3"
    path.write_bytes(b"this is not a database at all" * 200)
    before = path.read_bytes()
    with pytest.raises(StorageError, match="damaged"):
        open_store(path)
    assert path.read_bytes() == before


def test_a_damaged_page_is_found_before_an_upgrade(db_path: Path) -> None:
    store = open_store(db_path)
    from am_desktop.services.catalog import accounts

    for n in range(200):
        accounts.create(store, {"name": f"Account {n}", "industry": "x" * 90})
    store.close()
    data = bytearray(db_path.read_bytes())
    data[4096 * 3 : 4096 * 3 + 200] = b"\xff" * 200  # scribble over a b-tree page
    db_path.write_bytes(bytes(data))
    with pytest.raises(StorageError, match="damaged"):
        migrate.check_integrity(db_path)


def test_another_programs_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE invoices (id INTEGER)")
    connection.commit()
    connection.close()
    with pytest.raises(StorageError, match="another program"):
        open_store(path)


def test_connections_use_wal_foreign_keys_and_a_busy_timeout(store) -> None:  # type: ignore[no-untyped-def]
    with store.read() as session:
        connection = session.connection()
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_contracts_without_a_renewal_get_one(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    prepare_db_file(path)
    _alembic(path, "upgrade", "0003_note_search")
    connection = sqlite3.connect(path)
    connection.execute(
        "INSERT INTO account (id, uid, version, created_at, updated_at, name, tier, "
        "checkin_cadence_days) VALUES (1, 'a', 1, '2026-01-01 00:00:00.000000', "
        "'2026-01-01 00:00:00.000000', 'Acme', 'standard', 30)"
    )
    connection.execute(
        "INSERT INTO contract (id, uid, version, created_at, updated_at, account_id, start_date, "
        "end_date, arr_cents, currency, auto_renew, notice_days) VALUES (1, 'c', 1, "
        "'2026-01-01 00:00:00.000000', '2026-01-01 00:00:00.000000', 1, '2026-01-01', "
        "'2026-12-31', 100, 'USD', 0, 30)"
    )
    connection.commit()
    connection.close()
    migrate.prepare_database(path)
    row = sqlite3.connect(path).execute("SELECT contract_id, stage, uid FROM renewal").fetchone()
    assert row[:2] == (1, "not_started") and len(row[2]) == 36


def _tracked_changes(path: Path) -> list[tuple[str, str, str]]:
    with sqlite3.connect(path) as connection:
        return connection.execute(
            "SELECT obj, field, base FROM sync_change ORDER BY obj, field"
        ).fetchall()


def test_0012_tracks_currencies_and_keeps_the_data(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite3"
    prepare_db_file(path)
    _alembic(path, "upgrade", "0011_currencies")
    stamp = "'2026-01-01 00:00:00.000000'"
    with sqlite3.connect(path) as connection:
        connection.execute(
            "INSERT INTO account (id, uid, version, created_at, updated_at, name, tier, "
            f"checkin_cadence_days, currency) VALUES (1, 'a', 1, {stamp}, {stamp}, 'Acme', "
            "'standard', 30, 'EUR')"
        )
        connection.execute(
            "INSERT INTO opportunity (id, uid, version, created_at, updated_at, account_id, "
            "kind, name, stage, probability, amount_cents, currency) VALUES (1, 'o', 1, "
            f"{stamp}, {stamp}, 1, 'upsell', 'Seats', 'qualified', 50, 123450, 'EUR')"
        )
        connection.execute(
            "INSERT INTO sync_state (key, value) VALUES ('tracking', '1'), ('seq', 7)"
        )
        connection.execute(
            "INSERT INTO sync_link (obj, local_id, remote_id) VALUES ('account', 1, 'A'), "
            "('opportunity', 1, 'O')"
        )
        connection.execute("UPDATE opportunity SET currency = 'GBP' WHERE id = 1")
    assert _tracked_changes(path) == []  # the gap 0012 closes: the edit went unrecorded
    migrate.prepare_database(path)
    with sqlite3.connect(path) as connection:
        assert connection.execute(
            "SELECT a.currency, o.currency, o.amount_cents FROM account a JOIN opportunity o "
            "ON o.account_id = a.id"
        ).fetchall() == [("EUR", "GBP", 123450)]
        connection.execute("UPDATE opportunity SET currency = 'USD' WHERE id = 1")
        connection.execute("UPDATE account SET currency = 'GBP' WHERE id = 1")
    assert _tracked_changes(path) == [
        ("account", "currency", '"EUR"'), ("opportunity", "currency", '"GBP"')]  # fmt: skip
    _alembic(path, "downgrade", "0011_currencies")
    assert _tracked_changes(path) == []  # no change the older version would not know
    with sqlite3.connect(path) as connection:
        connection.execute("UPDATE opportunity SET currency = 'JPY' WHERE id = 1")
        connection.execute("UPDATE opportunity SET name = 'More seats' WHERE id = 1")
    assert _tracked_changes(path) == [("opportunity", "name", '"Seats"')]
