"""An account's currency changed in the CRM changes what its ARR is in (issue 20): the
summary follows at once, as it does for an edit here, instead of showing the old currency's
sum under the new currency until the day changes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from am_desktop.services import catalog
from am_desktop.services.store import Store
from tests.support.fake_salesforce import FakeSalesforce
from tests.support.sync_kit import TOKEN, remote_of, sync_salesforce


@pytest.fixture
def multi_org() -> Iterator[FakeSalesforce]:
    with FakeSalesforce(TOKEN, currencies=("USD", "EUR", "JPY")) as server:
        yield server


def _summary_arr(store: Store, account: int) -> int | None:
    with store.raw() as connection:
        (arr,) = connection.execute(
            "SELECT arr_cents FROM account_summary WHERE account_id = ?", (account,)
        ).fetchone()
    return None if arr is None else int(arr)


def test_an_account_currency_pulled_from_the_crm_refreshes_its_arr(
    store: Store, multi_org: FakeSalesforce
) -> None:
    account = catalog.accounts.create(store, {"name": "Acme", "currency": "EUR"}).id
    catalog.movements.create(
        store,
        {"account_id": account, "occurred_on": date(2020, 1, 1), "type": "new",
         "amount_cents": 1_000_00, "currency": "EUR"},
    )  # fmt: skip
    assert sync_salesforce(store, multi_org).problems == []
    assert _summary_arr(store, account) == 1_000_00
    multi_org.edit("Account", remote_of(store, "account", account), {"CurrencyIsoCode": "JPY"})
    assert sync_salesforce(store, multi_org).problems == []
    assert catalog.accounts.get(store, account).currency == "JPY"
    # EUR 1,000.00 is not JPY 100,000: without a EUR -> JPY rate the ARR is unknown.
    assert _summary_arr(store, account) is None
