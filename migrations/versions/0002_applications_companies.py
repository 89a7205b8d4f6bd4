"""Applications and companies: gap-free application numbers, read marks, company invitations

Revision ID: 0002_applications_companies
Revises: 0001_foundation
"""
from alembic import op
import sqlalchemy as sa


revision = "0002_applications_companies"
down_revision = "0001_foundation"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('application_counters',
    sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_number', sa.Integer(), nullable=False),
    sa.CheckConstraint('last_number >= 0', name=op.f('ck_application_counters_last_number_non_negative')),
    sa.PrimaryKeyConstraint('year', name=op.f('pk_application_counters'))
    )
    op.create_table('company_invitations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('nonce', sa.String(length=32), nullable=False),
    sa.Column('invited_by_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('accepted_user_id', sa.Integer(), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['accepted_user_id'], ['users.id'], name=op.f('fk_company_invitations_accepted_user_id_users')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_company_invitations_company_id_companies')),
    sa.ForeignKeyConstraint(['invited_by_id'], ['users.id'], name=op.f('fk_company_invitations_invited_by_id_users')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['users.id'], name=op.f('fk_company_invitations_revoked_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_company_invitations'))
    )
    with op.batch_alter_table('company_invitations', schema=None) as batch_op:
        batch_op.create_index('ix_company_invitations_company', ['company_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_company_invitations_email'), ['email'], unique=False)
    op.create_table('application_read_marks',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('last_event_id', sa.Integer(), nullable=False),
    sa.Column('seen_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_application_read_marks_application_id_applications')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_application_read_marks_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_application_read_marks')),
    sa.UniqueConstraint('application_id', 'user_id', name=op.f('uq_application_read_marks_application_id_user_id'))
    )
    with op.batch_alter_table('application_read_marks', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_application_read_marks_user_id'), ['user_id'], unique=False)


def downgrade():
    with op.batch_alter_table('application_read_marks', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_application_read_marks_user_id'))
    op.drop_table('application_read_marks')
    with op.batch_alter_table('company_invitations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_company_invitations_email'))
        batch_op.drop_index('ix_company_invitations_company')
    op.drop_table('company_invitations')
    op.drop_table('application_counters')
