"""The ARR ledger: every change to an account's ARR as a dated, positive movement."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from am_desktop.db.base import Base, Record
from am_desktop.db.types import ChoiceType, currency_of
from am_desktop.domain.enums import MovementType


class ArrMovement(Record):
    """One movement; its type gives the sign. Renewals and won opportunities link theirs."""

    __tablename__ = "arr_movement"
    __table_args__ = (
        CheckConstraint("amount_cents > 0", name="amount_positive"),
        Index("ix_arr_movement_account_date", "account_id", "occurred_on"),
        # The live ledger by account, then date, with what the KPIs and charts sum: read from
        # the index alone (a third of the table's size), already grouped by account, so the
        # KPIs need no sort (issue 7).
        Index(
            "ix_arr_movement_live_ledger",
            "account_id",
            "occurred_on",
            "type",
            "amount_cents",
            "currency",
            sqlite_where=text("archived_at IS NULL"),
        ),
    )

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    occurred_on: Mapped[date] = mapped_column(index=True)
    type: Mapped[MovementType] = mapped_column(ChoiceType(MovementType))
    #: In minor units of ``currency`` (ISO 4217; JPY has none, most have two: issue 20).
    amount_cents: Mapped[int]
    currency: Mapped[str] = mapped_column(
        String(3), default=currency_of("account", "account_id"), server_default="USD"
    )
    source: Mapped[str] = mapped_column(String(20), default="manual")
    renewal_id: Mapped[int | None] = mapped_column(
        ForeignKey("renewal.id", ondelete="SET NULL"), index=True
    )
    opportunity_id: Mapped[int | None] = mapped_column(
        ForeignKey("opportunity.id", ondelete="SET NULL"), index=True
    )
    comment: Mapped[str | None] = mapped_column(Text)


class ExchangeRate(Base):
    """On ``day``, 1 ``base`` = ``rate`` ``quote`` (issue 20). The rate is kept as the decimal
    text it was written in, so it stays exact; ``domain.fx`` converts with it."""

    __tablename__ = "fx_rate"
    __table_args__ = (CheckConstraint("base <> quote", name="two_currencies"),)

    day: Mapped[date] = mapped_column("date", primary_key=True)
    base: Mapped[str] = mapped_column(String(3), primary_key=True)
    quote: Mapped[str] = mapped_column(String(3), primary_key=True)
    rate: Mapped[str] = mapped_column(String(40))
