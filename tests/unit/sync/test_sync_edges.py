"""CRM sync at its edges, each the test that would have caught a reviewed bug (issue 8): edits
made while a write is on its way, an interrupted first pull, deletion against edit, records
found in both places, values the local rules refuse, a create that keeps failing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from am_desktop.errors import SyncError, SyncErrorKind
from am_desktop.services import catalog
from am_desktop.services.store import Store
from am_desktop.services.sync.conflicts import list_conflicts
from am_desktop.services.sync.engine import pending_changes
from tests.support.fake_hubspot import FakeHubSpot
from tests.support.sync_kit import connector, edit_remotely, remote_of, run_sync


def during(crm: Any, method: str, action: Callable[[], None]) -> None:
    """Run ``action`` (a local edit) while ``method``'s request is on its way."""
    original = getattr(crm, method)

    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        action()
        return result

    setattr(crm, method, wrapped)


def test_an_edit_made_while_the_create_is_on_its_way_is_sent_too(
    store: Store, hubspot: FakeHubSpot
) -> None:
    account = catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"}).id
    crm = connector(hubspot)
    during(crm, "create", lambda: catalog.accounts.update(store, account, {"industry": "Film"}))
    run_sync(store, hubspot, crm)  # the create sends no industry; the edit follows as an update
    remote = hubspot.record("companies", remote_of(store, "account", account))
    assert remote is not None and remote["properties"]["industry"] == "Film"
    assert pending_changes(store) == 0


@pytest.mark.parametrize("meanwhile", ["Retail", "Film"])  # back to the old value / a new one
def test_an_edit_made_while_an_update_is_on_its_way_is_not_lost(
    store: Store, hubspot: FakeHubSpot, meanwhile: str
) -> None:
    account = catalog.accounts.create(store, {"name": "Acme", "industry": "Retail"}).id
    run_sync(store, hubspot)
    catalog.accounts.update(store, account, {"industry": "Media"})
    crm = connector(hubspot)
    during(crm, "update",
           lambda: catalog.accounts.update(store, account, {"industry": meanwhile}))  # fmt: skip
    run_sync(store, hubspot, crm)
    run_sync(store, hubspot)
    remote = hubspot.record("companies", remote_of(store, "account", account))
    assert remote is not None and remote["properties"]["industry"] == meanwhile
    assert list_conflicts(store) == []  # never a conflict with my own push
    assert pending_changes(store) == 0


def test_an_interrupted_first_pull_is_finished_by_the_next_run(
    store: Store, hubspot: FakeHubSpot
) -> None:
    ids = hubspot.seed_many("companies", ({"name": f"C{n}"} for n in range(250)))
    edit_remotely(hubspot, "companies", ids[0], {"name": "C0, edited last"})  # newest, on page one
    crm = connector(hubspot)
    pages = 0
    original = crm.changed

    def two_pages(remote_type: str, since: int | None) -> Any:
        nonlocal pages
        for page in original(remote_type, since):
            pages += 1
            if remote_type == "companies" and pages == 2:
                raise SyncError("The network went away.", SyncErrorKind.NETWORK)
            yield page

    crm.changed = two_pages  # type: ignore[method-assign]
    with pytest.raises(SyncError):
        run_sync(store, hubspot, crm)
    run_sync(store, hubspot)
    assert len(catalog.accounts.find(store)) == 250


def test_archived_here_while_edited_there_is_asked_about(
    store: Store, hubspot: FakeHubSpot
) -> None:
    account = catalog.accounts.create(store, {"name": "Acme"}).id
    run_sync(store, hubspot)
    catalog.accounts.archive(store, account)
    edit_remotely(
        hubspot, "companies", remote_of(store, "account", account), {"name": "Acme (big deal)"}
    )
    hubspot.advance_clock(1000)
    run_sync(store, hubspot)
    (conflict,) = list_conflicts(store)
    assert conflict.kind == "deleted_locally"
    remote = hubspot.record("companies", remote_of(store, "account", account))
    assert remote is not None and remote["archived"] is False  # nothing archived behind their back


def test_a_record_found_in_both_places_asks_instead_of_overwriting(
    store: Store, hubspot: FakeHubSpot
) -> None:
    catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com", "industry": "Retail"})
    hubspot.seed("companies", {"name": "ACME Corporation", "domain": "acme.com"})
    run_sync(store, hubspot)
    (account,) = catalog.accounts.find(store)
    assert (account.name, account.industry) == ("Acme", "Retail")  # nothing overwritten
    (conflict,) = list_conflicts(store)
    assert (conflict.field, conflict.local, conflict.remote) == ("name", "Acme", "ACME Corporation")
    (company,) = hubspot.records("companies")
    assert company["properties"]["industry"] == "Retail"  # their empty field got ours


