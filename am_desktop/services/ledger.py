"""ARR from the ledger (PRODUCT.md §3): an account's or the portfolio's ARR at a date.

ARR at the end of day *d* is the signed sum of the movements dated on or before *d*; archived
(deleted) movements do not count. Computed in SQL; ``domain.ledger`` is the reference.

Amounts are never added across currencies (issue 20): an account's ARR is in its own currency,
a movement in another converting at the latest rate on or before *d* (``summaries``' rule; None
without a rate); the portfolio's converts every currency at one rate into the one asked for.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from am_desktop.db.models import Account, ArrMovement
from am_desktop.domain import fx
from am_desktop.domain.enums import MovementType
from am_desktop.domain.records import MovementRecord
from am_desktop.services import summaries
from am_desktop.services.catalog import MOVEMENT
from am_desktop.services.rates import missing_rate_error, rate_book_in
from am_desktop.services.store import Store, driver_connection

_NEGATIVE = (MovementType.CONTRACTION.value, MovementType.CHURN.value)

#: The signed amount of a movement, as SQL.
SIGNED_CENTS = case(
    (ArrMovement.__table__.c.type.in_(_NEGATIVE), -ArrMovement.amount_cents),
    else_=ArrMovement.amount_cents,
)


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


def account_arr(store: Store, account_id: int, on: date) -> int | None:
    """An account's ARR at the end of day ``on``, in its own currency's minor units; None when
    a movement in another currency has no rate."""
    return arr_by_account(store, on, [account_id]).get(account_id, 0)


def portfolio_arr(store: Store, on: date, currency: str = "USD") -> int:
    """The whole portfolio's ARR at the end of day ``on`` in ``currency``, each currency at one
    rate as of ``on`` (archived accounts included: archiving hides an account, it does not
    rewrite its history).

    Raises:
        ValidationError: a currency of the ledger has no rate into ``currency``.
    """
    by_currency = select(ArrMovement.currency, func.sum(SIGNED_CENTS)).where(
        ArrMovement.occurred_on <= on, ArrMovement.archived_at.is_(None)
    )
    with store.read() as session:
        totals = {
            code: int(total)
            for code, total in session.execute(by_currency.group_by(ArrMovement.currency))
        }
        book = rate_book_in(driver_connection(session))
    try:
        conversion = fx.conversion(book, totals, currency, on)
    except fx.MissingRate as error:
        raise missing_rate_error(error) from error
    return sum(conversion.convert(total, code) for code, total in totals.items())


def arr_by_account(
    store: Store, on: date, account_ids: Iterable[int] | None = None
) -> dict[int, int | None]:
    """Every account's ARR at the end of ``on`` in its own currency (None when a movement in
    another currency has no rate); accounts with no movement are absent."""
    query = (
        select(
            ArrMovement.account_id, Account.currency, ArrMovement.currency, func.sum(SIGNED_CENTS)
        )
        .join(Account, Account.id == ArrMovement.account_id)
        .where(ArrMovement.occurred_on <= on, ArrMovement.archived_at.is_(None))
        .group_by(ArrMovement.account_id, ArrMovement.currency)
    )
    if account_ids is not None:
        query = query.where(ArrMovement.account_id.in_(list(account_ids)))
    with store.read() as session:
        rows = [(a, own, code, int(total)) for a, own, code, total in session.execute(query)]
        book = rate_book_in(driver_connection(session)) if any(r[1] != r[2] for r in rows) else None
    found: dict[int, int | None] = {}
    for account_id, own, code, total in rows:
        part = (
            total
            if code == own
            else summaries.foreign_arr(book or fx.RateBook(), total, code, own, on)
        )
        known = found.get(account_id, 0)
        found[account_id] = None if known is None or part is None else known + part
    return found


def account_movements(store: Store, account_id: int) -> list[MovementRecord]:
    """An account's movements, oldest first (archived ones left out)."""
    with store.read() as session:
        rows = session.scalars(
            select(ArrMovement)
            .where(ArrMovement.account_id == account_id, ArrMovement.archived_at.is_(None))
            .order_by(ArrMovement.occurred_on, ArrMovement.id)
        )
        return [MOVEMENT.to_record(row) for row in rows]
