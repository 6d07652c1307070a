"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-25 14:45:08.727620

"""
import sqlalchemy as sa
from sqlalchemy.dialects import mysql

import app.models.base
from app.core.migration import create_link_table, create_table, create_time, drop_tables, event_columns, timestamps


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

MONEY = app.models.base.Money(precision=10, scale=2)
LONG_TEXT = sa.Text().with_variant(mysql.MEDIUMTEXT(), 'mysql', 'mariadb')


def upgrade():
    create_table(
        'banner',
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('description', sa.String(length=255), server_default='', nullable=False),
        *timestamps(soft_delete=True),
    )

    create_table(
        'config',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('value', sa.String(length=255), server_default='', nullable=False),
        sa.Column('value_type', sa.String(length=8), server_default='str', nullable=False),
        sa.Column('type', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('public', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('remark', sa.String(length=255), server_default='', nullable=False),
        *timestamps(),
        unique=['key'],
    )

    create_table(
        'dict',
        sa.Column('type', sa.String(length=64), nullable=False),
        sa.Column('order', sa.Integer(), server_default='0', nullable=False),
        sa.Column('label', sa.String(length=64), nullable=False),
        sa.Column('value', sa.String(length=64), nullable=False),
        sa.Column('css_class', sa.String(length=64), server_default='', nullable=False),
        sa.Column('list_class', sa.String(length=16), server_default='', nullable=False),
        sa.Column('is_default', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('status', sa.Boolean(), server_default='1', nullable=False),
        sa.Column('remark', sa.String(length=255), server_default='', nullable=False),
        *timestamps(),
        unique=[('type', 'value')],
        indexes=[('type', 'order')],
    )

    create_table(
        'dict_type',
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('type', sa.String(length=64), nullable=False),
        sa.Column('status', sa.Boolean(), server_default='1', nullable=False),
        sa.Column('remark', sa.String(length=255), server_default='', nullable=False),
        *timestamps(),
        unique=['type'],
    )

    create_table(
        'error_log',
        sa.Column('request_id', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('method', sa.String(length=10), nullable=False),
        sa.Column('path', sa.String(length=255), nullable=False),
        sa.Column('endpoint', sa.String(length=100), nullable=False),
        sa.Column('exception', sa.String(length=255), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('traceback', sa.Text(), nullable=False),
        sa.Column('request_param', sa.JSON(), nullable=False),
        create_time(),
        indexes=['create_time'],
    )

    create_table(
        'group',
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('info', sa.String(length=255), server_default='', nullable=False),
        *timestamps(),
        unique=['name'],
    )

    create_table(
        'image',
        sa.Column('url', sa.String(length=255), nullable=False),
        sa.Column('source', sa.SmallInteger(), server_default='1', nullable=False),
        *timestamps(soft_delete=True),
    )

    create_table(
        'login_log',
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('user_name', sa.String(length=100), nullable=False),
        sa.Column('client_type', sa.SmallInteger(), nullable=False),
        sa.Column('ip_addr', sa.String(length=64), nullable=False),
        sa.Column('location', sa.String(length=255), nullable=False),
        sa.Column('browser', sa.String(length=64), nullable=False),
        sa.Column('os', sa.String(length=64), nullable=False),
        sa.Column('status', sa.Boolean(), nullable=False),
        sa.Column('message', sa.String(length=255), nullable=False),
        create_time(),
        indexes=['create_time', 'user_name'],
    )

    create_table(
        'notice',
        sa.Column('type', sa.SmallInteger(), server_default='1', nullable=False),
        sa.Column('title', sa.String(length=64), nullable=False),
        sa.Column('content', LONG_TEXT, nullable=False),
        sa.Column('status', sa.Boolean(), server_default='1', nullable=False),
        sa.Column('remark', sa.String(length=255), server_default='', nullable=False),
        sa.Column('create_by', sa.String(length=100), server_default='', nullable=False),
        sa.Column('update_by', sa.String(length=100), server_default='', nullable=False),
        *timestamps(soft_delete=True),
    )

    create_table(
        'oper_log',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('user_name', sa.String(length=100), nullable=False),
        sa.Column('module', sa.String(length=50), nullable=False),
        sa.Column('auth', sa.String(length=100), nullable=False),
        sa.Column('type', sa.SmallInteger(), nullable=False),
        sa.Column('path', sa.String(length=255), nullable=False),
        sa.Column('endpoint', sa.String(length=100), nullable=False),
        sa.Column('request_method', sa.String(length=10), nullable=False),
        sa.Column('request_param', sa.JSON(), nullable=False),
        sa.Column('message', sa.String(length=450), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=False),
        sa.Column('ip_addr', sa.String(length=64), nullable=False),
        create_time(),
        indexes=['create_time', 'user_name'],
    )

    create_table(
        'permission',
        sa.Column('module', sa.String(length=50), nullable=False),
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('retired', sa.Boolean(), server_default='0', nullable=False),
        *timestamps(),
        unique=[('module', 'name')],
    )

    create_table(
        'route',
        sa.Column('parent_id', sa.Integer(), server_default='0', nullable=False),
        sa.Column('title', sa.String(length=50), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('icon', sa.String(length=100), server_default='', nullable=False),
        sa.Column('path', sa.String(length=200), nullable=False),
        sa.Column('component', sa.String(length=200), nullable=True),
        sa.Column('hidden', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('order', sa.Integer(), server_default='0', nullable=False),
        *timestamps(),
        unique=['name'],
        indexes=['parent_id'],
    )

    create_table(
        'auth',
        sa.Column('group_id', sa.Integer(), nullable=False),
        sa.Column('permission_id', sa.Integer(), nullable=False),
        create_time(),
        foreign_keys=[('group_id', 'group', 'CASCADE'), ('permission_id', 'permission')],
        unique=[('group_id', 'permission_id')],
    )

    create_table(
        'banner_item',
        sa.Column('banner_id', sa.Integer(), nullable=False),
        sa.Column('img_id', sa.Integer(), nullable=False),
        sa.Column('key_word', sa.String(length=100), server_default='', nullable=False),
        sa.Column('type', sa.SmallInteger(), server_default='1', nullable=False),
        sa.Column('order', sa.Integer(), server_default='0', nullable=False),
        *timestamps(soft_delete=True),
        foreign_keys=[('banner_id', 'banner'), ('img_id', 'image')],
        indexes=['banner_id'],
    )

    create_table(
        'category',
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('description', sa.String(length=255), server_default='', nullable=False),
        sa.Column('topic_img_id', sa.Integer(), nullable=True),
        *timestamps(soft_delete=True),
        foreign_keys=[('topic_img_id', 'image')],
    )

    create_table(
        'element',
        sa.Column('route_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('sign', sa.String(length=100), nullable=False),
        *timestamps(),
        foreign_keys=[('route_id', 'route', 'CASCADE')],
        unique=['sign'],
    )

    create_link_table('menu', ('group_id', 'group'), ('route_id', 'route'))

    create_table(
        'theme',
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('description', sa.String(length=255), server_default='', nullable=False),
        sa.Column('topic_img_id', sa.Integer(), nullable=True),
        sa.Column('head_img_id', sa.Integer(), nullable=True),
        *timestamps(soft_delete=True),
        foreign_keys=[('head_img_id', 'image'), ('topic_img_id', 'image')],
    )

    create_table(
        'user',
        sa.Column('nickname', sa.String(length=24), nullable=True),
        sa.Column('username', sa.String(length=24), nullable=True),
        sa.Column('email', sa.String(length=100), nullable=True),
        sa.Column('mobile', sa.String(length=20), nullable=True),
        sa.Column('password_hash', sa.String(length=255), nullable=True),
        sa.Column('avatar', sa.String(length=255), server_default='', nullable=False),
        sa.Column('auth', sa.SmallInteger(), server_default='1', nullable=False),
        sa.Column('group_id', sa.Integer(), nullable=True),
        sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
        sa.Column('token_version', sa.Integer(), server_default='0', nullable=False),
        sa.Column('last_login_time', sa.Integer(), nullable=True),
        *timestamps(soft_delete=True),
        foreign_keys=[('group_id', 'group')],
        unique=['email', 'mobile', 'username'],
        indexes=['group_id'],
    )

    create_table(
        'address',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=30), nullable=False),
        sa.Column('mobile', sa.String(length=20), nullable=False),
        sa.Column('province', sa.String(length=20), nullable=False),
        sa.Column('city', sa.String(length=20), nullable=False),
        sa.Column('country', sa.String(length=20), server_default='', nullable=False),
        sa.Column('detail', sa.String(length=100), nullable=False),
        sa.Column('is_default', sa.Boolean(), server_default='0', nullable=False),
        *timestamps(soft_delete=True),
        foreign_keys=[('user_id', 'user')],
        indexes=['user_id'],
    )

    create_table(
        'article',
        sa.Column('author_id', sa.Integer(), nullable=False),
        sa.Column('type', sa.SmallInteger(), server_default='1', nullable=False),
        sa.Column('title', sa.String(length=255), nullable=False),
        sa.Column('summary', sa.String(length=500), server_default='', nullable=False),
        sa.Column('content', LONG_TEXT, nullable=False),
        sa.Column('theme', sa.SmallInteger(), nullable=True),
        sa.Column('img', sa.String(length=255), server_default='', nullable=False),
        sa.Column('views', sa.Integer(), server_default='0', nullable=False),
        *timestamps(soft_delete=True),
        foreign_keys=[('author_id', 'user')],
    )

    create_table(
        'file',
        sa.Column('parent_id', sa.Integer(), server_default='0', nullable=True),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('is_folder', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('extension', sa.String(length=16), server_default='', nullable=False),
        sa.Column('size', sa.Integer(), server_default='0', nullable=False),
        sa.Column('mime_type', sa.String(length=100), server_default='', nullable=False),
        sa.Column('storage', sa.String(length=16), server_default='local', nullable=False),
        sa.Column('storage_key', sa.String(length=255), server_default='', nullable=False),
        sa.Column('sha256', sa.String(length=64), server_default='', nullable=False),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        *timestamps(soft_delete=True),
        foreign_keys=[('owner_id', 'user')],
        indexes=['owner_id', 'parent_id', 'sha256'],
    )

    create_link_table('group_2_element', ('group_id', 'group'), ('element_id', 'element'))

    create_table(
        'idempotency_key',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('request_hash', sa.String(length=64), nullable=False),
        sa.Column('status_code', sa.Integer(), nullable=True),
        sa.Column('response', sa.JSON(), nullable=True),
        create_time(),
        foreign_keys=[('user_id', 'user', 'CASCADE')],
        unique=[('user_id', 'key')],
    )

    create_table(
        'identity',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('type', sa.SmallInteger(), nullable=False),
        sa.Column('identifier', sa.String(length=128), nullable=False),
        sa.Column('verified', sa.Boolean(), server_default='1', nullable=False),
        *timestamps(),
        foreign_keys=[('user_id', 'user', 'CASCADE')],
        unique=[('type', 'identifier')],
        indexes=['user_id'],
    )

    create_table(
        'order',
        sa.Column('order_no', sa.String(length=32), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('order_status', sa.SmallInteger(), server_default='1', nullable=False),
        sa.Column('snap_name', sa.String(length=100), nullable=False),
        sa.Column('snap_img', sa.String(length=255), server_default='', nullable=False),
        sa.Column('snap_items', sa.JSON(), nullable=False),
        sa.Column('snap_address', sa.JSON(), nullable=False),
        sa.Column('total_count', sa.Integer(), nullable=False),
        sa.Column('total_price', MONEY, nullable=False),
        sa.Column('remark', sa.String(length=200), server_default='', nullable=False),
        sa.Column('expire_time', sa.Integer(), nullable=False),
        sa.Column('pay_time', sa.Integer(), nullable=True),
        sa.Column('cancel_time', sa.Integer(), nullable=True),
        sa.Column('delivery_time', sa.Integer(), nullable=True),
        sa.Column('receive_time', sa.Integer(), nullable=True),
        sa.Column('carrier', sa.String(length=50), nullable=True),
        sa.Column('tracking_no', sa.String(length=50), nullable=True),
        sa.Column('prepay_id', sa.String(length=64), nullable=True),
        sa.Column('prepay_time', sa.Integer(), nullable=True),
        sa.Column('stock_released', sa.Boolean(), server_default='0', nullable=False),
        *timestamps(),
        foreign_keys=[('user_id', 'user')],
        unique=['order_no'],
        indexes=['create_time', ('order_status', 'expire_time'), ('user_id', 'create_time')],
    )

    create_table(
        'product',
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('price', MONEY, nullable=False),
        sa.Column('stock', sa.Integer(), server_default='0', nullable=False),
        sa.Column('category_id', sa.Integer(), nullable=True),
        sa.Column('main_img_id', sa.Integer(), nullable=True),
        sa.Column('summary', sa.String(length=255), server_default='', nullable=False),
        sa.Column('on_sale', sa.Boolean(), server_default='1', nullable=False),
        *timestamps(soft_delete=True),
        checks={'price_positive': 'price > 0', 'stock_not_negative': 'stock >= 0'},
        foreign_keys=[('category_id', 'category'), ('main_img_id', 'image')],
        indexes=['category_id', 'create_time'],
    )

    create_table(
        'refresh_token',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('family_id', sa.String(length=32), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('client_type', sa.SmallInteger(), nullable=False),
        sa.Column('token_version', sa.Integer(), nullable=False),
        sa.Column('expires_at', sa.Integer(), nullable=False),
        sa.Column('used_at', sa.Integer(), nullable=True),
        sa.Column('revoked_at', sa.Integer(), nullable=True),
        create_time(),
        foreign_keys=[('user_id', 'user', 'CASCADE')],
        unique=['token_hash'],
        indexes=['family_id', 'user_id'],
    )

    create_table(
        'order_event',
        sa.Column('order_id', sa.Integer(), nullable=False),
        *event_columns(),
        foreign_keys=[('order_id', 'order')],
        indexes=['order_id'],
    )

    create_table(
        'order_product',
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('price', MONEY, nullable=False),
        key=('order_id', 'product_id'),
        checks={'count_positive': 'count > 0'},
        foreign_keys=[('order_id', 'order'), ('product_id', 'product')],
    )

    create_table(
        'payment',
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('transaction_id', sa.String(length=64), nullable=False),
        sa.Column('out_trade_no', sa.String(length=32), nullable=False),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('currency', sa.String(length=8), server_default='CNY', nullable=False),
        sa.Column('trade_state', sa.String(length=32), nullable=False),
        sa.Column('payer_openid', sa.String(length=128), server_default='', nullable=False),
        sa.Column('success_time', sa.Integer(), nullable=True),
        sa.Column('needs_refund', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('raw', sa.JSON(), nullable=False),
        create_time(),
        foreign_keys=[('order_id', 'order'), ('user_id', 'user')],
        unique=['transaction_id'],
        indexes=['order_id'],
    )

    create_table(
        'product_image',
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('img_id', sa.Integer(), nullable=False),
        sa.Column('order', sa.Integer(), nullable=False),
        *timestamps(),
        foreign_keys=[('img_id', 'image'), ('product_id', 'product', 'CASCADE')],
        unique=[('product_id', 'img_id')],
        indexes=[('product_id', 'order')],
    )

    create_table(
        'product_property',
        sa.Column('product_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=30), server_default='', nullable=False),
        sa.Column('detail', sa.String(length=255), nullable=False),
        sa.Column('order', sa.Integer(), server_default='0', nullable=False),
        *timestamps(),
        foreign_keys=[('product_id', 'product', 'CASCADE')],
    )

    create_link_table(
        'theme_product',
        ('theme_id', 'theme'),
        ('product_id', 'product'),
        columns=[
            sa.Column('order', sa.Integer(), server_default='0', nullable=False),
            sa.Column('create_time', sa.Integer(), server_default='0', nullable=False),
        ],
    )

    create_table(
        'refund',
        sa.Column('order_id', sa.Integer(), nullable=False),
        sa.Column('payment_id', sa.Integer(), nullable=False),
        sa.Column('out_refund_no', sa.String(length=64), nullable=False),
        sa.Column('refund_id', sa.String(length=64), nullable=True),
        sa.Column('amount', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.String(length=80), server_default='', nullable=False),
        sa.Column('operator_id', sa.Integer(), nullable=True),
        sa.Column('success_time', sa.Integer(), nullable=True),
        *timestamps(),
        foreign_keys=[('operator_id', 'user'), ('order_id', 'order'), ('payment_id', 'payment')],
        unique=['out_refund_no', 'refund_id'],
        indexes=['order_id'],
    )


def downgrade():
    drop_tables(
        'refund', 'theme_product', 'product_property', 'product_image', 'payment',
        'order_product', 'order_event', 'refresh_token', 'product', 'order', 'identity',
        'idempotency_key', 'group_2_element', 'file', 'article', 'address', 'user', 'theme',
        'menu', 'element', 'category', 'banner_item', 'auth', 'route', 'permission', 'oper_log',
        'notice', 'login_log', 'image', 'group', 'error_log', 'dict_type', 'dict', 'config',
        'banner',
    )
