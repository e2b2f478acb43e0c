"""Expansion opportunities won or lost, and what that does to the ARR ledger."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from am_desktop.db.base import utcnow
from am_desktop.db.models import ArrMovement, Opportunity
from am_desktop.domain.enums import MovementType, OpportunityStage
from am_desktop.domain.records import OpportunityRecord
from am_desktop.errors import NotFoundError, ValidationError
from am_desktop.services import summaries
from am_desktop.services.catalog import OPPORTUNITY
from am_desktop.services.store import Store


def close_opportunity(
    store: Store, opportunity_id: int, *, won: bool, on: date
) -> OpportunityRecord:
    """Close an opportunity; a win writes its amount to the ledger as an expansion on ``on``.

    Raises:
        ValidationError: it is closed already, a win has no amount, or the date is outside
            the years stored.
    """
    OPPORTUNITY.check({"close_date": on}, creating=False)
    with store.write() as session:
        row = session.get(Opportunity, opportunity_id)
        if row is None:
            raise NotFoundError("That opportunity no longer exists.")
        if row.stage.is_closed:
            raise ValidationError(f"“{row.name}” is already {row.stage.label.lower()}.", "stage")
        if won and row.amount_cents <= 0:
            raise ValidationError(
                "Give the opportunity an amount before marking it won.", "amount_cents"
            )
        row.stage = OpportunityStage.WON if won else OpportunityStage.LOST
        row.probability = 100 if won else 0
        row.close_date = on
        if won:
            session.add(
                ArrMovement(
                    account_id=row.account_id,
                    occurred_on=on,
                    type=MovementType.EXPANSION,
                    amount_cents=row.amount_cents,
                    currency=row.currency,
                    source="opportunity",
                    opportunity_id=row.id,
                    comment=f"Won: {row.name}",
                )
            )
        session.flush()
        summaries.refresh(session, date.today(), [row.account_id])
        return OPPORTUNITY.to_record(row)


def reopen_opportunity(
    store: Store, opportunity_id: int, stage: OpportunityStage = OpportunityStage.NEGOTIATION
) -> OpportunityRecord:
    """Undo a close: the opportunity is open again and its ledger movement is archived."""
    if stage.is_closed:
        raise ValidationError("Reopen to an open stage.", "stage")
    with store.write() as session:
        row = session.get(Opportunity, opportunity_id)
        if row is None:
            raise NotFoundError("That opportunity no longer exists.")
        movements = session.scalars(
            select(ArrMovement).where(
                ArrMovement.opportunity_id == row.id, ArrMovement.archived_at.is_(None)
            )
        )
        for movement in movements:
            movement.archived_at = utcnow()
        row.stage = stage
        row.probability = 70 if stage is OpportunityStage.NEGOTIATION else row.probability
        row.close_date = None
        session.flush()
        summaries.refresh(session, date.today(), [row.account_id])
        return OPPORTUNITY.to_record(row)
