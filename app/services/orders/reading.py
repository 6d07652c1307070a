"""Reading orders: one order (owner-scoped for customers) and the list statement."""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.exceptions import OrderNotFound
from app.extensions import db
from app.models import Order


def get_user_order(user_id: int, order_id: int) -> Order:
    order = db.session.scalar(select(Order).where(Order.id == order_id, Order.user_id == user_id))
    if order is None:
        raise OrderNotFound()
    return order


def get_order(order_id: int) -> Order:
    order = db.session.scalar(
        select(Order)
        .where(Order.id == order_id)
        .options(
            selectinload(Order.user),
            selectinload(Order.events),
            selectinload(Order.payments),
            selectinload(Order.refunds),
            selectinload(Order.shipping_uploads),
        )
        .execution_options(populate_existing=True)
    )
    if order is None:
        raise OrderNotFound()
    return order


def order_coupon(order: Order) -> dict | None:
    """The coupon an order used, for its detail: the copy, its template's name, the discount
    (null when the order used none)."""
    held = order.user_coupon
    if held is None:
        return None
    return {
        "user_coupon_id": held.id,
        "coupon_id": held.coupon_id,
        "name": held.coupon.name,
        "discount": order.coupon_discount,
    }


def order_query(*, user_id=None, statuses=None, start=None, end=None, order_no=None, admin=False):
    """Orders filtered as the list endpoints ask, newest first."""
    statement = select(Order).order_by(Order.create_time.desc(), Order.id.desc())
    if user_id is not None:
        statement = statement.where(Order.user_id == user_id)
    if statuses:
        statement = statement.where(Order.order_status.in_(statuses))
    if start is not None:
        statement = statement.where(Order.create_time >= start)
    if end is not None:
        statement = statement.where(Order.create_time <= end)
    if order_no:
        statement = statement.where(Order.order_no == order_no)
    if admin:
        statement = statement.options(selectinload(Order.user))
    return statement
