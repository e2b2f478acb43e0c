"""A record's currency is a tracked field (issue 20): a currency changed here is sent to the
CRM (HubSpot's ``deal_currency_code``, Salesforce's ``CurrencyIsoCode`` in a multi-currency
org) with the record's amounts, rather than only with the next amount change. The account,
opportunity and renewal tracking triggers are made again with ``currency``.

Revision ID: 0012_track_currency
Revises: 0011_currencies
Create Date: 2026-12-12
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from am_desktop.db.sync_tracking import create_trigger_sql, trigger_name

revision: str = "0012_track_currency"
down_revision: str | None = "0011_currencies"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The fields tracked before this revision (written out: a migration stays what it was when
#: the tracked fields change again); after it each also tracks ``currency``.
BEFORE: dict[str, tuple[str, ...]] = {
    "account": ("name", "domain", "industry", "archived_at"),
    "opportunity": ("name", "amount_cents", "close_date", "stage", "account_id", "archived_at"),
    "renewal": ("stage", "proposed_arr_cents", "close_date", "archived_at"),
}


def upgrade() -> None:
    for table, fields in BEFORE.items():
        op.execute(f"DROP TRIGGER IF EXISTS {trigger_name(table)}")
        op.execute(create_trigger_sql(table, (*fields, "currency")))


def downgrade() -> None:
    for table, fields in BEFORE.items():
        op.execute(f"DROP TRIGGER IF EXISTS {trigger_name(table)}")
        op.execute(create_trigger_sql(table, fields))
        op.execute(f"DELETE FROM sync_change WHERE obj = '{table}' AND field = 'currency'")
