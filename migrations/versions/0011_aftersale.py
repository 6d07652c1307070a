"""after-sales: requests, their lines and events; refunded counts and amounts per line and
order; the after-sales period parameter

One open after-sale per order line (order_product.open_after_sale_id); refunded units and money
per line and the refunded money of the order grow only through guarded UPDATEs. A refund row
may belong to an after-sale. An installed shop gets the `shop.aftersale.days` parameter here; a
new install gets it from the system seed.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 15:00:00

"""
from alembic import op
import sqlalchemy as sa

import app.models.base
from app.core.migration import add_parameters, create_table, create_time, drop_tables, event_columns, remove_parameters


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = "0010"
branch_labels = None
depends_on = None

MONEY = app.models.base.Money(precision=10, scale=2)
PARAMETERS = [
    # key, name, value, value_type, remark (the row app/seed/system.py gives a new install)
    (
        'shop.aftersale.days',
        '商城售后-售后期限(天)',
        '7',
        'int',
        '确认收货后多少天内可以申请售后；未收货的订单随时可以申请',
    ),
]

def upgrade():
    create_table(
        'after_sale',
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('type', sa.SmallInteger(), nullable=False),
        sa.Column('status', sa.SmallInteger(), server_default='1', nullable=False),
        sa.Column('reason', sa.String(length=100), nullable=False),
        sa.Column('description', sa.String(length=500), server_default='', nullable=False),
        sa.Column('images', sa.JSON(), nullable=False),
        sa.Column('amount', MONEY, nullable=False),
        sa.Column('goods_amount', MONEY, nullable=False),
        sa.Column('freight_amount', MONEY, server_default='0', nullable=False),
        sa.Column('carrier', sa.String(length=50), nullable=True),
        sa.Column('tracking_no', sa.String(length=50), nullable=True),
        sa.Column('admin_reason', sa.String(length=200), server_default='', nullable=False),
        sa.Column('handler_id', sa.Integer(), nullable=True),
        sa.Column('restocked', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('decide_time', sa.Integer(), nullable=True),
        sa.Column('ship_time', sa.Integer(), nullable=True),
        sa.Column('receive_time', sa.Integer(), nullable=True),
        sa.Column('refund_time', sa.Integer(), nullable=True),
        sa.Column('cancel_time', sa.Integer(), nullable=True),
        create_time(),
        sa.Column('update_time', sa.Integer(), nullable=False),
        checks={'type_known': 'type IN (1, 2)'},
        foreign_keys=[('handler_id', 'user'), ('order_id', 'order'), ('user_id', 'user')],
        indexes=['create_time', 'order_id', ('status', 'id'), ('user_id', 'id')],
    )
    create_table(
        'after_sale_event',
        sa.Column('after_sale_id', sa.Integer(), nullable=False),
        *event_columns(),
        foreign_keys=[('after_sale_id', 'after_sale')],
        indexes=['after_sale_id'],
    )
    create_table(
        'after_sale_line',
        sa.Column('after_sale_id', sa.Integer(), nullable=False),
        sa.Column('order_product_id', sa.Integer(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('amount', MONEY, nullable=False),
        checks={'count_positive': 'count > 0'},
        foreign_keys=[('after_sale_id', 'after_sale'), ('order_product_id', 'order_product')],
        unique=[('after_sale_id', 'order_product_id')],
        indexes=['order_product_id'],
    )

    with op.batch_alter_table('order', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refunded_amount', MONEY, server_default='0', nullable=False))
    with op.batch_alter_table('order_product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('refunded_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('refunded_amount', MONEY, server_default='0', nullable=False))
        batch_op.add_column(sa.Column('restocked_count', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('open_after_sale_id', sa.Integer(), nullable=True))
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.add_column(sa.Column('after_sale_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_refund_after_sale_id'), ['after_sale_id'], unique=False)
        batch_op.create_foreign_key(
            'fk_refund_after_sale_id', 'after_sale', ['after_sale_id'], ['id']
        )
    # Refunds made before after-sales were full refunds: the order gave back what they did.
    quote = '`' if op.get_bind().dialect.name == 'mysql' else '"'
    op.execute(
        f'UPDATE {quote}order{quote} SET refunded_amount = ('
        'SELECT COALESCE(SUM(refund.amount), 0) FROM refund '
        f"WHERE refund.order_id = {quote}order{quote}.id "
        "AND refund.status IN ('SUCCESS', 'PROCESSING'))"
        + (' / 100' if op.get_bind().dialect.name == 'mysql' else '')
    )
    add_parameters(PARAMETERS)


def downgrade():
    remove_parameters(PARAMETERS)
    with op.batch_alter_table('refund', schema=None) as batch_op:
        batch_op.drop_constraint('fk_refund_after_sale_id', type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_refund_after_sale_id'))
        batch_op.drop_column('after_sale_id')
    with op.batch_alter_table('order_product', schema=None) as batch_op:
        batch_op.drop_column('open_after_sale_id')
        batch_op.drop_column('restocked_count')
        batch_op.drop_column('refunded_amount')
        batch_op.drop_column('refunded_count')
    with op.batch_alter_table('order', schema=None) as batch_op:
        batch_op.drop_column('refunded_amount')
    drop_tables('after_sale_line', 'after_sale_event', 'after_sale')
