"""product specifications and SKUs

Every existing product gets one default SKU (no specifications) carrying its price and stock,
and every existing order line points at it, so unpaid orders placed before this revision
release their units to the SKU. Order lines get their own id (an order may hold two SKUs of
one product), a nullable sku_id and the spec text snapshot.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 10:00:00

"""

from alembic import op
import sqlalchemy as sa

import app.models.base
from app.core.migration import create_indexes, create_table, drop_tables, timestamps


# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

MONEY = app.models.base.Money(precision=10, scale=2)


def _drop_line_foreign_keys(*names):
    """MariaDB foreign key names are unique per database: order_product's go before the table is
    rebuilt under them."""
    if op.get_bind().dialect.name in ("mysql", "mariadb"):
        for name in names:
            op.drop_constraint(name, "order_product", type_="foreignkey")


def upgrade():
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sales", sa.Integer(), server_default="0", nullable=False))

    create_table(
        "product_spec",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("order", sa.Integer(), server_default="0", nullable=False),
        *timestamps(),
        foreign_keys=[("product_id", "product", "CASCADE")],
        indexes=[("product_id", "order")],
    )
    create_table(
        "product_sku",
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("specs", sa.JSON(), nullable=False),
        sa.Column("spec_text", sa.String(length=255), server_default="", nullable=False),
        sa.Column("price", MONEY, nullable=False),
        sa.Column("stock", sa.Integer(), server_default="0", nullable=False),
        sa.Column("sales", sa.Integer(), server_default="0", nullable=False),
        sa.Column("img_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=64), server_default="", nullable=False),
        sa.Column("on_sale", sa.Boolean(), server_default="1", nullable=False),
        *timestamps(soft_delete=True),
        checks={
            "price_positive": "price > 0",
            "sales_not_negative": "sales >= 0",
            "stock_not_negative": "stock >= 0",
        },
        foreign_keys=[("img_id", "image"), ("product_id", "product")],
        indexes=["product_id"],
    )

    # One default SKU per product (deleted products keep a deleted one), in product id order.
    op.execute(
        "INSERT INTO product_sku (product_id, specs, spec_text, price, stock, sales, img_id,"
        " code, on_sale, update_time, create_time, delete_time)"
        " SELECT id, '{}', '', price, stock, 0, NULL, '', 1, update_time, create_time,"
        " delete_time FROM product ORDER BY id"
    )

    # order_product: a surrogate id replaces the (order_id, product_id) key. The table is
    # rebuilt (SQLite cannot change a primary key in place).
    _drop_line_foreign_keys("fk_order_product_order_id_order", "fk_order_product_product_id_product")
    op.rename_table("order_product", "order_product_old")
    create_table(
        "order_product",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("sku_id", sa.Integer(), nullable=True),
        sa.Column("spec", sa.String(length=255), server_default="", nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("price", MONEY, nullable=False),
        checks={"count_positive": "count > 0"},
        foreign_keys=[("order_id", "order"), ("product_id", "product"), ("sku_id", "product_sku")],
    )
    op.execute(
        "INSERT INTO order_product (order_id, product_id, sku_id, spec, count, price)"
        " SELECT o.order_id, o.product_id,"
        " (SELECT MIN(s.id) FROM product_sku s WHERE s.product_id = o.product_id), '',"
        " o.count, o.price FROM order_product_old o ORDER BY o.order_id, o.product_id"
    )
    op.drop_table("order_product_old")
    create_indexes("order_product", "order_id")


def downgrade():
    # Lines of one product are merged back into one (the old key allows one per product).
    _drop_line_foreign_keys(
        "fk_order_product_order_id_order",
        "fk_order_product_product_id_product",
        "fk_order_product_sku_id_product_sku",
    )
    op.rename_table("order_product", "order_product_new")
    create_table(
        "order_product",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("price", MONEY, nullable=False),
        key=("order_id", "product_id"),
        checks={"count_positive": "count > 0"},
        foreign_keys=[("order_id", "order"), ("product_id", "product")],
    )
    op.execute(
        "INSERT INTO order_product (order_id, product_id, count, price)"
        " SELECT order_id, product_id, SUM(count), MIN(price) FROM order_product_new"
        " GROUP BY order_id, product_id"
    )
    drop_tables("order_product_new", "product_sku", "product_spec")
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_column("sales")
