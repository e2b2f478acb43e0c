"""Per-account figures derived from other tables, cached so the portfolio list can filter and
sort 10,000 accounts in SQL within a keystroke (aggregating the ledger each time costs ~70 ms).

A cache, never a source: ``services.summaries`` rebuilds rows from the ledger, contracts and
renewals after every write that touches them, and all of them when the day changes.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from am_desktop.db.base import Base


class AccountSummary(Base):
    """An account's ARR and next renewal as of ``as_of``."""

    __tablename__ = "account_summary"

    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), primary_key=True
    )
    as_of: Mapped[date]
    #: In the account's currency; None when a movement in another currency has no rate.
    arr_cents: Mapped[int | None] = mapped_column(default=0, index=True)
    #: End date of the earliest active contract whose renewal is still open.
    next_renewal_on: Mapped[date | None] = mapped_column(index=True)
