"""A local, in-memory, Salesforce-compatible REST server: the subset the connector uses
(SYNC.md §2; issue 18). Standard library only.

Versions, userinfo, the sObject list and describe, SOQL ``query``/``queryAll`` with
``nextRecordsUrl`` (a small parser that refuses what it does not implement), the deletion log,
sObject Collections (create, update, upsert on ``AM_Uid__c``, delete) with per-record
SaveResults, ``Sforce-Limit-Info`` on every answer, 18-character ids with their checksum.
Faults: statuses and lost answers by path, expired sessions, locked rows, per-record refusals,
the daily limit. SystemModstamp has second precision, as Salesforce's does.

    org = FakeSalesforce(); base_url = org.start(); ...; org.stop()
"""

from __future__ import annotations

import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests.support.fake_server import Host, Reply, Served

VERSION = "59.0"
BASE = f"/services/data/v{VERSION}"
USER = "005000000000001AAA"
OTHER_USER = "005000000000002AAA"
PREFIXES = {"Account": "001", "Contact": "003", "Opportunity": "006", "Task": "00T",
            "TaskRelation": "0RT"}  # fmt: skip
STAGES = ["Prospecting", "Qualification", "Needs Analysis", "Value Proposition",
          "Id. Decision Makers", "Perception Analysis", "Proposal/Price Quote",
          "Negotiation/Review", "Closed Won", "Closed Lost"]  # fmt: skip
TYPES = ["Existing Customer - Upgrade", "Existing Customer - Replacement",
         "Existing Customer - Downgrade", "New Customer"]  # fmt: skip
#: Object -> writable field -> its length (0: not text).
FIELDS: dict[str, dict[str, int]] = {
    "Account": {"Name": 255, "Website": 255, "Industry": 255},
    "Contact": {
        "FirstName": 40,
        "LastName": 80,
        "Email": 80,
        "Phone": 40,
        "Title": 128,
        "AccountId": 18,
        "ReportsToId": 18,
    },
    "Opportunity": {
        "Name": 120,
        "Amount": 0,
        "CloseDate": 0,
        "StageName": 255,
        "Type": 255,
        "AccountId": 18,
    },
    "Task": {
        "Subject": 255,
        "Description": 32000,
        "ActivityDate": 0,
        "WhatId": 18,
        "WhoId": 18,
        "Status": 255,
        "TaskSubtype": 255,
    },
    "TaskRelation": {"TaskId": 18, "RelationId": 18},
}
READ_ONLY = {"Id", "SystemModstamp", "CreatedById", "CreatedDate", "IsDeleted", "AccountId@Task",
             "IsWhat"}  # fmt: skip
REQUIRED = {"Account": ("Name",), "Contact": ("LastName",),
            "Opportunity": ("Name", "StageName", "CloseDate"), "Task": (),
            "TaskRelation": ("TaskId", "RelationId")}  # fmt: skip
_TOKEN = re.compile(
    r"\s*(?:(?P<str>'(?:[^'\\]|\\.)*')|(?P<dt>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z)"
    r"|(?P<date>\d{4}-\d\d-\d\d)|(?P<num>-?\d+(?:\.\d+)?)|(?P<op>!=|>=|<=|[=<>(),])"
    r"|(?P<word>[A-Za-z_][\w.]*))"
)


def with_checksum(short: str) -> str:
    """The 18-character id: three letters saying which of the 15 characters are upper case."""
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
    suffix = ""
    for start in range(0, 15, 5):
        bits = sum(1 << i for i, c in enumerate(short[start : start + 5]) if c.isupper())
        suffix += alphabet[bits]
    return short + suffix


def stamp(ms: int) -> str:
    return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%dT%H:%M:%S.000+0000")


def errors(code: str, message: str, fields: list[str] | None = None) -> list[dict[str, Any]]:
    return [{"message": message, "errorCode": code, "fields": fields or []}]


class SoqlError(Exception):
    """What the parser refuses: answered 400 MALFORMED_QUERY."""


@dataclass(slots=True)
class Query:
    fields: list[str]
    sobject: str
    conditions: list[tuple[str, str, Any]]
    ordered: bool


