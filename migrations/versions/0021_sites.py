"""Sites: plots and buildings of each side with their plan outlines, leases made at admission, and the site
needs an application states

Revision ID: 0021_sites
Revises: 0020_cooperation
"""
from alembic import op
import sqlalchemy as sa


revision = "0021_sites"
down_revision = "0020_cooperation"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("site_kind", sa.String(length=8), nullable=True))
        batch_op.add_column(sa.Column("site_area_m2", sa.Numeric(precision=14, scale=2), nullable=True))
        batch_op.add_column(sa.Column("site_power_kw", sa.Numeric(precision=12, scale=2), nullable=True))
        batch_op.add_column(sa.Column("site_water_m3_day", sa.Numeric(precision=12, scale=2), nullable=True))

    op.create_table('sites',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('side', sa.String(length=2), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('area_m2', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('power_kw', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('water_m3_day', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('gas_m3_h', sa.Numeric(precision=10, scale=2), nullable=False),
    sa.Column('rent_per_m2_year', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('outline', sa.JSON(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("currency IN ('USD', 'KZT', 'UZS')", name=op.f('ck_sites_currency_known')),
    sa.CheckConstraint("kind IN ('plot', 'building')", name=op.f('ck_sites_kind_known')),
    sa.CheckConstraint("side IN ('KZ', 'UZ')", name=op.f('ck_sites_side_known')),
    sa.CheckConstraint("status IN ('free', 'reserved', 'leased')", name=op.f('ck_sites_status_known')),
    sa.CheckConstraint('area_m2 > 0', name=op.f('ck_sites_area_positive')),
    sa.CheckConstraint('power_kw >= 0 AND water_m3_day >= 0 AND gas_m3_h >= 0', name=op.f('ck_sites_utilities_non_negative')),
    sa.CheckConstraint('rent_per_m2_year >= 0', name=op.f('ck_sites_rent_non_negative')),
    sa.CheckConstraint('version >= 1', name=op.f('ck_sites_version_positive')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['users.id'], name=op.f('fk_sites_updated_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sites')),
    sa.UniqueConstraint('code', name=op.f('uq_sites_code'))
    )
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.create_index('ix_sites_side_status', ['side', 'status', 'code'], unique=False)

    op.create_table('site_leases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('site_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('company_id', sa.Integer(), nullable=False),
    sa.Column('certificate_serial', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('area_m2', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('rent_per_m2_year', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('reduction_pct', sa.Integer(), nullable=False),
    sa.Column('reduction_until', sa.Date(), nullable=True),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('sign_by', sa.Date(), nullable=False),
    sa.Column('rule_set_version', sa.String(length=32), nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('end_reason', sa.Text(), nullable=True),
    sa.Column('pdf', sa.LargeBinary(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint("status IN ('awaiting_signature', 'signed', 'lapsed', 'released')", name=op.f('ck_site_leases_status_known')),
    sa.CheckConstraint('reduction_pct >= 0 AND reduction_pct <= 100', name=op.f('ck_site_leases_reduction_in_range')),
    sa.CheckConstraint('rent_per_m2_year >= 0', name=op.f('ck_site_leases_rent_non_negative')),
    sa.CheckConstraint('sign_by >= starts_on', name=op.f('ck_site_leases_sign_after_start')),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], name=op.f('fk_site_leases_application_id_applications')),
    sa.ForeignKeyConstraint(['company_id'], ['companies.id'], name=op.f('fk_site_leases_company_id_companies')),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_site_leases_created_by_id_users')),
    sa.ForeignKeyConstraint(['site_id'], ['sites.id'], name=op.f('fk_site_leases_site_id_sites')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_site_leases'))
    )
    with op.batch_alter_table('site_leases', schema=None) as batch_op:
        batch_op.create_index('ix_site_leases_company', ['company_id', 'id'], unique=False)
        batch_op.create_index('ix_site_leases_status_sign_by', ['status', 'sign_by'], unique=False)
        batch_op.create_index('uq_site_leases_live_site', ['site_id'], unique=True, sqlite_where=sa.text("status IN ('awaiting_signature', 'signed')"), postgresql_where=sa.text("status IN ('awaiting_signature', 'signed')"))



def downgrade():
    with op.batch_alter_table('site_leases', schema=None) as batch_op:
        batch_op.drop_index('uq_site_leases_live_site', sqlite_where=sa.text("status IN ('awaiting_signature', 'signed')"), postgresql_where=sa.text("status IN ('awaiting_signature', 'signed')"))
        batch_op.drop_index('ix_site_leases_status_sign_by')
        batch_op.drop_index('ix_site_leases_company')

    op.drop_table('site_leases')
    with op.batch_alter_table('sites', schema=None) as batch_op:
        batch_op.drop_index('ix_sites_side_status')

    op.drop_table('sites')
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("site_water_m3_day")
        batch_op.drop_column("site_power_kw")
        batch_op.drop_column("site_area_m2")
        batch_op.drop_column("site_kind")
