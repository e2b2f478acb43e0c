"""How the app's records map onto a Salesforce org's standard objects (PRODUCT.md §5; issue 18).

account ↔ Account, contact ↔ Contact (its manager through ReportsToId), expansion opportunities
and renewals ↔ Opportunity (told apart by Type), notes ↔ Task logged as done. Lookup fields
(AccountId, ReportsToId, WhatId, WhoId) are the engine's links. The stage map is built from the
org's own StageName picklist (or given, as Preferences may edit it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from am_desktop.services.sync.connector import RemoteRecord, local_day
from am_desktop.services.sync.fields import moment_ms
from am_desktop.services.sync.mapping import PropertyMap, unexpected

UID = "AM_Uid__c"
TYPES = {"account": "Account", "contact": "Contact", "opportunity": "Opportunity",
         "renewal": "Opportunity", "note": "Task"}  # fmt: skip
#: Local kind -> "local_field=SalesforceField …" (the standard fields only: an account manager
#: cannot add custom fields to the org). ``CurrencyIsoCode`` exists only in a multi-currency
#: org: elsewhere describe lacks it, so it is neither read nor written and amounts are in the
#: local record's currency (its account's for a new one).
_NAMES = {
    "account": "name=Name domain=Website industry=Industry currency=CurrencyIsoCode",
    "contact": "first_name=FirstName last_name=LastName email=Email title=Title phone=Phone",
    "opportunity": "name=Name amount_cents=Amount close_date=CloseDate stage=StageName "
    "currency=CurrencyIsoCode",
    "renewal": "proposed_arr_cents=Amount close_date=CloseDate stage=StageName "
    "currency=CurrencyIsoCode",
    "note": "body=Description occurred_at=ActivityDate",
}
PROPERTIES: dict[str, dict[str, str]] = {
    obj: dict(pair.split("=", 1) for pair in names.split()) for obj, names in _NAMES.items()
}
#: Lookup field -> the local kind it links to, by Salesforce object.
LOOKUPS = {
    "Account": {},
    "Contact": {"AccountId": "account", "ReportsToId": "reports_to"},
    "Opportunity": {"AccountId": "account"},
    "Task": {"AccountId": "account", "WhoId": "contact"},
}
#: Fields read besides the mapped ones (those the org lacks are left out).
EXTRA = {"Opportunity": ("Type",), "Task": ("Subject", "WhatId", "Status")}
#: Local stage -> the org's stages that may stand for it, most fitting first.
STAGE_CHOICES: dict[str, dict[str, tuple[str, ...]]] = {
    "opportunity": {
        "identified": ("Prospecting",),
        "qualified": ("Qualification", "Needs Analysis"),
        "proposal": ("Proposal/Price Quote", "Value Proposition"),
        "negotiation": ("Negotiation/Review",),
        "won": ("Closed Won",),
        "lost": ("Closed Lost",),
    },
    "renewal": {
        "not_started": ("Prospecting",),
        "discovery": ("Needs Analysis", "Qualification"),
        "proposal": ("Proposal/Price Quote", "Value Proposition"),
        "negotiation": ("Negotiation/Review",),
        "committed": ("Perception Analysis", "Id. Decision Makers"),
        "renewed": ("Closed Won",),
        "churned": ("Closed Lost",),
    },
}
#: Opportunity Type by local kind, the first the org's picklist has.
TYPE_CHOICES = {"opportunity": ("Existing Customer - Upgrade",),
                "renewal": ("Renewal", "Existing Customer - Replacement")}  # fmt: skip
#: Salesforce id prefixes of the objects a Task may point at.
PREFIX = {"account": "001", "contact": "003"}


def stage_map(picklist: Sequence[str], given: Mapping[str, Mapping[str, str]] | None = None
              ) -> dict[str, dict[str, str]]:  # fmt: skip
    """Local stage -> the org's stage, one to one: the given map (Preferences) where it names a
    stage the org has, else the first fitting standard name the picklist holds, else the org's
    stage at the same place in its sales order (a stage with none left is not mapped)."""
    result: dict[str, dict[str, str]] = {}
    for obj, choices in STAGE_CHOICES.items():
        taken: set[str] = set()
        result[obj] = {}
        for local, names in choices.items():
            wanted = (given or {}).get(obj, {}).get(local)
            options = ((wanted,) if wanted else ()) + names
            pick = next((n for n in options if n in picklist and n not in taken), None)
            if pick is not None:
                result[obj][local] = pick
                taken.add(pick)
        for local, pick in _by_place(list(choices), picklist, taken).items():
            result[obj].setdefault(local, pick)
    return result


def _by_place(stages: list[str], picklist: Sequence[str], taken: set[str]) -> dict[str, str]:
    """For an org whose stages have other names: the closing stages by the words Won and Lost,
    the open ones by their place in the org's order (Salesforce lists stages as a deal moves,
    its probability rising), each org stage used once."""
    found: dict[str, str] = {}
    free = [v for v in picklist if v not in taken]
    for local, word in ((stages[-2], "won"), (stages[-1], "lost")):
        pick = next((v for v in free if word in v.lower().split()), None)
        if pick is not None:
            found[local] = pick
            free.remove(pick)
    closing = {v for v in free if {"won", "lost", "closed"} & set(v.lower().split())}
    open_values = [v for v in free if v not in closing]
    open_stages = stages[:-2]
    for index, local in enumerate(open_stages):
        if not open_values:
            break
        place = round(index * (len(open_values) - 1) / max(1, len(open_stages) - 1))
        pick = open_values[min(place, len(open_values) - 1)]
        if pick not in found.values():
            found[local] = pick
    return found


def names_for(stages: Mapping[str, Mapping[str, str]]) -> PropertyMap:
    return PropertyMap(PROPERTIES, stages)


def json_value(kind: str, value: Any) -> Any:
    """A canonical value as Salesforce's JSON (numbers, ``YYYY-MM-DD``, null clears)."""
    if value is None:
        return None
    if kind in ("cents", "cents0"):
        return int(value) / 100
    if kind == "decimal":  # an amount: a JSON number, as exact as its currency's decimals
        return float(value)
    if kind == "moment":  # a Task's ActivityDate: the account manager's local day
        return local_day(int(value))
    return value


def remote_record(sobject: str, row: Mapping[str, Any]) -> RemoteRecord:
    """A queried row as the engine's record (links from its lookup fields).

    Raises:
        SyncError: the row has no Id.
    """
    if not row.get("Id"):
        raise unexpected("a record without an Id")
    props = {k: (None if v is None else str(v)) for k, v in row.items() if k != "attributes"}
    if sobject == "Task" and props.get("ActivityDate"):  # a day: noon, local time
        from datetime import datetime

        day = datetime.fromisoformat(str(props["ActivityDate"])[:10]).replace(hour=12)
        props["ActivityDate"] = str(int(day.timestamp() * 1000))
    links: dict[str, list[str]] = {}
    for lookup, kind in LOOKUPS[sobject].items():
        if lookup in row:
            value = row[lookup]
            keep = value and (kind not in PREFIX or str(value).startswith(PREFIX[kind]))
            links[kind] = [str(value)] if keep else []
    return RemoteRecord(
        remote_id=str(row["Id"]),
        props=props,
        modified_ms=moment_ms(row.get("SystemModstamp")) or 0,
        uid=props.get(UID) or None,
        archived=bool(row.get("IsDeleted")),
        links=links,
    )
