"""Reconciliation report shapes (admin): a day's counts, and its compared rows."""

from app.models.base import fen_to_yuan
from app.schemas.base import ADMIN, Computed, Int, Money, Shape, Str, Time


def _yuan(column: str):
    """An integer-fen column answered as money text ("12.50"), null when unset."""

    def get(obj):
        value = getattr(obj, column)
        return None if value is None else fen_to_yuan(value)

    return get


class AdminReconcileDay(Shape):
    """One day's report: what the trade bill held and how each row compared."""

    audience = ADMIN

    id = Int()
    bill_date = Computed(lambda day: day.bill_date.isoformat(), Str())
    bill_rows = Int()
    bill_order_total = Computed(_yuan("bill_order_total"), Money())
    bill_refund_total = Computed(_yuan("bill_refund_total"), Money())
    hash_value = Str()
    matched = Int()
    missing_local = Int()
    missing_wechat = Int()
    amount_mismatch = Int()
    order_mismatch = Int()
    problems = Int()
    repaired = Int()
    runs = Int()
    create_time = Time()
    update_time = Time()


class AdminReconcileItem(Shape):
    """One compared row: a bill row, one of ours, or both; amounts as money text."""

    audience = ADMIN

    id = Int()
    category = Str()
    kind = Str()
    transaction_id = Str()
    out_trade_no = Str()
    out_refund_no = Str()
    refund_id = Str()
    bill_amount = Computed(_yuan("bill_amount"), Money(allow_none=True))
    local_amount = Computed(_yuan("local_amount"), Money(allow_none=True))
    order_id = Int(allow_none=True)
    repair = Str()
    note = Str()
