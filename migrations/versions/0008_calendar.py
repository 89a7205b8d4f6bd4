"""Calendar: each side's working-day overrides replace the one list of review holidays

The admins' holidays of ``review_holidays`` applied to everyone: each becomes an extra day off on both
sides. Downgrading keeps the days off (once per day) and drops the working days, which the old table
could not express.

Revision ID: 0008_calendar
Revises: 0007_exchange_rates
"""
from alembic import op
import sqlalchemy as sa


revision = "0008_calendar"
down_revision = "0007_exchange_rates"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_overrides',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('side', sa.String(length=2), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('day_off', 'working_day')", name=op.f('ck_calendar_overrides_kind_known')),
    sa.CheckConstraint("side IN ('KZ', 'UZ')", name=op.f('ck_calendar_overrides_side_known')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_calendar_overrides_created_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_overrides')),
    sa.UniqueConstraint('side', 'day', name='uq_calendar_overrides_side_day')
    )
    for side in ('KZ', 'UZ'):
        op.execute(sa.text(
            "INSERT INTO calendar_overrides (side, day, kind, name, created_by_id, created_at) "
            "SELECT :side, day, 'day_off', name, created_by_id, created_at FROM review_holidays"
        ).bindparams(side=side))
    op.drop_table('review_holidays')


def downgrade():
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
    op.execute(
        "INSERT INTO review_holidays (day, name, created_by_id, created_at) "
        "SELECT day, MIN(name), MIN(created_by_id), MIN(created_at) FROM calendar_overrides "
        "WHERE kind = 'day_off' GROUP BY day"
    )
    op.drop_table('calendar_overrides')
