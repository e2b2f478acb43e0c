"""Health signals: survey responses, usage samples and computed health snapshots."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from am_desktop.db.base import Base, Record
from am_desktop.db.types import ChoiceType
from am_desktop.domain.enums import HealthBand, SurveyKind


class SurveyResponse(Record):
    """One NPS (0-10) or CSAT (1-5) answer."""

    __tablename__ = "survey_response"
    __table_args__ = (
        CheckConstraint("score BETWEEN 0 AND 10", name="score_range"),
        Index("ix_survey_account_date", "account_id", "responded_on"),
    )

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    responded_on: Mapped[date]
    kind: Mapped[SurveyKind] = mapped_column(ChoiceType(SurveyKind))
    score: Mapped[int]
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id", ondelete="SET NULL"))
    contact_email: Mapped[str | None] = mapped_column(String(254))
    comment: Mapped[str | None] = mapped_column(Text)


class UsageSample(Record):
    """Adoption on a day: active users against licensed seats."""

    __tablename__ = "usage_sample"
    __table_args__ = (
        CheckConstraint("active_users >= 0 AND licensed_seats >= 0", name="counts_not_negative"),
        Index("ix_usage_account_date", "account_id", "sampled_on", unique=True),
    )

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    sampled_on: Mapped[date]
    active_users: Mapped[int]
    licensed_seats: Mapped[int]


class HealthSnapshot(Base):
    """One computation of an account's health score, kept for the trend."""

    __tablename__ = "health_snapshot"
    __table_args__ = (
        CheckConstraint("score BETWEEN 0 AND 100", name="score_range"),
        Index("ix_health_account_computed", "account_id", "computed_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    computed_at: Mapped[datetime]
    score: Mapped[float]
    band: Mapped[HealthBand] = mapped_column(ChoiceType(HealthBand))
    #: JSON: each component's value, weight and explanation.
    components: Mapped[str] = mapped_column(Text, default="{}")
