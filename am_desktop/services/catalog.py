"""Every kind of record with its field rules, and the user actions on each.

``accounts.create(store, {"name": "Acme"})``, ``contacts.update(store, id, {...})``,
``notes.archive(store, id)``: each is one unit of work returning a plain record.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from am_desktop.db.models import (
    Account,
    AccountObjective,
    AccountRisk,
    ActionItem,
    ArrMovement,
    Contact,
    Contract,
    Escalation,
    InfluenceLink,
    Note,
    Opportunity,
    ProductFeedback,
    Renewal,
    SurveyResponse,
    UsageSample,
    WhitespaceProduct,
)
from am_desktop.domain import fields as f
from am_desktop.domain import records as r
from am_desktop.domain.enums import (
    ActionItemStatus,
    ContactRole,
    EscalationStatus,
    MovementType,
    NoteKind,
    ObjectiveStatus,
    OpportunityKind,
    OpportunityStage,
    RenewalStage,
    RiskStatus,
    Segment,
    Sentiment,
    Severity,
    SurveyKind,
    Tier,
    WhitespaceStatus,
)
from am_desktop.domain.fields import FieldRule as Rule
from am_desktop.errors import ValidationError
from am_desktop.services import summaries
from am_desktop.services.entities import EntityKind, EntityService
from am_desktop.services.transfer.bulk import advance_timestamps

_MAX_CADENCE_DAYS = 3650
_MAX_NOTICE_DAYS = 3650
_MAX_SEATS = 10_000_000


def _merged(values: Mapping[str, object], row: object | None, name: str) -> object:
    """A field's value after the edit: the new one if given, else the stored one."""
    if name in values:
        return values[name]
    return getattr(row, name) if row is not None else None


# --------------------------------------------------------------------------- accounts


def _after_account_change(session: Session, row: Account) -> None:
    summaries.refresh(session, date.today(), [row.id])


ACCOUNT = EntityKind(
    Account,
    r.AccountRecord,
    "account",
    {
        "name": Rule(f.text(200), required=True),
        "domain": Rule(f.domain),
        "industry": Rule(f.text(100)),
        "segment": Rule(f.choice(Segment)),
        "tier": Rule(f.choice(Tier)),
        "owner": Rule(f.text(100)),
        "customer_since": Rule(f.day(), label="Customer since"),
        "checkin_cadence_days": Rule(
            f.whole_number(1, _MAX_CADENCE_DAYS), label="Check-in cadence (days)"
        ),
        "external_id": Rule(f.text(100), label="External id"),
        "currency": Rule(f.currency),
        "last_touch_at": Rule(f.moment(), label="Last touch"),
    },
    after=_after_account_change,
)

OBJECTIVE = EntityKind(
    AccountObjective,
    r.ObjectiveRecord,
    "objective",
    {
        "account_id": Rule(f.reference(), required=True),
        "title": Rule(f.text(200), required=True),
        "detail": Rule(f.long_text()),
        "status": Rule(f.choice(ObjectiveStatus)),
        "due_date": Rule(f.day()),
        "position": Rule(f.whole_number(0, 10_000)),
    },
    parents={"account_id": Account},
)

RISK = EntityKind(
    AccountRisk,
    r.RiskRecord,
    "risk",
    {
        "account_id": Rule(f.reference(), required=True),
        "description": Rule(f.long_text(10_000), required=True),
        "mitigation": Rule(f.long_text(10_000)),
        "owner": Rule(f.text(100)),
        "severity": Rule(f.choice(Severity)),
        "status": Rule(f.choice(RiskStatus)),
        "note_id": Rule(f.reference()),
    },
    parents={"account_id": Account, "note_id": Note},
)

WHITESPACE = EntityKind(
    WhitespaceProduct,
    r.WhitespaceRecord,
    "whitespace product",
    {
        "account_id": Rule(f.reference(), required=True),
        "product": Rule(f.text(200), required=True),
        "status": Rule(f.choice(WhitespaceStatus)),
        "estimated_arr_cents": Rule(f.money(), label="Estimated ARR"),
        "notes": Rule(f.long_text(10_000)),
    },
    parents={"account_id": Account},
)

