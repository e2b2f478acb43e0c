"""A contact's manager is a tracked field (issue 18): a reporting line changed here is sent to
the CRM (Salesforce's ReportsToId) like any other edit. The contact tracking trigger is made
again with ``reports_to_id``; the other tables' triggers are unchanged.

Revision ID: 0010_track_reports_to
Revises: 0009_stay_in_touch
Create Date: 2026-12-10
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from am_desktop.db.sync_tracking import create_trigger_sql, trigger_name

revision: str = "0010_track_reports_to"
down_revision: str | None = "0009_stay_in_touch"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The contact fields tracked before and after this revision (written out: a migration stays
#: what it was when the tracked fields change again).
BEFORE = ("first_name", "last_name", "email", "title", "phone", "account_id", "archived_at")
AFTER = (*BEFORE, "reports_to_id")


def upgrade() -> None:
    op.execute(f"DROP TRIGGER IF EXISTS {trigger_name('contact')}")
    op.execute(create_trigger_sql("contact", AFTER))


def downgrade() -> None:
    op.execute(f"DROP TRIGGER IF EXISTS {trigger_name('contact')}")
    op.execute(create_trigger_sql("contact", BEFORE))
    op.execute("DELETE FROM sync_change WHERE obj = 'contact' AND field = 'reports_to_id'")
