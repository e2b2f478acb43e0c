"""Renewal alerts: bands, notice deadlines, de-duplication, snooze and dismiss."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from am_desktop.domain.alerts import renewal_alerts, snooze_until, visible

TODAY = date(2026, 11, 22)


@dataclass(frozen=True)
class Row:
    renewal_id: int
    end_date: date
    notice_days: int = 0
    account_id: int = 1
    account: str = "Acme"
    contract: str = "Platform"


def keys(rows: list[Row], today: date = TODAY) -> list[str]:
    return [alert.key.split(":")[1] for alert in renewal_alerts(rows, today)]


def test_one_alert_for_the_tightest_band_a_renewal_is_in() -> None:
    assert keys([Row(1, TODAY + timedelta(days=90))]) == ["band-90"]
    assert keys([Row(1, TODAY + timedelta(days=60))]) == ["band-60"]
    assert keys([Row(1, TODAY + timedelta(days=30))]) == ["band-30"]
    assert keys([Row(1, TODAY)]) == ["band-30"]  # ends today
    assert keys([Row(1, TODAY + timedelta(days=91))]) == []
    assert keys([Row(1, TODAY - timedelta(days=1))]) == []


def test_a_notice_deadline_within_thirty_days_alerts_on_its_own() -> None:
    alerts = renewal_alerts([Row(1, TODAY + timedelta(days=120), notice_days=100)], TODAY)
    assert [a.key.split(":")[1] for a in alerts] == ["notice"]
    assert "notice deadline is in 20 days" in alerts[0].message
    assert keys([Row(1, TODAY + timedelta(days=120), notice_days=80)]) == []  # 40 days off
    assert keys([Row(1, TODAY + timedelta(days=20), notice_days=60)]) == ["band-30"]  # passed


def test_moving_into_the_next_band_is_a_new_alert_and_a_new_term_too() -> None:
    row = Row(7, TODAY + timedelta(days=61))
    first = renewal_alerts([row], TODAY)[0].key
    later = renewal_alerts([row], TODAY + timedelta(days=1))[0].key
    renewed = renewal_alerts(
        [Row(7, TODAY + timedelta(days=61 + 365))], TODAY + timedelta(days=366)
    )
    assert first != later != renewed[0].key


def test_dismissed_alerts_stay_hidden_and_snoozed_ones_come_back() -> None:
    alerts = renewal_alerts(
        [Row(1, TODAY + timedelta(days=10)), Row(2, TODAY + timedelta(days=50))], TODAY
    )
    first, second = alerts
    assert visible(alerts, {first.key}, {}, TODAY) == [second]
    snoozed = {second.key: snooze_until(TODAY)}
    assert visible(alerts, set(), snoozed, TODAY + timedelta(days=2)) == [first]
    assert visible(alerts, set(), snoozed, TODAY + timedelta(days=3)) == [first, second]


def test_alerts_come_soonest_first() -> None:
    alerts = renewal_alerts(
        [Row(1, TODAY + timedelta(days=80)), Row(2, TODAY + timedelta(days=5))], TODAY
    )
    assert [a.renewal_id for a in alerts] == [2, 1]
