"""Contract tests for tests/support/fake_hubspot.py (SYNC.md §1 and §5).

The sync engine is only ever tested against this fake, so its answers must keep HubSpot's shapes
and rules: if the fake drifts, the engine's tests pass against a CRM that does not exist.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.support.fake_hubspot import FakeHubSpot

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
OBJECT_KEYS = {"id", "properties", "createdAt", "updatedAt", "archived"}
BATCH_KEYS = {"status", "results", "startedAt", "completedAt"}
ERROR_KEYS = {"status", "message", "correlationId", "category"}
V3 = "/crm/v3/objects"


@pytest.fixture(scope="module")
def server() -> Iterator[FakeHubSpot]:
    fake = FakeHubSpot()
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def hub(server: FakeHubSpot) -> FakeHubSpot:
    server.reset()
    return server


@pytest.fixture(scope="module")
def api(server: FakeHubSpot) -> Iterator[httpx.Client]:
    with httpx.Client(
        base_url=server.url, headers={"Authorization": "Bearer test-token"}, timeout=5
    ) as client:
        yield client


def assert_error(response: httpx.Response, status: int, category: str) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body.keys() >= ERROR_KEYS
    assert body["status"] == "error"
    assert body["category"] == category
    uuid.UUID(body["correlationId"])
    return body


def create(api: httpx.Client, object_type: str, **properties: str) -> dict[str, Any]:
    response = api.post(f"{V3}/{object_type}", json={"properties": properties})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def search(api: httpx.Client, object_type: str, **body: Any) -> httpx.Response:
    return api.post(f"{V3}/{object_type}/search", json=body)


def ids(body: dict[str, Any]) -> list[str]:
    return [r["id"] for r in body["results"]]


# ------------------------------------------------------------------ golden shapes
def test_created_record_is_a_simple_public_object(hub: FakeHubSpot, api: httpx.Client) -> None:
    response = api.post(
        f"{V3}/companies", json={"properties": {"name": "Acme", "annualrevenue": "1200000"}}
    )
    assert response.status_code == 201
    assert response.headers["content-type"].startswith("application/json")
    for header in ("Max", "Remaining", "Interval-Milliseconds"):
        assert f"x-hubspot-ratelimit-{header.lower()}" in response.headers
    body = response.json()
    assert set(body) == OBJECT_KEYS
    assert body["archived"] is False
    assert ISO_MS.match(body["createdAt"]) and ISO_MS.match(body["updatedAt"])
    props = body["properties"]
    assert props["hs_object_id"] == body["id"]
    assert {"createdate", "hs_lastmodifieddate", "name", "domain"} <= props.keys()
    assert all(v is None or isinstance(v, str) for v in props.values())
    assert props["annualrevenue"] == "1200000"
    assert hub.record("companies", body["id"])["properties"]["name"] == "Acme"  # type: ignore[index]


def test_list_pages_with_an_opaque_cursor(hub: FakeHubSpot, api: httpx.Client) -> None:
    seeded = hub.seed_many("contacts", [{"email": f"p{i}@x.test"} for i in range(25)])
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 10, "properties": "email,jobtitle"}
    pages = 0
    while True:
        body = api.get(f"{V3}/contacts", params=params).json()
        pages += 1
        seen += ids(body)
        assert all(set(r) == OBJECT_KEYS for r in body["results"])
        assert "jobtitle" in body["results"][0]["properties"]
        if "paging" not in body:
            break
        assert set(body["paging"]["next"]) == {"after", "link"}
        params["after"] = body["paging"]["next"]["after"]
    assert pages == 3
    assert seen == seeded


def test_batch_read_answers_207_for_missing_ids(hub: FakeHubSpot, api: httpx.Client) -> None:
    first = hub.seed("deals", {"dealname": "Renewal", "amount": "10"})
    ok = api.post(f"{V3}/deals/batch/read", json={"inputs": [{"id": first}]})
    assert ok.status_code == 200
    assert set(ok.json()) == BATCH_KEYS
    assert ok.json()["status"] == "COMPLETE"
    partial = api.post(
        f"{V3}/deals/batch/read",
        json={"inputs": [{"id": first}, {"id": "999999"}], "properties": ["dealname"]},
    )
    assert partial.status_code == 207
    body = partial.json()
    assert set(body) == BATCH_KEYS | {"errors", "numErrors"}
    assert ids(body) == [first] and body["numErrors"] == 1
    assert body["errors"][0]["category"] == "OBJECT_NOT_FOUND"
    assert body["errors"][0]["context"]["ids"] == ["999999"]


def test_search_answer_shape_and_integer_paging(hub: FakeHubSpot, api: httpx.Client) -> None:
    hub.seed_many("companies", [{"name": f"Co {i}", "industry": "Retail"} for i in range(5)])
    body = search(api, "companies", limit=2, after="2").json()
    assert set(body) == {"total", "results", "paging"}
    assert body["total"] == 5 and len(body["results"]) == 2
    assert body["paging"] == {"next": {"after": "4"}}
    last = search(api, "companies", limit=2, after="4").json()
    assert "paging" not in last and len(last["results"]) == 1


def test_unknown_record_is_an_error_object(api: httpx.Client) -> None:
    body = assert_error(api.get(f"{V3}/contacts/424242"), 404, "OBJECT_NOT_FOUND")
    assert body["message"]


# ------------------------------------------------------------------ auth
def test_requests_without_a_valid_token_get_401(server: FakeHubSpot, api: httpx.Client) -> None:
    bare = httpx.get(f"{server.url}{V3}/contacts")
    body = assert_error(bare, 401, "INVALID_AUTHENTICATION")
    assert body["message"] == "Authentication credentials not found."
    wrong = httpx.get(f"{server.url}{V3}/contacts", headers={"Authorization": "Bearer nope"})
    assert_error(wrong, 401, "INVALID_AUTHENTICATION")
    other = httpx.get(f"{server.url}{V3}/contacts", headers={"Authorization": "Bearer other-token"})
    assert other.status_code == 200


def test_expired_token_is_told_apart(hub: FakeHubSpot, api: httpx.Client) -> None:
    hub.expired_tokens = {"test-token"}
    assert_error(api.get(f"{V3}/contacts"), 401, "EXPIRED_AUTHENTICATION")


# ------------------------------------------------------------------ validation and uniqueness
def test_duplicate_am_uid_conflicts(hub: FakeHubSpot, api: httpx.Client) -> None:
    first = create(api, "companies", name="A", am_uid="uid-1")
    duplicate = api.post(f"{V3}/companies", json={"properties": {"name": "B", "am_uid": "uid-1"}})
    body = assert_error(duplicate, 409, "CONFLICT")
    assert body["message"].endswith(f"Existing ID: {first['id']}")
    assert len(hub.records("companies")) == 1


def test_duplicate_contact_email_conflicts_case_insensitively(api: httpx.Client) -> None:
    first = create(api, "contacts", email="ann@example.com")
    duplicate = api.post(f"{V3}/contacts", json={"properties": {"email": "Ann@Example.com"}})
    body = assert_error(duplicate, 409, "CONFLICT")
    assert body["message"] == f"Contact already exists. Existing ID: {first['id']}"


def test_note_needs_hs_timestamp(hub: FakeHubSpot, api: httpx.Client) -> None:
    missing = api.post(f"{V3}/notes", json={"properties": {"hs_note_body": "call"}})
    body = assert_error(missing, 400, "VALIDATION_ERROR")
    assert body["errors"][0]["context"]["propertyName"] == ["hs_timestamp"]
    assert hub.records("notes") == []
    note = create(api, "notes", hs_note_body="call", hs_timestamp="1793491200000")
    assert note["properties"]["hs_timestamp"] == "2026-11-01T00:00:00.000Z"


@pytest.mark.parametrize(
    ("name", "code"),
    [("hs_lastmodifieddate", "READ_ONLY_VALUE"), ("favourite_colour", "PROPERTY_DOESNT_EXIST")],
)
def test_read_only_and_unknown_properties_are_refused(
    hub: FakeHubSpot, api: httpx.Client, name: str, code: str
) -> None:
    response = api.post(f"{V3}/contacts", json={"properties": {"email": "x@y.z", name: "1"}})
    body = assert_error(response, 400, "VALIDATION_ERROR")
    assert body["errors"] == [
        {"message": body["errors"][0]["message"], "code": code, "context": {"propertyName": [name]}}
    ]
    assert hub.records("contacts") == []


def test_list_limit_over_100_is_refused(api: httpx.Client) -> None:
    assert_error(api.get(f"{V3}/contacts", params={"limit": 101}), 400, "VALIDATION_ERROR")
    assert api.get(f"{V3}/contacts", params={"limit": 100}).status_code == 200


def test_search_cannot_page_past_10000(api: httpx.Client) -> None:
    assert_error(search(api, "contacts", limit=200, after="9900"), 400, "VALIDATION_ERROR")
    assert_error(search(api, "contacts", limit=201), 400, "VALIDATION_ERROR")
    assert search(api, "contacts", limit=200, after="9800").status_code == 200


def test_more_than_100_batch_inputs_are_refused(hub: FakeHubSpot, api: httpx.Client) -> None:
    inputs = [{"properties": {"name": f"C{i}"}} for i in range(101)]
    response = api.post(f"{V3}/companies/batch/create", json={"inputs": inputs})
    assert_error(response, 400, "VALIDATION_ERROR")
    assert hub.records("companies") == []


# ------------------------------------------------------------------ archive, search, batch
def test_archived_records_leave_search_but_list_with_archived_true(
    hub: FakeHubSpot, api: httpx.Client
) -> None:
    keep = hub.seed("companies", {"name": "Keep"})
    gone = hub.seed("companies", {"name": "Gone"})
    assert api.delete(f"{V3}/companies/{gone}").status_code == 204
    assert api.delete(f"{V3}/companies/{gone}").status_code == 204  # repeatable
    assert ids(search(api, "companies").json()) == [keep]
    assert ids(api.get(f"{V3}/companies").json()) == [keep]
    archived = api.get(f"{V3}/companies", params={"archived": "true"}).json()
    assert ids(archived) == [gone]
    assert archived["results"][0]["archived"] is True
    assert ISO_MS.match(archived["results"][0]["archivedAt"])
    assert api.get(f"{V3}/companies/{gone}").status_code == 404
    assert api.get(f"{V3}/companies/{gone}", params={"archived": "true"}).status_code == 200


def test_batch_read_by_am_uid_live_and_archived(hub: FakeHubSpot, api: httpx.Client) -> None:
    live = hub.seed("contacts", {"email": "l@x.test", "am_uid": "L"})
    dead = hub.seed("contacts", {"email": "d@x.test", "am_uid": "D"}, archived=True)
    body = {"idProperty": "am_uid", "inputs": [{"id": "L"}, {"id": "D"}], "properties": ["am_uid"]}
    found = api.post(f"{V3}/contacts/batch/read", json=body).json()
    assert ids(found) == [live]
    assert found["results"][0]["properties"]["am_uid"] == "L"
    assert found["errors"][0]["context"]["ids"] == ["D"]
    gone = api.post(f"{V3}/contacts/batch/read", params={"archived": "true"}, json=body).json()
    assert ids(gone) == [dead]


def test_upsert_reports_new_and_is_idempotent(hub: FakeHubSpot, api: httpx.Client) -> None:
    body = {
        "inputs": [
            {
                "id": "uid-9",
                "idProperty": "am_uid",
                "properties": {"name": "Nine", "domain": "n.io"},
            }
        ]
    }
    first = api.post(f"{V3}/companies/batch/upsert", json=body)
    assert first.status_code == 200
    assert first.json()["results"][0]["new"] is True
    assert first.json()["results"][0]["properties"]["am_uid"] == "uid-9"
    again = api.post(f"{V3}/companies/batch/upsert", json=body).json()
    assert again["results"][0]["new"] is False
    assert ids(again) == ids(first.json())
    assert len(hub.records("companies")) == 1


def test_batch_create_fails_whole_batch_without_trace_ids(
    hub: FakeHubSpot, api: httpx.Client
) -> None:
    inputs: list[dict[str, Any]] = [
        {"properties": {"email": "ok@x.test"}},
        {"properties": {"email": "bad@x.test", "nope": "1"}},
    ]
    whole = api.post(f"{V3}/contacts/batch/create", json={"inputs": inputs})
    assert_error(whole, 400, "VALIDATION_ERROR")
    assert hub.records("contacts") == []
    for n, item in enumerate(inputs):
        item["objectWriteTraceId"] = f"t{n}"
    partial = api.post(f"{V3}/contacts/batch/create", json={"inputs": inputs})
    assert partial.status_code == 207
    body = partial.json()
    assert body["numErrors"] == 1 and body["errors"][0]["objectWriteTraceId"] == "t1"
    assert [r["properties"]["email"] for r in body["results"]] == ["ok@x.test"]
    assert len(hub.records("contacts")) == 1


def test_batch_update_applies_found_and_reports_missing(
    hub: FakeHubSpot, api: httpx.Client
) -> None:
    a = hub.seed("deals", {"dealname": "A"})
    inputs = [{"id": a, "properties": {"amount": "5"}}]
    assert api.post(f"{V3}/deals/batch/update", json={"inputs": inputs}).status_code == 200
    inputs.append({"id": "77", "properties": {"amount": "6"}})
    mixed = api.post(f"{V3}/deals/batch/update", json={"inputs": inputs})
    assert mixed.status_code == 207
    assert mixed.json()["errors"][0]["context"]["ids"] == ["77"]
    assert hub.record("deals", a)["properties"]["amount"] == "5"  # type: ignore[index]


def test_patch_by_am_uid_clears_with_empty_string(hub: FakeHubSpot, api: httpx.Client) -> None:
    rid = hub.seed("contacts", {"email": "p@x.test", "jobtitle": "CTO", "am_uid": "P"})
    before = hub.record("contacts", rid)["updatedAt"]  # type: ignore[index]
    response = api.patch(
        f"{V3}/contacts/P", params={"idProperty": "am_uid"}, json={"properties": {"jobtitle": ""}}
    )
    assert response.status_code == 200
    assert response.json()["properties"]["jobtitle"] is None
    after = hub.record("contacts", rid)
    assert after is not None and after["properties"]["jobtitle"] is None
    assert after["updatedAt"] > before


@pytest.mark.parametrize(
    ("flt", "expected"),
    [
        ({"propertyName": "email", "operator": "EQ", "value": "B@X.TEST"}, ["b"]),
        ({"propertyName": "email", "operator": "NEQ", "value": "b@x.test"}, ["a", "c"]),
        ({"propertyName": "jobtitle", "operator": "IN", "values": ["cto", "ceo"]}, ["a", "b"]),
        ({"propertyName": "jobtitle", "operator": "NOT_IN", "values": ["cto"]}, ["b", "c"]),
        ({"propertyName": "phone", "operator": "HAS_PROPERTY"}, ["c"]),
        ({"propertyName": "phone", "operator": "NOT_HAS_PROPERTY"}, ["a", "b"]),
        ({"propertyName": "email", "operator": "CONTAINS_TOKEN", "value": "*@x.test"}, ["a", "b"]),
        ({"propertyName": "lastname", "operator": "CONTAINS_TOKEN", "value": "smi*"}, ["c"]),
        ({"propertyName": "hs_object_id", "operator": "GT", "value": "1001"}, ["b", "c"]),
        (
            {
                "propertyName": "createdate",
                "operator": "BETWEEN",
                "value": "2026-11-01T00:00:00.002Z",
                "highValue": "1793491200003",
            },
            ["b", "c"],
        ),
        (
            {"propertyName": "hs_lastmodifieddate", "operator": "LTE", "value": "1793491200001"},
            ["a"],
        ),
    ],
)
def test_search_operators(
    hub: FakeHubSpot, api: httpx.Client, flt: dict[str, Any], expected: list[str]
) -> None:
    by_id = {
        hub.seed("contacts", {"email": "a@x.test", "jobtitle": "CTO"}): "a",
        hub.seed("contacts", {"email": "b@x.test", "jobtitle": "CEO"}): "b",
        hub.seed("contacts", {"email": "c@y.test", "phone": "1", "lastname": "Van Smith"}): "c",
    }
    body = search(api, "contacts", filterGroups=[{"filters": [flt]}]).json()
    assert [by_id[i] for i in ids(body)] == expected
    assert body["total"] == len(expected)


def test_search_sorts_and_or_groups(hub: FakeHubSpot, api: httpx.Client) -> None:
    small = hub.seed("deals", {"dealname": "small", "amount": "9"})
    big = hub.seed("deals", {"dealname": "big", "amount": "100"})
    hub.seed("deals", {"dealname": "other", "amount": "50"})
    groups = [
        {"filters": [{"propertyName": "dealname", "operator": "EQ", "value": "small"}]},
        {"filters": [{"propertyName": "amount", "operator": "GTE", "value": "100"}]},
    ]
    sorts = [{"propertyName": "amount", "direction": "DESCENDING"}]
    assert ids(search(api, "deals", filterGroups=groups, sorts=sorts).json()) == [big, small]
    assert ids(search(api, "deals", filterGroups=groups, sorts=["amount"]).json()) == [small, big]
    two = search(api, "deals", sorts=["amount", "dealname"])
    assert_error(two, 400, "VALIDATION_ERROR")


def test_search_lag_hides_fresh_writes(hub: FakeHubSpot, api: httpx.Client) -> None:
    old = hub.seed("companies", {"name": "Old"})
    hub.set_search_lag(1000)
    hub.advance_clock(1000)
    fresh = create(api, "companies", name="Fresh")["id"]
    assert ids(search(api, "companies").json()) == [old]
    hub.advance_clock(1000)
    assert ids(search(api, "companies").json()) == [old, fresh]


def test_clock_is_strictly_increasing_unless_same_millisecond(
    hub: FakeHubSpot, api: httpx.Client
) -> None:
    stamps = [create(api, "companies", name=f"C{i}")["updatedAt"] for i in range(3)]
    assert stamps == sorted(set(stamps)) and stamps[0] == "2026-11-01T00:00:00.001Z"
    hub.same_millisecond = True
    pair = [create(api, "companies", name=f"D{i}")["updatedAt"] for i in range(2)]
    assert pair[0] == pair[1]
    hub.advance_clock(60_000)
    assert create(api, "companies", name="E")["updatedAt"] == "2026-11-01T00:01:00.003Z"


# ------------------------------------------------------------------ associations
def test_association_round_trip_and_reverse(hub: FakeHubSpot, api: httpx.Client) -> None:
    contact = hub.seed("contacts", {"email": "a@x.test"})
    company = hub.seed("companies", {"name": "Acme"})
    put = api.put(f"/crm/v4/objects/contacts/{contact}/associations/default/companies/{company}")
    assert put.status_code == 200
    specs = {r["associationSpec"]["associationTypeId"] for r in put.json()["results"]}
    assert specs == {279, 280}
    reverse = api.get(f"/crm/v4/objects/companies/{company}/associations/contacts").json()
    assert reverse["results"] == [
        {
            "toObjectId": int(contact),
            "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 280, "label": None}],
        }
    ]
    assert hub.associations("companies", company, "contacts") == {contact}
    read = api.post(
        "/crm/v4/associations/contacts/companies/batch/read", json={"inputs": [{"id": contact}]}
    ).json()
    assert read["results"][0]["to"][0]["associationTypes"][0]["typeId"] == 279
    delete = api.delete(f"/crm/v4/objects/companies/{company}/associations/contacts/{contact}")
    assert delete.status_code == 204
    assert hub.associations("contacts", contact, "companies") == set()


def test_note_created_with_inline_associations(hub: FakeHubSpot, api: httpx.Client) -> None:
    contact = hub.seed("contacts", {"email": "a@x.test"})
    deal = hub.seed("deals", {"dealname": "D"})
    types = [{"associationCategory": "HUBSPOT_DEFINED", "associationTypeId": 202}]
    note = api.post(
        f"{V3}/notes",
        json={
            "properties": {"hs_note_body": "hi", "hs_timestamp": "2026-11-01T09:00:00Z"},
            "associations": [
                {"to": {"id": contact}, "types": types},
                {"to": {"id": deal}, "types": [types[0] | {"associationTypeId": 214}]},
            ],
        },
    )
    assert note.status_code == 201
    nid = note.json()["id"]
    assert hub.associations("contacts", contact, "notes") == {nid}
    assert hub.associations("notes", nid, "deals") == {deal}
    listed = api.get(f"{V3}/notes", params={"associations": "contacts"}).json()["results"][0]
    assert listed["associations"]["contacts"]["results"] == [
        {"id": contact, "type": "note_to_contact"}
    ]
    bad = api.post(
        f"{V3}/notes",
        json={
            "properties": {"hs_timestamp": "1"},
            "associations": [{"to": {"id": "999"}, "types": types}],
        },
    )
    assert_error(bad, 400, "VALIDATION_ERROR")


def test_association_edits_bump_modified_only_when_switched_on(
    hub: FakeHubSpot, api: httpx.Client
) -> None:
    contact = hub.seed("contacts", {"email": "a@x.test"})
    company = hub.seed("companies", {"name": "Acme"})
    before = hub.record("contacts", contact)["updatedAt"]  # type: ignore[index]
    path = f"/crm/v4/objects/contacts/{contact}/associations/default/companies/{company}"
    api.put(path)
    assert hub.record("contacts", contact)["updatedAt"] == before  # type: ignore[index]
    hub.associations_bump_modified = True
    api.delete(path.replace("/default", ""))
    assert hub.record("contacts", contact)["updatedAt"] > before  # type: ignore[index]


# ------------------------------------------------------------------ faults and limits
def test_injected_429_carries_retry_after_then_clears(hub: FakeHubSpot, api: httpx.Client) -> None:
    hub.add_faults(
        [{"method": "GET", "path_regex": "/contacts$", "times": 1, "status": 429, "retry_after": 2}]
    )
    limited = api.get(f"{V3}/contacts")
    assert limited.status_code == 429
    assert limited.headers["retry-after"] == "2"
    assert limited.json()["policyName"] == "TEN_SECONDLY_ROLLING"
    assert api.get(f"{V3}/contacts").status_code == 200


def test_503_once_through_the_admin_api(hub: FakeHubSpot, api: httpx.Client) -> None:
    rule = {"method": "POST", "path_regex": r"/companies$", "times": 1, "status": 503}
    assert api.post("/__admin/faults", json={"rules": [rule]}).status_code == 200
    failed = api.post(f"{V3}/companies", json={"properties": {"name": "A"}})
    assert failed.status_code == 503
    assert hub.records("companies") == []
    assert api.post(f"{V3}/companies", json={"properties": {"name": "A"}}).status_code == 201


def test_after_commit_drop_loses_the_response_not_the_write(
    hub: FakeHubSpot, api: httpx.Client
) -> None:
    hub.add_faults(
        [
            {
                "method": "POST",
                "path_regex": "/contacts$",
                "drop_connection": True,
                "after_commit": True,
            }
        ]
    )
    with pytest.raises(httpx.TransportError):
        api.post(f"{V3}/contacts", json={"properties": {"email": "lost@x.test", "am_uid": "U1"}})
    stored = hub.records("contacts")
    assert [r["properties"]["am_uid"] for r in stored] == ["U1"]
    lookup = api.post(
        f"{V3}/contacts/batch/read", json={"idProperty": "am_uid", "inputs": [{"id": "U1"}]}
    )
    assert ids(lookup.json()) == [stored[0]["id"]]
    assert hub.requests[0]["status"] == 0


def test_drop_before_commit_writes_nothing(hub: FakeHubSpot, api: httpx.Client) -> None:
    hub.add_faults([{"method": "POST", "path_regex": "/companies$", "drop_connection": True}])
    with pytest.raises(httpx.TransportError):
        api.post(f"{V3}/companies", json={"properties": {"name": "never"}})
    assert hub.records("companies") == []


def test_ten_secondly_rate_limit(hub: FakeHubSpot, api: httpx.Client) -> None:
    hub.set_limits(per_ten_seconds=3, retry_after=1)
    statuses = [api.get(f"{V3}/companies").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = api.get(f"{V3}/companies")
    assert limited.json()["policyName"] == "TEN_SECONDLY_ROLLING"
    assert limited.json()["errorType"] == "RATE_LIMIT"
    assert limited.headers["retry-after"] == "1"
    assert limited.headers["x-hubspot-ratelimit-remaining"] == "0"
    assert limited.headers["x-hubspot-ratelimit-max"] == "3"


def test_search_and_daily_limits(hub: FakeHubSpot, api: httpx.Client) -> None:
    hub.set_limits(search_per_second=2)
    statuses = [search(api, "contacts").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    limited = search(api, "contacts")
    assert "x-hubspot-ratelimit-max" not in limited.headers  # search sends no limit headers
    assert api.get(f"{V3}/contacts").status_code == 200  # search has its own window
    hub.set_limits(daily=2)
    assert [api.get(f"{V3}/deals").status_code for _ in range(3)] == [200, 200, 429]
    assert api.get(f"{V3}/deals").json()["policyName"] == "DAILY"


# ------------------------------------------------------------------ bookkeeping
def test_request_log_and_write_count(hub: FakeHubSpot, api: httpx.Client) -> None:
    rid = hub.seed("companies", {"name": "A"})
    api.get(f"{V3}/companies", params={"limit": 5})
    search(api, "companies")
    api.post(f"{V3}/companies/batch/read", json={"inputs": [{"id": rid}]})
    assert hub.write_count() == 0
    api.patch(f"{V3}/companies/{rid}", json={"properties": {"name": "B"}})
    assert hub.write_count() == 1
    assert all(set(r) == {"method", "path", "query", "status"} for r in hub.requests)
    assert hub.requests[0] == {
        "method": "GET",
        "path": f"{V3}/companies",
        "query": "limit=5",
        "status": 200,
    }


def test_history_shows_who_wrote(hub: FakeHubSpot, api: httpx.Client, server: FakeHubSpot) -> None:
    rid = hub.seed("contacts", {"email": "h@x.test", "jobtitle": "A"})
    httpx.patch(
        f"{server.url}{V3}/contacts/{rid}",
        headers={"Authorization": "Bearer other-token"},
        json={"properties": {"jobtitle": "B"}},
    ).raise_for_status()
    body = api.get(f"{V3}/contacts/{rid}", params={"propertiesWithHistory": "jobtitle"}).json()
    history = body["propertiesWithHistory"]["jobtitle"]
    assert [h["value"] for h in history] == ["B", "A"]
    assert [h["sourceType"] for h in history] == ["CRM_UI", "IMPORT"]


def test_type_ids_and_seed_many(hub: FakeHubSpot, api: httpx.Client) -> None:
    rows = [{"email": f"s{i}@x.test", "am_uid": f"s{i}"} for i in range(2000)]
    seeded = hub.seed_many("contacts", rows)
    assert len(seeded) == 2000 and [int(i) for i in seeded] == sorted(int(i) for i in seeded)
    assert search(api, "0-1").json()["total"] == 2000
    with pytest.raises(ValueError, match="Existing ID"):
        hub.seed_many("contacts", [{"am_uid": "s5"}])
    with pytest.raises(ValueError, match="unknown"):
        hub.seed_many("contacts", [{"shoe_size": "9"}])
