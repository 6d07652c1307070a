"""stats rollup

One stats_day row per day of the shop's time zone and one stats_product_day row per day and SKU
sold (amounts in integer fen), filled by `flask --app server stats rebuild` and by payments and
refunds as they are recorded; indexes on order.pay_time, refund.success_time and
user.create_time for the stats queries. Run `flask --app server stats rebuild` once after
upgrading to count the existing orders.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02 14:48:02.593699

"""
from alembic import op
import sqlalchemy as sa

from app.core.migration import create_indexes, create_table, drop_tables


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    create_table(
        'stats_day',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('placed_orders', sa.Integer(), server_default='0', nullable=False),
        sa.Column('placed_paid', sa.Integer(), server_default='0', nullable=False),
        sa.Column('paid_orders', sa.Integer(), server_default='0', nullable=False),
        sa.Column('paid_amount', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('refunds', sa.Integer(), server_default='0', nullable=False),
        sa.Column('refunded_amount', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('new_customers', sa.Integer(), server_default='0', nullable=False),
        sa.Column('closed', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('update_time', sa.Integer(), nullable=False),
        key=('day',),
    )
    create_table(
        'stats_product_day',
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('product_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('sku_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('spec', sa.String(length=255), server_default='', nullable=False),
        sa.Column('units', sa.Integer(), server_default='0', nullable=False),
        sa.Column('amount', sa.BigInteger(), server_default='0', nullable=False),
        key=('day', 'product_id', 'sku_id'),
    )
    create_indexes('order', 'pay_time')
    create_indexes('refund', 'success_time')
    create_indexes('user', 'create_time')


def downgrade():
    op.drop_index('ix_user_create_time', table_name='user')
    op.drop_index('ix_refund_success_time', table_name='refund')
    op.drop_index('ix_order_pay_time', table_name='order')
    drop_tables('stats_product_day', 'stats_day')
