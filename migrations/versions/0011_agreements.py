"""Agreements: activity agreements, their signed revisions, amendments, history and number counters

Revision ID: 0011_agreements
Revises: 0010_reissue_proposals
"""
from alembic import op
import sqlalchemy as sa


revision = "0011_agreements"
down_revision = "0010_reissue_proposals"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('agreement_number_counters',
    sa.Column('side', sa.String(length=2), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.CheckConstraint("side IN ('KZ', 'UZ')", name=op.f('ck_agreement_number_counters_side_known')),
    sa.CheckConstraint('last_number >= 0', name=op.f('ck_agreement_number_counters_last_number_non_negative')),
    sa.PrimaryKeyConstraint('side', 'year', name=op.f('pk_agreement_number_counters'))
    )
    op.create_table('agreements',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=24), nullable=False),
    sa.Column('side', sa.String(length=2), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('sequence', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=30), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('company_name', sa.String(length=300), nullable=False),
    sa.Column('company_tax_id', sa.String(length=20), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=False),
    sa.Column('countersign_due', sa.Date(), nullable=False),
    sa.Column('rule_set_version', sa.String(length=32), nullable=False),
    sa.Column('obligations', sa.JSON(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('zone_signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('company_signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("side IN ('KZ', 'UZ')", name=op.f('ck_agreements_side_known')),
    sa.CheckConstraint("status IN ('awaiting_company_signature', 'concluded', 'terminated')", name=op.f('ck_agreements_status_known')),
    sa.CheckConstraint('countersign_due >= decided_on', name=op.f('ck_agreements_due_after_decision')),
    sa.CheckConstraint('revision >= 1', name=op.f('ck_agreements_revision_positive')),
    sa.CheckConstraint('sequence > 0', name=op.f('ck_agreements_sequence_positive')),
    sa.CheckConstraint('size > 0 AND length(sha256) = 64', name=op.f('ck_agreements_pdf_fingerprinted')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_agreements_version_positive')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_agreements_application_id_applications')),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_agreements_certificate_id_certificates')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_agreements_company_id_companies')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_agreements_created_by_id_users')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_agreements_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreements')),
    sa.UniqueConstraint('application_id', name=op.f('uq_agreements_application_id')),
    sa.UniqueConstraint('number', name=op.f('uq_agreements_number')),
    sa.UniqueConstraint('side', 'year', 'sequence', name=op.f('uq_agreements_side_year_sequence'))
    )
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.create_index('ix_agreements_company', ['company_id', 'id'], unique=False)
        batch_op.create_index('ix_agreements_status_side', ['status', 'side', 'id'], unique=False)

    op.create_table('agreement_amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('base_revision', sa.Integer(), nullable=False),
    sa.Column('obligations', sa.JSON(), nullable=False),
    sa.Column('changes', sa.JSON(), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('proposed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_comment', sa.Text(), nullable=True),
    sa.Column('revision_number', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('proposed', 'approved', 'rejected')", name=op.f('ck_agreement_amendments_status_known')),
    sa.CheckConstraint('decided_by_id IS NULL OR decided_by_id <> proposed_by_id', name=op.f('ck_agreement_amendments_four_eyes')),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_agreement_amendments_agreement_id_agreements')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_agreement_amendments_decided_by_id_users')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_agreement_amendments_proposed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_amendments')),
    sa.UniqueConstraint('agreement_id', 'number', name=op.f('uq_agreement_amendments_agreement_id_number'))
    )
    op.create_table('agreement_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=30), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_agreement_events_actor_id_users')),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_agreement_events_agreement_id_agreements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_events'))
    )
    with op.batch_alter_table('agreement_events', schema=None) as batch_op:
        batch_op.create_index('ix_agreement_events_agreement', ['agreement_id', 'id'], unique=False)

    op.create_table('agreement_revisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('amendment_id', sa.Integer(), nullable=True),
    sa.Column('obligations', sa.JSON(), nullable=False),
    sa.Column('zone_pdf', sa.LargeBinary(), nullable=True),
    sa.Column('zone_sha256', sa.String(length=64), nullable=False),
    sa.Column('zone_size', sa.Integer(), nullable=False),
    sa.Column('zone_signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('concluded_pdf', sa.LargeBinary(), nullable=True),
    sa.Column('concluded_sha256', sa.String(length=64), nullable=True),
    sa.Column('concluded_size', sa.Integer(), nullable=True),
    sa.Column('company_signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('company_signer', sa.String(length=500), nullable=True),
    sa.Column('countersigned_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('(company_signed_at IS NULL) = (concluded_sha256 IS NULL)', name=op.f('ck_agreement_revisions_concluded_pdf_with_signature')),
    sa.CheckConstraint('number >= 1', name=op.f('ck_agreement_revisions_number_positive')),
    sa.CheckConstraint('zone_size > 0 AND length(zone_sha256) = 64', name=op.f('ck_agreement_revisions_zone_pdf_fingerprinted')),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_agreement_revisions_agreement_id_agreements')),
    sa.ForeignKeyConstraint(['amendment_id'], ['agreement_amendments.id'], name=op.f('fk_agreement_revisions_amendment_id_agreement_amendments')),
    sa.ForeignKeyConstraint(['countersigned_by_id'], ['users.id'], name=op.f('fk_agreement_revisions_countersigned_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_revisions')),
    sa.UniqueConstraint('agreement_id', 'number', name=op.f('uq_agreement_revisions_agreement_id_number'))
    )


def downgrade():
    op.drop_table('agreement_revisions')
    with op.batch_alter_table('agreement_events', schema=None) as batch_op:
        batch_op.drop_index('ix_agreement_events_agreement')

    op.drop_table('agreement_events')
    op.drop_table('agreement_amendments')
    with op.batch_alter_table('agreements', schema=None) as batch_op:
        batch_op.drop_index('ix_agreements_status_side')
        batch_op.drop_index('ix_agreements_company')

    op.drop_table('agreements')
    op.drop_table('agreement_number_counters')
