"""Renewals: what is coming up, closing one (and what that writes to the ledger), the forecast
(issue 6).

Reads that lists and the command line need fast (every upcoming renewal of 10,000 contracts)
are plain SQL through :meth:`Store.raw`; closing and re-opening are units of work.
"""

from __future__ import annotations

import itertools
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from am_desktop.db.base import utcnow
from am_desktop.db.models import ArrMovement, Contract, Renewal
from am_desktop.domain.enums import MovementType, RenewalStage, Tier
from am_desktop.domain.records import RenewalRecord
from am_desktop.domain.timeline import add_months, notice_deadline
from am_desktop.errors import NotFoundError, ValidationError
from am_desktop.services import catalog, ledger, summaries
from am_desktop.services.store import Store

#: Stages counted as committed in the forecast.
COMMITTED = (RenewalStage.COMMITTED.value, RenewalStage.RENEWED.value)


@dataclass(frozen=True, slots=True)
class RenewalRow:
    """A contract and its renewal, as the timeline and the upcoming list show them."""

    renewal_id: int
    contract_id: int
    account_id: int
    account: str
    tier: Tier
    owner: str | None
    contract: str
    start_date: date
    end_date: date
    notice_days: int
    arr_cents: int
    currency: str
    stage: RenewalStage
    likelihood: int

    @property
    def notice_deadline(self) -> date | None:
        """The last day to give notice (None without a notice period)."""
        return notice_deadline(self.end_date, self.notice_days)

    def days_left(self, today: date) -> int:
        """Days from today to the contract's end (negative once it ended)."""
        return (self.end_date - today).days

    @property
    def forecast_cents(self) -> int:
        """The ARR weighted by the renewal's likelihood."""
        return self.arr_cents * self.likelihood // 100

    def as_json(self, today: date) -> dict[str, object]:
        """The fields of ``am-desktop renewals --json`` (PRODUCT.md §3)."""
        deadline = self.notice_deadline
        return {
            "account": self.account,
            "contract": self.contract,
            "end_date": self.end_date.isoformat(),
            "notice_deadline": (deadline or self.end_date).isoformat(),
            "days_left": self.days_left(today),
            "arr": self.arr_cents / 100,
            "stage": self.stage.value,
            "likelihood": self.likelihood,
        }


_ROWS = """
SELECT r.id, c.id, a.id, a.name, a.tier, a.owner,
       coalesce(c.name, 'Contract ending ' || c.end_date), c.start_date, c.end_date,
       c.notice_days, c.arr_cents, c.currency, r.stage, r.likelihood
FROM renewal r
JOIN contract c ON c.id = r.contract_id
JOIN account a ON a.id = c.account_id
WHERE r.archived_at IS NULL AND c.archived_at IS NULL AND a.archived_at IS NULL
"""


def _row(values: Any) -> RenewalRow:
    """A row of ``_ROWS`` as a RenewalRow."""
    (renewal, contract, account, name, tier, owner, label, start, end, notice, arr, currency,
     stage, likelihood) = values  # fmt: skip
    return RenewalRow(
        renewal_id=renewal,
        contract_id=contract,
        account_id=account,
        account=name,
        tier=Tier(tier),
        owner=owner,
        contract=label,
        start_date=date.fromisoformat(start),
        end_date=date.fromisoformat(end),
        notice_days=notice or 0,
        arr_cents=arr,
        currency=currency,
        stage=RenewalStage(stage),
        likelihood=likelihood,
    )


def upcoming(
    store: Store, today: date, within_days: int | None = None, *, stage: RenewalStage | None = None
) -> list[RenewalRow]:
    """Active contracts ending from today on (within ``within_days``) whose renewal is open,
    soonest first."""
    sql = _ROWS + " AND c.end_date >= ? AND r.stage NOT IN ('renewed', 'churned')"
    params: list[object] = [today.isoformat()]
    if within_days is not None:
        sql += " AND c.end_date <= ?"
        params.append((today + timedelta(days=within_days)).isoformat())
    if stage is not None:
        sql += " AND r.stage = ?"
        params.append(stage.value)
    sql += " ORDER BY c.end_date, a.name, c.id"
    with store.raw() as connection:
        return [_row(values) for values in connection.execute(sql, params)]


def timeline_rows(store: Store, first: date, last: date) -> list[RenewalRow]:
    """Every live contract overlapping ``first``…``last`` with its renewal (the timeline)."""
    sql = _ROWS + " AND c.end_date >= ? AND c.start_date <= ? ORDER BY c.end_date, a.name, c.id"
    with store.raw() as connection:
        return [
            _row(values)
            for values in connection.execute(sql, (first.isoformat(), last.isoformat()))
        ]


