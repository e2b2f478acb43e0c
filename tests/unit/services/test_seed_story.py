"""The seeded portfolio tells one consistent story, whatever the seed (issue 16, item 18)."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

import pytest

from am_desktop.services.seed import SCALES, seed_database
from am_desktop.services.store import open_store

TODAY = date(2026, 11, 22)
SEEDS = (1, 2, 5, 11)


@pytest.fixture(scope="module", params=SEEDS, ids=lambda seed: f"seed {seed}")
def seeded(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small portfolio of one seed (module-wide: the checks only read it)."""
    path = tmp_path_factory.mktemp("seed") / "demo.sqlite3"
    store = open_store(path)
    seed_database(store, SCALES["small"], seed=request.param, today=TODAY)
    store.close()
    return path


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _day(value: object) -> date:
    return date.fromisoformat(str(value)[:10])


def test_open_action_items_are_recent_or_upcoming(seeded: Path) -> None:
    dues = [
        _day(due)
        for (due,) in _rows(seeded, "SELECT due_date FROM action_item WHERE status = 'open'")
    ]
    assert dues, "a demo shows some open action items"
    long_overdue = [due for due in dues if due < TODAY - timedelta(days=30)]
    assert len(long_overdue) <= len(dues) // 10
    assert all(due <= TODAY + timedelta(days=60) for due in dues)


def test_nothing_is_dated_before_the_customer_started(seeded: Path) -> None:
    since = {aid: _day(day) for aid, day in _rows(seeded, "SELECT id, customer_since FROM account")}
    first_movement = {
        aid: _day(day)
        for aid, day in _rows(
            seeded, "SELECT account_id, min(occurred_on) FROM arr_movement GROUP BY account_id"
        )
    }
    assert first_movement == since, "the first deal is on the customer's first day"
    dated = {
        "won opportunity": "SELECT account_id, close_date FROM opportunity WHERE stage = 'won'",
        "opportunity": "SELECT account_id, close_date FROM opportunity",
        "note": "SELECT account_id, occurred_at FROM note",
        "movement": "SELECT account_id, occurred_on FROM arr_movement",
        "escalation": "SELECT account_id, opened_on FROM escalation",
        "survey": "SELECT account_id, responded_on FROM survey_response",
        "usage": "SELECT account_id, sampled_on FROM usage_sample",
        "contract": "SELECT account_id, start_date FROM contract",
    }
    for what, sql in dated.items():
        early = [(aid, day) for aid, day in _rows(seeded, sql) if _day(day) < since[aid]]
        assert early == [], f"{what} before the customer started"


def test_whitespace_is_proportionate_to_what_the_account_pays(seeded: Path) -> None:
    arr = Counter[object]()
    for aid, kind, cents in _rows(
        seeded, "SELECT account_id, type, amount_cents FROM arr_movement"
    ):
        sign = -1 if kind in ("contraction", "churn") else 1
        arr[aid] += sign * int(str(cents))
    rows = _rows(seeded, "SELECT account_id, estimated_arr_cents FROM whitespace_product")
    assert rows
    for aid, estimate in rows:
        assert 0 < int(str(estimate)) <= arr[aid]


def test_an_account_names_each_risk_once(seeded: Path) -> None:
    risks = _rows(seeded, "SELECT account_id, description FROM account_risk WHERE status = 'open'")
    assert risks
    assert len(set(risks)) == len(risks)


def test_a_contract_is_named_for_the_year_its_term_starts(seeded: Path) -> None:
    contracts = _rows(seeded, "SELECT name, start_date, end_date FROM contract")
    for name, start, end in contracts:
        assert str(name).rsplit(" ", 1)[1] == str(_day(start).year)
        assert _day(start) <= TODAY, "a current term has started"
        assert _day(start) < _day(end)
