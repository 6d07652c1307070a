"""Orders: placement with stock reservation, the status machine, listings and expiry.

Every status change goes through `transition()`, a guarded UPDATE on the expected current
status that appends an order event. Stock is released only through `release_stock()`, which
flips the `stock_released` flag first, so it happens at most once whatever races.
"""

import hashlib
import json
import secrets
from collections import Counter

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import selectinload

from app.core.db import is_lock_error, with_retries
from app.core.exceptions import (
    Conflict,
    IdempotencyConflict,
    NoDeliveryAddress,
    OrderNotFound,
    OrderStatusConflict,
    OrderTotalTooLarge,
    OutOfStock,
    ParameterException,
    ProductNotFound,
)
from app.core.forms import INT_LIMIT, MONEY_MAX
from app.core.timefmt import local_date
from app.extensions import db
from app.models import (
    Address,
    IdempotencyKey,
    Order,
    OrderEvent,
    OrderProduct,
    OrderStatus,
    Payment,
    Product,
    RefreshToken,
    Refund,
)
from app.models.base import fen_to_yuan, money_text, now
from app.models.catalog import image_url
from app.models.order import status_conflict
from app.services import address as address_service
from app.services import sku as sku_service

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
}
DELIVERABLE = (S.PAID, S.HANDLED_OUT_OF)
REFUNDABLE = (S.PAID, S.PAID_BUT_OUT_OF, S.HANDLED_OUT_OF, S.REFUND_FAILED)
IDEMPOTENCY_TTL = 24 * 3600
# The most one order can total: its DECIMAL(10,2) column, and the payment and refund rows that
# hold the amount as a 32-bit integer of fen, so 21474836.47 (WeChat Pay's total is fen too).
ORDER_TOTAL_MAX = min(MONEY_MAX, fen_to_yuan(INT_LIMIT))


