"""CRM sync in currencies (issue 20): HubSpot's ``deal_currency_code`` and Salesforce's
``CurrencyIsoCode`` (multi-currency orgs only) carry a deal's currency both ways; amounts are
exact in the currency's minor units; a code no currency has is a per-record error in words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from am_desktop.services import catalog
from am_desktop.services.store import Store
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


@pytest.mark.parametrize(("currency", "amount", "written"), [("EUR", 1_234_50, "1234.50"),
                                                             ("JPY", 150_000, "150000")])  # fmt: skip
def test_hubspot_deals_push_and_pull_their_currency(
    store: Store, hubspot: FakeHubSpot, currency: str, amount: int, written: str
) -> None:
    _, made = opportunity_in(store, currency, amount)
    assert run_sync(store, hubspot).problems == []
    deal = remote_of(store, "opportunity", made)
    props = hubspot.record("deals", deal)["properties"]  # type: ignore[index]
    assert (props["deal_currency_code"], float(props["amount"])) == (currency, float(written))
    edit_remotely(hubspot, "deals", deal, {"amount": "2000", "deal_currency_code": currency})
    assert run_sync(store, hubspot).problems == []
    minor = 2000 * (1 if currency == "JPY" else 100)
    assert stored_money(store, made) == (minor, currency)
    catalog.opportunities.update(store, made, {"amount_cents": minor + 7})
    assert run_sync(store, hubspot).problems == []
    props = hubspot.record("deals", deal)["properties"]  # type: ignore[index]
    sent = "2007" if currency == "JPY" else "2000.07"
    assert (float(props["amount"]), props["deal_currency_code"]) == (float(sent), currency)


def test_a_hubspot_deal_in_another_currency_arrives_in_it(
    store: Store, hubspot: FakeHubSpot
) -> None:
    account, _ = opportunity_in(store, "EUR", 100_00)
    run_sync(store, hubspot)
    company = remote_of(store, "account", account)
    deal = hubspot.seed("deals", {"dealname": "Tokyo office", "amount": "300000",
                                  "deal_currency_code": "JPY", "dealstage": "qualifiedtobuy"})  # fmt: skip
    hubspot.associate("deals", deal, "companies", company)
    assert run_sync(store, hubspot).problems == []
    (made,) = [o for o in catalog.opportunities.find(store, account_id=account)
               if o.name == "Tokyo office"]  # fmt: skip
    assert stored_money(store, made.id) == (300_000, "JPY")


def test_an_unknown_currency_is_a_per_record_error_in_words(
    store: Store, hubspot: FakeHubSpot
) -> None:
    account, made = opportunity_in(store, "EUR", 100_00)
    run_sync(store, hubspot)
    company = remote_of(store, "account", account)
    odd = hubspot.seed("deals", {"dealname": "Odd", "amount": "5", "deal_currency_code": "EURO",
                                 "dealstage": "qualifiedtobuy"})  # fmt: skip
    hubspot.associate("deals", odd, "companies", company)
    report = run_sync(store, hubspot)
    assert len(report.problems) == 1
    assert f"({odd}) was skipped" in report.problems[0]
    assert "'EURO' is not a currency code (ISO 4217, e.g. EUR)" in report.problems[0]
    assert stored_money(store, made) == (100_00, "EUR")  # the rest synced as ever


@pytest.fixture
def multi_org() -> Iterator[FakeSalesforce]:
    """A multi-currency org, its corporate currency USD."""
    with FakeSalesforce(TOKEN, currencies=("USD", "EUR", "JPY")) as server:
        yield server


def test_a_multi_currency_org_gets_and_gives_currency_iso_code(
    store: Store, multi_org: FakeSalesforce
) -> None:
    account, made = opportunity_in(store, "JPY", 150_000)
    assert sync_salesforce(store, multi_org).problems == []
    (row,) = multi_org.records["Opportunity"].values()
    assert (row["Amount"], row["CurrencyIsoCode"]) == (150000, "JPY")
    (company,) = multi_org.records["Account"].values()
    assert company["CurrencyIsoCode"] == "JPY"
    multi_org.offset_ms += 1000
    multi_org.seed("Opportunity", {"Name": "Berlin", "Amount": 1234.5, "StageName": "Qualification",
                                   "CloseDate": "2026-12-01", "AccountId": company["Id"],
                                   "CurrencyIsoCode": "EUR"})  # fmt: skip
    assert sync_salesforce(store, multi_org).problems == []
    berlin = next(o for o in catalog.opportunities.find(store, account_id=account)
                  if o.name == "Berlin")  # fmt: skip
    assert stored_money(store, berlin.id) == (1234_50, "EUR")
    assert stored_money(store, made) == (150_000, "JPY")


def test_a_single_currency_org_has_no_currency_field_amounts_take_the_accounts(
    store: Store, org: FakeSalesforce
) -> None:
    account, made = opportunity_in(store, "JPY", 150_000)
    assert sync_salesforce(store, org).problems == []
    (row,) = org.records["Opportunity"].values()
    assert row["Amount"] == 150000 and "CurrencyIsoCode" not in row
    (company,) = org.records["Account"].values()
    org.offset_ms += 1000
    org.seed("Opportunity", {"Name": "Osaka", "Amount": 98000, "StageName": "Qualification",
                             "CloseDate": "2026-12-01", "AccountId": company["Id"]})  # fmt: skip
    org.edit("Opportunity", row["Id"], {"Amount": 151000})
    assert sync_salesforce(store, org).problems == []
    osaka = next(o for o in catalog.opportunities.find(store, account_id=account)
                 if o.name == "Osaka")  # fmt: skip
    assert stored_money(store, osaka.id) == (98_000, "JPY")
    assert stored_money(store, made) == (151_000, "JPY")


def test_salesforce_unknown_currency_is_a_per_record_error(
    store: Store, multi_org: FakeSalesforce
) -> None:
    account, _ = opportunity_in(store, "USD", 100_00)
    sync_salesforce(store, multi_org)
    (company,) = multi_org.records["Account"].values()
    multi_org.offset_ms += 1000
    odd = multi_org.seed("Opportunity", {"Name": "Odd", "Amount": 5, "StageName": "Qualification",
                                         "CloseDate": "2026-12-01", "AccountId": company["Id"],
                                         "CurrencyIsoCode": "XXY"})  # fmt: skip
    report = sync_salesforce(store, multi_org)
    assert len(report.problems) == 1 and odd in report.problems[0]
    assert "'XXY' is not a currency code" in report.problems[0]
    assert [o.name for o in catalog.opportunities.find(store, account_id=account)] == ["More seats"]
