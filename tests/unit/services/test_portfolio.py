"""The portfolio list's queries: filters, saved filters, sorting and rows, all in SQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from am_desktop.domain.portfolio import PortfolioQuery, SavedFilter, SortKey
from am_desktop.services import catalog, portfolio
from am_desktop.services.store import Store

TODAY = date.today()


@pytest.fixture
def accounts(store: Store) -> dict[str, int]:
    """Four accounts that differ in every column the list shows."""
    ids = {}
    specs = [
        ("Acme", "acme.com", "Retail", "strategic", "Dana", 5000, 30, 2),
        ("Globex", "globex.com", "Energy", "key", "Lee", 9000, 200, 40),
        ("Initech", "initech.com", "Software", "standard", None, 100, None, None),
        ("Hooli_x", "hooli.com", "Software", "standard", "Dana", 700, 60, 5),
    ]
    for name, domain, industry, tier, owner, arr, renew_in, touched_ago in specs:
        account = catalog.accounts.create(
            store,
            {"name": name, "domain": domain, "industry": industry, "tier": tier, "owner": owner},
        )
        ids[name] = account.id
        catalog.movements.create(
            store,
            {
                "account_id": account.id,
                "occurred_on": TODAY - timedelta(days=400),
                "type": "new",
                "amount_cents": arr * 100,
            },
        )
        if renew_in is not None:
            catalog.contracts.create(
                store,
                {
                    "account_id": account.id,
                    "start_date": TODAY - timedelta(days=300),
                    "end_date": TODAY + timedelta(days=renew_in),
                    "arr_cents": arr * 100,
                },
            )
        if touched_ago is not None:
            moment = datetime.combine(TODAY - timedelta(days=touched_ago), datetime.min.time(), UTC)
            catalog.notes.create(store, {"account_id": account.id, "occurred_at": moment})
    return ids


def names(store: Store, query: PortfolioQuery) -> list[str]:
    ids = portfolio.account_ids(store, query, TODAY)
    rows = portfolio.account_rows(store, ids, TODAY)
    return [rows[i].name for i in ids]


def test_text_filters_name_domain_industry_and_owner(
    store: Store, accounts: dict[str, int]
) -> None:
    assert names(store, PortfolioQuery(text="glob")) == ["Globex"]
    assert names(store, PortfolioQuery(text="INITECH.COM")) == ["Initech"]
    assert names(store, PortfolioQuery(text="software")) == ["Hooli_x", "Initech"]
    assert names(store, PortfolioQuery(text="dana")) == ["Acme", "Hooli_x"]
    assert names(store, PortfolioQuery(text="_")) == ["Hooli_x"]  # LIKE wildcards are literal
    assert names(store, PortfolioQuery(text="%")) == []


def test_saved_filters_and_their_counts(store: Store, accounts: dict[str, int]) -> None:
    catalog.accounts.archive(store, accounts["Initech"])
    assert names(store, PortfolioQuery(saved=SavedFilter.STRATEGIC)) == ["Acme"]
    assert names(store, PortfolioQuery(saved=SavedFilter.RENEWING_90)) == ["Acme", "Hooli_x"]
    assert names(store, PortfolioQuery(saved=SavedFilter.CHECKIN_OVERDUE)) == ["Globex"]
    assert names(store, PortfolioQuery(saved=SavedFilter.ARCHIVED)) == ["Initech"]
    assert names(store, PortfolioQuery()) == ["Acme", "Globex", "Hooli_x"]
    counts = portfolio.filter_counts(store, TODAY)
    assert counts == {
        SavedFilter.ALL: 3,
        SavedFilter.STRATEGIC: 1,
        SavedFilter.RENEWING_90: 2,
        SavedFilter.AT_RISK: 0,
        SavedFilter.CHECKIN_OVERDUE: 1,
        SavedFilter.ARCHIVED: 1,
    }


@pytest.mark.parametrize(
    ("key", "ascending"),
    [
        (SortKey.NAME, ["Acme", "Globex", "Hooli_x", "Initech"]),
        (SortKey.TIER, ["Acme", "Globex", "Hooli_x", "Initech"]),
        (SortKey.OWNER, ["Acme", "Hooli_x", "Globex", "Initech"]),
        (SortKey.ARR, ["Initech", "Hooli_x", "Acme", "Globex"]),
        (SortKey.NEXT_RENEWAL, ["Acme", "Hooli_x", "Globex", "Initech"]),
        (SortKey.LAST_TOUCH, ["Globex", "Hooli_x", "Acme", "Initech"]),
        (SortKey.NEXT_CHECKIN, ["Globex", "Hooli_x", "Acme", "Initech"]),
    ],
)
def test_every_column_sorts_both_ways(
    store: Store, accounts: dict[str, int], key: SortKey, ascending: list[str]
) -> None:
    assert names(store, PortfolioQuery(sort=key)) == ascending
    descending = names(store, PortfolioQuery(sort=key, descending=True))
    assert sorted(descending) == sorted(ascending) and descending != ascending


def test_rows_carry_the_figures_of_the_list(store: Store, accounts: dict[str, int]) -> None:
    row = portfolio.account_rows(store, [accounts["Acme"]], TODAY)[accounts["Acme"]]
    assert (row.arr_cents, row.days_to_renewal, row.tier.value) == (500000, 30, "strategic")
    assert row.next_checkin_on == TODAY - timedelta(days=2) + timedelta(days=30)
    assert not row.checkin_overdue(TODAY)
    assert row.health_band is None and row.health_score is None


def test_rows_carry_the_health_trend_since_a_week_ago(
    store: Store, accounts: dict[str, int]
) -> None:
    from am_desktop.ui import format as fmt

    acme, globex = accounts["Acme"], accounts["Globex"]

    def at(days: int) -> str:
        return (datetime.now(UTC) - timedelta(days=days)).strftime("%Y-%m-%d %H:%M:%S.%f")

    with store.raw(write=True) as connection:
        connection.executemany(
            "INSERT INTO health_snapshot (account_id, computed_at, score, band, components) "
            "VALUES (?, ?, ?, ?, '[]')",
            [(acme, at(10), 70, "healthy"), (acme, at(8), 60, "watch"),
             (acme, at(3), 99, "healthy"), (acme, at(0), 52, "watch"),
             (globex, at(0), 80, "healthy")],
        )  # fmt: skip
    rows = portfolio.account_rows(store, [acme, globex], TODAY)
    assert rows[acme].health_score == 52 and rows[acme].health_change == -8  # vs 8 days ago
    assert rows[globex].health_change is None  # nothing a week old to compare with
    assert fmt.trend(rows[acme].health_change) == " ▼8"
    assert fmt.trend_words(rows[acme].health_change) == "Down 8 points since a week ago."
    assert fmt.trend(0.4) == "" and fmt.trend(None) == ""


def test_a_database_is_empty_until_it_holds_an_account_archived_or_not(store: Store) -> None:
    assert portfolio.is_empty(store)
    account = catalog.accounts.create(store, {"name": "Acme"})
    catalog.accounts.archive(store, account.id)
    assert not portfolio.is_empty(store)
