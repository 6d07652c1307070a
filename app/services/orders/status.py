"""Status changes a person asks for: cancel, receive, deliver, restock.

Cancelling an unpaid order (also by expiry) gives its coupon back while the coupon is still
valid; a refund never does (app/services/orders/refunds.py leaves the coupon used)."""

from sqlalchemy import select, update

from app.core.db import retrying
from app.core.exceptions import OrderStatusConflict
from app.extensions import db
from app.models import Order
from app.models.base import now
from app.models.order import status_conflict
from app.services import coupons
from app.services import sku as sku_service
from app.services.orders.gateway import gateway
from app.services.orders.machine import DELIVERABLE, S, current_status, move
from app.services.orders.reading import get_order, get_user_order
from app.services.orders.stock import release_stock, reserve_stock
from app.services.wechat_platform import messages, shipping


def cancel_order(
    order_id: int, actor_type: str, actor_id=None, *, user_id=None, reason: str = ""
) -> Order:
    """UNPAID -> CANCELLED, WeChat order closed first, stock released once, the coupon given
    back (in the same transaction as the status change)."""
    order = get_user_order(user_id, order_id) if user_id is not None else get_order(order_id)
    if order.order_status != S.UNPAID:
        raise status_conflict(order.order_status, [S.UNPAID])
    if gateway().settle_before_cancel(order):
        raise status_conflict(current_status(order_id), [S.UNPAID], "The order has been paid")

    def work():
        at = now()
        move(order_id, S.UNPAID, S.CANCELLED, actor_type, actor_id, reason=reason, cancel_time=at)
        release_stock(order_id)
        coupons.give_back(order_id, at)
        db.session.commit()

    retrying(work)
    db.session.expire_all()
    return get_order(order_id)


def cancel_user_unpaid_orders(user_id: int, actor_type: str, actor_id=None) -> int:
    """Cancel every unpaid order of a user (account deletion); answers how many."""
    ids = db.session.scalars(
        select(Order.id).where(Order.user_id == user_id, Order.order_status == S.UNPAID)
    ).all()
    cancelled = 0
    for order_id in ids:
        try:
            cancel_order(order_id, actor_type, actor_id, reason="account deleted")
            cancelled += 1
        except OrderStatusConflict:
            continue
    return cancelled


def receive_order(user_id: int, order_id: int) -> Order:
    get_user_order(user_id, order_id)
    move(order_id, S.DELIVERED, S.RECEIVED, "customer", user_id, receive_time=now())
    db.session.commit()
    return get_order(order_id)


def deliver_order(
    order_id: int,
    admin_id: int,
    carrier: str | None,
    tracking_no: str | None,
    *,
    logistics_type: int = shipping.EXPRESS,
    item_desc: str | None = None,
) -> Order:
    """PAID or HANDLED_OUT_OF -> DELIVERED. An express delivery names a carrier of WeChat's
    delivery company list (400 otherwise); other logistics types keep `carrier` as plain text.
    In the same transaction: the WeChat shipping upload (orders paid through WeChat Pay) and
    the customer's "delivered" message are queued."""
    order = get_order(order_id)
    if order.order_status not in DELIVERABLE:
        raise status_conflict(order.order_status, DELIVERABLE)
    company = shipping.resolve_carrier(carrier) if logistics_type == shipping.EXPRESS else None
    at = now()
    move(
        order_id,
        order.order_status,
        S.DELIVERED,
        "admin",
        admin_id,
        delivery_time=at,
        carrier=carrier,
        tracking_no=tracking_no,
    )
    shipping.queue_upload(
        order,
        logistics_type=logistics_type,
        company=company,
        tracking_no=tracking_no,
        item_desc=item_desc,
        upload_time=at,
    )
    messages.queue_order_delivered(order_id)
    db.session.commit()
    return get_order(order_id)


def restock_order(order_id: int, admin_id: int) -> Order:
    """PAID_BUT_OUT_OF -> HANDLED_OUT_OF, reserving the order's units again."""
    get_order(order_id)

    def work():
        move(order_id, S.PAID_BUT_OUT_OF, S.HANDLED_OUT_OF, "admin", admin_id)
        lines = sku_service.order_lines(order_id)
        reserve_stock(lines)
        sku_service.add_sales(lines)
        db.session.execute(
            update(Order)
            .where(Order.id == order_id)
            .values(stock_released=False)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()

    retrying(work)
    return get_order(order_id)
