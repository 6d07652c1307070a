"""Demo orders of user 2, one per admin flow: waiting for delivery, delivered, received, refunding,
and a second received order whose lines the demo reviews review.

They are made by the real order services (placement with its stock reservation, the payment
notification's bookkeeping, delivery, receipt, refund start), so they are what the shop itself
would have produced. Each order is found again by its payment's transaction id, so a rerun never
duplicates one; an order left behind its target by an interrupted run is moved on.
"""

from sqlalchemy import select

from app.extensions import db
from app.models import Address, Order, OrderStatus, Payment, Product
from app.models.base import now, yuan_to_fen
from app.services import orders as order_service

DEMO_USER_ID = 2
ADMIN_ID = 1  # the demo super admin
CARRIER = "顺丰速运"
REFUND_REASON = "演示退款：客户不想要了"
S = OrderStatus

SAMPLE_ORDERS = [
    # transaction id, target status, lines {product id: count}, tracking number, remark
    ("DEMO-TX-0001", S.DELIVERED, {2: 1, 11: 2}, "SF0000000001", "演示：已发货，等待收货"),
    ("DEMO-TX-0002", S.RECEIVED, {21: 1}, "SF0000000002", "演示：已收货"),
    ("DEMO-TX-0003", S.PAID, {5: 2, 14: 1}, None, "演示：已付款，等待发货"),
    ("DEMO-TX-0004", S.REFUNDING, {20: 1}, None, "演示：退款中"),
    # received lines for the demo reviews (app/seed/reviews.py); product 13 is left to review
    ("DEMO-TX-0005", S.RECEIVED, {10: 1, 12: 1, 13: 2}, "SF0000000005", "演示：已收货，待评价"),
]


def seed_orders() -> None:
    """Load the demo orders (idempotent)."""
    address_id = db.session.scalar(
        select(Address.id)
        .where(Address.user_id == DEMO_USER_ID)
        .order_by(Address.is_default.desc(), Address.id)
        .limit(1)
    )
    if address_id is None:
        return
    for transaction_id, target, counts, tracking_no, remark in SAMPLE_ORDERS:
        order_id = db.session.scalar(
            select(Payment.order_id).where(Payment.transaction_id == transaction_id)
        )
        if order_id is None:
            order_id = _place_and_pay(address_id, transaction_id, counts, remark)
            if order_id is None:
                continue
        _advance(order_id, target, tracking_no)


def _place_and_pay(address_id: int, transaction_id: str, counts: dict, remark: str) -> int | None:
    on_sale = db.session.scalars(
        select(Product.id).where(Product.id.in_(list(counts)), Product.on_sale.is_(True))
    ).all()
    if len(on_sale) != len(counts):
        return None  # the demo catalog is not loaded
    items = [{"product_id": product_id, "count": count} for product_id, count in counts.items()]
    order = order_service.place_order(DEMO_USER_ID, items, address_id, remark)
    order_service.record_payment(
        order_id=order.id,
        user_id=DEMO_USER_ID,
        transaction_id=transaction_id,
        out_trade_no=order.order_no,
        amount=yuan_to_fen(order.total_price),
        trade_state="SUCCESS",
        payer_openid="",
        success_time=now(),
        raw={},
        actor_type="wechat",
    )
    return order.id


def _advance(order_id: int, target: int, tracking_no: str | None) -> None:
    """Take a paid order on to `target` through the admin's and the customer's actions."""
    order = db.session.get(Order, order_id, populate_existing=True)
    if order.order_status == S.PAID and target in (S.DELIVERED, S.RECEIVED):
        order = order_service.deliver_order(order_id, ADMIN_ID, CARRIER, tracking_no or "")
    if order.order_status == S.DELIVERED and target == S.RECEIVED:
        order = order_service.receive_order(DEMO_USER_ID, order_id)
    if order.order_status == S.PAID and target == S.REFUNDING:
        order_service.start_refund(order, ADMIN_ID, REFUND_REASON)
