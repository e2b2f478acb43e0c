"""What an account's workspace shows, read in parts: one read per part of the screen.

Each tab of the workspace reads only its own part when a change concerns it (the header its
figures, the Overview tab the plan and the timeline, …), so a new risk does not re-read the
contracts. :func:`account_overview` reads every part at once (start-up warming, scripts).
"""

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
from am_desktop.services import catalog, portfolio, summaries
from am_desktop.services.activity import ActivityItem, account_activity
from am_desktop.services.entities import EntityKind
from am_desktop.services.renewals import RenewalLine, account_renewals
from am_desktop.services.store import Store

M = TypeVar("M", bound=Record)
D = TypeVar("D", bound=r.StoredRecord)


@dataclass(frozen=True, slots=True)
class AccountFigures:
    """The account itself and the figures its header shows."""

    account: r.AccountRecord
    #: In the account's currency; None when a movement in another currency has no rate.
    arr_cents: int | None
    next_renewal_on: date | None
    days_to_renewal: int | None
    health_score: float | None
    health_band: HealthBand | None = None
    health_change: float | None = None
    #: Why ``arr_cents`` is None (fx's sentence), else None.
    arr_problem: str | None = None


@dataclass(frozen=True, slots=True)
class AccountPlan:
    """The account plan (objectives, risks, whitespace) and the activity timeline."""

    objectives: tuple[r.ObjectiveRecord, ...]
    risks: tuple[r.RiskRecord, ...]
    whitespace: tuple[r.WhitespaceRecord, ...]
    activity: tuple[ActivityItem, ...] = ()
    #: The account's currency: a whitespace's estimated ARR is in it.
    currency: str = "USD"


@dataclass(frozen=True, slots=True)
class AccountContracts:
    """The account's contracts and each one's renewal."""

    contracts: tuple[r.ContractRecord, ...]
    renewals: tuple[RenewalLine, ...]


@dataclass(frozen=True, slots=True)
class AccountOverview:
    """An account with its figures and its plan, pipeline and issues (live records only)."""

    account: r.AccountRecord
    arr_cents: int | None
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

    @classmethod
    def of_parts(
        cls,
        figures: AccountFigures,
        plan: AccountPlan,
        opportunities: tuple[r.OpportunityRecord, ...],
        contracts: AccountContracts,
        escalations: tuple[r.EscalationRecord, ...],
    ) -> AccountOverview:
        """The whole from the parts the workspace reads one by one."""
        return cls(
            account=figures.account,
            arr_cents=figures.arr_cents,
            next_renewal_on=figures.next_renewal_on,
            days_to_renewal=figures.days_to_renewal,
            health_score=figures.health_score,
            objectives=plan.objectives,
            risks=plan.risks,
            whitespace=plan.whitespace,
            opportunities=opportunities,
            escalations=escalations,
            activity=plan.activity,
            contracts=contracts.contracts,
            renewals=contracts.renewals,
            health_band=figures.health_band,
            health_change=figures.health_change,
        )


def account_figures(store: Store, account_id: int, today: date) -> AccountFigures:
    """The header's part: the account record, its ARR, next renewal and health."""
    with store.read() as session:
        account = session.get(Account, account_id)
        if account is None:
            raise NotFoundError("That account no longer exists.")
        record = catalog.ACCOUNT.to_record(account)
    row = portfolio.account_rows(store, [account_id], today).get(account_id)
    problem = None
    if row is not None and row.arr_cents is None:
        with store.raw() as connection:
            problem = summaries.arr_problem(connection, account_id, today)
    return AccountFigures(
        account=record,
        arr_cents=row.arr_cents if row else 0,
        arr_problem=problem,
        next_renewal_on=row.next_renewal_on if row else None,
        days_to_renewal=row.days_to_renewal if row else None,
        health_score=row.health_score if row else None,
        health_band=row.health_band if row else None,
        health_change=row.health_change if row else None,
    )


def account_plan(store: Store, account_id: int) -> AccountPlan:
    """The Overview tab's part: objectives, risks, whitespace and the activity timeline."""
    with store.read() as session:
        account = session.get(Account, account_id)
        return AccountPlan(
            objectives=_live(session, catalog.OBJECTIVE, account_id, AccountObjective.position),
            risks=_live(session, catalog.RISK, account_id),
            whitespace=_live(session, catalog.WHITESPACE, account_id),
            activity=tuple(account_activity(session, account_id)),
            currency=account.currency if account is not None else "USD",
        )


def account_opportunities(store: Store, account_id: int) -> tuple[r.OpportunityRecord, ...]:
    """The Opportunities tab's part: the live opportunities by close date."""
    with store.read() as session:
        return _live(session, catalog.OPPORTUNITY, account_id, Opportunity.close_date)


def account_contracts(store: Store, account_id: int) -> AccountContracts:
    """The Renewals tab's part: the live contracts (latest end first) and their renewals."""
    with store.read() as session:
        return AccountContracts(
            contracts=_live(session, catalog.CONTRACT, account_id, Contract.end_date.desc()),
            renewals=account_renewals(session, account_id),
        )


def account_escalations(store: Store, account_id: int) -> tuple[r.EscalationRecord, ...]:
    """The Issues tab's part: the live issues, newest first."""
    with store.read() as session:
        return _live(session, catalog.ESCALATION, account_id, Escalation.opened_on.desc())


def account_overview(store: Store, account_id: int, today: date) -> AccountOverview:
    """Every part of the workspace's data for one account."""
    return AccountOverview.of_parts(
        account_figures(store, account_id, today),
        account_plan(store, account_id),
        account_opportunities(store, account_id),
        account_contracts(store, account_id),
        account_escalations(store, account_id),
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
