"""SOQL for the Salesforce connector: literals, the incremental pull's query, and paging through
``nextRecordsUrl`` (SYNC.md §2; issue 18)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from am_desktop.services.sync.http import CrmHttp, json_of
from am_desktop.services.sync.mapping import unexpected


def quoted(value: str | None) -> str:
    """A string literal (or ``null``)."""
    if value is None:
        return "null"
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def moment(milliseconds: int) -> str:
    """A dateTime literal, to the second (SystemModstamp has no finer precision)."""
    return datetime.fromtimestamp(milliseconds // 1000, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def id_list(ids: Sequence[str]) -> str:
    return "(" + ", ".join(quoted(i) for i in ids) + ")"


def changed_since(sobject: str, fields: Sequence[str], where: Sequence[str],
                  since_ms: int | None) -> str:  # fmt: skip
    """Records modified at or after a time, oldest first with ties broken by id: a page that
    ends inside one second and a cursor on that second lose nothing (``>=``, de-duplicated)."""
    conditions = list(where)
    if since_ms is not None:
        conditions.append(f"SystemModstamp >= {moment(since_ms)}")
    clause = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return f"SELECT {', '.join(fields)} FROM {sobject}{clause} ORDER BY SystemModstamp, Id"


def pages(http: CrmHttp, base: str, soql: str, *, all_rows: bool = False) -> Iterator[list[Any]]:
    """Each batch of a query's records, following ``nextRecordsUrl`` until ``done``;
    ``all_rows`` uses ``queryAll`` (archived activities and deleted rows too)."""
    path = f"{base}/{'queryAll' if all_rows else 'query'}"
    params: dict[str, str] | None = {"q": soql}
    while True:
        body = json_of(http.request("GET", path, params=params))
        if not isinstance(body, dict) or not isinstance(body.get("records"), list):
            raise unexpected("a query answer without records")
        yield [r for r in body["records"] if isinstance(r, dict)]
        following = body.get("nextRecordsUrl")
        if body.get("done", True) or not following:
            return
        path, params = str(following), None
