"""reviews, favourites, footprints; the review period and blocked words parameters

One review per order line (UNIQUE line_id) with its images; one favourite per (user, product);
one footprint per (user, product, local day). An installed shop gets the two built-in config
parameters here; a new install gets them from the system seed.

Revision ID: 0006
Revises: 0004
Create Date: 2026-12-02 07:10:11

"""
import sqlalchemy as sa

from app.core.migration import add_parameters, create_table, create_time, drop_tables, remove_parameters, timestamps


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0004'
branch_labels = None
depends_on = None

PARAMETERS = [
    # key, name, value, value_type, remark (the rows app/seed/system.py gives a new install)
    (
        'shop.review.days',
        '商城评价-评价期限(天)',
        '30',
        'int',
        '确认收货后多少天内可以评价',
    ),
    (
        'shop.content.blocked_words',
        '内容安全-屏蔽词',
        '[]',
        'json',
        '评价等用户文字中不允许出现的词，JSON字符串数组；配置微信内容安全检测后由微信判断',
    ),
]

def upgrade():
    create_table(
        'footprint',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Integer(), nullable=False),
        *timestamps(),
        foreign_keys=[('user_id', 'user', 'CASCADE')],
        unique=[('user_id', 'product_id', 'day')],
        indexes=[('user_id', 'update_time')],
    )

    create_table(
        'favorite',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        create_time(),
        foreign_keys=[('product_id', 'product'), ('user_id', 'user', 'CASCADE')],
        unique=[('user_id', 'product_id')],
        indexes=['product_id'],
    )

    create_table(
        'review',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('line_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('sku_id', sa.Integer(), nullable=True),
        sa.Column('spec', sa.String(length=255), server_default='', nullable=False),
        sa.Column('rating', sa.SmallInteger(), nullable=False),
        sa.Column('content', sa.String(length=500), server_default='', nullable=False),
        sa.Column('anonymous', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('has_image', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('visible', sa.Boolean(), server_default='1', nullable=False),
        sa.Column('reply', sa.String(length=500), nullable=True),
        sa.Column('reply_time', sa.Integer(), nullable=True),
        sa.Column('reply_user_id', sa.Integer(), nullable=True),
        *timestamps(),
        checks={'rating_range': 'rating >= 1 AND rating <= 5'},
        foreign_keys=[
            ('line_id', 'order_product'),
            ('order_id', 'order'),
            ('product_id', 'product'),
            ('reply_user_id', 'user'),
            ('user_id', 'user'),
        ],
        unique=['line_id'],
        indexes=[
            'order_id',
            ('product_id', 'visible', 'id'),
            ('product_id', 'visible', 'rating'),
            ('user_id', 'id'),
        ],
    )

    create_table(
        'review_image',
        sa.Column('review_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=255), nullable=False),
        sa.Column('order', sa.SmallInteger(), nullable=False),
        create_time(),
        foreign_keys=[('review_id', 'review', 'CASCADE')],
        indexes=['key', 'review_id'],
    )
    add_parameters(PARAMETERS)


def downgrade():
    remove_parameters(PARAMETERS)
    drop_tables('review_image', 'review', 'favorite', 'footprint')
