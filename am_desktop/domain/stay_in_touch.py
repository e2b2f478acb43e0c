"""Stay-in-touch: how often each contact should hear from the account manager (issue 19).

A contact may carry its own cadence (``contact.cadence_days``); without one, its role decides.
Plain data and arithmetic, so the Today query, the contact dialog and the tests agree.
"""

from __future__ import annotations

from datetime import date, timedelta

from am_desktop.domain.enums import ContactRole

#: Days between touches, by role. The economic buyer signs the renewal and the champion sells
#: it inside; a month of silence from either is how renewals are lost unnoticed, so they are
#: the tightest. Those who shape the decision (decision makers, technical buyers, coaches)
#: can go two months; the rest of the committee a quarter, as the account's check-in does.
ROLE_CADENCE_DAYS: dict[ContactRole, int] = {
    ContactRole.ECONOMIC_BUYER: 30,
    ContactRole.CHAMPION: 30,
    ContactRole.DECISION_MAKER: 60,
    ContactRole.TECHNICAL_BUYER: 60,
    ContactRole.COACH: 60,
    ContactRole.INFLUENCER: 90,
    ContactRole.PROCUREMENT: 90,
    ContactRole.BLOCKER: 90,
    ContactRole.USER: 90,
}
#: A contact without a role: a quarter, like the least pressing roles.
NO_ROLE_CADENCE_DAYS = 90
#: The tightest default: no contact is overdue sooner than this unless given its own cadence.
TIGHTEST_DEFAULT_DAYS = min(ROLE_CADENCE_DAYS.values())


def default_cadence(role: ContactRole | None) -> int:
    """The cadence a contact in ``role`` gets when it has none of its own."""
    return ROLE_CADENCE_DAYS.get(role, NO_ROLE_CADENCE_DAYS) if role else NO_ROLE_CADENCE_DAYS


def cadence_of(own_days: int | None, role: ContactRole | None) -> int:
    """The cadence that applies: the contact's own, else its role's."""
    return own_days if own_days else default_cadence(role)


def next_touch_due(last_contact: date, cadence_days: int) -> date:
    """The last day the next touch is on time (overdue from the day after)."""
    return last_contact + timedelta(days=cadence_days)


def is_overdue(last_contact: date | None, cadence_days: int, today: date) -> bool:
    """Whether the last touch (a local calendar day) is older than the cadence.

    A contact never contacted is not listed as overdue: it has no last touch to count from
    (the contact map marks it new or quiet instead).
    """
    return last_contact is not None and next_touch_due(last_contact, cadence_days) < today


def cadence_sql(own: str, role: str) -> str:
    """The cadence as an SQL expression over the contact's columns (own days, role value)."""
    cases = " ".join(f"WHEN '{r.value}' THEN {d}" for r, d in ROLE_CADENCE_DAYS.items())
    return f"COALESCE({own}, CASE {role} {cases} ELSE {NO_ROLE_CADENCE_DAYS} END)"
