"""What the CRM may send that this app cannot use (issue 14 item 6): a value no record here may
hold is that record's problem, reported in words and skipped; an answer of the wrong shape
stops the run cleanly, keeping what was applied."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from am_desktop.errors import SyncError
from am_desktop.services import catalog
from am_desktop.services.store import Store
from am_desktop.services.sync import state as st
from tests.support.fake_hubspot import FakeHubSpot, to_ms
from tests.support.sync_kit import connector, edit_remotely, remote_of, run_sync


def _deal(hubspot: FakeHubSpot, company: str, name: str, **props: str) -> str:
    hubspot.advance_clock(1_000)
    deal = hubspot.seed("deals", {"dealname": name, "dealstage": "appointmentscheduled", **props})
    hubspot.associate("deals", deal, "companies", company)
    return deal


def _deal_names(store: Store) -> set[str]:
    return {o.name for o in catalog.opportunities.find(store)}


@pytest.mark.parametrize(
    ("props", "words"),
    [
        ({"amount": "NaN"}, "amount 'NaN' is not a number"),
        ({"amount": "Infinity"}, "amount 'Infinity' is not a number"),
        ({"amount": "1e30"}, "larger than the largest amount"),
        ({"closedate": "2300-01-01"}, "outside the years 1900–2200"),
    ],
)
def test_a_deal_with_a_value_this_app_cannot_hold_is_reported_and_skipped(
    store: Store, hubspot: FakeHubSpot, props: dict[str, str], words: str
) -> None:
    company = hubspot.seed("companies", {"name": "Acme"})
    run_sync(store, hubspot)  # the cursor is set: later deals come through the search
    bad = _deal(hubspot, company, "Bad", **props)
    _deal(hubspot, company, "Good after it", amount="1200")
    report = run_sync(store, hubspot)
    assert any(bad in p and words in p for p in report.problems), report.problems
    assert _deal_names(store) == {"Good after it"}
    with store.raw() as connection:  # the cursor passed it: it is not read again forever
        cursor = st.get_state(connection, "cursor:hubspot:deals")
    bad_modified = to_ms(str((hubspot.record("deals", bad) or {})["updatedAt"]))
    assert cursor is not None and bad_modified is not None and int(cursor) > bad_modified
    assert run_sync(store, hubspot) is not None  # later syncs do not die on it
    edit_remotely(hubspot, "deals", bad, {"amount": "250", "closedate": "2027-01-01"})
    report = run_sync(store, hubspot)  # corrected there: taken at once
    assert not report.problems
    assert _deal_names(store) == {"Good after it", "Bad"}
    by_name = {o.name: o for o in catalog.opportunities.find(store)}
    assert by_name["Bad"].amount_cents == 250_00
    assert remote_of(store, "opportunity", by_name["Bad"].id) == bad


def test_a_first_pull_skips_a_bad_amount_and_takes_the_rest(
    store: Store, hubspot: FakeHubSpot
) -> None:
    company = hubspot.seed("companies", {"name": "Acme"})
    _deal(hubspot, company, "Bad", amount="NaN")
    _deal(hubspot, company, "Good", amount="10")
    report = run_sync(store, hubspot)
    assert _deal_names(store) == {"Good"}
    assert any("amount 'NaN' is not a number" in p for p in report.problems)


def _json_answer(method: str, path: str, text: str) -> httpx.Response:
    return httpx.Response(200, content=text.encode(), headers={"Content-Type": "application/json"},
                          request=httpx.Request(method, "http://127.0.0.1" + path))  # fmt: skip


def _answering(crm: Any, path_part: str, body: Any) -> None:
    """The CRM answers ``body`` (200) to the first request whose path contains ``path_part``."""
    original = crm.http.request
    fired = False

    def request(method: str, path: str, **kwargs: Any) -> httpx.Response:
        nonlocal fired
        if not fired and path_part in path:
            fired = True
            return _json_answer(method, path, json.dumps(body))
        response: httpx.Response = original(method, path, **kwargs)
        return response

    crm.http.request = request


@pytest.mark.parametrize(
    "body",
    [
        [1, 2, 3],
        None,
        {"results": [{"properties": {"name": "No id"}}]},
        {"results": "many"},
        {"results": [7]},
    ],
    ids=["list", "null", "no-id", "results-text", "results-number"],
)
def test_an_answer_of_the_wrong_shape_stops_the_run_cleanly(
    store: Store, hubspot: FakeHubSpot, body: Any
) -> None:
    hubspot.seed("companies", {"name": "Acme"})
    run_sync(store, hubspot)
    hubspot.advance_clock(1_000)
    hubspot.seed("companies", {"name": "Beta"})
    with store.raw() as connection:
        before = st.get_state(connection, "cursor:hubspot:companies")
    crm = connector(hubspot)
    _answering(crm, "/companies/search", body)
    with pytest.raises(SyncError, match="The CRM answered something unexpected"):
        run_sync(store, hubspot, crm)
    with store.raw() as connection:  # nothing read was lost: the cursor did not move
        assert st.get_state(connection, "cursor:hubspot:companies") == before
    assert {a.name for a in catalog.accounts.find(store)} == {"Acme"}
    run_sync(store, hubspot)  # the CRM is itself again: the record comes through
    assert {a.name for a in catalog.accounts.find(store)} == {"Acme", "Beta"}


def test_a_wrong_shape_on_a_later_page_keeps_the_pages_applied(
    store: Store, hubspot: FakeHubSpot
) -> None:
    hubspot.seed_many("companies", ({"name": f"C{n}"} for n in range(150)))  # two list pages
    crm = connector(hubspot)
    original = crm.http.request
    calls = 0

    def request(method: str, path: str, **kwargs: Any) -> httpx.Response:
        nonlocal calls
        if path == "/crm/v3/objects/companies" and (kwargs.get("params") or {}).get("after"):
            calls += 1
            return _json_answer(method, path, "null")
        response: httpx.Response = original(method, path, **kwargs)
        return response

    crm.http.request = request  # type: ignore[method-assign]
    with pytest.raises(SyncError, match="The CRM answered something unexpected"):
        run_sync(store, hubspot, crm)
    assert calls == 1
    assert len(catalog.accounts.find(store)) == 100  # the first page is kept
    with store.raw() as connection:  # a first pull sets no cursor until it is complete
        assert st.get_state(connection, "cursor:hubspot:companies") is None
    run_sync(store, hubspot)
    assert len(catalog.accounts.find(store)) == 150
