"""After-sales (售后): a customer's request to get money back for some units of a paid order,
with or without sending the goods back, its lines and its status events.

The money of an after-sale is computed once, from the lines' paid shares (`line_refund`), and
reserved on the order and its lines when its refund starts (app/services/orders/
aftersale_money.py): `order_product.refunded_count` / `refunded_amount` and
`order.refunded_amount` only grow through guarded UPDATEs that can never pass a line's count,
a line's share or the order's paid amount. `order_product.open_after_sale_id` names the one open
after-sale a line may have.
"""

import enum
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.urls import upload_url
from app.extensions import db
from app.models.base import Money, StatusEventMixin, TimestampMixin

TYPE_REFUND = 1  # refund only (仅退款)
TYPE_RETURN = 2  # return the goods, then refund (退货退款)
TYPES = (TYPE_REFUND, TYPE_RETURN)
IMAGES_MAX = 9
REASON_MAX = 100
DESCRIPTION_MAX = 500
ADMIN_REASON_MAX = 200
CENT = Decimal("0.01")


class AfterSaleStatus(enum.IntEnum):
    PENDING = 1  # asked, waiting for the shop's decision
    APPROVED = 2  # a return was approved: the customer sends the goods back
    SHIPPED = 3  # the customer sent the goods back
    REFUNDING = 4  # the refund was asked of WeChat Pay
    REFUNDED = 5  # the refund reached the customer (final)
    REJECTED = 6  # the shop said no (final)
    CANCELLED = 7  # the customer withdrew it (final)
    REFUND_FAILED = 8  # WeChat Pay refused or closed the refund: staff may retry


AS = AfterSaleStatus
# Statuses that hold the after-sale's order lines (one open after-sale per line).
OPEN = (AS.PENDING, AS.APPROVED, AS.SHIPPED, AS.REFUNDING, AS.REFUND_FAILED)
FINAL = (AS.REFUNDED, AS.REJECTED, AS.CANCELLED)


def line_refund(share: Decimal, count: int, refunded_count: int, refunded_amount, units: int):
    """What `units` more units of a line give back, from the line's paid `share` of `count`
    units of which `refunded_count` gave back `refunded_amount` already.

    After n of its units a line has given back share * n / count rounded half-up to the fen;
    each refund is the difference, so a partial count gets its proportional share and the last
    units get the remainder: the refunds of all units add up to the share exactly.
    """
    done = refunded_count + units
    if done >= count:
        return Decimal(share) - Decimal(refunded_amount)
    target = (Decimal(share) * done / count).quantize(CENT, rounding=ROUND_HALF_UP)
    return target - Decimal(refunded_amount)


class AfterSale(TimestampMixin, db.Model):
    __tablename__ = "after_sale"
    __table_args__ = (
        CheckConstraint("type IN (1, 2)", name="type_known"),
        Index("ix_after_sale_user_id_id", "user_id", "id"),
        Index("ix_after_sale_status_id", "status", "id"),
        Index("ix_after_sale_create_time", "create_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    type: Mapped[int] = mapped_column(SmallInteger)
    status: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")
    reason: Mapped[str] = mapped_column(String(REASON_MAX))
    description: Mapped[str] = mapped_column(String(DESCRIPTION_MAX), default="", server_default="")
    images: Mapped[list] = mapped_column(JSON, default=list)
    # amount = goods_amount (the lines) + freight_amount (only on the refund that ends the
    # order fully refunded); decided again, under the order's lock, when the refund starts.
    amount = mapped_column(Money, nullable=False)
    goods_amount = mapped_column(Money, nullable=False)
    freight_amount = mapped_column(Money, nullable=False, default=0, server_default="0")
    carrier: Mapped[str | None] = mapped_column(String(50))
    tracking_no: Mapped[str | None] = mapped_column(String(50))
    admin_reason: Mapped[str] = mapped_column(
        String(ADMIN_REASON_MAX), default="", server_default=""
    )
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    restocked: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    decide_time: Mapped[int | None] = mapped_column(Integer)
    ship_time: Mapped[int | None] = mapped_column(Integer)
    receive_time: Mapped[int | None] = mapped_column(Integer)
    refund_time: Mapped[int | None] = mapped_column(Integer)
    cancel_time: Mapped[int | None] = mapped_column(Integer)

    order = relationship("Order", lazy="select")
    user = relationship("User", foreign_keys=[user_id], lazy="select")
    lines = relationship(
        "AfterSaleLine", order_by="AfterSaleLine.id", lazy="select", cascade="all, delete-orphan"
    )
    events = relationship("AfterSaleEvent", order_by="AfterSaleEvent.id", lazy="select")
    refunds = relationship("Refund", order_by="Refund.id", lazy="select", viewonly=True)

    @property
    def image_urls(self) -> list[str]:
        return [upload_url(key) for key in self.images or []]

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class AfterSaleLine(db.Model):
    """Some units of one order line and the money they give back."""

    __tablename__ = "after_sale_line"
    __table_args__ = (
        UniqueConstraint("after_sale_id", "order_product_id"),
        CheckConstraint("count > 0", name="count_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    after_sale_id: Mapped[int] = mapped_column(ForeignKey("after_sale.id"))
    order_product_id: Mapped[int] = mapped_column(ForeignKey("order_product.id"), index=True)
    count: Mapped[int] = mapped_column(Integer)
    amount = mapped_column(Money, nullable=False)

    order_product = relationship("OrderProduct", lazy="joined")


class AfterSaleEvent(StatusEventMixin, db.Model):
    __tablename__ = "after_sale_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    after_sale_id: Mapped[int] = mapped_column(ForeignKey("after_sale.id"), index=True)
