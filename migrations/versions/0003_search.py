"""search history, hot keywords parameter

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 10:00:00.000000

"""
import sqlalchemy as sa

from app.core.migration import add_parameters, create_table, create_time, drop_tables, remove_parameters


# revision identifiers, used by Alembic.
revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

PARAMETERS = [
    # key, name, value, value_type, remark (the row app/seed/system.py gives a new install)
    ('shop.search.hot', '商城搜索-热门关键词', '[]', 'json', '搜索页的热门关键词，JSON字符串数组，按顺序显示'),
]


def upgrade():
    create_table(
        'search_history',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('keyword', sa.String(length=50), nullable=False),
        create_time(),
        foreign_keys=[('user_id', 'user', 'CASCADE')],
        unique=[('user_id', 'keyword')],
    )
    # An installed shop gets the built-in hot keywords parameter here (a new install gets it
    # from the system seed, with the id app/seed/system.py gives it).
    add_parameters(PARAMETERS)


def downgrade():
    remove_parameters(PARAMETERS)
    drop_tables('search_history')
