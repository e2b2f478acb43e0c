"""CRM sync: links between local and remote records, locally changed fields (recorded by
triggers), conflicts, state and cursors, the create outbox.

Revision ID: 0006_crm_sync
Revises: 0005_live_ledger_index
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from am_desktop.db.sync_tracking import (
    ATTENDEE_TRIGGERS,
    attendee_trigger_sql,
    create_trigger_sql,
    trigger_name,
)

revision: str = "0006_crm_sync"
down_revision: str | None = "0005_live_ledger_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The fields tracked at this revision, written out: a migration stays what it was when the
#: tracked fields change again (0010 adds a contact's manager, 0012 the currencies, whose
#: columns do not exist yet here).
TRACKED = {
    "account": ("name", "domain", "industry", "archived_at"),
    "contact": ("first_name", "last_name", "email", "title", "phone", "account_id", "archived_at"),
    "note": ("body", "occurred_at", "account_id", "archived_at"),
    "opportunity": ("name", "amount_cents", "close_date", "stage", "account_id", "archived_at"),
    "renewal": ("stage", "proposed_arr_cents", "close_date", "archived_at"),
}


def upgrade() -> None:
    op.create_table(
        "sync_link",
        sa.Column("obj", sa.String(20), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.Column("remote_id", sa.String(40), nullable=False),
        sa.Column("remote_modified_ms", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("obj", "local_id", name=op.f("pk_sync_link")),
        sa.UniqueConstraint("obj", "remote_id", name=op.f("uq_sync_link_obj")),
    )
    op.create_table(
        "sync_change",
        sa.Column("obj", sa.String(20), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(40), nullable=False),
        sa.Column("base", sa.Text(), nullable=True),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("obj", "local_id", "field", name=op.f("pk_sync_change")),
    )
    op.create_table(
        "sync_conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("obj", sa.String(20), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(40), nullable=True),
        sa.Column("base", sa.Text(), nullable=True),
        sa.Column("local", sa.Text(), nullable=True),
        sa.Column("remote", sa.Text(), nullable=True),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("created_at", sa.String(32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_conflict")),
    )
    op.create_index("ix_sync_conflict_record", "sync_conflict", ["obj", "local_id"])
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(60), nullable=False),
        sa.Column("value", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_sync_state")),
    )
    op.create_table(
        "sync_outbox",
        sa.Column("obj", sa.String(20), nullable=False),
        sa.Column("local_id", sa.Integer(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("obj", "local_id", name=op.f("pk_sync_outbox")),
    )
    for table, fields in TRACKED.items():
        op.execute(create_trigger_sql(table, fields))
    for name in ATTENDEE_TRIGGERS:
        op.execute(attendee_trigger_sql(name))


def downgrade() -> None:
    for table in TRACKED:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger_name(table)}")
    for name in ATTENDEE_TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("sync_outbox")
    op.drop_table("sync_state")
    op.drop_index("ix_sync_conflict_record", "sync_conflict")
    op.drop_table("sync_conflict")
    op.drop_table("sync_change")
    op.drop_table("sync_link")
