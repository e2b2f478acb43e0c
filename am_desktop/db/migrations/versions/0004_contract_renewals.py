"""Every contract has its renewal: contracts imported before imports made one get theirs, not
started, so they appear on the timeline, in the upcoming list and in the forecast.

Revision ID: 0004_contract_renewals
Revises: 0003_note_search
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0004_contract_renewals"
down_revision: str | None = "0003_note_search"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: A version-4 UUID made by SQLite, as the records' uid.
_UUID = (
    "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + abs(random()) % 4, 1) || "
    "substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))"
)
_NOW = "strftime('%Y-%m-%d %H:%M:%f000', 'now')"


def upgrade() -> None:
    op.execute(
        "INSERT INTO renewal (uid, version, created_at, updated_at, contract_id, stage, "
        f"likelihood) SELECT {_UUID}, 1, {_NOW}, {_NOW}, c.id, 'not_started', 50 FROM contract c "
        "WHERE NOT EXISTS (SELECT 1 FROM renewal r WHERE r.contract_id = c.id)"
    )


def downgrade() -> None:
    """The renewals made here cannot be told from others: they stay."""