# ------------------------------------------------------------ the machine


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
    allowed = TRANSITIONS.get((from_status, to_status))
    if allowed is None or actor_type not in allowed:
        sources = [f for (f, t), who in TRANSITIONS.items() if t == to_status and actor_type in who]
        raise status_conflict(from_status, sources)
    result = db.session.execute(
        update(Order)
        .where(Order.id == order_id, Order.order_status == from_status)
        .values(order_status=to_status, update_time=now(), **values)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    db.session.add(
        OrderEvent(
            order_id=order_id,
            from_status=from_status,
            to_status=to_status,
            actor_type=actor_type,
            actor_id=actor_id,
            reason=reason[:255],
        )
    )
    return True


def move(order_id: int, from_status: int, to_status: int, actor_type: str, actor_id=None, **kw):
    """`transition()` that raises OrderStatusConflict (409 / 50030) when it changes nothing."""
    if not transition(order_id, from_status, to_status, actor_type, actor_id, **kw):
        db.session.rollback()
        raise status_conflict(_current_status(order_id), [from_status])


def _current_status(order_id: int) -> int | None:
    return db.session.scalar(select(Order.order_status).where(Order.id == order_id))


# ------------------------------------------------------------------ stock


def reserve_stock(lines: list[tuple[int, int, int]]) -> None:
    """Take units for (sku_id, product_id, count) lines, SKU by SKU in ascending id order (see
    app/services/sku.py); all or nothing.

    On a shortfall the transaction is rolled back and OutOfStock lists every line.
    """
    if not sku_service.reserve(lines):
        db.session.rollback()
        raise OutOfStock(detail={"p_status_array": sku_service.stock_status(lines)})


def release_stock(order_id: int) -> bool:
    """Give the order's units back to their SKUs, at most once (guarded `stock_released` flag)."""
    flipped = db.session.execute(
        update(Order)
        .where(Order.id == order_id, Order.stock_released.is_(False))
        .values(stock_released=True)
        .execution_options(synchronize_session=False)
    )
    if flipped.rowcount != 1:
        return False
    sku_service.release(sku_service.order_lines(order_id))
    return True


# -------------------------------------------------------------- placement


def merge_lines(items: list[dict]) -> dict[tuple[int, int | None], int]:
    """Counts per (product_id, sku_id or None) (repeated lines summed, first-seen order kept),
    caps checked (the unit cap is per product, whatever its SKUs)."""
    config = current_app.config
    lines: Counter[tuple] = Counter()
    counts: Counter[int] = Counter()
    for item in items:
        lines[(item["product_id"], item.get("sku_id"))] += item["count"]
        counts[item["product_id"]] += item["count"]
    if len(items) > config["ORDER_MAX_LINES"]:
        raise ParameterException(f"products: at most {config['ORDER_MAX_LINES']} products")
    if any(count > config["ORDER_MAX_COUNT"] for count in counts.values()):
        raise ParameterException(
            f"products: at most {config['ORDER_MAX_COUNT']} units of one product"
        )
    if sum(counts.values()) > config["ORDER_MAX_TOTAL_COUNT"]:
        raise ParameterException(
            f"products: at most {config['ORDER_MAX_TOTAL_COUNT']} units in one order"
        )
    return dict(lines)


def delivery_address(user_id: int, address_id: int | None) -> Address:
    """The caller's chosen address (owner-scoped), or their default one."""
    if address_id is not None:
        return address_service.get_own_address(user_id, address_id)
    address = address_service.default_address(user_id)
    if address is None:
        raise NoDeliveryAddress()
    return address


def new_order_no(at: int) -> str:
    while True:
        order_no = local_date(at) + f"{secrets.randbelow(10**12):012d}"
        if db.session.scalar(select(Order.id).where(Order.order_no == order_no)) is None:
            return order_no


def address_snapshot(address: Address) -> dict:
    return {
        "name": address.name,
        "mobile": str(address.mobile),
        "province": address.province,
        "city": address.city,
        "country": address.country,
        "detail": address.detail,
    }


def build_snapshot(lines: list[sku_service.Line]) -> dict:
    """snap_name, snap_img, snap_items, totals, from the lines' product and SKU rows in line
    order; an item names its SKU and spec text ("颜色:红;尺码:M", "" for a default SKU)."""
    items = []
    for line in lines:
        product, sku = line.product, line.sku
        items.append(
            {
                "id": product.id,
                "sku_id": sku.id,
                "name": product.name,
                "spec": sku.spec_text,
                "price": money_text(sku.price),
                "count": line.count,
                "total_price": money_text(line.total),
                "main_image": image_url(sku.img or product.main_img),
            }
        )
    first = lines[0].product
    names = {line.product.id for line in lines}
    return {
        "snap_name": (first.name + (" 等" if len(names) > 1 else ""))[:100],
        "snap_img": image_url(first.main_img),
        "snap_items": items,
        "total_count": sum(line.count for line in lines),
        "total_price": sum((line.total for line in lines), start=0),
    }


def check_total(lines: list[sku_service.Line]) -> None:
    """400 / 50060 when the order would total more than ORDER_TOTAL_MAX (a line total is at
    most the order total, so this bounds every line too)."""
    total = sum((line.total for line in lines), start=0)
    if total > ORDER_TOTAL_MAX:
        db.session.rollback()
        raise OrderTotalTooLarge(
            f"The order totals {money_text(total)}; one order can total at most "
            f"{money_text(ORDER_TOTAL_MAX)}",
            detail={"total_price": money_text(total), "max": money_text(ORDER_TOTAL_MAX)},
        )


def _stock_lines(lines: list[sku_service.Line]) -> list[tuple[int, int, int]]:
    return [(line.sku.id, line.product.id, line.count) for line in lines]


def place_order(user_id: int, items: list[dict], address_id=None, remark: str = "") -> Order:
    """Place an order for `items` [{product_id, sku_id?, count}] (POST /v1/order), reserving
    stock per SKU."""
    counts = merge_lines(items)
    product_ids = list(dict.fromkeys(product_id for product_id, _ in counts))

    def work() -> Order:
        address = delivery_address(user_id, address_id)
        rows = db.session.scalars(
            select(Product)
            .where(Product.id.in_(product_ids), Product.on_sale.is_(True))
            .options(selectinload(Product.skus))
        ).all()
        by_id = {product.id: product for product in rows}
        missing = [product_id for product_id in product_ids if product_id not in by_id]
        if missing:
            db.session.rollback()
            raise ProductNotFound(detail={"product_ids": missing})
        try:
            lines = sku_service.resolve_lines(by_id, counts)
        except Exception:
            db.session.rollback()
            raise
        check_total(lines)
        reserve_stock(_stock_lines(lines))
        at = now()
        order = Order(
            order_no=new_order_no(at),
            user_id=user_id,
            order_status=S.UNPAID,
            snap_address=address_snapshot(address),
            remark=remark,
            expire_time=at + current_app.config["ORDER_EXPIRE_SECONDS"],
            create_time=at,
            update_time=at,
            **build_snapshot(lines),
        )
        db.session.add(order)
        db.session.flush()
        for line in lines:
            db.session.add(
                OrderProduct(
                    order_id=order.id,
                    product_id=line.product.id,
                    sku_id=line.sku.id,
                    spec=line.sku.spec_text,
                    count=line.count,
                    price=line.sku.price,
                )
            )
        db.session.add(
            OrderEvent(
                order_id=order.id,
                from_status=None,
                to_status=S.UNPAID,
                actor_type="customer",
                actor_id=user_id,
            )
        )
        db.session.commit()
        return order

    return _retrying(work)


def _retrying(work):
    try:
        return with_retries(work)
    except OperationalError as error:
        if is_lock_error(error):
            raise Conflict() from None
        raise


# ------------------------------------------------------------ idempotency


def request_hash(method: str, path: str, body) -> str:
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{method}\n{path}\n{canonical}".encode()).hexdigest()


def claim_idempotency_key(user_id: int, key: str, digest: str) -> tuple[int, dict] | None:
    """Reserve `key` for this request; answer the stored (status, body) of a finished twin.

    Raises IdempotencyConflict for another body and Conflict while the first one runs.
    """
    for _ in range(2):
        db.session.add(IdempotencyKey(user_id=user_id, key=key, request_hash=digest))
        try:
            db.session.commit()
            return None
        except IntegrityError:
            db.session.rollback()
        row = db.session.scalar(
            select(IdempotencyKey).where(
                IdempotencyKey.user_id == user_id, IdempotencyKey.key == key
            )
        )
        if row is None:
            continue
        if row.create_time < now() - IDEMPOTENCY_TTL:
            db.session.delete(row)
            db.session.commit()
            continue
        if row.request_hash != digest:
            raise IdempotencyConflict()
        if row.status_code is None:
            raise Conflict()
        return row.status_code, row.response
    raise Conflict()


def finish_idempotency_key(user_id: int, key: str, status_code: int, body: dict) -> None:
    db.session.execute(
        update(IdempotencyKey)
        .where(IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
        .values(status_code=status_code, response=body)
    )
    db.session.commit()


def release_idempotency_key(user_id: int, key: str) -> None:
    """Forget a key whose request failed, so the client may retry with it."""
    db.session.rollback()
    db.session.execute(
        delete(IdempotencyKey).where(
            IdempotencyKey.user_id == user_id,
            IdempotencyKey.key == key,
            IdempotencyKey.status_code.is_(None),
        )
    )
    db.session.commit()


# ---------------------------------------------------------------- reading


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
        )
        .execution_options(populate_existing=True)
    )
    if order is None:
        raise OrderNotFound()
    return order


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


