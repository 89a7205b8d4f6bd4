"""Review: holidays, the review checklist and the queue's submission-order index

Revision ID: 0004_review
Revises: 0003_eligibility
"""
from alembic import op
import sqlalchemy as sa


revision = "0004_review"
down_revision = "0003_eligibility"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('review_holidays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_review_holidays_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_holidays')),
    sa.UniqueConstraint('day', name=op.f('uq_review_holidays_day'))
    )
    op.create_table('review_checklist_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('item', sa.String(length=40), nullable=False),
    sa.Column('checked', sa.Boolean(), nullable=False),
    sa.Column('comment', sa.String(length=500), nullable=True),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_review_checklist_items_application_id_applications')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_review_checklist_items_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review_checklist_items')),
    sa.UniqueConstraint('application_id', 'item', name='uq_review_checklist_item')
    )
    with op.batch_alter_table('review_checklist_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_review_checklist_items_application_id'), ['application_id'], unique=False)
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index('ix_applications_submitted_order', ['submitted_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index('ix_applications_submitted_order')
    with op.batch_alter_table('review_checklist_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_review_checklist_items_application_id'))
    op.drop_table('review_checklist_items')
    op.drop_table('review_holidays')
