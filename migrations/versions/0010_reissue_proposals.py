"""Certificates: reissue proposals, so that one person proposes a reissue and another confirms it

Revision ID: 0010_reissue_proposals
Revises: 0009_company_claims
"""
from alembic import op
import sqlalchemy as sa


revision = "0010_reissue_proposals"
down_revision = "0009_company_claims"
branch_labels = None
depends_on = None

PENDING = sa.text("status = 'pending'")


def upgrade():
    op.create_table('certificate_reissue_proposals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('basis', sa.String(length=12), nullable=False),
    sa.Column('snapshot_id', sa.Integer(), nullable=False),
    sa.Column('benefits', sa.JSON(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.Column('replacement_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("basis IN ('decision', 'amendment')", name=op.f('ck_certificate_reissue_proposals_proposal_basis_known')),
    sa.CheckConstraint("status <> 'confirmed' OR decided_by_id <> proposed_by_id", name=op.f('ck_certificate_reissue_proposals_proposal_four_eyes')),
    sa.CheckConstraint("status IN ('pending', 'confirmed', 'declined', 'withdrawn')", name=op.f('ck_certificate_reissue_proposals_proposal_status_known')),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_certificate_reissue_proposals_certificate_id_certificates')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_certificate_reissue_proposals_decided_by_id_users')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_certificate_reissue_proposals_proposed_by_id_users')),
    sa.ForeignKeyConstraint(['replacement_id'], ['certificates.id'], name=op.f('fk_certificate_reissue_proposals_replacement_id_certificates')),
    sa.ForeignKeyConstraint(['snapshot_id'], ['eligibility_snapshots.id'], name=op.f('fk_certificate_reissue_proposals_snapshot_id_eligibility_snapshots')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_reissue_proposals'))
    )
    with op.batch_alter_table('certificate_reissue_proposals', schema=None) as batch_op:
        batch_op.create_index('uq_reissue_proposals_pending', ['certificate_id'], unique=True,
                              postgresql_where=PENDING, sqlite_where=PENDING)


def downgrade():
    with op.batch_alter_table('certificate_reissue_proposals', schema=None) as batch_op:
        batch_op.drop_index('uq_reissue_proposals_pending', postgresql_where=PENDING, sqlite_where=PENDING)
    op.drop_table('certificate_reissue_proposals')
