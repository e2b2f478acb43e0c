"""A local, in-memory, HubSpot-compatible CRM server: the subset in SYNC.md §5.

No HubSpot-like CRM can be installed on this machine, so the sync engine is tested and benchmarked
against this stand-in. It speaks the v3 objects and v4 associations API over real HTTP/1.1
(keep-alive, so an httpx client reuses its connections), is deterministic (sequential ids, a clock
that moves 1 ms per write or when told) and injects the failures a connector must survive: lost
responses, 5xx, 429s and a lagging search index. Standard library only.

    hub = FakeHubSpot()
    base_url = hub.start()  # "http://127.0.0.1:PORT"; hub.stop() when done
"""

from __future__ import annotations

import base64
import binascii
import bisect
import functools
import json
import operator
import re
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from tests.support.fake_server import Host, Reply, Served

EPOCH_MS = 1_793_491_200_000  # 2026-11-01T00:00:00.000Z: where every fresh clock starts
FIRST_ID = 1001
MAX_BATCH = 100
SEARCH_WINDOW = 10_000  # HubSpot refuses to page a search past 10,000 results
FAULT_STATUSES = frozenset({429, 500, 502, 503, 504})

_STR, _NUM, _DATETIME, _DATE = "string", "number", "datetime", "date"
_TEXT = dict.fromkeys
CATALOG: dict[str, dict[str, str]] = {  # property -> kind; am_uid is the unique idempotency key
    "companies": _TEXT(("name", "domain", "industry", "am_uid"), _STR)
    | {"annualrevenue": _NUM, "renewal_date": _DATE},
    "contacts": _TEXT(("firstname", "lastname", "email", "jobtitle", "phone", "am_uid"), _STR),
    "deals": _TEXT(("dealname", "dealstage", "pipeline", "am_uid", "deal_currency_code"), _STR)
    | {"amount": _NUM, "closedate": _DATETIME},
    "notes": {"hs_note_body": _STR, "hs_timestamp": _DATETIME, "am_uid": _STR},
}
MANAGED = {
    t: {"hs_object_id": _NUM} | _TEXT(("createdate", "hs_lastmodifieddate"), _DATETIME)
    for t in CATALOG
}
MANAGED["contacts"]["lastmodifieddate"] = _DATETIME
DEFAULT_PROPERTIES: dict[str, tuple[str, ...]] = {
    "companies": ("name", "domain"),
    "contacts": ("firstname", "lastname", "email"),
    "deals": ("dealname", "amount", "closedate", "pipeline", "dealstage"),
    "notes": (),
}
UNIQUE = {t: ("am_uid", "email") if t == "contacts" else ("am_uid",) for t in CATALOG}
TYPE_IDS = {"companies": "0-2", "contacts": "0-1", "deals": "0-3", "notes": "0-46"}
SINGULAR = {"companies": "company", "contacts": "contact", "deals": "deal", "notes": "note"}
_ALIASES = {t: t for t in CATALOG} | {v: k for m in (TYPE_IDS, SINGULAR) for k, v in m.items()}
ASSOCIATION_TYPE_IDS: dict[tuple[str, str], int] = {}  # HUBSPOT_DEFINED, both directions
for _a, _b, _forward, _reverse in [
    ("contacts", "companies", 279, 280),
    ("deals", "companies", 341, 342),
    ("deals", "contacts", 3, 4),
    ("notes", "contacts", 202, 201),
    ("notes", "companies", 190, 189),
    ("notes", "deals", 214, 213),
]:
    ASSOCIATION_TYPE_IDS |= {(_a, _b): _forward, (_b, _a): _reverse}
# Primary labels (contact→company 1, deal→company 5) are accepted on writes as the plain pair.
_PAIR_OF_TYPE_ID = {v: k for k, v in ASSOCIATION_TYPE_IDS.items()} | {
    1: ("contacts", "companies"),
    5: ("deals", "companies"),
}
_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "EQ": operator.eq,
    "LT": operator.lt,
    "LTE": operator.le,
    "GT": operator.gt,
    "GTE": operator.ge,
}
_WORDS = re.compile(r"[\s,;:/()]+")
_UNIX = datetime(1970, 1, 1, tzinfo=UTC)


@functools.lru_cache(maxsize=1 << 18)  # each answer formats several stamps per record
def iso(ms: int) -> str:
    """HubSpot's timestamp format: ISO-8601 UTC with milliseconds and ``Z``."""
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000)) + f".{ms % 1000:03d}Z"


@functools.lru_cache(maxsize=65_536)
def to_ms(value: str) -> int | None:
    """Epoch ms from epoch-ms digits or an ISO date / date-time (naive = UTC); None if neither."""
    text = value.strip()
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return (parsed - _UNIX) // timedelta(milliseconds=1)


def error_body(category: str, message: str, **extra: Any) -> dict[str, Any]:
    """HubSpot's Error shape; ``extra`` adds ``errors``, ``context``, ``subCategory``…"""
    body = {"status": "error", "message": message, "correlationId": str(uuid.uuid4())}
    return body | {"category": category} | {k: v for k, v in extra.items() if v is not None}


def _rate_limit_body(policy: str) -> dict[str, Any]:
    return error_body(
        "RATE_LIMITS",
        f"You have reached your {policy.lower()} limit.",
        errorType="RATE_LIMIT",
        policyName=policy,
    )


class ApiError(Exception):
    """An error answer; raised anywhere while handling, turned into the response by dispatch."""

    def __init__(self, status: int, category: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.body = error_body(category, message, **extra)
        self.headers: dict[str, str] = {}


def _bad(message: str, **extra: Any) -> ApiError:
    return ApiError(400, "VALIDATION_ERROR", message, **extra)


def _not_found(message: str = "resource not found") -> ApiError:
    return ApiError(404, "OBJECT_NOT_FOUND", message)


def _prop_error(name: str, code: str, message: str) -> dict[str, Any]:
    return {"message": message, "code": code, "context": {"propertyName": [name]}}


def _normalise(kind: str, value: Any) -> str | None:
    """Store values as HubSpot answers them: strings, ``""`` as null, dates in its formats."""
    if value is None:
        return None
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int | float):
        text = str(value)
    elif isinstance(value, str):
        text = value
    else:
        raise TypeError(f"{type(value).__name__} is not a property value")
    if text == "":
        return None
    if kind == _NUM:
        float(text)  # raises ValueError
        return text.strip()
    if kind in (_DATE, _DATETIME):
        ms = to_ms(text)
        if ms is None or (kind == _DATE and ms % 86_400_000):
            raise ValueError(f"{text!r} is not a valid {kind}")
        return iso(ms)[:10] if kind == _DATE else iso(ms)
    return text


def _unique_key(prop: str, value: str) -> str:
    return value.lower() if prop == "email" else value


def _int_or_none(text: Any) -> int | None:
    try:
        return int(str(text))
    except ValueError:
        return None


