"""Daily reconciliation reports: a WeChat Pay trade bill compared with our payments and refunds.

One `reconcile_day` row per bill date (a rerun replaces its items and counts), and one
`reconcile_item` per bill row or local row that was compared. Amounts are integer fen.
"""

from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.extensions import db
from app.models.base import TimestampMixin

# What a compared row turned out to be.
MATCHED = "matched"
MISSING_LOCAL = "missing_local"  # in the bill, not (or not as settled) in our database
MISSING_WECHAT = "missing_wechat"  # ours, absent from the bill
AMOUNT_MISMATCH = "amount_mismatch"
ORDER_MISMATCH = "order_mismatch"  # the same WeChat id recorded for another order number
CATEGORIES = (MATCHED, MISSING_LOCAL, MISSING_WECHAT, AMOUNT_MISMATCH, ORDER_MISMATCH)

PAYMENT, REFUND = "payment", "refund"


class ReconcileDay(TimestampMixin, db.Model):
    __tablename__ = "reconcile_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    bill_date: Mapped[date] = mapped_column(Date, unique=True)
    bill_rows: Mapped[int] = mapped_column(Integer, default=0)
    bill_order_total: Mapped[int] = mapped_column(Integer, default=0)
    bill_refund_total: Mapped[int] = mapped_column(Integer, default=0)
    hash_value: Mapped[str] = mapped_column(String(64), default="", server_default="")
    matched: Mapped[int] = mapped_column(Integer, default=0)
    missing_local: Mapped[int] = mapped_column(Integer, default=0)
    missing_wechat: Mapped[int] = mapped_column(Integer, default=0)
    amount_mismatch: Mapped[int] = mapped_column(Integer, default=0)
    order_mismatch: Mapped[int] = mapped_column(Integer, default=0)
    repaired: Mapped[int] = mapped_column(Integer, default=0)
    runs: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    items = relationship(
        "ReconcileItem",
        order_by="ReconcileItem.id",
        lazy="select",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    @property
    def problems(self) -> int:
        return self.missing_local + self.missing_wechat + self.amount_mismatch + self.order_mismatch


class ReconcileItem(db.Model):
    __tablename__ = "reconcile_item"
    __table_args__ = (Index("ix_reconcile_item_day_id_category", "day_id", "category"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    day_id: Mapped[int] = mapped_column(ForeignKey("reconcile_day.id", ondelete="CASCADE"))
    category: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(8))
    transaction_id: Mapped[str] = mapped_column(String(64), default="", server_default="")
    out_trade_no: Mapped[str] = mapped_column(String(32), default="", server_default="")
    out_refund_no: Mapped[str] = mapped_column(String(64), default="", server_default="")
    refund_id: Mapped[str] = mapped_column(String(64), default="", server_default="")
    bill_amount: Mapped[int | None] = mapped_column(Integer)
    local_amount: Mapped[int | None] = mapped_column(Integer)
    order_id: Mapped[int | None] = mapped_column(Integer)
    repair: Mapped[str] = mapped_column(String(32), default="", server_default="")
    note: Mapped[str] = mapped_column(String(255), default="", server_default="")
