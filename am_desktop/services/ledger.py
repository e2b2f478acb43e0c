"""ARR from the ledger (PRODUCT.md §3): an account's or the portfolio's ARR at a date.

ARR at the end of day *d* is the signed sum of the movements dated on or before *d*; archived
(deleted) movements do not count. Computed in SQL; ``domain.ledger`` is the reference.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session

from am_desktop.db.models import ArrMovement
from am_desktop.domain.enums import MovementType
from am_desktop.domain.records import MovementRecord
from am_desktop.services.catalog import MOVEMENT
from am_desktop.services.store import Store

_NEGATIVE = (MovementType.CONTRACTION.value, MovementType.CHURN.value)

#: The signed amount of a movement, as SQL.
SIGNED_CENTS = case(
    (ArrMovement.__table__.c.type.in_(_NEGATIVE), -ArrMovement.amount_cents),
    else_=ArrMovement.amount_cents,
)


def _live_until(on: date) -> Select[tuple[int, int]]:
    return (
        select(ArrMovement.account_id, func.sum(SIGNED_CENTS))
        .where(ArrMovement.occurred_on <= on, ArrMovement.archived_at.is_(None))
        .group_by(ArrMovement.account_id)
    )


def arr_by_account_in(session: Session, on: date) -> dict[int, int]:
    """Every account's ARR (cents) at the end of ``on``, inside a caller's unit of work."""
    return {account_id: int(total) for account_id, total in session.execute(_live_until(on))}


def account_arr_in(session: Session, account_id: int, on: date, currency: str | None = None) -> int:
    """One account's ARR (minor units) at the end of ``on``, inside a caller's unit of work;
    with ``currency``, only its movements in that currency (amounts are never mixed)."""
    query = select(func.coalesce(func.sum(SIGNED_CENTS), 0)).where(
        ArrMovement.account_id == account_id,
        ArrMovement.occurred_on <= on,
        ArrMovement.archived_at.is_(None),
    )
    if currency is not None:
        query = query.where(ArrMovement.currency == currency)
    total = session.scalar(query)
    return int(total or 0)


def account_arr(store: Store, account_id: int, on: date) -> int:
    """An account's ARR in cents at the end of day ``on``."""
    with store.read() as session:
        return account_arr_in(session, account_id, on)


def portfolio_arr(store: Store, on: date) -> int:
    """The whole portfolio's ARR in cents at the end of day ``on`` (archived accounts included:
    archiving hides an account, it does not rewrite its history)."""
    with store.read() as session:
        total = session.scalar(
            select(func.coalesce(func.sum(SIGNED_CENTS), 0)).where(
                ArrMovement.occurred_on <= on, ArrMovement.archived_at.is_(None)
            )
        )
        return int(total or 0)


def arr_by_account(store: Store, on: date) -> dict[int, int]:
    """Every account's ARR in cents at the end of ``on``; accounts with no movement are absent."""
    with store.read() as session:
        return arr_by_account_in(session, on)


def account_movements(store: Store, account_id: int) -> list[MovementRecord]:
    """An account's movements, oldest first (archived ones left out)."""
    with store.read() as session:
        rows = session.scalars(
            select(ArrMovement)
            .where(ArrMovement.account_id == account_id, ArrMovement.archived_at.is_(None))
            .order_by(ArrMovement.occurred_on, ArrMovement.id)
        )
        return [MOVEMENT.to_record(row) for row in rows]
