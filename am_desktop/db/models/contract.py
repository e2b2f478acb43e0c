"""Contracts and their renewals."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from am_desktop.db.base import Record
from am_desktop.db.types import ChoiceType, currency_of
from am_desktop.domain.enums import RenewalStage


class Contract(Record):
    """A term of service: dates, ARR, notice period. ``previous_contract_id`` chains terms."""

    __tablename__ = "contract"
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        CheckConstraint("arr_cents >= 0", name="arr_not_negative"),
        CheckConstraint("notice_days >= 0", name="notice_not_negative"),
        # Today's longest notice period, read from the index's last entry (issue 17).
        Index("ix_contract_live_notice", "notice_days", sqlite_where=text("archived_at IS NULL")),
    )

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[date]
    end_date: Mapped[date] = mapped_column(index=True)
    arr_cents: Mapped[int]
    #: The account's currency unless told otherwise (issue 20).
    currency: Mapped[str] = mapped_column(String(3), default=currency_of("account", "account_id"))
    auto_renew: Mapped[bool] = mapped_column(default=False)
    notice_days: Mapped[int] = mapped_column(default=0)
    previous_contract_id: Mapped[int | None] = mapped_column(
        ForeignKey("contract.id", ondelete="SET NULL")
    )


class Renewal(Record):
    """The renewal of one contract: where it stands and, once closed, how it ended."""

    __tablename__ = "renewal"
    __table_args__ = (CheckConstraint("likelihood BETWEEN 0 AND 100", name="likelihood_range"),)

    contract_id: Mapped[int] = mapped_column(ForeignKey("contract.id"), unique=True)
    stage: Mapped[RenewalStage] = mapped_column(
        ChoiceType(RenewalStage), default=RenewalStage.NOT_STARTED
    )
    likelihood: Mapped[int] = mapped_column(default=50)
    proposed_arr_cents: Mapped[int | None]
    outcome_arr_cents: Mapped[int | None]
    #: The currency of the proposed and outcome ARR: the contract's (issue 20).
    currency: Mapped[str] = mapped_column(
        String(3), default=currency_of("contract", "contract_id"), server_default="USD"
    )
    close_date: Mapped[date | None]
    risk_notes: Mapped[str | None] = mapped_column(Text)
