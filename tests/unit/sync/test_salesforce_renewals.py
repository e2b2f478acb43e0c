"""Renewals made in Salesforce (issue 18): an Opportunity of a renewal Type that is not linked
here becomes the renewal of the account's contract ending nearest its CloseDate; with no such
contract it stays an expansion opportunity and the sync report says why, in words."""

from __future__ import annotations

from datetime import date

from am_desktop.services import catalog
from am_desktop.services.renewals import add_contract
from am_desktop.services.store import Store
from tests.support.fake_salesforce import FakeSalesforce
from tests.support.sync_kit import remote_of
from tests.support.sync_kit import sync_salesforce as sync


def renewal_of(store: Store, contract_id: int) -> int:
    with store.raw() as connection:
        return int(
            connection.execute(
                "SELECT id FROM renewal WHERE contract_id = ?", (contract_id,)
            ).fetchone()[0]
        )


def test_a_salesforce_renewal_links_to_the_contract_ending_nearest_its_close_date(
    store: Store, org: FakeSalesforce
) -> None:
    account = catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"}).id
    this_term = add_contract(store, account, date(2026, 1, 1))
    next_term = add_contract(store, account, date(2027, 1, 1))
    catalog.renewals.update(store, renewal_of(store, this_term), {"close_date": date(2026, 12, 31)})
    company = org.seed("Account", {"Name": "Acme", "Website": "acme.com"})
    deal = org.seed("Opportunity", {"Name": "Acme renewal 2027", "Type": "Renewal",
                                    "StageName": "Negotiation/Review", "Amount": 48000,
                                    "CloseDate": "2027-12-20", "AccountId": company})  # fmt: skip
    report = sync(store, org)
    assert report.problems == []
    assert remote_of(store, "renewal", renewal_of(store, next_term)) == deal
    renewal = catalog.renewals.get(store, renewal_of(store, next_term))
    assert (renewal.close_date, renewal.proposed_arr_cents) == (date(2027, 12, 20), 48_000_00)
    assert catalog.opportunities.find(store, account_id=account) == []  # not an opportunity
    # The other term's renewal was sent as a new Opportunity; the matched one was not doubled.
    opportunities = org.live("Opportunity")
    assert len(opportunities) == 2
    assert remote_of(store, "renewal", renewal_of(store, this_term)) != deal


def test_a_salesforce_renewal_without_a_contract_here_stays_an_opportunity_and_says_so(
    store: Store, org: FakeSalesforce
) -> None:
    account = catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"}).id
    company = org.seed("Account", {"Name": "Acme", "Website": "acme.com"})
    org.seed("Opportunity", {"Name": "Acme renewal", "Type": "Existing Customer - Replacement",
                             "StageName": "Prospecting", "Amount": 1000,
                             "CloseDate": "2027-06-30", "AccountId": company})  # fmt: skip
    report = sync(store, org)
    (problem,) = report.problems
    assert "“Acme renewal”" in problem and "kept here as an expansion opportunity" in problem
    (opportunity,) = catalog.opportunities.find(store, account_id=account)
    assert (opportunity.name, opportunity.amount_cents) == ("Acme renewal", 1000_00)
    assert sync(store, org).problems == []  # said once: it is linked now


def test_a_renewal_without_a_close_date_is_created_closing_when_its_term_ends(
    store: Store, org: FakeSalesforce
) -> None:
    """Salesforce requires CloseDate; a renewal not given one closes with its contract."""
    account = catalog.accounts.create(store, {"name": "Acme", "domain": "acme.com"}).id
    term = add_contract(store, account, date(2026, 3, 1))
    renewal = renewal_of(store, term)
    assert catalog.renewals.get(store, renewal).close_date is None
    report = sync(store, org)
    assert report.problems == []
    remote = org.record("Opportunity", str(remote_of(store, "renewal", renewal)))
    ends = catalog.contracts.get(store, term).end_date
    assert remote["CloseDate"] == ends.isoformat()
    assert sync(store, org).problems == []  # and the next run has nothing to undo
