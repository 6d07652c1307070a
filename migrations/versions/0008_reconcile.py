"""reconciliation reports

One reconcile_day row per WeChat Pay trade bill date (UNIQUE bill_date: a rerun replaces the
day's items), and its reconcile_item rows, deleted with it. Amounts are integer fen.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 07:08:38.162446

"""
import sqlalchemy as sa

from app.core.migration import create_table, drop_tables, timestamps


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    create_table(
        'reconcile_day',
        sa.Column('bill_date', sa.Date(), nullable=False),
        sa.Column('bill_rows', sa.Integer(), nullable=False),
        sa.Column('bill_order_total', sa.Integer(), nullable=False),
        sa.Column('bill_refund_total', sa.Integer(), nullable=False),
        sa.Column('hash_value', sa.String(length=64), server_default='', nullable=False),
        sa.Column('matched', sa.Integer(), nullable=False),
        sa.Column('missing_local', sa.Integer(), nullable=False),
        sa.Column('missing_wechat', sa.Integer(), nullable=False),
        sa.Column('amount_mismatch', sa.Integer(), nullable=False),
        sa.Column('order_mismatch', sa.Integer(), nullable=False),
        sa.Column('repaired', sa.Integer(), nullable=False),
        sa.Column('runs', sa.Integer(), server_default='1', nullable=False),
        *timestamps(),
        unique=['bill_date'],
    )
    create_table(
        'reconcile_item',
        sa.Column('day_id', sa.Integer(), nullable=False),
        sa.Column('category', sa.String(length=16), nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('transaction_id', sa.String(length=64), server_default='', nullable=False),
        sa.Column('out_trade_no', sa.String(length=32), server_default='', nullable=False),
        sa.Column('out_refund_no', sa.String(length=64), server_default='', nullable=False),
        sa.Column('refund_id', sa.String(length=64), server_default='', nullable=False),
        sa.Column('bill_amount', sa.Integer(), nullable=True),
        sa.Column('local_amount', sa.Integer(), nullable=True),
        sa.Column('order_id', sa.Integer(), nullable=True),
        sa.Column('repair', sa.String(length=32), server_default='', nullable=False),
        sa.Column('note', sa.String(length=255), server_default='', nullable=False),
        foreign_keys=[('day_id', 'reconcile_day', 'CASCADE')],
        indexes=[('day_id', 'category')],
    )


def downgrade():
    drop_tables('reconcile_item', 'reconcile_day')