# --------------------------------------------------------------------------- contacts


def _guard_contact(session: Session, values: Mapping[str, object], row: Contact | None) -> None:
    """A manager must work at the same account, and reporting lines must not loop."""
    manager_id = _merged(values, row, "reports_to_id")
    if manager_id is None:
        return
    account_id = _merged(values, row, "account_id")
    manager = session.get(Contact, manager_id)
    if manager is None or manager.account_id != account_id:
        raise ValidationError("The manager must be a contact at the same account.", "reports_to_id")
    if row is None:
        return
    seen: set[int] = set()
    current: Contact | None = manager
    while current is not None and current.id not in seen:
        if current.id == row.id:
            raise ValidationError(
                "That would make a reporting loop: the manager already reports, "
                "directly or not, to this contact.",
                "reports_to_id",
            )
        seen.add(current.id)
        current = session.get(Contact, current.reports_to_id) if current.reports_to_id else None


CONTACT = EntityKind(
    Contact,
    r.ContactRecord,
    "contact",
    {
        "account_id": Rule(f.reference(), required=True),
        "first_name": Rule(f.text(100)),
        "last_name": Rule(f.text(100), required=True),
        "email": Rule(f.email, label="E-mail"),
        "phone": Rule(f.phone),
        "title": Rule(f.text(200)),
        "role": Rule(f.choice(ContactRole)),
        "sentiment": Rule(f.choice(Sentiment)),
        "influence": Rule(f.whole_number(1, 5)),
        "relationship_strength": Rule(f.whole_number(1, 5), label="Relationship strength"),
        "last_contacted_at": Rule(f.moment(), label="Last contacted"),
        "reports_to_id": Rule(f.reference(), label="Reports to"),
        "map_x": Rule(f.coordinate()),
        "map_y": Rule(f.coordinate()),
        "cadence_days": Rule(
            f.whole_number(1, _MAX_CADENCE_DAYS), label="Stay-in-touch cadence (days)"
        ),
        "left_on": Rule(f.day(), label="Left on"),
    },
    parents={"account_id": Account, "reports_to_id": Contact},
    guard=_guard_contact,
)


def _guard_link(session: Session, values: Mapping[str, object], row: InfluenceLink | None) -> None:
    """Both ends of an influence link are distinct contacts of the link's account."""
    account_id = _merged(values, row, "account_id")
    ends = [_merged(values, row, "from_contact_id"), _merged(values, row, "to_contact_id")]
    if ends[0] == ends[1]:
        raise ValidationError("A contact cannot influence themselves.", "to_contact_id")
    for name, contact_id in zip(("from_contact_id", "to_contact_id"), ends, strict=True):
        contact = session.get(Contact, contact_id)
        if contact is None or contact.account_id != account_id:
            raise ValidationError("Both contacts must belong to the account.", name)


INFLUENCE_LINK = EntityKind(
    InfluenceLink,
    r.InfluenceLinkRecord,
    "influence link",
    {
        "account_id": Rule(f.reference(), required=True),
        "from_contact_id": Rule(f.reference(), required=True),
        "to_contact_id": Rule(f.reference(), required=True),
        "note": Rule(f.long_text(2000)),
    },
    parents={"account_id": Account},
    guard=_guard_link,
)

# --------------------------------------------------------------------------- notes


def touch_account(session: Session, account_id: int) -> None:
    """Set the account's last touch to its newest note (never moving it backwards)."""
    newest = session.scalar(
        select(func.max(Note.occurred_at)).where(
            Note.account_id == account_id, Note.archived_at.is_(None)
        )
    )
    if newest is not None:
        advance_timestamps(session, "account", "last_touch_at", {account_id: newest})


def _after_note(session: Session, row: Note) -> None:
    touch_account(session, row.account_id)


