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


def movement_to_reach(
    current_cents: int, target_cents: int, *, had_history: bool
) -> tuple[MovementType, int] | None:
    """The single movement that takes an account from its current ARR to a target ARR.

    Used when a file states an account's ARR outright: growing from zero is ``new`` (or
    ``reactivation`` when the account had ARR before), falling to zero is ``churn``.

    Returns:
        ``(type, positive amount)``, or None when nothing needs to move.
    """
    delta = target_cents - current_cents
    if delta == 0:
        return None
    if delta > 0:
        if current_cents == 0:
            return (MovementType.REACTIVATION if had_history else MovementType.NEW), delta
        return MovementType.EXPANSION, delta
    if target_cents == 0:
        return MovementType.CHURN, -delta
    return MovementType.CONTRACTION, -delta
