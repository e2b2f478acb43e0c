"""Plain, frozen copies of stored records: what services hand to the GUI and the command line.

Field names match the model columns; money is in integer cents (``*_cents``), timestamps are
aware UTC datetimes, closed lists are :mod:`~am_desktop.domain.enums` members.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from am_desktop.domain.enums import (
    ActionItemStatus,
    ContactRole,
    EscalationStatus,
    HealthBand,
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


@dataclass(frozen=True, slots=True, kw_only=True)
class StoredRecord:
    """What every stored record has: ids, version, timestamps and the archive tombstone."""

    id: int
    uid: str
    version: int
    created_at: datetime
    updated_at: datetime
    archived_at: datetime | None

    @property
    def archived(self) -> bool:
        """Whether the record is archived (hidden, restorable)."""
        return self.archived_at is not None


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountRecord(StoredRecord):
    name: str
    domain: str | None
    industry: str | None
    segment: Segment | None
    tier: Tier
    owner: str | None
    customer_since: date | None
    checkin_cadence_days: int
    external_id: str | None
    last_touch_at: datetime | None
    currency: str = "USD"


@dataclass(frozen=True, slots=True, kw_only=True)
class ObjectiveRecord(StoredRecord):
    account_id: int
    title: str
    detail: str | None
    status: ObjectiveStatus
    due_date: date | None
    position: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RiskRecord(StoredRecord):
    account_id: int
    description: str
    mitigation: str | None
    owner: str | None
    severity: Severity
    status: RiskStatus
    note_id: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class WhitespaceRecord(StoredRecord):
    account_id: int
    product: str
    status: WhitespaceStatus
    estimated_arr_cents: int | None
    notes: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ContactRecord(StoredRecord):
    account_id: int
    first_name: str | None
    last_name: str
    email: str | None
    phone: str | None
    title: str | None
    role: ContactRole | None
    sentiment: Sentiment | None
    influence: int | None
    relationship_strength: int | None
    last_contacted_at: datetime | None
    reports_to_id: int | None
    map_x: float | None
    map_y: float | None
    #: Its own stay-in-touch cadence (None: its role's default, ``domain.stay_in_touch``).
    cadence_days: int | None = None
    #: The day it left the company (None: still there).
    left_on: date | None = None

    @property
    def full_name(self) -> str:
        """First and last name, as people write them."""
        return f"{self.first_name} {self.last_name}" if self.first_name else self.last_name


@dataclass(frozen=True, slots=True, kw_only=True)
class InfluenceLinkRecord(StoredRecord):
    account_id: int
    from_contact_id: int
    to_contact_id: int
    note: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class NoteRecord(StoredRecord):
    account_id: int
    kind: NoteKind
    occurred_at: datetime
    title: str | None
    body: str
    #: An e-mail note's Message-ID (issue 19).
    message_id: str | None = None
    #: When a follow-up e-mail was drafted from the note.
    follow_up_at: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ActionItemRecord(StoredRecord):
    account_id: int
    note_id: int | None
    text: str
    owner: str | None
    due_date: date | None
    status: ActionItemStatus
    done_at: datetime | None


@dataclass(frozen=True, slots=True, kw_only=True)
class FeedbackRecord(StoredRecord):
    account_id: int
    note_id: int | None
    text: str
    product_area: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class ContractRecord(StoredRecord):
    account_id: int
    name: str | None
    start_date: date
    end_date: date
    arr_cents: int
    currency: str
    auto_renew: bool
    notice_days: int
    previous_contract_id: int | None


@dataclass(frozen=True, slots=True, kw_only=True)
class RenewalRecord(StoredRecord):
    contract_id: int
    stage: RenewalStage
    likelihood: int
    proposed_arr_cents: int | None
    outcome_arr_cents: int | None
    close_date: date | None
    risk_notes: str | None
    currency: str = "USD"


@dataclass(frozen=True, slots=True, kw_only=True)
class OpportunityRecord(StoredRecord):
    account_id: int
    kind: OpportunityKind
    name: str
    product: str | None
    amount_cents: int
    stage: OpportunityStage
    probability: int
    close_date: date | None
    notes: str | None
    note_id: int | None
    currency: str = "USD"


@dataclass(frozen=True, slots=True, kw_only=True)
class EscalationRecord(StoredRecord):
    account_id: int
    title: str
    description: str | None
    severity: Severity
    status: EscalationStatus
    internal_owner: str | None
    opened_on: date
    resolved_on: date | None
    resolution: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class SurveyRecord(StoredRecord):
    account_id: int
    responded_on: date
    kind: SurveyKind
    score: int
    contact_id: int | None
    contact_email: str | None
    comment: str | None


@dataclass(frozen=True, slots=True, kw_only=True)
class UsageRecord(StoredRecord):
    account_id: int
    sampled_on: date
    active_users: int
    licensed_seats: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MovementRecord(StoredRecord):
    account_id: int
    occurred_on: date
    type: MovementType
    amount_cents: int
    source: str
    renewal_id: int | None
    opportunity_id: int | None
    comment: str | None
    currency: str = "USD"

    @property
    def signed_cents(self) -> int:
        """The amount with the sign its type gives it."""
        return self.type.sign * self.amount_cents


@dataclass(frozen=True, slots=True)
class HealthSnapshotRecord:
    id: int
    account_id: int
    computed_at: datetime
    score: float
    band: HealthBand
    components: str
