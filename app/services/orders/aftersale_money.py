"""The money side of after-sales: their status machine, reserving what a refund gives back on
the order and its lines, and settling it.

Every write on an order's after-sales starts by locking the order row (`lock_order`), like a
payment does, so writes on one order queue instead of racing, and the reads that follow are
locking reads (the current rows, whatever the transaction saw before). Beneath that lock the
money is still guarded in the database: a line's `refunded_count` never passes its `count`,
and the order's `refunded_amount` never passes what was paid (guarded UPDATEs; the loser of a
race that got past the lock some other way answers 409 / 53090).

The after-sales workflows (app/services/aftersale.py) call these; the refund settlement
(refunds.settle_refund) calls `settle_after_sale` for a refund that belongs to an after-sale.
"""

from decimal import Decimal

from sqlalchemy import select, update

from app.core.exceptions import AfterSaleStatusConflict, RefundExceedsPaid
from app.extensions import db
from app.models import (
    AfterSale,
    AfterSaleEvent,
    AfterSaleLine,
    Order,
    OrderProduct,
    Payment,
    Refund,
)
from app.models.aftersale import AS, OPEN, line_refund
from app.models.base import now, yuan_to_fen
from app.services.state_machine import Machine

# (from, to) -> actor types allowed to make the move.
TRANSITIONS: dict[tuple[int, int], frozenset[str]] = {
    (AS.PENDING, AS.REFUNDING): frozenset({"admin"}),  # refund only, approved
    (AS.PENDING, AS.APPROVED): frozenset({"admin"}),  # return, approved: goods come back
    (AS.PENDING, AS.REJECTED): frozenset({"admin"}),
    (AS.APPROVED, AS.REJECTED): frozenset({"admin"}),  # the goods never came
    (AS.SHIPPED, AS.REJECTED): frozenset({"admin"}),  # the goods that came are not the ones
    (AS.REFUND_FAILED, AS.REJECTED): frozenset({"admin"}),  # given up (nothing is reserved)
    (AS.PENDING, AS.CANCELLED): frozenset({"customer"}),
    (AS.APPROVED, AS.CANCELLED): frozenset({"customer"}),
    (AS.APPROVED, AS.SHIPPED): frozenset({"customer"}),
    (AS.APPROVED, AS.REFUNDING): frozenset({"admin"}),  # goods arrived without a tracking no
    (AS.SHIPPED, AS.REFUNDING): frozenset({"admin"}),  # goods arrived
    (AS.REFUND_FAILED, AS.REFUNDING): frozenset({"admin"}),  # retried
    (AS.REFUNDING, AS.REFUNDED): frozenset({"wechat", "admin", "system"}),
    (AS.REFUNDING, AS.REFUND_FAILED): frozenset({"wechat", "admin", "system"}),
}


def status_conflict(current: int | None, allowed, msg: str | None = None):
    """The 409 / 53060 of an action refused in status `current`, naming the statuses allowed."""
    allowed = sorted({int(status) for status in allowed})
    names = [AS(status).name for status in allowed]
    current_name = AS(current).name if current in AS._value2member_map_ else None
    if msg is None:
        msg = f"The after-sale is {current_name or 'gone'}; this action needs it " + " or ".join(
            names
        )
    return AfterSaleStatusConflict(
        msg,
        detail={
            "status": current,
            "status_name": current_name,
            "allowed_statuses": allowed,
            "allowed_status_names": names,
        },
    )


AFTER_SALES = Machine(
    AfterSale, "status", AfterSaleEvent, "after_sale_id", TRANSITIONS, status_conflict
)


def transition(
    after_sale_id: int,
    from_status: int,
    to_status: int,
    actor_type: str,
    actor_id: int | None = None,
    reason: str = "",
    **values,
) -> bool:
    """Move the after-sale if it is still in `from_status` (False when another request won),
    with its event; no commit."""
    return AFTER_SALES.move(
        after_sale_id, from_status, to_status, actor_type, actor_id, reason, **values
    )


