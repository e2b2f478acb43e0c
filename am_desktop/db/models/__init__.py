"""Every model, imported so that ``Base.metadata`` knows the whole schema."""

from am_desktop.db.models.account import Account, AccountObjective, AccountRisk, WhitespaceProduct
from am_desktop.db.models.contact import Contact, InfluenceLink
from am_desktop.db.models.contract import Contract, Renewal
from am_desktop.db.models.ledger import ArrMovement, ExchangeRate
from am_desktop.db.models.note import ActionItem, Note, NoteAttendee, ProductFeedback
from am_desktop.db.models.pipeline import Escalation, Opportunity
from am_desktop.db.models.signals import HealthSnapshot, SurveyResponse, UsageSample
from am_desktop.db.models.summary import AccountSummary
from am_desktop.db.models.sync import SyncChange, SyncConflict, SyncLink, SyncOutbox, SyncState

__all__ = [
    "Account",
    "AccountObjective",
    "AccountRisk",
    "AccountSummary",
    "ActionItem",
    "ArrMovement",
    "Contact",
    "Contract",
    "Escalation",
    "ExchangeRate",
    "HealthSnapshot",
    "InfluenceLink",
    "Note",
    "NoteAttendee",
    "Opportunity",
    "ProductFeedback",
    "Renewal",
    "SurveyResponse",
    "SyncChange",
    "SyncConflict",
    "SyncLink",
    "SyncOutbox",
    "SyncState",
    "UsageSample",
    "WhitespaceProduct",
]
