"""The people at an account (the buying committee) and who influences whom."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from am_desktop.db.base import Record
from am_desktop.db.types import ChoiceType
from am_desktop.domain.enums import ContactRole, Sentiment


class Contact(Record):
    """A stakeholder; ``map_x``/``map_y`` hold a position dragged on the contact map."""

    __tablename__ = "contact"
    __table_args__ = (
        CheckConstraint("influence BETWEEN 1 AND 5", name="influence_range"),
        CheckConstraint("relationship_strength BETWEEN 1 AND 5", name="strength_range"),
        CheckConstraint("reports_to_id IS NULL OR reports_to_id <> id", name="not_own_manager"),
        # Today's stay-in-touch list: present contacts by last touch, with what the cadence
        # needs, read from the index alone (issue 19).
        Index(
            "ix_contact_stay_in_touch",
            "last_contacted_at",
            "account_id",
            "role",
            "cadence_days",
            sqlite_where=text("archived_at IS NULL AND left_on IS NULL"),
        ),
    )

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(50))
    title: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[ContactRole | None] = mapped_column(ChoiceType(ContactRole))
    sentiment: Mapped[Sentiment | None] = mapped_column(ChoiceType(Sentiment))
    influence: Mapped[int | None]
    relationship_strength: Mapped[int | None]
    last_contacted_at: Mapped[datetime | None]
    reports_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL"), index=True
    )
    map_x: Mapped[float | None]
    map_y: Mapped[float | None]
    #: The contact's own stay-in-touch cadence (days), else the role's default (issue 19).
    cadence_days: Mapped[int | None]
    #: The day the contact left the company (kept for the history, out of the coverage).
    left_on: Mapped[date | None]


class InfluenceLink(Record):
    """``from_contact`` sways ``to_contact`` outside the reporting line (drawn dashed)."""

    __tablename__ = "influence_link"
    __table_args__ = (
        UniqueConstraint("from_contact_id", "to_contact_id"),
        CheckConstraint("from_contact_id <> to_contact_id", name="not_self"),
    )

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    from_contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"))
    to_contact_id: Mapped[int] = mapped_column(ForeignKey("contact.id"), index=True)
    note: Mapped[str | None] = mapped_column(Text)
