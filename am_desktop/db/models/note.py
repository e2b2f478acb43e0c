"""Meeting notes and what they produce: attendees, action items, product feedback."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from am_desktop.db.base import Base, Record
from am_desktop.db.types import ChoiceType
from am_desktop.domain.enums import ActionItemStatus, NoteKind


class Note(Record):
    """A call, meeting, QBR, e-mail or plain note; the body is Markdown."""

    __tablename__ = "note"
    __table_args__ = (
        Index("ix_note_account_occurred", "account_id", "occurred_at"),
        Index(
            "ux_note_calendar_key",
            "calendar_key",
            unique=True,
            sqlite_where=text("calendar_key IS NOT NULL"),
        ),
        Index(
            "ux_note_message_id",
            "message_id",
            unique=True,
            sqlite_where=text("message_id IS NOT NULL"),
        ),
    )

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"))
    kind: Mapped[NoteKind] = mapped_column(ChoiceType(NoteKind), default=NoteKind.NOTE)
    occurred_at: Mapped[datetime] = mapped_column(index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    #: A planned meeting's calendar event: its UID and occurrence start (issue 19).
    calendar_key: Mapped[str | None] = mapped_column(String(400))
    #: An e-mail note's Message-ID (the same mail imported twice is one note).
    message_id: Mapped[str | None] = mapped_column(String(400))
    #: When a follow-up e-mail was drafted from this note.
    follow_up_at: Mapped[datetime | None]


class NoteAttendee(Base):
    """Who attended: a known contact, or just an e-mail address."""

    __tablename__ = "note_attendee"

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("note.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[int | None] = mapped_column(
        ForeignKey("contact.id", ondelete="SET NULL"), index=True
    )
    email: Mapped[str | None] = mapped_column(String(254))


class ActionItem(Record):
    """A follow-up with an owner and a due date, often from a ``- [ ]`` note line."""

    __tablename__ = "action_item"
    __table_args__ = (
        # Today's open action items by due date, with the account to join: the first rows
        # and their count from the index, whatever the number of items done (issue 17).
        Index(
            "ix_action_item_open_due",
            "due_date",
            "account_id",
            sqlite_where=text("status = 'open' AND archived_at IS NULL"),
        ),
    )

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    note_id: Mapped[int | None] = mapped_column(
        ForeignKey("note.id", ondelete="SET NULL"), index=True
    )
    text: Mapped[str] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(100))
    due_date: Mapped[date | None] = mapped_column(index=True)
    status: Mapped[ActionItemStatus] = mapped_column(
        ChoiceType(ActionItemStatus), default=ActionItemStatus.OPEN
    )
    done_at: Mapped[datetime | None]
    #: When the due-day reminder was shown (it is shown once).
    reminded_at: Mapped[datetime | None]


class ProductFeedback(Record):
    """What the customer said about the product (a ``#feedback`` note line)."""

    __tablename__ = "product_feedback"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    note_id: Mapped[int | None] = mapped_column(ForeignKey("note.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    product_area: Mapped[str | None] = mapped_column(String(100))