def test_a_colleagues_edit_between_our_read_and_our_write_is_pulled(
    store: Store, hubspot: FakeHubSpot
) -> None:
    account = catalog.accounts.create(store, {"name": "Acme", "industry": "Retail"}).id
    run_sync(store, hubspot)
    remote_id = remote_of(store, "account", account)
    catalog.accounts.update(store, account, {"industry": "Media"})
    crm = connector(hubspot)
    original = crm.read

    def read_then_colleague(remote_type: str, ids: Any) -> Any:
        found = original(remote_type, ids)
        if remote_type == "companies":
            edit_remotely(hubspot, "companies", remote_id, {"name": "Acme Corporation"})
        return found

    crm.read = read_then_colleague  # type: ignore[method-assign]
    run_sync(store, hubspot, crm)
    run_sync(store, hubspot)
    assert catalog.accounts.get(store, account).name == "Acme Corporation"


def test_values_the_local_rules_refuse_do_not_stop_the_sync(
    store: Store, hubspot: FakeHubSpot
) -> None:
    account = catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"}).id
    contact = catalog.contacts.create(store, {"account_id": account, "last_name": "Byron"}).id
    run_sync(store, hubspot)
    edit_remotely(hubspot, "contacts", remote_of(store, "contact", contact), {"lastname": ""})
    hubspot.seed("companies", {"name": "Acme twin", "domain": "acme.com"})  # a duplicate there
    other = catalog.accounts.create(store, {"name": "Globex"}).id
    report = run_sync(store, hubspot)
    assert catalog.contacts.get(store, contact).last_name == "Byron"  # kept here
    assert any("already has its domain" in p or "acme.com" in p or "domain" in p
               for p in report.problems)  # fmt: skip
    assert remote_of(store, "account", other)  # the rest went on
    run_sync(store, hubspot)
    remote = hubspot.record("contacts", remote_of(store, "contact", contact))
    assert remote is not None and remote["properties"]["lastname"] == "Byron"  # sent back


def test_a_create_that_keeps_failing_stops_the_run_in_words(
    store: Store, hubspot: FakeHubSpot
) -> None:
    catalog.accounts.create(store, {"name": "Acme"})
    hubspot.add_faults([{"method": "POST", "path_regex": "batch/create", "times": -1,
                         "status": 500}])  # fmt: skip
    with pytest.raises(SyncError, match="kept failing"):
        run_sync(store, hubspot)
    assert len(hubspot.requests) < 50  # bounded, not a loop
    with store.raw() as connection:
        assert connection.execute("SELECT count(*) FROM sync_outbox").fetchone()[0] == 0


def test_records_waiting_for_their_account_do_not_hold_up_the_others(
    store: Store, hubspot: FakeHubSpot
) -> None:
    gone = catalog.accounts.create(store, {"name": "Gone"}).id
    for n in range(120):
        catalog.contacts.create(store, {"account_id": gone, "last_name": f"P{n}"})
    catalog.accounts.archive(store, gone)  # never sent, so its contacts wait
    live = catalog.accounts.create(store, {"name": "Live"}).id
    fresh = catalog.contacts.create(store, {"account_id": live, "last_name": "New"}).id
    run_sync(store, hubspot)
    assert remote_of(store, "contact", fresh)


def test_a_conflicting_field_is_not_sent_with_another_change(
    store: Store, hubspot: FakeHubSpot
) -> None:
    account = catalog.accounts.create(store, {"name": "Acme", "industry": "Retail"}).id
    run_sync(store, hubspot)
    remote_id = remote_of(store, "account", account)
    edit_remotely(hubspot, "companies", remote_id, {"name": "Theirs"})
    catalog.accounts.update(store, account, {"name": "Mine"})
    run_sync(store, hubspot)  # conflict on name
    edit_remotely(hubspot, "companies", remote_id, {"name": "Acme"})  # they went back to the base
    catalog.accounts.update(store, account, {"industry": "Film"})
    run_sync(store, hubspot)
    remote = hubspot.record("companies", remote_id)
    assert remote is not None and remote["properties"]["industry"] == "Film"
    assert list_conflicts(store) == []  # settled: theirs is back at the base
    run_sync(store, hubspot)
    remote = hubspot.record("companies", remote_id)
    assert remote is not None and remote["properties"]["name"] == "Mine"


