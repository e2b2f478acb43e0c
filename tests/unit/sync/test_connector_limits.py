"""The HubSpot connector at HubSpot's edges: the search's 10,000-result cap, a refused token,
the daily quota, and canonical values that keep formatting from looking like change (issue 8)."""

from __future__ import annotations

import pytest

from am_desktop.errors import SyncError, SyncErrorKind
from am_desktop.services.sync.connector import RemoteRecord
from tests.support.fake_hubspot import FakeHubSpot
from tests.support.sync_kit import connector


def test_an_incremental_pull_gets_past_the_search_cap(hubspot: FakeHubSpot) -> None:
    ids = hubspot.seed_many(
        "companies", ({"name": f"C{n}", "domain": f"c{n}.example"} for n in range(10_450))
    )
    crm = connector(hubspot)
    seen = [r.remote_id for page in crm.changed("companies", 0) for r in page]
    crm.close()
    assert len(seen) == len(set(seen)) == len(ids)  # all of them, none twice


def test_a_refused_token_stops_the_run_in_words(hubspot: FakeHubSpot) -> None:
    crm = connector(hubspot, token="wrong")
    with pytest.raises(SyncError, match="log in again") as caught:
        list(crm.changed("companies", None))
    crm.close()
    assert caught.value.kind is SyncErrorKind.AUTH
    assert "wrong" not in str(caught.value)


def test_the_daily_quota_stops_the_run(hubspot: FakeHubSpot) -> None:
    hubspot.set_limits(daily=1)
    crm = connector(hubspot)
    with pytest.raises(SyncError, match="tomorrow") as caught:
        crm.archived_ids("companies")
        crm.archived_ids("contacts")
    crm.close()
    assert caught.value.kind is SyncErrorKind.QUOTA


def test_formatting_is_not_a_change(hubspot: FakeHubSpot) -> None:
    crm = connector(hubspot)
    record = RemoteRecord(
        "1",
        {"dealname": "Seats", "amount": "1200.0", "closedate": "2026-12-15T00:00:00.000Z",
         "dealstage": "qualifiedtobuy"},
        0,
    )  # fmt: skip
    assert crm.fields("opportunity", record) == {
        "name": "Seats", "amount_cents": 120000, "close_date": "2026-12-15", "stage": "qualified",
    }  # fmt: skip
    company = RemoteRecord("2", {"name": " Acme ", "domain": "https://www.ACME.com/"}, 0)
    assert crm.fields("account", company) == {"name": "Acme", "domain": "acme.com"}
    other_pipeline = RemoteRecord("3", {"dealstage": "custom-stage-7"}, 0)
    assert "stage" not in crm.fields("opportunity", other_pipeline)  # no opinion, no change
    crm.close()


def test_cancel_wakes_a_run_waiting_out_a_retry_after(hubspot: FakeHubSpot) -> None:
    import threading
    import time

    from am_desktop.domain.cancel import CancelToken
    from am_desktop.errors import Cancelled
    from am_desktop.services.sync.http import CrmHttp

    hubspot.add_faults([{"method": "GET", "path_regex": "companies", "times": 1, "status": 429,
                         "retry_after": 30}])  # fmt: skip
    cancel = CancelToken()
    http = CrmHttp(hubspot.url, "test-token", cancelled=cancel.raise_if_cancelled,
                   sleep=cancel.wait)  # fmt: skip
    threading.Timer(0.2, cancel.cancel).start()
    began = time.monotonic()
    with pytest.raises(Cancelled):
        http.request("GET", "/crm/v3/objects/companies")
    http.close()
    assert time.monotonic() - began < 5  # not the 30 s the CRM asked for
