"""What every connector does the same way: read a CRM record's properties as canonical local
values, turn canonical values back into properties, check an answer's shape, page and batch
(issue 18: the HubSpot and Salesforce connectors share these rather than copy them).

Each CRM supplies only its own names (local field -> property), its stage map and how one
canonical value is written in its API (HubSpot wants text, Salesforce JSON numbers and dates).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar

from am_desktop.errors import SyncError, SyncErrorKind
from am_desktop.services.sync.connector import RemoteRecord
from am_desktop.services.sync.fields import (
    AMOUNTS,
    KINDS,
    RemoteValueError,
    checked,
    checked_minor,
    major,
)

T = TypeVar("T")
#: How a CRM writes one canonical value: (field kind, value) -> what its API takes.
Writer = Callable[[str, Any], Any]


def unexpected(what: str) -> SyncError:
    """The CRM answered in a shape no version of its API has: stop, nothing more applied."""
    return SyncError(
        f"The CRM answered something unexpected ({what}); nothing after it was applied. "
        "Try again later; if it keeps happening, contact support.",
        SyncErrorKind.SERVER,
    )


def chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """``items`` in slices of at most ``size`` (a CRM's batch limit)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(slots=True)
class Unseen:
    """Drops records already handed out in this pull: time cursors compare with ``>=`` and
    many records share one time, so a restarted or overlapping page repeats some."""

    seen: set[tuple[str, int]] = field(default_factory=set)

    def __call__(self, page: Iterable[RemoteRecord]) -> list[RemoteRecord]:
        fresh = [r for r in page if (r.remote_id, r.modified_ms) not in self.seen]
        self.seen.update((r.remote_id, r.modified_ms) for r in fresh)
        return fresh


@dataclass(frozen=True, slots=True)
class PropertyMap:
    """One CRM's names for the synced fields, and its stage names."""

    #: Local kind -> local field -> the CRM's property.
    properties: Mapping[str, Mapping[str, str]]
    #: Local kind -> local stage -> the CRM's stage.
    stages: Mapping[str, Mapping[str, str]]

    def read(
        self, obj: str, props: Mapping[str, Any], *, strict: bool, currency: str | None = None
    ) -> dict[str, Any]:
        """Canonical local values of the properties present (a stage this app has no name for
        is left out: no opinion); a value this app cannot hold raises RemoteValueError when
        ``strict``, else is left out too.

        Amounts are read in the record's own currency when the CRM says it, else in
        ``currency`` (the local record's or its account's), else as two-decimal amounts.
        """
        values: dict[str, Any] = {}
        amounts: dict[str, Any] = {}
        stages = {remote: local for local, remote in self.stages.get(obj, {}).items()}
        for name, prop in self.properties[obj].items():
            if prop not in props:
                continue
            raw = props[prop]
            kind = KINDS[obj][name]
            if kind in AMOUNTS and raw is not None and raw != "":
                amounts[name] = raw
                continue
            if kind == "stage":
                if raw not in stages:
                    continue
                raw = stages[raw]
            with _said(name, strict):
                values[name] = checked(obj, name, raw)
        code = values.get("currency") or currency or "USD"
        for name, raw in amounts.items():
            with _said(name, strict):
                values[name] = checked_minor(raw, code)
        return values

    def write(self, obj: str, fields: Mapping[str, Any], writer: Writer) -> dict[str, Any]:
        """Canonical values as the CRM's properties (fields it does not hold are left out;
        None stays None for the writer to say "clear")."""
        props: dict[str, Any] = {}
        for name, value in fields.items():
            prop = self.properties[obj].get(name)
            if prop is None:
                continue
            kind = KINDS[obj][name]
            if value is not None and kind in AMOUNTS:  # exact, in the record's currency
                props[prop] = writer("decimal", major(value, fields.get("currency") or "USD"))
            elif value is not None and kind == "stage":
                props[prop] = writer(kind, self.stages[obj].get(str(value), str(value)))
            else:
                props[prop] = writer(kind, value)
        return props


@contextmanager
def _said(name: str, strict: bool) -> Iterator[None]:
    """A value this app cannot hold: in words naming the field when ``strict``, else left out."""
    try:
        yield
    except RemoteValueError as error:
        if strict:
            label = name.removesuffix("_cents").replace("_", " ")
            raise RemoteValueError(f"its {label} {error}") from None
