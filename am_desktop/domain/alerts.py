"""Renewal alerts: a renewal entering the 90, 60 or 30-day band, a notice deadline within 30
days (issue 6). Pure: the window decides when to ask, and remembers what was dismissed.

Each alert has a key made of the renewal, the kind and the contract's end date, so dismissing
the 90-day alert leaves the 60-day one to come, and a new term alerts afresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol

from am_desktop.domain.timeline import band_of, notice_deadline

#: A notice deadline this close (or nearer) is an alert.
NOTICE_WITHIN_DAYS = 30
#: How long "Snooze" hides an alert.
SNOOZE_DAYS = 3


class RenewalLike(Protocol):
    """What an alert needs to know of a renewal."""

    @property
    def renewal_id(self) -> int: ...
    @property
    def account_id(self) -> int: ...
    @property
    def account(self) -> str: ...
    @property
    def contract(self) -> str: ...
    @property
    def end_date(self) -> date: ...
    @property
    def notice_days(self) -> int: ...


@dataclass(frozen=True, slots=True)
class Alert:
    """Something to tell the account manager about a renewal."""

    key: str
    renewal_id: int
    account_id: int
    message: str
    due: date

    @property
    def is_notice(self) -> bool:
        return ":notice:" in self.key


def renewal_alerts(renewals: Iterable[RenewalLike], today: date) -> list[Alert]:
    """The alerts for these open renewals, soonest first (at most two per renewal: its band
    and its notice deadline)."""
    alerts: list[Alert] = []
    for row in renewals:
        band = band_of(today, row.end_date)
        left = (row.end_date - today).days
        if band is not None:
            when = "today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
            alerts.append(
                Alert(
                    f"{row.renewal_id}:band-{band}:{row.end_date.isoformat()}",
                    row.renewal_id,
                    row.account_id,
                    f"{row.account} — {row.contract} renews {when} (within {band} days).",
                    row.end_date,
                )
            )
        deadline = notice_deadline(row.end_date, row.notice_days)
        if deadline is not None and today <= deadline <= today + timedelta(days=NOTICE_WITHIN_DAYS):
            days = (deadline - today).days
            when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
            alerts.append(
                Alert(
                    f"{row.renewal_id}:notice:{row.end_date.isoformat()}",
                    row.renewal_id,
                    row.account_id,
                    f"{row.account} — {row.contract}: the notice deadline is {when} "
                    f"({deadline.day} {deadline:%b %Y}).",
                    deadline,
                )
            )
    alerts.sort(key=lambda alert: (alert.due, alert.key))
    return alerts


def visible(
    alerts: Iterable[Alert], dismissed: set[str], snoozed: Mapping[str, date], today: date
) -> list[Alert]:
    """The alerts not dismissed and not snoozed past today."""
    return [
        alert
        for alert in alerts
        if alert.key not in dismissed and snoozed.get(alert.key, today) <= today
    ]


def snooze_until(today: date) -> date:
    """The day a snoozed alert comes back."""
    return today + timedelta(days=SNOOZE_DAYS)
