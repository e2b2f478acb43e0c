"""The account list's support: a per-account cache of ARR and next renewal, and an index
covering the list's text filter, so it filters and sorts 10,000 accounts in SQL per keystroke.

The summary table starts empty; services.summaries fills it the first time the list is read.

Revision ID: 0002_account_summary
Revises: 0001_initial
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_account_summary"
down_revision: str | None = "0001_initial"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account_summary",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("arr_cents", sa.Integer(), nullable=False),
        sa.Column("next_renewal_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["account.id"],
            name=op.f("fk_account_summary_account_id"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_account_summary")),
    )
    op.create_index(op.f("ix_account_summary_arr_cents"), "account_summary", ["arr_cents"])
    op.create_index(
        op.f("ix_account_summary_next_renewal_on"), "account_summary", ["next_renewal_on"]
    )
    op.create_index(
        "ix_account_list", "account", ["archived_at", "name", "domain", "industry", "owner"]
    )


def downgrade() -> None:
    op.drop_index("ix_account_list", "account")
    op.drop_table("account_summary")
