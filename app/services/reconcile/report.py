"""Reconciling one day: the trade bill against our payments and refunds, stored as a report.

Payments are matched by WeChat transaction id, then compared on order number and amount;
refunds by our refund number, then on amount. A row in the bill that we do not have (or, for a
refund, have not settled) is a lost notification: it is repaired as one, by asking WeChat about
the order (or refund) and applying the answer through the notify code. A row of ours dated that
day that the bill lacks is "missing at WeChat"; nothing repairs it, an operator looks.

The report replaces any earlier report of the same day, in one transaction with the day row
locked, so reruns (even concurrent ones) leave one complete report.
"""

import logging
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.core.db import retrying
from app.core.exceptions import APIException, ReconcileReportNotFound
from app.core.pagination import paginate
from app.extensions import db
from app.models import Order, Payment, Refund
from app.models.reconcile import (
    AMOUNT_MISMATCH,
    CATEGORIES,
    MATCHED,
    MISSING_LOCAL,
    MISSING_WECHAT,
    ORDER_MISMATCH,
    PAYMENT,
    REFUND,
    ReconcileDay,
    ReconcileItem,
)
from app.services import payment
from app.services.reconcile import bill as trade_bill

logger = logging.getLogger(__name__)
CHUNK = 500  # ids per IN (...) query


def day_window(day: date) -> tuple[int, int]:
    """[start, end) Unix seconds of a calendar day in the configured time zone."""
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    return int(start.timestamp()), int((start + timedelta(days=1)).timestamp())


def yesterday() -> date:
    zone = ZoneInfo(current_app.config["TIMEZONE"])
    return datetime.now(zone).date() - timedelta(days=1)


def _chunks(values: list) -> list[list]:
    return [values[i : i + CHUNK] for i in range(0, len(values), CHUNK)]


def _rows_where(model, column, values: list) -> list:
    found = []
    for part in _chunks(sorted(set(values))):
        found.extend(db.session.scalars(select(model).where(column.in_(part))))
    return found


# ------------------------------------------------------------------ comparing


def _item(category: str, kind: str, **values) -> ReconcileItem:
    values.setdefault("note", "")
    values["note"] = values["note"][:255]
    return ReconcileItem(category=category, kind=kind, **values)


def _compare_bill(kind: str, pairs, fields, missing_note: str, outcome) -> list[ReconcileItem]:
    """One item per bill row, paired with our row of it (None: we have none): the bill's
    `fields` and amount, our amount and order, and the category `outcome(row, ours)` says."""
    items = []
    for row, found in pairs:
        values = {name: getattr(row, name) for name in fields} | {"bill_amount": row.amount}
        if found is None:
            items.append(_item(MISSING_LOCAL, kind, note=missing_note, **values))
            continue
        values.update(local_amount=found.amount, order_id=found.order_id)
        category, note = outcome(row, found)
        items.append(_item(category, kind, note=note, **values))
    return items


def _compare_payments(rows, window) -> list[ReconcileItem]:
    local = {
        p.transaction_id: p
        for p in _rows_where(Payment, Payment.transaction_id, [row.transaction_id for row in rows])
    }
    start, end = window

    def outcome(row, found):
        if found.out_trade_no != row.out_trade_no:
            return ORDER_MISMATCH, f"recorded for order {found.out_trade_no}"
        return (AMOUNT_MISMATCH if found.amount != row.amount else MATCHED), ""

    items = _compare_bill(
        PAYMENT,
        [(row, local.get(row.transaction_id)) for row in rows],
        ("transaction_id", "out_trade_no"),
        "no payment recorded",
        outcome,
    )
    ours = db.session.scalars(
        select(Payment)
        .where(Payment.success_time >= start, Payment.success_time < end)
        .order_by(Payment.id)
    )
    for found in ours:
        if found.transaction_id not in local:
            items.append(
                _item(
                    MISSING_WECHAT,
                    PAYMENT,
                    transaction_id=found.transaction_id,
                    out_trade_no=found.out_trade_no,
                    local_amount=found.amount,
                    order_id=found.order_id,
                    note="not in the bill",
                )
            )
    return items


