"""CRM sync end to end against the local HubSpot-compatible server (issue 8): round trips of
every object type and association, each row of the merge table, archives, a lost create
answer, 429 storms and 5xx, and nothing written when nothing changed."""

from __future__ import annotations

from am_desktop.services import catalog
from am_desktop.services.store import Store
from am_desktop.services.sync.conflicts import list_conflicts, resolve
from am_desktop.services.sync.engine import pending_changes
from tests.support.fake_hubspot import FakeHubSpot
from tests.support.sync_kit import (
    delete_remotely,
    edit_remotely,
    portfolio,
    remote_of,
    run_sync,
)


def test_a_first_sync_creates_every_record_with_its_uid_and_associations(
    store: Store, hubspot: FakeHubSpot
) -> None:
    made = portfolio(store)
    report = run_sync(store, hubspot)
    assert report.created_remotely == 3 and report.conflicts == 0
    company = hubspot.record("companies", remote_of(store, "account", made["account"]))
    assert company is not None and company["properties"]["domain"] == "acme.com"
    uid = catalog.accounts.get(store, made["account"]).uid
    assert company["properties"]["am_uid"] == uid
    contact_id = remote_of(store, "contact", made["contact"])
    contact = hubspot.record("contacts", contact_id)
    assert contact is not None and contact["properties"]["jobtitle"] == "CFO"
    assert hubspot.associations("contacts", contact_id, "companies") == {company["id"]}
    deal_id = remote_of(store, "opportunity", made["opportunity"])
    deal = hubspot.record("deals", deal_id)
    assert deal is not None and deal["properties"]["amount"] in ("1200.00", "1200")
    assert hubspot.associations("deals", deal_id, "companies") == {company["id"]}
    assert pending_changes(store) == 0


def test_records_made_in_the_crm_arrive_with_their_company(
    store: Store, hubspot: FakeHubSpot
) -> None:
    company = hubspot.seed("companies", {"name": "Globex", "domain": "GLOBEX.com"})
    person = hubspot.seed("contacts", {"firstname": "Lee", "lastname": "Ng",
                                       "email": "lee@globex.com"})  # fmt: skip
    hubspot.associate("contacts", person, "companies", company)
    deal = hubspot.seed("deals", {"dealname": "Upgrade", "amount": "5000",
                                  "dealstage": "qualifiedtobuy", "pipeline": "default"})  # fmt: skip
    hubspot.associate("deals", deal, "companies", company)
    note = hubspot.seed("notes", {"hs_note_body": "Called Lee.",
                                  "hs_timestamp": "2026-11-02T10:00:00.000Z"})  # fmt: skip
    hubspot.associate("notes", note, "companies", company)
    report = run_sync(store, hubspot)
    assert report.created_locally == 4
    (account,) = catalog.accounts.find(store, name="Globex")
    assert account.domain == "globex.com"  # canonical: lower case
    (contact,) = catalog.contacts.find(store, account_id=account.id)
    assert (contact.first_name, contact.email) == ("Lee", "lee@globex.com")
    (opportunity,) = catalog.opportunities.find(store, account_id=account.id)
    assert (opportunity.amount_cents, opportunity.stage.value) == (5000_00, "qualified")
    (note_row,) = catalog.notes.find(store, account_id=account.id)
    assert note_row.body == "Called Lee." and note_row.occurred_at.hour == 10
    again = run_sync(store, hubspot)
    assert again.created_locally == 0 and again.created_remotely == 0  # no duplicates


def test_the_merge_table_field_by_field(store: Store, hubspot: FakeHubSpot) -> None:
    made = portfolio(store)
    run_sync(store, hubspot)
    company = remote_of(store, "account", made["account"])
    # remote only: taken; local only: pushed; both differently: conflict; both alike: converged
    edit_remotely(hubspot, "companies", company, {"industry": "Energy", "name": "Acme Corp"})
    catalog.accounts.update(store, made["account"], {"domain": "acme.io", "name": "ACME Inc"})
    contact = remote_of(store, "contact", made["contact"])
    edit_remotely(hubspot, "contacts", contact, {"jobtitle": "CEO"})
    catalog.contacts.update(store, made["contact"], {"title": "CEO"})
    writes = hubspot.write_count()
    report = run_sync(store, hubspot)
    account = catalog.accounts.get(store, made["account"])
    assert account.industry == "Energy"  # theirs, untouched here
    assert account.name == "ACME Inc"  # mine stays while the conflict is open
    remote = hubspot.record("companies", company)
    assert remote is not None and remote["properties"]["domain"] == "acme.io"  # mine, pushed
    assert remote["properties"]["name"] == "Acme Corp"  # the conflicting value was not pushed
    assert report.conflicts == 1
    (conflict,) = list_conflicts(store)
    assert (conflict.field, conflict.base, conflict.local, conflict.remote) == (
        "name", "Acme", "ACME Inc", "Acme Corp")  # fmt: skip
    assert hubspot.write_count() - writes == 1  # one batch update: domain only
    assert pending_changes(store) == 1  # the conflicting name waits
    resolve(store, conflict.id, "local")
    run_sync(store, hubspot)
    remote = hubspot.record("companies", company)
    assert remote is not None and remote["properties"]["name"] == "ACME Inc"
    assert list_conflicts(store) == [] and pending_changes(store) == 0


