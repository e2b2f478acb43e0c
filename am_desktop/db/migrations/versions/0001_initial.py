"""The initial schema: accounts and their plan, contacts, notes, contracts and renewals,
opportunities, escalations, surveys, usage, the ARR ledger and health snapshots.

Timestamps are stored as fixed-width UTC text and closed lists as their text value (see
am_desktop.db.types); the plain column types are written here so the migration never changes.

Revision ID: 0001_initial
Revises: (none)
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001_initial"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "account",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("domain", sa.String(length=253), nullable=True),
        sa.Column("industry", sa.String(length=100), nullable=True),
        sa.Column("segment", sa.String(length=32), nullable=True),
        sa.Column("tier", sa.String(length=32), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("customer_since", sa.Date(), nullable=True),
        sa.Column("checkin_cadence_days", sa.Integer(), nullable=False),
        sa.Column("external_id", sa.String(length=100), nullable=True),
        sa.Column("last_touch_at", sa.String(length=26), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.String(length=26), nullable=False),
        sa.Column("archived_at", sa.String(length=26), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account")),
        sa.UniqueConstraint("domain", name=op.f("uq_account_domain")),
        sa.UniqueConstraint("external_id", name=op.f("uq_account_external_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_account_uid")),
    )
    with op.batch_alter_table("account", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_account_name"), ["name"], unique=False)

    op.create_table(
        "account_objective",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.String(length=26), nullable=False),
        sa.Column("archived_at", sa.String(length=26), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_account_objective_account_id")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_objective")),
        sa.UniqueConstraint("uid", name=op.f("uq_account_objective_uid")),
    )
    with op.batch_alter_table("account_objective", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_account_objective_account_id"), ["account_id"], unique=False
        )

    op.create_table(
        "contact",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("phone", sa.String(length=50), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=32), nullable=True),
        sa.Column("sentiment", sa.String(length=32), nullable=True),
        sa.Column("influence", sa.Integer(), nullable=True),
        sa.Column("relationship_strength", sa.Integer(), nullable=True),
        sa.Column("last_contacted_at", sa.String(length=26), nullable=True),
        sa.Column("reports_to_id", sa.Integer(), nullable=True),
        sa.Column("map_x", sa.Float(), nullable=True),
        sa.Column("map_y", sa.Float(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.String(length=26), nullable=False),
        sa.Column("archived_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint("influence BETWEEN 1 AND 5", name=op.f("ck_contact_influence_range")),
        sa.CheckConstraint(
            "relationship_strength BETWEEN 1 AND 5", name=op.f("ck_contact_strength_range")
        ),
        sa.CheckConstraint(
            "reports_to_id IS NULL OR reports_to_id <> id", name=op.f("ck_contact_not_own_manager")
        ),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_contact_account_id")),
        sa.ForeignKeyConstraint(
            ["reports_to_id"],
            ["contact.id"],
            name=op.f("fk_contact_reports_to_id"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
        sa.UniqueConstraint("uid", name=op.f("uq_contact_uid")),
    )
    with op.batch_alter_table("contact", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contact_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contact_email"), ["email"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_contact_reports_to_id"), ["reports_to_id"], unique=False
        )

    op.create_table(
        "contract",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=False),
        sa.Column("arr_cents", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("auto_renew", sa.Boolean(), nullable=False),
        sa.Column("notice_days", sa.Integer(), nullable=False),
        sa.Column("previous_contract_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.String(length=26), nullable=False),
        sa.Column("archived_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint("arr_cents >= 0", name=op.f("ck_contract_arr_not_negative")),
        sa.CheckConstraint("end_date >= start_date", name=op.f("ck_contract_dates_in_order")),
        sa.CheckConstraint("notice_days >= 0", name=op.f("ck_contract_notice_not_negative")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_contract_account_id")
        ),
        sa.ForeignKeyConstraint(
            ["previous_contract_id"],
            ["contract.id"],
            name=op.f("fk_contract_previous_contract_id"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contract")),
        sa.UniqueConstraint("uid", name=op.f("uq_contract_uid")),
    )
    with op.batch_alter_table("contract", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contract_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contract_end_date"), ["end_date"], unique=False)

    op.create_table(
        "escalation",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("severity", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("internal_owner", sa.String(length=100), nullable=True),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("resolved_on", sa.Date(), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.String(length=26), nullable=False),
        sa.Column("archived_at", sa.String(length=26), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_escalation_account_id")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalation")),
        sa.UniqueConstraint("uid", name=op.f("uq_escalation_uid")),
    )
    with op.batch_alter_table("escalation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_escalation_account_id"), ["account_id"], unique=False)

    op.create_table(
        "health_snapshot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("computed_at", sa.String(length=26), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("band", sa.String(length=32), nullable=False),
        sa.Column("components", sa.Text(), nullable=False),
        sa.CheckConstraint("score BETWEEN 0 AND 100", name=op.f("ck_health_snapshot_score_range")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_health_snapshot_account_id")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_health_snapshot")),
    )
    with op.batch_alter_table("health_snapshot", schema=None) as batch_op:
        batch_op.create_index(
            "ix_health_account_computed", ["account_id", "computed_at"], unique=False
        )

    op.create_table(
        "note",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("occurred_at", sa.String(length=26), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.String(length=26), nullable=False),
        sa.Column("archived_at", sa.String(length=26), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], name=op.f("fk_note_account_id")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note")),
        sa.UniqueConstraint("uid", name=op.f("uq_note_uid")),
    )
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.create_index(
            "ix_note_account_occurred", ["account_id", "occurred_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_note_occurred_at"), ["occurred_at"], unique=False)

    op.create_table(
        "opportunity",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("product", sa.String(length=200), nullable=True),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("probability", sa.Integer(), nullable=False),
        sa.Column("close_date", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.String(length=26), nullable=False),
        sa.Column("archived_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint(
            "probability BETWEEN 0 AND 100", name=op.f("ck_opportunity_probability_range")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_opportunity_account_id")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunity")),
        sa.UniqueConstraint("uid", name=op.f("uq_opportunity_uid")),
    )
    with op.batch_alter_table("opportunity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_opportunity_account_id"), ["account_id"], unique=False)

    op.create_table(
        "usage_sample",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("sampled_on", sa.Date(), nullable=False),
        sa.Column("active_users", sa.Integer(), nullable=False),
        sa.Column("licensed_seats", sa.Integer(), nullable=False),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.String(length=26), nullable=False),
        sa.Column("archived_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint(
            "active_users >= 0 AND licensed_seats >= 0",
            name=op.f("ck_usage_sample_counts_not_negative"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_usage_sample_account_id")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_usage_sample")),
        sa.UniqueConstraint("uid", name=op.f("uq_usage_sample_uid")),
    )
    with op.batch_alter_table("usage_sample", schema=None) as batch_op:
        batch_op.create_index("ix_usage_account_date", ["account_id", "sampled_on"], unique=True)

    op.create_table(
        "whitespace_product",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("product", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("estimated_arr_cents", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.String(length=26), nullable=False),
        sa.Column("archived_at", sa.String(length=26), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_whitespace_product_account_id")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_whitespace_product")),
        sa.UniqueConstraint("uid", name=op.f("uq_whitespace_product_uid")),
    )
    with op.batch_alter_table("whitespace_product", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_whitespace_product_account_id"), ["account_id"], unique=False
        )

    op.create_table(
        "account_risk",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("mitigation", sa.Text(), nullable=True),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("severity", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.String(length=26), nullable=False),
        sa.Column("archived_at", sa.String(length=26), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_account_risk_account_id")
        ),
        sa.ForeignKeyConstraint(
            ["note_id"], ["note.id"], name=op.f("fk_account_risk_note_id"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_account_risk")),
        sa.UniqueConstraint("uid", name=op.f("uq_account_risk_uid")),
    )
    with op.batch_alter_table("account_risk", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_account_risk_account_id"), ["account_id"], unique=False
        )

    op.create_table(
        "action_item",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=True),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=32), nullable=False),
        sa.Column("done_at", sa.String(length=26), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.String(length=26), nullable=False),
        sa.Column("archived_at", sa.String(length=26), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_action_item_account_id")
        ),
        sa.ForeignKeyConstraint(
            ["note_id"], ["note.id"], name=op.f("fk_action_item_note_id"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_item")),
        sa.UniqueConstraint("uid", name=op.f("uq_action_item_uid")),
    )
    with op.batch_alter_table("action_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_action_item_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_item_due_date"), ["due_date"], unique=False)
        batch_op.create_index(batch_op.f("ix_action_item_note_id"), ["note_id"], unique=False)

    op.create_table(
        "influence_link",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("from_contact_id", sa.Integer(), nullable=False),
        sa.Column("to_contact_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.String(length=26), nullable=False),
        sa.Column("archived_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint(
            "from_contact_id <> to_contact_id", name=op.f("ck_influence_link_not_self")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_influence_link_account_id")
        ),
        sa.ForeignKeyConstraint(
            ["from_contact_id"], ["contact.id"], name=op.f("fk_influence_link_from_contact_id")
        ),
        sa.ForeignKeyConstraint(
            ["to_contact_id"], ["contact.id"], name=op.f("fk_influence_link_to_contact_id")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_influence_link")),
        sa.UniqueConstraint(
            "from_contact_id", "to_contact_id", name=op.f("uq_influence_link_from_contact_id")
        ),
        sa.UniqueConstraint("uid", name=op.f("uq_influence_link_uid")),
    )
    with op.batch_alter_table("influence_link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_influence_link_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_influence_link_to_contact_id"), ["to_contact_id"], unique=False
        )

    op.create_table(
        "note_attendee",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_note_attendee_contact_id"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["note_id"], ["note.id"], name=op.f("fk_note_attendee_note_id"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_attendee")),
    )
    with op.batch_alter_table("note_attendee", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_note_attendee_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_note_attendee_note_id"), ["note_id"], unique=False)

    op.create_table(
        "product_feedback",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("product_area", sa.String(length=100), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.String(length=26), nullable=False),
        sa.Column("archived_at", sa.String(length=26), nullable=True),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_product_feedback_account_id")
        ),
        sa.ForeignKeyConstraint(
            ["note_id"], ["note.id"], name=op.f("fk_product_feedback_note_id"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_feedback")),
        sa.UniqueConstraint("uid", name=op.f("uq_product_feedback_uid")),
    )
    with op.batch_alter_table("product_feedback", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_product_feedback_account_id"), ["account_id"], unique=False
        )

    op.create_table(
        "renewal",
        sa.Column("contract_id", sa.Integer(), nullable=False),
        sa.Column("stage", sa.String(length=32), nullable=False),
        sa.Column("likelihood", sa.Integer(), nullable=False),
        sa.Column("proposed_arr_cents", sa.Integer(), nullable=True),
        sa.Column("outcome_arr_cents", sa.Integer(), nullable=True),
        sa.Column("close_date", sa.Date(), nullable=True),
        sa.Column("risk_notes", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.String(length=26), nullable=False),
        sa.Column("archived_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint(
            "likelihood BETWEEN 0 AND 100", name=op.f("ck_renewal_likelihood_range")
        ),
        sa.ForeignKeyConstraint(
            ["contract_id"], ["contract.id"], name=op.f("fk_renewal_contract_id")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_renewal")),
        sa.UniqueConstraint("contract_id", name=op.f("uq_renewal_contract_id")),
        sa.UniqueConstraint("uid", name=op.f("uq_renewal_uid")),
    )
    op.create_table(
        "survey_response",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("responded_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.String(length=26), nullable=False),
        sa.Column("archived_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint("score BETWEEN 0 AND 10", name=op.f("ck_survey_response_score_range")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_survey_response_account_id")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"],
            ["contact.id"],
            name=op.f("fk_survey_response_contact_id"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_response")),
        sa.UniqueConstraint("uid", name=op.f("uq_survey_response_uid")),
    )
    with op.batch_alter_table("survey_response", schema=None) as batch_op:
        batch_op.create_index(
            "ix_survey_account_date", ["account_id", "responded_on"], unique=False
        )

    op.create_table(
        "arr_movement",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("type", sa.String(length=32), nullable=False),
        sa.Column("amount_cents", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=20), nullable=False),
        sa.Column("renewal_id", sa.Integer(), nullable=True),
        sa.Column("opportunity_id", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uid", sa.String(length=36), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.String(length=26), nullable=False),
        sa.Column("updated_at", sa.String(length=26), nullable=False),
        sa.Column("archived_at", sa.String(length=26), nullable=True),
        sa.CheckConstraint("amount_cents > 0", name=op.f("ck_arr_movement_amount_positive")),
        sa.ForeignKeyConstraint(
            ["account_id"], ["account.id"], name=op.f("fk_arr_movement_account_id")
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunity.id"],
            name=op.f("fk_arr_movement_opportunity_id"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["renewal_id"],
            ["renewal.id"],
            name=op.f("fk_arr_movement_renewal_id"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_arr_movement")),
        sa.UniqueConstraint("uid", name=op.f("uq_arr_movement_uid")),
    )
    with op.batch_alter_table("arr_movement", schema=None) as batch_op:
        batch_op.create_index(
            "ix_arr_movement_account_date", ["account_id", "occurred_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_arr_movement_occurred_on"), ["occurred_on"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_arr_movement_opportunity_id"), ["opportunity_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_arr_movement_renewal_id"), ["renewal_id"], unique=False
        )


def downgrade() -> None:
    # Dropping a table drops its indexes; children before parents.
    for table in (
        "arr_movement",
        "survey_response",
        "renewal",
        "product_feedback",
        "note_attendee",
        "influence_link",
        "action_item",
        "account_risk",
        "whitespace_product",
        "usage_sample",
        "opportunity",
        "note",
        "health_snapshot",
        "escalation",
        "contract",
        "contact",
        "account_objective",
        "account",
    ):
        op.drop_table(table)
