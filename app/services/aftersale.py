"""After-sales (售后): a customer asks for money back on some units of a paid order, with
(type 2) or without (type 1) sending the goods back; staff approve or reject, confirm returned
goods, put them back into stock, and retry a refund WeChat Pay refused.

Who may ask (`create_after_sale`): the owner of a PAID, DELIVERED or RECEIVED order. A
RECEIVED order may ask within the `shop.aftersale.days` config parameter's days of its receipt;
a PAID or DELIVERED order (not received yet) may ask at any time, because its period has not
started. A return (type 2) needs goods that left the shop: DELIVERED or RECEIVED orders only.

The money (app/models/aftersale.py `line_refund`, app/services/orders/aftersale_money.py): a
line's units give back their proportional share of what the line paid, to the fen (round
half-up), the last units of a line the remainder, so the refunds of all units of a line add up
to its share exactly. Freight is refunded only with the whole order: the refund that leaves no
unit unrefunded also gives back the freight (decided when the refund starts).

The flow:

    type 1  PENDING --approve--> REFUNDING --notify--> REFUNDED
    type 2  PENDING --approve--> APPROVED --ship--> SHIPPED --receive--> REFUNDING --> REFUNDED
    PENDING / APPROVED --cancel (customer)--> CANCELLED
    PENDING / APPROVED / SHIPPED / REFUND_FAILED --reject--> REJECTED
    REFUNDING --WeChat refuses or closes the refund--> REFUND_FAILED --retry--> REFUNDING

Every write locks the order row first (aftersale_money.lock_order); one open after-sale holds
each of its order lines (`order_product.open_after_sale_id`, claimed by a guarded UPDATE).
"""

from sqlalchemy import func, select, update
from sqlalchemy.orm import selectinload

from app.core.db import retrying
from app.core.exceptions import (
    AfterSaleCountTooLarge,
    AfterSaleImageInvalid,
    AfterSaleLineBusy,
    AfterSaleLineNotFound,
    AfterSaleNotAllowed,
    AfterSaleNotFound,
    AfterSaleStatusConflict,
)
from app.core.pagination import paginate
from app.extensions import db
from app.models import AfterSale, AfterSaleEvent, AfterSaleLine, Order, OrderProduct, Refund, Sku
from app.models.aftersale import AS, TYPE_REFUND, TYPE_RETURN
from app.models.base import now
from app.models.order import status_conflict as order_status_conflict
from app.services import orders, payment, uploads
from app.services import sku as sku_service
from app.services.config_params import config_value
from app.services.orders import aftersale_money as money
from app.services.orders.machine import AFTER_SALE_ALLOWED, S
from app.services.wechat_platform import messages

DAYS_KEY = "shop.aftersale.days"
DEFAULT_DAYS = 7
DAY = 86400
RETURNABLE = (S.DELIVERED, S.RECEIVED)


def after_sale_days() -> int:
    """The `shop.aftersale.days` parameter: days after receipt an after-sale may be asked
    (DEFAULT_DAYS when the row is missing or not a whole number >= 0)."""
    value = config_value(DAYS_KEY, DEFAULT_DAYS)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return DEFAULT_DAYS
    return value


def _detail_statement():
    return select(AfterSale).options(
        selectinload(AfterSale.order),
        selectinload(AfterSale.user),
        selectinload(AfterSale.lines),
        selectinload(AfterSale.events),
        selectinload(AfterSale.refunds),
    )


