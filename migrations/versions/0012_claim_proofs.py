"""Companies: proof of a tax id claim by the company's qualified e-signature

A company proves its claim on a tax id by signing a zone-signed statement (or its activity agreement)
with a certificate that carries the tax id. Each proof is kept with the signed file.

Revision ID: 0012_claim_proofs
Revises: 0011_agreements
"""
from alembic import op
import sqlalchemy as sa


revision = "0012_claim_proofs"
down_revision = "0011_agreements"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "company_claim_proofs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("reference", sa.String(length=40), nullable=False),
        sa.Column("registration_country", sa.String(length=2), nullable=False),
        sa.Column("tax_id", sa.String(length=20), nullable=False),
        sa.Column("statement", sa.LargeBinary(), nullable=True),
        sa.Column("statement_sha256", sa.String(length=64), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_pdf", sa.LargeBinary(), nullable=True),
        sa.Column("signed_sha256", sa.String(length=64), nullable=True),
        sa.Column("proven_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signer", sa.String(length=500), nullable=True),
        sa.Column("person_ids", sa.JSON(), nullable=True),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("kind IN ('statement', 'agreement')", name=op.f("ck_company_claim_proofs_kind_known")),
        sa.CheckConstraint("(proven_at IS NULL) = (signer IS NULL)",
                           name=op.f("ck_company_claim_proofs_proof_names_signer")),
        sa.ForeignKeyConstraint(["actor_id"], ["users.id"], name=op.f("fk_company_claim_proofs_actor_id_users")),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"],
                                name=op.f("fk_company_claim_proofs_company_id_companies")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_company_claim_proofs")),
    )
    with op.batch_alter_table("company_claim_proofs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_company_claim_proofs_company_id"), ["company_id"], unique=False)


def downgrade():
    with op.batch_alter_table("company_claim_proofs", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_company_claim_proofs_company_id"))
    op.drop_table("company_claim_proofs")