def _bounded(value: Any, name: str, default: int, low: int, high: int) -> int:
    number = default if value is None or value == "" else _int_or_none(value)
    if number is None or not low <= number <= high:
        raise _bad(f"{name} must be an integer from {low} to {high}, got {value!r}")
    return number


def _param(params: Mapping[str, list[str]], name: str) -> str | None:
    values = params.get(name)
    return values[-1] if values else None


def _flag(params: Mapping[str, list[str]], name: str) -> bool:
    return (_param(params, name) or "").lower() == "true"


def _names(value: Any) -> list[str] | None:
    """Property or type names from repeated and/or comma-separated values; None if absent."""
    if value is None:
        return None
    items = [value] if isinstance(value, str) else list(value)
    return [n.strip() for item in items for n in str(item).split(",") if n.strip()]


def _obj(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise _bad("Invalid input JSON: expected an object")
    return body


def _inputs(body: Any) -> list[dict[str, Any]]:
    inputs = _obj(body).get("inputs")
    if not isinstance(inputs, list) or not all(isinstance(i, dict) for i in inputs):
        raise _bad("inputs must be a list of objects")
    if len(inputs) > MAX_BATCH:
        raise _bad(f"Batch input limit exceeded: {len(inputs)} inputs, the maximum is {MAX_BATCH}")
    return inputs


@dataclass(slots=True)
class _Version:
    """One write: the full property dict after it, and which keys it wrote (for history)."""

    ms: int
    props: dict[str, str | None]
    source: str  # "seed", "app" or "user:<n>"
    written: tuple[str, ...]


@dataclass(slots=True)
class _Record:
    id: int
    created: int
    history: list[_Version]
    archived_at: int | None = None


@dataclass(slots=True)
class _Fault:
    method: str
    path: re.Pattern[str]
    times: int | None  # None = forever
    status: int | None
    body: Any
    delay: float
    drop: bool
    after_commit: bool
    retry_after: float | None

    @classmethod
    def parse(cls, rule: Mapping[str, Any]) -> _Fault:
        status = rule.get("status")
        if status is not None and status not in FAULT_STATUSES:
            raise ValueError(f"fault status must be one of {sorted(FAULT_STATUSES)}")
        times = rule.get("times", 1)
        return cls(
            method=str(rule.get("method") or "*").upper(),
            path=re.compile(str(rule.get("path_regex") or "")),
            times=None if times is None or int(times) < 0 else int(times),
            status=None if status is None else int(status),
            body=rule.get("body"),
            delay=float(rule.get("delay_ms") or 0) / 1000,
            drop=bool(rule.get("drop_connection")),
            after_commit=bool(rule.get("after_commit")),
            retry_after=rule.get("retry_after"),
        )

    def reply(self, retry_after: float | None) -> Reply:
        status = cast(int, self.status)
        body = self.body
        if body is None:
            body = (
                _rate_limit_body("TEN_SECONDLY_ROLLING")
                if status == 429
                else error_body("INTERNAL_ERROR", f"Injected failure (HTTP {status})")
            )
        wait = self.retry_after if self.retry_after is not None else retry_after
        return Reply(status, body, {"Retry-After": f"{wait:g}"} if wait is not None else {})


class FakeHubSpot(Served):
    """The server and its state; tests seed and inspect it directly, clients use HTTP."""

    def __init__(
        self, token: str = "test-token", *, other_tokens: Sequence[str] = ("other-token",)
    ) -> None:
        self.token = token
        self.other_tokens = tuple(other_tokens)
        self.url = ""
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.RLock()
        #: Notified whenever an API request arrives or is answered (``wait_until``).
        self._traffic = threading.Condition(self._lock)
        self._in_flight: list[str] = []  # paths of API requests arrived and not yet answered
        self._host = Host(self, "fake-hubspot")
        self.reset()

    # ------------------------------------------------------------ lifecycle
    def reset(self) -> None:
        """Forget every record, association, fault, limit and logged request; clock to epoch."""
        with self._lock:
            self._records: dict[str, dict[int, _Record]] = {t: {} for t in CATALOG}
            self._order: dict[str, list[int]] = {t: [] for t in CATALOG}
            self._unique: dict[str, dict[str, dict[str, int]]] = {
                t: {p: {} for p in UNIQUE[t]} for t in CATALOG
            }
            self._links: dict[tuple[str, int, str], set[int]] = {}
            self._gen = dict.fromkeys(CATALOG, 0)  # bumps on each write; keys the search cache
            self._search_cache: dict[tuple[Any, ...], list[tuple[_Record, _Version]]] = {}
            self._next_id = FIRST_ID
            self._clock = EPOCH_MS
            self._search_lag = 0
            self._faults: list[_Fault] = []
            self.same_millisecond = False  # True: writes stop advancing the clock
            self.associations_bump_modified = False  # True: association edits bump both records
            self.expired_tokens: set[str] = set()
            self.set_limits()
            self.requests.clear()

    # ------------------------------------------------------------ test-facing API
    def seed(
        self, object_type: str, properties: Mapping[str, str | None], *, archived: bool = False
    ) -> str:
        """Add a record without HTTP (not logged, no limits); ValueError on a bad property."""
        with self._lock:
            t = self._type(object_type)
            try:
                props = self._validate(t, properties, creating=False)
                self._check_unique(t, props, None, None)
            except ApiError as exc:
                raise ValueError(exc.body["message"]) from None
            rec = self._insert(t, props, "seed")
            if archived:
                self._archive(t, rec)
            return str(rec.id)

    def seed_many(self, object_type: str, rows: Iterable[Mapping[str, str | None]]) -> list[str]:
        """Bulk ``seed`` for benchmarks: checks names, dates and uniqueness, little else."""
        t = self._type(object_type)
        catalog = CATALOG[t]
        dates = {n for n, k in catalog.items() if k in (_DATE, _DATETIME)}
        ids: list[str] = []
        with self._lock:
            for row in rows:
                props = dict(row)
                if not props.keys() <= catalog.keys():
                    raise ValueError(f"unknown {t} properties: {sorted(props.keys() - catalog)}")
                for name in dates & props.keys():
                    props[name] = _normalise(catalog[name], props[name])
                if "" in props.values():
                    props = {k: (v if v != "" else None) for k, v in props.items()}
                try:
                    self._check_unique(t, props, None, None)
                except ApiError as exc:
                    raise ValueError(exc.body["message"]) from None
                ids.append(str(self._insert(t, props, "seed").id))
        return ids

    def record(self, object_type: str, record_id: str) -> dict[str, Any] | None:
        """A copy of a record with every stored property, live or archived; None if absent."""
        with self._lock:
            t = self._type(object_type)
            rec = self._records[t].get(_int_or_none(record_id) or -1)
            return None if rec is None else self._snapshot(t, rec)

    def records(self, object_type: str, *, archived: bool | None = None) -> list[dict[str, Any]]:
        """Copies of all records in id order; ``archived`` True/False filters, None = all."""
        with self._lock:
            t = self._type(object_type)
            return [
                self._snapshot(t, rec)
                for rec in self._records[t].values()
                if archived is None or (rec.archived_at is not None) == archived
            ]

    def purge(self, object_type: str, record_id: str) -> None:
        """GDPR-delete or merge-away: the id vanishes from live *and* archived views."""
        with self._lock:
            t = self._type(object_type)
            rec = self._records[t].pop(int(record_id))
            self._order[t].remove(rec.id)
            self._unindex(t, rec)
            for (f, fid, to), ids in list(self._links.items()):
                if (f, fid) == (t, rec.id):
                    del self._links[(f, fid, to)]
                elif to == t:
                    ids.discard(rec.id)
            self._gen[t] += 1

    def associations(self, from_type: str, from_id: str, to_type: str) -> set[str]:
        """Ids associated with a record (archived targets included: this is the raw store)."""
        with self._lock:
            key = (self._type(from_type), int(from_id), self._type(to_type))
            return {str(i) for i in self._links.get(key, ())}

    def associate(self, from_type: str, from_id: str, to_type: str, to_id: str) -> None:
        with self._lock:
            f, t = self._type(from_type), self._type(to_type)
            if int(from_id) not in self._records[f] or int(to_id) not in self._records[t]:
                raise ValueError("both records must exist")
            self._link(f, int(from_id), t, int(to_id))

    def add_faults(self, rules: Sequence[Mapping[str, Any]]) -> None:
        """Queue faults; the first rule whose method and path_regex match a request fires."""
        parsed = [_Fault.parse(rule) for rule in rules]
        with self._lock:
            self._faults.extend(parsed)

    def set_limits(
        self,
        *,
        per_ten_seconds: int | None = None,
        search_per_second: int | None = None,
        daily: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        """Per-token limits (None = unlimited, the default); every call resets all counters."""
        with self._lock:
            self._per_ten_seconds = per_ten_seconds
            self._search_per_second = search_per_second
            self._daily = daily
            self._retry_after = retry_after
            self._windows: dict[tuple[str, bool], deque[float]] = {}
            self._daily_used: dict[str, int] = {}

    def advance_clock(self, milliseconds: int) -> None:
        with self._lock:
            self._clock += milliseconds

    def set_search_lag(self, milliseconds: int) -> None:
        """Search sees records as they were ``milliseconds`` ago on the server clock.

        That clock moves 1 ms per write and by ``advance_clock``, so a test decides exactly when
        a fresh write becomes searchable (HubSpot's index lags by "a few moments").
        """
        with self._lock:
            self._search_lag = milliseconds

    def write_count(self) -> int:
        """Non-GET API requests other than search and batch reads, whatever their status."""
        with self._lock:
            return sum(
                1
                for r in self.requests
                if r["method"] != "GET" and not r["path"].endswith(("/search", "/batch/read"))
            )

    def in_flight(self, path_regex: str) -> int:
        """API requests to matching paths that arrived and are not answered yet (a fault's
        delay may be holding them)."""
        with self._lock:
            return sum(1 for path in self._in_flight if re.search(path_regex, path))

    def wait_until(self, condition: Callable[[], bool], timeout: float = 30.0) -> bool:
        """Block until ``condition()`` holds, checked again whenever a request arrives or is
        answered; False after ``timeout`` seconds."""
        with self._traffic:
            return self._traffic.wait_for(condition, timeout)

    # ------------------------------------------------------------ dispatch
    def _dispatch(self, method: str, target: str, auth: str | None, raw: bytes) -> Reply:
        """Faults first (outside the lock while sleeping), then auth, limits and the route."""
        split = urlsplit(target)
        path = split.path
        if path.startswith("/__admin/"):
            return self._guard(lambda: self._admin(method, path, raw))
        with self._lock:
            self._in_flight.append(path)
            self._traffic.notify_all()
        try:
            reply = self._answer(method, path, split.query, auth, raw)
            with self._lock:
                self.requests.append(
                    {"method": method, "path": path, "query": split.query, "status": reply.status}
                )
            return reply
        finally:
            with self._lock:
                self._in_flight.remove(path)
                self._traffic.notify_all()

    def _answer(self, method: str, path: str, query: str, auth: str | None, raw: bytes) -> Reply:
        with self._lock:
            fault = next(
                (f for f in self._faults if f.method in ("*", method) and f.path.search(path)),
                None,
            )
            if fault is not None and fault.times is not None:
                fault.times -= 1
                if fault.times == 0:
                    self._faults.remove(fault)
        if fault is not None and fault.delay:
            time.sleep(fault.delay)  # the network is slow: it models the world, waits for nothing
        if fault is not None and not fault.after_commit and (fault.drop or fault.status):
            return Reply(0, drop=True) if fault.drop else fault.reply(self._retry_after)
        reply = self._guard(lambda: self._api(method, path, query, auth, raw))
        if fault is not None and fault.after_commit and (fault.drop or fault.status):
            return Reply(0, drop=True) if fault.drop else fault.reply(self._retry_after)
        return reply

    @staticmethod
    def _guard(handle: Callable[[], Reply]) -> Reply:
        try:
            return handle()
        except ApiError as exc:
            return Reply(exc.status, exc.body, exc.headers)
        except Exception as exc:  # a bug here must reach the test as a 500, not a hang
            return Reply(500, error_body("INTERNAL_ERROR", f"fake_hubspot bug: {exc!r}"))

    def _api(self, method: str, path: str, query: str, auth: str | None, raw: bytes) -> Reply:
        with self._lock:
            token = self._authenticate(auth)
            search = path.endswith("/search")
            limit_headers = self._rate_limit(token, search)
            try:
                body = json.loads(raw) if raw else None
            except ValueError:
                raise _bad("Invalid input JSON: the body is not valid JSON") from None
            source = "app" if token == self.token else f"user:{self.other_tokens.index(token)}"
            params = parse_qs(query, keep_blank_values=True)
            try:
                reply = self._route(method, path, params, body, source)
            except ApiError as exc:
                exc.headers.update(limit_headers)
                raise
            reply.headers.update(limit_headers)
            return reply

    def _authenticate(self, header: str | None) -> str:
        token = header[7:].strip() if header and header[:7].lower() == "bearer " else ""
        if token and token in self.expired_tokens:
            raise ApiError(
                401,
                "EXPIRED_AUTHENTICATION",
                "The OAuth token used to make this call expired 1 minute(s) ago.",
            )
        if token and (token == self.token or token in self.other_tokens):
            return token
        raise ApiError(401, "INVALID_AUTHENTICATION", "Authentication credentials not found.")

    def _rate_limit(self, token: str, search: bool) -> dict[str, str]:
        """Count the request; 429 when over a limit. Search answers carry no limit headers."""
        now = time.monotonic()
        limit = self._search_per_second if search else self._per_ten_seconds
        window = self._windows.setdefault((token, search), deque())
        while window and window[0] <= now - (1.0 if search else 10.0):
            window.popleft()
        used_today = self._daily_used.get(token, 0)
        policy = None
        if self._daily is not None and used_today >= self._daily:
            policy = "DAILY"
        elif limit is not None and len(window) >= limit:
            policy = "SECONDLY" if search else "TEN_SECONDLY_ROLLING"
        if policy is None:
            window.append(now)
            self._daily_used[token] = used_today = used_today + 1
        headers: dict[str, str] = {}
        if not search:
            most = self._per_ten_seconds if self._per_ten_seconds is not None else 1_000_000
            headers = {
                "X-HubSpot-RateLimit-Max": str(most),
                "X-HubSpot-RateLimit-Remaining": str(max(most - len(window), 0)),
                "X-HubSpot-RateLimit-Interval-Milliseconds": "10000",
            }
            if self._daily is not None:
                headers["X-HubSpot-RateLimit-Daily"] = str(self._daily)
                headers["X-HubSpot-RateLimit-Daily-Remaining"] = str(self._daily - used_today)
        if policy is not None:
            exc = ApiError(429, "RATE_LIMITS", "")
            exc.body = _rate_limit_body(policy)
            exc.headers = headers
            if self._retry_after is not None:
                exc.headers["Retry-After"] = f"{self._retry_after:g}"
            raise exc
        return headers

    def _route(  # noqa: PLR0911 (one return per route)
        self, method: str, path: str, params: dict[str, list[str]], body: Any, source: str
    ) -> Reply:
        match [p for p in path.split("/") if p]:
            case ["crm", "v3", "objects", t] if method == "GET":
                return Reply(200, self._list(self._type(t), path, params))
            case ["crm", "v3", "objects", t] if method == "POST":  # a batch of one, no trace id
                one = _obj(body) | {"objectWriteTraceId": None}
                return Reply(201, self._batch_create(self._type(t), [one], source)[0][0])
            case ["crm", "v3", "objects", t, "search"] if method == "POST":
                return Reply(200, self._search(self._type(t), _obj(body)))
            case ["crm", "v3", "objects", t, "batch", op] if method == "POST":
                return self._batch(self._type(t), op, params, body, source)
            case ["crm", "v3", "objects", t, key] if method in ("GET", "PATCH", "DELETE"):
                return self._one(method, self._type(t), key, params, body=body, source=source)
            case ["crm", "v4", "objects", f, fid, "associations", "default", t, tid] if (
                method == "PUT"
            ):
                return self._v4_one(method, self._type(f), fid, self._type(t), tid)
            case ["crm", "v4", "objects", f, fid, "associations", t] if method == "GET":
                return self._v4_list(self._type(f), fid, self._type(t), params)
            case ["crm", "v4", "objects", f, fid, "associations", t, tid] if method == "DELETE":
                return self._v4_one(method, self._type(f), fid, self._type(t), tid)
            case ["crm", "v4", "associations", f, t, "batch", *op] if method == "POST":
                return self._v4_batch(self._type(f), self._type(t), "/".join(op), body)
        raise _not_found(f"No route for {method} {path}")

    # ------------------------------------------------------------ v3 objects
    def _list(self, t: str, path: str, params: dict[str, list[str]]) -> dict[str, Any]:
        limit = _bounded(_param(params, "limit"), "limit", 10, 1, 100)
        archived = _flag(params, "archived")
        after = _param(params, "after")
        start = 0
        if after:
            try:
                last = int(base64.urlsafe_b64decode(after + "=" * (-len(after) % 4)))
            except (ValueError, binascii.Error):
                raise _bad(f"after is not a valid paging cursor: {after!r}") from None
            start = bisect.bisect_right(self._order[t], last)
        order, records = self._order[t], self._records[t]
        page: list[_Record] = []
        for rid in order[start:] if start else order:
            rec = records[rid]
            if (rec.archived_at is not None) == archived:
                page.append(rec)
                if len(page) > limit:
                    break
        wanted = _names(params.get("properties"))
        assoc = [self._type(n) for n in _names(params.get("associations")) or []]
        out: dict[str, Any] = {
            "results": [self._view(t, rec, wanted, assoc=assoc) for rec in page[:limit]]
        }
        if len(page) > limit:
            cursor = base64.urlsafe_b64encode(str(page[limit - 1].id).encode()).decode()
            cursor = cursor.rstrip("=")
            out["paging"] = {"next": {"after": cursor, "link": f"{self.url}{path}?after={cursor}"}}
        return out

    def _one(
        self, method: str, t: str, key: str, params: dict[str, list[str]], *, body: Any, source: str
    ) -> Reply:
        find = self._finder(t, _param(params, "idProperty"), _flag(params, "archived"))
        if method == "GET":
            if (rec := find(key)) is None:
                raise _not_found()
            wanted = _names(params.get("properties"))
            history = _names(params.get("propertiesWithHistory"))
            assoc = [self._type(n) for n in _names(params.get("associations")) or []]
            return Reply(200, self._view(t, rec, wanted, history=history, assoc=assoc))
        if method == "PATCH":
            if _flag(params, "archived") or (rec := find(key)) is None:
                raise _not_found()
            changes = self._validate(t, _obj(body).get("properties"), creating=False)
            self._update(t, rec, changes, source)
            return Reply(200, self._view(t, rec, [*DEFAULT_PROPERTIES[t], *changes]))
        if (rec := self._records[t].get(_int_or_none(key) or -1)) is None:
            raise _not_found()
        if rec.archived_at is None:  # DELETE archives; repeating it is fine
            self._archive(t, rec)
        return Reply(204)

    def _batch(
        self, t: str, op: str, params: dict[str, list[str]], body: Any, source: str
    ) -> Reply:
        inputs = _inputs(body)
        started = iso(self._clock)
        if op == "read":
            results, errors = self._batch_read(t, inputs, _obj(body), _flag(params, "archived"))
        elif op == "create":
            results, errors = self._batch_create(t, inputs, source)
        elif op in ("update", "upsert"):
            results, errors = self._batch_write(t, op, inputs, source)
        elif op == "archive":
            for item in inputs:
                rec = self._records[t].get(_int_or_none(item.get("id")) or -1)
                if rec is not None and rec.archived_at is None:
                    self._archive(t, rec)
            return Reply(204)
        else:
            raise _not_found(f"Unknown batch operation {op!r}")
        return self._batch_reply(started, results, errors, 201 if op == "create" else 200)

    def _batch_reply(
        self, started: str, results: list[dict[str, Any]], errors: list[dict[str, Any]], ok: int
    ) -> Reply:
        out = {"status": "COMPLETE", "results": results, "startedAt": started}
        out["completedAt"] = iso(self._clock)
        if errors:
            return Reply(207, out | {"errors": errors, "numErrors": len(errors)})
        return Reply(ok, out)

    def _batch_read(
        self, t: str, inputs: list[dict[str, Any]], body: dict[str, Any], archived: bool
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        find = self._finder(t, body.get("idProperty"), archived)
        wanted, history = _names(body.get("properties")), _names(body.get("propertiesWithHistory"))
        results: dict[int, dict[str, Any]] = {}
        missing: list[str] = []
        for item in inputs:
            if (rec := find(str(item.get("id")))) is None:
                missing.append(str(item.get("id")))
            elif rec.id not in results:
                results[rec.id] = self._view(t, rec, wanted, history=history)
        message = f"Could not get some {t} objects, they may be deleted or not exist."
        errors = [self._item_error(_not_found(message), ids=missing)] if missing else []
        return list(results.values()), errors

    @staticmethod
    def _item_error(exc: ApiError, **context: Any) -> dict[str, Any]:
        item = {k: v for k, v in exc.body.items() if k != "correlationId"}
        item["context"] = item.get("context", {}) | context
        return item

    def _batch_create(
        self, t: str, inputs: list[dict[str, Any]], source: str
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Item-level errors need a trace id on every input; otherwise one bad input fails all."""
        traced = all(i.get("objectWriteTraceId") for i in inputs)
        claimed: set[tuple[str, str]] = set()
        plans: list[tuple[dict[str, str | None], list[tuple[str, int]], Any]] = []
        errors: list[dict[str, Any]] = []
        for item in inputs:
            trace = item.get("objectWriteTraceId")
            try:
                props = self._validate(t, item.get("properties"), creating=True)
                links = self._inline_links(t, item.get("associations"))
                self._check_unique(t, props, None, claimed)
            except ApiError as exc:
                if not traced:
                    raise
                errors.append(self._item_error(exc, objectWriteTraceId=[trace]))
                errors[-1]["objectWriteTraceId"] = trace
                continue
            plans.append((props, links, trace))
        results = []
        for props, links, trace in plans:
            rec = self._insert(t, props, source)
            for to, tid in links:
                self._link(t, rec.id, to, tid)
            view = self._view(t, rec, [*DEFAULT_PROPERTIES[t], *props])
            results.append(view | ({"objectWriteTraceId": trace} if trace else {}))
        return results, errors

    def _batch_write(
        self, t: str, op: str, inputs: list[dict[str, Any]], source: str
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Validate every input first (a bad property fails the batch), then apply per item."""
        keys = [(i.get("idProperty"), str(i.get("id"))) for i in inputs]
        if len(set(keys)) != len(keys):
            raise _bad("Duplicate IDs found in batch input")
        plans = []
        for item, (id_property, key) in zip(inputs, keys, strict=True):
            if op == "upsert" and id_property not in (None, "hs_object_id", *UNIQUE[t]):
                raise _bad(f"idProperty {id_property!r} is not a unique property of {t}")
            rec = self._finder(t, id_property, False)(key)
            creating = op == "upsert" and rec is None and id_property not in (None, "hs_object_id")
            props = self._validate(t, item.get("properties"), creating=False)
            if creating:
                props[cast(str, id_property)] = key
                if t == "notes" and not props.get("hs_timestamp"):
                    self._validate(t, props, creating=True)  # raises the missing hs_timestamp
            plans.append((rec, key, props, creating))
        results: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        missing: list[str] = []
        for found, key, props, creating in plans:
            try:
                if creating:
                    self._check_unique(t, props, None, None)
                    rec = self._insert(t, props, source)
                elif found is None:
                    missing.append(key)
                    continue
                else:
                    self._update(t, rec := found, props, source)
            except ApiError as exc:
                errors.append(self._item_error(exc, ids=[key]))
                continue
            view = self._view(t, rec, [*DEFAULT_PROPERTIES[t], *props])
            results.append(view | ({"new": creating} if op == "upsert" else {}))
        if missing:
            errors.append(self._item_error(_not_found(f"Could not find some {t}"), ids=missing))
        return results, errors

    def _search(self, t: str, body: dict[str, Any]) -> dict[str, Any]:
        limit = _bounded(body.get("limit"), "limit", 10, 0, 200)
        after = _bounded(body.get("after"), "after", 0, 0, SEARCH_WINDOW)
        if after + limit > SEARCH_WINDOW:
            raise _bad(f"after + limit must not exceed {SEARCH_WINDOW}; page with a new filter")
        rows = self._matches(t, body)
        wanted = _names(body.get("properties"))
        out: dict[str, Any] = {
            "total": len(rows),
            "results": [
                self._view(t, rec, wanted, ver=ver, live=True)
                for rec, ver in rows[after : after + limit]
            ],
        }
        if after + limit < len(rows):
            out["paging"] = {"next": {"after": str(after + limit)}}
        return out

    def _matches(self, t: str, body: dict[str, Any]) -> list[tuple[_Record, _Version]]:
        """All visible matches in order; cached per query until the next write to the type."""
        groups = body.get("filterGroups") or []
        if not isinstance(groups, list) or len(groups) > 5:
            raise _bad("filterGroups must be a list of at most 5 groups")
        filters = [g.get("filters") or [] if isinstance(g, dict) else None for g in groups]
        if any(not isinstance(f, list) or len(f) > 6 for f in filters):
            raise _bad("each filter group holds a list of at most 6 filters")
        if sum(len(cast(list[Any], f)) for f in filters) > 18:
            raise _bad("at most 18 filters in total")
        checks = [[self._compile(t, spec) for spec in cast(list[Any], f)] for f in filters]
        sort = self._sorter(t, body.get("sorts"))
        query = str(body.get("query") or "").strip().lower()
        cutoff = self._clock - self._search_lag if self._search_lag else None
        shape = json.dumps([groups, body.get("sorts"), query], sort_keys=True, default=str)
        key = (t, shape, self._gen[t], cutoff)
        if key in self._search_cache:
            return self._search_cache[key]
        texts = [n for n, k in CATALOG[t].items() if k == _STR]

        def every(rec: _Record, ver: _Version) -> bool:
            if checks and not any(all(c(rec, ver) for c in group) for group in checks):
                return False
            return not query or any(query in (ver.props.get(n) or "").lower() for n in texts)

        # The incremental pull sends one filter and no query: call it directly, it is hot.
        single = len(checks) == 1 and len(checks[0]) == 1 and not query
        keep = checks[0][0] if single else every
        rows = [
            (rec, ver)
            for rec in self._records[t].values()
            if (ver := self._visible(rec, cutoff)) is not None and keep(rec, ver)
        ]
        if sort is not None:
            rows.sort(key=sort[0], reverse=sort[1])
        if len(self._search_cache) >= 8:
            del self._search_cache[next(iter(self._search_cache))]
        self._search_cache[key] = rows
        return rows

    @staticmethod
    def _visible(rec: _Record, cutoff: int | None) -> _Version | None:
        """The version search sees: the latest, or with lag the latest at ``cutoff``."""
        if cutoff is None:
            return rec.history[-1] if rec.archived_at is None else None
        if rec.created > cutoff or (rec.archived_at is not None and rec.archived_at <= cutoff):
            return None
        return next(v for v in reversed(rec.history) if v.ms <= cutoff)

    def _getter(self, t: str, name: Any) -> tuple[str, Callable[[_Record, _Version], Any]]:
        """A property's kind and a typed reader: floats, epoch ms or lower-case strings."""
        kind = CATALOG[t].get(name) or MANAGED[t].get(name)
        if kind is None:
            raise _bad(f"Unknown property {name!r} for {t}")
        if name == "hs_object_id":
            return kind, lambda r, _v: r.id
        if name == "createdate":
            return kind, lambda r, _v: r.created
        if name in ("hs_lastmodifieddate", "lastmodifieddate"):
            return kind, lambda _r, v: v.ms
        if kind == _NUM:
            return kind, lambda _r, v: None if (x := v.props.get(name)) is None else float(x)
        if kind in (_DATE, _DATETIME):
            return kind, lambda _r, v: None if (x := v.props.get(name)) is None else to_ms(x)
        return kind, lambda _r, v: None if (x := v.props.get(name)) is None else x.lower()

    @staticmethod
    def _convert(kind: str, raw: Any) -> Any:
        text = str(raw).lower()
        if kind == _NUM:
            try:
                return float(text)
            except ValueError:
                raise _bad(f"{raw!r} is not a number") from None
        if kind in (_DATE, _DATETIME):
            ms = to_ms(str(raw))
            if ms is None:
                raise _bad(f"{raw!r} is not a date (epoch ms or ISO-8601)")
            return ms
        return text

    def _compile(  # noqa: PLR0911 (a closure per operator)
        self, t: str, spec: Any
    ) -> Callable[[_Record, _Version], bool]:
        if not isinstance(spec, dict):
            raise _bad("a filter must be an object")
        op = str(spec.get("operator", "EQ")).upper()
        kind, get = self._getter(t, spec.get("propertyName"))

        def arg(name: str) -> Any:
            if name not in spec:
                raise _bad(f"operator {op} needs {name}")
            return self._convert(kind, spec[name])

        if op in _COMPARE:
            target, test = arg("value"), _COMPARE[op]
            return lambda r, v: (x := get(r, v)) is not None and test(x, target)
        if op == "NEQ":
            target = arg("value")
            return lambda r, v: get(r, v) != target
        if op == "BETWEEN":
            low, high = arg("value"), arg("highValue")
            return lambda r, v: (x := get(r, v)) is not None and low <= x <= high
        if op in ("IN", "NOT_IN"):
            if not isinstance(spec.get("values"), list):
                raise _bad(f"operator {op} needs a list of values")
            wanted = {self._convert(kind, x) for x in spec["values"]}
            if op == "IN":
                return lambda r, v: (x := get(r, v)) is not None and x in wanted
            return lambda r, v: get(r, v) not in wanted
        if op in ("HAS_PROPERTY", "NOT_HAS_PROPERTY"):
            has = op == "HAS_PROPERTY"
            return lambda r, v: (get(r, v) is not None) == has
        if op in ("CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"):
            pattern = re.escape(str(spec.get("value", "")).lower()).replace(r"\*", ".*")
            regex = re.compile(pattern)
            name = str(spec.get("propertyName"))

            def contains(_r: _Record, v: _Version) -> bool:
                text = (v.props.get(name) or "").lower()
                return bool(text) and (
                    regex.fullmatch(text) is not None
                    or any(regex.fullmatch(w) for w in _WORDS.split(text))
                )

            if op == "CONTAINS_TOKEN":
                return contains
            return lambda r, v: not contains(r, v)
        raise _bad(f"Unknown operator {op!r}")

    def _sorter(
        self, t: str, sorts: Any
    ) -> tuple[Callable[[tuple[_Record, _Version]], Any], bool] | None:
        """One sort rule, ``{propertyName, direction}`` or ``"prop"``/``"-prop"``; None = id."""
        if not sorts:
            return None
        if not isinstance(sorts, list) or len(sorts) > 1:
            raise _bad("sorts takes exactly one rule")
        rule = sorts[0]
        name: Any = rule
        if isinstance(rule, str):
            name, descending = rule.lstrip("-"), rule.startswith("-")
        elif isinstance(rule, dict):
            name = rule.get("propertyName")
            descending = str(rule.get("direction", "ASCENDING")).upper() == "DESCENDING"
        else:
            raise _bad("a sort rule is an object or a property name")
        _kind, get = self._getter(t, name)

        def key(row: tuple[_Record, _Version]) -> Any:
            x = get(*row)
            return (x is None, 0 if x is None else x, row[0].id)

        return key, descending

    # ------------------------------------------------------------ v4 associations
    def _live(self, t: str, key: Any) -> _Record:
        rec = self._records[t].get(_int_or_none(key) or -1)
        if rec is None or rec.archived_at is not None:
            raise _not_found(f"No {SINGULAR[t]} with id {key}")
        return rec

    @staticmethod
    def _spec(f: str, fid: int, t: str, tid: int) -> dict[str, Any]:
        spec = {"associationCategory": "HUBSPOT_DEFINED"}
        return {
            "from": {"id": str(fid)},
            "to": {"id": str(tid)},
            "associationSpec": spec | {"associationTypeId": ASSOCIATION_TYPE_IDS[(f, t)]},
        }

    def _linked(self, f: str, fid: int, t: str) -> list[dict[str, Any]]:
        """``{toObjectId, associationTypes}`` for each live associated record, ascending."""
        live = self._records[t]
        found = self._links.get((f, fid, t), ())
        kinds = [{"category": "HUBSPOT_DEFINED", "typeId": ASSOCIATION_TYPE_IDS[(f, t)]}]
        return [
            {"toObjectId": i, "associationTypes": [k | {"label": None} for k in kinds]}
            for i in sorted(found)
            if i in live and live[i].archived_at is None
        ]

    def _v4_one(self, method: str, f: str, fid: str, t: str, tid: str) -> Reply:
        a, b = self._live(f, fid), self._live(t, tid)
        if method == "DELETE":
            self._unlink(f, a.id, t, b.id)
            return Reply(204)
        self._link(f, a.id, t, b.id)
        results = [self._spec(f, a.id, t, b.id), self._spec(t, b.id, f, a.id)]
        now = iso(self._clock)
        return Reply(
            200, {"status": "COMPLETE", "results": results, "startedAt": now, "completedAt": now}
        )

    def _v4_list(self, f: str, fid: str, t: str, params: dict[str, list[str]]) -> Reply:
        linked = self._linked(f, self._live(f, fid).id, t)
        limit = _bounded(_param(params, "limit"), "limit", 500, 1, 500)
        after = _bounded(_param(params, "after"), "after", 0, 0, 10**9)
        out: dict[str, Any] = {"results": linked[after : after + limit]}
        if after + limit < len(linked):
            out["paging"] = {"next": {"after": str(after + limit)}}
        return Reply(200, out)

    def _v4_batch(self, f: str, t: str, op: str, body: Any) -> Reply:
        """batch/read, batch/associate/default, batch/archive; a missing record is per item."""
        if (f, t) not in ASSOCIATION_TYPE_IDS:
            raise _bad(f"{f} cannot be associated with {t}")
        if op not in ("read", "associate/default", "archive"):
            raise _not_found(f"Unknown association batch operation {op!r}")
        started = iso(self._clock)
        results: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        for item in _inputs(body):
            fid = (item if op == "read" else item.get("from") or {}).get("id")
            try:
                rec = self._live(f, fid)
                if op == "read":
                    if not (linked := self._linked(f, rec.id, t)):
                        raise _not_found(
                            f"No {SINGULAR[t]} is associated with {SINGULAR[f]} {fid}."
                        )
                    results.append({"from": {"id": str(rec.id)}, "to": linked})
                elif op == "archive":
                    for target in item.get("to") or []:
                        self._unlink(f, rec.id, t, _int_or_none(target.get("id")) or -1)
                else:
                    other = self._live(t, (item.get("to") or {}).get("id"))
                    self._link(f, rec.id, t, other.id)
                    results.append(self._spec(f, rec.id, t, other.id))
            except ApiError as exc:
                errors.append(self._item_error(exc, fromObjectId=[str(fid)]))
        if op == "archive":
            return Reply(204)
        return self._batch_reply(started, results, errors, 200)

    # ------------------------------------------------------------ admin
    def _admin(self, method: str, path: str, raw: bytes) -> Reply:
        """Loopback-only control surface for other processes (no auth, not logged)."""
        route = f"{method} {path.removeprefix('/__admin/').strip('/')}"
        try:
            body = _obj(json.loads(raw) if raw else {})
            with self._lock:
                if route == "POST reset":
                    self.reset()
                elif route == "POST faults":
                    self.add_faults(body.get("rules") or [])
                elif route == "DELETE faults":
                    self._faults.clear()
                elif route == "GET requests":
                    return Reply(200, {"results": list(self.requests)})
                elif route == "DELETE requests":
                    self.requests.clear()
                elif route in ("GET clock", "POST clock"):
                    if "set" in body:
                        self._clock = to_ms(str(body["set"])) or int(body["set"])
                    self._clock += int(body.get("advance_ms", 0))
                    return Reply(200, {"ms": self._clock, "now": iso(self._clock)})
                elif route == "POST config":
                    self._configure(body)
                elif route == "POST seed":
                    seeded = [
                        self.seed(
                            body["objectType"], r["properties"], archived=r.get("archived", 0)
                        )
                        for r in body.get("records") or []
                    ]
                    return Reply(200, {"ids": seeded})
                elif route == "GET state":
                    state = {t: self.records(t) for t in CATALOG}
                    links = [
                        [f, str(i), t, sorted(map(str, ids))]
                        for (f, i, t), ids in self._links.items()
                    ]
                    return Reply(
                        200, {"clock": iso(self._clock), "objects": state, "associations": links}
                    )
                else:
                    raise _not_found(f"No admin route {route}")
        except (ValueError, TypeError, KeyError) as exc:
            raise _bad(f"bad admin request: {exc}") from None
        return Reply(200, {"status": "ok"})

    def _configure(self, body: dict[str, Any]) -> None:
        if "limits" in body:
            self.set_limits(**body["limits"])
        if "search_lag_ms" in body:
            self.set_search_lag(int(body["search_lag_ms"]))
        if "same_millisecond" in body:
            self.same_millisecond = bool(body["same_millisecond"])
        if "associations_bump_modified" in body:
            self.associations_bump_modified = bool(body["associations_bump_modified"])
        if "expired_tokens" in body:
            self.expired_tokens = set(body["expired_tokens"])

    # ------------------------------------------------------------ state (callers hold the lock)
    def _type(self, name: str) -> str:
        t = _ALIASES.get(name.lower())
        if t is None:
            raise _bad(f"Unable to infer object type from: {name}")
        return t

    def _tick(self) -> int:
        if not self.same_millisecond:
            self._clock += 1
        return self._clock

    def _validate(self, t: str, props: Any, *, creating: bool) -> dict[str, str | None]:
        """Normalised values, or 400 listing every read-only, unknown or malformed property."""
        if props is None:
            props = {}
        if not isinstance(props, Mapping):
            raise _bad("properties must be an object")
        out: dict[str, str | None] = {}
        errors = []
        for name, value in props.items():
            kind = CATALOG[t].get(name)
            if name in MANAGED[t]:
                msg = f'"{name}" is a read only property; its value cannot be set.'
                errors.append(_prop_error(name, "READ_ONLY_VALUE", msg))
            elif kind is None:
                msg = f'Property "{name}" does not exist'
                errors.append(_prop_error(name, "PROPERTY_DOESNT_EXIST", msg))
            else:
                try:
                    out[name] = _normalise(kind, value)
                except (TypeError, ValueError) as exc:
                    code = {_NUM: "INVALID_FLOAT", _STR: "INVALID_TYPE"}.get(kind, "INVALID_DATE")
                    errors.append(_prop_error(name, code, f'Property "{name}": {exc}'))
        body = out.get("hs_note_body")
        if body is not None and len(body) > 65_536:
            errors.append(_prop_error("hs_note_body", "INVALID_LENGTH", "hs_note_body too long"))
        if creating and t == "notes" and not out.get("hs_timestamp"):
            msg = 'Property "hs_timestamp" is required'
            errors.append(_prop_error("hs_timestamp", "REQUIRED_PROPERTY", msg))
        if errors:
            summary = "; ".join(e["message"] for e in errors)
            raise _bad(f"Property values were not valid: {summary}", errors=errors)
        return out

    def _check_unique(
        self,
        t: str,
        props: Mapping[str, str | None],
        self_id: int | None,
        claimed: set[tuple[str, str]] | None,
    ) -> None:
        for prop in UNIQUE[t]:
            value = props.get(prop)
            if not value:
                continue
            key = _unique_key(prop, value)
            owner = self._unique[t][prop].get(key)
            if owner is not None and owner != self_id:
                label = SINGULAR[t].capitalize()
                raise ApiError(409, "CONFLICT", f"{label} already exists. Existing ID: {owner}")
            if claimed is not None:
                if (prop, key) in claimed:
                    raise _bad(f"Duplicate {prop} value {value!r} in batch input")
                claimed.add((prop, key))

    def _index(self, t: str, rec: _Record) -> None:
        props = rec.history[-1].props
        for prop in UNIQUE[t]:
            if value := props.get(prop):
                self._unique[t][prop][_unique_key(prop, value)] = rec.id

    def _unindex(self, t: str, rec: _Record) -> None:
        props = rec.history[-1].props
        for prop in UNIQUE[t]:
            value = props.get(prop)
            index = self._unique[t][prop]
            if value and index.get(_unique_key(prop, value)) == rec.id:
                del index[_unique_key(prop, value)]

    def _insert(self, t: str, props: dict[str, str | None], source: str) -> _Record:
        now = self._tick()
        rec = _Record(self._next_id, now, [_Version(now, props, source, tuple(props))])
        self._next_id += 1
        self._records[t][rec.id] = rec
        self._order[t].append(rec.id)
        self._index(t, rec)
        self._gen[t] += 1
        return rec

    def _update(self, t: str, rec: _Record, changes: dict[str, str | None], source: str) -> None:
        self._check_unique(t, changes, rec.id, None)
        self._unindex(t, rec)
        merged = rec.history[-1].props | changes
        rec.history.append(_Version(self._tick(), merged, source, tuple(changes)))
        self._index(t, rec)
        self._gen[t] += 1

    def _archive(self, t: str, rec: _Record) -> None:
        self._unindex(t, rec)
        rec.archived_at = self._tick()
        self._gen[t] += 1

    def _touch(self, t: str, rid: int) -> None:
        rec = self._records[t][rid]
        last = rec.history[-1]
        rec.history.append(_Version(self._tick(), last.props, last.source, ()))
        self._gen[t] += 1

    def _link(self, f: str, fid: int, t: str, tid: int) -> None:
        """Store the pair once (both lookups updated together); reverse type id is derived."""
        if (f, t) not in ASSOCIATION_TYPE_IDS:
            raise _bad(f"{f} cannot be associated with {t}")
        targets = self._links.setdefault((f, fid, t), set())
        if tid in targets:
            return
        targets.add(tid)
        self._links.setdefault((t, tid, f), set()).add(fid)
        if self.associations_bump_modified:
            self._touch(f, fid)
            self._touch(t, tid)

    def _unlink(self, f: str, fid: int, t: str, tid: int) -> None:
        targets = self._links.get((f, fid, t), set())
        if tid not in targets:
            return
        targets.discard(tid)
        self._links.get((t, tid, f), set()).discard(fid)
        if self.associations_bump_modified:
            self._touch(f, fid)
            self._touch(t, tid)

    def _inline_links(self, t: str, spec: Any) -> list[tuple[str, int]]:
        """Validate a create's ``associations``; each ``to`` must be a live record."""
        if not spec:
            return []
        if not isinstance(spec, list):
            raise _bad("associations must be a list")
        links = []
        for item in spec:
            to_id = (item.get("to") or {}).get("id") if isinstance(item, dict) else None
            types = item.get("types") if isinstance(item, dict) else None
            if not isinstance(types, list) or not types:
                raise _bad("each association needs to.id and a non-empty types list")
            for ty in types:
                type_id = _int_or_none(
                    ty.get("associationTypeId") if isinstance(ty, dict) else None
                )
                pair = _PAIR_OF_TYPE_ID.get(type_id or -1)
                if pair is None or pair[0] != t:
                    raise _bad(f"associationTypeId {type_id} is not valid for {t}")
                try:
                    target = self._live(pair[1], to_id)
                except ApiError:
                    raise _bad(
                        f"One or more associations are invalid: no {pair[1]} {to_id}"
                    ) from None
                links.append((pair[1], target.id))
        return links

    def _finder(self, t: str, id_property: Any, archived: bool) -> Callable[[str], _Record | None]:
        """Look records up by id or by a unique property, among live or archived ones."""
        records = self._records[t]
        if id_property in (None, "", "hs_object_id"):

            def by_id(key: str) -> _Record | None:
                rec = records.get(_int_or_none(key) or -1)
                return (
                    rec if rec is not None and (rec.archived_at is not None) == archived else None
                )

            return by_id
        if id_property not in UNIQUE[t]:
            raise _bad(f"idProperty {id_property!r} is not a unique property of {t}")
        prop = cast(str, id_property)
        if archived:  # archived records leave the unique index: build a table for this request
            table = {
                _unique_key(prop, v): rec
                for rec in records.values()
                if rec.archived_at is not None and (v := rec.history[-1].props.get(prop))
            }
            return lambda key: table.get(_unique_key(prop, key))
        index = self._unique[t][prop]
        return lambda key: records.get(index.get(_unique_key(prop, key), -1))

    def _managed(self, t: str, rec: _Record, ver: _Version) -> dict[str, str]:
        created, updated = iso(rec.created), iso(ver.ms)
        out = {"createdate": created, "hs_lastmodifieddate": updated, "hs_object_id": str(rec.id)}
        return out | {"lastmodifieddate": updated} if t == "contacts" else out

    def _view(
        self,
        t: str,
        rec: _Record,
        wanted: Sequence[str] | None,
        *,
        ver: _Version | None = None,
        history: Sequence[str] | None = None,
        assoc: Sequence[str] = (),
        live: bool = False,
    ) -> dict[str, Any]:
        """SimplePublicObject: requested (or default) properties plus the managed ones."""
        ver = ver or rec.history[-1]
        catalog, values = CATALOG[t], ver.props
        props = {n: values.get(n) for n in wanted or DEFAULT_PROPERTIES[t] if n in catalog}
        props |= self._managed(t, rec, ver)
        out: dict[str, Any] = {
            "id": props["hs_object_id"],
            "properties": props,
            "createdAt": props["createdate"],
            "updatedAt": props["hs_lastmodifieddate"],
            "archived": rec.archived_at is not None and not live,
        }
        if out["archived"]:
            out["archivedAt"] = iso(cast(int, rec.archived_at))
        if history:
            out["propertiesWithHistory"] = {
                n: self._history(rec, n) for n in history if n in catalog
            }
        grouped = {}
        for to in assoc:
            if (t, to) in ASSOCIATION_TYPE_IDS and (linked := self._linked(t, rec.id, to)):
                kind = f"{SINGULAR[t]}_to_{SINGULAR[to]}"
                grouped[to] = {
                    "results": [{"id": str(x["toObjectId"]), "type": kind} for x in linked]
                }
        if grouped:
            out["associations"] = grouped
        return out

    @staticmethod
    def _history(rec: _Record, name: str) -> list[dict[str, Any]]:
        """Writes to one property, newest first, with who made them (sourceType/sourceId)."""
        items = []
        for ver in rec.history:
            if name in ver.written:
                kind, _, user = ver.source.partition(":")
                source_type = {"seed": "IMPORT", "app": "INTEGRATION"}.get(kind, "CRM_UI")
                item: dict[str, Any] = {
                    "value": ver.props.get(name) or "",
                    "timestamp": iso(ver.ms),
                }
                item |= {"sourceType": source_type, "sourceId": ver.source}
                if user:
                    item["updatedByUserId"] = 1000 + int(user)
                items.append(item)
        return items[::-1]

    def _snapshot(self, t: str, rec: _Record) -> dict[str, Any]:
        ver = rec.history[-1]
        out: dict[str, Any] = {
            "id": str(rec.id),
            "properties": dict(ver.props) | self._managed(t, rec, ver),
            "createdAt": iso(rec.created),
            "updatedAt": iso(ver.ms),
            "archived": rec.archived_at is not None,
        }
        if rec.archived_at is not None:
            out["archivedAt"] = iso(rec.archived_at)
        return out


def main() -> None:
    """``python -m tests.support.fake_hubspot``: serve until interrupted (manual runs)."""
    hub = FakeHubSpot()
    print(hub.start(), flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        hub.stop()


if __name__ == "__main__":
    main()
