"""coupons and freight

Coupon templates (`coupon`, `claimed` never past `total`: a CHECK backs the guarded UPDATE),
the copies customers hold (`user_coupon`), single-use redeem codes (`coupon_code`, UNIQUE
code), and `order.user_coupon_id`, the coupon an order used. An installed shop gets the two
freight parameters (no freight until set); a new install gets them from the system seed.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 14:17:05.507926

"""
from alembic import op
import sqlalchemy as sa

import app.models.base
from app.core.migration import add_parameters, create_table, create_time, drop_tables, remove_parameters, timestamps


# revision identifiers, used by Alembic.
revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None

MONEY = app.models.base.Money(precision=10, scale=2)

PARAMETERS = [
    # key, name, value, value_type, remark (the rows app/seed/system.py gives a new install)
    ('shop.freight.price', '运费-每单运费(元)', '0.00', 'str', '每单运费，如 8.00；0.00 为包邮'),
    (
        'shop.freight.free_min',
        '运费-包邮门槛(元)',
        '99.00',
        'str',
        '商品金额达到此金额（含）免运费；0.00 为全部包邮',
    ),
]

def upgrade():
    create_table(
        'coupon',
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('description', sa.String(length=200), server_default='', nullable=False),
        sa.Column('type', sa.SmallInteger(), nullable=False),
        sa.Column('min_amount', MONEY, server_default='0', nullable=False),
        sa.Column('amount', MONEY, nullable=True),
        sa.Column('percent', sa.SmallInteger(), nullable=True),
        sa.Column('max_discount', MONEY, nullable=True),
        sa.Column('scope', sa.String(length=10), server_default='all', nullable=False),
        sa.Column('category_ids', sa.JSON(), nullable=False),
        sa.Column('product_ids', sa.JSON(), nullable=False),
        sa.Column('total', sa.Integer(), nullable=True),
        sa.Column('claimed', sa.Integer(), server_default='0', nullable=False),
        sa.Column('per_user_limit', sa.Integer(), server_default='1', nullable=False),
        sa.Column('claim_start', sa.Integer(), nullable=True),
        sa.Column('claim_end', sa.Integer(), nullable=True),
        sa.Column('valid_start', sa.Integer(), nullable=True),
        sa.Column('valid_end', sa.Integer(), nullable=True),
        sa.Column('valid_days', sa.Integer(), nullable=True),
        sa.Column('enabled', sa.Boolean(), server_default='1', nullable=False),
        sa.Column('kind', sa.String(length=10), server_default='claim', nullable=False),
        *timestamps(),
        checks={
            'claimed_not_negative': 'claimed >= 0',
            'claimed_within_total': 'total IS NULL OR claimed <= total',
        },
        indexes=[('kind', 'enabled')],
    )

    create_table(
        'user_coupon',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('coupon_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.SmallInteger(), server_default='1', nullable=False),
        sa.Column('valid_start', sa.Integer(), nullable=False),
        sa.Column('valid_end', sa.Integer(), nullable=False),
        sa.Column('source', sa.String(length=10), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=True),
        sa.Column('use_time', sa.Integer(), nullable=True),
        *timestamps(),
        foreign_keys=[('coupon_id', 'coupon'), ('user_id', 'user')],
        indexes=[
            ('coupon_id', 'status'),
            ('status', 'valid_end'),
            'order_id',
            ('user_id', 'coupon_id'),
        ],
    )
    op.create_index('ix_user_coupon_user_id_status', 'user_coupon', ['user_id', 'status', 'valid_end'], unique=False)

    create_table(
        'coupon_code',
        sa.Column('coupon_id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=32), nullable=False),
        sa.Column('used_by', sa.Integer(), nullable=True),
        sa.Column('used_time', sa.Integer(), nullable=True),
        sa.Column('user_coupon_id', sa.Integer(), nullable=True),
        create_time(),
        foreign_keys=[
            ('coupon_id', 'coupon'),
            ('used_by', 'user'),
            ('user_coupon_id', 'user_coupon'),
        ],
        unique=['code'],
        indexes=[('coupon_id', 'id')],
    )

    if op.get_bind().dialect.name == 'sqlite':
        # A foreign key added in batch mode rebuilds the table, which SQLite refuses while
        # order lines reference it; a column declared with its reference needs no rebuild.
        op.execute(
            'ALTER TABLE "order" ADD COLUMN user_coupon_id INTEGER'
            ' CONSTRAINT fk_order_user_coupon_id_user_coupon REFERENCES user_coupon (id)'
        )
        op.create_index('ix_order_user_coupon_id', 'order', ['user_coupon_id'], unique=False)
    else:
        with op.batch_alter_table('order', schema=None) as batch_op:
            batch_op.add_column(sa.Column('user_coupon_id', sa.Integer(), nullable=True))
            batch_op.create_index(batch_op.f('ix_order_user_coupon_id'), ['user_coupon_id'], unique=False)
            batch_op.create_foreign_key(batch_op.f('fk_order_user_coupon_id_user_coupon'), 'user_coupon', ['user_coupon_id'], ['id'])
    add_parameters(PARAMETERS)


def downgrade():
    remove_parameters(PARAMETERS)
    with op.batch_alter_table('order', schema=None) as batch_op:
        if op.get_bind().dialect.name != 'sqlite':  # SQLite drops it with the rebuilt table
            batch_op.drop_constraint(batch_op.f('fk_order_user_coupon_id_user_coupon'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_order_user_coupon_id'))
        batch_op.drop_column('user_coupon_id')

    drop_tables('coupon_code', 'user_coupon', 'coupon')
