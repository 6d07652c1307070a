"""Benchmark of the stats routes on a shop with a year of orders.

    DATABASE_URL=mysql+pymysql://root@127.0.0.1:3306/bench_stats uv run python bench/stats.py \
        [--orders 100000] [--customers 20000] [--days 365] [--requests 200] [--reuse]

The named MariaDB/MySQL database is EMPTIED and rebuilt (its name must start with "bench"
unless --force-reset; --reuse measures a database an earlier run seeded). The schema comes
from `flask db upgrade` and `flask seed-system`; products, customers, orders with their lines,
payments and refunds are added with SQLAlchemy core bulk inserts, spread over the last `days`
days; `stats rebuild` fills the rollup. Each stats request then runs `--requests` times
in-process (Flask test client, one thread: one worker) and the p50/p99 latencies are printed.
"""

import argparse
import os
import random
import secrets
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import flask_command, machine, reset_database  # noqa: E402

BATCH = 5000
TARGET_MS = 200


def _insert(table, rows: list[dict]) -> None:
    from sqlalchemy import insert

    from app.extensions import db

    for start in range(0, len(rows), BATCH):
        db.session.execute(insert(table), rows[start : start + BATCH])
    db.session.commit()


def seed(app, *, orders: int, customers: int, days: int, products: int, rng) -> dict:
    """Bulk rows: products with 1 to 3 SKUs, customers, orders (about 85% paid, some
    refunded, some partially) over the last `days` days."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Order, OrderProduct, Payment, Product, Refund, Sku, User
    from app.models.base import now

    with app.app_context():
        stamp = now()
        start = stamp - days * 86400
        first_product = (db.session.scalar(select(func.max(Product.id))) or 0) + 1
        product_rows, sku_rows = [], []
        for n in range(products):
            pid = first_product + n
            price = Decimal(rng.randint(100, 29999)) / 100
            product_rows.append(
                {
                    "id": pid,
                    "name": f"商品{pid}",
                    "price": price,
                    "stock": 1000,
                    "on_sale": True,
                    "create_time": start,
                    "update_time": start,
                }
            )
            for size in ["S", "M", "L"][: rng.randint(1, 3)]:
                sku_rows.append(
                    {
                        "product_id": pid,
                        "specs": {"尺码": size},
                        "spec_text": f"尺码:{size}",
                        "price": price,
                        "stock": rng.choice([0, 3, 50, 1000]),
                        "create_time": start,
                        "update_time": start,
                    }
                )
        _insert(Product.__table__, product_rows)
        _insert(Sku.__table__, sku_rows)
        skus = db.session.execute(
            select(Sku.id, Sku.product_id, Sku.spec_text, Sku.price).where(
                Sku.product_id >= first_product
            )
        ).all()

        first_user = (db.session.scalar(select(func.max(User.id))) or 0) + 1
        user_rows = []
        for n in range(customers):
            created = rng.randrange(start, stamp)
            user_rows.append(
                {
                    "id": first_user + n,
                    "nickname": f"c{n}",
                    "email": f"stats{first_user + n}@example.com",
                    "auth": 1,
                    "active": True,
                    "token_version": 0,
                    "avatar": "",
                    "create_time": created,
                    "update_time": created,
                }
            )
        _insert(User.__table__, user_rows)
        users = [(row["id"], row["create_time"]) for row in user_rows]

        first_order = (db.session.scalar(select(func.max(Order.id))) or 0) + 1
        first_payment = (db.session.scalar(select(func.max(Payment.id))) or 0) + 1
        order_rows, line_rows, payment_rows, refund_rows = [], [], [], []
        for n in range(orders):
            oid = first_order + n
            user_id, joined = rng.choice(users)
            created = rng.randrange(max(joined, start), stamp)
            lines = [(rng.choice(skus), rng.randint(1, 3)) for _ in range(rng.randint(1, 3))]
            total = sum(sku.price * count for sku, count in lines)
            paid = rng.random() < 0.85
            pay_time = min(created + rng.randint(5, 1800), stamp) if paid else None
            status = rng.choice([2, 3, 6, 6, 6]) if paid else rng.choice([1, 7, 7])
            order_rows.append(
                {
                    "id": oid,
                    "order_no": f"B{oid:014d}",
                    "user_id": user_id,
                    "order_status": status,
                    "snap_name": "snap",
                    "snap_img": "",
                    "snap_items": [],
                    "snap_address": {},
                    "total_count": sum(count for _, count in lines),
                    "total_price": total,
                    "goods_amount": total,
                    "remark": "",
                    "expire_time": created + 1800,
                    "pay_time": pay_time,
                    "stock_released": False,
                    "create_time": created,
                    "update_time": pay_time or created,
                }
            )
            for sku, count in lines:
                line_rows.append(
                    {
                        "order_id": oid,
                        "product_id": sku.product_id,
                        "sku_id": sku.id,
                        "spec": sku.spec_text,
                        "count": count,
                        "price": sku.price,
                        "pay_amount": sku.price * count,
                    }
                )
            if paid:
                pay_id = first_payment + len(payment_rows)
                fen = int(total * 100)
                payment_rows.append(
                    {
                        "id": pay_id,
                        "order_id": oid,
                        "user_id": user_id,
                        "transaction_id": f"BT{oid:014d}",
                        "out_trade_no": f"B{oid:014d}",
                        "amount": fen,
                        "currency": "CNY",
                        "trade_state": "SUCCESS",
                        "payer_openid": "",
                        "success_time": pay_time,
                        "needs_refund": False,
                        "raw": {},
                        "create_time": pay_time,
                    }
                )
                if rng.random() < 0.05:
                    settled = min(pay_time + rng.randint(60, 20 * 86400), stamp)
                    refund_rows.append(
                        {
                            "order_id": oid,
                            "payment_id": pay_id,
                            "out_refund_no": f"BR{oid:014d}",
                            "refund_id": f"BW{oid:014d}",
                            "amount": fen if rng.random() < 0.7 else rng.randint(1, fen),
                            "status": "SUCCESS",
                            "reason": "",
                            "success_time": settled,
                            "create_time": settled,
                            "update_time": settled,
                        }
                    )
        _insert(Order.__table__, order_rows)
        _insert(OrderProduct.__table__, line_rows)
        _insert(Payment.__table__, payment_rows)
        _insert(Refund.__table__, refund_rows)
        return {
            "products": products,
            "skus": len(skus),
            "customers": customers,
            "orders": orders,
            "lines": len(line_rows),
            "payments": len(payment_rows),
            "refunds": len(refund_rows),
        }


def admin_headers(app) -> dict:
    from app.core.auth import issue_access_token
    from app.extensions import db
    from app.models import User

    with app.app_context():
        admin = db.session.query(User).filter_by(auth=2).first()
        if admin is None:
            admin = User(email="stats-bench@example.com", nickname="bench", auth=2)
            db.session.add(admin)
            db.session.commit()
        with app.test_request_context():
            return {"Authorization": f"Bearer {issue_access_token(admin, 101)}"}


REQUESTS = [
    ("overview", "/v2/stats/overview"),
    ("trend gmv 30 days", "/v2/stats/trend?metric=gmv"),
    ("trend orders 30 days", "/v2/stats/trend?metric=orders"),
    ("trend customers 366 days", "/v2/stats/trend?metric=customers&from={year_ago}"),
    ("trend refunds 366 days", "/v2/stats/trend?metric=refunds&from={year_ago}"),
    ("trend gmv 104 weeks", "/v2/stats/trend?metric=gmv&granularity=week&from={two_years}"),
    ("trend orders 36 months", "/v2/stats/trend?metric=orders&granularity=month&from={three}"),
    ("top sales 30 days", "/v2/stats/products/top"),
    ("top gmv 90 days, 50", "/v2/stats/products/top?by=gmv&days=90&limit=50"),
]


def measure(app, headers: dict, count: int) -> list[dict]:
    from datetime import timedelta

    from app.services.stats import today

    with app.app_context():
        last = today()
    dates = {
        "year_ago": last - timedelta(days=365),
        "two_years": last - timedelta(days=730),
        "three": last - timedelta(days=1095),
    }
    client = app.test_client()
    rows = []
    for name, path in REQUESTS:
        path = path.format(**dates)
        for _ in range(5):  # warm-up: connections, compiled statements
            response = client.get(path, headers=headers)
            assert response.status_code == 200, (path, response.get_json())
        times = []
        for _ in range(count):
            began = time.perf_counter()
            response = client.get(path, headers=headers)
            times.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200
        times.sort()
        rows.append(
            {
                "name": name,
                "p50": statistics.median(times),
                "p99": times[min(len(times) - 1, int(len(times) * 0.99))],
                "max": times[-1],
            }
        )
    return rows


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--customers", type=int, default=20_000)
    parser.add_argument("--products", type=int, default=500)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--requests", type=int, default=200, help="timed requests per route")
    parser.add_argument("--reuse", action="store_true", help="measure the database as it is")
    parser.add_argument("--force-reset", action="store_true")
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("mysql"):
        sys.exit("set DATABASE_URL to a MariaDB/MySQL database (mysql+pymysql://...)")
    secret = secrets.token_urlsafe(48)
    settings = {
        "DATABASE_URL": url,
        "SECRET_KEY": secret,
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
    }
    env = {**os.environ, **settings, "ENV_MODE": "production", "PYTHONPATH": str(ROOT)}
    from app import create_app

    if not args.reuse:
        print(f"database: {reset_database(url, args.force_reset)}", flush=True)
        flask_command(["db", "upgrade"], env)
        flask_command(["seed-system"], env)
    app = create_app(settings, env_mode="production")
    if not args.reuse:
        began = time.monotonic()
        sizes = seed(
            app,
            orders=args.orders,
            customers=args.customers,
            days=args.days,
            products=args.products,
            rng=random.Random(5),
        )
        print(f"bulk seed ({time.monotonic() - began:.1f}s): {sizes}", flush=True)
        began = time.monotonic()
        with app.app_context():
            from app.services import stats

            first, last, days = stats.rebuild()
        print(f"stats rebuild {first}..{last}, {days} days: {time.monotonic() - began:.1f}s")
    results = measure(app, admin_headers(app), args.requests)
    info = machine()
    print(f"\n{info['cpus']} CPUs {info['cpu_model']}, {args.requests} requests per route")
    print(f"{'route':32} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8}")
    for row in results:
        print(f"{row['name']:32} {row['p50']:8.1f} {row['p99']:8.1f} {row['max']:8.1f}")
    slow = [row["name"] for row in results if row["p99"] >= TARGET_MS]
    if slow:
        print(f"p99 at or over {TARGET_MS} ms: {', '.join(slow)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
