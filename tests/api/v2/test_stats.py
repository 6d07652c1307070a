"""GET /v2/stats/overview, /v2/stats/trend and /v2/stats/products/top.

The randomised tests build orders, payments, refunds and customers straight in the tables
(many near local midnight, some paid after it), rebuild the rollup, and compare every number
the routes answer with a computation over the raw rows written here, in Python, with zoneinfo;
then payments and refunds go through the services (counted by the rollup as they happen) and
the comparison is repeated, before and after another rebuild.
"""

import random
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Order, OrderProduct, Payment, Refund, Sku, User
from app.models.base import now, yuan_to_fen
from app.services import orders as order_service
from app.services import stats
from app.services.stats import days as stats_days
from tests.factories import (
    auth_headers,
    make_group,
    make_order,
    make_product,
    make_sku_product,
    make_staff,
    make_user,
    pay_order,
)

READ = ("统计", "查看统计")
STATUSES_PAID = (2, 3, 4, 6, 9)


@pytest.fixture
def reader():
    return auth_headers(make_staff(READ))


@pytest.fixture
def clock(monkeypatch):
    """Freeze the stats' "now" (a run across local midnight keeps one today)."""
    frozen = now()
    monkeypatch.setattr(stats_days, "now", lambda: frozen)
    return frozen


def zone(app) -> ZoneInfo:
    return ZoneInfo(app.config["TIMEZONE"])


def local(app, ts: int) -> date:
    return datetime.fromtimestamp(ts, zone(app)).date()


def midnight(app, day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=zone(app)).timestamp())


def money(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f}"


# ------------------------------------------------------------------ random raw rows

_numbers = iter(range(1, 10**6))


def raw_order(user, lines, *, create_time, pay_time=None, status=None) -> Order:
    """An order row with its lines (and its payment when paid), written straight to the tables."""
    total = sum(Decimal(sku.price) * count for sku, count in lines)
    number = next(_numbers)
    order = Order(
        order_no=f"S{number:012d}",
        user_id=user.id,
        order_status=status or (2 if pay_time else 1),
        snap_name="snap",
        snap_items=[],
        snap_address={},
        total_count=sum(count for _, count in lines),
        total_price=total,
        goods_amount=total,
        expire_time=create_time + 1800,
        pay_time=pay_time,
        create_time=create_time,
        update_time=create_time,
    )
    db.session.add(order)
    db.session.flush()
    for sku, count in lines:
        db.session.add(
            OrderProduct(
                order_id=order.id,
                product_id=sku.product_id,
                sku_id=sku.id,
                spec=sku.spec_text,
                count=count,
                price=sku.price,
                pay_amount=sku.price * count,
            )
        )
    if pay_time:
        db.session.add(
            Payment(
                order_id=order.id,
                user_id=user.id,
                transaction_id=f"T{number}",
                out_trade_no=order.order_no,
                amount=yuan_to_fen(total),
                trade_state="SUCCESS",
                success_time=pay_time,
                raw={},
            )
        )
    db.session.commit()
    return order


def raw_refund(order, *, amount, status, success_time=None) -> Refund:
    payment = db.session.scalar(select(Payment).where(Payment.order_id == order.id))
    refund = Refund(
        order_id=order.id,
        payment_id=payment.id,
        out_refund_no=f"R{next(_numbers)}",
        amount=amount,
        status=status,
        success_time=success_time if status == "SUCCESS" else None,
    )
    db.session.add(refund)
    db.session.commit()
    return refund


def near_midnight(app, rng, day: date) -> int:
    """A time of `day`: anywhere, or within two minutes of either of its midnights."""
    start, end = midnight(app, day), midnight(app, day + timedelta(days=1))
    return rng.choice(
        [
            rng.randrange(start, end),
            start,
            end - 1,
            rng.randrange(start, start + 120),
            rng.randrange(end - 120, end),
        ]
    )


