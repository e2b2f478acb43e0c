"""What the CRM sync tests share: a connector and a run against the local HubSpot server, a
record's remote id, and edits made by "another user" through the API."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import httpx

from am_desktop.services import catalog
from am_desktop.services.store import Store
from am_desktop.services.sync.connector import Connector
from am_desktop.services.sync.engine import SyncEngine, SyncReport
from am_desktop.services.sync.http import CrmHttp, RetryPolicy
from am_desktop.services.sync.hubspot import HubSpotConnector
from am_desktop.services.sync.salesforce import SalesforceConnector
from am_desktop.services.sync.tokens import TokenSource
from tests.support.fake_hubspot import FakeHubSpot
from tests.support.fake_salesforce import FakeSalesforce

TOKEN = "test-token"


def portfolio(store: Store) -> dict[str, int]:
    """An account with a contact and an expansion opportunity, made here."""
    account = catalog.accounts.create(
        store, {"name": "Acme", "domain": "acme.com", "industry": "Retail"}
    ).id
    contact = catalog.contacts.create(
        store, {"account_id": account, "first_name": "Ada", "last_name": "Byron",
                "email": "ada@acme.com", "title": "CFO"},
    ).id  # fmt: skip
    opportunity = catalog.opportunities.create(
        store, {"account_id": account, "name": "More seats", "amount_cents": 1_200_00,
                "close_date": date(2026, 12, 15)},
    ).id  # fmt: skip
    return {"account": account, "contact": contact, "opportunity": opportunity}


#: Another user of the same portal (the fake accepts it too).
OTHER = {"Authorization": "Bearer other-token"}


def connector(server: FakeHubSpot, token: str = TOKEN) -> HubSpotConnector:
    """A connector that retries at once (tests need not wait out a backoff)."""
    policy = RetryPolicy(base=0.001, cap=0.01, attempts=6, timeout=5)
    return HubSpotConnector(CrmHttp(server.url, token, policy=policy, sleep=lambda _s: None))


def run_sync(store: Store, server: FakeHubSpot, crm: Connector | None = None) -> SyncReport:
    crm = crm or connector(server)
    try:
        return SyncEngine(store, crm).run()
    finally:
        crm.close()


def remote_of(store: Store, obj: str, local_id: int) -> str:
    """The CRM id of a linked local record."""
    with store.raw() as connection:
        row = connection.execute(
            "SELECT remote_id FROM sync_link WHERE obj = ? AND local_id = ?", (obj, local_id)
        ).fetchone()
    assert row is not None, f"{obj} {local_id} is not linked"
    return str(row[0])


def edit_remotely(server: FakeHubSpot, kind: str, record_id: str, props: dict[str, str]) -> None:
    response = httpx.patch(f"{server.url}/crm/v3/objects/{kind}/{record_id}",
                           json={"properties": props}, headers=OTHER)  # fmt: skip
    assert response.status_code == 200, response.text


def delete_remotely(server: FakeHubSpot, kind: str, record_id: str) -> None:
    response = httpx.delete(f"{server.url}/crm/v3/objects/{kind}/{record_id}", headers=OTHER)
    assert response.status_code == 204, response.text


def salesforce_connector(
    org: FakeSalesforce,
    token: str | TokenSource = TOKEN,
    stages: Mapping[str, Mapping[str, str]] | None = None,
) -> Connector:
    """A Salesforce connector that retries at once (``stages``: as chosen in Preferences)."""
    policy = RetryPolicy(base=0.001, cap=0.01, attempts=6, timeout=5)
    http = CrmHttp(org.url, token, policy=policy, sleep=lambda _s: None)
    return SalesforceConnector(http, stages=stages)


def sync_salesforce(store: Store, org: FakeSalesforce) -> SyncReport:
    """One run against the local Salesforce server."""
    crm = salesforce_connector(org)
    try:
        return SyncEngine(store, crm).run()
    finally:
        crm.close()


def opportunity_in(store: Store, currency: str, amount: int) -> tuple[int, int]:
    """An account and its opportunity of ``amount`` minor units, both in ``currency``."""
    account = catalog.accounts.create(
        store, {"name": "Acme", "domain": "acme.com", "currency": currency}
    ).id
    made = catalog.opportunities.create(
        store, {"account_id": account, "name": "More seats", "amount_cents": amount,
                "close_date": date(2026, 12, 15), "currency": currency},
    ).id  # fmt: skip
    return account, made


def stored_money(store: Store, opportunity: int) -> tuple[int, str]:
    """An opportunity's amount (minor units) and currency as stored."""
    with store.raw() as connection:
        row = connection.execute(
            "SELECT amount_cents, currency FROM opportunity WHERE id = ?", (opportunity,)
        ).fetchone()
    return int(row[0]), str(row[1])
