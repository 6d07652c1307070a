"""The daily stats rollup (one row per day of the shop's time zone, one per day and SKU sold),
and the indexes the stats queries need on the order, refund and user tables.

Amounts are integer fen. Payments and refunds are added to their day's row in the transaction
that records them (app/services/stats/rollup.py); `flask --app server stats rebuild` recomputes
whole days from the raw rows. `placed_orders`, `placed_paid` and `new_customers` are only
counted by the rebuild: `closed` says the rebuild ran after the day had ended, so they are final;
the rows of days not closed yet (today) are read from the raw rows instead.
"""

from datetime import date

from sqlalchemy import BigInteger, Boolean, Date, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from app.extensions import db
from app.models.base import now
from app.models.order import Order, Refund
from app.models.user import User

COUNTERS = (
    "placed_orders",
    "placed_paid",
    "paid_orders",
    "paid_amount",
    "refunds",
    "refunded_amount",
    "new_customers",
)


class StatsDay(db.Model):
    __tablename__ = "stats_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    # orders placed that day, and how many of those have been paid since (whenever)
    placed_orders: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    placed_paid: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # orders whose pay_time falls on the day, and the sum of their total_price
    paid_orders: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    paid_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    # refunds whose success_time falls on the day (whatever the order), and their amounts
    refunds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    refunded_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    new_customers: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    closed: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    update_time: Mapped[int] = mapped_column(Integer, default=now, onupdate=now)


class StatsProductDay(db.Model):
    """Units and paid amount of one SKU on one day: the lines of the orders paid that day
    (`sku_id` 0 for lines older than SKUs; `spec` as the latest line wrote it)."""

    __tablename__ = "stats_product_day"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    product_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    sku_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    spec: Mapped[str] = mapped_column(String(255), default="", server_default="")
    units: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")


# Declared here rather than on their tables: only the stats queries use them.
Index("ix_order_pay_time", Order.pay_time)
Index("ix_refund_success_time", Refund.success_time)
Index("ix_user_create_time", User.create_time)
