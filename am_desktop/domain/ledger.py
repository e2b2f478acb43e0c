"""The ARR ledger's arithmetic (PRODUCT.md §3), on plain values.

An account's ARR at the end of day *d* is the signed sum of its movements dated on or before *d*.
The services compute the same figure in SQL; this module is the reference the tests hold it to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from am_desktop.domain.enums import MovementType


@dataclass(frozen=True, slots=True)
class Movement:
    """One ledger line: ``amount_cents`` is always positive; the type gives the sign."""

    account_key: str
    occurred_on: date
    type: MovementType
    amount_cents: int

    @property
    def signed_cents(self) -> int:
        """The amount with the sign its type gives it."""
        return self.type.sign * self.amount_cents


def arr_by_account(movements: Iterable[Movement], on: date) -> dict[str, int]:
    """Every account's ARR (cents) at the end of ``on``; accounts without movements are absent."""
    totals: dict[str, int] = defaultdict(int)
    for movement in movements:
        if movement.occurred_on <= on:
            totals[movement.account_key] += movement.signed_cents
    return dict(totals)


def portfolio_arr(movements: Iterable[Movement], on: date) -> int:
    """The whole portfolio's ARR (cents) at the end of ``on``."""
    return sum(arr_by_account(movements, on).values())
