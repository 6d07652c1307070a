"""The `order expire` command: what time does to orders (and the keys kept for them)."""

from flask import current_app
from sqlalchemy import select

from app.core.exceptions import OrderStatusConflict
from app.extensions import db
from app.models import Order
from app.models.base import now
from app.services import coupons
from app.services.orders.gateway import gateway
from app.services.orders.idempotency import purge_idempotency_keys
from app.services.orders.machine import S, transition
from app.services.orders.status import cancel_order
from app.services.tokens import purge_expired_refresh_tokens


def expire_orders(at: int | None = None) -> dict:
    """The `order expire` command: cancel overdue unpaid orders (after asking WeChat whether they
    were paid; their coupons come back while valid), receive old deliveries, settle stale
    refunds, purge expired keys and tokens, mark coupons past their window expired; answers
    what it did."""
    at = at or now()
    report = {"cancelled": 0, "paid": 0, "received": 0, "refunds_settled": 0, "purged": 0}
    report["coupons_expired"] = 0
    overdue = db.session.scalars(
        select(Order.id).where(Order.order_status == S.UNPAID, Order.expire_time <= at)
    ).all()
    for order_id in overdue:
        try:
            cancel_order(order_id, "system", reason="expired")
            report["cancelled"] += 1
        except OrderStatusConflict:
            db.session.rollback()
            if db.session.scalar(select(Order.order_status).where(Order.id == order_id)) == S.PAID:
                report["paid"] += 1
    cutoff = at - current_app.config["ORDER_AUTO_RECEIVE_DAYS"] * 86400
    delivered = db.session.scalars(
        select(Order.id).where(Order.order_status == S.DELIVERED, Order.delivery_time <= cutoff)
    ).all()
    for order_id in delivered:
        if transition(
            order_id, S.DELIVERED, S.RECEIVED, "system", reason="auto receipt", receive_time=at
        ):
            report["received"] += 1
        db.session.commit()
    report["refunds_settled"] = gateway().settle_processing_refunds()
    report["purged"] += purge_idempotency_keys(at)
    report["purged"] += purge_expired_refresh_tokens(at)
    report["coupons_expired"] = coupons.expire_held(at)
    db.session.commit()
    return report
