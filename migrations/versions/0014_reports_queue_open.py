"""Reports: an ``in_queue`` flag (current version of an open report) and indexes that let the staff queue
read its page in (due, id) order instead of sorting every open report

Revision ID: 0014_reports_queue_open
Revises: 0013_reports
"""
from alembic import op
import sqlalchemy as sa


revision = "0014_reports_queue_open"
down_revision = "0013_reports"
branch_labels = None
depends_on = None

OPEN = "'draft', 'submitted', 'returned'"


def upgrade():
    with op.batch_alter_table("reports") as batch:
        batch.add_column(sa.Column("in_queue", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(f"UPDATE reports SET in_queue = (head IS NOT NULL AND status IN ({OPEN}))")
    with op.batch_alter_table("reports") as batch:
        batch.create_check_constraint(op.f("ck_reports_in_queue_derived"), sa.text(f"in_queue = (head IS NOT NULL AND status IN ({OPEN}))"))
        batch.drop_index("ix_reports_queue")
        batch.create_index("ix_reports_queue", ["status", "in_queue", "due", "id"])
        batch.create_index("ix_reports_open_queue", ["in_queue", "due", "id", "status"])
        batch.create_index("ix_reports_due", ["due", "id"])


def downgrade():
    with op.batch_alter_table("reports") as batch:
        batch.drop_index("ix_reports_due")
        batch.drop_index("ix_reports_open_queue")
        batch.drop_index("ix_reports_queue")
        batch.create_index("ix_reports_queue", ["status", "due", "id"])
        batch.drop_constraint(op.f("ck_reports_in_queue_derived"), type_="check")
        batch.drop_column("in_queue")