def random_shop(app, rng, today_ts: int, days: int = 75) -> list:
    """Customers, staff, orders (paid or not) and refunds over the last `days` days."""
    today = local(app, today_ts)
    first = today - timedelta(days=days)

    def some_day():
        return first + timedelta(days=rng.randrange(days + 1))

    def at(day):
        return min(near_midnight(app, rng, day), today_ts)

    customers = []
    for _ in range(14):
        user = make_user()
        user.create_time = user.update_time = at(some_day())
        customers.append(user)
    gone = make_user()
    gone.create_time, gone.delete_time = at(today), today_ts
    staff = make_user(group=make_group())
    staff.create_time = at(today)
    db.session.commit()

    skus = [sku for product in (make_product(), make_product(price="0.01")) for sku in product.skus]
    skus += list(make_sku_product().skus)
    unpaid = []
    for _ in range(90):
        create_time = at(some_day())
        lines = [(sku, rng.randint(1, 4)) for sku in rng.sample(skus, rng.randint(1, 3))]
        if rng.random() < 0.35:
            unpaid.append(raw_order(rng.choice(customers), lines, create_time=create_time))
            continue
        pay_time = min(create_time + rng.choice([5, 90, 600, 7200]), today_ts)
        order = raw_order(
            rng.choice(customers),
            lines,
            create_time=create_time,
            pay_time=pay_time,
            status=rng.choice(STATUSES_PAID),
        )
        total = yuan_to_fen(order.total_price)
        for _ in range(rng.choice([0, 0, 0, 1, 2])):
            raw_refund(
                order,
                amount=rng.randint(1, total),
                status=rng.choice(["SUCCESS", "SUCCESS", "PROCESSING", "CLOSED"]),
                success_time=min(pay_time + rng.randrange(0, 12 * 86400), today_ts),
            )
    return unpaid


# -------------------------------------------------------------- direct computation


def direct_days(app, first: date, last: date) -> dict:
    """{day: {counter: value}} of first..last from every raw row."""
    counted = {
        first + timedelta(days=n): dict.fromkeys(
            (
                "placed_orders",
                "placed_paid",
                "paid_orders",
                "paid_amount",
                "refunds",
                "refunded_amount",
                "new_customers",
            ),
            0,
        )
        for n in range((last - first).days + 1)
    }

    def add(ts, name, value=1):
        day = local(app, ts)
        if day in counted:
            counted[day][name] += value

    for order in db.session.scalars(select(Order)):
        add(order.create_time, "placed_orders")
        if order.pay_time is not None:
            add(order.create_time, "placed_paid")
            add(order.pay_time, "paid_orders")
            add(order.pay_time, "paid_amount", yuan_to_fen(order.total_price))
    for refund in db.session.scalars(select(Refund).where(Refund.status == "SUCCESS")):
        add(refund.success_time, "refunds")
        add(refund.success_time, "refunded_amount", refund.amount)
    for user in db.session.scalars(select(User)):  # deleted users are left out by the ORM
        if user.auth == 1 and user.group_id is None:
            add(user.create_time, "new_customers")
    return counted


def expected_period(counted: dict, first: date, last: date) -> dict:
    total = {name: 0 for name in next(iter(counted.values()))}
    day = first
    while day <= last:
        for name, value in counted[day].items():
            total[name] += value
        day += timedelta(days=1)
    average = None
    if total["paid_orders"]:
        average = str(
            (Decimal(total["paid_amount"]) / 100 / total["paid_orders"]).quantize(
                Decimal("0.01"), ROUND_HALF_UP
            )
        )
    rate = None
    if total["placed_orders"]:
        rate = str(
            (Decimal(total["placed_paid"]) / total["placed_orders"]).quantize(
                Decimal("0.0001"), ROUND_HALF_UP
            )
        )
    return {
        "start_date": first.isoformat(),
        "end_date": last.isoformat(),
        "paid_amount": money(total["paid_amount"]),
        "paid_orders": total["paid_orders"],
        "average_order_value": average,
        "refunded_amount": money(total["refunded_amount"]),
        "refunds": total["refunds"],
        "new_customers": total["new_customers"],
        "placed_orders": total["placed_orders"],
        "placed_paid": total["placed_paid"],
        "conversion_rate": rate,
    }


