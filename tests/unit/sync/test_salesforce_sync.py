"""CRM sync end to end against the local Salesforce-compatible server (issue 18): round trips of
each record kind and of reporting lines, SOQL paging and the shared-second cursor, archived
Tasks, deletions both ways (and the re-list when the deletion log is purged), per-record
failures kept for the next run, a body too long, a lost create found without a duplicate."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from am_desktop.services import catalog
from am_desktop.services.store import Store
from am_desktop.services.sync.engine import pending_changes
from tests.support.fake_salesforce import USER, FakeSalesforce
from tests.support.sync_kit import portfolio as base_portfolio
from tests.support.sync_kit import remote_of
from tests.support.sync_kit import sync_salesforce as sync


def portfolio(store: Store) -> dict[str, int]:
    """The shared portfolio, with a report under the contact and a call note."""
    made = base_portfolio(store)
    made["boss"] = made["contact"]
    made["report"] = catalog.contacts.create(
        store, {"account_id": made["account"], "last_name": "Lovelace", "email": "l@acme.com",
                "reports_to_id": made["boss"]},
    ).id  # fmt: skip
    made["note"] = catalog.notes.create(
        store, {"account_id": made["account"], "kind": "call", "title": "Kick-off",
                "occurred_at": datetime(2026, 11, 2, 15, 30), "body": "Talked seats."},
    ).id  # fmt: skip
    return made


def test_a_first_sync_creates_each_kind_with_its_lookups(store: Store, org: FakeSalesforce) -> None:
    made = portfolio(store)
    report = sync(store, org)
    assert report.problems == [] and report.created_remotely == 5
    account = org.record("Account", remote_of(store, "account", made["account"]))
    assert (account["Name"], account["Website"], account["Industry"]) == (
        "Acme", "acme.com", "Retail")  # fmt: skip
    boss = remote_of(store, "contact", made["boss"])
    lovelace = org.record("Contact", remote_of(store, "contact", made["report"]))
    assert lovelace["AccountId"] == account["Id"] and lovelace["ReportsToId"] == boss
    deal = org.record("Opportunity", remote_of(store, "opportunity", made["opportunity"]))
    assert (deal["Amount"], deal["CloseDate"], deal["StageName"], deal["Type"]) == (
        1200.0, "2026-12-15", "Prospecting", "Existing Customer - Upgrade")  # fmt: skip
    task = org.record("Task", remote_of(store, "note", made["note"]))
    assert (task["Subject"], task["Description"], task["ActivityDate"], task["Status"],
            task["TaskSubtype"], task["WhatId"]) == ("Kick-off", "Talked seats.", "2026-11-02",
            "Completed", "Call", account["Id"])  # fmt: skip
    writes = org.writes()
    again = sync(store, org)  # nothing changed: no write, no phantom change
    assert org.writes() == writes and (again.pulled, again.pushed) == (0, 0)
    assert pending_changes(store) == 0


def test_records_made_in_salesforce_arrive_with_their_reporting_line(
    store: Store, org: FakeSalesforce
) -> None:
    org.batch_size = 2  # nextRecordsUrl paging
    account = org.seed("Account", {"Name": "Globex", "Website": "https://www.GLOBEX.com/"})
    boss = org.seed("Contact", {"LastName": "Boss", "AccountId": account})
    org.seed("Contact", {"LastName": "Worker", "AccountId": account, "ReportsToId": boss})
    org.offset_ms += 1000
    org.edit("Contact", boss, {"Title": "CEO"})  # the manager now comes after the report
    org.seed("Opportunity", {"Name": "Upgrade", "Amount": 5000, "StageName": "Qualification",
                             "CloseDate": "2026-12-01", "AccountId": account})  # fmt: skip
    org.seed("Task", {"Subject": "Call", "Description": "Old call", "ActivityDate": "2025-01-10",
                      "WhatId": account, "Status": "Completed", "archived": True})  # fmt: skip
    report = sync(store, org)
    assert report.problems == [] and report.created_locally == 5
    (local,) = catalog.accounts.find(store, name="Globex")
    assert local.domain == "globex.com"
    contacts = {c.last_name: c for c in catalog.contacts.find(store, account_id=local.id)}
    assert contacts["Worker"].reports_to_id == contacts["Boss"].id
    (opportunity,) = catalog.opportunities.find(store, account_id=local.id)
    assert (opportunity.amount_cents, opportunity.stage.value) == (5000_00, "qualified")
    (note,) = catalog.notes.find(store, account_id=local.id)  # archived: only queryAll has it
    assert note.body == "Old call" and note.occurred_at.date() == date(2025, 1, 10)
    assert sync(store, org).created_locally == 0


def test_edits_travel_both_ways_and_a_shared_second_loses_nothing(
    store: Store, org: FakeSalesforce
) -> None:
    made = portfolio(store)
    sync(store, org)
    account = remote_of(store, "account", made["account"])
    # An edit in the same second as the cursor: >= with de-duplication takes it once.
    org.edit("Account", account, {"Industry": "Energy"})
    catalog.accounts.update(store, made["account"], {"name": "Acme Inc"})
    catalog.notes.update(store, made["note"], {"occurred_at": datetime(2026, 11, 2, 9, 0)})
    report = sync(store, org)
    assert catalog.accounts.get(store, made["account"]).industry == "Energy"
    assert org.record("Account", account)["Name"] == "Acme Inc"
    assert report.conflicts == 0 and pending_changes(store) == 0  # same day: nothing to send
    catalog.notes.update(store, made["note"], {"occurred_at": datetime(2026, 11, 5, 9, 0)})
    sync(store, org)
    task = org.record("Task", remote_of(store, "note", made["note"]))
    assert task["ActivityDate"] == "2026-11-05"


def test_deletions_both_ways_and_the_relist_when_the_log_is_purged(
    store: Store, org: FakeSalesforce
) -> None:
    made = portfolio(store)
    sync(store, org)
    org.delete("Opportunity", remote_of(store, "opportunity", made["opportunity"]))
    catalog.contacts.archive(store, made["report"])
    sync(store, org)
    assert catalog.opportunities.get(store, made["opportunity"]).archived_at is not None
    lovelace = org.record("Contact", remote_of(store, "contact", made["report"]))
    assert lovelace["IsDeleted"] is True
    # The deletion log is purged past our last look: every live id is listed instead.
    org.delete("Contact", remote_of(store, "contact", made["boss"]))
    org.earliest_deleted_ms = org.now_ms() + 60_000
    sync(store, org)
    assert catalog.contacts.get(store, made["boss"]).archived_at is not None


def test_per_record_refusals_are_reported_and_sent_again_next_time(
    store: Store, org: FakeSalesforce
) -> None:
    made = portfolio(store)
    catalog.notes.update(store, made["note"], {"body": "x" * 32_001})
    org.refusals[("Contact", "LastName", "Lovelace")] = (
        "FIELD_CUSTOM_VALIDATION_EXCEPTION", "Last names need approval")  # fmt: skip
    org.locked_saves = 2  # the first two records saved meet a lock: retried, not refused
    report = sync(store, org)
    problems = " ".join(report.problems)
    assert "Last names need approval" in problems
    assert "32,001 characters" in problems and "32,000" in problems
    assert len(org.live("Task")) == 0 and len(org.live("Account")) == 1
    del org.refusals[("Contact", "LastName", "Lovelace")]
    catalog.notes.update(store, made["note"], {"body": "Short now."})
    report = sync(store, org)
    assert report.problems == [] and len(org.live("Contact")) == 2
    assert [t["Description"] for t in org.live("Task")] == ["Short now."]


@pytest.mark.parametrize("external_id", [False, True])
def test_a_lost_create_answer_is_found_not_duplicated(store: Store, external_id: bool) -> None:
    org = FakeSalesforce(external_id=external_id)
    org.start()
    try:
        org.seed("Account", {"Name": "Acme", "Website": "acme.org"})  # another user's
        catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"})
        catalog.accounts.create(store, {"name": "Beta", "domain": "beta.com"})
        org.add_fault("*", "/composite/sobjects", drop=True, after_commit=True)
        report = sync(store, org)
    finally:
        org.stop()
    mine = [a for a in org.live("Account") if a["CreatedById"] == USER]
    assert sorted(a["Name"] for a in mine) == ["Acme", "Beta"]  # once each
    assert len(org.live("Account")) == 3
    assert report.created_remotely == 2
