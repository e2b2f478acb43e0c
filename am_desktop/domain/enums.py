"""The product's vocabulary: every closed list of values, with labels a person reads.

Values are stored as the enum's ``value`` (snake_case). :func:`parse_choice` accepts the value,
the label, and the usual spellings found in CSV files ("Mid-Market", "economic buyer").
"""

from __future__ import annotations

import enum
import functools
from typing import TypeVar


class Choice(enum.StrEnum):
    """A closed list whose members know their human label."""

    @property
    def label(self) -> str:
        """The value as a person reads it: "mid_market" -> "Mid-market"."""
        text = self.value.replace("_", " ")
        return text[:1].upper() + text[1:]


class Segment(Choice):
    ENTERPRISE = "enterprise"
    MID_MARKET = "mid_market"
    SMB = "smb"

    @property
    def label(self) -> str:
        return {"enterprise": "Enterprise", "mid_market": "Mid-market", "smb": "SMB"}[self.value]


class Tier(Choice):
    STRATEGIC = "strategic"
    KEY = "key"
    STANDARD = "standard"


class ContactRole(Choice):
    ECONOMIC_BUYER = "economic_buyer"
    DECISION_MAKER = "decision_maker"
    CHAMPION = "champion"
    INFLUENCER = "influencer"
    TECHNICAL_BUYER = "technical_buyer"
    USER = "user"
    PROCUREMENT = "procurement"
    BLOCKER = "blocker"
    COACH = "coach"


class Sentiment(Choice):
    ADVOCATE = "advocate"
    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    SKEPTIC = "skeptic"
    DETRACTOR = "detractor"


class NoteKind(Choice):
    CALL = "call"
    MEETING = "meeting"
    QBR = "qbr"
    EMAIL = "email"
    NOTE = "note"

    @property
    def label(self) -> str:
        return "QBR" if self is NoteKind.QBR else super().label


class RenewalStage(Choice):
    NOT_STARTED = "not_started"
    DISCOVERY = "discovery"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    COMMITTED = "committed"
    RENEWED = "renewed"
    CHURNED = "churned"

    @property
    def is_closed(self) -> bool:
        """Renewed and churned renewals are decided; the others are still open."""
        return self in (RenewalStage.RENEWED, RenewalStage.CHURNED)


class MovementType(Choice):
    NEW = "new"
    EXPANSION = "expansion"
    CONTRACTION = "contraction"
    CHURN = "churn"
    REACTIVATION = "reactivation"

    @property
    def sign(self) -> int:
        """+1 for movements that add ARR, -1 for those that remove it."""
        return -1 if self in (MovementType.CONTRACTION, MovementType.CHURN) else 1


class OpportunityKind(Choice):
    UPSELL = "upsell"
    CROSS_SELL = "cross_sell"

    @property
    def label(self) -> str:
        return "Cross-sell" if self is OpportunityKind.CROSS_SELL else "Upsell"


class OpportunityStage(Choice):
    IDENTIFIED = "identified"
    QUALIFIED = "qualified"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    WON = "won"
    LOST = "lost"

    @property
    def is_closed(self) -> bool:
        """Won and lost opportunities are decided."""
        return self in (OpportunityStage.WON, OpportunityStage.LOST)


class Severity(Choice):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class EscalationStatus(Choice):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"


class ObjectiveStatus(Choice):
    NOT_STARTED = "not_started"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    ACHIEVED = "achieved"
    DROPPED = "dropped"


class RiskStatus(Choice):
    OPEN = "open"
    MITIGATED = "mitigated"
    CLOSED = "closed"


class WhitespaceStatus(Choice):
    NOT_PITCHED = "not_pitched"
    PITCHED = "pitched"
    IN_PIPELINE = "in_pipeline"
    OWNED = "owned"


class ActionItemStatus(Choice):
    OPEN = "open"
    DONE = "done"


class SurveyKind(Choice):
    NPS = "nps"
    CSAT = "csat"

    @property
    def label(self) -> str:
        return self.value.upper()

    @property
    def score_range(self) -> tuple[int, int]:
        """NPS is asked on 0-10, CSAT on 1-5."""
        return (0, 10) if self is SurveyKind.NPS else (1, 5)


class HealthBand(Choice):
    HEALTHY = "healthy"
    WATCH = "watch"
    AT_RISK = "at_risk"


C = TypeVar("C", bound=Choice)


def normalise_choice_text(text: str) -> str:
    """Fold the spellings people write into the stored form: " Mid-Market " -> "mid_market"."""
    return "_".join(text.strip().lower().replace("-", " ").replace("_", " ").split())


@functools.cache
def _choice_index(kind: type[Choice]) -> dict[str, Choice]:
    """Every accepted spelling's normal form -> member (built once per list)."""
    index: dict[str, Choice] = {}
    for member in kind:
        index[member.value] = member
        index[normalise_choice_text(member.label)] = member
    return index


def parse_choice(kind: type[C], text: str) -> C:
    """Read a choice from free text.

    Raises:
        ValueError: with the list of accepted values, when the text is none of them.
    """
    index = _choice_index(kind)
    member = index.get(text) or index.get(normalise_choice_text(text))
    if member is None:
        accepted = ", ".join(m.label.lower() for m in kind)
        raise ValueError(f"'{text.strip()}' is not one of: {accepted}")
    return member  # type: ignore[return-value]