def get_after_sale(after_sale_id: int) -> AfterSale:
    row = db.session.scalar(
        _detail_statement()
        .where(AfterSale.id == after_sale_id)
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise AfterSaleNotFound()
    return row


def get_own_after_sale(user_id: int, after_sale_id: int) -> AfterSale:
    row = db.session.scalar(
        _detail_statement()
        .where(AfterSale.id == after_sale_id, AfterSale.user_id == user_id)
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise AfterSaleNotFound()
    return row


# ------------------------------------------------------------------- customer


def _check_allowed(order: Order, kind: int, at: int) -> None:
    if order.order_status not in AFTER_SALE_ALLOWED:
        conflict = order_status_conflict(
            order.order_status, AFTER_SALE_ALLOWED, "Only a paid order can have an after-sale"
        )
        raise AfterSaleNotAllowed(conflict.msg, detail=conflict.detail)
    if kind == TYPE_RETURN and order.order_status not in RETURNABLE:
        conflict = order_status_conflict(
            order.order_status, RETURNABLE, "Goods can be returned once the order is delivered"
        )
        raise AfterSaleNotAllowed(conflict.msg, detail=conflict.detail)
    if order.order_status == S.RECEIVED and order.receive_time is not None:
        days = after_sale_days()
        deadline = order.receive_time + days * DAY
        if at > deadline:
            raise AfterSaleNotAllowed(
                f"An after-sale can be asked within {days} days of receipt; that time is over",
                detail={"receive_time": order.receive_time, "deadline": deadline},
            )


def _units(lines: list[OrderProduct], wanted: list[dict]) -> dict[int, int]:
    """order_product_id -> count, each line checked: of the order, free, enough units left."""
    by_id = {line.id: line for line in lines}
    units = {}
    for item in wanted:
        line = by_id.get(item["order_product_id"])
        if line is None:
            raise AfterSaleLineNotFound(detail={"order_product_id": item["order_product_id"]})
        if line.open_after_sale_id is not None:
            raise AfterSaleLineBusy(
                detail={"order_product_id": line.id, "after_sale_id": line.open_after_sale_id}
            )
        if item["count"] > line.refundable_count:
            raise AfterSaleCountTooLarge(
                detail={"order_product_id": line.id, "refundable_count": line.refundable_count}
            )
        units[line.id] = item["count"]
    return units


def create_after_sale(user_id: int, values: dict) -> AfterSale:
    """Ask for an after-sale of `values["lines"]` ([{order_product_id, count}], lines of one
    order of the user, each line once), with `type`, `reason`, `description` and `images`."""
    order = orders.get_user_order(user_id, values["order_id"])
    keys = list(values.get("images") or [])
    missing = uploads.not_uploaded_by(user_id, keys)
    if missing:
        raise AfterSaleImageInvalid(
            "images: upload each image with POST /v1/aftersale/image and send the keys it answers",
            detail={"images": missing},
        )

    def work() -> int:
        locked = money.lock_order(order.id)
        at = now()
        try:
            _check_allowed(locked, values["type"], at)
            lines = money.locked_lines(order.id)
            units = _units(lines, values["lines"])
        except Exception:
            db.session.rollback()
            raise
        amounts = money.line_amounts(lines, units)
        goods = sum(amounts.values())
        freight = money.freight_for(locked, lines, units)
        if goods + freight <= 0:
            db.session.rollback()
            raise AfterSaleNotAllowed("These units paid nothing: there is nothing to give back")
        after_sale = AfterSale(
            order_id=order.id,
            user_id=user_id,
            type=values["type"],
            status=AS.PENDING,
            reason=values["reason"],
            description=values.get("description") or "",
            images=keys,
            goods_amount=goods,
            freight_amount=freight,
            amount=goods + freight,
            lines=[
                AfterSaleLine(order_product_id=line_id, count=count, amount=amounts[line_id])
                for line_id, count in sorted(units.items())
            ],
        )
        db.session.add(after_sale)
        db.session.flush()
        db.session.add(
            AfterSaleEvent(
                after_sale_id=after_sale.id,
                from_status=None,
                to_status=AS.PENDING,
                actor_type="customer",
                actor_id=user_id,
                reason=values["reason"][:255],
            )
        )
        for line_id in sorted(units):
            claimed = db.session.execute(
                update(OrderProduct)
                .where(
                    OrderProduct.id == line_id,
                    OrderProduct.open_after_sale_id.is_(None),
                    OrderProduct.refunded_count + units[line_id] <= OrderProduct.count,
                )
                .values(open_after_sale_id=after_sale.id)
                .execution_options(synchronize_session=False)
            )
            if claimed.rowcount != 1:
                db.session.rollback()
                raise AfterSaleLineBusy(detail={"order_product_id": line_id})
        after_sale_id = after_sale.id
        db.session.commit()
        return after_sale_id

    return get_own_after_sale(user_id, retrying(work))


def own_after_sale_page(user_id: int, form) -> dict:
    """The user's after-sales, newest first."""
    statement = (
        select(AfterSale)
        .where(AfterSale.user_id == user_id)
        .options(selectinload(AfterSale.order), selectinload(AfterSale.lines))
        .order_by(AfterSale.id.desc())
    )
    return paginate(statement, form)


def _free_lines(after_sale_id: int) -> None:
    db.session.execute(
        update(OrderProduct)
        .where(OrderProduct.open_after_sale_id == after_sale_id)
        .values(open_after_sale_id=None)
        .execution_options(synchronize_session=False)
    )


def _locked(after_sale: AfterSale) -> AfterSale:
    """Lock the after-sale's order, then read the after-sale again (its current status)."""
    money.lock_order(after_sale.order_id)
    return money.locked_after_sale(after_sale.id)


def cancel_after_sale(user_id: int, after_sale_id: int) -> AfterSale:
    """The customer withdraws an after-sale not decided yet, or an approved return whose goods
    were not sent; its lines are free again."""
    after_sale = get_own_after_sale(user_id, after_sale_id)

    def work():
        current = _locked(after_sale)
        if current.status not in (AS.PENDING, AS.APPROVED):
            db.session.rollback()
            raise money.status_conflict(current.status, (AS.PENDING, AS.APPROVED))
        money.move(current.id, current.status, AS.CANCELLED, "customer", user_id, cancel_time=now())
        _free_lines(current.id)
        db.session.commit()

    retrying(work)
    return get_own_after_sale(user_id, after_sale_id)


def ship_after_sale(user_id: int, after_sale_id: int, carrier: str, tracking_no: str):
    """The customer sent the goods of an approved return back."""
    after_sale = get_own_after_sale(user_id, after_sale_id)
    if after_sale.type != TYPE_RETURN:
        raise AfterSaleStatusConflict("Only a return (type 2) sends goods back")
    money.move(
        after_sale.id,
        AS.APPROVED,
        AS.SHIPPED,
        "customer",
        user_id,
        carrier=carrier,
        tracking_no=tracking_no,
        ship_time=now(),
    )
    db.session.commit()
    return get_own_after_sale(user_id, after_sale_id)


# ---------------------------------------------------------------------- staff


def admin_after_sale_page(form, *, status=None, order_no=None, user_id=None, start=None, end=None):
    """Every after-sale, newest first, with filters."""
    statement = (
        select(AfterSale)
        .options(selectinload(AfterSale.order), selectinload(AfterSale.user))
        .order_by(AfterSale.id.desc())
    )
    if status:
        statement = statement.where(AfterSale.status.in_(status))
    if order_no:
        statement = statement.where(
            AfterSale.order_id.in_(select(Order.id).where(Order.order_no == order_no))
        )
    if user_id is not None:
        statement = statement.where(AfterSale.user_id == user_id)
    if start is not None:
        statement = statement.where(AfterSale.create_time >= start)
    if end is not None:
        statement = statement.where(AfterSale.create_time <= end)
    return paginate(statement, form)


def approve_after_sale(after_sale_id: int, admin_id: int, reason: str = "") -> AfterSale:
    """Say yes. A refund only is refunded at once; a return waits for its goods. The
    customer's "after-sale decided" message is queued with the decision."""
    after_sale = get_after_sale(after_sale_id)
    if after_sale.type == TYPE_REFUND:
        payment.require_configured()

    def work() -> int | None:
        current = _locked(after_sale)
        if current.status != AS.PENDING:
            db.session.rollback()
            raise money.status_conflict(current.status, [AS.PENDING])
        decided = {"decide_time": now(), "admin_reason": reason}
        refund_id = None
        if current.type == TYPE_REFUND:
            refund_id = money.start_after_sale_refund(
                current, AS.PENDING, admin_id, reason, **decided
            ).id
        else:
            money.move(
                current.id,
                AS.PENDING,
                AS.APPROVED,
                "admin",
                admin_id,
                reason=reason,
                handler_id=admin_id,
                **decided,
            )
        messages.queue_after_sale_decided(current.order_id, approved=True, reason=reason)
        db.session.commit()
        return refund_id

    refund_id = retrying(work)
    if refund_id is not None:
        payment.send_refund(refund_id, actor_type="admin", actor_id=admin_id)
    return get_after_sale(after_sale_id)


def reject_after_sale(after_sale_id: int, admin_id: int, reason: str) -> AfterSale:
    """Say no, with the reason the customer is shown; the lines are free again."""
    after_sale = get_after_sale(after_sale_id)
    allowed = (AS.PENDING, AS.APPROVED, AS.SHIPPED, AS.REFUND_FAILED)

    def work():
        current = _locked(after_sale)
        if current.status not in allowed:
            db.session.rollback()
            raise money.status_conflict(current.status, allowed)
        money.move(
            current.id,
            current.status,
            AS.REJECTED,
            "admin",
            admin_id,
            reason=reason,
            admin_reason=reason,
            handler_id=admin_id,
            decide_time=current.decide_time or now(),
        )
        _free_lines(current.id)
        messages.queue_after_sale_decided(current.order_id, approved=False, reason=reason)
        db.session.commit()

    retrying(work)
    return get_after_sale(after_sale_id)


def receive_after_sale(after_sale_id: int, admin_id: int, restock: bool = False) -> AfterSale:
    """The returned goods arrived: refund them (and put them back into stock when asked)."""
    after_sale = get_after_sale(after_sale_id)
    if after_sale.type != TYPE_RETURN:
        raise AfterSaleStatusConflict("Only a return (type 2) has goods to receive")
    payment.require_configured()
    allowed = (AS.APPROVED, AS.SHIPPED)

    def work() -> int:
        current = _locked(after_sale)
        if current.status not in allowed:
            db.session.rollback()
            raise money.status_conflict(current.status, allowed)
        refund = money.start_after_sale_refund(
            current, current.status, admin_id, "goods received", receive_time=now()
        )
        if restock:
            _restock(current)
        db.session.commit()
        return refund.id

    refund_id = retrying(work)
    payment.send_refund(refund_id, actor_type="admin", actor_id=admin_id)
    return get_after_sale(after_sale_id)


def _restock(after_sale: AfterSale) -> None:
    """Put the after-sale's units back into their SKUs, once (guarded flag), and count them
    on their lines so that a later full refund does not give them back again."""
    flipped = db.session.execute(
        update(AfterSale)
        .where(AfterSale.id == after_sale.id, AfterSale.restocked.is_(False))
        .values(restocked=True)
        .execution_options(synchronize_session=False)
    )
    if flipped.rowcount != 1:
        db.session.rollback()
        raise AfterSaleStatusConflict("The units of this after-sale are already back in stock")
    stock_lines = []
    for line in after_sale.lines:
        product = line.order_product
        counted = db.session.execute(
            update(OrderProduct)
            .where(
                OrderProduct.id == product.id,
                OrderProduct.restocked_count + line.count <= OrderProduct.count,
            )
            .values(restocked_count=OrderProduct.restocked_count + line.count)
            .execution_options(synchronize_session=False)
        )
        if counted.rowcount != 1:
            db.session.rollback()
            raise AfterSaleStatusConflict("These units are already back in stock")
        sku_id = product.sku_id or db.session.scalar(
            select(func.min(Sku.id))
            .where(Sku.product_id == product.product_id)
            .execution_options(include_deleted=True)
        )
        if sku_id:
            stock_lines.append((sku_id, product.product_id, line.count))
    sku_service.release(stock_lines)


def restock_after_sale(after_sale_id: int, admin_id: int) -> AfterSale:
    """Put the units of a refunded after-sale back into stock, exactly once: returned goods
    that arrived, or units of an order that was never shipped."""
    after_sale = get_after_sale(after_sale_id)
    allowed = (AS.REFUNDING, AS.REFUNDED, AS.REFUND_FAILED)

    def work():
        current = _locked(after_sale)
        if current.status not in allowed:
            db.session.rollback()
            raise money.status_conflict(current.status, allowed)
        order = db.session.get(Order, current.order_id)
        # returned goods that arrived; or units never shipped, once their refund is done
        in_shop = current.receive_time is not None or (
            order.delivery_time is None and current.status == AS.REFUNDED
        )
        if not in_shop or order.stock_released:
            db.session.rollback()
            raise AfterSaleStatusConflict(
                "Only units back in the shop, and not released with the whole order, can be "
                "restocked"
            )
        _restock(current)
        db.session.add(
            AfterSaleEvent(
                after_sale_id=current.id,
                from_status=current.status,
                to_status=current.status,
                actor_type="admin",
                actor_id=admin_id,
                reason="restocked",
            )
        )
        db.session.commit()

    retrying(work)
    return get_after_sale(after_sale_id)


def retry_refund(after_sale_id: int, admin_id: int) -> AfterSale:
    """Ask WeChat Pay again: a REFUND_FAILED after-sale gets a new refund (a new
    out_refund_no); a REFUNDING one whose refund WeChat never answered sends the same refund
    again (same out_refund_no: WeChat makes it at most once)."""
    after_sale = get_after_sale(after_sale_id)
    payment.require_configured()
    if after_sale.status == AS.REFUNDING:
        pending = db.session.scalar(
            select(Refund)
            .where(Refund.after_sale_id == after_sale.id, Refund.status == "PROCESSING")
            .order_by(Refund.id.desc())
            .limit(1)
        )
        if pending is None or pending.refund_id:
            raise money.status_conflict(
                after_sale.status,
                [AS.REFUND_FAILED],
                "WeChat Pay is processing this refund; its notification will settle it",
            )
        payment.send_refund(pending.id, actor_type="admin", actor_id=admin_id)
        return get_after_sale(after_sale_id)

    def work() -> int:
        current = _locked(after_sale)
        if current.status != AS.REFUND_FAILED:
            db.session.rollback()
            raise money.status_conflict(current.status, [AS.REFUND_FAILED, AS.REFUNDING])
        refund = money.start_after_sale_refund(current, AS.REFUND_FAILED, admin_id, "retry")
        db.session.commit()
        return refund.id

    refund_id = retrying(work)
    payment.send_refund(refund_id, actor_type="admin", actor_id=admin_id)
    return get_after_sale(after_sale_id)
