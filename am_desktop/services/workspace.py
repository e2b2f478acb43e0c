"""Everything an account's workspace shows, read in one unit of work."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from am_desktop.db.base import Record
from am_desktop.db.models import (
    Account,
    AccountObjective,
    Contract,
    Escalation,
    Opportunity,
)
from am_desktop.domain import records as r
from am_desktop.domain.enums import HealthBand
from am_desktop.errors import NotFoundError
from am_desktop.services import catalog, portfolio
from am_desktop.services.activity import ActivityItem, account_activity
from am_desktop.services.entities import EntityKind
from am_desktop.services.renewals import RenewalLine, account_renewals
from am_desktop.services.store import Store

M = TypeVar("M", bound=Record)
D = TypeVar("D", bound=r.StoredRecord)


@dataclass(frozen=True, slots=True)
class AccountOverview:
    """An account with its figures and its plan, pipeline and issues (live records only)."""

    account: r.AccountRecord
    arr_cents: int
    next_renewal_on: date | None
    days_to_renewal: int | None
    health_score: float | None
    objectives: tuple[r.ObjectiveRecord, ...]
    risks: tuple[r.RiskRecord, ...]
    whitespace: tuple[r.WhitespaceRecord, ...]
    opportunities: tuple[r.OpportunityRecord, ...]
    escalations: tuple[r.EscalationRecord, ...]
    activity: tuple[ActivityItem, ...] = ()
    contracts: tuple[r.ContractRecord, ...] = ()
    renewals: tuple[RenewalLine, ...] = ()
    health_band: HealthBand | None = None
    health_change: float | None = None


def account_overview(store: Store, account_id: int, today: date) -> AccountOverview:
    """The workspace's data for one account."""
    with store.read() as session:
        account = session.get(Account, account_id)
        if account is None:
            raise NotFoundError("That account no longer exists.")
        record = catalog.ACCOUNT.to_record(account)
        objectives = _live(session, catalog.OBJECTIVE, account_id, AccountObjective.position)
        risks = _live(session, catalog.RISK, account_id)
        whitespace = _live(session, catalog.WHITESPACE, account_id)
        opportunities = _live(session, catalog.OPPORTUNITY, account_id, Opportunity.close_date)
        escalations = _live(session, catalog.ESCALATION, account_id, Escalation.opened_on.desc())
        activity = tuple(account_activity(session, account_id))
        contracts = _live(session, catalog.CONTRACT, account_id, Contract.end_date.desc())
        renewal_lines = account_renewals(session, account_id)
    row = portfolio.account_rows(store, [account_id], today).get(account_id)
    return AccountOverview(
        account=record,
        arr_cents=row.arr_cents if row else 0,
        next_renewal_on=row.next_renewal_on if row else None,
        days_to_renewal=row.days_to_renewal if row else None,
        health_score=row.health_score if row else None,
        objectives=objectives,
        risks=risks,
        whitespace=whitespace,
        opportunities=opportunities,
        escalations=escalations,
        activity=activity,
        contracts=contracts,
        renewals=renewal_lines,
        health_band=row.health_band if row else None,
        health_change=row.health_change if row else None,
    )


def _live(session: Session, kind: EntityKind[M, D], account_id: int, *order: Any) -> tuple[D, ...]:
    """An account's live records of one kind, in ``order`` then id."""
    model: Any = kind.model
    query = (
        select(model)
        .where(model.account_id == account_id, model.archived_at.is_(None))
        .order_by(*order, model.id)
    )
    return tuple(kind.to_record(row) for row in session.scalars(query))
