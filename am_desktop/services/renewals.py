"""Closing a renewal, what that writes to the ARR ledger, and re-opening it (issue 6).

The reads (upcoming renewals, the timeline, the forecast) are in
:mod:`am_desktop.services.renewal_queries`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from am_desktop.db.base import utcnow
from am_desktop.db.models import ArrMovement, Contract, Renewal
from am_desktop.domain import formatting as fmt
from am_desktop.domain.enums import MovementType, RenewalStage
from am_desktop.domain.records import RenewalRecord
from am_desktop.domain.timeline import next_term, notice_deadline, term_end
from am_desktop.errors import NotFoundError, ValidationError
from am_desktop.services import catalog, ledger, summaries
from am_desktop.services.store import Store

# --------------------------------------------------------------------------- closing


def close_renewal(
    store: Store,
    renewal_id: int,
    *,
    renewed: bool,
    on: date,
    outcome_arr_cents: int | None = None,
    next_term: bool = False,
) -> RenewalRecord:
    """Close a renewal and write what it did to the ARR ledger, dated ``on``.

    Renewed at the same ARR writes nothing but the close; higher, an expansion of the
    difference; lower, a contraction. Churned writes a churn of the contract's ARR (at most
    what the account has left). ``next_term`` starts the following contract term (same length,
    the outcome ARR) with a fresh renewal.

    Raises:
        ValidationError: it is closed already, the outcome is negative or too large, or the
            date is outside the years stored.
    """
    catalog.RENEWAL.check({"close_date": on}, creating=False)  # the rules a form's date meets
    with store.write() as session:
        renewal = session.get(Renewal, renewal_id)
        if renewal is None:
            raise NotFoundError("That renewal no longer exists.")
        if renewal.stage.is_closed:
            raise ValidationError(f"This renewal is already {renewal.stage.label.lower()}.")
        contract = session.get(Contract, renewal.contract_id)
        assert contract is not None
        current = contract.arr_cents
        outcome = (
            (outcome_arr_cents if outcome_arr_cents is not None else current) if renewed else 0
        )
        if outcome < 0:
            raise ValidationError("The outcome ARR cannot be negative.", "outcome_arr_cents")
        catalog.RENEWAL.check({"outcome_arr_cents": outcome}, creating=False)
        movement = _movement(session, renewal, contract, renewed=renewed, outcome=outcome, on=on)
        if movement is not None:
            session.add(movement)
        renewal.stage = RenewalStage.RENEWED if renewed else RenewalStage.CHURNED
        renewal.likelihood = 100 if renewed else 0
        renewal.outcome_arr_cents = outcome
        renewal.close_date = on
        if renewed and next_term:
            _start_next_term(session, contract, outcome)
        session.flush()
        summaries.refresh(session, date.today(), [contract.account_id])
        return catalog.RENEWAL.to_record(renewal)


def _movement(
    session: Session, renewal: Renewal, contract: Contract, *, renewed: bool, outcome: int, on: date
) -> ArrMovement | None:
    """The ledger's record of how a renewal closed (None: renewed flat, or nothing left)."""
    if renewed:
        change = outcome - contract.arr_cents
        if change == 0:
            return None
        kind = MovementType.EXPANSION if change > 0 else MovementType.CONTRACTION
        amount = abs(change)
        was, now = (fmt.money(v, contract.currency) for v in (contract.arr_cents, outcome))
        comment = f"Renewed at {now} (was {was})"
    else:
        held = ledger.account_arr_in(session, contract.account_id, on, contract.currency)
        amount = min(contract.arr_cents, held)
        if amount <= 0:
            return None
        kind, comment = MovementType.CHURN, "Churned at renewal"
    return ArrMovement(
        account_id=contract.account_id,
        occurred_on=on,
        type=kind,
        amount_cents=amount,
        currency=contract.currency,
        source="renewal",
        renewal_id=renewal.id,
        comment=comment,
    )


def next_term_name(name: str | None, year: int, following_year: int) -> str | None:
    """The following term's name: a name that ends in its term's start year (``year``, as in
    "Platform subscription 2025") ends in the following term's instead; any other is kept."""
    if name is None:
        return None
    stem, _, last = name.rpartition(" ")
    if stem and last == str(year):
        return f"{stem} {following_year}"
    return name


def _start_next_term(session: Session, contract: Contract, arr: int) -> None:
    """The following term: the same length, starting the day after, at the renewed ARR."""
    start, end = next_term(contract.start_date, contract.end_date)
    following = Contract(
        account_id=contract.account_id,
        name=next_term_name(contract.name, contract.start_date.year, start.year),
        start_date=start,
        end_date=end,
        arr_cents=arr,
        currency=contract.currency,
        auto_renew=contract.auto_renew,
        notice_days=contract.notice_days,
        previous_contract_id=contract.id,
    )
    session.add(following)
    session.flush()
    session.add(Renewal(contract_id=following.id, currency=following.currency))


@dataclass(frozen=True, slots=True)
class Reopened:
    """What a re-open undid, so undoing the re-open can put exactly that back."""

    renewal_id: int
    stage: RenewalStage
    likelihood: int
    outcome_arr_cents: int | None
    close_date: date | None
    movement_ids: tuple[int, ...]
    contract_ids: tuple[int, ...]
    renewal_ids: tuple[int, ...]


