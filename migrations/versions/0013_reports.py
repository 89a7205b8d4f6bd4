"""Reports: residents' quarterly and annual reports, their history, documents and reminders sent

Revision ID: 0013_reports
Revises: 0012_claim_proofs
"""
from alembic import op
import sqlalchemy as sa


revision = "0013_reports"
down_revision = "0012_claim_proofs"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recipients', sa.Integer(), nullable=False),
    sa.CheckConstraint("kind IN ('before_due', 'overdue')", name=op.f('ck_report_reminders_kind_known')),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_report_reminders_agreement_id_agreements')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_reminders')),
    sa.UniqueConstraint('agreement_id', 'period', 'kind', name='uq_report_reminders_once')
    )
    op.create_table('reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('period_start', sa.Date(), nullable=False),
    sa.Column('period_end', sa.Date(), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('head', sa.Boolean(), nullable=True),
    sa.Column('supersedes_id', sa.Integer(), nullable=True),
    sa.Column('correction_reason', sa.Text(), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=True),
    sa.Column('investment_own', sa.Numeric(precision=20, scale=2), nullable=True),
    sa.Column('investment_borrowed', sa.Numeric(precision=20, scale=2), nullable=True),
    sa.Column('investment_foreign', sa.Numeric(precision=20, scale=2), nullable=True),
    sa.Column('investment_cumulative', sa.Numeric(precision=20, scale=2), nullable=True),
    sa.Column('jobs_total', sa.Integer(), nullable=True),
    sa.Column('jobs_local', sa.Integer(), nullable=True),
    sa.Column('jobs_foreign', sa.Integer(), nullable=True),
    sa.Column('payroll', sa.Numeric(precision=20, scale=2), nullable=True),
    sa.Column('revenue_total', sa.Numeric(precision=20, scale=2), nullable=True),
    sa.Column('revenue_priority', sa.Numeric(precision=20, scale=2), nullable=True),
    sa.Column('revenue_export', sa.Numeric(precision=20, scale=2), nullable=True),
    sa.Column('sales_to_other_side', sa.Numeric(precision=20, scale=2), nullable=True),
    sa.Column('purchases_from_other_side', sa.Numeric(precision=20, scale=2), nullable=True),
    sa.Column('taxes_paid', sa.Numeric(precision=20, scale=2), nullable=True),
    sa.Column('benefits_used', sa.JSON(), nullable=True),
    sa.Column('output', sa.JSON(), nullable=True),
    sa.Column('auditor_name', sa.String(length=300), nullable=True),
    sa.Column('audit_opinion', sa.String(length=12), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('question', sa.Text(), nullable=True),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("kind IN ('quarterly', 'annual')", name=op.f('ck_reports_kind_known')),
    sa.CheckConstraint("side IN ('KZ', 'UZ')", name=op.f('ck_reports_side_known')),
    sa.CheckConstraint("status IN ('draft', 'submitted', 'returned', 'accepted')", name=op.f('ck_reports_status_known')),
    sa.CheckConstraint('(revision = 1) = (supersedes_id IS NULL)', name=op.f('ck_reports_correction_names_its_original')),
    sa.CheckConstraint('jobs_local IS NULL OR jobs_total IS NULL OR jobs_local <= jobs_total', name=op.f('ck_reports_local_jobs_within_total')),
    sa.CheckConstraint('revenue_priority IS NULL OR revenue_total IS NULL OR revenue_priority <= revenue_total', name=op.f('ck_reports_priority_revenue_within_total')),
    sa.CheckConstraint('revision >= 1', name=op.f('ck_reports_revision_positive')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_reports_version_positive')),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreements.id'], name=op.f('fk_reports_agreement_id_agreements')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_reports_company_id_companies')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_reports_created_by_id_users')),
    sa.ForeignKeyConstraint(['supersedes_id'], ['reports.id'], name=op.f('fk_reports_supersedes_id_reports')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_reports_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reports')),
    sa.UniqueConstraint('agreement_id', 'period', 'head', name='uq_reports_period_head')
    )
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.create_index('ix_reports_company', ['company_id', 'id'], unique=False)
        batch_op.create_index('ix_reports_queue', ['status', 'due', 'id'], unique=False)

    op.create_table('report_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('storage_name', sa.String(length=80), nullable=False),
    sa.Column('content_type', sa.String(length=50), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('uploaded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_documents_report_id_reports')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_report_documents_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_documents')),
    sa.UniqueConstraint('storage_name', name=op.f('uq_report_documents_storage_name'))
    )
    with op.batch_alter_table('report_documents', schema=None) as batch_op:
        batch_op.create_index('ix_report_documents_report_kind', ['report_id', 'kind', 'id'], unique=False)

    op.create_table('report_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('report_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('action', sa.String(length=20), nullable=False),
    sa.Column('from_status', sa.String(length=10), nullable=True),
    sa.Column('to_status', sa.String(length=10), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('comment', sa.Text(), nullable=True),
    sa.Column('details', sa.JSON(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_report_events_actor_id_users')),
    sa.ForeignKeyConstraint(['report_id'], ['reports.id'], name=op.f('fk_report_events_report_id_reports')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_events'))
    )
    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.create_index('ix_report_events_report', ['report_id', 'id'], unique=False)



def downgrade():
    with op.batch_alter_table('report_events', schema=None) as batch_op:
        batch_op.drop_index('ix_report_events_report')

    op.drop_table('report_events')
    with op.batch_alter_table('report_documents', schema=None) as batch_op:
        batch_op.drop_index('ix_report_documents_report_kind')

    op.drop_table('report_documents')
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_index('ix_reports_queue')
        batch_op.drop_index('ix_reports_company')

    op.drop_table('reports')
    op.drop_table('report_reminders')
