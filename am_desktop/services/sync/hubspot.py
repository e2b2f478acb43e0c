"""The HubSpot connector: CRM v3 objects, v4 associations (PRODUCT.md §5, SYNC.md §1; issue 8).

accounts ↔ companies, contacts ↔ contacts (with their company), renewals and expansion
opportunities ↔ deals (with their company), notes ↔ notes (with their company and attendees).
Every record we create carries our uid in the unique property ``am_uid``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from am_desktop.errors import SyncError, SyncErrorKind
from am_desktop.services.sync.connector import CreateItem, Deletions, RemoteRecord, WriteResult
from am_desktop.services.sync.fields import iso_moment, moment_ms
from am_desktop.services.sync.http import CrmHttp, error_message, json_of
from am_desktop.services.sync.mapping import PropertyMap, Unseen, chunks, unexpected

DEFAULT_BASE_URL = "https://api.hubapi.com"
UID = "am_uid"
BATCH = 100
SEARCH_PAGE = 200
#: HubSpot's search stops at 10,000 results: restart from the last time seen before that.
SEARCH_CAP = 10_000

TYPES = {
    "account": "companies",
    "contact": "contacts",
    "opportunity": "deals",
    "renewal": "deals",
    "note": "notes",
}
#: Local field -> HubSpot property.
PROPERTIES: dict[str, dict[str, str]] = {
    "account": {"name": "name", "domain": "domain", "industry": "industry"},
    "contact": {
        "first_name": "firstname",
        "last_name": "lastname",
        "email": "email",
        "title": "jobtitle",
        "phone": "phone",
    },
    "opportunity": {
        "name": "dealname",
        "amount_cents": "amount",
        "close_date": "closedate",
        "stage": "dealstage",
        "currency": "deal_currency_code",
    },
    "renewal": {
        "proposed_arr_cents": "amount",
        "close_date": "closedate",
        "stage": "dealstage",
        "currency": "deal_currency_code",
    },
    "note": {"body": "hs_note_body", "occurred_at": "hs_timestamp"},
}
#: Local stage -> HubSpot's default sales pipeline stage.
STAGES: dict[str, dict[str, str]] = {
    "opportunity": {
        "identified": "appointmentscheduled",
        "qualified": "qualifiedtobuy",
        "proposal": "presentationscheduled",
        "negotiation": "contractsent",
        "won": "closedwon",
        "lost": "closedlost",
    },
    "renewal": {
        "not_started": "appointmentscheduled",
        "discovery": "qualifiedtobuy",
        "proposal": "presentationscheduled",
        "negotiation": "decisionmakerboughtin",
        "committed": "contractsent",
        "renewed": "closedwon",
        "churned": "closedlost",
    },
}
#: (from type, to type) -> HubSpot-defined association type id.
ASSOCIATION_TYPES = {
    ("contacts", "companies"): 279,
    ("deals", "companies"): 341,
    ("notes", "companies"): 190,
    ("notes", "contacts"): 202,
}
#: Remote type -> the local kinds its associations point at, by remote type.
LINKED = {
    "contacts": {"companies": "account"},
    "deals": {"companies": "account"},
    "notes": {"companies": "account", "contacts": "contact"},
}
#: HubSpot type -> the local kind a link to it names.
KIND_OF = {"companies": "account", "contacts": "contact"}
_EXISTING = re.compile(r"Existing ID: ?(\d+)")


NAMES = PropertyMap(PROPERTIES, STAGES)


def _text_of(kind: str, value: Any) -> str:
    """A canonical value as HubSpot's text ("" clears)."""
    if value is None:
        return ""
    if kind in ("cents", "cents0"):
        return f"{int(value) / 100:.2f}"
    if kind == "decimal":  # an amount, exactly as its currency writes it
        return str(value)
    if kind == "moment":
        return iso_moment(int(value))
    return str(value)


def _body(response: Any) -> dict[str, Any]:
    """An answer's JSON, which must be an object."""
    body = json_of(response)
    if not isinstance(body, dict):
        raise unexpected(f"a {type(body).__name__} instead of an object")
    return body


def _results(body: Mapping[str, Any]) -> list[dict[str, Any]]:
    """An answer's ``results``: a list of objects (absent is none)."""
    results = body.get("results", [])
    if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
        raise unexpected("results that are not a list of records")
    return results


def _after(body: Mapping[str, Any]) -> str | None:
    """The paging cursor of the next page, if any."""
    paging = body.get("paging") or {}
    following = paging.get("next") if isinstance(paging, dict) else None
    after = following.get("after") if isinstance(following, dict) else None
    return str(after) if after not in (None, "") else None


