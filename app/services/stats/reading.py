"""What the dashboard reads: the overview, a metric's trend, the best sellers.

Days come from the rollup (stats_day); for days it has not closed yet (today, or any day no
rebuild has covered since it ended) the placed orders and new customers are counted from the
raw rows, which the indexes on order.create_time and user.create_time keep small.
"""

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from app.core.exceptions import StatsRangeInvalid
from app.extensions import db
from app.models import AfterSale, Order, OrderStatus, Product, Sku, StatsDay, StatsProductDay
from app.models.aftersale import OPEN as AFTER_SALE_OPEN
from app.models.base import fen_to_yuan
from app.models.stats import COUNTERS
from app.services import sku as sku_service
from app.services.stats.days import (
    CUSTOMERS,
    PLACED,
    Counters,
    count_days,
    each_day,
    today,
    zone_name,
)

GRANULARITIES = ("day", "week", "month")
# The longest range (in days, both ends included) a trend answers, per granularity.
MAX_DAYS = {"day": 366, "week": 731, "month": 1096}
# metric -> (the counter answered as `count`, the amount answered as `amount`, or None)
METRICS = {
    "gmv": ("paid_orders", "paid_amount"),
    "orders": ("placed_orders", None),
    "customers": ("new_customers", None),
    "refunds": ("refunds", "refunded_amount"),
}
TOP_BY = ("sales", "gmv")
TOP_MAX_DAYS = 90
TOP_MAX_LIMIT = 50


def day_counts(first: date, last: date) -> dict[date, Counters]:
    """{day: Counters} of first..last: the rollup, with the days not closed counted live.

    Days before the rollup's first row count as empty: the first rebuild starts with the day
    of the first order or customer, so nothing happened before it.
    """
    counted = {day: Counters() for day in each_day(first, last)}
    floor = db.session.scalar(select(func.min(StatsDay.day)))
    still_open = {day for day in counted if floor is None or day >= floor}
    columns = [getattr(StatsDay, name) for name in COUNTERS]
    rows = db.session.execute(
        select(StatsDay.day, StatsDay.closed, *columns).where(
            StatsDay.day >= first, StatsDay.day <= last
        )
    )
    for day, closed, *values in rows:
        counted[day] = Counters(**dict(zip(COUNTERS, values, strict=True)))
        if closed:
            still_open.discard(day)
    if still_open:
        live = count_days(min(still_open), max(still_open), groups=(PLACED, CUSTOMERS))
        for day in still_open:
            for name in PLACED + CUSTOMERS:
                setattr(counted[day], name, getattr(live[day], name))
    return counted


def _sum(counted: dict, first: date, last: date) -> Counters:
    total = Counters()
    for day in each_day(first, last):
        total += counted[day]
    return total


@dataclass
class Period:
    """A period's figures as answered: amounts in yuan, ratios as text."""

    start_date: str
    end_date: str
    paid_amount: Decimal
    paid_orders: int
    average_order_value: Decimal | None
    refunded_amount: Decimal
    refunds: int
    new_customers: int
    placed_orders: int
    placed_paid: int
    conversion_rate: str | None


def period(first: date, last: date, total: Counters) -> Period:
    average = None
    if total.paid_orders:
        average = (Decimal(total.paid_amount) / 100 / total.paid_orders).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    rate = None
    if total.placed_orders:
        rate = str(
            (Decimal(total.placed_paid) / total.placed_orders).quantize(
                Decimal("0.0001"), rounding=ROUND_HALF_UP
            )
        )
    return Period(
        start_date=first.isoformat(),
        end_date=last.isoformat(),
        paid_amount=fen_to_yuan(total.paid_amount),
        paid_orders=total.paid_orders,
        average_order_value=average,
        refunded_amount=fen_to_yuan(total.refunded_amount),
        refunds=total.refunds,
        new_customers=total.new_customers,
        placed_orders=total.placed_orders,
        placed_paid=total.placed_paid,
        conversion_rate=rate,
    )


def overview(low_stock_threshold: int) -> dict:
    """Today, yesterday, the last 7 and 30 days (ending today), and what waits on the shop."""
    last = today()
    counted = day_counts(last - timedelta(days=29), last)
    ranges = {
        "today": (last, last),
        "yesterday": (last - timedelta(days=1), last - timedelta(days=1)),
        "last_7_days": (last - timedelta(days=6), last),
        "last_30_days": (last - timedelta(days=29), last),
    }
    awaiting = db.session.scalar(
        select(func.count(Order.id)).where(Order.order_status == OrderStatus.PAID)
    )
    low_stock = db.session.scalar(
        sku_service.low_stock(select(func.count(Sku.id)), low_stock_threshold)
    )
    return {
        "timezone": zone_name(),
        "today": last.isoformat(),
        "periods": {
            name: period(first, end, _sum(counted, first, end))
            for name, (first, end) in ranges.items()
        },
        "awaiting_delivery": awaiting,
        "low_stock_skus": low_stock,
        "low_stock_threshold": low_stock_threshold,
        "open_aftersales": open_aftersales(),
    }