def expected_trend(app, metric, granularity, first, last) -> list:
    count_name, amount_name = {
        "gmv": ("paid_orders", "paid_amount"),
        "orders": ("placed_orders", None),
        "customers": ("new_customers", None),
        "refunds": ("refunds", "refunded_amount"),
    }[metric]
    counted = direct_days(app, first, last)
    points = []
    for day in sorted(counted):
        if granularity == "day":
            key = day
        elif granularity == "week":
            key = day - timedelta(days=day.isoweekday() - 1)
        else:
            key = date(day.year, day.month, 1)
        if not points or points[-1]["date"] != key.isoformat():
            points.append(
                {
                    "date": key.isoformat(),
                    "start_date": day.isoformat(),
                    "end_date": day.isoformat(),
                    "count": 0,
                    "amount": 0 if amount_name else None,
                }
            )
        point = points[-1]
        point["end_date"] = day.isoformat()
        point["count"] += counted[day][count_name]
        if amount_name:
            point["amount"] += counted[day][amount_name]
    for point in points:
        if amount_name:
            point["amount"] = money(point["amount"])
    return points


def expected_top(app, today: date, by: str, days: int, limit: int) -> list:
    start = midnight(app, today - timedelta(days=days - 1))
    end = midnight(app, today + timedelta(days=1))
    products: dict = {}
    lines = db.session.execute(
        select(OrderProduct, Order.pay_time).join(Order, Order.id == OrderProduct.order_id)
    ).all()
    for line, pay_time in lines:
        if pay_time is None or not start <= pay_time < end:
            continue
        product = products.setdefault(line.product_id, {"units": 0, "fen": 0, "skus": {}})
        sku = product["skus"].setdefault(line.sku_id, {"units": 0, "fen": 0, "spec": line.spec})
        for row in (product, sku):
            row["units"] += line.count
            row["fen"] += yuan_to_fen(line.price) * line.count

    def key(row):
        return (-row["units"], -row["fen"]) if by == "sales" else (-row["fen"], -row["units"])

    ranked = sorted(products.items(), key=lambda item: (*key(item[1]), item[0]))[:limit]
    names = {sku.product_id: sku.product.name for sku in db.session.scalars(select(Sku))}
    return [
        {
            "product_id": product_id,
            "name": names[product_id],
            "units": row["units"],
            "amount": money(row["fen"]),
            "skus": [
                {
                    "sku_id": sku_id,
                    "spec": sku["spec"],
                    "units": sku["units"],
                    "amount": money(sku["fen"]),
                }
                for sku_id, sku in sorted(row["skus"].items(), key=lambda s: (*key(s[1]), s[0]))
            ],
        }
        for product_id, row in ranked
    ]


