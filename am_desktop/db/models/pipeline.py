"""Expansion opportunities and escalations (customer issues)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from am_desktop.db.base import Record
from am_desktop.db.types import ChoiceType, currency_of
from am_desktop.domain.enums import EscalationStatus, OpportunityKind, OpportunityStage, Severity


class Opportunity(Record):
    """An upsell or cross-sell; winning it writes an expansion to the ledger."""

    __tablename__ = "opportunity"
    __table_args__ = (CheckConstraint("probability BETWEEN 0 AND 100", name="probability_range"),)

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    kind: Mapped[OpportunityKind] = mapped_column(
        ChoiceType(OpportunityKind), default=OpportunityKind.UPSELL
    )
    name: Mapped[str] = mapped_column(String(200))
    product: Mapped[str | None] = mapped_column(String(200))
    amount_cents: Mapped[int] = mapped_column(default=0)
    #: The amount's currency: the account's unless told otherwise (issue 20).
    currency: Mapped[str] = mapped_column(
        String(3), default=currency_of("account", "account_id"), server_default="USD"
    )
    stage: Mapped[OpportunityStage] = mapped_column(
        ChoiceType(OpportunityStage), default=OpportunityStage.IDENTIFIED
    )
    probability: Mapped[int] = mapped_column(default=10)
    close_date: Mapped[date | None]
    notes: Mapped[str | None] = mapped_column(Text)
    #: The note whose ``#expansion`` line made this opportunity.
    note_id: Mapped[int | None] = mapped_column(ForeignKey("note.id", ondelete="SET NULL"))


class Escalation(Record):
    """A customer issue or escalation, with its severity and resolution."""

    __tablename__ = "escalation"
    __table_args__ = (
        # Today's open escalations without reading the resolved ones (issue 17).
        Index(
            "ix_escalation_unresolved",
            "account_id",
            sqlite_where=text("status <> 'resolved' AND archived_at IS NULL"),
        ),
    )

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[Severity] = mapped_column(ChoiceType(Severity), default=Severity.MEDIUM)
    status: Mapped[EscalationStatus] = mapped_column(
        ChoiceType(EscalationStatus), default=EscalationStatus.OPEN
    )
    internal_owner: Mapped[str | None] = mapped_column(String(100))
    opened_on: Mapped[date]
    resolved_on: Mapped[date | None]
    resolution: Mapped[str | None] = mapped_column(Text)