def _compare_refunds(rows, window) -> list[ReconcileItem]:
    local = {
        r.out_refund_no: r
        for r in _rows_where(Refund, Refund.out_refund_no, [row.out_refund_no for row in rows])
    }
    order_nos = dict(
        db.session.execute(
            select(Order.id, Order.order_no).where(
                Order.id.in_({r.order_id for r in local.values()} or {-1})
            )
        ).all()
    )
    start, end = window

    def outcome(row, found):
        if order_nos.get(found.order_id) != row.out_trade_no:
            return ORDER_MISMATCH, f"recorded for order {order_nos.get(found.order_id, '?')}"
        if found.amount != row.amount:
            return AMOUNT_MISMATCH, ""
        if row.refund_state == "SUCCESS" and found.status != "SUCCESS":
            return MISSING_LOCAL, f"refund is {found.status} here"
        return MATCHED, ""

    items = _compare_bill(
        REFUND,
        [(row, local.get(row.out_refund_no)) for row in rows],
        ("transaction_id", "out_trade_no", "out_refund_no", "refund_id"),
        "no refund recorded",
        outcome,
    )
    ours = db.session.execute(
        select(Refund, Order.order_no)
        .join(Order, Order.id == Refund.order_id)
        .where(
            Refund.status == "SUCCESS",
            Refund.success_time >= start,
            Refund.success_time < end,
        )
        .order_by(Refund.id)
    ).all()
    for found, order_no in ours:
        if found.out_refund_no not in local:
            items.append(
                _item(
                    MISSING_WECHAT,
                    REFUND,
                    out_trade_no=order_no,
                    out_refund_no=found.out_refund_no,
                    refund_id=found.refund_id or "",
                    local_amount=found.amount,
                    order_id=found.order_id,
                    note="not in the bill",
                )
            )
    return items


# ------------------------------------------------------------------ repairs


def _repair_payment(item: ReconcileItem) -> None:
    """Ask WeChat about the order and apply a successful answer as a lost notify would."""
    try:
        transaction = payment.query_transaction(item.out_trade_no)
    except payment.GatewayError as error:
        item.repair, item.note = "failed", f"query failed: {error}"[:255]
        return
    if transaction.get("trade_state") != "SUCCESS":
        item.repair = "not_paid"
        item.note = f"WeChat says {transaction.get('trade_state', '?')}"[:255]
        return
    if str(transaction.get("transaction_id") or "") != item.transaction_id:
        item.repair = "refused"
        item.note = "WeChat reports another transaction for this order"
        return
    try:
        outcome = payment.apply_payment(transaction, actor_type="system")
    except APIException as error:
        db.session.rollback()
        item.repair, item.note = "refused", error.msg[:255]
        return
    item.repair = outcome
    order = db.session.scalar(select(Order.id).where(Order.order_no == item.out_trade_no))
    item.order_id = order
    item.local_amount = int(transaction["amount"]["total"])


def _repair_refund(item: ReconcileItem) -> None:
    """Ask WeChat about a refund we hold unsettled and apply its final state."""
    if item.local_amount is None:
        item.repair = "unknown"  # made elsewhere (the merchant platform): nothing to apply
        return
    try:
        answer = payment.query_refund(item.out_refund_no)
    except payment.GatewayError as error:
        item.repair, item.note = "failed", f"query failed: {error}"[:255]
        return
    status = answer.get("status")
    if status not in payment.REFUND_FINAL:
        item.repair, item.note = "not_final", f"WeChat says {status}"[:255]
        return
    try:
        applied = payment.apply_refund_result(answer, status, actor_type="system")
    except APIException as error:
        db.session.rollback()
        item.repair, item.note = "refused", error.msg[:255]
        return
    item.repair = status.lower() if applied else "replay"


def _repair(items: list[ReconcileItem]) -> int:
    repaired = 0
    for item in items:
        if item.category != MISSING_LOCAL:
            continue
        if item.kind == PAYMENT:
            _repair_payment(item)
            repaired += item.repair in ("paid", "paid_but_out_of", "double_payment")
        else:
            _repair_refund(item)
            repaired += item.repair in ("success", "closed", "abnormal")
    return repaired


