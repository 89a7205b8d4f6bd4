"""Cooperation and figures: residents' offers and needs by HS code, contact requests between residents of the two
sides, and the stored snapshots of the zone's figures

Revision ID: 0020_cooperation
Revises: 0019_form_resumes
"""
from alembic import op
import sqlalchemy as sa


revision = "0020_cooperation"
down_revision = "0019_form_resumes"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("figures_snapshots",
    sa.Column("key", sa.String(length=40), nullable=False),
    sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
    sa.Column("data", sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint("key", name=op.f("pk_figures_snapshots"))
    )
    op.create_table("cooperation_offers",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("company_id", sa.Integer(), nullable=False),
    sa.Column("side", sa.String(length=2), nullable=False),
    sa.Column("name", sa.String(length=200), nullable=False),
    sa.Column("capacity", sa.Numeric(precision=20, scale=3), nullable=False),
    sa.Column("unit", sa.String(length=30), nullable=False),
    sa.Column("source", sa.String(length=12), nullable=False),
    sa.Column("active", sa.Boolean(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("hs_code", sa.String(length=6), nullable=False),
    sa.Column("hs_heading", sa.String(length=4), nullable=False),
    sa.Column("hs_chapter", sa.String(length=2), nullable=False),
    sa.CheckConstraint("side IN ('KZ', 'UZ')", name=op.f("ck_cooperation_offers_side_known")),
    sa.CheckConstraint("capacity > 0", name=op.f("ck_cooperation_offers_capacity_positive")),
    sa.CheckConstraint("length(hs_code) = 6", name=op.f("ck_cooperation_offers_hs_code_six_digits")),
    sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_cooperation_offers_company_id_companies")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_cooperation_offers"))
    )
    with op.batch_alter_table("cooperation_offers", schema=None) as batch_op:
        batch_op.create_index("ix_cooperation_offers_chapter", ["hs_chapter", "side", "active"], unique=False)
        batch_op.create_index("ix_cooperation_offers_heading", ["hs_heading", "side", "active"], unique=False)
        batch_op.create_index("ix_cooperation_offers_company", ["company_id", "id"], unique=False)

    op.create_table("cooperation_needs",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("company_id", sa.Integer(), nullable=False),
    sa.Column("side", sa.String(length=2), nullable=False),
    sa.Column("description", sa.String(length=500), nullable=False),
    sa.Column("annual_volume", sa.Numeric(precision=20, scale=3), nullable=False),
    sa.Column("unit", sa.String(length=30), nullable=False),
    sa.Column("target_price", sa.Numeric(precision=20, scale=2), nullable=True),
    sa.Column("price_currency", sa.String(length=3), nullable=True),
    sa.Column("certificates_required", sa.JSON(), nullable=False),
    sa.Column("active", sa.Boolean(), nullable=False),
    sa.Column("created_by_id", sa.Integer(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("hs_code", sa.String(length=6), nullable=False),
    sa.Column("hs_heading", sa.String(length=4), nullable=False),
    sa.Column("hs_chapter", sa.String(length=2), nullable=False),
    sa.CheckConstraint("side IN ('KZ', 'UZ')", name=op.f("ck_cooperation_needs_side_known")),
    sa.CheckConstraint("annual_volume > 0", name=op.f("ck_cooperation_needs_volume_positive")),
    sa.CheckConstraint("length(hs_code) = 6", name=op.f("ck_cooperation_needs_hs_code_six_digits")),
    sa.CheckConstraint("target_price IS NULL OR target_price > 0", name=op.f("ck_cooperation_needs_price_positive")),
    sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_cooperation_needs_company_id_companies")),
    sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_cooperation_needs_created_by_id_users")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_cooperation_needs"))
    )
    with op.batch_alter_table("cooperation_needs", schema=None) as batch_op:
        batch_op.create_index("ix_cooperation_needs_chapter", ["hs_chapter", "side", "active"], unique=False)
        batch_op.create_index("ix_cooperation_needs_heading", ["hs_heading", "side", "active"], unique=False)
        batch_op.create_index("ix_cooperation_needs_company", ["company_id", "id"], unique=False)

    op.create_table("cooperation_requests",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("sender_company_id", sa.Integer(), nullable=False),
    sa.Column("recipient_company_id", sa.Integer(), nullable=False),
    sa.Column("sender_side", sa.String(length=2), nullable=False),
    sa.Column("recipient_side", sa.String(length=2), nullable=False),
    sa.Column("need_id", sa.Integer(), nullable=True),
    sa.Column("offer_id", sa.Integer(), nullable=True),
    sa.Column("hs_code", sa.String(length=6), nullable=False),
    sa.Column("message", sa.Text(), nullable=False),
    sa.Column("state", sa.String(length=12), nullable=False),
    sa.Column("version", sa.Integer(), nullable=False),
    sa.Column("response", sa.Text(), nullable=True),
    sa.Column("meeting_on", sa.Date(), nullable=True),
    sa.Column("contract_on", sa.Date(), nullable=True),
    sa.Column("contract_volume", sa.Numeric(precision=20, scale=3), nullable=True),
    sa.Column("contract_unit", sa.String(length=30), nullable=True),
    sa.Column("contract_value_usd", sa.Numeric(precision=20, scale=2), nullable=True),
    sa.Column("outcome_note", sa.Text(), nullable=True),
    sa.Column("created_by_id", sa.Integer(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("state IN ('sent', 'accepted', 'declined', 'withdrawn', 'met', 'contracted', 'no_deal')", name=op.f("ck_cooperation_requests_state_known")),
    sa.CheckConstraint("contract_value_usd IS NULL OR contract_value_usd >= 0", name=op.f("ck_cooperation_requests_contract_value_positive")),
    sa.CheckConstraint("contract_volume IS NULL OR contract_volume > 0", name=op.f("ck_cooperation_requests_contract_volume_positive")),
    sa.CheckConstraint("sender_company_id <> recipient_company_id", name=op.f("ck_cooperation_requests_two_companies")),
    sa.CheckConstraint("sender_side <> recipient_side", name=op.f("ck_cooperation_requests_across_the_border")),
    sa.CheckConstraint("version >= 1", name=op.f("ck_cooperation_requests_version_positive")),
    sa.ForeignKeyConstraint(["created_by_id"], ["users.id"], name=op.f("fk_cooperation_requests_created_by_id_users")),
    sa.ForeignKeyConstraint(["need_id"], ["cooperation_needs.id"], name=op.f("fk_cooperation_requests_need_id_cooperation_needs")),
    sa.ForeignKeyConstraint(["offer_id"], ["cooperation_offers.id"], name=op.f("fk_cooperation_requests_offer_id_cooperation_offers")),
    sa.ForeignKeyConstraint(["recipient_company_id"], ["companies.id"], name=op.f("fk_cooperation_requests_recipient_company_id_companies")),
    sa.ForeignKeyConstraint(["sender_company_id"], ["companies.id"], name=op.f("fk_cooperation_requests_sender_company_id_companies")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_cooperation_requests"))
    )
    with op.batch_alter_table("cooperation_requests", schema=None) as batch_op:
        batch_op.create_index("ix_cooperation_requests_recipient", ["recipient_company_id", "id"], unique=False)
        batch_op.create_index("ix_cooperation_requests_sender", ["sender_company_id", "id"], unique=False)
        batch_op.create_index("ix_cooperation_requests_state", ["state", "id"], unique=False)


def downgrade():
    with op.batch_alter_table("cooperation_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_cooperation_requests_state")
        batch_op.drop_index("ix_cooperation_requests_sender")
        batch_op.drop_index("ix_cooperation_requests_recipient")

    op.drop_table("cooperation_requests")
    with op.batch_alter_table("cooperation_needs", schema=None) as batch_op:
        batch_op.drop_index("ix_cooperation_needs_company")
        batch_op.drop_index("ix_cooperation_needs_heading")
        batch_op.drop_index("ix_cooperation_needs_chapter")

    op.drop_table("cooperation_needs")
    with op.batch_alter_table("cooperation_offers", schema=None) as batch_op:
        batch_op.drop_index("ix_cooperation_offers_company")
        batch_op.drop_index("ix_cooperation_offers_heading")
        batch_op.drop_index("ix_cooperation_offers_chapter")

    op.drop_table("cooperation_offers")
    op.drop_table("figures_snapshots")
