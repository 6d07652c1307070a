"""The daily stats rollup: rebuild ranges and closed days, counting on payment and refund, the
`stats rebuild` command, and rebuilds racing payments (MariaDB)."""

from datetime import date, timedelta
from types import SimpleNamespace

from sqlalchemy import select

from app.extensions import db
from app.models import Order, StatsDay
from app.models.base import now
from app.services import orders as order_service
from app.services import stats
from app.services.stats import days as stats_days
from app.services.stats.reading import day_counts
from tests.api.v2.test_stats import direct_days, local, midnight, raw_order, raw_refund
from tests.factories import make_product, make_user, pay_order
from tests.helpers import errors_of, needs_mariadb, run_parallel


def rollup(first: date, last: date) -> dict:
    rows = db.session.scalars(select(StatsDay).where(StatsDay.day.between(first, last)))
    return {row.day: row for row in rows}


def pay(order, success_time: int) -> str:
    return pay_order(order, success_time=success_time, transaction_id=f"TX-{order.id}")


def test_rebuild_closes_the_days_that_ended_and_not_today(app):
    sku = make_product(price="5.00").skus[0]
    buyer = make_user()
    stamp = now()
    raw_order(buyer, [(sku, 2)], create_time=stamp - 3 * 86400, pay_time=stamp - 3 * 86400)
    today = local(app, stamp)
    assert stats.rebuild() == (today - timedelta(days=3), today, 4)
    rows = rollup(today - timedelta(days=3), today)
    assert rows[today].closed is False
    for day, row in rows.items():
        if day < today:
            assert row.closed is (midnight(app, day + timedelta(days=1)) + 300 <= stamp)
    paid_day = rows[local(app, stamp - 3 * 86400)]
    assert (paid_day.paid_orders, paid_day.paid_amount, paid_day.placed_orders) == (1, 1000, 1)
    # Next time it starts from the first day still open (today), or yesterday.
    assert stats.default_range() == (today - timedelta(days=1), today)


def test_default_range_of_an_empty_rollup_starts_with_the_first_order(app):
    buyer = make_user()
    stamp = now()
    raw_order(buyer, [(make_product().skus[0], 1)], create_time=stamp - 40 * 86400)
    assert stats.default_range() == (local(app, stamp - 40 * 86400), local(app, stamp))


def test_a_late_payment_and_refund_count_on_their_day_of_a_closed_rollup(app):
    sku = make_product(price="8.00").skus[0]
    buyer = make_user()
    stamp = now()
    today = local(app, stamp)
    ten_days_ago = midnight(app, today - timedelta(days=10))
    order = raw_order(buyer, [(sku, 1)], create_time=ten_days_ago + 100)
    old = raw_order(buyer, [(sku, 3)], create_time=ten_days_ago, pay_time=ten_days_ago + 5)
    stats.rebuild(today - timedelta(days=20), today)

    assert pay(order, ten_days_ago + 200) == "paid"  # a notify that comes ten days late
    refund = order_service.start_refund(old, make_user(auth=2).id, "late")
    order_service.settle_refund(
        refund.id, "SUCCESS", actor_type="system", success_time=ten_days_ago + 300
    )
    db.session.expire_all()
    row = rollup(today - timedelta(days=10), today - timedelta(days=10))[today - timedelta(days=10)]
    assert row.closed is True
    assert (row.placed_orders, row.placed_paid, row.paid_orders, row.paid_amount) == (2, 2, 2, 3200)
    assert (row.refunds, row.refunded_amount) == (1, 2400)
    # A double payment, a replay and a failed refund count nothing.
    assert pay(order, ten_days_ago + 200) == "replay"
    counted = day_counts(today - timedelta(days=10), today - timedelta(days=10))
    assert (
        counted[today - timedelta(days=10)].as_dict()
        == direct_days(app, today - timedelta(days=10), today - timedelta(days=10))[
            today - timedelta(days=10)
        ]
    )


def test_stats_rebuild_command_recomputes_the_days_asked(app):
    sku = make_product(price="2.50").skus[0]
    buyer = make_user()
    day = date(2026, 3, 8)
    order = raw_order(
        buyer, [(sku, 4)], create_time=midnight(app, day) + 10, pay_time=midnight(app, day) + 60
    )
    raw_refund(order, amount=150, status="SUCCESS", success_time=midnight(app, day) + 90)
    db.session.add(StatsDay(day=day, paid_orders=7, paid_amount=1, closed=True, update_time=0))
    db.session.commit()

    result = app.test_cli_runner().invoke(
        args=["stats", "rebuild", "--from", "2026-03-01", "--to", "2026-03-31"]
    )
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "2026-03-01..2026-03-31 days=31"
    db.session.expire_all()
    rows = rollup(date(2026, 3, 1), date(2026, 3, 31))
    assert len(rows) == 31 and all(row.closed for row in rows.values())
    row = rows[day]
    assert (row.placed_orders, row.paid_orders, row.paid_amount) == (1, 1, 1000)
    assert (row.refunds, row.refunded_amount) == (1, 150)
    assert rows[date(2026, 3, 9)].paid_orders == 0
    bad = app.test_cli_runner().invoke(args=["stats", "rebuild", "--from", "2026-3"])
    assert bad.exit_code != 0


def test_days_are_the_shop_time_zone(app, monkeypatch):
    monkeypatch.setitem(app.config, "TIMEZONE", "Asia/Shanghai")
    assert stats_days.local_day(1767196800) == date(2026, 1, 1)  # 2026-01-01 00:00 +08:00
    assert stats_days.local_day(1767196799) == date(2025, 12, 31)
    assert stats_days.window(date(2026, 1, 1), date(2026, 1, 1)) == (1767196800, 1767283200)


@needs_mariadb
def test_rebuilds_racing_payments_lose_and_double_nothing(app):
    sku = make_product(price="3.00", stock=1000).skus[0]
    buyer = make_user()
    stamp = now()
    today = local(app, stamp)
    base = midnight(app, today - timedelta(days=5))
    unpaid = [raw_order(buyer, [(sku, n % 3 + 1)], create_time=base + n * 3000) for n in range(12)]
    stats.rebuild(today - timedelta(days=6), today)
    # Plain copies: the threads must not touch this session's rows.
    unpaid = [
        SimpleNamespace(
            id=o.id,
            user_id=o.user_id,
            order_no=o.order_no,
            total_price=o.total_price,
            create_time=o.create_time,
        )
        for o in unpaid
    ]
    jobs = [lambda order=order: pay(order, order.create_time + 60) for order in unpaid]
    jobs += [lambda: stats.rebuild(today - timedelta(days=6), today)] * 2
    assert errors_of(run_parallel(app, jobs)) == []
    db.session.rollback()  # a fresh snapshot of what the threads committed
    assert db.session.query(Order).filter(Order.pay_time.isnot(None)).count() == 12
    counted = day_counts(today - timedelta(days=6), today)
    expected = direct_days(app, today - timedelta(days=6), today)
    assert {day: c.as_dict() for day, c in counted.items()} == expected
