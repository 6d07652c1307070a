"""Refund rows: the full refund of an order (started as PROCESSING with a guarded move to
REFUNDING) and the partial refunds of after-sales (aftersale_money.py), each settled once.

What every refund being processed or done gives back is reserved on `order.refunded_amount`,
which never passes what was paid: the full refund asks only for the rest, and is refused while
an after-sale of the order is open.
"""

from decimal import Decimal

from sqlalchemy import select, update

from app.core.db import retrying
from app.core.exceptions import AfterSaleOpen, OrderStatusConflict
from app.extensions import db
from app.models import Order, OrderProduct, Payment, Refund
from app.models.base import now, yuan_to_fen
from app.models.order import status_conflict
from app.services import stats
from app.services.orders import aftersale_money
from app.services.orders.machine import AFTER_SALE_ALLOWED, REFUNDABLE, S, move, transition
from app.services.orders.stock import release_stock
from app.services.wechat_platform import messages


def start_refund(order: Order, admin_id: int, reason: str) -> Refund:
    """Guarded move to REFUNDING plus a PROCESSING refund row of what the order has not given
    back yet (earlier after-sales' refunds are kept), committed."""
    if order.order_status not in REFUNDABLE:
        raise status_conflict(order.order_status, REFUNDABLE)

    def work() -> Refund:
        locked = aftersale_money.lock_order(order.id)
        if locked.order_status not in REFUNDABLE:
            db.session.rollback()
            raise status_conflict(locked.order_status, REFUNDABLE)
        open_ids = aftersale_money.open_after_sales(order.id)
        if open_ids:
            db.session.rollback()
            raise AfterSaleOpen(detail={"after_sale_ids": open_ids})
        payment = db.session.scalar(
            select(Payment).where(Payment.order_id == order.id).order_by(Payment.id).limit(1)
        )
        if payment is None:
            db.session.rollback()
            raise OrderStatusConflict("The order has no payment to refund")
        sequence = len(
            db.session.scalars(select(Refund.id).where(Refund.order_id == order.id)).all()
        )
        rest = aftersale_money.reserve_rest(locked)
        if rest <= 0:
            db.session.rollback()
            raise OrderStatusConflict("The payment is already refunded")
        move(order.id, locked.order_status, S.REFUNDING, "admin", admin_id, reason=reason)
        refund = Refund(
            order_id=order.id,
            payment_id=payment.id,
            out_refund_no=f"R{order.order_no}-{sequence + 1}",
            amount=yuan_to_fen(rest),
            status="PROCESSING",
            reason=reason,
            operator_id=admin_id,
        )
        db.session.add(refund)
        db.session.commit()
        return refund

    return retrying(work)


def settle_refund(
    refund_pk: int,
    status: str,
    *,
    actor_type: str,
    actor_id=None,
    wechat_refund_id: str | None = None,
    success_time: int | None = None,
) -> bool:
    """Apply a final refund state once (guarded on PROCESSING) and move its after-sale, if
    any, and its order."""
    values = {"update_time": now()}
    if wechat_refund_id:
        values["refund_id"] = wechat_refund_id
    if status not in ("SUCCESS", "CLOSED", "ABNORMAL"):
        db.session.execute(
            update(Refund)
            .where(Refund.id == refund_pk, Refund.refund_id.is_(None))
            .values(**values)
        )
        db.session.commit()
        return False
    if status == "SUCCESS":
        values["success_time"] = success_time or now()

    def work() -> bool:
        order_id = db.session.scalar(select(Refund.order_id).where(Refund.id == refund_pk))
        aftersale_money.lock_order(order_id)  # after-sale writes on the order queue here too
        changed = db.session.execute(
            update(Refund)
            .where(Refund.id == refund_pk, Refund.status == "PROCESSING")
            .values(status=status, **values)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != 1:
            db.session.rollback()
            return False
        refund = db.session.get(Refund, refund_pk, populate_existing=True)
        if status == "SUCCESS":
            stats.count_refund(refund_pk)  # the daily rollup, partial refunds included
        if refund.after_sale_id is not None:
            _settle_partial(refund, status, actor_type, actor_id)
        elif status == "SUCCESS":
            if transition(order_id, S.REFUNDING, S.REFUNDED, actor_type, actor_id):
                _mark_lines_refunded(order_id)
                release_stock(order_id)
                messages.queue_refund_settled(order_id, refund.amount, refund.reason)
        else:
            aftersale_money.release_on_order(order_id, Decimal(refund.amount) / 100)
            transition(
                order_id,
                S.REFUNDING,
                S.REFUND_FAILED,
                actor_type,
                actor_id,
                reason=f"refund {status}",
            )
        db.session.commit()
        return True

    return retrying(work)


def _settle_partial(refund: Refund, status: str, actor_type: str, actor_id) -> None:
    """An after-sale's refund: settle the after-sale; once the order's successful refunds add
    up to what was paid, the order ends REFUNDED (its stock is what staff restocked)."""
    aftersale_money.settle_after_sale(refund, status, actor_type, actor_id)
    if status != "SUCCESS":
        return
    messages.queue_refund_settled(refund.order_id, refund.amount, refund.reason)
    order = db.session.get(Order, refund.order_id, populate_existing=True)
    if aftersale_money.settled_total(order.id) >= yuan_to_fen(order.total_price):
        if order.order_status in AFTER_SALE_ALLOWED:
            transition(
                order.id,
                order.order_status,
                S.REFUNDED,
                actor_type,
                actor_id,
                reason="every unit refunded by after-sales",
            )


def _mark_lines_refunded(order_id: int) -> None:
    """The full refund gave back every unit of every line."""
    db.session.execute(
        update(OrderProduct)
        .where(OrderProduct.order_id == order_id)
        .values(refunded_count=OrderProduct.count, refunded_amount=OrderProduct.pay_amount)
        .execution_options(synchronize_session=False)
    )
