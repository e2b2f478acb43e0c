"""An index holding the live ledger by account and date with what the KPIs and charts sum, so
they read it without touching the table or sorting.

Revision ID: 0005_live_ledger_index
Revises: 0004_contract_renewals
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_live_ledger_index"
down_revision: str | None = "0004_contract_renewals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_arr_movement_live_ledger",
        "arr_movement",
        ["account_id", "occurred_on", "type", "amount_cents"],
        sqlite_where=sa.text("archived_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_arr_movement_live_ledger", "arr_movement")
