"""Worker: one heartbeat per running copy, and scheduled runs claimed per (job, due time) under a unique key

Revision ID: 0018_worker
Revises: 0017_authority_role
"""
from alembic import op
import sqlalchemy as sa


revision = "0018_worker"
down_revision = "0017_authority_role"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("worker_heartbeats",
    sa.Column("worker_id", sa.String(length=120), nullable=False),
    sa.Column("host", sa.String(length=255), nullable=False),
    sa.Column("pid", sa.Integer(), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("beat_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("current_job", sa.String(length=60), nullable=True),
    sa.Column("stopped_at", sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint("worker_id", name=op.f("pk_worker_heartbeats"))
    )
    with op.batch_alter_table("worker_heartbeats", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_worker_heartbeats_beat_at"), ["beat_at"], unique=False)

    op.create_table("worker_job_runs",
    sa.Column("id", sa.Integer(), nullable=False),
    sa.Column("job", sa.String(length=60), nullable=False),
    sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("status", sa.String(length=10), nullable=False),
    sa.Column("attempts", sa.Integer(), nullable=False),
    sa.Column("worker_id", sa.String(length=120), nullable=False),
    sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("retry_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("error", sa.String(length=1000), nullable=True),
    sa.CheckConstraint("status IN ('running', 'done', 'failed')", name=op.f("ck_worker_job_runs_job_run_status_known")),
    sa.PrimaryKeyConstraint("id", name=op.f("pk_worker_job_runs")),
    sa.UniqueConstraint("job", "due_at", name=op.f("uq_worker_job_runs_job_due_at"))
    )


def downgrade():
    op.drop_table("worker_job_runs")
    with op.batch_alter_table("worker_heartbeats", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_worker_heartbeats_beat_at"))
    op.drop_table("worker_heartbeats")