# ------------------------------------------------------------------ the report


def _store(day: date, bill, items: list[ReconcileItem], repaired: int) -> int:
    counts = {category: 0 for category in CATEGORIES}
    for item in items:
        counts[item.category] += 1
    values = {
        "bill_rows": len(bill.rows),
        "bill_order_total": bill.summary_fen(trade_bill.ORDER_AMOUNT_TOTAL),
        "bill_refund_total": bill.summary_fen(trade_bill.REFUND_APPLIED_TOTAL),
        "hash_value": bill.hash_value,
        "repaired": repaired,
        **counts,
    }

    def work() -> int:
        # A locking read of a missing row would take a gap lock, and concurrent first runs
        # would deadlock on their inserts; so look first, then insert or lock the row.
        day_id = db.session.scalar(select(ReconcileDay.id).where(ReconcileDay.bill_date == day))
        if day_id is None:
            report = ReconcileDay(bill_date=day, runs=0)
            db.session.add(report)
            db.session.flush()  # a concurrent first run inserted it: IntegrityError, run again
        else:
            report = db.session.scalar(
                select(ReconcileDay)
                .where(ReconcileDay.id == day_id)
                .with_for_update()
                .execution_options(populate_existing=True)
            )
            db.session.execute(delete(ReconcileItem).where(ReconcileItem.day_id == day_id))
        for name, value in values.items():
            setattr(report, name, value)
        report.runs += 1
        for item in items:
            db.session.add(
                ReconcileItem(
                    day_id=report.id,
                    **{column: getattr(item, column) for column in ITEM_COLUMNS},
                )
            )
        db.session.commit()
        return report.id

    for attempt in range(3):
        try:
            return retrying(work)
        except IntegrityError:
            db.session.rollback()
            logger.info("reconcile %s: a concurrent run created the day first", day)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


ITEM_COLUMNS = (
    "category",
    "kind",
    "transaction_id",
    "out_trade_no",
    "out_refund_no",
    "refund_id",
    "bill_amount",
    "local_amount",
    "order_id",
    "repair",
    "note",
)


def reconcile(day: date) -> ReconcileDay:
    """Fetch the day's bill, compare it, repair lost notifications, store the report."""
    payment.require_configured()
    bill = trade_bill.fetch(day.isoformat())
    window = day_window(day)
    payments = [row for row in bill.rows if row.trade_state == "SUCCESS"]
    refunds = [row for row in bill.rows if row.is_refund]
    items = _compare_payments(payments, window) + _compare_refunds(refunds, window)
    repaired = _repair(items)
    day_id = _store(day, bill, items, repaired)
    report = db.session.get(ReconcileDay, day_id)
    logger.info(
        "reconciled %s: %s rows, %s matched, %s problems, %s repaired",
        day,
        report.bill_rows,
        report.matched,
        report.problems,
        report.repaired,
    )
    return report


# ------------------------------------------------------------------ reading


def report_query(bill_date: date | None = None):
    statement = select(ReconcileDay).order_by(ReconcileDay.bill_date.desc(), ReconcileDay.id)
    if bill_date is not None:
        statement = statement.where(ReconcileDay.bill_date == bill_date)
    return statement


def reports_page(form, bill_date: date | None = None) -> dict:
    return paginate(report_query(bill_date), form)


def get_report(report_id: int) -> ReconcileDay:
    report = db.session.get(ReconcileDay, report_id)
    if report is None:
        raise ReconcileReportNotFound()
    return report


def items_page(report_id: int, form, category: str | None = None, kind: str | None = None):
    get_report(report_id)
    statement = (
        select(ReconcileItem).where(ReconcileItem.day_id == report_id).order_by(ReconcileItem.id)
    )
    if category:
        statement = statement.where(ReconcileItem.category == category)
    if kind:
        statement = statement.where(ReconcileItem.kind == kind)
    return paginate(statement, form)