def check_everything(app, client, headers, today_ts: int, rng) -> None:
    """Every number of the three routes against the direct computation."""
    today = local(app, today_ts)
    body = client.get("/v2/stats/overview", headers=headers).get_json()
    assert body["error_code"] == 0, body
    data = body["data"]
    assert data["today"] == today.isoformat()
    assert data["timezone"] == app.config["TIMEZONE"]
    counted = direct_days(app, today - timedelta(days=29), today)
    ranges = {
        "today": (today, today),
        "yesterday": (today - timedelta(days=1), today - timedelta(days=1)),
        "last_7_days": (today - timedelta(days=6), today),
        "last_30_days": (today - timedelta(days=29), today),
    }
    for name, (first, last) in ranges.items():
        assert data["periods"][name] == expected_period(counted, first, last), name
    assert data["awaiting_delivery"] == db.session.query(Order).filter_by(order_status=2).count()

    cases = [("day", today - timedelta(days=rng.randrange(0, 80)), today)]
    cases.append(("day", today - timedelta(days=rng.randrange(40, 80)), today - timedelta(days=30)))
    cases.append(("week", today - timedelta(days=rng.randrange(60, 200)), today))
    cases.append(("month", today - timedelta(days=rng.randrange(60, 400)), today))
    for granularity, first, last in cases:
        for metric in ("gmv", "orders", "customers", "refunds"):
            query = f"metric={metric}&granularity={granularity}&from={first}&to={last}"
            body = client.get(f"/v2/stats/trend?{query}", headers=headers).get_json()
            assert body["error_code"] == 0, body
            expected = expected_trend(app, metric, granularity, first, last)
            assert body["data"]["points"] == expected, query
            assert body["data"]["count"] == sum(point["count"] for point in expected)

    for by in ("sales", "gmv"):
        days, limit = rng.choice([1, 2, 7, 30, 90]), rng.choice([1, 2, 10, 50])
        query = f"by={by}&days={days}&limit={limit}"
        body = client.get(f"/v2/stats/products/top?{query}", headers=headers).get_json()
        assert body["error_code"] == 0, body
        assert body["data"]["items"] == expected_top(app, today, by, days, limit), query


# ------------------------------------------------------------------------ the proof


@pytest.mark.parametrize(
    ("seed", "timezone"),
    [(1, "Asia/Shanghai"), (2, "Asia/Shanghai"), (3, "Europe/Paris"), (4, "Asia/Kathmandu")],
)
def test_stats_equal_a_direct_computation_over_random_orders(
    app, client, reader, clock, monkeypatch, seed, timezone
):
    monkeypatch.setitem(app.config, "TIMEZONE", timezone)
    rng = random.Random(seed)
    unpaid = random_shop(app, rng, clock)
    stats.rebuild()
    check_everything(app, client, reader, clock, rng)

    # Incremental: payments and refunds through the services, no rebuild.
    admin = make_user(auth=2)
    today = local(app, clock)
    for order, paid_at in [
        (unpaid[0], clock),  # paid now
        (unpaid[1], midnight(app, today) - 1),  # a late notify of yesterday 23:59:59
        (unpaid[2], midnight(app, today - timedelta(days=3)) + 30),
    ]:
        order.pay_time = None
        db.session.commit()
        success_time = max(paid_at, order.create_time)
        transaction_id = f"TX-inc-{order.id}"
        assert pay_order(order, success_time=success_time, transaction_id=transaction_id) == "paid"
    refundable = db.session.scalars(
        select(Order).where(Order.order_status == 2, ~Order.refunds.any()).order_by(Order.id.desc())
    ).all()
    settle_times = [clock, midnight(app, today - timedelta(days=1)), clock - 86400 * 20]
    for order, settled_at in zip(refundable[:3], settle_times, strict=True):
        refund = order_service.start_refund(order, admin.id, "stats test")
        assert order_service.settle_refund(
            refund.id, "SUCCESS", actor_type="system", success_time=max(settled_at, order.pay_time)
        )
    db.session.expire_all()
    check_everything(app, client, reader, clock, rng)

    stats.rebuild(today - timedelta(days=120), today)
    db.session.expire_all()
    check_everything(app, client, reader, clock, rng)


def test_orders_and_customers_of_today_count_without_a_rebuild(client, reader, clock):
    stats.rebuild()
    order = make_order(make_user(), (make_product(price="12.50"), 2))
    pay_order(order)  # its success_time is 2026-01-01: paid on that day, placed today

    data = client.get("/v2/stats/overview", headers=reader).get_json()["data"]
    today = data["periods"]["today"]
    assert (today["placed_orders"], today["placed_paid"], today["conversion_rate"]) == (
        1,
        1,
        "1.0000",
    )
    assert (today["paid_orders"], today["paid_amount"], today["average_order_value"]) == (
        0,
        "0.00",
        None,
    )
    assert today["new_customers"] == 1  # the staff reader is no customer
    assert data["open_aftersales"] == 0
    trend = client.get(
        "/v2/stats/trend?metric=gmv&from=2026-01-01&to=2026-01-01", headers=reader
    ).get_json()["data"]
    assert trend["points"] == [
        {
            "date": "2026-01-01",
            "start_date": "2026-01-01",
            "end_date": "2026-01-01",
            "count": 1,
            "amount": "25.00",
        }
    ]


