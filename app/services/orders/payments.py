"""Recording a payment WeChat reported: once per transaction id, applied to the order."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.core.db import retrying
from app.extensions import db
from app.models import Order, OrderEvent, Payment
from app.models.base import now
from app.services import coupons, stats
from app.services import sku as sku_service
from app.services.orders.machine import S, transition
from app.services.wechat_platform import messages


def record_payment(
    *,
    order_id: int,
    user_id: int,
    transaction_id: str,
    out_trade_no: str,
    amount: int,
    trade_state: str,
    payer_openid: str,
    success_time: int,
    raw: dict,
    actor_type: str,
) -> str:
    """Insert the payment once (UNIQUE transaction id) and apply it to the order.

    Answers "replay", "paid", "paid_but_out_of" or "double_payment".
    """

    def work() -> str:
        # Lock the order row first: concurrent replays then queue here instead of deadlocking
        # between the foreign-key check of the payment insert and the order update.
        db.session.execute(select(Order.id).where(Order.id == order_id).with_for_update())
        payment = Payment(
            order_id=order_id,
            user_id=user_id,
            transaction_id=transaction_id,
            out_trade_no=out_trade_no,
            amount=amount,
            currency="CNY",
            trade_state=trade_state,
            payer_openid=payer_openid,
            success_time=success_time,
            needs_refund=False,
            raw=raw,
        )
        db.session.add(payment)
        try:
            db.session.flush()
        except IntegrityError:
            db.session.rollback()
            return "replay"
        if transition(order_id, S.UNPAID, S.PAID, actor_type, pay_time=success_time):
            sku_service.add_sales(sku_service.order_lines(order_id))
            messages.queue_order_paid(order_id)
            outcome = "paid"
        elif transition(
            order_id,
            S.CANCELLED,
            S.PAID_BUT_OUT_OF,
            actor_type,
            reason="paid after cancellation; needs a refund or restock",
            pay_time=success_time,
        ):
            payment.needs_refund = True
            coupons.take_back(order_id, now())
            outcome = "paid_but_out_of"
        else:
            status = db.session.scalar(
                select(Order.order_status).where(Order.id == order_id).with_for_update()
            )
            payment.needs_refund = True
            db.session.add(
                OrderEvent(
                    order_id=order_id,
                    from_status=status,
                    to_status=status,
                    actor_type=actor_type,
                    reason=f"double payment {transaction_id}; needs a refund"[:255],
                )
            )
            outcome = "double_payment"
        if outcome != "double_payment":
            stats.count_payment(order_id)
        db.session.commit()
        return outcome

    return retrying(work)
