"""Companies: a registration claims its tax id instead of owning it; administrators' claim resolutions

Several companies may now name one (country, tax id): the unique constraint becomes an index, each
company gets a claim status, and every administrator's decision on a claim is kept. A downgrade
fails while two companies still share a tax id (resolve the disputes first).

Revision ID: 0009_company_claims
Revises: 0008_calendar
"""
from alembic import op
import sqlalchemy as sa


revision = "0009_company_claims"
down_revision = "0008_calendar"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("claim_status", sa.String(length=20), server_default="open", nullable=False))
        batch_op.drop_constraint(batch_op.f("uq_companies_registration_country_tax_id"), type_="unique")
        batch_op.create_check_constraint(
            batch_op.f("ck_companies_claim_status_known"),
            "claim_status IN ('open', 'merged', 'transferred', 'disabled')")
        batch_op.create_index("ix_companies_claim", ["registration_country", "tax_id", "claim_status"], unique=False)
    op.create_table(
        "company_claim_resolutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.String(length=1000), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(action = 'disable' AND target_id IS NULL) OR (action <> 'disable' AND target_id IS NOT NULL)",
            name=op.f("ck_company_claim_resolutions_target_unless_disabled")),
        sa.CheckConstraint("action IN ('merge', 'transfer', 'disable')",
                           name=op.f("ck_company_claim_resolutions_action_known")),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_company_claim_resolutions_actor_id_users")),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"],
                                name=op.f("fk_company_claim_resolutions_company_id_companies")),
        sa.ForeignKeyConstraint(["target_id"], ["companies.id"],
                                name=op.f("fk_company_claim_resolutions_target_id_companies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_claim_resolutions")),
    )
    with op.batch_alter_table("company_claim_resolutions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_company_claim_resolutions_company_id"), ["company_id"], unique=False)


def downgrade():
    with op.batch_alter_table("company_claim_resolutions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_claim_resolutions_company_id"))
    op.drop_table("company_claim_resolutions")
    with op.batch_alter_table("companies", schema=None) as batch_op:
        batch_op.drop_index("ix_companies_claim")
        batch_op.drop_constraint(batch_op.f("ck_companies_claim_status_known"), type_="check")
        batch_op.create_unique_constraint(batch_op.f("uq_companies_registration_country_tax_id"),
                                          ["registration_country", "tax_id"])
        batch_op.drop_column("claim_status")