def reopen_renewal(
    store: Store,
    renewal_id: int,
    stage: RenewalStage = RenewalStage.NEGOTIATION,
    likelihood: int = 50,
) -> Reopened:
    """Undo a close: its ledger movement and the next term it started are archived.

    Raises:
        ValidationError: the next term has been worked on since (edited, or its own renewal
            closed): re-opening would leave it beside this one, or undo that work.
    """
    if stage.is_closed:
        raise ValidationError("Re-open to an open stage.", "stage")
    with store.write() as session:
        renewal = session.get(Renewal, renewal_id)
        if renewal is None:
            raise NotFoundError("That renewal no longer exists.")
        contract = session.get(Contract, renewal.contract_id)
        assert contract is not None
        before = Reopened(
            renewal.id,
            renewal.stage,
            renewal.likelihood,
            renewal.outcome_arr_cents,
            renewal.close_date,
            (),
            (),
            (),
        )
        terms = session.scalars(
            select(Contract).where(
                Contract.previous_contract_id == contract.id, Contract.archived_at.is_(None)
            )
        ).all()
        renewals_of_terms = session.scalars(
            select(Renewal).where(
                Renewal.contract_id.in_([t.id for t in terms]), Renewal.archived_at.is_(None)
            )
        ).all()
        touched = [t for t in terms if t.version > 1] + [
            r for r in renewals_of_terms if r.version > 1 or r.stage.is_closed
        ]
        if touched:
            name = terms[0].name or "the next term"
            raise ValidationError(
                f"The next term ({name}) has been worked on since this renewal closed. "
                "Re-open or archive it first, so nothing is lost or doubled."
            )
        now = utcnow()
        movements = session.scalars(
            select(ArrMovement).where(
                ArrMovement.renewal_id == renewal.id, ArrMovement.archived_at.is_(None)
            )
        ).all()
        for row in [*movements, *terms, *renewals_of_terms]:
            row.archived_at = now
        renewal.stage = stage
        renewal.likelihood = likelihood
        renewal.outcome_arr_cents = None
        renewal.close_date = None
        session.flush()
        summaries.refresh(session, date.today(), [contract.account_id])
        return dataclasses.replace(
            before,
            movement_ids=tuple(m.id for m in movements),
            contract_ids=tuple(t.id for t in terms),
            renewal_ids=tuple(r.id for r in renewals_of_terms),
        )


def restore_close(store: Store, reopened: Reopened) -> RenewalRecord:
    """Undo a re-open: the close, its movement and its next term, exactly as they were."""
    with store.write() as session:
        renewal = session.get(Renewal, reopened.renewal_id)
        if renewal is None:
            raise NotFoundError("That renewal no longer exists.")
        for model, ids in (
            (ArrMovement, reopened.movement_ids),
            (Contract, reopened.contract_ids),
            (Renewal, reopened.renewal_ids),
        ):
            for row in session.scalars(select(model).where(model.id.in_(ids))):
                row.archived_at = None
        renewal.stage = reopened.stage
        renewal.likelihood = reopened.likelihood
        renewal.outcome_arr_cents = reopened.outcome_arr_cents
        renewal.close_date = reopened.close_date
        session.flush()
        contract = session.get(Contract, renewal.contract_id)
        assert contract is not None
        summaries.refresh(session, date.today(), [contract.account_id])
        return catalog.RENEWAL.to_record(renewal)


@dataclass(frozen=True, slots=True, kw_only=True)
class RenewalLine(RenewalRecord):
    """A renewal with its contract's name and dates, as the account's Renewals tab lists it."""

    contract: str
    ends: date
    notice_by: date | None

    @property
    def days_to_renewal(self) -> int | None:
        """Days between the close and the contract's end (positive = early); None while open."""
        return days_to_renewal(self.close_date, self.ends) if self.close_date else None


def account_renewals(session: Session, account_id: int) -> tuple[RenewalLine, ...]:
    """An account's live renewals with their contracts, latest term first (inside a read)."""
    rows = session.execute(
        select(Renewal, Contract)
        .join(Contract, Contract.id == Renewal.contract_id)
        .where(
            Contract.account_id == account_id,
            Contract.archived_at.is_(None),
            Renewal.archived_at.is_(None),
        )
        .order_by(Contract.end_date.desc(), Contract.id.desc())
    ).all()
    return tuple(
        RenewalLine(
            **{f.name: getattr(renewal, f.name) for f in fields(RenewalRecord)},
            contract=contract.name or f"Contract ending {contract.end_date:%d %b %Y}",
            ends=contract.end_date,
            notice_by=notice_deadline(contract.end_date, contract.notice_days),
        )
        for renewal, contract in rows
    )


def add_contract(store: Store, account_id: int, today: date) -> int:
    """A new one-year contract starting today, with its renewal not started; its id."""
    end = term_end(today, 12)
    with store.write() as session:
        contract = Contract(
            account_id=account_id,
            name=f"Contract {today.year}",
            start_date=today,
            end_date=end,
            arr_cents=0,
        )
        session.add(contract)
        session.flush()
        session.add(Renewal(contract_id=contract.id, currency=contract.currency))
        session.flush()
        summaries.refresh(session, date.today(), [account_id])
        return contract.id


def days_to_renewal(close_date: date, end_date: date) -> int:
    """Time to renewal: days between the close and the contract's end (positive = early)."""
    return (end_date - close_date).days
