"""The three-way merge of CRM sync, per field (SYNC.md 4.5; issue 8). Pure, so every row of the
table is unit-tested.

``base`` is the value both sides last agreed on; a field is *dirty* when it changed locally since.
Values are compared in canonical form (the connector normalises numbers, dates, case), so a
difference in formatting is never a change.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class Action(enum.Enum):
    """What to do with one field."""

    SAME = "same"  # not dirty, equal: nothing to do
    TAKE_REMOTE = "take_remote"  # not dirty, the CRM changed it: take theirs
    KEEP_LOCAL = "keep_local"  # dirty, the CRM still has the base: ours stays to be pushed
    CONVERGED = "converged"  # dirty, the CRM has the same value: nothing left to push
    CONFLICT = "conflict"  # both changed it differently: the account manager decides


@dataclass(frozen=True, slots=True)
class FieldMerge:
    """The merge of one field, with the three values behind the decision."""

    field: str
    action: Action
    base: Any
    local: Any
    remote: Any


def merge_field(
    field: str, local: Any, remote: Any, *, dirty: bool, base: Any = None
) -> FieldMerge:
    """Decide one field (``base`` matters only when ``dirty``)."""
    if not dirty:
        action = Action.SAME if local == remote else Action.TAKE_REMOTE
    elif remote == local:
        action = Action.CONVERGED
    elif remote == base:
        action = Action.KEEP_LOCAL
    else:
        action = Action.CONFLICT
    return FieldMerge(field, action, base if dirty else local, local, remote)


def merge_record(
    local: Mapping[str, Any], remote: Mapping[str, Any], bases: Mapping[str, Any]
) -> list[FieldMerge]:
    """Every field the CRM sent, merged with the local record (``bases``: the dirty fields)."""
    return [
        merge_field(field, local.get(field), value, dirty=field in bases, base=bases.get(field))
        for field, value in remote.items()
    ]
