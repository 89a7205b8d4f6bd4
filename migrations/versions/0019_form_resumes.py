"""Form resumes: what was typed into a form when the session had ended, until its author signs in again

Revision ID: 0019_form_resumes
Revises: 0018_worker
"""
from alembic import op
import sqlalchemy as sa


revision = "0019_form_resumes"
down_revision = "0018_worker"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table("form_resumes",
    sa.Column("token", sa.String(length=64), nullable=False),
    sa.Column("browser_hash", sa.String(length=64), nullable=False),
    sa.Column("user_id", sa.Integer(), nullable=True),
    sa.Column("method", sa.String(length=8), nullable=False),
    sa.Column("path", sa.String(length=2000), nullable=False),
    sa.Column("fields", sa.JSON(), nullable=False),
    sa.Column("files_dropped", sa.Integer(), nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_form_resumes_user_id_users"),
                            ondelete="CASCADE"),
    sa.PrimaryKeyConstraint("token", name=op.f("pk_form_resumes"))
    )
    with op.batch_alter_table("form_resumes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_form_resumes_created_at"), ["created_at"], unique=False)


def downgrade():
    with op.batch_alter_table("form_resumes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_form_resumes_created_at"))
    op.drop_table("form_resumes")
