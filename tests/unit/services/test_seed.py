"""The seeded demo portfolio: deterministic, realistic, and only ever into an empty file."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from am_desktop.domain.enums import ContactRole
from am_desktop.errors import ValidationError
from am_desktop.services import catalog, ledger
from am_desktop.services.seed import SCALES, Scale, seed_database
from am_desktop.services.store import Store, open_store

TODAY = date(2026, 11, 22)
TINY = Scale(accounts=12, contacts_per_account=8, notes_per_account=20, movements_per_account=6)


def _dump(path: Path) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    rows: list[tuple[object, ...]] = []
    for table in (
        "account",
        "contact",
        "note",
        "arr_movement",
        "contract",
        "renewal",
        "survey_response",
    ):
        rows += connection.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
    return rows


def test_same_seed_same_data_and_another_seed_other_data(tmp_path: Path) -> None:
    dumps = []
    for name, seed in (("a", 7), ("b", 7), ("c", 8)):
        store = open_store(tmp_path / f"{name}.sqlite3")
        seed_database(store, TINY, seed=seed, today=TODAY)
        store.close()
        dumps.append(_dump(tmp_path / f"{name}.sqlite3"))
    assert dumps[0] == dumps[1]
    assert dumps[0] != dumps[2]


def test_the_small_scale_has_the_sizes_the_product_names(store: Store) -> None:
    counts = seed_database(store, SCALES["small"], seed=1, today=TODAY)
    assert counts["accounts"] == 40
    assert 300 <= counts["contacts"] <= 500
    assert 3_000 <= counts["notes"] <= 5_000
    assert counts["contracts"] == 40


def test_a_seeded_portfolio_looks_like_a_real_one(store: Store) -> None:
    seed_database(store, TINY, seed=3, today=TODAY)
    accounts = catalog.accounts.find(store)
    arr = ledger.arr_by_account(store, TODAY)
    assert all(arr[a.id] >= 0 for a in accounts), "ARR never goes below zero"
    assert len({a.domain for a in accounts}) == len(accounts)
    for account in accounts:
        contacts = catalog.contacts.find(store, account_id=account.id)
        roles = {c.role for c in contacts}
        assert {ContactRole.ECONOMIC_BUYER, ContactRole.CHAMPION} <= roles
        bosses = [c for c in contacts if c.reports_to_id is None]
        assert len(bosses) == 1, "one buying committee tree per account"
        notes = catalog.notes.find(store, account_id=account.id)
        assert all(TODAY - timedelta(days=731) <= n.occurred_at.date() <= TODAY for n in notes)
        assert account.last_touch_at == max(n.occurred_at for n in notes)
    live = [c for c in catalog.contracts.find(store) if arr[c.account_id] > 0]
    assert all(TODAY < c.end_date <= TODAY + timedelta(days=540) for c in live)
    words = " ".join(n.body.lower() for n in catalog.notes.find(store))
    for word in ("renewal", "budget", "adoption", "qbr"):
        assert word in words


def test_seeding_refuses_a_database_that_holds_accounts(store: Store) -> None:
    catalog.accounts.create(store, {"name": "Real customer"})
    with pytest.raises(ValidationError, match="already holds 1 accounts"):
        seed_database(store, TINY, today=TODAY)
    assert [a.name for a in catalog.accounts.find(store)] == ["Real customer"]


def test_the_seeded_notes_are_all_in_the_search_index(store: Store) -> None:
    from am_desktop.services.seed import SCALES, seed_database

    seed_database(store, SCALES["small"], seed=3)
    with store.raw() as connection:
        notes = connection.execute("SELECT count(*) FROM note").fetchone()[0]
        indexed = connection.execute("SELECT count(*) FROM note_fts_docsize").fetchone()[0]
        connection.execute("INSERT INTO note_fts(note_fts, rank) VALUES ('integrity-check', 1)")
        triggers = {
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        }
        automerge = connection.execute(
            "SELECT v FROM note_fts_config WHERE k = 'automerge'"
        ).fetchone()
    assert notes > 1000 and indexed == notes
    assert "note_fts_after_insert" in triggers  # back after the load
    assert automerge == (4,)
