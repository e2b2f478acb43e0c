"""An ARR movement in a given currency, written as the app writes one (currency tests)."""

from __future__ import annotations

from datetime import date

from am_desktop.services import catalog
from am_desktop.services.store import Store


def move(store: Store, account: int, on: date, kind: str, amount: int, *, currency: str) -> None:
    """A ledger movement of ``amount`` minor units of ``currency`` on ``on``."""
    catalog.movements.create(
        store,
        {
            "account_id": account,
            "occurred_on": on,
            "type": kind,
            "amount_cents": amount,
            "currency": currency,
        },
    )
