"""Certificates: gap-free serial counters, certificates with their signed PDF, lifecycle history

Revision ID: 0005_certificates
Revises: 0004_review
"""
from alembic import op
import sqlalchemy as sa


revision = "0005_certificates"
down_revision = "0004_review"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('certificate_serial_counters',
    sa.Column('side', sa.String(length=2), nullable=False),
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.CheckConstraint("side IN ('KZ', 'UZ')", name=op.f('ck_certificate_serial_counters_side_known')),
    sa.CheckConstraint('last_number >= 0', name=op.f('ck_certificate_serial_counters_last_number_non_negative')),
    sa.PrimaryKeyConstraint('side', 'year', name=op.f('pk_certificate_serial_counters'))
    )
    op.create_table('certificates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('serial', sa.String(length=24), nullable=False),
    sa.Column('side', sa.String(length=2), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('company_name', sa.String(length=300), nullable=False),
    sa.Column('company_tax_id', sa.String(length=20), nullable=False),
    sa.Column('company_name_folded', sa.String(length=300), nullable=False),
    sa.Column('sector', sa.String(length=40), nullable=True),
    sa.Column('activity_codes', sa.JSON(), nullable=True),
    sa.Column('issued_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('benefits', sa.JSON(), nullable=False),
    sa.Column('verify_token', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('superseded_by_id', sa.Integer(), nullable=True),
    sa.Column('status_changed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('suspended_on', sa.Date(), nullable=True),
    sa.Column('suspended_reason', sa.Text(), nullable=True),
    sa.Column('revoked_at', sa.Date(), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.Column('issued_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("side IN ('KZ', 'UZ')", name=op.f('ck_certificates_side_known')),
    sa.CheckConstraint("status IN ('active', 'suspended', 'revoked', 'expired', 'superseded')", name=op.f('ck_certificates_status_known')),
    sa.CheckConstraint('number > 0', name=op.f('ck_certificates_number_positive')),
    sa.CheckConstraint('size > 0 AND length(sha256) = 64', name=op.f('ck_certificates_pdf_fingerprinted')),
    sa.CheckConstraint('valid_until >= valid_from', name=op.f('ck_certificates_validity_ordered')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_certificates_application_id_applications')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_certificates_company_id_companies')),
    sa.ForeignKeyConstraint(['issued_by_id'], ['users.id'], name=op.f('fk_certificates_issued_by_id_users')),
    sa.ForeignKeyConstraint(['superseded_by_id'], ['certificates.id'], name=op.f('fk_certificates_superseded_by_id_certificates')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['certificates.id'], name=op.f('fk_certificates_supersedes_id_certificates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificates')),
    sa.UniqueConstraint('serial', name=op.f('uq_certificates_serial')),
    sa.UniqueConstraint('side', 'year', 'number', name=op.f('uq_certificates_side_year_number')),
    sa.UniqueConstraint('verify_token', name=op.f('uq_certificates_verify_token'))
    )
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.create_index('ix_certificates_company', ['company_id', 'id'], unique=False)
        batch_op.create_index('ix_certificates_issued_at', ['issued_at', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_certificates_sha256'), ['sha256'], unique=False)
        batch_op.create_index('ix_certificates_status_side', ['status', 'side', 'id'], unique=False)
        batch_op.create_index('ix_certificates_tax_id', ['company_tax_id'], unique=False)
        batch_op.create_index('uq_certificates_live_application', ['application_id'], unique=True, postgresql_where=sa.text("status IN ('active', 'suspended')"), sqlite_where=sa.text("status IN ('active', 'suspended')"))
    op.create_table('certificate_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('certificate_id', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=12), nullable=True),
    sa.Column('to_status', sa.String(length=12), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('effective_date', sa.Date(), nullable=False),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_certificate_events_actor_id_users')),
    sa.ForeignKeyConstraint(['certificate_id'], ['certificates.id'], name=op.f('fk_certificate_events_certificate_id_certificates')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_events'))
    )
    with op.batch_alter_table('certificate_events', schema=None) as batch_op:
        batch_op.create_index('ix_certificate_events_certificate', ['certificate_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('certificate_events', schema=None) as batch_op:
        batch_op.drop_index('ix_certificate_events_certificate')
    op.drop_table('certificate_events')
    with op.batch_alter_table('certificates', schema=None) as batch_op:
        batch_op.drop_index('uq_certificates_live_application', postgresql_where=sa.text("status IN ('active', 'suspended')"), sqlite_where=sa.text("status IN ('active', 'suspended')"))
        batch_op.drop_index('ix_certificates_tax_id')
        batch_op.drop_index('ix_certificates_status_side')
        batch_op.drop_index(batch_op.f('ix_certificates_sha256'))
        batch_op.drop_index('ix_certificates_issued_at')
        batch_op.drop_index('ix_certificates_company')
    op.drop_table('certificates')
    op.drop_table('certificate_serial_counters')
