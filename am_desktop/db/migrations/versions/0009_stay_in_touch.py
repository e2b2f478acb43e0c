"""Today's stay-in-touch list (issue 19): present contacts by their last touch, with the
account, role and own cadence the overdue test needs, so the list and its count read one
partial index instead of the 100,000-row contact table.

Revision ID: 0009_stay_in_touch
Revises: 0008_the_week
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_stay_in_touch"
down_revision: str | None = "0008_the_week"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_contact_stay_in_touch",
        "contact",
        ["last_contacted_at", "account_id", "role", "cadence_days"],
        sqlite_where=sa.text("archived_at IS NULL AND left_on IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_contact_stay_in_touch", "contact")