def move(
    after_sale_id: int, from_status: int, to_status: int, actor_type: str, actor_id=None, **kw
):
    """`transition()` that raises 409 / 53060 when it changes nothing."""
    if not transition(after_sale_id, from_status, to_status, actor_type, actor_id, **kw):
        current = db.session.scalar(select(AfterSale.status).where(AfterSale.id == after_sale_id))
        db.session.rollback()
        raise status_conflict(current, [from_status])


# ---------------------------------------------------------------- locked reads


def lock_order(order_id: int) -> Order | None:
    """The order row, locked for the rest of the transaction (current values)."""
    return db.session.scalar(
        select(Order)
        .where(Order.id == order_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def locked_lines(order_id: int) -> list[OrderProduct]:
    return list(
        db.session.scalars(
            select(OrderProduct)
            .where(OrderProduct.order_id == order_id)
            .order_by(OrderProduct.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )


def locked_after_sale(after_sale_id: int) -> AfterSale | None:
    return db.session.scalar(
        select(AfterSale)
        .where(AfterSale.id == after_sale_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def completes_order(lines: list[OrderProduct], units: dict[int, int]) -> bool:
    """Whether giving back `units` (order_product_id -> count) leaves no unit of the order
    unrefunded: the refund that does carries the order's freight."""
    return all(line.refunded_count + units.get(line.id, 0) >= line.count for line in lines)


def freight_for(order: Order, lines: list[OrderProduct], units: dict[int, int]) -> Decimal:
    """The order's freight when these units end it fully refunded, else 0 (freight is
    refunded only with the whole order)."""
    if completes_order(lines, units):
        return Decimal(order.freight_amount or 0)
    return Decimal("0.00")


def line_amounts(lines: list[OrderProduct], units: dict[int, int]) -> dict[int, Decimal]:
    """What each line's units give back (order_product_id -> amount), see `line_refund`."""
    by_id = {line.id: line for line in lines}
    return {
        line_id: line_refund(
            by_id[line_id].pay_amount,
            by_id[line_id].count,
            by_id[line_id].refunded_count,
            by_id[line_id].refunded_amount,
            count,
        )
        for line_id, count in units.items()
    }


# ------------------------------------------------------------ starting a refund


def start_after_sale_refund(
    after_sale: AfterSale, from_status: int, actor_id: int, reason: str = "", **values
) -> Refund:
    """Move the after-sale to REFUNDING, reserve its money on its lines and order, and add its
    PROCESSING refund row (no commit). The caller holds the order lock (`lock_order`) and
    the after-sale row read after it.

    The freight is decided here, under the lock: it comes with this refund when this refund
    leaves no unit of the order unrefunded.
    """
    order = db.session.get(Order, after_sale.order_id)
    lines = locked_lines(order.id)
    units = {line.order_product_id: line.count for line in after_sale.lines}
    amounts = {line.order_product_id: Decimal(line.amount) for line in after_sale.lines}
    freight = freight_for(order, lines, units)
    goods = sum(amounts.values(), Decimal("0.00"))
    total = goods + freight
    payment = db.session.scalar(
        select(Payment).where(Payment.order_id == order.id).order_by(Payment.id).limit(1)
    )
    if payment is None or total <= 0:
        raise RefundExceedsPaid("The order has no payment to refund, or nothing to give back")
    move(
        after_sale.id,
        from_status,
        AS.REFUNDING,
        "admin",
        actor_id,
        reason=reason,
        amount=total,
        freight_amount=freight,
        handler_id=actor_id,
        **values,
    )
    for line_id in sorted(units):
        taken = db.session.execute(
            update(OrderProduct)
            .where(
                OrderProduct.id == line_id,
                OrderProduct.open_after_sale_id == after_sale.id,
                OrderProduct.refunded_count + units[line_id] <= OrderProduct.count,
                OrderProduct.refunded_amount + amounts[line_id] <= OrderProduct.pay_amount,
            )
            .values(
                refunded_count=OrderProduct.refunded_count + units[line_id],
                refunded_amount=OrderProduct.refunded_amount + amounts[line_id],
            )
            .execution_options(synchronize_session=False)
        )
        if taken.rowcount != 1:
            db.session.rollback()
            raise RefundExceedsPaid("A line would give back more units or money than it holds")
    _reserve_on_order(order.id, total)
    attempt = 1 + len(
        db.session.scalars(select(Refund.id).where(Refund.after_sale_id == after_sale.id)).all()
    )
    refund = Refund(
        order_id=order.id,
        payment_id=payment.id,
        after_sale_id=after_sale.id,
        out_refund_no=f"R{order.order_no}-A{after_sale.id}-{attempt}",
        amount=yuan_to_fen(total),
        status="PROCESSING",
        reason=(after_sale.reason or "")[:80],
        operator_id=actor_id,
    )
    db.session.add(refund)
    db.session.flush()
    return refund


def _reserve_on_order(order_id: int, amount: Decimal) -> None:
    """order.refunded_amount += amount, never above what was paid."""
    taken = db.session.execute(
        update(Order)
        .where(Order.id == order_id, Order.refunded_amount + amount <= Order.total_price)
        .values(refunded_amount=Order.refunded_amount + amount)
        .execution_options(synchronize_session=False)
    )
    if taken.rowcount != 1:
        db.session.rollback()
        raise RefundExceedsPaid()


def reserve_rest(order: Order) -> Decimal:
    """The full refund of an order: reserve what it has not given back yet (the order row is
    locked by the caller); answers that amount (0 when nothing is left)."""
    rest = Decimal(order.total_price) - Decimal(order.refunded_amount or 0)
    if rest > 0:
        _reserve_on_order(order.id, rest)
    return rest


def release_on_order(order_id: int, amount: Decimal) -> None:
    """A refund failed for good: what it reserved on the order is free again."""
    db.session.execute(
        update(Order)
        .where(Order.id == order_id, Order.refunded_amount >= amount)
        .values(refunded_amount=Order.refunded_amount - amount)
        .execution_options(synchronize_session=False)
    )


# ------------------------------------------------------------------ settling


def settle_after_sale(refund: Refund, status: str, actor_type: str, actor_id=None) -> None:
    """Apply a final refund state to its after-sale (the refund row was just moved from
    PROCESSING, so this runs once per refund): SUCCESS ends it REFUNDED and frees its lines;
    CLOSED or ABNORMAL makes it REFUND_FAILED and gives back what it reserved (its lines stay
    held, so staff can retry)."""
    after_sale_id = refund.after_sale_id
    if status == "SUCCESS":
        transition(
            after_sale_id,
            AS.REFUNDING,
            AS.REFUNDED,
            actor_type,
            actor_id,
            refund_time=refund.success_time or now(),
        )
        db.session.execute(
            update(OrderProduct)
            .where(OrderProduct.open_after_sale_id == after_sale_id)
            .values(open_after_sale_id=None)
            .execution_options(synchronize_session=False)
        )
        return
    transition(
        after_sale_id,
        AS.REFUNDING,
        AS.REFUND_FAILED,
        actor_type,
        actor_id,
        reason=f"refund {status}",
    )
    lines = db.session.execute(
        select(AfterSaleLine.order_product_id, AfterSaleLine.count, AfterSaleLine.amount).where(
            AfterSaleLine.after_sale_id == after_sale_id
        )
    ).all()
    for line_id, count, amount in sorted(lines):
        db.session.execute(
            update(OrderProduct)
            .where(OrderProduct.id == line_id, OrderProduct.refunded_count >= count)
            .values(
                refunded_count=OrderProduct.refunded_count - count,
                refunded_amount=OrderProduct.refunded_amount - amount,
            )
            .execution_options(synchronize_session=False)
        )
    release_on_order(refund.order_id, Decimal(refund.amount) / 100)


def settled_total(order_id: int) -> int:
    """Fen given back to the customer by the order's successful refunds (locking read)."""
    amounts = db.session.scalars(
        select(Refund.amount)
        .where(Refund.order_id == order_id, Refund.status == "SUCCESS")
        .with_for_update()
    ).all()
    return sum(amounts)


def open_after_sales(order_id: int) -> list[int]:
    """Ids of the order's open after-sales (locking read)."""
    return list(
        db.session.scalars(
            select(AfterSale.id)
            .where(AfterSale.order_id == order_id, AfterSale.status.in_(OPEN))
            .with_for_update()
        )
    )