# ------------------------------------------------------------------ buckets and checks


def test_trend_fills_every_bucket_with_zeros(client, reader, clock):
    body = client.get(
        "/v2/stats/trend?metric=refunds&granularity=week&from=2026-03-04&to=2026-03-20",
        headers=reader,
    ).get_json()
    assert body["data"]["points"] == [
        {
            "date": "2026-03-02",
            "start_date": "2026-03-04",
            "end_date": "2026-03-08",
            "count": 0,
            "amount": "0.00",
        },
        {
            "date": "2026-03-09",
            "start_date": "2026-03-09",
            "end_date": "2026-03-15",
            "count": 0,
            "amount": "0.00",
        },
        {
            "date": "2026-03-16",
            "start_date": "2026-03-16",
            "end_date": "2026-03-20",
            "count": 0,
            "amount": "0.00",
        },
    ]
    months = client.get(
        "/v2/stats/trend?metric=customers&granularity=month&from=2025-12-31&to=2026-02-01",
        headers=reader,
    ).get_json()["data"]
    assert [(p["date"], p["start_date"], p["end_date"], p["amount"]) for p in months["points"]] == [
        ("2025-12-01", "2025-12-31", "2025-12-31", None),
        ("2026-01-01", "2026-01-01", "2026-01-31", None),
        ("2026-02-01", "2026-02-01", "2026-02-01", None),
    ]
    assert (months["count"], months["amount"]) == (0, None)


def test_trend_defaults_to_the_last_30_days_12_weeks_or_12_months(app, client, reader, clock):
    today = local(app, clock)
    days = client.get("/v2/stats/trend", headers=reader).get_json()["data"]
    assert (days["metric"], days["granularity"], days["end_date"], len(days["points"])) == (
        "gmv",
        "day",
        today.isoformat(),
        30,
    )
    weeks = client.get("/v2/stats/trend?metric=gmv&granularity=week", headers=reader)
    assert len(weeks.get_json()["data"]["points"]) == 12
    months = client.get("/v2/stats/trend?metric=orders&granularity=month", headers=reader)
    points = months.get_json()["data"]["points"]
    assert len(points) == 12 and points[0]["date"].endswith("-01")


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("metric=gmv&from=2026-02-01&to=2026-01-31", 90010),
        ("metric=gmv&from=2025-01-01&to=2026-01-02", 90010),  # 367 days by day
        ("metric=gmv&granularity=week&from=2024-01-01&to=2026-01-02", 90010),
        ("metric=gmv&granularity=month&from=2020-01-01&to=2026-01-01", 90010),
        ("metric=views", 1000),
        ("metric=gmv&granularity=year", 1000),
        ("metric=gmv&from=2026-02-30", 1000),
        ("metric=gmv&to=20260101", 1000),
    ],
)
def test_trend_refuses_a_bad_range_or_metric(client, reader, query, code):
    response = client.get(f"/v2/stats/trend?{query}", headers=reader)
    assert response.status_code == 400
    assert response.get_json()["error_code"] == code


def test_trend_accepts_the_longest_ranges(client, reader):
    for granularity, first in (
        ("day", "2025-01-02"),
        ("week", "2024-01-02"),
        ("month", "2023-01-02"),
    ):
        query = f"metric=orders&granularity={granularity}&from={first}&to=2026-01-01"
        assert client.get(f"/v2/stats/trend?{query}", headers=reader).status_code == 200


@pytest.mark.parametrize("query", ["by=views", "days=0", "days=91", "limit=0", "limit=51"])
def test_top_products_refuses_bad_parameters(client, reader, query):
    response = client.get(f"/v2/stats/products/top?{query}", headers=reader)
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)


