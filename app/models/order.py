"""Orders, their lines and events, payments, refunds and idempotency keys."""

import enum

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
from sqlalchemy.orm import Mapped, mapped_column, relationship, synonym

from app.core.exceptions import OrderStatusConflict
from app.core.urls import public_base_url
from app.extensions import db
from app.models.base import CreateTimeMixin, Money, StatusEventMixin, TimestampMixin


class OrderStatus(enum.IntEnum):
    UNPAID = 1
    PAID = 2
    DELIVERED = 3
    PAID_BUT_OUT_OF = 4
    HANDLED_OUT_OF = 5
    RECEIVED = 6
    CANCELLED = 7
    REFUNDING = 8
    REFUNDED = 9
    REFUND_FAILED = 10


def status_conflict(current: int | None, allowed, msg: str | None = None) -> OrderStatusConflict:
    """The 409 / 50030 of an action refused in status `current`: it names the statuses allowed.

    `detail` holds the same facts as numbers and names, so a client can explain or recover.
    """
    allowed = sorted({int(status) for status in allowed})
    names = [OrderStatus(status).name for status in allowed]
    current_name = OrderStatus(current).name if current in OrderStatus._value2member_map_ else None
    if msg is None:
        msg = f"The order is {current_name or 'gone'}; this action needs it " + " or ".join(names)
    return OrderStatusConflict(
        msg,
        detail={
            "order_status": current,
            "order_status_name": current_name,
            "allowed_statuses": allowed,
            "allowed_status_names": names,
        },
    )


def absolute_url(url: str) -> str:
    """A snapshot image URL made absolute (older seeded snapshots hold host-relative paths)."""
    return public_base_url() + url if url.startswith("/") else url


