"""Money in several currencies (issue 20): every amount keeps its ISO 4217 currency, and a
table of exchange rates converts totals in constant currency.

- ``account.currency``: the account's own currency (what its figures are shown in); filled
  from its live contracts (the most used currency, alphabetically first on a tie), else USD.
- ``arr_movement.currency``: a renewal's movement takes its contract's currency, every other
  one its account's; ``opportunity.currency`` its account's; ``renewal.currency`` (proposed and
  outcome ARR) its contract's. Contracts already had one.
- ``fx_rate(date, base, quote, rate)``: on ``date`` 1 ``base`` = ``rate`` ``quote``; the rate
  is kept as written (decimal text), so it is exact.
- The ledger's covering index gains ``currency``: the KPIs group by it without the table.

The AM's currency setting lives in the Qt settings, which a migration cannot read: an account
with no contract gets USD. After this migration the app re-labels nothing: an AM whose data
were in another currency changes the account's currency (the accounts file's ``currency``
column) and, until then, reports need a rate from USD.

Revision ID: 0011_currencies
Revises: 0010_track_reports_to
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_currencies"
down_revision: str | None = "0010_track_reports_to"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

#: The currency of each account's live contracts, the most used first (ties alphabetically).
_ACCOUNT_CURRENCY = """
UPDATE account SET currency = coalesce((
    SELECT c.currency FROM contract c
    WHERE c.account_id = account.id AND c.archived_at IS NULL
    GROUP BY c.currency ORDER BY count(*) DESC, c.currency LIMIT 1), 'USD')
"""

_LEDGER_INDEX = ("account_id", "occurred_on", "type", "amount_cents")


def _currency_column() -> sa.Column[str]:
    return sa.Column("currency", sa.String(3), nullable=False, server_default="USD")


def upgrade() -> None:
    for table in ("account", "arr_movement", "opportunity", "renewal"):
        op.add_column(table, _currency_column())
    op.execute(_ACCOUNT_CURRENCY)
    op.execute(
        "UPDATE arr_movement SET currency = coalesce(("
        " SELECT c.currency FROM renewal r JOIN contract c ON c.id = r.contract_id"
        " WHERE r.id = arr_movement.renewal_id),"
        " (SELECT a.currency FROM account a WHERE a.id = arr_movement.account_id), 'USD')"
    )
    op.execute(
        "UPDATE opportunity SET currency = coalesce("
        "(SELECT a.currency FROM account a WHERE a.id = opportunity.account_id), 'USD')"
    )
    op.execute(
        "UPDATE renewal SET currency = coalesce("
        "(SELECT c.currency FROM contract c WHERE c.id = renewal.contract_id), 'USD')"
    )
    op.drop_index("ix_arr_movement_live_ledger", "arr_movement")
    op.create_index(
        "ix_arr_movement_live_ledger",
        "arr_movement",
        [*_LEDGER_INDEX, "currency"],
        sqlite_where=sa.text("archived_at IS NULL"),
    )
    op.create_table(
        "fx_rate",
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("base", sa.String(3), nullable=False),
        sa.Column("quote", sa.String(3), nullable=False),
        sa.Column("rate", sa.String(40), nullable=False),
        sa.CheckConstraint("base <> quote", name=op.f("ck_fx_rate_two_currencies")),
        sa.PrimaryKeyConstraint("date", "base", "quote", name=op.f("pk_fx_rate")),
    )


def downgrade() -> None:
    op.drop_table("fx_rate")
    op.drop_index("ix_arr_movement_live_ledger", "arr_movement")
    op.create_index(
        "ix_arr_movement_live_ledger",
        "arr_movement",
        list(_LEDGER_INDEX),
        sqlite_where=sa.text("archived_at IS NULL"),
    )
    for table in ("renewal", "opportunity", "arr_movement", "account"):
        op.drop_column(table, "currency")
