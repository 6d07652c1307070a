"""the order amount model

order.goods_amount (sum of the lines), freight_amount and coupon_discount beside total_price
(the amount paid); order_product.pay_amount, each line's share of it. Existing orders had
neither freight nor discounts: goods_amount = total_price and a line's share is price * count.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 14:30:00

"""

from alembic import op
import sqlalchemy as sa

import app.models.base


# revision identifiers, used by Alembic.
revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

MONEY = app.models.base.Money(precision=10, scale=2)


def upgrade():
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.add_column(sa.Column("goods_amount", MONEY, server_default="0", nullable=False))
        batch_op.add_column(sa.Column("freight_amount", MONEY, server_default="0", nullable=False))
        batch_op.add_column(sa.Column("coupon_discount", MONEY, server_default="0", nullable=False))
    with op.batch_alter_table("order_product", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pay_amount", MONEY, server_default="0", nullable=False))
    op.execute('UPDATE "order" SET goods_amount = total_price'.replace('"', _quote()))
    op.execute("UPDATE order_product SET pay_amount = price * count")
    if op.get_bind().dialect.name != "sqlite":  # SQLite would rebuild the tables for this
        op.alter_column(
            "order",
            "goods_amount",
            server_default=None,
            existing_type=MONEY,
            existing_nullable=False,
        )
        op.alter_column(
            "order_product",
            "pay_amount",
            server_default=None,
            existing_type=MONEY,
            existing_nullable=False,
        )


def _quote() -> str:
    """The identifier quote of the dialect ("order" is a reserved word)."""
    return "`" if op.get_bind().dialect.name == "mysql" else '"'


def downgrade():
    with op.batch_alter_table("order_product", schema=None) as batch_op:
        batch_op.drop_column("pay_amount")
    with op.batch_alter_table("order", schema=None) as batch_op:
        batch_op.drop_column("coupon_discount")
        batch_op.drop_column("freight_amount")
        batch_op.drop_column("goods_amount")