# ---------------------------------------------------------- status changes


def cancel_order(
    order_id: int, actor_type: str, actor_id=None, *, user_id=None, reason: str = ""
) -> Order:
    """UNPAID -> CANCELLED, WeChat order closed first, stock released once."""
    from app.services import payment

    order = get_user_order(user_id, order_id) if user_id is not None else get_order(order_id)
    if order.order_status != S.UNPAID:
        raise status_conflict(order.order_status, [S.UNPAID])
    if payment.settle_before_cancel(order):
        raise status_conflict(_current_status(order_id), [S.UNPAID], "The order has been paid")

    def work():
        move(
            order_id, S.UNPAID, S.CANCELLED, actor_type, actor_id, reason=reason, cancel_time=now()
        )
        release_stock(order_id)
        db.session.commit()

    _retrying(work)
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


def deliver_order(order_id: int, admin_id: int, carrier: str, tracking_no: str) -> Order:
    order = get_order(order_id)
    if order.order_status not in DELIVERABLE:
        raise status_conflict(order.order_status, DELIVERABLE)
    move(
        order_id,
        order.order_status,
        S.DELIVERED,
        "admin",
        admin_id,
        delivery_time=now(),
        carrier=carrier,
        tracking_no=tracking_no,
    )
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

    _retrying(work)
    return get_order(order_id)


# --------------------------------------------------------------- payments


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
        db.session.commit()
        return outcome

    return _retrying(work)


# ---------------------------------------------------------------- refunds


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
            if transition(order_id, S.REFUNDING, S.REFUNDED, actor_type, actor_id):
                release_stock(order_id)
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

    return _retrying(work)


# ----------------------------------------------------------------- expiry


def expire_orders(at: int | None = None) -> dict:
    """The `order expire` command: cancel overdue unpaid orders (after asking WeChat whether they
    were paid), receive old deliveries, settle stale refunds, purge expired keys and tokens;
    answers what it did."""
    from app.services import payment

    at = at or now()
    report = {"cancelled": 0, "paid": 0, "received": 0, "refunds_settled": 0, "purged": 0}
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
    report["refunds_settled"] = payment.query_processing_refunds()
    report["purged"] += db.session.execute(
        delete(IdempotencyKey).where(IdempotencyKey.create_time < at - IDEMPOTENCY_TTL)
    ).rowcount
    report["purged"] += db.session.execute(
        delete(RefreshToken).where(RefreshToken.expires_at < at)
    ).rowcount
    db.session.commit()
    return report