def parse_soql(text: str) -> Query:  # noqa: PLR0912 - one branch per clause
    """``SELECT f, … FROM X [WHERE a op v AND …] [ORDER BY SystemModstamp, Id]``; anything
    else is refused, never guessed."""
    tokens: list[tuple[str, Any]] = []
    position = 0
    while position < len(text.rstrip()):
        found = _TOKEN.match(text, position)
        if not found:
            raise SoqlError(f"unexpected text at {text[position : position + 20]!r}")
        position = found.end()
        kind = found.lastgroup or ""
        raw = found.group(kind)
        if kind == "str":
            tokens.append(("value", re.sub(r"\\(.)", r"\1", raw[1:-1])))
        elif kind == "dt":
            tokens.append(("value", datetime.fromisoformat(raw.replace("Z", "+00:00"))))
        elif kind == "date":
            tokens.append(("value", date.fromisoformat(raw)))
        elif kind == "num":
            tokens.append(("value", float(raw)))
        elif kind == "word" and raw.lower() in ("null", "true", "false"):
            tokens.append(("value", {"null": None, "true": True, "false": False}[raw.lower()]))
        else:
            tokens.append((kind, raw))
    words = [t[1].upper() if t[0] == "word" else t[1] for t in tokens]

    def expect(index: int, word: str) -> None:
        if index >= len(words) or words[index] != word:
            raise SoqlError(f"expected {word}")

    expect(0, "SELECT")
    fields, i = [], 1
    while True:
        if tokens[i][0] != "word":
            raise SoqlError("expected a field name")
        fields.append(str(tokens[i][1]))
        i += 1
        if words[i] != ",":
            break
        i += 1
    expect(i, "FROM")
    sobject = str(tokens[i + 1][1])
    i += 2
    conditions: list[tuple[str, str, Any]] = []
    if i < len(words) and words[i] == "WHERE":
        i += 1
        while True:
            name, op = str(tokens[i][1]), words[i + 1]
            if op == "IN":
                expect(i + 2, "(")
                values, i = [], i + 3
                while words[i] != ")":
                    if tokens[i][0] != "value":
                        raise SoqlError("IN takes literals")
                    values.append(tokens[i][1])
                    i += 2 if words[i + 1] == "," else 1
                conditions.append((name, "IN", values))
                i += 1
            elif op in ("=", "!=", ">=", "<=", ">", "<") and tokens[i + 2][0] == "value":
                conditions.append((name, op, tokens[i + 2][1]))
                i += 3
            else:
                raise SoqlError(f"unsupported condition on {name}")
            if i < len(words) and words[i] == "AND":
                i += 1
                continue
            break
    ordered = False
    if i < len(words):
        if words[i : i + 5] != ["ORDER", "BY", "SYSTEMMODSTAMP", ",", "ID"]:
            raise SoqlError("only ORDER BY SystemModstamp, Id is implemented")
        ordered, i = True, i + 5
    if i != len(words):
        raise SoqlError(f"unsupported clause {words[i]!r}")
    return Query(fields, sobject, conditions, ordered)


def _comparable(value: Any) -> Any:
    if isinstance(value, datetime):
        return int(value.timestamp() * 1000)
    if isinstance(value, date):
        return value.isoformat()
    return value


