"""Refund rows: started as PROCESSING with a guarded move to REFUNDING, settled once."""

from sqlalchemy import func, select, update

from app.core.db import retrying
from app.core.exceptions import OrderStatusConflict
from app.extensions import db
from app.models import Order, Payment, Refund
from app.models.base import now
from app.models.order import status_conflict
from app.services import stats
from app.services.orders.machine import REFUNDABLE, S, move, transition
from app.services.orders.stock import release_stock
from app.services.wechat_platform import messages


def start_refund(order: Order, admin_id: int, reason: str) -> Refund:
    """Guarded move to REFUNDING plus a PROCESSING refund row, committed."""
    if order.order_status not in REFUNDABLE:
        raise status_conflict(order.order_status, REFUNDABLE)
    payment = db.session.scalar(
        select(Payment).where(Payment.order_id == order.id).order_by(Payment.id).limit(1)
    )
    if payment is None:
        raise OrderStatusConflict("The order has no payment to refund")
    refunded = db.session.scalar(
        select(func.coalesce(func.sum(Refund.amount), 0)).where(
            Refund.payment_id == payment.id, Refund.status.in_(("SUCCESS", "PROCESSING"))
        )
    )
    amount = payment.amount - int(refunded or 0)
    if amount <= 0:
        raise OrderStatusConflict("The payment is already refunded")
    sequence = db.session.scalar(select(func.count(Refund.id)).where(Refund.order_id == order.id))
    move(order.id, order.order_status, S.REFUNDING, "admin", admin_id, reason=reason)
    refund = Refund(
        order_id=order.id,
        payment_id=payment.id,
        out_refund_no=f"R{order.order_no}-{sequence + 1}",
        amount=amount,
        status="PROCESSING",
        reason=reason,
        operator_id=admin_id,
    )
    db.session.add(refund)
    db.session.commit()
    return refund


def settle_refund(
    refund_pk: int,
    status: str,
    *,
    actor_type: str,
    actor_id=None,
    wechat_refund_id: str | None = None,
    success_time: int | None = None,
) -> bool:
    """Apply a final refund state once (guarded on PROCESSING) and move the order."""
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
        changed = db.session.execute(
            update(Refund)
            .where(Refund.id == refund_pk, Refund.status == "PROCESSING")
            .values(status=status, **values)
            .execution_options(synchronize_session=False)
        )
        if changed.rowcount != 1:
            db.session.rollback()
            return False
        order_id = db.session.scalar(select(Refund.order_id).where(Refund.id == refund_pk))
        if status == "SUCCESS":
            stats.count_refund(refund_pk)
            if transition(order_id, S.REFUNDING, S.REFUNDED, actor_type, actor_id):
                release_stock(order_id)
                refund = db.session.get(Refund, refund_pk, populate_existing=True)
                messages.queue_refund_settled(order_id, refund.amount, refund.reason)
        else:
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
