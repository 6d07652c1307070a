"""search history, hot keywords parameter

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:00:00.000000

"""
import time

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

HOT_KEY = 'shop.search.hot'

config = sa.table(
    'config',
    sa.column('id', sa.Integer),
    sa.column('name', sa.String),
    sa.column('key', sa.String),
    sa.column('value', sa.String),
    sa.column('value_type', sa.String),
    sa.column('type', sa.Boolean),
    sa.column('public', sa.Boolean),
    sa.column('remark', sa.String),
    sa.column('create_time', sa.Integer),
    sa.column('update_time', sa.Integer),
)


def upgrade():
    op.create_table('search_history',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('keyword', sa.String(length=50), nullable=False),
    sa.Column('create_time', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_search_history_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_search_history')),
    sa.UniqueConstraint('user_id', 'keyword', name=op.f('uq_search_history_user_id_keyword'))
    )
    # An installed shop gets the built-in hot keywords parameter here (a new install gets it
    # from the system seed, with the id app/seed/system.py gives it).
    connection = op.get_bind()
    if connection.execute(sa.select(config.c.id).where(config.c.key == HOT_KEY)).first():
        return
    last_id = connection.execute(sa.select(sa.func.max(config.c.id))).scalar()
    if last_id is None:
        return
    now = int(time.time())
    op.bulk_insert(config, [{
        'id': last_id + 1,
        'name': '商城搜索-热门关键词',
        'key': HOT_KEY,
        'value': '[]',
        'value_type': 'json',
        'type': True,
        'public': True,
        'remark': '搜索页的热门关键词，JSON字符串数组，按顺序显示',
        'create_time': now,
        'update_time': now,
    }])


def downgrade():
    op.execute(config.delete().where(config.c.key == HOT_KEY))
    op.drop_table('search_history')
