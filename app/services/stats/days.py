"""Days of the shop's time zone (config TIMEZONE), and the counters of days computed from the
raw order, refund and user rows.

Rows are grouped in SQL by quarter hour of their Unix time and the quarter hours are put on
their local day here: every time zone's offset is a whole number of quarter hours (daylight
saving time included), so no quarter hour straddles a local midnight, and the database needs no
time zone tables.
"""

from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import func, select

from app.extensions import db
from app.models import Order, OrderProduct, Refund, User
from app.models.base import Money, now, yuan_to_fen
from app.models.user import AUTH_USER

QUARTER_HOUR = 900
REFUND_SUCCESS = "SUCCESS"


def zone_name() -> str:
    return current_app.config["TIMEZONE"]


def zone() -> ZoneInfo:
    return ZoneInfo(zone_name())


def today() -> date:
    return local_day(now())


def local_day(ts: int) -> date:
    return datetime.fromtimestamp(ts, zone()).date()


def day_start(day: date) -> int:
    """Unix seconds of the local midnight that starts `day`."""
    return int(datetime(day.year, day.month, day.day, tzinfo=zone()).timestamp())


def window(first: date, last: date) -> tuple[int, int]:
    """[start, end) Unix seconds of the local days first..last."""
    return day_start(first), day_start(last + timedelta(days=1))


def each_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass
class Counters:
    """What a day (or a sum of days) counts; amounts in fen."""

    placed_orders: int = 0
    placed_paid: int = 0
    paid_orders: int = 0
    paid_amount: int = 0
    refunds: int = 0
    refunded_amount: int = 0
    new_customers: int = 0

    def __add__(self, other: "Counters") -> "Counters":
        return Counters(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(Counters)))

    def as_dict(self) -> dict:
        return {f.name: getattr(self, f.name) for f in fields(Counters)}


# The counters computed from raw rows: name -> (the time column that dates a row, the
# aggregates per counter, extra conditions).
PLACED = ("placed_orders", "placed_paid")
PAID = ("paid_orders", "paid_amount")
REFUNDS = ("refunds", "refunded_amount")
CUSTOMERS = ("new_customers",)
ALL = PLACED + PAID + REFUNDS + CUSTOMERS


def _queries(start: int, end: int) -> dict:
    def dated(column):
        return (column // QUARTER_HOUR), column >= start, column < end

    placed_bucket, *placed_range = dated(Order.create_time)
    paid_bucket, *paid_range = dated(Order.pay_time)
    refund_bucket, *refund_range = dated(Refund.success_time)
    user_bucket, *user_range = dated(User.create_time)
    return {
        PLACED: select(
            placed_bucket,
            func.count(Order.id),
            func.count(Order.pay_time),
        )
        .where(*placed_range)
        .group_by(placed_bucket),
        PAID: select(paid_bucket, func.count(Order.id), func.sum(Order.total_price))
        .where(*paid_range)
        .group_by(paid_bucket),
        REFUNDS: select(refund_bucket, func.count(Refund.id), func.sum(Refund.amount))
        .where(*refund_range, Refund.status == REFUND_SUCCESS)
        .group_by(refund_bucket),
        CUSTOMERS: select(user_bucket, func.count(User.id))
        .where(*user_range, User.auth == AUTH_USER, User.group_id.is_(None))
        .group_by(user_bucket),
    }


def count_days(first: date, last: date, groups=(PLACED, PAID, REFUNDS, CUSTOMERS)) -> dict:
    """{day: Counters} of the days first..last from the raw rows (only the counter `groups`
    asked; the others stay 0)."""
    start, end = window(first, last)
    counted = {day: Counters() for day in each_day(first, last)}
    queries = _queries(start, end)
    for group in groups:
        for bucket, *values in db.session.execute(queries[group]):
            day = counted[local_day(int(bucket) * QUARTER_HOUR)]
            for name, value in zip(group, values, strict=True):
                if name == "paid_amount":
                    value = yuan_to_fen(value)
                setattr(day, name, getattr(day, name) + int(value or 0))
    return counted


def count_product_days(first: date, last: date) -> dict:
    """{(day, product_id, sku_id or 0): [spec, units, fen]} of the lines of the orders paid
    on the days first..last, from the raw rows."""
    start, end = window(first, last)
    bucket = Order.pay_time // QUARTER_HOUR
    sku = func.coalesce(OrderProduct.sku_id, 0)
    rows = db.session.execute(
        select(
            bucket,
            OrderProduct.product_id,
            sku,
            func.max(OrderProduct.spec),
            func.sum(OrderProduct.count),
            func.sum(OrderProduct.price * OrderProduct.count, type_=Money()),
        )
        .join(Order, Order.id == OrderProduct.order_id)
        .where(Order.pay_time >= start, Order.pay_time < end)
        .group_by(bucket, OrderProduct.product_id, sku)
    )
    counted: dict = {}
    for quarter, product_id, sku_id, spec, units, amount in rows:
        key = (local_day(int(quarter) * QUARTER_HOUR), product_id, int(sku_id))
        row = counted.setdefault(key, ["", 0, 0])
        row[0] = max(row[0], spec or "")
        row[1] += int(units)
        row[2] += yuan_to_fen(amount)
    return counted
