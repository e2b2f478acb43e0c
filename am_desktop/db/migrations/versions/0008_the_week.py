"""The account manager's week (issue 19): planned meetings from the calendar, e-mail notes,
follow-up drafts, task reminders and contacts' own stay-in-touch cadence.

- ``note.calendar_key``: the calendar event's UID and occurrence start, one planned note each
  (importing a calendar again changes nothing); ``note.message_id``: an e-mail note's
  Message-ID (the same mail dropped twice is one note); ``note.follow_up_at``: when a follow-up
  e-mail was drafted from the note.
- ``action_item.reminded_at``: when the due-day reminder was shown (once an item).
- ``contact.cadence_days``: the contact's own stay-in-touch cadence; ``contact.left_on``: the
  day the contact left the company.

Revision ID: 0008_the_week
Revises: 0007_today_indexes
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_the_week"
down_revision: str | None = "0007_today_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("note", sa.Column("calendar_key", sa.String(400), nullable=True))
    op.add_column("note", sa.Column("message_id", sa.String(400), nullable=True))
    op.add_column("note", sa.Column("follow_up_at", sa.String(26), nullable=True))
    op.add_column("action_item", sa.Column("reminded_at", sa.String(26), nullable=True))
    op.add_column("contact", sa.Column("cadence_days", sa.Integer(), nullable=True))
    op.add_column("contact", sa.Column("left_on", sa.Date(), nullable=True))
    op.create_index(
        "ux_note_calendar_key",
        "note",
        ["calendar_key"],
        unique=True,
        sqlite_where=sa.text("calendar_key IS NOT NULL"),
    )
    op.create_index(
        "ux_note_message_id",
        "note",
        ["message_id"],
        unique=True,
        sqlite_where=sa.text("message_id IS NOT NULL"),
    )


def downgrade() -> None:
    op.drop_index("ux_note_message_id", "note")
    op.drop_index("ux_note_calendar_key", "note")
    # SQLite drops an unindexed column in place (a copied table would break note_search).
    for table, column in (
        ("contact", "left_on"),
        ("contact", "cadence_days"),
        ("action_item", "reminded_at"),
        ("note", "follow_up_at"),
        ("note", "message_id"),
        ("note", "calendar_key"),
    ):
        op.drop_column(table, column)
