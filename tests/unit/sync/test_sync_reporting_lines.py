"""A contact's manager changed here reaches the CRM (issue 18): Salesforce's ReportsToId follows
an edit of ``reports_to``, a clear clears it, a line changed in both places keeps the CRM's and
says so; HubSpot, which keeps no reporting lines, is left alone and nothing stays pending."""

from __future__ import annotations

from am_desktop.services import catalog
from am_desktop.services.store import Store
from am_desktop.services.sync.engine import pending_changes
from tests.support.fake_hubspot import FakeHubSpot
from tests.support.fake_salesforce import FakeSalesforce
from tests.support.sync_kit import portfolio, remote_of, run_sync
from tests.support.sync_kit import sync_salesforce as sync


def team(store: Store) -> dict[str, int]:
    """Two possible managers and a report under the first."""
    made = portfolio(store)
    made["other"] = catalog.contacts.create(
        store, {"account_id": made["account"], "last_name": "Hopper", "email": "h@acme.com"}
    ).id
    made["report"] = catalog.contacts.create(
        store, {"account_id": made["account"], "last_name": "Lovelace", "email": "l@acme.com",
                "reports_to_id": made["contact"]},
    ).id  # fmt: skip
    return made


def synced_team(store: Store, org: FakeSalesforce) -> tuple[dict[str, int], str]:
    """The team, synced once; the report's Salesforce id."""
    made = team(store)
    sync(store, org)
    return made, remote_of(store, "contact", made["report"])


def test_a_manager_changed_here_is_pushed_as_reports_to_id(
    store: Store, org: FakeSalesforce
) -> None:
    made, report_id = synced_team(store, org)
    catalog.contacts.update(store, made["report"], {"reports_to_id": made["other"]})
    assert pending_changes(store) == 1
    result = sync(store, org)
    assert result.problems == [] and result.pushed == 1
    assert org.record("Contact", report_id)["ReportsToId"] == remote_of(
        store, "contact", made["other"]
    )
    assert pending_changes(store) == 0
    catalog.contacts.update(store, made["report"], {"reports_to_id": None})
    sync(store, org)
    assert org.record("Contact", report_id)["ReportsToId"] is None
    writes = org.writes()
    assert sync(store, org).pushed == 0 and org.writes() == writes  # nothing left to send


def test_a_manager_changed_in_both_places_keeps_salesforces_and_says_so(
    store: Store, org: FakeSalesforce
) -> None:
    made, report_id = synced_team(store, org)
    org.edit("Contact", report_id, {"ReportsToId": None})
    catalog.contacts.update(store, made["report"], {"reports_to_id": made["other"]})
    result = sync(store, org)
    assert any("manager was changed both here and in the CRM" in p for p in result.problems)
    assert catalog.contacts.get(store, made["report"]).reports_to_id is None
    assert org.record("Contact", report_id)["ReportsToId"] is None
    assert pending_changes(store) == 0


def test_a_manager_changed_here_only_survives_a_pull_of_other_fields(
    store: Store, org: FakeSalesforce
) -> None:
    made, report_id = synced_team(store, org)
    org.edit("Contact", report_id, {"Title": "CTO"})  # theirs: another field
    catalog.contacts.update(store, made["report"], {"reports_to_id": made["other"]})
    result = sync(store, org)
    assert result.problems == []
    assert catalog.contacts.get(store, made["report"]).title == "CTO"
    assert org.record("Contact", report_id)["ReportsToId"] == remote_of(
        store, "contact", made["other"]
    )


def test_hubspot_keeps_no_reporting_lines_and_nothing_stays_pending(
    store: Store, hubspot: FakeHubSpot
) -> None:
    made = team(store)
    run_sync(store, hubspot)
    catalog.contacts.update(store, made["report"], {"reports_to_id": made["other"]})
    assert pending_changes(store) == 1
    result = run_sync(store, hubspot)
    assert result.problems == [] and result.pushed == 0
    assert pending_changes(store) == 0
    assert catalog.contacts.get(store, made["report"]).reports_to_id == made["other"]
