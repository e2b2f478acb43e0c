"""An account's cached ARR may be unknown (issue 20): an account whose ledger holds a movement in
another currency than the account's own converts it at the latest rate on or before the
summary's day, and without such a rate its ARR is NULL (shown "—" with fx's sentence), never a
sum of two currencies nor a conversion at 1.

``account_summary`` is a cache that ``services.summaries`` rebuilds: the table is made again
with a nullable ``arr_cents`` and its rows are rebuilt at the next open (they are missing).

Revision ID: 0013_summary_arr_unknown
Revises: 0012_track_currency
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013_summary_arr_unknown"
down_revision: str | None = "0012_track_currency"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _create(arr_nullable: bool) -> None:
    op.create_table(
        "account_summary",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("arr_cents", sa.Integer(), nullable=arr_nullable),
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


def upgrade() -> None:
    op.drop_table("account_summary")  # a cache: rebuilt when its rows are missing
    _create(arr_nullable=True)


def downgrade() -> None:
    op.drop_table("account_summary")
    _create(arr_nullable=False)