NOTE = EntityKind(
    Note,
    r.NoteRecord,
    "note",
    {
        "account_id": Rule(f.reference(), required=True),
        "kind": Rule(f.choice(NoteKind)),
        "occurred_at": Rule(f.moment(), required=True, label="Date and time"),
        "title": Rule(f.text(200)),
        "body": Rule(f.long_text()),
    },
    parents={"account_id": Account},
    after=_after_note,
)

ACTION_ITEM = EntityKind(
    ActionItem,
    r.ActionItemRecord,
    "action item",
    {
        "account_id": Rule(f.reference(), required=True),
        "note_id": Rule(f.reference()),
        "text": Rule(f.long_text(2000), required=True),
        "owner": Rule(f.text(100)),
        "due_date": Rule(f.day(), label="Due date"),
        "status": Rule(f.choice(ActionItemStatus)),
        "done_at": Rule(f.moment(), label="Done at"),
    },
    parents={"account_id": Account, "note_id": Note},
)

FEEDBACK = EntityKind(
    ProductFeedback,
    r.FeedbackRecord,
    "feedback item",
    {
        "account_id": Rule(f.reference(), required=True),
        "note_id": Rule(f.reference()),
        "text": Rule(f.long_text(10_000), required=True),
        "product_area": Rule(f.text(100), label="Product area"),
    },
    parents={"account_id": Account, "note_id": Note},
)

# --------------------------------------------------------------------------- contracts


def _after_ledger_change(session: Session, row: ArrMovement | Contract) -> None:
    summaries.refresh(session, date.today(), [row.account_id])


def _after_renewal_change(session: Session, row: Renewal) -> None:
    contract = session.get(Contract, row.contract_id)
    if contract is not None:
        summaries.refresh(session, date.today(), [contract.account_id])


def _guard_contract(session: Session, values: Mapping[str, object], row: Contract | None) -> None:
    del session
    start, end = _merged(values, row, "start_date"), _merged(values, row, "end_date")
    if start is not None and end is not None and end < start:  # type: ignore[operator]
        raise ValidationError("The end date is before the start date.", "end_date")


CONTRACT = EntityKind(
    Contract,
    r.ContractRecord,
    "contract",
    {
        "account_id": Rule(f.reference(), required=True),
        "name": Rule(f.text(200)),
        "start_date": Rule(f.day(), required=True, label="Start date"),
        "end_date": Rule(f.day(), required=True, label="End date"),
        "arr_cents": Rule(f.money(), required=True, label="ARR"),
        "currency": Rule(f.currency),
        "auto_renew": Rule(f.boolean, label="Auto-renew"),
        "notice_days": Rule(f.whole_number(0, _MAX_NOTICE_DAYS), label="Notice period (days)"),
        "previous_contract_id": Rule(f.reference(), label="Previous contract"),
    },
    parents={"account_id": Account, "previous_contract_id": Contract},
    guard=_guard_contract,
    after=_after_ledger_change,
)

RENEWAL = EntityKind(
    Renewal,
    r.RenewalRecord,
    "renewal",
    {
        "contract_id": Rule(f.reference(), required=True),
        "stage": Rule(f.choice(RenewalStage)),
        "likelihood": Rule(f.percent()),
        "proposed_arr_cents": Rule(f.money(), label="Proposed ARR"),
        "outcome_arr_cents": Rule(f.money(), label="Outcome ARR"),
        "close_date": Rule(f.day(), label="Close date"),
        "risk_notes": Rule(f.long_text(10_000), label="Risk notes"),
    },
    parents={"contract_id": Contract},
    after=_after_renewal_change,
)

# --------------------------------------------------------------------------- pipeline

OPPORTUNITY = EntityKind(
    Opportunity,
    r.OpportunityRecord,
    "opportunity",
    {
        "account_id": Rule(f.reference(), required=True),
        "kind": Rule(f.choice(OpportunityKind)),
        "name": Rule(f.text(200), required=True),
        "product": Rule(f.text(200)),
        "amount_cents": Rule(f.money(), label="Amount"),
        "currency": Rule(f.currency),
        "stage": Rule(f.choice(OpportunityStage)),
        "probability": Rule(f.percent()),
        "close_date": Rule(f.day(), label="Close date"),
        "notes": Rule(f.long_text(10_000)),
        "note_id": Rule(f.reference()),
    },
    parents={"account_id": Account, "note_id": Note},
)

