"""The daily rollup (stats_day, and stats_product_day per SKU sold): payments and refunds
counted as they happen, whole days recomputed by `rebuild` (`flask --app server stats rebuild`).

- `count_payment` runs in the transaction that moves an order to PAID (or PAID_BUT_OUT_OF),
  `count_refund` in the one that settles a refund as SUCCESS: the rollup changes with the rows
  it counts or not at all. A payment or refund is dated by its own time (pay_time,
  success_time), so a late notification or a refund of an old order lands on its day.
- `rebuild` recomputes days from the raw rows, a month per transaction: it deletes the month's
  rows first, so the increments of payments being recorded meanwhile wait for its commit and
  then apply on top (none is lost or counted twice). It marks a day `closed` once the day has
  ended: its placed orders and new customers (counted by the rebuild only) are then final.
"""

from datetime import date, timedelta

from sqlalchemy import delete, func, insert, select
from sqlalchemy.dialects import mysql, sqlite

from app.core.db import retrying
from app.extensions import db
from app.models import Order, OrderProduct, Refund, StatsDay, StatsProductDay, User
from app.models.base import now, yuan_to_fen
from app.services.stats.days import (
    Counters,
    count_days,
    count_product_days,
    day_start,
    each_day,
    local_day,
    today,
)

# A day is closed by a rebuild that starts this long after its end: an order placed at
# 23:59:59 whose transaction commits a little later is still counted.
CLOSE_AFTER = 300
CHUNK_DAYS = 31


def _upsert(model, keys: tuple, rows: list[dict], added: tuple, replaced: tuple) -> None:
    """Insert each row (its `keys` columns name it), or add its `added` columns to the row
    there and set its `replaced` ones, in the caller's transaction: one statement for all the
    rows (concurrent upserts of a row queue on its lock; callers send rows in key order)."""
    if db.session.get_bind().dialect.name == "sqlite":
        statement = sqlite.insert(model).values(rows)
        sent = statement.excluded

        def upsert(changes):
            return statement.on_conflict_do_update(index_elements=list(keys), set_=changes)
    else:
        statement = mysql.insert(model).values(rows)
        sent = statement.inserted
        upsert = statement.on_duplicate_key_update
    changes = {name: getattr(model, name) + sent[name] for name in added}
    changes.update({name: sent[name] for name in replaced})
    db.session.execute(upsert(changes))


def _bump(day: date, **deltas: int) -> None:
    """Add `deltas` to the day's row (created, not closed, when missing)."""
    added = {**Counters().as_dict(), **deltas}
    row = {"day": day, **added, "update_time": now()}
    _upsert(StatsDay, ("day",), [row], tuple(added), ("update_time",))


def _count_lines(order_id: int, day: date) -> None:
    lines = db.session.execute(
        select(
            OrderProduct.product_id,
            func.coalesce(OrderProduct.sku_id, 0),
            OrderProduct.spec,
            OrderProduct.count,
            OrderProduct.price,
        )
        .where(OrderProduct.order_id == order_id)
        .order_by(OrderProduct.product_id, OrderProduct.sku_id, OrderProduct.id)
    ).all()
    # One row per SKU (an order's lines of one SKU summed), in key order.
    rows: dict[tuple, dict] = {}
    for product_id, sku_id, spec, count, price in lines:
        row = rows.setdefault(
            (product_id, sku_id),
            {"day": day, "product_id": product_id, "sku_id": sku_id, "units": 0, "amount": 0},
        )
        row["units"] += count
        row["amount"] += yuan_to_fen(price) * count
        row["spec"] = spec
    if rows:
        keys = ("day", "product_id", "sku_id")
        _upsert(StatsProductDay, keys, list(rows.values()), ("units", "amount"), ("spec",))


def count_payment(order_id: int) -> None:
    """Count an order just paid: on its pay day (paid orders and amount, its lines per SKU) and
    on the day it was placed (placed orders paid since). Does not commit."""
    create_time, pay_time, total_price = db.session.execute(
        select(Order.create_time, Order.pay_time, Order.total_price).where(Order.id == order_id)
    ).one()
    placed_day, paid_day = local_day(create_time), local_day(pay_time)
    # Rows in day order, so two transactions never wait for each other's rows crosswise.
    bumps = sorted(
        [(placed_day, {"placed_paid": 1}), (paid_day, {"paid_orders": 1})],
        key=lambda bump: bump[0],
    )
    if placed_day == paid_day:
        bumps = [(paid_day, {"placed_paid": 1, "paid_orders": 1})]
    for day, deltas in bumps:
        if day == paid_day:
            deltas["paid_amount"] = yuan_to_fen(total_price)
        _bump(day, **deltas)
    _count_lines(order_id, paid_day)


def count_refund(refund_pk: int) -> None:
    """Count a refund just settled as SUCCESS on its success day. Does not commit."""
    amount, success_time = db.session.execute(
        select(Refund.amount, Refund.success_time).where(Refund.id == refund_pk)
    ).one()
    _bump(local_day(success_time), refunds=1, refunded_amount=amount)


def _rebuild_days(first: date, last: date) -> None:
    def work() -> None:
        # A new transaction: its snapshot must be taken after the delete has locked the days.
        db.session.commit()
        started = now()
        for model in (StatsDay, StatsProductDay):
            db.session.execute(delete(model).where(model.day >= first, model.day <= last))
        counted = count_days(first, last)
        rows = [
            {
                "day": day,
                **counted[day].as_dict(),
                "closed": day_start(day + timedelta(days=1)) + CLOSE_AFTER <= started,
                "update_time": started,
            }
            for day in each_day(first, last)
        ]
        db.session.execute(insert(StatsDay), rows)
        sold = [
            {
                "day": day,
                "product_id": product_id,
                "sku_id": sku_id,
                "spec": spec,
                "units": units,
                "amount": amount,
            }
            for (day, product_id, sku_id), (spec, units, amount) in sorted(
                count_product_days(first, last).items()
            )
        ]
        for start in range(0, len(sold), 1000):
            db.session.execute(insert(StatsProductDay), sold[start : start + 1000])
        db.session.commit()

    retrying(work)


def default_range() -> tuple[date, date]:
    """From the first day not closed yet (or yesterday when all are) to today; on an empty
    rollup, from the day of the first order or customer."""
    db.session.commit()  # what follows reads fresh rows
    last = today()
    if db.session.scalar(select(func.count()).select_from(StatsDay)) == 0:
        firsts = [
            db.session.scalar(select(func.min(Order.create_time))),
            db.session.scalar(
                select(func.min(User.create_time)).execution_options(include_deleted=True)
            ),
        ]
        firsts = [local_day(ts) for ts in firsts if ts is not None]
        return (min(firsts) if firsts else last), last
    first_open = db.session.scalar(select(func.min(StatsDay.day)).where(StatsDay.closed.is_(False)))
    yesterday = last - timedelta(days=1)
    return (min(first_open, yesterday) if first_open else yesterday), last


def rebuild(first: date | None = None, last: date | None = None) -> tuple[date, date, int]:
    """Recompute the rollup rows of first..last (by default `default_range()`); answers the
    range and the number of days written."""
    default_first, default_last = default_range()
    last = last or default_last
    first = first or min(default_first, last)
    if first > last:
        return first, last, 0
    chunk = first
    while chunk <= last:
        chunk_last = min(chunk + timedelta(days=CHUNK_DAYS - 1), last)
        _rebuild_days(chunk, chunk_last)
        chunk = chunk_last + timedelta(days=1)
    return first, last, (last - first).days + 1