@dataclass(frozen=True, slots=True)
class QuarterForecast:
    """ARR renewing in one quarter."""

    start: date
    end: date
    label: str
    renewals: int
    total_cents: int
    weighted_cents: int
    committed_cents: int


def forecast(store: Store, today: date, quarters: int = 4) -> list[QuarterForecast]:
    """ARR renewing per calendar quarter, this one and the next ``quarters - 1``: the total,
    weighted by likelihood, and committed (committed or already renewed)."""
    first = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    bounds = [add_months(first, 3 * i) for i in range(quarters + 1)]
    with store.raw() as connection:
        rows = _forecast_rows(connection, bounds[0], bounds[-1] - timedelta(days=1))
    result = []
    for start, following in itertools.pairwise(bounds):
        inside = [r for r in rows if start <= r[0] < following]
        result.append(
            QuarterForecast(
                start,
                following - timedelta(days=1),
                f"Q{(start.month - 1) // 3 + 1} {start.year}",
                len(inside),
                sum(r[1] for r in inside),
                sum(r[1] * r[2] // 100 for r in inside),
                sum(r[1] for r in inside if r[3] in COMMITTED),
            )
        )
    return result


def _forecast_rows(
    connection: sqlite3.Connection, first: date, last: date
) -> list[tuple[date, int, int, str]]:
    sql = (
        "SELECT c.end_date, c.arr_cents, r.likelihood, r.stage FROM renewal r "
        "JOIN contract c ON c.id = r.contract_id JOIN account a ON a.id = c.account_id "
        "WHERE r.archived_at IS NULL AND c.archived_at IS NULL AND a.archived_at IS NULL "
        "AND r.stage <> 'churned' AND c.end_date BETWEEN ? AND ?"
    )
    return [
        (date.fromisoformat(end), int(arr), int(likelihood), str(stage))
        for end, arr, likelihood, stage in connection.execute(
            sql, (first.isoformat(), last.isoformat())
        )
    ]


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
        ValidationError: it is closed already, or the outcome is negative.
    """
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
        comment = f"Renewed at {outcome / 100:,.0f} (was {contract.arr_cents / 100:,.0f})"
    else:
        amount = min(contract.arr_cents, ledger.account_arr_in(session, contract.account_id, on))
        if amount <= 0:
            return None
        kind, comment = MovementType.CHURN, "Churned at renewal"
    return ArrMovement(
        account_id=contract.account_id,
        occurred_on=on,
        type=kind,
        amount_cents=amount,
        source="renewal",
        renewal_id=renewal.id,
        comment=comment,
    )


def _start_next_term(session: Session, contract: Contract, arr: int) -> None:
    """The following term: the same length, starting the day after, at the renewed ARR."""
    months = (contract.end_date.year - contract.start_date.year) * 12 + (
        contract.end_date.month - contract.start_date.month
    )
    start = contract.end_date + timedelta(days=1)
    end = add_months(start, max(1, months + (1 if contract.end_date.day < start.day else 0)))
    end -= timedelta(days=1)
    following = Contract(
        account_id=contract.account_id,
        name=contract.name,
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
    session.add(Renewal(contract_id=following.id))


def reopen_renewal(
    store: Store, renewal_id: int, stage: RenewalStage = RenewalStage.NEGOTIATION
) -> RenewalRecord:
    """Undo a close: its ledger movement and an untouched next term are archived."""
    if stage.is_closed:
        raise ValidationError("Re-open to an open stage.", "stage")
    with store.write() as session:
        renewal = session.get(Renewal, renewal_id)
        if renewal is None:
            raise NotFoundError("That renewal no longer exists.")
        contract = session.get(Contract, renewal.contract_id)
        assert contract is not None
        now = utcnow()
        for movement in session.scalars(
            select(ArrMovement).where(
                ArrMovement.renewal_id == renewal.id, ArrMovement.archived_at.is_(None)
            )
        ):
            movement.archived_at = now
        for following in session.scalars(
            select(Contract).where(
                Contract.previous_contract_id == contract.id, Contract.archived_at.is_(None)
            )
        ):
            if following.version == 1:  # made by the close, not worked on since
                following.archived_at = now
                for next_renewal in session.scalars(
                    select(Renewal).where(Renewal.contract_id == following.id)
                ):
                    next_renewal.archived_at = now
        renewal.stage = stage
        renewal.likelihood = 50
        renewal.outcome_arr_cents = None
        renewal.close_date = None
        session.flush()
        summaries.refresh(session, date.today(), [contract.account_id])
        return catalog.RENEWAL.to_record(renewal)


def days_to_renewal(close_date: date, end_date: date) -> int:
    """Time to renewal: days between the close and the contract's end (positive = early)."""
    return (end_date - close_date).days
