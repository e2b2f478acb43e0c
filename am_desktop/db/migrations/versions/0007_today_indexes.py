"""Partial indexes for the Today view, the window's start view: open action items by due
date, open escalations, and live contracts' notice periods, so its lists and counts read the
rows they show and not the whole of each table (issue 17).

Revision ID: 0007_today_indexes
Revises: 0006_crm_sync
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_today_indexes"
down_revision: str | None = "0006_crm_sync"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_action_item_open_due",
        "action_item",
        ["due_date", "account_id"],
        sqlite_where=sa.text("status = 'open' AND archived_at IS NULL"),
    )
    op.create_index(
        "ix_escalation_unresolved",
        "escalation",
        ["account_id"],
        sqlite_where=sa.text("status <> 'resolved' AND archived_at IS NULL"),
    )
    op.create_index(
        "ix_contract_live_notice",
        "contract",
        ["notice_days"],
        sqlite_where=sa.text("archived_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_contract_live_notice", "contract")
    op.drop_index("ix_escalation_unresolved", "escalation")
    op.drop_index("ix_action_item_open_due", "action_item")
