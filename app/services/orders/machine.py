"""The order status machine: every status change is a guarded UPDATE on the expected current
status that appends an order event (`transition`); `move` raises when another request won."""

from sqlalchemy import select

from app.core import metrics
from app.extensions import db
from app.models import Order, OrderEvent, OrderStatus
from app.models.order import status_conflict
from app.services.state_machine import Machine

S = OrderStatus

# (from, to) -> actor types allowed to make the move; any other move is OrderStatusConflict.
TRANSITIONS: dict[tuple[int, int], frozenset[str]] = {
    (S.UNPAID, S.PAID): frozenset({"wechat", "system"}),
    (S.UNPAID, S.CANCELLED): frozenset({"customer", "admin", "system"}),
    (S.CANCELLED, S.PAID_BUT_OUT_OF): frozenset({"wechat", "system"}),
    (S.PAID, S.DELIVERED): frozenset({"admin"}),
    (S.HANDLED_OUT_OF, S.DELIVERED): frozenset({"admin"}),
    (S.PAID_BUT_OUT_OF, S.HANDLED_OUT_OF): frozenset({"admin"}),
    (S.DELIVERED, S.RECEIVED): frozenset({"customer", "system"}),
    (S.PAID, S.REFUNDING): frozenset({"admin"}),
    (S.PAID_BUT_OUT_OF, S.REFUNDING): frozenset({"admin"}),
    (S.HANDLED_OUT_OF, S.REFUNDING): frozenset({"admin"}),
    (S.REFUND_FAILED, S.REFUNDING): frozenset({"admin"}),
    (S.REFUNDING, S.REFUNDED): frozenset({"wechat", "admin", "system"}),
    (S.REFUNDING, S.REFUND_FAILED): frozenset({"wechat", "admin", "system"}),
    # After-sales: the refund that makes the order's refunds add up to what was paid.
    (S.PAID, S.REFUNDED): frozenset({"wechat", "admin", "system"}),
    (S.DELIVERED, S.REFUNDED): frozenset({"wechat", "admin", "system"}),
    (S.RECEIVED, S.REFUNDED): frozenset({"wechat", "admin", "system"}),
}
DELIVERABLE = (S.PAID, S.HANDLED_OUT_OF)
REFUNDABLE = (S.PAID, S.PAID_BUT_OUT_OF, S.HANDLED_OUT_OF, S.REFUND_FAILED)
# Orders whose units a customer may ask an after-sale for (app/services/aftersale.py).
AFTER_SALE_ALLOWED = (S.PAID, S.DELIVERED, S.RECEIVED)

ORDERS = Machine(Order, "order_status", OrderEvent, "order_id", TRANSITIONS, status_conflict)


def transition(
    order_id: int,
    from_status: int,
    to_status: int,
    actor_type: str,
    actor_id: int | None = None,
    reason: str = "",
    **values,
) -> bool:
    """Move the order if it is still in `from_status`; False when another request won.

    Does not commit: the caller's transaction holds the move and its side effects.
    """
    moved = ORDERS.move(order_id, from_status, to_status, actor_type, actor_id, reason, **values)
    if not moved:
        return False
    metrics.order_status_changed(db.session, to_status)
    return True


def move(order_id: int, from_status: int, to_status: int, actor_type: str, actor_id=None, **kw):
    """`transition()` that raises OrderStatusConflict (409 / 50030) when it changes nothing."""
    if not transition(order_id, from_status, to_status, actor_type, actor_id, **kw):
        db.session.rollback()
        raise status_conflict(current_status(order_id), [from_status])


def current_status(order_id: int) -> int | None:
    return db.session.scalar(select(Order.order_status).where(Order.id == order_id))