class Order(TimestampMixin, db.Model):
    __tablename__ = "order"
    __table_args__ = (
        Index("ix_order_user_id_create_time", "user_id", "create_time"),
        Index("ix_order_order_status_expire_time", "order_status", "expire_time"),
        Index("ix_order_create_time", "create_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_no: Mapped[str] = mapped_column(String(32), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    order_status: Mapped[int] = mapped_column(SmallInteger, default=1, server_default="1")
    snap_name: Mapped[str] = mapped_column(String(100))
    snap_img: Mapped[str] = mapped_column(String(255), default="", server_default="")
    snap_items: Mapped[list] = mapped_column(JSON)
    snap_address: Mapped[dict] = mapped_column(JSON)
    total_count: Mapped[int] = mapped_column(Integer)
    # The amount model: pay_amount (= total_price, the compat name) is what the customer pays,
    # goods_amount + freight_amount - coupon_discount, never below 0.01. The lines' pay_amount
    # shares add up to pay_amount - freight_amount (freight is refunded only with the whole
    # order).
    total_price = mapped_column(Money, nullable=False)
    pay_amount = synonym("total_price")
    goods_amount = mapped_column(Money, nullable=False)
    freight_amount = mapped_column(Money, nullable=False, default=0, server_default="0")
    coupon_discount = mapped_column(Money, nullable=False, default=0, server_default="0")
    # What its refunds being processed or done give back (after-sales and the full refund);
    # a guarded UPDATE keeps it at most pay_amount.
    refunded_amount = mapped_column(Money, nullable=False, default=0, server_default="0")
    # The coupon used (app/models/coupon.py); kept when the coupon is returned on cancelling.
    user_coupon_id: Mapped[int | None] = mapped_column(ForeignKey("user_coupon.id"), index=True)
    remark: Mapped[str] = mapped_column(String(200), default="", server_default="")
    expire_time: Mapped[int] = mapped_column(Integer)
    pay_time: Mapped[int | None] = mapped_column(Integer)
    cancel_time: Mapped[int | None] = mapped_column(Integer)
    delivery_time: Mapped[int | None] = mapped_column(Integer)
    receive_time: Mapped[int | None] = mapped_column(Integer)
    carrier: Mapped[str | None] = mapped_column(String(50))
    tracking_no: Mapped[str | None] = mapped_column(String(50))
    prepay_id: Mapped[str | None] = mapped_column(String(64))
    prepay_time: Mapped[int | None] = mapped_column(Integer)
    stock_released: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")

    user = relationship("User", lazy="select")
    user_coupon = relationship("UserCoupon", lazy="select")
    lines = relationship(
        "OrderProduct", order_by="(OrderProduct.product_id, OrderProduct.id)", lazy="select"
    )
    events = relationship("OrderEvent", order_by="OrderEvent.id", lazy="select")
    payments = relationship("Payment", order_by="Payment.id", lazy="select")
    refunds = relationship("Refund", order_by="Refund.id", lazy="select")
    # The WeChat shipping uploads queued for the order (app/models/outbox.py), oldest first.
    shipping_uploads = relationship(
        "OutboxMessage",
        primaryjoin="and_(Order.id == OutboxMessage.order_id, OutboxMessage.kind == 'shipping')",
        order_by="OutboxMessage.id",
        viewonly=True,
        lazy="select",
    )

    # -- rules of a single order
    def is_expired(self, at: int) -> bool:
        return self.expire_time <= at

    def prepay_reusable(self, at: int, max_age: int = 110 * 60) -> bool:
        return (
            bool(self.prepay_id)
            and self.prepay_time is not None
            and at - self.prepay_time < max_age
        )


class OrderProduct(db.Model):
    """One line of an order: a SKU (None only on lines older than SKUs) and its spec text."""

    __tablename__ = "order_product"
    __table_args__ = (CheckConstraint("count > 0", name="count_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id"), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("product.id"))
    sku_id: Mapped[int | None] = mapped_column(ForeignKey("product_sku.id"))
    spec: Mapped[str] = mapped_column(String(255), default="", server_default="")
    count: Mapped[int] = mapped_column(Integer)
    price = mapped_column(Money, nullable=False)
    # The line's exact share of what was paid: price * count less its share of the discount
    # (largest-remainder allocation to the fen); partial refunds are computed from it.
    pay_amount = mapped_column(Money, nullable=False)
    # After-sales (app/models/aftersale.py): units and money given back (refunds processing or
    # done), units put back into stock, and the one open after-sale holding the line.
    refunded_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    refunded_amount = mapped_column(Money, nullable=False, default=0, server_default="0")
    restocked_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    open_after_sale_id: Mapped[int | None] = mapped_column(Integer)

    @property
    def refundable_count(self) -> int:
        return self.count - self.refunded_count

    @property
    def refundable_amount(self):
        return self.pay_amount - self.refunded_amount


class OrderEvent(StatusEventMixin, db.Model):
    __tablename__ = "order_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id"), index=True)


class Payment(CreateTimeMixin, db.Model):
    __tablename__ = "payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"))
    transaction_id: Mapped[str] = mapped_column(String(64), unique=True)
    out_trade_no: Mapped[str] = mapped_column(String(32))
    amount: Mapped[int] = mapped_column(Integer)
    currency: Mapped[str] = mapped_column(String(8), default="CNY", server_default="CNY")
    trade_state: Mapped[str] = mapped_column(String(32))
    payer_openid: Mapped[str] = mapped_column(String(128), default="", server_default="")
    success_time: Mapped[int | None] = mapped_column(Integer)
    needs_refund: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    raw: Mapped[dict] = mapped_column(JSON)


class Refund(TimestampMixin, db.Model):
    __tablename__ = "refund"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id"), index=True)
    payment_id: Mapped[int] = mapped_column(ForeignKey("payment.id"))
    after_sale_id: Mapped[int | None] = mapped_column(ForeignKey("after_sale.id"), index=True)
    out_refund_no: Mapped[str] = mapped_column(String(64), unique=True)
    refund_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    amount: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(String(80), default="", server_default="")
    operator_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    success_time: Mapped[int | None] = mapped_column(Integer)


class IdempotencyKey(CreateTimeMixin, db.Model):
    __tablename__ = "idempotency_key"
    __table_args__ = (UniqueConstraint("user_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    request_hash: Mapped[str] = mapped_column(String(64))
    status_code: Mapped[int | None] = mapped_column(Integer)
    response: Mapped[dict | None] = mapped_column(JSON)