def test_top_products_groups_skus_under_their_product(client, reader, clock, app):
    shirt = make_sku_product(name="衬衫")
    red_m, blue_m = shirt.skus[0], shirt.skus[2]
    tea = make_product(name="茶", price="30.00").skus[0]
    buyer = make_user()
    raw_order(buyer, [(red_m, 3), (tea, 1)], create_time=clock - 60, pay_time=clock - 30)
    raw_order(buyer, [(blue_m, 1)], create_time=clock - 60, pay_time=clock - 30)
    raw_order(buyer, [(tea, 5)], create_time=clock - 60)  # never paid
    old = clock - 40 * 86400
    raw_order(buyer, [(tea, 9)], create_time=old, pay_time=old)  # paid before the window
    deleted = make_product(name="下架", price="1.00")
    raw_order(buyer, [(deleted.skus[0], 1)], create_time=clock - 60, pay_time=clock - 30)
    deleted.soft_delete()
    db.session.commit()
    stats.rebuild()

    by_sales = client.get("/v2/stats/products/top", headers=reader).get_json()["data"]
    assert (by_sales["by"], by_sales["days"]) == ("sales", 30)
    assert [(p["name"], p["units"], p["amount"]) for p in by_sales["items"]] == [
        ("衬衫", 4, "40.00"),
        ("茶", 1, "30.00"),
        ("下架", 1, "1.00"),
    ]
    assert by_sales["items"][0]["skus"] == [
        {"sku_id": red_m.id, "spec": red_m.spec_text, "units": 3, "amount": "30.00"},
        {"sku_id": blue_m.id, "spec": blue_m.spec_text, "units": 1, "amount": "10.00"},
    ]
    by_gmv = client.get("/v2/stats/products/top?by=gmv&limit=1", headers=reader).get_json()
    assert [p["name"] for p in by_gmv["data"]["items"]] == ["衬衫"]


def test_overview_counts_orders_waiting_for_delivery_and_low_stock(client, reader, clock, app):
    buyer = make_user()
    sku = make_product(stock=3).skus[0]
    make_product(stock=app.config["SKU_LOW_STOCK_THRESHOLD"] + 1)
    gone = make_product(stock=0)
    gone.soft_delete()
    db.session.commit()
    raw_order(buyer, [(sku, 1)], create_time=clock - 60, pay_time=clock - 30)
    raw_order(buyer, [(sku, 1)], create_time=clock - 60, pay_time=clock - 30, status=3)
    data = client.get("/v2/stats/overview", headers=reader).get_json()["data"]
    assert data["awaiting_delivery"] == 1
    assert data["low_stock_skus"] == 1
    assert data["low_stock_threshold"] == app.config["SKU_LOW_STOCK_THRESHOLD"]


@pytest.mark.parametrize("path", ["overview", "trend?metric=gmv", "products/top"])
def test_stats_routes_need_their_permission(client, customer_headers, path):
    assert client.get(f"/v2/stats/{path}", headers=customer_headers).status_code == 403
    stranger = auth_headers(make_staff(("订单", "查询订单列表")))
    assert client.get(f"/v2/stats/{path}", headers=stranger).status_code == 403
    assert client.get(f"/v2/stats/{path}").status_code == 401
    assert client.get(f"/cms/stats/{path}", headers=customer_headers).status_code == 403


def test_overview_counts_open_after_sales(client, reader):
    from app.services import aftersale
    from tests.factories import make_after_sale

    buyer = make_user()
    first = make_after_sale(buyer)
    make_after_sale(buyer)
    assert (
        client.get("/v2/stats/overview", headers=reader).get_json()["data"]["open_aftersales"] == 2
    )
    aftersale.cancel_after_sale(buyer.id, first.id)  # a final status: no longer open
    assert (
        client.get("/v2/stats/overview", headers=reader).get_json()["data"]["open_aftersales"] == 1
    )