ESCALATION = EntityKind(
    Escalation,
    r.EscalationRecord,
    "issue",
    {
        "account_id": Rule(f.reference(), required=True),
        "title": Rule(f.text(200), required=True),
        "description": Rule(f.long_text(20_000)),
        "severity": Rule(f.choice(Severity)),
        "status": Rule(f.choice(EscalationStatus)),
        "internal_owner": Rule(f.text(100), label="Internal owner"),
        "opened_on": Rule(f.day(), required=True, label="Opened on"),
        "resolved_on": Rule(f.day(), label="Resolved on"),
        "resolution": Rule(f.long_text(20_000)),
    },
    parents={"account_id": Account},
)

# --------------------------------------------------------------------------- signals


def _guard_survey(
    session: Session, values: Mapping[str, object], row: SurveyResponse | None
) -> None:
    del session
    kind = _merged(values, row, "kind")
    score = _merged(values, row, "score")
    if isinstance(kind, SurveyKind) and isinstance(score, int):
        low, high = kind.score_range
        if not low <= score <= high:
            raise ValidationError(f"A {kind.label} score is between {low} and {high}.", "score")


SURVEY = EntityKind(
    SurveyResponse,
    r.SurveyRecord,
    "survey response",
    {
        "account_id": Rule(f.reference(), required=True),
        "responded_on": Rule(f.day(), required=True, label="Date"),
        "kind": Rule(f.choice(SurveyKind), required=True),
        "score": Rule(f.whole_number(0, 10), required=True),
        "contact_id": Rule(f.reference()),
        "contact_email": Rule(f.email, label="Contact e-mail"),
        "comment": Rule(f.long_text(10_000)),
    },
    parents={"account_id": Account, "contact_id": Contact},
    guard=_guard_survey,
)

USAGE = EntityKind(
    UsageSample,
    r.UsageRecord,
    "usage sample",
    {
        "account_id": Rule(f.reference(), required=True),
        "sampled_on": Rule(f.day(), required=True, label="Date"),
        "active_users": Rule(f.whole_number(0, _MAX_SEATS), required=True, label="Active users"),
        "licensed_seats": Rule(
            f.whole_number(0, _MAX_SEATS), required=True, label="Licensed seats"
        ),
    },
    parents={"account_id": Account},
)

MOVEMENT = EntityKind(
    ArrMovement,
    r.MovementRecord,
    "ARR movement",
    {
        "account_id": Rule(f.reference(), required=True),
        "occurred_on": Rule(f.day(), required=True, label="Date"),
        "type": Rule(f.choice(MovementType), required=True),
        "amount_cents": Rule(f.money(minimum=1), required=True, label="Amount"),
        "currency": Rule(f.currency),
        "source": Rule(f.text(20)),
        "renewal_id": Rule(f.reference()),
        "opportunity_id": Rule(f.reference()),
        "comment": Rule(f.long_text(2000)),
    },
    parents={"account_id": Account, "renewal_id": Renewal, "opportunity_id": Opportunity},
    after=_after_ledger_change,
)

accounts = EntityService(ACCOUNT)
objectives = EntityService(OBJECTIVE)
risks = EntityService(RISK)
whitespace = EntityService(WHITESPACE)
contacts = EntityService(CONTACT)
influence_links = EntityService(INFLUENCE_LINK)
notes = EntityService(NOTE)
action_items = EntityService(ACTION_ITEM)
feedback = EntityService(FEEDBACK)
contracts = EntityService(CONTRACT)
renewals = EntityService(RENEWAL)
opportunities = EntityService(OPPORTUNITY)
escalations = EntityService(ESCALATION)
surveys = EntityService(SURVEY)
usage = EntityService(USAGE)
movements = EntityService(MOVEMENT)
