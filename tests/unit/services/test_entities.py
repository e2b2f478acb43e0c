"""Create, edit, archive and restore for every kind of record."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from am_desktop.domain.enums import Segment, Tier
from am_desktop.errors import NotFoundError, StaleRecordError, ValidationError
from am_desktop.services import catalog
from am_desktop.services.entities import EntityService
from am_desktop.services.store import Store


@pytest.fixture
def acme(store: Store) -> int:
    return catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"}).id


def _minimal(
    store: Store, account_id: int
) -> dict[str, tuple[EntityService[Any, Any], dict[str, object]]]:
    """One valid set of values per kind (creating the parents some kinds need)."""
    contact = catalog.contacts.create(store, {"account_id": account_id, "last_name": "Lee"})
    other = catalog.contacts.create(store, {"account_id": account_id, "last_name": "Kim"})
    contract = catalog.contracts.create(
        store,
        {
            "account_id": account_id,
            "start_date": "2026-01-01",
            "end_date": "2026-12-31",
            "arr_cents": 100,
        },
    )
    return {
        "objective": (catalog.objectives, {"account_id": account_id, "title": "Grow"}),
        "risk": (catalog.risks, {"account_id": account_id, "description": "Budget cut"}),
        "whitespace": (catalog.whitespace, {"account_id": account_id, "product": "Analytics"}),
        "link": (
            catalog.influence_links,
            {"account_id": account_id, "from_contact_id": contact.id, "to_contact_id": other.id},
        ),
        "note": (catalog.notes, {"account_id": account_id, "occurred_at": "2026-05-01T09:00"}),
        "action": (catalog.action_items, {"account_id": account_id, "text": "Send proposal"}),
        "feedback": (catalog.feedback, {"account_id": account_id, "text": "Export is slow"}),
        "renewal": (catalog.renewals, {"contract_id": contract.id}),
        "opportunity": (catalog.opportunities, {"account_id": account_id, "name": "Seats"}),
        "issue": (
            catalog.escalations,
            {"account_id": account_id, "title": "SSO down", "opened_on": date(2026, 5, 1)},
        ),
        "survey": (
            catalog.surveys,
            {"account_id": account_id, "responded_on": "2026-05-01", "kind": "nps", "score": 9},
        ),
        "usage": (
            catalog.usage,
            {
                "account_id": account_id,
                "sampled_on": "2026-05-01",
                "active_users": 5,
                "licensed_seats": 10,
            },
        ),
        "movement": (
            catalog.movements,
            {
                "account_id": account_id,
                "occurred_on": "2026-05-01",
                "type": "new",
                "amount_cents": 100,
            },
        ),
    }


def test_every_kind_can_be_created_edited_archived_and_restored(store: Store, acme: int) -> None:
    for name, (service, values) in _minimal(store, acme).items():
        record = service.create(store, values)
        assert record.version == 1 and len(record.uid) == 36, name
        assert record.created_at.tzinfo is UTC, name
        archived = service.archive(store, record.id)
        assert archived.archived and archived.version == 2, name
        assert record.id not in [r.id for r in service.find(store)], name
        assert record.id in [r.id for r in service.find(store, include_archived=True)], name
        restored = service.restore(store, record.id)
        assert not restored.archived and restored.version == 3, name


def test_an_account_keeps_the_rules_of_its_fields(store: Store) -> None:
    account = catalog.accounts.create(
        store,
        {
            "name": "  Acme   Corp ",
            "domain": "https://www.acme.com/",
            "segment": "Mid-Market",
            "tier": Tier.KEY,
        },
    )
    assert (account.name, account.domain, account.segment, account.tier) == (
        "Acme Corp",
        "acme.com",
        Segment.MID_MARKET,
        Tier.KEY,
    )
    assert account.checkin_cadence_days == 30


def test_writing_a_value_unchanged_is_not_an_edit(store: Store, acme: int) -> None:
    same = catalog.accounts.update(store, acme, {"name": "Acme", "domain": "ACME.com"})
    assert same.version == 1
    changed = catalog.accounts.update(store, acme, {"name": "Acme Inc"})
    assert changed.version == 2 and changed.updated_at >= same.updated_at


def test_an_edit_from_a_stale_read_is_refused(store: Store, acme: int) -> None:
    catalog.accounts.update(store, acme, {"owner": "Dana"}, expected_version=1)
    with pytest.raises(StaleRecordError, match="changed elsewhere"):
        catalog.accounts.update(store, acme, {"owner": "Lee"}, expected_version=1)
    assert catalog.accounts.get(store, acme).owner == "Dana"


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"name": ""}, "name", "required"),
        ({"name": "B", "domain": "nope"}, "domain", "not a web domain"),
        ({"name": "B", "tier": "gold"}, "tier", "not one of"),
        ({"name": "B", "checkin_cadence_days": 0}, "checkin_cadence_days", "outside"),
        ({"name": "B", "colour": "red"}, "colour", "no field colour"),
    ],
)
def test_invalid_values_name_their_field(
    store: Store, values: dict[str, object], field: str, message: str
) -> None:
    with pytest.raises(ValidationError, match=message) as caught:
        catalog.accounts.create(store, values)
    assert caught.value.field == field


def test_a_domain_belongs_to_one_account(store: Store, acme: int) -> None:
    with pytest.raises(ValidationError, match="already has this domain") as caught:
        catalog.accounts.create(store, {"name": "Other", "domain": "acme.com"})
    assert caught.value.field == "domain"


def test_missing_records_and_parents_are_explained(store: Store, acme: int) -> None:
    with pytest.raises(NotFoundError, match="no longer exists"):
        catalog.accounts.get(store, 999)
    with pytest.raises(ValidationError, match="Account #999 does not exist"):
        catalog.contacts.create(store, {"account_id": 999, "last_name": "Lee"})


def test_reporting_lines_stay_inside_the_account_and_never_loop(store: Store, acme: int) -> None:
    boss = catalog.contacts.create(store, {"account_id": acme, "last_name": "Boss"})
    mid = catalog.contacts.create(
        store, {"account_id": acme, "last_name": "Mid", "reports_to_id": boss.id}
    )
    low = catalog.contacts.create(
        store, {"account_id": acme, "last_name": "Low", "reports_to_id": mid.id}
    )
    with pytest.raises(ValidationError, match="reporting loop"):
        catalog.contacts.update(store, boss.id, {"reports_to_id": low.id})
    other = catalog.accounts.create(store, {"name": "Globex"})
    stranger = catalog.contacts.create(store, {"account_id": other.id, "last_name": "Far"})
    with pytest.raises(ValidationError, match="same account"):
        catalog.contacts.update(store, low.id, {"reports_to_id": stranger.id})
    with pytest.raises(ValidationError, match="Both contacts must belong"):
        catalog.influence_links.create(
            store, {"account_id": acme, "from_contact_id": boss.id, "to_contact_id": stranger.id}
        )


def test_scores_follow_their_survey_scale(store: Store, acme: int) -> None:
    with pytest.raises(ValidationError, match="CSAT score is between 1 and 5"):
        catalog.surveys.create(
            store, {"account_id": acme, "responded_on": "2026-01-01", "kind": "csat", "score": 9}
        )


def test_money_is_kept_in_whole_cents(store: Store, acme: int) -> None:
    opportunity = catalog.opportunities.create(
        store, {"account_id": acme, "name": "Seats", "amount_cents": "$1,200.50"}
    )
    assert opportunity.amount_cents == 120050
    with pytest.raises(ValidationError, match="more than zero"):
        catalog.movements.create(
            store,
            {"account_id": acme, "occurred_on": "2026-01-01", "type": "new", "amount_cents": 0},
        )


def test_a_contract_cannot_end_before_it_starts(store: Store, acme: int) -> None:
    with pytest.raises(ValidationError, match="before the start"):
        catalog.contracts.create(
            store,
            {
                "account_id": acme,
                "start_date": "2026-02-01",
                "end_date": "2026-01-01",
                "arr_cents": 1,
            },
        )


def test_a_note_moves_the_accounts_last_touch_forward_only(store: Store, acme: int) -> None:
    catalog.notes.create(store, {"account_id": acme, "occurred_at": "2026-05-01T09:00"})
    catalog.notes.create(store, {"account_id": acme, "occurred_at": "2026-03-01T09:00"})
    account = catalog.accounts.get(store, acme)
    assert account.last_touch_at == datetime(2026, 5, 1, 9, tzinfo=UTC)
    assert account.version == 1  # a derived date is not an edit of the account