def test_a_deal_won_in_the_crm_writes_its_expansion_to_the_ledger(
    store: Store, hubspot: FakeHubSpot
) -> None:
    from datetime import date

    account = catalog.accounts.create(store, {"name": "Acme"}).id
    deal = catalog.opportunities.create(
        store, {"account_id": account, "name": "Seats", "amount_cents": 5_000_00}
    ).id
    empty = catalog.opportunities.create(
        store, {"account_id": account, "name": "No amount yet", "amount_cents": 0}
    ).id
    run_sync(store, hubspot)
    edit_remotely(hubspot, "deals", remote_of(store, "opportunity", deal),
                  {"dealstage": "closedwon", "closedate": "2026-11-20T00:00:00.000Z"})  # fmt: skip
    edit_remotely(hubspot, "deals", remote_of(store, "opportunity", empty),
                  {"dealstage": "closedwon"})  # fmt: skip
    report = run_sync(store, hubspot)
    assert catalog.opportunities.get(store, deal).stage.value == "won"
    (movement,) = catalog.movements.find(store, account_id=account)
    assert (movement.type.value, movement.amount_cents) == ("expansion", 5_000_00)
    assert movement.occurred_on == date(2026, 11, 20)
    assert catalog.opportunities.get(store, empty).stage.value == "identified"  # refused here
    (conflict,) = list_conflicts(store)
    assert (conflict.field, conflict.remote) == ("stage", "won")
    assert any("amount" in p for p in report.problems)
    edit_remotely(hubspot, "deals", remote_of(store, "opportunity", deal),
                  {"dealstage": "contractsent"})  # reopened there  # fmt: skip
    run_sync(store, hubspot)
    assert catalog.opportunities.get(store, deal).stage.value == "negotiation"
    assert catalog.movements.find(store, account_id=account) == []  # the win is undone


def test_a_notes_attendees_follow_its_contacts_both_ways(
    store: Store, hubspot: FakeHubSpot
) -> None:
    from datetime import UTC, datetime

    from am_desktop.services import notes

    account = catalog.accounts.create(store, {"name": "Acme"}).id
    ada = catalog.contacts.create(store, {"account_id": account, "last_name": "Byron"}).id
    lee = catalog.contacts.create(store, {"account_id": account, "last_name": "Ng"}).id
    kim = catalog.contacts.create(store, {"account_id": account, "last_name": "Park"}).id
    note = notes.create_note(
        store, {"account_id": account, "occurred_at": datetime(2026, 11, 2, 10, tzinfo=UTC),
                "body": "Kick-off"}, [ada],
    )  # fmt: skip
    run_sync(store, hubspot)
    remote_note = remote_of(store, "note", note.id)
    assert hubspot.associations("notes", remote_note, "contacts") == {
        remote_of(store, "contact", ada)
    }
    notes.save_note(store, note.id, {}, None, [ada, lee])  # Lee joined the call
    run_sync(store, hubspot)
    assert hubspot.associations("notes", remote_note, "contacts") == {
        remote_of(store, "contact", ada), remote_of(store, "contact", lee)}  # fmt: skip
    # In the CRM: Kim instead of Lee, and the note edited (association edits alone may not
    # mark a note changed in HubSpot)
    import httpx

    from tests.support.sync_kit import OTHER

    base = f"{hubspot.url}/crm/v4/objects/notes/{remote_note}/associations"
    httpx.delete(f"{base}/contacts/{remote_of(store, 'contact', lee)}", headers=OTHER)
    httpx.put(f"{base}/default/contacts/{remote_of(store, 'contact', kim)}", headers=OTHER)
    edit_remotely(hubspot, "notes", remote_note, {"hs_note_body": "Kick-off, with Kim"})
    run_sync(store, hubspot)
    detail = notes.note_detail(store, note.id)
    assert {a.contact_id for a in detail.attendees} == {ada, kim}


def test_a_record_that_vanished_from_the_crm_is_asked_about_and_can_be_sent_again(
    store: Store, hubspot: FakeHubSpot
) -> None:
    from am_desktop.services.sync.conflicts import resolve

    account = catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"}).id
    run_sync(store, hubspot)
    hubspot.purge("companies", remote_of(store, "account", account))  # merged away, say
    catalog.accounts.update(store, account, {"industry": "Film"})
    run_sync(store, hubspot)
    (conflict,) = list_conflicts(store)
    assert conflict.kind == "deleted_remotely"
    resolve(store, conflict.id, "local")  # keep it and send it again
    run_sync(store, hubspot)
    (company,) = hubspot.records("companies")
    assert company["properties"]["industry"] == "Film"
    assert list_conflicts(store) == [] and pending_changes(store) == 0
