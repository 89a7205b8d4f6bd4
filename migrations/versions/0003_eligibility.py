"""Eligibility: stored rule-set versions (four-eyes activation) and immutable evaluation snapshots

Revision ID: 0003_eligibility
Revises: 0002_applications_companies
"""
from alembic import op
import sqlalchemy as sa


revision = "0003_eligibility"
down_revision = "0002_applications_companies"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rule_set_versions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(length=32), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('effective_from', sa.Date(), nullable=False),
    sa.Column('cases_source', sa.Text(), nullable=True),
    sa.Column('cases_report', sa.JSON(), nullable=True),
    sa.Column('uploaded_by_id', sa.Integer(), nullable=False),
    sa.Column('activation_requested_by_id', sa.Integer(), nullable=True),
    sa.Column('activation_requested_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('activated_by_id', sa.Integer(), nullable=True),
    sa.Column('activated_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status <> 'active' OR activated_by_id IS NOT NULL", name=op.f('ck_rule_set_versions_rule_set_active_has_activator')),
    sa.CheckConstraint("status IN ('draft', 'pending_activation', 'active', 'retired')", name=op.f('ck_rule_set_versions_rule_set_status_known')),
    sa.CheckConstraint('activated_by_id IS NULL OR activated_by_id <> activation_requested_by_id', name=op.f('ck_rule_set_versions_rule_set_four_eyes')),
    sa.ForeignKeyConstraint(['activated_by_id'], ['users.id'], name=op.f('fk_rule_set_versions_activated_by_id_users')),
    sa.ForeignKeyConstraint(['activation_requested_by_id'], ['users.id'], name=op.f('fk_rule_set_versions_activation_requested_by_id_users')),
    sa.ForeignKeyConstraint(['uploaded_by_id'], ['users.id'], name=op.f('fk_rule_set_versions_uploaded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rule_set_versions')),
    sa.UniqueConstraint('version', name=op.f('uq_rule_set_versions_version'))
    )
    op.create_table('eligibility_snapshots',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('rule_set_version', sa.String(length=32), nullable=False),
    sa.Column('on_date', sa.Date(), nullable=False),
    sa.Column('facts', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('admitted', sa.Boolean(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('submission', 'resubmission', 'recommendation', 'decision', 'amendment')", name=op.f('ck_eligibility_snapshots_snapshot_kind_known')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_eligibility_snapshots_application_id_applications')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_eligibility_snapshots_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eligibility_snapshots'))
    )
    with op.batch_alter_table('eligibility_snapshots', schema=None) as batch_op:
        batch_op.create_index('ix_eligibility_snapshots_app', ['application_id', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('eligibility_snapshots', schema=None) as batch_op:
        batch_op.drop_index('ix_eligibility_snapshots_app')
    op.drop_table('eligibility_snapshots')
    op.drop_table('rule_set_versions')
