"""CRM sync at its edges, each the test that would have caught a reviewed bug (issue 8): edits
made while a write is on its way, an interrupted first pull, deletion against edit, records
found in both places, values the local rules refuse, a create that keeps failing."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from am_desktop.errors import SyncError, SyncErrorKind
from am_desktop.services import catalog
from am_desktop.services.store import Store
from am_desktop.services.sync.conflicts import list_conflicts
from am_desktop.services.sync.engine import SyncEngine, SyncReport, pending_changes
from am_desktop.services.sync.http import CrmHttp, RetryPolicy
from am_desktop.services.sync.hubspot import HubSpotConnector
from tests.support.fake_hubspot import FakeHubSpot

TOKEN = "test-token"


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    server = FakeHubSpot(TOKEN)
    server.start()
    yield server
    server.stop()


def connector(server: FakeHubSpot) -> HubSpotConnector:
    policy = RetryPolicy(base=0.001, cap=0.01, attempts=3, timeout=5)
    return HubSpotConnector(CrmHttp(server.url, TOKEN, policy=policy, sleep=lambda _s: None))


def sync(store: Store, server: FakeHubSpot, crm: HubSpotConnector | None = None) -> SyncReport:
    crm = crm or connector(server)
    try:
        return SyncEngine(store, crm).run()
    finally:
        crm.close()


def remote_of(store: Store, obj: str, local_id: int) -> str:
    with store.raw() as connection:
        row = connection.execute(
            "SELECT remote_id FROM sync_link WHERE obj = ? AND local_id = ?", (obj, local_id)
        ).fetchone()
    return str(row[0])


def patch(server: FakeHubSpot, kind: str, record_id: str, props: dict[str, str]) -> None:
    response = httpx.patch(f"{server.url}/crm/v3/objects/{kind}/{record_id}",
                           json={"properties": props},
                           headers={"Authorization": "Bearer other-token"})  # fmt: skip
    assert response.status_code == 200, response.text


def during(crm: HubSpotConnector, method: str, action: Callable[[], None]) -> None:
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
    sync(store, hubspot, crm)  # the create sends no industry; the edit follows as an update
    remote = hubspot.record("companies", remote_of(store, "account", account))
    assert remote is not None and remote["properties"]["industry"] == "Film"
    assert pending_changes(store) == 0


@pytest.mark.parametrize("meanwhile", ["Retail", "Film"])  # back to the old value / a new one
def test_an_edit_made_while_an_update_is_on_its_way_is_not_lost(
    store: Store, hubspot: FakeHubSpot, meanwhile: str
) -> None:
    account = catalog.accounts.create(store, {"name": "Acme", "industry": "Retail"}).id
    sync(store, hubspot)
    catalog.accounts.update(store, account, {"industry": "Media"})
    crm = connector(hubspot)
    during(crm, "update",
           lambda: catalog.accounts.update(store, account, {"industry": meanwhile}))  # fmt: skip
    sync(store, hubspot, crm)
    sync(store, hubspot)
    remote = hubspot.record("companies", remote_of(store, "account", account))
    assert remote is not None and remote["properties"]["industry"] == meanwhile
    assert list_conflicts(store) == []  # never a conflict with my own push
    assert pending_changes(store) == 0


def test_an_interrupted_first_pull_is_finished_by_the_next_run(
    store: Store, hubspot: FakeHubSpot
) -> None:
    ids = hubspot.seed_many("companies", ({"name": f"C{n}"} for n in range(250)))
    patch(hubspot, "companies", ids[0], {"name": "C0, edited last"})  # newest, on page one
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
        sync(store, hubspot, crm)
    sync(store, hubspot)
    assert len(catalog.accounts.find(store)) == 250


def test_archived_here_while_edited_there_is_asked_about(
    store: Store, hubspot: FakeHubSpot
) -> None:
    account = catalog.accounts.create(store, {"name": "Acme"}).id
    sync(store, hubspot)
    catalog.accounts.archive(store, account)
    patch(hubspot, "companies", remote_of(store, "account", account), {"name": "Acme (big deal)"})
    hubspot.advance_clock(1000)
    sync(store, hubspot)
    (conflict,) = list_conflicts(store)
    assert conflict.kind == "deleted_locally"
    remote = hubspot.record("companies", remote_of(store, "account", account))
    assert remote is not None and remote["archived"] is False  # nothing archived behind their back


def test_a_record_found_in_both_places_asks_instead_of_overwriting(
    store: Store, hubspot: FakeHubSpot
) -> None:
    catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com", "industry": "Retail"})
    hubspot.seed("companies", {"name": "ACME Corporation", "domain": "acme.com"})
    sync(store, hubspot)
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
    sync(store, hubspot)
    remote_id = remote_of(store, "account", account)
    catalog.accounts.update(store, account, {"industry": "Media"})
    crm = connector(hubspot)
    original = crm.read

    def read_then_colleague(remote_type: str, ids: Any) -> Any:
        found = original(remote_type, ids)
        if remote_type == "companies":
            patch(hubspot, "companies", remote_id, {"name": "Acme Corporation"})
        return found

    crm.read = read_then_colleague  # type: ignore[method-assign]
    sync(store, hubspot, crm)
    sync(store, hubspot)
    assert catalog.accounts.get(store, account).name == "Acme Corporation"


def test_values_the_local_rules_refuse_do_not_stop_the_sync(
    store: Store, hubspot: FakeHubSpot
) -> None:
    account = catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"}).id
    contact = catalog.contacts.create(store, {"account_id": account, "last_name": "Byron"}).id
    sync(store, hubspot)
    patch(hubspot, "contacts", remote_of(store, "contact", contact), {"lastname": ""})
    hubspot.seed("companies", {"name": "Acme twin", "domain": "acme.com"})  # a duplicate there
    other = catalog.accounts.create(store, {"name": "Globex"}).id
    report = sync(store, hubspot)
    assert catalog.contacts.get(store, contact).last_name == "Byron"  # kept here
    assert any("already has its domain" in p or "acme.com" in p or "domain" in p
               for p in report.problems)  # fmt: skip
    assert remote_of(store, "account", other)  # the rest went on
    sync(store, hubspot)
    remote = hubspot.record("contacts", remote_of(store, "contact", contact))
    assert remote is not None and remote["properties"]["lastname"] == "Byron"  # sent back


def test_a_create_that_keeps_failing_stops_the_run_in_words(
    store: Store, hubspot: FakeHubSpot
) -> None:
    catalog.accounts.create(store, {"name": "Acme"})
    hubspot.add_faults([{"method": "POST", "path_regex": "batch/create", "times": -1,
                         "status": 500}])  # fmt: skip
    with pytest.raises(SyncError, match="kept failing"):
        sync(store, hubspot)
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
    sync(store, hubspot)
    assert remote_of(store, "contact", fresh)


def test_a_conflicting_field_is_not_sent_with_another_change(
    store: Store, hubspot: FakeHubSpot
) -> None:
    account = catalog.accounts.create(store, {"name": "Acme", "industry": "Retail"}).id
    sync(store, hubspot)
    remote_id = remote_of(store, "account", account)
    patch(hubspot, "companies", remote_id, {"name": "Theirs"})
    catalog.accounts.update(store, account, {"name": "Mine"})
    sync(store, hubspot)  # conflict on name
    patch(hubspot, "companies", remote_id, {"name": "Acme"})  # they went back to the base
    catalog.accounts.update(store, account, {"industry": "Film"})
    sync(store, hubspot)
    remote = hubspot.record("companies", remote_id)
    assert remote is not None and remote["properties"]["industry"] == "Film"
    assert list_conflicts(store) == []  # settled: theirs is back at the base
    sync(store, hubspot)
    remote = hubspot.record("companies", remote_id)
    assert remote is not None and remote["properties"]["name"] == "Mine"