def test_taking_theirs_settles_a_conflict_locally(store: Store, hubspot: FakeHubSpot) -> None:
    made = portfolio(store)
    run_sync(store, hubspot)
    edit_remotely(hubspot, "companies", remote_of(store, "account", made["account"]),
                  {"name": "Theirs"})  # fmt: skip
    catalog.accounts.update(store, made["account"], {"name": "Mine"})
    run_sync(store, hubspot)
    (conflict,) = list_conflicts(store)
    resolve(store, conflict.id, "remote")
    assert catalog.accounts.get(store, made["account"]).name == "Theirs"
    writes = hubspot.write_count()
    run_sync(store, hubspot)
    assert hubspot.write_count() == writes  # nothing left to send


def test_archives_travel_both_ways_and_a_deleted_edited_record_is_asked_about(
    store: Store, hubspot: FakeHubSpot
) -> None:
    made = portfolio(store)
    second = catalog.contacts.create(store, {"account_id": made["account"], "last_name": "Two"}).id
    run_sync(store, hubspot)
    # archived in the CRM, untouched here: archived here
    delete_remotely(hubspot, "contacts", remote_of(store, "contact", made["contact"]))
    # archived in the CRM, edited here: a conflict, nothing lost
    delete_remotely(hubspot, "deals", remote_of(store, "opportunity", made["opportunity"]))
    catalog.opportunities.update(store, made["opportunity"], {"name": "Renamed here"})
    # archived here: archived in the CRM
    catalog.contacts.archive(store, second)
    run_sync(store, hubspot)
    assert catalog.contacts.get(store, made["contact"]).archived_at is not None
    assert catalog.opportunities.get(store, made["opportunity"]).name == "Renamed here"
    (conflict,) = list_conflicts(store)
    assert conflict.kind == "deleted_remotely" and conflict.field is None
    remote = hubspot.record("contacts", remote_of(store, "contact", second))
    assert remote is not None and remote["archived"] is True


def test_a_create_whose_answer_is_lost_is_found_not_duplicated(
    store: Store, hubspot: FakeHubSpot
) -> None:
    portfolio(store)
    hubspot.add_faults([{"method": "POST", "path_regex": "/companies/batch/create", "times": 1,
                         "status": 503, "drop_connection": True, "after_commit": True}])  # fmt: skip
    report = run_sync(store, hubspot)
    assert len(hubspot.records("companies")) == 1  # created once, adopted by its uid
    assert report.created_remotely == 3
    with store.raw() as connection:
        assert connection.execute("SELECT count(*) FROM sync_outbox").fetchone()[0] == 0


def test_429_storms_and_server_errors_are_waited_out(store: Store, hubspot: FakeHubSpot) -> None:
    portfolio(store)
    hubspot.add_faults([
        {"method": "GET", "path_regex": "/crm/v3/objects/companies", "times": 3, "status": 429},
        {"method": "POST", "path_regex": "/contacts/batch/create", "times": 4, "status": 429},
        {"method": "GET", "path_regex": "/crm/v3/objects/deals", "times": 2, "status": 503},
    ])  # fmt: skip
    report = run_sync(store, hubspot)
    assert report.created_remotely == 3
    assert len(hubspot.records("contacts")) == 1


def test_a_sync_with_nothing_changed_writes_nothing(store: Store, hubspot: FakeHubSpot) -> None:
    portfolio(store)
    run_sync(store, hubspot)
    hubspot.advance_clock(600_000)
    writes = hubspot.write_count()
    report = run_sync(store, hubspot)
    assert hubspot.write_count() == writes
    assert (report.pulled, report.pushed, report.created_remotely) == (0, 0, 0)


def test_edits_made_while_offline_wait_in_the_database(store: Store, hubspot: FakeHubSpot) -> None:
    made = portfolio(store)
    run_sync(store, hubspot)
    catalog.accounts.update(store, made["account"], {"industry": "Media"})
    catalog.accounts.update(store, made["account"], {"industry": "Film"})  # coalesces
    with store.raw() as connection:
        rows = connection.execute("SELECT field, base FROM sync_change").fetchall()
    assert rows == [("industry", '"Retail"')]  # one row, the agreed value as base
    catalog.accounts.update(store, made["account"], {"industry": "Retail"})  # back to base
    assert pending_changes(store) == 0
