"""Rates: the official exchange rates imported from the National Bank of Kazakhstan and the Central Bank
of Uzbekistan, one row per source, currency and date

Revision ID: 0007_exchange_rates
Revises: 0006_users_role_index
"""

import sqlalchemy as sa
from alembic import op


revision = "0007_exchange_rates"
down_revision = "0006_users_role_index"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "exchange_rates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("quote", sa.String(length=3), nullable=False),
        sa.Column("rate_date", sa.Date(), nullable=False),
        sa.Column("value", sa.Numeric(precision=20, scale=6), nullable=False),
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("source IN ('nbk', 'cbu')", name=op.f("ck_exchange_rates_source_known")),
        sa.CheckConstraint("value > 0 AND units > 0", name=op.f("ck_exchange_rates_positive")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exchange_rates")),
        sa.UniqueConstraint(
            "source", "currency", "rate_date", name=op.f("uq_exchange_rates_source_currency_rate_date")
        ),
    )


def downgrade():
    op.drop_table("exchange_rates")
