"""Accounts: an index on users.role, so staff lists (reviewers for the queue's filter) skip the applicants

Revision ID: 0006_users_role_index
Revises: 0005_certificates
"""
from alembic import op


revision = "0006_users_role_index"
down_revision = "0005_certificates"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_role"), ["role"], unique=False)


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_role"))
