"""The change feed: every committed write announces what it touched, whoever wrote it."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from am_desktop.domain.changes import ChangeSet, Entity, Origin, origin
from am_desktop.errors import ValidationError
from am_desktop.services import catalog, contact_map, health, notes, renewals
from am_desktop.services.store import Store
from am_desktop.services.transfer.importer import import_csv
from tests.unit.services.test_entities import _minimal

#: The kind of record each of test_entities' minimal records is.
KINDS = {
    "objective": Entity.OBJECTIVE,
    "risk": Entity.RISK,
    "whitespace": Entity.WHITESPACE,
    "link": Entity.INFLUENCE_LINK,
    "note": Entity.NOTE,
    "action": Entity.ACTION_ITEM,
    "feedback": Entity.FEEDBACK,
    "renewal": Entity.RENEWAL,
    "opportunity": Entity.OPPORTUNITY,
    "issue": Entity.ISSUE,
    "survey": Entity.SURVEY,
    "usage": Entity.USAGE,
    "movement": Entity.LEDGER_MOVEMENT,
}


@pytest.fixture
def heard(store: Store) -> list[ChangeSet]:
    """Every change set the store publishes, in order."""
    published: list[ChangeSet] = []
    store.changes.subscribe(published.append)
    return published


@pytest.fixture
def acme(store: Store) -> int:
    return catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"}).id


def test_every_record_kind_written_by_a_service_produces_its_change(
    store: Store, acme: int, heard: list[ChangeSet]
) -> None:
    records = _minimal(store, acme)
    assert set(KINDS) == set(records)  # a new kind there needs its entity here
    for name, (service, values) in records.items():
        heard.clear()
        record = service.create(store, values)
        assert heard, name
        created = heard[-1]
        assert record.id in created.ids_of(KINDS[name]), name
        assert created.accounts == {acme}, name
        assert created.touches(KINDS[name], account=acme), name
        assert not created.touches(KINDS[name], account=acme + 1), name
        heard.clear()
        service.archive(store, record.id)
        assert record.id in heard[-1].ids_of(KINDS[name]), name


def test_account_and_contact_changes_name_their_records(
    store: Store, acme: int, heard: list[ChangeSet]
) -> None:
    contact = catalog.contacts.create(store, {"account_id": acme, "last_name": "Lee"})
    assert heard[-1].ids_of(Entity.CONTACT) == {contact.id}
    catalog.accounts.update(store, acme, {"name": "Acme Corp"})
    assert acme in heard[-1].ids_of(Entity.ACCOUNT)
    assert heard[-1].origins == {Origin.USER}


def test_a_note_with_an_attendee_announces_the_contact_it_touched(
    store: Store, acme: int, heard: list[ChangeSet]
) -> None:
    ann = catalog.contacts.create(store, {"account_id": acme, "last_name": "Ann"})
    heard.clear()
    note = notes.create_note(
        store, {"account_id": acme, "occurred_at": "2026-11-20T09:00", "body": "Call"}, [ann.id]
    )
    changes = ChangeSet()
    for each in heard:
        changes = changes.merged(each)
    assert note.id in changes.ids_of(Entity.NOTE)
    assert ann.id in changes.ids_of(Entity.CONTACT)  # its last-contacted moved
    assert acme in changes.ids_of(Entity.ACCOUNT)  # and the account's last touch


def test_a_failed_write_announces_nothing(store: Store, acme: int, heard: list[ChangeSet]) -> None:
    heard.clear()
    with pytest.raises(ValidationError):
        catalog.contacts.create(store, {"account_id": acme + 99, "last_name": "Nobody"})
    with pytest.raises(RuntimeError), store.write() as session:
        session.execute(_sql("UPDATE account SET name = 'Gone' WHERE id = :id"), {"id": acme})
        raise RuntimeError("the unit of work fails after writing")
    assert heard == []
    assert catalog.accounts.get(store, acme).name == "Acme"


def test_hand_written_sql_is_announced_too(store: Store, acme: int, heard: list[ChangeSet]) -> None:
    with store.raw(write=True) as connection:
        connection.execute("UPDATE account SET industry = 'Retail' WHERE id = ?", (acme,))
    assert heard[-1].ids_of(Entity.ACCOUNT) == {acme}
    with store.raw() as connection:  # a read announces nothing
        connection.execute("SELECT count(*) FROM account").fetchone()
    assert len(heard) == 1


def test_a_record_moved_to_another_account_concerns_both(
    store: Store, acme: int, heard: list[ChangeSet]
) -> None:
    globex = catalog.accounts.create(store, {"name": "Globex"}).id
    contact = catalog.contacts.create(store, {"account_id": acme, "last_name": "Lee"})
    catalog.contacts.update(store, contact.id, {"account_id": globex})
    assert heard[-1].accounts >= {acme, globex}


def test_renewals_and_health_scoring_are_announced_with_their_origin(
    store: Store, acme: int, heard: list[ChangeSet]
) -> None:
    contract = renewals.add_contract(store, acme, date(2025, 12, 1))
    assert heard[-1].ids_of(Entity.CONTRACT) == {contract}
    assert heard[-1].touches(Entity.RENEWAL, account=acme)  # its renewal, found by its contract
    renewal_id = _renewal_of(store, contract)
    heard.clear()
    renewals.close_renewal(store, renewal_id, renewed=True, on=date(2026, 11, 22))
    assert heard[-1].touches(Entity.RENEWAL, account=acme)
    heard.clear()
    with origin(Origin.JOB):
        health.compute_all(store, date(2026, 11, 22))
    assert heard[-1].touches(Entity.HEALTH_SNAPSHOT, account=acme)
    assert heard[-1].origins == {Origin.JOB}


def test_an_import_is_announced_as_a_whole(
    store: Store, heard: list[ChangeSet], tmp_path: Path
) -> None:
    csv = tmp_path / "accounts.csv"
    csv.write_text("name,domain\nAcme,acme.com\nGlobex,globex.com\n", encoding="utf-8")
    import_csv(store, "accounts", csv)
    assert heard[-1].everything and heard[-1].origins == {Origin.IMPORT}
    heard.clear()
    catalog.accounts.create(store, {"name": "Initech"})  # recording is back after the load
    assert Entity.ACCOUNT in heard[-1].entities and not heard[-1].everything


def test_the_map_positions_and_links_are_announced(
    store: Store, acme: int, heard: list[ChangeSet]
) -> None:
    first = catalog.contacts.create(store, {"account_id": acme, "last_name": "Lee"})
    second = catalog.contacts.create(store, {"account_id": acme, "last_name": "Kim"})
    heard.clear()
    contact_map.link_contacts(store, acme, first.id, second.id)
    assert heard[-1].touches(Entity.INFLUENCE_LINK, account=acme)


def test_another_process_writing_is_noticed_and_our_own_commits_are_not(
    store: Store, acme: int
) -> None:
    assert store.changed_elsewhere() is False  # the first look sets the baseline
    catalog.accounts.update(store, acme, {"name": "Acme 2"})
    assert store.changed_elsewhere() is False  # our own commit is not news from elsewhere
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys\n"
            "c = sqlite3.connect(sys.argv[1])\n"
            "c.execute(\"UPDATE account SET industry = 'Energy'\")\n"
            "c.commit()\n",
            str(store.path),
        ],
        check=True,
    )
    assert store.changed_elsewhere() is True
    assert store.changed_elsewhere() is False  # told once


def test_another_process_is_not_swallowed_by_our_next_commit(store: Store, acme: int) -> None:
    assert store.changed_elsewhere() is False
    other = sqlite3.connect(store.path)  # another process's commit…
    other.execute("UPDATE account SET industry = 'Energy'")
    other.commit()
    other.close()
    catalog.accounts.update(store, acme, {"name": "Acme 3"})  # …then ours, before the look
    with store.raw(write=True) as connection:
        connection.execute("UPDATE account SET domain = 'acme.io'")
    assert store.changed_elsewhere() is True
    assert store.changed_elsewhere() is False


def test_change_sets_merge_and_answer_by_kind_and_account() -> None:
    notes_of_1 = ChangeSet.of_rows([(Entity.NOTE, 5, 1)], Origin.USER)
    sync = ChangeSet.of_rows([(Entity.SYNC_STATE, 0, None)], Origin.SYNC)
    both = notes_of_1.merged(sync)
    assert both.ids_of(Entity.NOTE) == {5} and both.origins == {Origin.USER, Origin.SYNC}
    assert both.touches(Entity.NOTE, account=1) and not both.touches(Entity.NOTE, account=2)
    assert both.touches(Entity.SYNC_STATE) and not both.touches(Entity.SYNC_STATE, account=1)
    assert not both.touches(Entity.CONTACT)
    assert not ChangeSet() and ChangeSet().merged(both) == both
    anything = ChangeSet.whole(Origin.OTHER_PROCESS)
    assert anything.touches(Entity.CONTACT, account=7) and both.merged(anything).everything


def _sql(text: str) -> object:
    from sqlalchemy import text as sql_text

    return sql_text(text)


def _renewal_of(store: Store, contract_id: int) -> int:
    connection = sqlite3.connect(store.path)
    try:
        row = connection.execute(
            "SELECT id FROM renewal WHERE contract_id = ?", (contract_id,)
        ).fetchone()
    finally:
        connection.close()
    return int(row[0])


def test_a_database_named_by_a_relative_path_or_odd_characters_is_watched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from am_desktop.services.store import open_store

    folder = tmp_path / "my #1 folder?"
    folder.mkdir()
    monkeypatch.chdir(folder)
    store = open_store(Path("book.sqlite3"))  # as `am-desktop --db book.sqlite3` gives it
    try:
        assert store.changed_elsewhere() is False
        other = sqlite3.connect(folder / "book.sqlite3")
        other.execute("INSERT INTO account (name, tier, checkin_cadence_days, uid, version,"
                      " created_at, updated_at) VALUES ('X', 'standard', 30, 'u-1', 1,"
                      " '2026-01-01', '2026-01-01')")  # fmt: skip
        other.commit()
        other.close()
        assert store.changed_elsewhere() is True
    finally:
        store.close()
