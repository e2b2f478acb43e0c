"""A currency changed here is a sync change of its own (issue 20, migration 0012): it reaches
the CRM at the next sync with the record's amounts rewritten in its units, not only with the
next amount edit; a CRM without a currency field gets no currency and no alarm; a currency
changed on both sides is a field conflict like any other, and the amounts wait with it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from am_desktop.services import catalog
from am_desktop.services.renewals import add_contract
from am_desktop.services.store import Store
from am_desktop.services.sync.conflicts import list_conflicts, resolve
from am_desktop.services.sync.engine import pending_changes
from tests.support.fake_hubspot import FakeHubSpot
from tests.support.fake_salesforce import FakeSalesforce
from tests.support.sync_kit import (
    TOKEN,
    edit_remotely,
    opportunity_in,
    remote_of,
    run_sync,
    stored_money,
    sync_salesforce,
)


def _eur_opportunity(store: Store, amount: int = 1_234_50) -> tuple[int, int]:
    return opportunity_in(store, "EUR", amount)


def _deal(hubspot: FakeHubSpot, store: Store, opportunity: int) -> dict[str, str]:
    record = hubspot.record("deals", remote_of(store, "opportunity", opportunity))
    assert record is not None
    return record["properties"]  # type: ignore[no-any-return]


@pytest.fixture
def multi_org() -> Iterator[FakeSalesforce]:
    """A multi-currency org, its corporate currency USD."""
    with FakeSalesforce(TOKEN, currencies=("USD", "EUR", "GBP", "JPY")) as server:
        yield server


@pytest.mark.parametrize(("currency", "amount"), [("GBP", 1234.5), ("JPY", 123450)])
def test_a_currency_changed_here_reaches_hubspot_with_the_amount_in_its_units(
    store: Store, hubspot: FakeHubSpot, currency: str, amount: float
) -> None:
    _, made = _eur_opportunity(store)
    assert run_sync(store, hubspot).problems == []
    catalog.opportunities.update(store, made, {"currency": currency})
    assert pending_changes(store) == 1  # recorded as a change, though no amount changed
    report = run_sync(store, hubspot)
    assert report.problems == [] and report.conflicts == 0 and report.pushed == 1
    props = _deal(hubspot, store, made)
    assert (props["deal_currency_code"], float(props["amount"])) == (currency, amount)
    assert pending_changes(store) == 0
    assert stored_money(store, made) == (1_234_50, currency)  # the next pull changes nothing
    run_sync(store, hubspot)
    assert stored_money(store, made) == (1_234_50, currency)


def test_a_currency_changed_back_leaves_nothing_to_send(store: Store, hubspot: FakeHubSpot) -> None:
    _, made = _eur_opportunity(store)
    run_sync(store, hubspot)
    catalog.opportunities.update(store, made, {"currency": "GBP"})
    catalog.opportunities.update(store, made, {"currency": "EUR"})
    assert pending_changes(store) == 0


def test_a_multi_currency_org_gets_a_changed_account_and_opportunity_currency(
    store: Store, multi_org: FakeSalesforce
) -> None:
    account, made = _eur_opportunity(store)
    assert sync_salesforce(store, multi_org).problems == []
    catalog.accounts.update(store, account, {"currency": "GBP"})
    catalog.opportunities.update(store, made, {"currency": "GBP"})
    assert pending_changes(store) == 2
    report = sync_salesforce(store, multi_org)
    assert report.problems == [] and report.conflicts == 0
    company = multi_org.record("Account", remote_of(store, "account", account))
    assert company["CurrencyIsoCode"] == "GBP"
    deal = multi_org.record("Opportunity", remote_of(store, "opportunity", made))
    assert (deal["CurrencyIsoCode"], deal["Amount"]) == ("GBP", 1234.5)
    assert pending_changes(store) == 0
    assert catalog.accounts.get(store, account).currency == "GBP"


def test_a_renewals_changed_currency_reaches_a_multi_currency_org(
    store: Store, multi_org: FakeSalesforce
) -> None:
    account = catalog.accounts.create(store, {"name": "Acme"}).id
    contract = add_contract(store, account, date(2026, 1, 1))
    with store.raw() as connection:
        (renewal,) = connection.execute(
            "SELECT id FROM renewal WHERE contract_id = ?", (contract,)
        ).fetchone()
    catalog.renewals.update(store, renewal, {"proposed_arr_cents": 48_000_00})
    assert sync_salesforce(store, multi_org).problems == []
    with store.raw(write=True) as connection:  # the app has no edit for it: a script's
        connection.execute("UPDATE renewal SET currency = 'JPY' WHERE id = ?", (renewal,))
    report = sync_salesforce(store, multi_org)
    assert report.problems == [] and report.conflicts == 0
    deal = multi_org.record("Opportunity", remote_of(store, "renewal", renewal))
    assert (deal["CurrencyIsoCode"], deal["Amount"]) == ("JPY", 4800000)
    assert pending_changes(store) == 0


def test_a_one_currency_org_is_sent_no_currency_and_nothing_alarming_is_said(
    store: Store, org: FakeSalesforce
) -> None:
    account, made = _eur_opportunity(store)
    assert sync_salesforce(store, org).problems == []
    catalog.accounts.update(store, account, {"currency": "GBP"})
    catalog.opportunities.update(store, made, {"currency": "GBP"})
    writes = org.writes()
    report = sync_salesforce(store, org)
    assert report.problems == [] and report.conflicts == 0
    company = org.record("Account", remote_of(store, "account", account))
    deal = org.record("Opportunity", remote_of(store, "opportunity", made))
    assert "CurrencyIsoCode" not in company and "CurrencyIsoCode" not in deal
    assert deal["Amount"] == 1234.5  # the amount, in the new currency's units
    assert org.writes() - writes == 1  # the opportunity's amount; nothing for the account
    assert pending_changes(store) == 0
    again = sync_salesforce(store, org)
    assert again.problems == [] and again.pushed == 0
    assert catalog.accounts.get(store, account).currency == "GBP"  # the org never says otherwise
    assert stored_money(store, made) == (1_234_50, "GBP")


def test_a_one_currency_org_reads_its_amounts_in_the_agreed_currency_until_the_new_one_is_sent(
    store: Store, org: FakeSalesforce
) -> None:
    _, made = _eur_opportunity(store)
    sync_salesforce(store, org)
    deal = remote_of(store, "opportunity", made)
    catalog.opportunities.update(store, made, {"currency": "JPY"})
    org.offset_ms += 1000
    org.edit("Opportunity", deal, {"Name": "Even more seats"})  # pulled before the push
    assert sync_salesforce(store, org).problems == []
    assert stored_money(store, made) == (1_234_50, "JPY")  # not 1235 yen read from "1234.5"
    assert org.record("Opportunity", deal)["Amount"] == 123450


def test_a_currency_changed_on_both_sides_is_a_field_conflict_and_the_amount_waits(
    store: Store, hubspot: FakeHubSpot
) -> None:
    _, made = _eur_opportunity(store)
    run_sync(store, hubspot)
    deal = remote_of(store, "opportunity", made)
    edit_remotely(hubspot, "deals", deal, {"deal_currency_code": "USD", "dealname": "Seats+"})
    catalog.opportunities.update(store, made, {"currency": "GBP", "amount_cents": 2_000_00})
    report = run_sync(store, hubspot)
    assert report.conflicts == 1 and report.problems == []
    (conflict,) = list_conflicts(store)
    assert (conflict.field, conflict.base, conflict.local, conflict.remote) == (
        "currency", "EUR", "GBP", "USD")  # fmt: skip
    assert stored_money(store, made) == (2_000_00, "GBP")  # mine stays while the conflict is open
    props = _deal(hubspot, store, made)
    assert (props["deal_currency_code"], float(props["amount"])) == ("USD", 1234.5)  # waits too
    assert props["dealname"] == "Seats+"
    assert catalog.opportunities.get(store, made).name == "Seats+"  # the other field merged
    resolve(store, conflict.id, "local")
    assert run_sync(store, hubspot).conflicts == 0
    props = _deal(hubspot, store, made)
    assert (props["deal_currency_code"], float(props["amount"])) == ("GBP", 2000.0)
    assert list_conflicts(store) == [] and pending_changes(store) == 0


def test_the_same_currency_chosen_on_both_sides_converges(
    store: Store, hubspot: FakeHubSpot
) -> None:
    _, made = _eur_opportunity(store)
    run_sync(store, hubspot)
    edit_remotely(hubspot, "deals", remote_of(store, "opportunity", made),
                  {"deal_currency_code": "GBP"})  # fmt: skip
    catalog.opportunities.update(store, made, {"currency": "GBP"})
    report = run_sync(store, hubspot)
    assert report.conflicts == 0 and list_conflicts(store) == []
    assert pending_changes(store) == 0 and stored_money(store, made) == (1_234_50, "GBP")


def test_taking_their_amount_while_a_new_currency_waits_takes_their_currency_too(
    store: Store, hubspot: FakeHubSpot
) -> None:
    """The dialog shows theirs as EUR 1,500.00: taking it must not keep 150000 as yen."""
    _, made = _eur_opportunity(store)
    run_sync(store, hubspot)
    deal = remote_of(store, "opportunity", made)
    catalog.opportunities.update(store, made, {"currency": "JPY", "amount_cents": 2_000})
    edit_remotely(hubspot, "deals", deal, {"amount": "1500.00"})
    assert run_sync(store, hubspot).conflicts == 1
    (conflict,) = list_conflicts(store)
    assert (conflict.field, conflict.remote, conflict.currencies["remote"]) == (
        "amount_cents", 1_500_00, "EUR")  # fmt: skip
    resolve(store, conflict.id, "remote")
    assert stored_money(store, made) == (1_500_00, "EUR")
    assert pending_changes(store) == 0
    assert run_sync(store, hubspot).problems == []
    props = _deal(hubspot, store, made)
    assert (props["deal_currency_code"], float(props["amount"])) == ("EUR", 1500.0)


def test_taking_their_amount_in_a_currency_conflict_takes_their_currency(
    store: Store, hubspot: FakeHubSpot
) -> None:
    _, made = _eur_opportunity(store)
    run_sync(store, hubspot)
    deal = remote_of(store, "opportunity", made)
    edit_remotely(hubspot, "deals", deal, {"deal_currency_code": "USD", "amount": "1500.00"})
    catalog.opportunities.update(store, made, {"currency": "GBP", "amount_cents": 2_000_00})
    run_sync(store, hubspot)
    amount = next(c for c in list_conflicts(store) if c.field == "amount_cents")
    resolve(store, amount.id, "remote")
    assert stored_money(store, made) == (1_500_00, "USD")
    assert list_conflicts(store) == []  # the currency went with the amount
