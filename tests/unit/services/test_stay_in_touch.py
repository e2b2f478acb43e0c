"""Stay-in-touch (issue 19): cadence defaults, Today's overdue contacts at the day boundary,
and a contact who leaves (successor, risk, coverage without them)."""

from __future__ import annotations

from datetime import date

import pytest

from am_desktop.domain.coverage import CoverageRule
from am_desktop.domain.enums import ContactRole, Severity
from am_desktop.domain.stay_in_touch import cadence_of, default_cadence, is_overdue
from am_desktop.errors import ValidationError
from am_desktop.services import catalog
from am_desktop.services.stay_in_touch import mark_contact_left, successor_candidates
from am_desktop.services.store import Store
from am_desktop.services.today import today_lists
from tests.support.local_clock import local, new_york_clock  # noqa: F401 - autouse

TODAY = date(2026, 12, 3)


def add_contact(store: Store, account: int, last: str, **values: object) -> int:
    return catalog.contacts.create(store, {"account_id": account, "last_name": last, **values}).id


def test_the_deciders_default_tighter_and_an_own_cadence_wins() -> None:
    assert default_cadence(ContactRole.ECONOMIC_BUYER) == 30
    assert default_cadence(ContactRole.CHAMPION) == 30
    assert default_cadence(ContactRole.DECISION_MAKER) == 60
    assert default_cadence(ContactRole.USER) == 90
    assert default_cadence(None) == 90
    assert cadence_of(14, ContactRole.USER) == 14
    assert cadence_of(None, ContactRole.CHAMPION) == 30
    assert not is_overdue(None, 30, TODAY)  # never contacted: no last touch to count from
    assert not is_overdue(date(2026, 11, 3), 30, TODAY)
    assert is_overdue(date(2026, 11, 2), 30, TODAY)


def test_today_lists_contacts_overdue_from_the_day_after_their_cadence(store: Store) -> None:
    acme = catalog.accounts.create(store, {"name": "Acme"}).id
    champion = ContactRole.CHAMPION
    add_contact(store, acme, "OnTime", role=champion, last_contacted_at=local(2026, 11, 3, 0, 30))
    late = add_contact(
        store, acme, "Late", role=champion, last_contacted_at=local(2026, 11, 2, 23, 50)
    )
    # an own cadence of 40 days reaches back over the end of DST on 1 Nov
    add_contact(
        store, acme, "OwnOnTime", cadence_days=40, last_contacted_at=local(2026, 10, 24, 0, 10)
    )
    own_late = add_contact(
        store, acme, "OwnLate", cadence_days=40, last_contacted_at=local(2026, 10, 23, 23, 50)
    )
    add_contact(
        store, acme, "UserRecent", role=ContactRole.USER, last_contacted_at=local(2026, 10, 1, 9)
    )
    add_contact(store, acme, "Never", role=champion)
    gone = add_contact(store, acme, "Gone", role=champion, last_contacted_at=local(2026, 1, 1, 9))
    catalog.contacts.update(store, gone, {"left_on": date(2026, 6, 1)})

    lists = today_lists(store, TODAY)

    assert [c.contact_id for c in lists.stay_in_touch] == [own_late, late]  # longest silent first
    assert lists.totals["stay_in_touch"] == 2
    overdue = {c.contact_id: c for c in lists.stay_in_touch}
    assert overdue[late].due == date(2026, 12, 2)
    assert (overdue[late].cadence_days, overdue[own_late].cadence_days) == (30, 40)
    assert overdue[late].account == "Acme" and overdue[late].name == "Late"
    assert "stay_in_touch" not in lists.capped
    # the day after, both contacts touched on their last day are overdue too
    assert len(today_lists(store, date(2026, 12, 4)).stay_in_touch) == 4


def test_contacts_of_an_archived_account_are_not_listed(store: Store) -> None:
    acme = catalog.accounts.create(store, {"name": "Acme"}).id
    add_contact(store, acme, "Late", last_contacted_at=local(2026, 1, 2, 9))
    catalog.accounts.archive(store, acme)
    assert today_lists(store, TODAY).stay_in_touch == ()


@pytest.fixture
def account(store: Store) -> int:
    return catalog.accounts.create(store, {"name": "Acme", "owner": "maya"}).id


def test_leaving_adds_a_risk_and_the_successor_takes_the_role(store: Store, account: int) -> None:
    buyer = add_contact(
        store,
        account,
        "Lee",
        first_name="Ann",
        role=ContactRole.ECONOMIC_BUYER,
        last_contacted_at=local(2026, 11, 30, 9),
    )
    heir = add_contact(
        store, account, "Stone", first_name="Bob", last_contacted_at=local(2026, 11, 30, 9)
    )
    assert [name for _, name in successor_candidates(store, buyer)] == ["Bob Stone"]

    departure = mark_contact_left(store, buyer, date(2026, 12, 1), heir, today=TODAY)

    assert departure.contact.left_on == date(2026, 12, 1)
    assert (
        departure.successor is not None and departure.successor.role is ContactRole.ECONOMIC_BUYER
    )
    risks = catalog.risks.find(store, account_id=account)
    assert [r.id for r in risks] == [departure.risk.id]
    assert "Ann Lee (Economic buyer) left the company on 1 Dec 2026" in risks[0].description
    assert "Bob Stone takes over" in risks[0].description
    assert (risks[0].severity, risks[0].owner) == (Severity.HIGH, "maya")
    # coverage without Ann: Bob alone is contacted now, so the account is single-threaded
    rules = {w.rule for w in departure.coverage}
    assert CoverageRule.SINGLE_THREADED in rules
    assert CoverageRule.NO_ECONOMIC_BUYER not in rules  # Bob holds the role now
    assert successor_candidates(store, heir) == ()  # who left takes over nothing


def test_leaving_without_a_successor_says_to_find_one(store: Store, account: int) -> None:
    buyer = add_contact(store, account, "Lee", role=ContactRole.ECONOMIC_BUYER)
    departure = mark_contact_left(store, buyer, date(2026, 12, 1), None, today=TODAY)
    assert "No successor known yet" in departure.risk.description
    assert departure.risk.mitigation and "Find out who takes over" in departure.risk.mitigation
    assert {w.rule for w in departure.coverage} >= {CoverageRule.NO_CONTACTS}
    with pytest.raises(ValidationError, match="already marked as left"):
        mark_contact_left(store, buyer, date(2026, 12, 2), None)


def test_a_successor_must_be_present_at_the_same_account(store: Store, account: int) -> None:
    leaver = add_contact(store, account, "Lee")
    other = catalog.accounts.create(store, {"name": "Globex"}).id
    stranger = add_contact(store, other, "Wu")
    with pytest.raises(ValidationError, match="another present contact"):
        mark_contact_left(store, leaver, date(2026, 12, 1), stranger)
    assert catalog.contacts.get(store, leaver).left_on is None  # nothing written
    assert catalog.risks.find(store, account_id=account) == []
