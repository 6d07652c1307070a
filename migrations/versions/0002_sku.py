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


# revision identifiers, used by Alembic.
revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _order_product_table(name):
    return op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("sku_id", sa.Integer(), nullable=True),
        sa.Column("spec", sa.String(length=255), server_default="", nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("price", app.models.base.Money(precision=10, scale=2), nullable=False),
        sa.CheckConstraint("count > 0", name=op.f("ck_order_product_count_positive")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["order.id"], name=op.f("fk_order_product_order_id_order")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_order_product_product_id_product")
        ),
        sa.ForeignKeyConstraint(
            ["sku_id"], ["product_sku.id"], name=op.f("fk_order_product_sku_id_product_sku")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_product")),
    )


def upgrade():
    bind = op.get_bind()
    mysql = bind.dialect.name in ("mysql", "mariadb")

    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sales", sa.Integer(), server_default="0", nullable=False))

    op.create_table(
        "product_spec",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=30), nullable=False),
        sa.Column("values", sa.JSON(), nullable=False),
        sa.Column("order", sa.Integer(), server_default="0", nullable=False),
        sa.Column("update_time", sa.Integer(), nullable=False),
        sa.Column("create_time", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"],
            ["product.id"],
            name=op.f("fk_product_spec_product_id_product"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_spec")),
    )
    with op.batch_alter_table("product_spec", schema=None) as batch_op:
        batch_op.create_index(
            "ix_product_spec_product_id_order", ["product_id", "order"], unique=False
        )

    op.create_table(
        "product_sku",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("specs", sa.JSON(), nullable=False),
        sa.Column("spec_text", sa.String(length=255), server_default="", nullable=False),
        sa.Column("price", app.models.base.Money(precision=10, scale=2), nullable=False),
        sa.Column("stock", sa.Integer(), server_default="0", nullable=False),
        sa.Column("sales", sa.Integer(), server_default="0", nullable=False),
        sa.Column("img_id", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=64), server_default="", nullable=False),
        sa.Column("on_sale", sa.Boolean(), server_default="1", nullable=False),
        sa.Column("update_time", sa.Integer(), nullable=False),
        sa.Column("create_time", sa.Integer(), nullable=False),
        sa.Column("delete_time", sa.Integer(), nullable=True),
        sa.CheckConstraint("price > 0", name=op.f("ck_product_sku_price_positive")),
        sa.CheckConstraint("sales >= 0", name=op.f("ck_product_sku_sales_not_negative")),
        sa.CheckConstraint("stock >= 0", name=op.f("ck_product_sku_stock_not_negative")),
        sa.ForeignKeyConstraint(["img_id"], ["image.id"], name=op.f("fk_product_sku_img_id_image")),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_product_sku_product_id_product")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_product_sku")),
    )
    with op.batch_alter_table("product_sku", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_product_sku_product_id"), ["product_id"], unique=False)

    # One default SKU per product (deleted products keep a deleted one), in product id order.
    op.execute(
        "INSERT INTO product_sku (product_id, specs, spec_text, price, stock, sales, img_id,"
        " code, on_sale, update_time, create_time, delete_time)"
        " SELECT id, '{}', '', price, stock, 0, NULL, '', 1, update_time, create_time,"
        " delete_time FROM product ORDER BY id"
    )

    # order_product: a surrogate id replaces the (order_id, product_id) key. The table is
    # rebuilt (SQLite cannot change a primary key in place); MariaDB foreign key names are
    # unique per database, so the old table's are dropped first.
    if mysql:
        op.drop_constraint("fk_order_product_order_id_order", "order_product", type_="foreignkey")
        op.drop_constraint(
            "fk_order_product_product_id_product", "order_product", type_="foreignkey"
        )
    op.rename_table("order_product", "order_product_old")
    _order_product_table("order_product")
    op.execute(
        "INSERT INTO order_product (order_id, product_id, sku_id, spec, count, price)"
        " SELECT o.order_id, o.product_id,"
        " (SELECT MIN(s.id) FROM product_sku s WHERE s.product_id = o.product_id), '',"
        " o.count, o.price FROM order_product_old o ORDER BY o.order_id, o.product_id"
    )
    op.drop_table("order_product_old")
    with op.batch_alter_table("order_product", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_order_product_order_id"), ["order_id"], unique=False)


def downgrade():
    bind = op.get_bind()
    mysql = bind.dialect.name in ("mysql", "mariadb")
    # Lines of one product are merged back into one (the old key allows one per product).
    if mysql:
        op.drop_constraint("fk_order_product_order_id_order", "order_product", type_="foreignkey")
        op.drop_constraint(
            "fk_order_product_product_id_product", "order_product", type_="foreignkey"
        )
        op.drop_constraint(
            "fk_order_product_sku_id_product_sku", "order_product", type_="foreignkey"
        )
    op.rename_table("order_product", "order_product_new")
    op.create_table(
        "order_product",
        sa.Column("order_id", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Integer(), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.Column("price", app.models.base.Money(precision=10, scale=2), nullable=False),
        sa.CheckConstraint("count > 0", name=op.f("ck_order_product_count_positive")),
        sa.ForeignKeyConstraint(
            ["order_id"], ["order.id"], name=op.f("fk_order_product_order_id_order")
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["product.id"], name=op.f("fk_order_product_product_id_product")
        ),
        sa.PrimaryKeyConstraint("order_id", "product_id", name=op.f("pk_order_product")),
    )
    op.execute(
        "INSERT INTO order_product (order_id, product_id, count, price)"
        " SELECT order_id, product_id, SUM(count), MIN(price) FROM order_product_new"
        " GROUP BY order_id, product_id"
    )
    op.drop_table("order_product_new")
    op.drop_table("product_sku")
    op.drop_table("product_spec")
    with op.batch_alter_table("product", schema=None) as batch_op:
        batch_op.drop_column("sales")
