"""The Salesforce connector: REST API, SOQL pulls, sObject Collections writes (PRODUCT.md §5,
SYNC.md §2; issue 18). The mapping lives in salesforce_mapping.py, the SOQL in salesforce_soql.py.

The org is read once per run: the API version (the highest from v58.0), which fields each object
has and how long, the StageName and Type picklists, whether ``AM_Uid__c`` is an External ID
(then creates are upserts on it, safe to send again), whether Shared Activities is on
(TaskRelation) and who this app signs in as (to find its own creates whose answer was lost).
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from am_desktop.errors import SyncError, SyncErrorKind
from am_desktop.services.sync import salesforce_mapping as sfm
from am_desktop.services.sync import salesforce_soql as soql
from am_desktop.services.sync.connector import (
    CreateItem,
    Deletions,
    RemoteRecord,
    WriteResult,
)
from am_desktop.services.sync.fields import moment_ms
from am_desktop.services.sync.http import LOCKED_ROW, CrmHttp, error_message, json_of
from am_desktop.services.sync.mapping import PropertyMap, Unseen, chunks, unexpected

LOWEST_VERSION = (58, 0)
#: sObject Collections take at most 200 records a call.
BATCH = 200
#: Salesforce keeps its deletion log about 15 days; a first look goes back a day.
FIRST_LOOK_MS = 86_400_000
SOBJECTS = ("Account", "Contact", "Opportunity", "Task")


@dataclass(slots=True)
class Org:
    """What describe says about this org."""

    base: str
    user_id: str
    #: Object -> field -> its length (0 where not text).
    fields: dict[str, dict[str, int]]
    stages: dict[str, dict[str, str]]
    #: The StageName picklist, in the org's order.
    stage_values: list[str]
    types: list[str]
    shared_activities: bool
    external_ids: set[str] = field(default_factory=set)


class SalesforceConnector:
    """One Salesforce org through its REST API (or the local test server)."""

    name = "salesforce"
    day_fields: Mapping[str, frozenset[str]] = {"note": frozenset({"occurred_at"})}
    stamp_ms = 1000

    def __init__(
        self, http: CrmHttp, *, stages: Mapping[str, Mapping[str, str]] | None = None
    ) -> None:
        self.http = http
        self._given_stages = stages
        self._org: Org | None = None
        self._names: PropertyMap | None = None

    def close(self) -> None:
        self.http.close()

    # -- the org ---------------------------------------------------------------------------

    @property
    def org(self) -> Org:
        if self._org is None:
            self._org = self._describe()
        return self._org

    @property
    def names(self) -> PropertyMap:
        if self._names is None:
            self._names = sfm.names_for(self.org.stages)
        return self._names

    def _get(self, path: str, **params: str) -> Any:
        return json_of(self.http.request("GET", path, params=params or None))

    def _describe(self) -> Org:
        versions = self._get("/services/data/")
        try:
            usable = [
                (tuple(int(p) for p in str(v["version"]).split(".")), str(v["url"]))
                for v in versions
            ]
        except (KeyError, TypeError, ValueError):
            raise unexpected("a version list without versions") from None
        usable = [u for u in usable if u[0] >= LOWEST_VERSION]
        if not usable:
            raise SyncError(
                "This Salesforce org offers no REST API from version 58.0 on, which this app "
                "needs; ask your Salesforce admin.",
                SyncErrorKind.SERVER,
            )
        base = max(usable)[1].rstrip("/")
        user = self._get("/services/oauth2/userinfo")
        listed = {str(s.get("name")) for s in self._get(f"{base}/sobjects/").get("sobjects", [])}
        fields: dict[str, dict[str, int]] = {}
        picklists: dict[str, list[str]] = {}
        external: set[str] = set()
        for sobject in SOBJECTS:
            described = self._get(f"{base}/sobjects/{sobject}/describe")
            fields[sobject] = {}
            for f in described.get("fields", []):
                fields[sobject][str(f["name"])] = int(f.get("length") or 0)
                if f["name"] == sfm.UID and f.get("externalId"):
                    external.add(sobject)
                if f.get("picklistValues"):
                    picklists[f"{sobject}.{f['name']}"] = [
                        str(p["value"]) for p in f["picklistValues"] if p.get("active", True)
                    ]
        return Org(
            base=base,
            user_id=str(user.get("user_id") or ""),
            fields=fields,
            stages=sfm.stage_map(picklists.get("Opportunity.StageName", []), self._given_stages),
            stage_values=picklists.get("Opportunity.StageName", []),
            types=picklists.get("Opportunity.Type", []),
            shared_activities="TaskRelation" in listed,
            external_ids=external,
        )

    def _columns(self, sobject: str) -> list[str]:
        """The fields to read: Id, SystemModstamp, the mapped ones, lookups, extras and the uid,
        each only where the org has it."""
        wanted = ["Id", "SystemModstamp"]
        for obj, kind in sfm.TYPES.items():
            if kind == sobject:
                wanted += [p for p in sfm.PROPERTIES[obj].values() if p not in wanted]
        wanted += [*sfm.LOOKUPS[sobject], *sfm.EXTRA.get(sobject, ()), sfm.UID]
        has = self.org.fields[sobject]
        return list(dict.fromkeys(w for w in wanted if w in has or w == "Id"))

    # -- reading ---------------------------------------------------------------------------

    def remote_type(self, obj: str) -> str:
        return sfm.TYPES[obj]

    def local_kind(self, remote_type: str, record: RemoteRecord) -> str:
        """An Opportunity whose Type is one renewals are made with is a renewal."""
        if remote_type == "Opportunity":
            return "renewal" if record.props.get("Type") in sfm.TYPE_CHOICES["renewal"] else (
                "opportunity")  # fmt: skip
        return next(obj for obj, kind in sfm.TYPES.items() if kind == remote_type)

    def stage_values(self) -> list[str]:
        """The org's active StageName values, in its order."""
        return list(self.org.stage_values)

    def fields(
        self, obj: str, record: RemoteRecord, *, strict: bool = False, currency: str | None = None
    ) -> dict[str, Any]:
        return self.names.read(obj, record.props, strict=strict, currency=currency)

    def _where(self, sobject: str) -> list[str]:
        # Tasks come through queryAll (closed ones are archived after a year): not deleted
        # ones, and only those of an account.
        return ["IsDeleted = false", "AccountId != null"] if sobject == "Task" else []

    def _query(self, sobject: str, text: str) -> Iterator[list[RemoteRecord]]:
        for rows in soql.pages(self.http, self.org.base, text, all_rows=sobject == "Task"):
            records = [sfm.remote_record(sobject, r) for r in rows]
            if sobject == "Task":
                self._add_relations(records)
            yield records

    def changed(self, remote_type: str, since_ms: int | None) -> Iterator[list[RemoteRecord]]:
        text = soql.changed_since(
            remote_type, self._columns(remote_type), self._where(remote_type), since_ms
        )
        unseen = Unseen()
        for page in self._query(remote_type, text):
            fresh = unseen(page)
            if fresh:
                yield fresh

    def _add_relations(self, tasks: list[RemoteRecord]) -> None:
        """A Task's other attendees: its TaskRelation rows, where Shared Activities is on."""
        if not self.org.shared_activities or not tasks:
            return
        others: dict[str, list[str]] = {}
        for chunk in chunks([t.remote_id for t in tasks], BATCH):
            text = (f"SELECT TaskId, RelationId FROM TaskRelation WHERE TaskId IN "
                    f"{soql.id_list(chunk)} AND IsWhat = false")  # fmt: skip
            for rows in soql.pages(self.http, self.org.base, text):
                for row in rows:
                    others.setdefault(str(row["TaskId"]), []).append(str(row["RelationId"]))
        for task in tasks:
            attendees = task.links.setdefault("contact", [])
            for relation in others.get(task.remote_id, []):
                if relation.startswith(sfm.PREFIX["contact"]) and relation not in attendees:
                    attendees.append(relation)

    def read(self, remote_type: str, remote_ids: Sequence[str]) -> dict[str, RemoteRecord]:
        found: dict[str, RemoteRecord] = {}
        for chunk in chunks(list(remote_ids), BATCH):
            where = [*self._where(remote_type)[:1], f"Id IN {soql.id_list(chunk)}"]
            text = soql.changed_since(remote_type, self._columns(remote_type), where, None)
            for page in self._query(remote_type, text):
                found.update((r.remote_id, r) for r in page)
        return found

    def deletions(self, remote_type: str, since_ms: int | None) -> Deletions:
        """The deletion log since the last look; when it no longer reaches back that far
        (purged, or more than 15 days), every live id instead."""
        now = int(time.time() * 1000)
        start = since_ms if since_ms is not None else now - FIRST_LOOK_MS
        body = self._get(
            f"{self.org.base}/sobjects/{remote_type}/deleted/",
            start=soql.moment(start), end=soql.moment(now + 1000),
        )  # fmt: skip
        if not isinstance(body, dict):
            raise unexpected("a deletion log that is not an object")
        covered = moment_ms(body.get("latestDateCovered")) or now
        earliest = moment_ms(body.get("earliestDateAvailable"))
        ids = {str(r["id"]) for r in body.get("deletedRecords", []) if r.get("id")}
        if since_ms is not None and earliest is not None and earliest > since_ms:
            text = soql.changed_since(remote_type, ["Id"], self._where(remote_type)[:1], None)
            live = {
                str(row["Id"])
                for rows in soql.pages(
                    self.http, self.org.base, text, all_rows=remote_type == "Task"
                )
                for row in rows
            }
            return Deletions(ids, live, covered)
        return Deletions(ids, None, covered)

    def find_created(
        self, obj: str, items: Sequence[CreateItem], since_ms: int | None
    ) -> dict[int, RemoteRecord]:
        """By ``AM_Uid__c`` where the org has it, else what this user created since the
        first try with the same natural key."""
        sobject = sfm.TYPES[obj]
        found: dict[int, RemoteRecord] = {}
        if sobject in self.org.external_ids:
            by_uid = {item.uid: item.local_id for item in items}
            for chunk in chunks(list(by_uid), BATCH):
                where = [f"{sfm.UID} IN {soql.id_list(chunk)}"]
                text = soql.changed_since(sobject, self._columns(sobject), where, None)
                for page in self._query(sobject, text):
                    found.update((by_uid[r.uid], r) for r in page if r.uid in by_uid)
            return found
        for item in items:
            where = [f"CreatedById = {soql.quoted(self.org.user_id)}", *self._key(obj, item)]
            if since_ms is not None:
                where.append(f"CreatedDate >= {soql.moment(since_ms)}")
            text = soql.changed_since(sobject, self._columns(sobject), where, None)
            match = next((r for page in self._query(sobject, text) for r in page), None)
            if match is not None:
                found[item.local_id] = match
        return found

    def _key(self, obj: str, item: CreateItem) -> list[str]:
        """The natural key's conditions, as the record was sent."""
        sent = self._record(obj, item)
        names = {
            "account": ("Name", "Website"),
            "contact": ("Email",) if sent.get("Email") else ("LastName", "AccountId"),
            "opportunity": ("Name", "AccountId"),
            "renewal": ("Name", "AccountId"),
            "note": ("Subject", "ActivityDate", "WhatId"),
        }
        conditions = []
        for name in names[obj]:
            value = sent.get(name)
            literal = value if name == "ActivityDate" and value else soql.quoted(value)
            conditions.append(f"{name} = {literal}")
        return conditions  # fmt: skip

    # -- writing ---------------------------------------------------------------------------

    def _record(self, obj: str, item: CreateItem) -> dict[str, Any]:
        """A create as the sObject's fields: mapped values, lookups, Type, Task defaults."""
        sobject = sfm.TYPES[obj]
        record: dict[str, Any] = self.names.write(obj, item.fields, sfm.json_value)
        account = next(iter(item.links.get("account", [])), None)
        if obj == "renewal":
            record["Name"] = item.fields.get("name") or "Renewal"
            # CloseDate is required: a renewal without a close date closes when its term ends.
            if not record.get("CloseDate"):
                record["CloseDate"] = item.fields.get("contract_end")
        if obj in ("opportunity", "renewal"):
            kind = next((t for t in sfm.TYPE_CHOICES[obj] if t in self.org.types), None)
            if kind:
                record["Type"] = kind
        if obj == "note":
            record["WhatId"] = account
            record["WhoId"] = next(iter(item.links.get("contact", [])), None)
            record["Subject"] = item.fields.get("title") or str(item.fields.get("kind") or
                                                                "note").title()  # fmt: skip
            record["Status"] = "Completed"
            record["TaskSubtype"] = "Call" if item.fields.get("kind") == "call" else "Task"
        elif account is not None:
            record["AccountId"] = account
        if item.links.get("reports_to"):
            record["ReportsToId"] = item.links["reports_to"][0]
        has = self.org.fields[sobject]
        return {k: v for k, v in record.items() if k in has}

    def _too_long(self, sobject: str, record: Mapping[str, Any]) -> str:
        """Words for a text longer than its field allows (never cut), or ""."""
        for name, value in record.items():
            limit = self.org.fields[sobject].get(name, 0)
            if isinstance(value, str) and limit and len(value) > limit:
                return (f"its {name} is {len(value):,} characters long and Salesforce keeps at "
                        f"most {limit:,} there; shorten it here, then sync again")  # fmt: skip
        return ""

    def create(self, obj: str, items: Sequence[CreateItem]) -> list[WriteResult]:
        sobject = sfm.TYPES[obj]
        upsert = sobject in self.org.external_ids
        records = []
        for item in items:
            record = self._record(obj, item)
            if upsert:
                record[sfm.UID] = item.uid
            records.append((item.local_id, record))
        path = f"{self.org.base}/composite/sobjects"
        results = self._save("PATCH" if upsert else "POST",
                             f"{path}/{sobject}/{sfm.UID}" if upsert else path,
                             sobject, records, idempotent=upsert)  # fmt: skip
        results = self._stamped(sobject, results)
        if obj == "note" and self.org.shared_activities:
            for item, result in zip(items, results, strict=True):
                others = item.links.get("contact", [])[1:]
                if result.ok and result.remote_id and others:
                    self._relate(result.remote_id, set(others), set())
        return results

    def _stamped(self, sobject: str, results: list[WriteResult]) -> list[WriteResult]:
        """Results with the created records' SystemModstamp (a SaveResult has none), so the
        next pull knows them as agreed rather than reading them again."""
        ids = [r.remote_id for r in results if r.ok and r.remote_id]
        stamps: dict[str, int] = {}
        for chunk in chunks(ids, BATCH):
            where = [*self._where(sobject)[:1], f"Id IN {soql.id_list(chunk)}"]
            text = soql.changed_since(sobject, ["Id", "SystemModstamp"], where, None)
            for rows in soql.pages(self.http, self.org.base, text, all_rows=sobject == "Task"):
                stamps.update((str(r["Id"]), moment_ms(r.get("SystemModstamp")) or 0) for r in rows)
        return [
            WriteResult(r.local_id, r.ok, r.remote_id, stamps.get(r.remote_id or ""), r.message)
            for r in results
        ]

    def update(
        self, obj: str, changes: Sequence[tuple[int, str, Mapping[str, Any]]]
    ) -> list[WriteResult]:
        sobject = sfm.TYPES[obj]
        has = self.org.fields[sobject]
        records = [
            (local_id, {"Id": remote_id, **{k: v for k, v in
             self.names.write(obj, values, sfm.json_value).items() if k in has}})
            for local_id, remote_id, values in changes
        ]  # fmt: skip
        return self._save("PATCH", f"{self.org.base}/composite/sobjects", sobject, records,
                          idempotent=True)  # fmt: skip

    def _save(
        self,
        method: str,
        path: str,
        sobject: str,
        records: list[tuple[int, dict[str, Any]]],
        *,
        idempotent: bool,
    ) -> list[WriteResult]:
        """Records through sObject Collections, ≤200 a call, each SaveResult read (the call
        answers 200 when records failed); a record too long is refused here, a locked one
        sent again after a pause."""
        results: dict[int, WriteResult] = {}
        waiting: list[tuple[int, dict[str, Any]]] = []
        for local_id, record in records:
            problem = self._too_long(sobject, record)
            if problem:
                results[local_id] = WriteResult(local_id, False, message=problem)
            else:
                waiting.append((local_id, record))
        attempt = 0
        while waiting:
            attempt += 1
            locked: list[tuple[int, dict[str, Any]]] = []
            for chunk in chunks(waiting, BATCH):
                payload = {
                    "allOrNone": False,
                    "records": [
                        {"attributes": {"type": sobject}, **record} for _l, record in chunk
                    ],
                }
                response = self.http.request(method, path, json=payload, idempotent=idempotent)
                if response.status_code >= 400:
                    message = error_message(response)
                    results.update((i, WriteResult(i, False, message=message)) for i, _r in chunk)
                    continue
                answers = json_of(response)
                if not isinstance(answers, list) or len(answers) != len(chunk):
                    raise unexpected("save results that do not match the records sent")
                for (local_id, record), answer in zip(chunk, answers, strict=True):
                    codes = {str(e.get("statusCode")) for e in answer.get("errors") or []}
                    if not answer.get("success") and LOCKED_ROW in codes:
                        locked.append((local_id, record))
                        continue
                    results[local_id] = _result(local_id, answer, record.get("Id"))
            waiting = locked
            if waiting:
                self.http.back_off(attempt, "Salesforce kept records locked")
        return [results[local_id] for local_id, _r in records]  # fmt: skip

    def archive(self, remote_type: str, remote_ids: Sequence[str]) -> None:  # noqa: ARG002 - ids say the type
        for chunk in chunks(list(remote_ids), BATCH):
            response = self.http.request(
                "DELETE", f"{self.org.base}/composite/sobjects",
                params={"ids": ",".join(chunk), "allOrNone": "false"},
            )  # fmt: skip
            answers = json_of(response) if response.status_code < 400 else []
            for answer in answers if isinstance(answers, list) else []:
                codes = {str(e.get("statusCode")) for e in answer.get("errors") or []}
                if not answer.get("success") and not codes & {
                    "ENTITY_IS_DELETED",
                    "INVALID_CROSS_REFERENCE_KEY",
                }:
                    raise SyncError(f"Salesforce refused to delete a record: "
                                    f"{_words(answer)}", SyncErrorKind.SERVER)  # fmt: skip
            if response.status_code >= 400:
                raise SyncError(f"Salesforce refused to delete records: "
                                f"{error_message(response)}", SyncErrorKind.SERVER)  # fmt: skip

    def relink(
        self,
        obj: str,
        remote_id: str,
        kind: str,  # noqa: ARG002 - only the account moves
        old: str | None,  # noqa: ARG002 - one lookup field holds the link: nothing to unlink
        new: str,
    ) -> None:
        """A lookup field is the link: AccountId (a Task's WhatId)."""
        lookup = "WhatId" if obj == "note" else "AccountId"
        self._set_fields(obj, remote_id, {lookup: new})

    def _set_fields(self, obj: str, remote_id: str, values: dict[str, Any]) -> None:
        (result,) = self._save("PATCH", f"{self.org.base}/composite/sobjects", sfm.TYPES[obj],
                               [(0, {"Id": remote_id, **values})], idempotent=True)  # fmt: skip
        if not result.ok:
            raise SyncError(f"Salesforce refused to link a record: {result.message}",
                            SyncErrorKind.SERVER)  # fmt: skip

    def set_links(
        self,
        obj: str,
        remote_id: str,
        kind: str,
        wanted: set[str],
    ) -> None:
        """A contact's manager: ReportsToId. A Task's attendees: WhoId one of them, the others
        TaskRelation rows (where Shared Activities is on)."""
        if kind == "reports_to":
            self._set_fields(obj, remote_id, {"ReportsToId": min(wanted) if wanted else None})
            return
        (task,) = self.read("Task", [remote_id]).values() or (None,)
        if task is None:
            return
        who: str | None = next(iter(task.links.get("contact", [])), None)
        if who not in wanted:
            who = min(wanted) if wanted else None
            self._set_fields(obj, remote_id, {"WhoId": who})
        if self.org.shared_activities:
            current = set(task.links.get("contact", [])) - {who}
            self._relate(remote_id, wanted - {who} - current, current - wanted)

    def _relate(self, task_id: str, add: set[str], remove: set[str]) -> None:
        base = self.org.base
        if add:
            records = [(0, {"TaskId": task_id, "RelationId": r}) for r in sorted(add)]
            self._save("POST", f"{base}/composite/sobjects", "TaskRelation", records,
                       idempotent=False)  # fmt: skip
        if remove:
            text = (f"SELECT Id FROM TaskRelation WHERE TaskId = {soql.quoted(task_id)} AND "
                    f"RelationId IN {soql.id_list(sorted(remove))}")  # fmt: skip
            ids = [str(r["Id"]) for rows in soql.pages(self.http, base, text) for r in rows]
            if ids:
                self.archive("TaskRelation", ids)


def _words(answer: Mapping[str, Any]) -> str:
    errors = answer.get("errors") or []
    return "; ".join(f"{e.get('message') or 'refused'} ({e.get('statusCode')})" for e in errors
                     if isinstance(e, dict)) or "refused"  # fmt: skip


def _result(local_id: int, answer: Mapping[str, Any], remote_id: Any) -> WriteResult:
    if answer.get("success"):
        return WriteResult(local_id, True, str(answer.get("id") or remote_id), None)
    return WriteResult(local_id, False, message=_words(answer))