def open_aftersales() -> int:
    """After-sales still waiting for the shop or the customer: pending, approved (goods on the
    way back), shipped, refunding, or refund failed (to retry)."""
    return db.session.scalar(
        select(func.count()).select_from(AfterSale).where(AfterSale.status.in_(AFTER_SALE_OPEN))
    )


# ------------------------------------------------------------------------------ trend


def bucket_of(day: date, granularity: str) -> date:
    """The first day of the bucket holding `day`: itself, its ISO week's Monday, its month's 1st."""
    if granularity == "week":
        return day - timedelta(days=day.weekday())
    if granularity == "month":
        return day.replace(day=1)
    return day


def default_from(last: date, granularity: str) -> date:
    """30 days, 12 weeks or 12 months ending with `last` (whole buckets)."""
    if granularity == "week":
        return bucket_of(last, "week") - timedelta(weeks=11)
    if granularity == "month":
        month = last.year * 12 + last.month - 1 - 11
        return date(month // 12, month % 12 + 1, 1)
    return last - timedelta(days=29)


@dataclass
class Point:
    date: str
    start_date: str
    end_date: str
    count: int = 0
    amount: Decimal | None = None


@dataclass
class Trend:
    metric: str
    granularity: str
    start_date: str
    end_date: str
    timezone: str
    points: list = field(default_factory=list)
    count: int = 0
    amount: Decimal | None = None


def check_range(first: date, last: date, granularity: str) -> None:
    if first > last:
        raise StatsRangeInvalid(
            "from is after to", detail={"from": first.isoformat(), "to": last.isoformat()}
        )
    days = (last - first).days + 1
    if days > MAX_DAYS[granularity]:
        raise StatsRangeInvalid(
            f"The range holds {days} days; granularity {granularity} allows at most "
            f"{MAX_DAYS[granularity]}",
            detail={"days": days, "max_days": MAX_DAYS[granularity], "granularity": granularity},
        )


def trend(metric: str, granularity: str, first: date | None, last: date | None) -> Trend:
    """The metric per bucket of first..last, every bucket present (zero when nothing
    happened); the first and last buckets may be partial (their start/end dates say so)."""
    last = last or today()
    first = first or default_from(last, granularity)
    check_range(first, last, granularity)
    count_name, amount_name = METRICS[metric]
    counted = day_counts(first, last)
    points: dict[date, Point] = {}
    fen = 0
    for day in each_day(first, last):
        key = bucket_of(day, granularity)
        point = points.get(key)
        if point is None:
            point = points[key] = Point(key.isoformat(), day.isoformat(), day.isoformat())
            point.amount = 0 if amount_name else None
        point.end_date = day.isoformat()
        point.count += getattr(counted[day], count_name)
        if amount_name:
            point.amount += getattr(counted[day], amount_name)
    answer = Trend(metric, granularity, first.isoformat(), last.isoformat(), zone_name())
    for point in points.values():
        answer.count += point.count
        if amount_name:
            fen += point.amount
            point.amount = fen_to_yuan(point.amount)
        answer.points.append(point)
    answer.amount = fen_to_yuan(fen) if amount_name else None
    return answer


# -------------------------------------------------------------------------- top sellers


def top_products(by: str, days: int, limit: int) -> dict:
    """The `limit` products sold most (units, or paid amount) in the orders paid in the last
    `days` days (today included), each with its SKUs in the same order."""
    last = today()
    first = last - timedelta(days=days - 1)
    rows = db.session.execute(
        select(
            StatsProductDay.product_id,
            StatsProductDay.sku_id,
            func.max(StatsProductDay.spec),
            func.sum(StatsProductDay.units),
            func.sum(StatsProductDay.amount),
        )
        .where(StatsProductDay.day >= first, StatsProductDay.day <= last)
        .group_by(StatsProductDay.product_id, StatsProductDay.sku_id)
    ).all()
    products: dict[int, dict] = {}
    for product_id, sku_id, spec, units, fen in rows:
        product = products.setdefault(
            product_id, {"product_id": product_id, "name": "", "units": 0, "fen": 0, "skus": []}
        )
        product["units"] += int(units)
        product["fen"] += int(fen)
        product["skus"].append(
            {"sku_id": sku_id or None, "spec": spec, "units": int(units), "fen": int(fen)}
        )

    def rank(row: dict) -> tuple:
        first_key, second_key = ("units", "fen") if by == "sales" else ("fen", "units")
        return (-row[first_key], -row[second_key])

    ranked = sorted(products.values(), key=lambda row: (*rank(row), row["product_id"]))[:limit]
    names = dict(
        db.session.execute(
            select(Product.id, Product.name)
            .where(Product.id.in_([row["product_id"] for row in ranked]))
            .execution_options(include_deleted=True)
        ).all()
    )
    for row in ranked:
        row["name"] = names.get(row["product_id"], "")
        row["amount"] = fen_to_yuan(row["fen"])
        for sku in row["skus"]:
            sku["amount"] = fen_to_yuan(sku["fen"])
        row["skus"].sort(key=lambda sku: (*rank(sku), sku["sku_id"] is None, sku["sku_id"] or 0))
    return {
        "timezone": zone_name(),
        "by": by,
        "days": days,
        "start_date": first.isoformat(),
        "end_date": last.isoformat(),
        "items": ranked,
    }
