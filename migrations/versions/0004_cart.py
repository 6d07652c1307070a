"""cart lines

One line per (user, SKU): UNIQUE (user_id, sku_id) makes a repeated add merge into the line.
Lines are deleted for real; they go with their user.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 05:50:02

"""

import sqlalchemy as sa

import app.models.base
from app.core.migration import create_table, drop_tables, timestamps


# revision identifiers, used by Alembic.
revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    create_table(
        "cart_item",
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("sku_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("checked", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("add_price", app.models.base.Money(precision=10, scale=2), nullable=False),
        *timestamps(),
        checks={"count_positive": "count > 0"},
        foreign_keys=[
            ("product_id", "product"),
            ("sku_id", "product_sku"),
            ("user_id", "user", "CASCADE"),
        ],
        unique=[("user_id", "sku_id")],
        indexes=["product_id", "sku_id"],
    )


def downgrade():
    drop_tables("cart_item")