class FakeSalesforce(Served):
    """The org and its server; tests seed and inspect it directly, clients use HTTP."""

    def __init__(self, token: str = "test-token", *, external_id: bool = False,
                 shared_activities: bool = True, currencies: Sequence[str] = ()) -> None:  # fmt: skip
        """``currencies``: a multi-currency org's active ones, its corporate currency first
        (Account and Opportunity then have ``CurrencyIsoCode``); none: a one-currency org."""
        self.tokens = {token: USER, "other-token": OTHER_USER}
        self.currencies = list(currencies)
        self.fields = {sobject: dict(names) for sobject, names in FIELDS.items()}
        if self.currencies:
            for sobject in ("Account", "Opportunity"):
                self.fields[sobject]["CurrencyIsoCode"] = 3
        self.external_id = external_id
        self.shared_activities = shared_activities
        self.batch_size = 2000
        self.api_used, self.api_limit = 0, 100_000
        self.requests: list[dict[str, Any]] = []
        self.records: dict[str, dict[str, dict[str, Any]]] = {t: {} for t in PREFIXES}
        self.deleted: dict[str, list[tuple[str, int]]] = {t: [] for t in PREFIXES}
        self.earliest_deleted_ms = 0
        self.faults: list[dict[str, Any]] = []
        #: Per-record refusals: (object, field, value) -> (code, message); locked rows: count.
        self.refusals: dict[tuple[str, str, Any], tuple[str, str]] = {}
        self.locked_saves = 0
        self.offset_ms = 0
        self._ids = itertools.count(1)
        self._cursors: dict[str, list[dict[str, Any]]] = {}
        self._lock = threading.RLock()
        self._host = Host(self, "fake-salesforce")
        self.url = ""

    # -- the org, directly ---------------------------------------------------------------------

    def now_ms(self) -> int:
        return int(time.time() * 1000) + self.offset_ms

    def seed(self, sobject: str, values: Mapping[str, Any], *, user: str = OTHER_USER) -> str:
        with self._lock:
            return self._insert(sobject, dict(values), user)

    def edit(self, sobject: str, record_id: str, values: Mapping[str, Any]) -> None:
        with self._lock:
            self.records[sobject][record_id].update(values)
            self._touch(sobject, self.records[sobject][record_id])

    def delete(self, sobject: str, record_id: str) -> None:
        with self._lock:
            row = self.records[sobject][record_id]
            row["IsDeleted"] = True
            self._touch(sobject, row)
            self.deleted[sobject].append((record_id, self.now_ms()))

    def live(self, sobject: str) -> list[dict[str, Any]]:
        with self._lock:
            return [dict(r) for r in self.records[sobject].values() if not r["IsDeleted"]]

    def record(self, sobject: str, record_id: str) -> dict[str, Any]:
        with self._lock:
            return dict(self.records[sobject][record_id])

    def add_fault(self, method: str, path_regex: str, *, status: int = 503, times: int = 1,
                  body: Any = None, drop: bool = False, after_commit: bool = False) -> None:  # fmt: skip
        """The next ``times`` matching requests fail: ``status`` with ``body`` (Salesforce's
        error list), or a dropped connection; ``after_commit`` does the work first."""
        with self._lock:
            self.faults.append({"method": method, "path": re.compile(path_regex), "times": times,
                                "status": status, "body": body, "drop": drop,
                                "after_commit": after_commit})  # fmt: skip

    def writes(self) -> int:
        with self._lock:
            return sum(1 for r in self.requests if r["method"] != "GET")

    # -- serving -------------------------------------------------------------------------------

    def _dispatch(self, method: str, target: str, auth: str | None, raw: bytes) -> Reply:
        split = urlsplit(target)
        with self._lock:
            self.requests.append({"method": method, "path": split.path})
            fault = next((f for f in self.faults if f["method"] in ("*", method)
                          and f["path"].search(split.path)), None)  # fmt: skip
            if fault is not None:
                fault["times"] -= 1
                if fault["times"] <= 0:
                    self.faults.remove(fault)
        if fault is not None and not fault["after_commit"]:
            return self._fault(fault)
        reply = self._answer(method, split.path, split.query, auth, raw)
        return self._fault(fault) if fault is not None else reply

    @staticmethod
    def _fault(fault: Mapping[str, Any]) -> Reply:
        if fault["drop"]:
            return Reply(0, drop=True)
        body = fault["body"] or errors("SERVER_UNAVAILABLE", "Server unavailable")
        return Reply(int(fault["status"]), body)

    def _answer(self, method: str, path: str, query: str, auth: str | None, raw: bytes) -> Reply:
        token = auth[7:] if auth and auth.startswith("Bearer ") else ""
        with self._lock:
            if token not in self.tokens:
                return Reply(401, errors("INVALID_SESSION_ID", "Session expired or invalid"))
            self.api_used += 1
            headers = {"Sforce-Limit-Info": f"api-usage={self.api_used}/{self.api_limit}"}
            if self.api_used > self.api_limit:
                return Reply(403, errors("REQUEST_LIMIT_EXCEEDED",
                                         "TotalRequests Limit exceeded."), headers)  # fmt: skip
            try:
                body = json.loads(raw) if raw else None
                reply = self._route(method, path, parse_qs(query), body, self.tokens[token])
            except SoqlError as error:
                reply = Reply(400, errors("MALFORMED_QUERY", str(error)))
            except KeyError as error:
                reply = Reply(404, errors("NOT_FOUND", f"not found: {error}"))
            reply.headers.update(headers)
            return reply

    def _route(  # noqa: PLR0911 - one return per route
        self, method: str, path: str, params: dict[str, list[str]], body: Any, user: str
    ) -> Reply:
        if path in ("/services/data", "/services/data/"):
            return Reply(200, [{"version": v, "label": "x", "url": f"/services/data/v{v}"}
                               for v in ("57.0", "58.0", VERSION)])  # fmt: skip
        if path == "/services/oauth2/userinfo":
            return Reply(200, {"user_id": user, "organization_id": "00D000000000001AAA"})
        if not path.startswith(BASE):
            return Reply(404, errors("NOT_FOUND", "The requested resource does not exist"))
        rest = path[len(BASE) :].rstrip("/")
        if rest == "/sobjects":
            names = [n for n in PREFIXES if n != "TaskRelation" or self.shared_activities]
            return Reply(200, {"sobjects": [{"name": n} for n in names]})
        if found := re.fullmatch(r"/sobjects/(\w+)/describe", rest):
            return Reply(200, self._describe(found.group(1)))
        if found := re.fullmatch(r"/sobjects/(\w+)/deleted", rest):
            return Reply(200, self._deleted(found.group(1), params))
        if found := re.fullmatch(r"/(query|queryAll)(?:/([\w-]+))?", rest):
            if found.group(2):
                return Reply(200, self._page(found.group(2)))
            return Reply(200, self._query(params["q"][0], all_rows=found.group(1) == "queryAll"))
        if rest == "/composite/sobjects" and method in ("POST", "PATCH"):
            return Reply(200, [self._save(r, user, create=method == "POST")
                               for r in body["records"]])  # fmt: skip
        if found := re.fullmatch(r"/composite/sobjects/(\w+)/AM_Uid__c", rest):
            return Reply(200, [self._upsert(found.group(1), r, user) for r in body["records"]])
        if rest == "/composite/sobjects" and method == "DELETE":
            return Reply(200, [self._remove(i) for i in params["ids"][0].split(",")])
        return Reply(404, errors("NOT_FOUND", f"no route {method} {rest}"))

    def _describe(self, sobject: str) -> dict[str, Any]:
        fields = [{"name": n, "length": length, "externalId": False, "picklistValues": []}
                  for n, length in self.fields[sobject].items()]  # fmt: skip
        for extra in ("Id", "SystemModstamp", "CreatedById", "CreatedDate", "IsDeleted"):
            fields.append({"name": extra, "length": 18 if extra.endswith("Id") else 0})
        if sobject == "Task":
            fields.append({"name": "AccountId", "length": 18})
        if self.external_id and sobject != "TaskRelation":
            fields.append({"name": "AM_Uid__c", "length": 36, "externalId": True})
        picklists = {"StageName": STAGES, "Type": TYPES}
        for f in fields:
            if sobject == "Opportunity" and f["name"] in picklists:
                f["picklistValues"] = [{"value": v, "active": True} for v in picklists[f["name"]]]
        return {"name": sobject, "fields": fields}

    def _deleted(self, sobject: str, params: dict[str, list[str]]) -> dict[str, Any]:
        start = _comparable(datetime.fromisoformat(params["start"][0].replace("Z", "+00:00")))
        end = _comparable(datetime.fromisoformat(params["end"][0].replace("Z", "+00:00")))
        rows = [{"id": i, "deletedDate": stamp(ms)} for i, ms in self.deleted[sobject]
                if start <= ms <= end and ms >= self.earliest_deleted_ms]  # fmt: skip
        return {"deletedRecords": rows, "earliestDateAvailable": stamp(self.earliest_deleted_ms),
                "latestDateCovered": stamp(min(end, self.now_ms()) // 1000 * 1000)}  # fmt: skip

    def _query(self, text: str, *, all_rows: bool) -> dict[str, Any]:
        query = parse_soql(text)
        if query.sobject not in self.records:
            raise SoqlError(f"sObject type '{query.sobject}' is not supported")
        known = {*self.fields[query.sobject], "Id", "SystemModstamp", "CreatedById", "CreatedDate",
                 "IsDeleted", "IsWhat", *(["AccountId"] if query.sobject == "Task" else []),
                 *(["AM_Uid__c"] if self.external_id else [])}  # fmt: skip
        for name in [*query.fields, *(c[0] for c in query.conditions)]:
            if name not in known:
                raise SoqlError(f"No such column '{name}' on entity '{query.sobject}'")
        if (
            query.sobject == "Task"
            and not all_rows
            and any(c[0] == "IsDeleted" for c in query.conditions)
        ):
            raise SoqlError("IsDeleted on Task needs queryAll here")
        rows = [r for r in self.records[query.sobject].values()
                if (all_rows or not r["IsDeleted"])
                and (all_rows or not r.get("archived"))
                and all(self._holds(r, c) for c in query.conditions)]  # fmt: skip
        if query.ordered:
            rows.sort(key=lambda r: (r["SystemModstamp"], r["Id"]))
        shown = [self._view(query.sobject, r, query.fields) for r in rows]
        return self._batch(shown)

    def _batch(self, rows: list[dict[str, Any]]) -> dict[str, Any]:
        first, rest = rows[: self.batch_size], rows[self.batch_size :]
        answer: dict[str, Any] = {"totalSize": len(rows), "done": not rest, "records": first}
        if rest:
            locator = f"01g{next(self._ids):012d}-{self.batch_size}"
            self._cursors[locator] = rest
            answer["nextRecordsUrl"] = f"{BASE}/query/{locator}"
        return answer

    def _page(self, locator: str) -> dict[str, Any]:
        rows = self._cursors.pop(locator)
        return self._batch(rows) | {"totalSize": len(rows)}

    @staticmethod
    def _holds(row: Mapping[str, Any], condition: tuple[str, str, Any]) -> bool:
        name, op, value = condition
        mine = row.get(name)
        if op == "IN":
            return mine in [_comparable(v) for v in value]
        theirs = _comparable(value)
        if op in ("=", "!="):
            return (mine == theirs) == (op == "=")
        if mine is None or theirs is None:
            return False
        compare: dict[str, Callable[[Any, Any], bool]] = {
            ">=": lambda a, b: a >= b, "<=": lambda a, b: a <= b,
            ">": lambda a, b: a > b, "<": lambda a, b: a < b}  # fmt: skip
        return compare[op](mine, theirs)

    def _view(self, sobject: str, row: Mapping[str, Any], fields: list[str]) -> dict[str, Any]:
        shown: dict[str, Any] = {
            "attributes": {"type": sobject, "url": f"{BASE}/sobjects/{sobject}/{row['Id']}"}
        }
        for name in fields:
            value = row.get(name)
            shown[name] = stamp(value) if name in ("SystemModstamp", "CreatedDate") else value
        return shown  # fmt: skip

    # -- writes ------------------------------------------------------------------------------

    def _problem(  # noqa: PLR0911 - one answer per rule
        self, sobject: str, values: Mapping[str, Any]
    ) -> list[dict[str, Any]]:
        for name, value in values.items():
            if name in READ_ONLY or f"{name}@{sobject}" in READ_ONLY:
                return _save_error("INVALID_FIELD_FOR_INSERT_UPDATE", f"{name} is read-only")
            if name not in self.fields[sobject] and not (name == "AM_Uid__c" and self.external_id):
                return _save_error("INVALID_FIELD", f"No such column '{name}' on {sobject}")
            length = self.fields[sobject].get(name, 0)
            if isinstance(value, str) and length and len(value) > length:
                return _save_error("STRING_TOO_LONG", f"{name}: data value too large")
            refusal = self.refusals.get((sobject, name, value))
            if refusal:
                return _save_error(*refusal)
        code = values.get("CurrencyIsoCode")
        if code is not None and code not in self.currencies:
            return _save_error("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                               f"Currency ISO Code: invalid currency code: {code}")  # fmt: skip
        if values.get("StageName") is not None and values["StageName"] not in STAGES:
            return _save_error("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", "bad value for StageName")
        if self.locked_saves > 0:
            self.locked_saves -= 1
            return _save_error("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access")
        return []

    def _save(self, record: Mapping[str, Any], user: str, *, create: bool) -> dict[str, Any]:
        sobject = record["attributes"]["type"]
        values = {k: v for k, v in record.items() if k not in ("attributes", "Id")}
        problem = self._problem(sobject, values)
        if create and not problem:
            missing = [n for n in REQUIRED[sobject] if values.get(n) in (None, "")]
            if missing:
                problem = _save_error(
                    "REQUIRED_FIELD_MISSING", f"Required fields are missing: {missing}"
                )
        if problem:
            return {"id": record.get("Id"), "success": False, "errors": problem}
        if create:
            return {"id": self._insert(sobject, values, user), "success": True, "errors": []}
        row = self.records[sobject].get(record["Id"])
        if row is None or row["IsDeleted"]:
            return {"id": record["Id"], "success": False,
                    "errors": _save_error("ENTITY_IS_DELETED", "entity is deleted")}  # fmt: skip
        row.update(values)
        self._touch(sobject, row)
        return {"id": row["Id"], "success": True, "errors": []}

    def _upsert(self, sobject: str, record: Mapping[str, Any], user: str) -> dict[str, Any]:
        uid = record.get("AM_Uid__c")
        match = next((r for r in self.records[sobject].values()
                      if r.get("AM_Uid__c") == uid and not r["IsDeleted"]), None)  # fmt: skip
        if match is None:
            return self._save(record, user, create=True) | {"created": True}
        return self._save({**record, "Id": match["Id"]}, user, create=False) | {"created": False}

    def _remove(self, record_id: str) -> dict[str, Any]:
        for sobject, rows in self.records.items():
            if record_id in rows and not rows[record_id]["IsDeleted"]:
                self.delete(sobject, record_id)
                return {"id": record_id, "success": True, "errors": []}
        return {"id": record_id, "success": False,
                "errors": _save_error("ENTITY_IS_DELETED", "entity is deleted")}  # fmt: skip

    def _insert(self, sobject: str, values: dict[str, Any], user: str) -> str:
        record_id = with_checksum(f"{PREFIXES[sobject]}{next(self._ids):012d}")
        now = self.now_ms()
        row = {"Id": record_id, "IsDeleted": False, "CreatedById": user, "CreatedDate": now,
               **{n: None for n in self.fields[sobject]}, **values}  # fmt: skip
        if "CurrencyIsoCode" in self.fields[sobject] and not row.get("CurrencyIsoCode"):
            row["CurrencyIsoCode"] = self.currencies[0]  # the corporate currency
        self.records[sobject][record_id] = row
        self._touch(sobject, row)
        return record_id

    def _touch(self, sobject: str, row: dict[str, Any]) -> None:
        row["SystemModstamp"] = self.now_ms() // 1000 * 1000  # to the second, as Salesforce
        if sobject == "Task":
            what = row.get("WhatId")
            row["AccountId"] = what if what and str(what).startswith("001") else None
            if self.shared_activities and row.get("WhoId"):
                self._relate(row["Id"], str(row["WhoId"]))
        if sobject == "TaskRelation":
            row["IsWhat"] = False

    def _relate(self, task_id: str, who: str) -> None:
        """Salesforce keeps a relation row for the WhoId too."""
        rows = self.records["TaskRelation"].values()
        if not any(r["TaskId"] == task_id and r["RelationId"] == who for r in rows):
            self._insert("TaskRelation", {"TaskId": task_id, "RelationId": who}, USER)


def _save_error(code: str, message: str) -> list[dict[str, Any]]:
    return [{"statusCode": code, "message": message, "fields": []}]
