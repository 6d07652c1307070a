"""Reconciliation report shapes (admin): a day's counts, and its compared rows."""

from app import models
from app.models.base import fen_to_yuan
from app.schemas.base import ADMIN, Computed, Int, Money, Shape, Str


def _yuan(column: str):
    """An integer-fen column answered as money text ("12.50"), null when unset."""

    def get(obj):
        value = getattr(obj, column)
        return None if value is None else fen_to_yuan(value)

    return get


class AdminReconcileDay(Shape):
    """One day's report: what the trade bill held and how each row compared."""

    audience = ADMIN

    model = models.ReconcileDay
    answers = (
        "id bill_date bill_rows bill_order_total bill_refund_total hash_value matched",
        "missing_local missing_wechat amount_mismatch order_mismatch problems repaired runs",
        "create_time update_time",
    )
    bill_date = Computed(lambda day: day.bill_date.isoformat(), Str())
    bill_order_total = Computed(_yuan("bill_order_total"), Money())
    bill_refund_total = Computed(_yuan("bill_refund_total"), Money())
    problems = Int()


class AdminReconcileItem(Shape):
    """One compared row: a bill row, one of ours, or both; amounts as money text."""

    audience = ADMIN

    model = models.ReconcileItem
    answers = (
        "id category kind transaction_id out_trade_no out_refund_no refund_id bill_amount",
        "local_amount order_id repair note",
    )
    bill_amount = Computed(_yuan("bill_amount"), Money(allow_none=True))
    local_amount = Computed(_yuan("local_amount"), Money(allow_none=True))
