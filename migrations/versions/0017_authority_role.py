"""Accounts: the read-only authority role (a tax or customs service of one side reading the events feed)

The users' role check admits 'authority', and each user gets a side: KZ or UZ for an authority, none for
anyone else. A downgrade fails while an authority account exists (disable and remove those first).

Revision ID: 0017_authority_role
Revises: 0016_notices
"""
from alembic import op
import sqlalchemy as sa


revision = "0017_authority_role"
down_revision = "0016_notices"
branch_labels = None
depends_on = None

ROLES = "'applicant', 'reviewer', 'approver', 'auditor', 'admin'"


def upgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("side", sa.String(length=2), nullable=True))
        batch_op.drop_constraint(batch_op.f("ck_users_role_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_users_role_known"), f"role IN ({ROLES}, 'authority')")
        batch_op.create_check_constraint(
            batch_op.f("ck_users_authority_has_side"),
            "(role = 'authority' AND side IS NOT NULL AND side IN ('KZ', 'UZ'))"
            " OR (role <> 'authority' AND side IS NULL)")


def downgrade():
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_users_authority_has_side"), type_="check")
        batch_op.drop_constraint(batch_op.f("ck_users_role_known"), type_="check")
        batch_op.create_check_constraint(batch_op.f("ck_users_role_known"), f"role IN ({ROLES})")
        batch_op.drop_column("side")
