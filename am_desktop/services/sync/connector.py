"""What the sync engine needs from a CRM, whichever it is (SYNC.md 4.1; issue 8).

Records travel as *canonical* field values named as the local database names them (text
stripped, e-mails and domains lower-case, amounts in cents, dates ``YYYY-MM-DD``, moments in
epoch milliseconds), so the merge compares like with like and formatting never looks like a
change. Each connector translates to and from its CRM's own properties.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

#: The local kinds of record that sync, parents first (a contact needs its company).
OBJECTS = ("account", "contact", "opportunity", "renewal", "note")


@dataclass(frozen=True, slots=True)
class RemoteRecord:
    """A CRM record: its id, its properties as the CRM sent them, its last-modified time and our
    uid if it carries one (:meth:`Connector.fields` reads the properties as a local kind)."""

    remote_id: str
    props: dict[str, str | None]
    modified_ms: int
    uid: str | None = None
    archived: bool = False
    #: Ids of the records it points at, by what they are here: ``"account"`` (its company),
    #: ``"contact"`` (a note's attendees), ``"reports_to"`` (a contact's manager). HubSpot
    #: keeps these as associations, Salesforce as lookup fields; the connector translates.
    links: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CreateItem:
    """A local record to create remotely, with the remote ids of what it belongs to."""

    local_id: int
    uid: str
    fields: dict[str, Any]
    links: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class WriteResult:
    """What became of one item of a batch write."""

    local_id: int
    ok: bool
    remote_id: str | None = None
    modified_ms: int | None = None
    message: str = ""


@dataclass(frozen=True, slots=True)
class Deletions:
    """What a CRM deleted: these ids; with ``live``, also every record not among them (the
    CRM's deletion log no longer reached back far enough, so every live id was listed).
    ``covered_ms``: where the next look may start (None: look at everything again)."""

    ids: set[str]
    live: set[str] | None = None
    covered_ms: int | None = None


class Connector(Protocol):
    """A CRM, as the engine sees it."""

    name: str
    #: Local kind -> moment fields the CRM keeps as a day only (a Salesforce Task's
    #: ActivityDate): a moment on the same local day counts as the same value.
    day_fields: Mapping[str, frozenset[str]]
    #: The precision of the CRM's modification times in ms (1, or 1000 for Salesforce's
    #: SystemModstamp): a record read again at its agreed time may then hold a newer edit.
    stamp_ms: int

    def remote_type(self, obj: str) -> str:
        """The CRM's object type for a local kind (``account`` -> ``companies``)."""
        ...

    def local_kind(self, remote_type: str, record: RemoteRecord) -> str:
        """The local kind a record not linked yet stands for, where its type holds several
        (a Salesforce Opportunity of Type "Renewal" is a renewal, the others opportunities)."""
        ...

    def stage_values(self) -> list[str]:
        """The CRM's own stage names the account manager may map the app's stages to (the
        org's picklist); [] where the stage map is fixed."""
        ...

    def fields(
        self, obj: str, record: RemoteRecord, *, strict: bool = False, currency: str | None = None
    ) -> dict[str, Any]:
        """A record's canonical values as a local kind (fields the CRM does not say are left
        out, such as a deal stage this app has no name for). A value this app cannot hold
        (``NaN``, an amount or year out of range, a currency code no currency has) raises
        ``RemoteValueError`` when ``strict``, else is left out too. Amounts are minor units of
        the record's currency, else of ``currency`` (the local record's)."""
        ...

    def changed(self, remote_type: str, since_ms: int | None) -> Iterator[list[RemoteRecord]]:
        """Pages of records modified at or after ``since_ms``, oldest first, with their
        associations; with None, every record in the CRM's own order (a full pull)."""
        ...

    def deletions(self, remote_type: str, since_ms: int | None) -> Deletions:
        """Records deleted (archived) in the CRM, since ``since_ms`` where the CRM keeps a
        deletion log (None: since the first sync)."""
        ...

    def read(self, remote_type: str, remote_ids: Sequence[str]) -> dict[str, RemoteRecord]:
        """Current records by id (missing ones left out)."""
        ...

    def find_created(
        self, obj: str, items: Sequence[CreateItem], since_ms: int | None
    ) -> dict[int, RemoteRecord]:
        """Records this app created for ``items`` (by local id) whose answer was lost, sent
        first at ``since_ms``: found by our uid, or by the CRM user and natural key."""
        ...

    def create(self, obj: str, items: Sequence[CreateItem]) -> list[WriteResult]:
        """Create records (one batch; the uid travels with each)."""
        ...

    def update(
        self, obj: str, changes: Sequence[tuple[int, str, Mapping[str, Any]]]
    ) -> list[WriteResult]:
        """Update ``(local id, remote id, {field: canonical value})``: only the fields given."""
        ...

    def archive(self, remote_type: str, remote_ids: Sequence[str]) -> None:
        """Archive records (already archived or missing counts as done)."""
        ...

    def relink(self, obj: str, remote_id: str, kind: str, old: str | None, new: str) -> None:
        """Move a record's association to a ``kind`` record (a contact to another company)."""
        ...

    def set_links(self, obj: str, remote_id: str, kind: str, wanted: set[str]) -> None:
        """Make a record's associations to ``kind`` records exactly ``wanted`` (a note's
        attendees)."""
        ...

    def close(self) -> None: ...


def holds_of(crm: Connector) -> dict[str, tuple[str, ...]]:
    """The CRM's object types, parents first, each with the local kinds it holds (HubSpot's
    deals and Salesforce's Opportunities hold both opportunities and renewals)."""
    holds: dict[str, tuple[str, ...]] = {}
    for obj in OBJECTS:
        remote_type = crm.remote_type(obj)
        holds[remote_type] = (*holds.get(remote_type, ()), obj)
    return holds


def local_day(milliseconds: int) -> str:
    """The account manager's local date of a moment (``YYYY-MM-DD``)."""
    from datetime import datetime

    return datetime.fromtimestamp(milliseconds / 1000).date().isoformat()


def aligned(
    crm: Connector, obj: str, remote: dict[str, Any], *known: Mapping[str, Any]
) -> dict[str, Any]:
    """The CRM's values with each day-only field replaced by a moment known here (the local
    value, then the agreed base) on the same local day: a time of day the CRM cannot hold is
    never a change."""
    for name in crm.day_fields.get(obj, frozenset()):
        theirs = remote.get(name)
        if not isinstance(theirs, int):
            continue
        for values in known:
            mine = values.get(name)
            if isinstance(mine, int) and local_day(mine) == local_day(theirs):
                remote[name] = mine
                break
    return remote
