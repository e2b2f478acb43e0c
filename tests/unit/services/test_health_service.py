"""Health scores from the database: every input read, a snapshot kept per recomputation."""

from __future__ import annotations

from datetime import UTC, date, datetime

from am_desktop.domain.enums import HealthBand
from am_desktop.services import catalog, health
from am_desktop.services.store import Store

TODAY = date(2026, 11, 22)


def test_scores_are_computed_kept_and_explained(store: Store) -> None:
    acme = catalog.accounts.create(
        store, {"name": "Acme", "last_touch_at": datetime(2026, 11, 20, tzinfo=UTC)}
    ).id
    catalog.contacts.create(
        store, {"account_id": acme, "last_name": "Lee", "sentiment": "advocate",
                "role": "economic_buyer", "title": "CFO"},
    )  # fmt: skip
    catalog.surveys.create(
        store, {"account_id": acme, "responded_on": TODAY, "kind": "nps", "score": 9}
    )
    catalog.usage.create(
        store,
        {"account_id": acme, "sampled_on": TODAY, "active_users": 50, "licensed_seats": 100},
    )
    catalog.escalations.create(
        store, {"account_id": acme, "title": "Bug", "opened_on": TODAY, "severity": "high"}
    )
    assert health.stale(store, TODAY)
    results = health.compute_all(store, TODAY)
    assert results[acme].band is not None
    score, band, components = health.latest(store, acme)  # type: ignore[misc]
    assert band == results[acme].band.value  # type: ignore[union-attr]
    by_key = {c["key"]: c for c in components}
    assert by_key["surveys"]["value"] == 90.0 and by_key["usage"]["value"] == 50.0
    assert by_key["issues"]["value"] == 75.0 and "1 open" in str(by_key["issues"]["why"])
    assert not health.stale(store, date.today())
    health.compute_all(store, TODAY, account_ids=[acme])
    assert [s for _, s in health.trend(store, acme)] == [score, score]  # two snapshots kept


def test_the_account_list_shows_the_latest_band(store: Store) -> None:
    from am_desktop.services import portfolio

    quiet = catalog.accounts.create(store, {"name": "Quiet"}).id  # never touched, no data
    health.compute_all(store, TODAY)
    row = portfolio.account_rows(store, [quiet], TODAY)[quiet]
    assert row.health_band is HealthBand.AT_RISK and row.health_score == 37.5  # 0 x 25, 100 x 15


def test_today_lists_accounts_whose_band_fell_since_last_week(store: Store) -> None:
    from datetime import timedelta

    from am_desktop.db.connection import datetime_to_db
    from am_desktop.services.today import today_lists

    acme = catalog.accounts.create(store, {"name": "Acme"}).id
    with store.raw(write=True) as connection:
        for days_ago, band, score in ((10, "healthy", 80.0), (0, "watch", 55.0)):
            when = datetime.combine(TODAY - timedelta(days=days_ago), datetime.min.time(), UTC)
            connection.execute(
                "INSERT INTO health_snapshot (account_id, computed_at, score, band, components) "
                "VALUES (?, ?, ?, ?, '[]')",
                (acme, datetime_to_db(when), score, band),
            )
    (drop,) = today_lists(store, TODAY).health_drops
    assert (drop.account, drop.was, drop.now, drop.score) == (
        "Acme",
        HealthBand.HEALTHY,
        HealthBand.WATCH,
        55.0,
    )


def test_accounts_that_arrived_after_the_days_scoring_are_unscored(store: Store) -> None:
    today = date.today()
    first = catalog.accounts.create(store, {"name": "Acme"}).id
    assert health.unscored(store, today) == [first]
    health.compute_all(store, today)
    assert health.unscored(store, today) == []
    later = catalog.accounts.create(store, {"name": "Globex"}).id  # imported after scoring
    assert health.unscored(store, today) == [later]
    health.compute_all(store, today, account_ids=[later])
    assert health.unscored(store, today) == []
