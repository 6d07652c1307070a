"""Demo orders: two sample orders of user 2, neither UNPAID, so `order expire` keeps them.

Each order is found again by its payment's transaction id, so reruns never duplicate it.
Stock is not touched: these orders stand for sales made before the demo stock figures.
"""

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import Address, Order, OrderEvent, OrderProduct, OrderStatus, Payment, Product
from app.models.base import now, yuan_to_fen
from app.services.orders import address_snapshot, build_snapshot, new_order_no

DEMO_USER_ID = 2
S = OrderStatus

SAMPLE_ORDERS = [
    # transaction id, final status, lines {product id: count}, hours ago, tracking number
    ("DEMO-TX-0001", S.DELIVERED, {2: 1, 11: 2}, 3, "SF0000000001"),
    ("DEMO-TX-0002", S.RECEIVED, {21: 1}, 6, "SF0000000002"),
]
CARRIER = "顺丰速运"
STEP = 5 * 60
ACTORS = {"customer": DEMO_USER_ID, "admin": 1, "wechat": None}  # admin 1 = demo super admin


def seed_orders() -> None:
    """Load the demo orders (idempotent)."""
    address = db.session.scalar(
        select(Address)
        .where(Address.user_id == DEMO_USER_ID)
        .order_by(Address.is_default.desc(), Address.id)
        .limit(1)
    )
    if address is None:
        return
    for transaction_id, status, counts, hours_ago, tracking_no in SAMPLE_ORDERS:
        exists = db.session.scalar(
            select(Payment.id).where(Payment.transaction_id == transaction_id)
        )
        if exists is None:
            _sample_order(
                address, transaction_id, status, counts, now() - hours_ago * 3600, tracking_no
            )
    db.session.commit()


def _sample_order(address, transaction_id, status, counts, created, tracking_no) -> None:
    by_id = {
        p.id: p for p in db.session.scalars(select(Product).where(Product.id.in_(list(counts))))
    }
    if len(by_id) != len(counts):
        return
    products = [by_id[product_id] for product_id in counts]
    paid, delivered, received = created + STEP, created + 2 * STEP, created + 3 * STEP
    snapshot = build_snapshot(products, counts)
    order = Order(
        order_no=new_order_no(created),
        user_id=DEMO_USER_ID,
        order_status=status,
        snap_address=address_snapshot(address),
        remark="",
        expire_time=created + current_app.config["ORDER_EXPIRE_SECONDS"],
        pay_time=paid,
        delivery_time=delivered,
        receive_time=received if status == S.RECEIVED else None,
        carrier=CARRIER,
        tracking_no=tracking_no,
        stock_released=False,
        create_time=created,
        update_time=received if status == S.RECEIVED else delivered,
        **snapshot,
    )
    db.session.add(order)
    db.session.flush()
    for product in products:
        db.session.add(
            OrderProduct(
                order_id=order.id,
                product_id=product.id,
                count=counts[product.id],
                price=product.price,
            )
        )
    steps = [(None, S.UNPAID, "customer", created), (S.UNPAID, S.PAID, "wechat", paid)]
    steps.append((S.PAID, S.DELIVERED, "admin", delivered))
    if status == S.RECEIVED:
        steps.append((S.DELIVERED, S.RECEIVED, "customer", received))
    for from_status, to_status, actor_type, at in steps:
        db.session.add(
            OrderEvent(
                order_id=order.id,
                from_status=from_status,
                to_status=to_status,
                actor_type=actor_type,
                actor_id=ACTORS[actor_type],
                create_time=at,
            )
        )
    db.session.add(
        Payment(
            order_id=order.id,
            user_id=DEMO_USER_ID,
            transaction_id=transaction_id,
            out_trade_no=order.order_no,
            amount=yuan_to_fen(snapshot["total_price"]),
            currency="CNY",
            trade_state="SUCCESS",
            payer_openid="",
            success_time=paid,
            needs_refund=False,
            raw={},
            create_time=paid,
        )
    )