def _modified(record: Mapping[str, Any]) -> int:
    props = record.get("properties") or {}
    value = props.get("hs_lastmodifieddate") or props.get("lastmodifieddate")
    return moment_ms(value or record.get("updatedAt")) or 0


def _remote(record: Mapping[str, Any]) -> RemoteRecord:
    """A record of an answer; SyncError if it is not shaped like one."""
    try:
        return _parse_remote(record)
    except (AttributeError, KeyError, TypeError, ValueError):
        raise unexpected("a record without the fields every record has") from None


def _parse_remote(record: Mapping[str, Any]) -> RemoteRecord:
    if record.get("id") in (None, ""):
        raise KeyError("id")
    props = dict(record.get("properties") or {})
    links: dict[str, list[str]] = {}
    for to_type, block in (record.get("associations") or {}).items():
        if to_type in KIND_OF:
            links[KIND_OF[to_type]] = [str(item["id"]) for item in block.get("results", [])]
    return RemoteRecord(
        remote_id=str(record["id"]),
        props=props,
        modified_ms=_modified(record),
        uid=props.get(UID) or None,
        archived=bool(record.get("archived")),
        links=links,
    )


class HubSpotConnector:
    """HubSpot through its public API (or the local test server)."""

    name = "hubspot"
    day_fields: Mapping[str, frozenset[str]] = {}
    stamp_ms = 1

    def __init__(self, http: CrmHttp) -> None:
        self.http = http

    def close(self) -> None:
        self.http.close()

    # -- reading ---------------------------------------------------------------------------

    def remote_type(self, obj: str) -> str:
        return TYPES[obj]

    def local_kind(self, remote_type: str, record: RemoteRecord) -> str:  # noqa: ARG002
        """Deals made in HubSpot are opportunities (its default pipeline has no renewals)."""
        return next(obj for obj, kind in TYPES.items() if kind == remote_type)

    def stage_values(self) -> list[str]:
        """None: HubSpot's deals use the default pipeline's stages (``STAGES``)."""
        return []

    def _properties(self, remote_type: str) -> list[str]:
        names = {UID, "hs_lastmodifieddate"}
        for obj, kind in TYPES.items():
            if kind == remote_type:
                names.update(PROPERTIES[obj].values())
        if remote_type == "deals":
            names.add("dealname")
        return sorted(names)

    def fields(
        self, obj: str, record: RemoteRecord, *, strict: bool = False, currency: str | None = None
    ) -> dict[str, Any]:
        return NAMES.read(obj, record.props, strict=strict, currency=currency)

    def changed(self, remote_type: str, since_ms: int | None) -> Iterator[list[RemoteRecord]]:
        if since_ms is None:
            yield from self._list(remote_type)
        else:
            yield from self._search(remote_type, since_ms)

    def _list(self, remote_type: str, *, archived: bool = False) -> Iterator[list[RemoteRecord]]:
        params: dict[str, Any] = {"limit": BATCH, "archived": str(archived).lower()}
        if not archived:
            params["properties"] = ",".join(self._properties(remote_type))
            if remote_type in LINKED:
                params["associations"] = ",".join(LINKED[remote_type])
        else:
            params["properties"] = "hs_object_id"
        after: str | None = None
        while True:
            query = {**params, **({"after": after} if after else {})}
            body = _body(self.http.request("GET", f"/crm/v3/objects/{remote_type}", params=query))
            yield [_remote(r) for r in _results(body)]
            after = _after(body)
            if not after:
                return

    def _search(self, remote_type: str, since_ms: int) -> Iterator[list[RemoteRecord]]:
        """Modified at or after ``since_ms``, oldest first, paged by time: each page restarts
        from the newest time seen (an offset would skip a record when a colleague's edit moves
        one already read to the end); records already seen are dropped."""
        prop = "lastmodifieddate" if remote_type == "contacts" else "hs_lastmodifieddate"
        unseen = Unseen()
        start, offset = since_ms, 0
        while True:
            body = _body(
                self.http.request(
                    "POST",
                    f"/crm/v3/objects/{remote_type}/search",
                    json={
                        "filterGroups": [
                            {
                                "filters": [
                                    {"propertyName": prop, "operator": "GTE", "value": str(start)}
                                ]
                            }
                        ],
                        "sorts": [{"propertyName": prop, "direction": "ASCENDING"}],
                        "properties": self._properties(remote_type),
                        "limit": SEARCH_PAGE,
                        "after": str(offset),
                    },
                )
            )
            page = [_remote(r) for r in _results(body)]
            fresh = unseen(page)
            if fresh:
                self._add_links(remote_type, fresh)
                yield fresh
            if not _after(body) or not page:
                return
            newest = max(r.modified_ms for r in page)
            if newest > start:
                start, offset = newest, 0
            else:  # a whole page shares one time: step through it
                offset += len(page)
                if offset + SEARCH_PAGE > SEARCH_CAP:
                    raise SyncError(
                        "More than 10,000 CRM records changed in the same millisecond; HubSpot's "
                        "search cannot page through them. Contact support.",
                        SyncErrorKind.SERVER,
                    )

    def _add_links(self, remote_type: str, records: list[RemoteRecord]) -> None:
        """Associations for records found by search (which does not return them)."""
        for to_type in LINKED.get(remote_type, {}):
            found = self._association_map(remote_type, to_type, [r.remote_id for r in records])
            for record in records:
                record.links[KIND_OF[to_type]] = found.get(record.remote_id, [])

    def _association_map(
        self, from_type: str, to_type: str, ids: Sequence[str]
    ) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for chunk in chunks(ids, BATCH):
            body = _body(
                self.http.request(
                    "POST",
                    f"/crm/v4/associations/{from_type}/{to_type}/batch/read",
                    json={"inputs": [{"id": i} for i in chunk]},
                )
            )
            try:
                for result in _results(body):
                    found[str(result["from"]["id"])] = [str(t["toObjectId"]) for t in result["to"]]
            except (KeyError, TypeError):
                raise unexpected("links without the records they join") from None
        return found

    def archived_ids(self, remote_type: str) -> set[str]:
        return {r.remote_id for page in self._list(remote_type, archived=True) for r in page}

    def deletions(self, remote_type: str, since_ms: int | None) -> Deletions:  # noqa: ARG002
        """HubSpot keeps archived records listable: every one, each time."""
        return Deletions(self.archived_ids(remote_type))

    def find_created(
        self,
        obj: str,
        items: Sequence[CreateItem],
        since_ms: int | None,  # noqa: ARG002 - the uid is unique: no need to narrow by time
    ) -> dict[int, RemoteRecord]:
        by_uid = {item.uid: item.local_id for item in items}
        found = self.find_by_uid(TYPES[obj], list(by_uid))
        return {by_uid[uid]: record for uid, record in found.items()}

    def read(self, remote_type: str, remote_ids: Sequence[str]) -> dict[str, RemoteRecord]:
        return self._batch_read(remote_type, list(remote_ids), None)

    def find_by_uid(self, remote_type: str, uids: Sequence[str]) -> dict[str, RemoteRecord]:
        found = self._batch_read(remote_type, list(uids), UID)
        return {r.uid: r for r in found.values() if r.uid}

    def _batch_read(
        self, remote_type: str, keys: list[str], id_property: str | None
    ) -> dict[str, RemoteRecord]:
        found: dict[str, RemoteRecord] = {}
        for chunk in chunks(keys, BATCH):
            payload: dict[str, Any] = {
                "inputs": [{"id": key} for key in chunk],
                "properties": self._properties(remote_type),
            }
            if id_property:
                payload["idProperty"] = id_property
            response = self.http.request(
                "POST", f"/crm/v3/objects/{remote_type}/batch/read", json=payload
            )
            for record in _results(_body(response)):
                remote = _remote(record)
                found[remote.remote_id] = remote
        return found

    # -- writing ---------------------------------------------------------------------------

    def properties_for(self, obj: str, fields: Mapping[str, Any]) -> dict[str, str]:
        """Canonical values as HubSpot properties (text; "" clears)."""
        props: dict[str, str] = NAMES.write(obj, fields, _text_of)
        if obj == "renewal" and "name" in fields:
            props["dealname"] = str(fields["name"])
        return props

    def create(self, obj: str, items: Sequence[CreateItem]) -> list[WriteResult]:
        remote_type = TYPES[obj]
        inputs = []
        for item in items:
            associations = [
                {"to": {"id": remote_id}, "types": [{"associationCategory": "HUBSPOT_DEFINED",
                 "associationTypeId": ASSOCIATION_TYPES[(remote_type, TYPES[kind])]}]}
                for kind, ids in item.links.items()
                if (remote_type, TYPES.get(kind)) in ASSOCIATION_TYPES for remote_id in ids
            ]  # fmt: skip
            props: dict[str, str] = {**self.properties_for(obj, item.fields), UID: item.uid}
            if remote_type == "deals":
                props.setdefault("pipeline", "default")  # on create only: keep theirs after
            inputs.append(
                {
                    "properties": props,
                    "associations": associations,
                    "objectWriteTraceId": str(item.local_id),
                }
            )
        response = self.http.request(
            "POST", f"/crm/v3/objects/{remote_type}/batch/create", json={"inputs": inputs},
            idempotent=False,
        )  # fmt: skip
        body = _body(response)
        by_uid = {item.uid: item.local_id for item in items}
        results: dict[int, WriteResult] = {}
        for record in (
            _results(body) if response.status_code < 300 or response.status_code == 207 else []
        ):
            remote = _remote(record)
            if remote.uid in by_uid:
                local_id = by_uid[remote.uid]
                results[local_id] = WriteResult(
                    local_id, True, remote.remote_id, remote.modified_ms
                )
        errors = body.get("errors", []) if response.status_code == 207 else []
        if not isinstance(errors, list) or not all(isinstance(e, dict) for e in errors):
            raise unexpected("errors that are not a list of errors")
        for error in errors:
            trace = (error.get("context") or {}).get("objectWriteTraceId") or []
            message = str(error.get("message", "refused"))
            existing = _EXISTING.search(message)
            for local_id in (int(t) for t in trace if str(t).isdigit()):
                results[local_id] = WriteResult(
                    local_id, bool(existing), existing.group(1) if existing else None, None,
                    message,
                )  # fmt: skip
        if response.status_code >= 400:
            message = error_message(response)
            existing = _EXISTING.search(message)
            if existing and len(items) == 1:
                return [WriteResult(items[0].local_id, True, existing.group(1), None, message)]
            return [WriteResult(item.local_id, False, message=message) for item in items]
        return [
            results.get(item.local_id, WriteResult(item.local_id, False, message="not created"))
            for item in items
        ]

    def update(
        self, obj: str, changes: Sequence[tuple[int, str, Mapping[str, Any]]]
    ) -> list[WriteResult]:
        remote_type = TYPES[obj]
        inputs = [
            {"id": remote_id, "properties": self.properties_for(obj, fields)}
            for _local, remote_id, fields in changes
        ]
        response = self.http.request(
            "POST", f"/crm/v3/objects/{remote_type}/batch/update", json={"inputs": inputs},
            idempotent=False,
        )  # fmt: skip
        if response.status_code >= 400:
            message = error_message(response)
            return [WriteResult(local, False, message=message) for local, _r, _f in changes]
        updated = [_remote(r) for r in _results(_body(response))]
        done = {r.remote_id: r.modified_ms for r in updated}
        return [
            WriteResult(
                local,
                remote_id in done,
                remote_id,
                done.get(remote_id),
                "" if remote_id in done else "not updated",
            )
            for local, remote_id, _fields in changes
        ]

    def archive(self, remote_type: str, remote_ids: Sequence[str]) -> None:
        for chunk in chunks(remote_ids, BATCH):
            response = self.http.request(
                "POST",
                f"/crm/v3/objects/{remote_type}/batch/archive",
                json={"inputs": [{"id": i} for i in chunk]},
            )
            _check(response, "archive")

    def relink(self, obj: str, remote_id: str, kind: str, old: str | None, new: str) -> None:
        from_type, to_type = TYPES[obj], TYPES[kind]
        base = f"/crm/v4/objects/{from_type}/{remote_id}/associations"
        _check(self.http.request("PUT", f"{base}/default/{to_type}/{new}"), "link")
        if old and old != new:
            response = self.http.request("DELETE", f"{base}/{to_type}/{old}")
            if response.status_code != 404:  # already gone is fine
                _check(response, "unlink")

    def set_links(self, obj: str, remote_id: str, kind: str, wanted: set[str]) -> None:
        from_type, to_type = TYPES[obj], TYPES[kind]
        base = f"/crm/v4/objects/{from_type}/{remote_id}/associations"
        body = _body(self.http.request("GET", f"{base}/{to_type}", params={"limit": 500}))
        try:
            current = {str(r["toObjectId"]) for r in _results(body)}
        except KeyError:
            raise unexpected("links without the records they join") from None
        for added in sorted(wanted - current):
            _check(self.http.request("PUT", f"{base}/default/{to_type}/{added}"), "link")
        for removed in sorted(current - wanted):
            response = self.http.request("DELETE", f"{base}/{to_type}/{removed}")
            if response.status_code != 404:
                _check(response, "unlink")


def _check(response: Any, what: str) -> None:
    """Refused (4xx other than 404 on a delete): stop with the CRM's words."""
    if response.status_code >= 400 and not (what == "archive" and response.status_code == 404):
        raise SyncError(
            f"The CRM refused to {what} a record: {error_message(response)}",
            SyncErrorKind.SERVER,
        )
