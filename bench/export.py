"""Benchmark: GET /v2/order/export of 100,000 order lines, its time and peak memory (RSS).

    DATABASE_URL=mysql+pymysql://root@127.0.0.1:3306/bench_export uv run python bench/export.py \
        [--lines 100000] [--format csv|xlsx|both]

The named database is DROPPED and rebuilt (its name must start with "bench"); without
DATABASE_URL a temporary SQLite file is used. It seeds `--lines` order lines (4 per order) with
SQLAlchemy core bulk inserts, then, in a fresh process per measurement, builds the app and reads
the export through the Flask test client without buffering (the bytes are counted and dropped,
as a client saving the file would), and reports the wall time, the bytes and rows, the process's
RSS before and after the request and its peak RSS (ru_maxrss) before and after. A 10% export
(one customer's orders) is measured too: a streamed export's peak stays the same whatever the
number of lines.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LINES_PER_ORDER = 4
BATCH = 5000


def _rss_kib() -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def _app(url: str):
    from app import create_app

    return create_app({"DATABASE_URL": url, "RATELIMIT_ENABLED": False}, env_mode="development")


def seed(url: str, lines: int) -> None:
    """Schema, system seed, two customers (one with 10% of the orders), `lines` order lines."""
    from sqlalchemy import insert, select, text

    from app.extensions import db
    from app.models import Order, OrderProduct, Product, Sku, User
    from app.seed import seed_system

    app = _app(url)
    with app.app_context():
        if db.engine.dialect.name == "mysql":
            name = urlsplit(url).path.lstrip("/").split("?")[0]
            if not name.startswith("bench"):
                raise SystemExit(f"refusing to rebuild {name!r}: use a database named bench*")
            with db.engine.begin() as connection:
                connection.execute(text("SET FOREIGN_KEY_CHECKS=0"))
                db.metadata.drop_all(connection)
                connection.execute(text("SET FOREIGN_KEY_CHECKS=1"))
        db.create_all()
        seed_system(app)
        users = [User(email=f"bench{n}@example.com", nickname=f"bench{n}", auth=1) for n in (1, 2)]
        product = Product(name="测试商品", price=10, stock=0, on_sale=True)
        db.session.add_all([*users, product])
        db.session.flush()
        db.session.add(Sku(product_id=product.id, specs={}, spec_text="", price=10, stock=0))
        db.session.commit()
        orders = lines // LINES_PER_ORDER
        start = 1_735_660_800
        for first in range(0, orders, BATCH):
            chunk = range(first, min(first + BATCH, orders))
            db.session.execute(
                insert(Order),
                [
                    {
                        "order_no": f"B{n:015d}",
                        "user_id": users[0].id if n % 10 == 0 else users[1].id,
                        "order_status": 3,
                        "snap_name": "测试商品等",
                        "snap_items": [{"id": product.id, "sku_id": None, "name": "测试商品"}],
                        "snap_address": {
                            "name": "张三",
                            "mobile": "13800138000",
                            "province": "浙江",
                            "city": "杭州",
                            "country": "西湖",
                            "detail": f"文三路{n}号",
                        },
                        "total_count": LINES_PER_ORDER,
                        "total_price": "40.00",
                        "goods_amount": "40.00",
                        "expire_time": start + n * 300 + 1800,
                        "create_time": start + n * 300,
                        "update_time": start + n * 300,
                        "carrier": "顺丰速运",
                        "tracking_no": f"SF{n:010d}",
                        "delivery_time": start + n * 300 + 3600,
                    }
                    for n in chunk
                ],
            )
            ids = db.session.scalars(
                select(Order.id).where(Order.order_no.in_([f"B{n:015d}" for n in chunk]))
            ).all()
            db.session.execute(
                insert(OrderProduct),
                [
                    {
                        "order_id": order_id,
                        "product_id": product.id,
                        "count": 1,
                        "price": "10.00",
                        "pay_amount": "10.00",
                    }
                    for order_id in ids
                    for _ in range(LINES_PER_ORDER)
                ],
            )
            db.session.commit()
        print(json.dumps({"seeded_orders": orders, "seeded_lines": orders * LINES_PER_ORDER}))


def measure(url: str, file_format: str, only_first_user: bool) -> dict:
    """One export in this (fresh) process: time, bytes, rows, RSS before and peak."""
    from sqlalchemy import select

    from app.extensions import db
    from app.models import User
    from tests.factories import auth_headers, make_user

    app = _app(url)
    with app.app_context():
        staff = make_user(email=f"exporter{time.time_ns()}@example.com", auth=2, password=None)
        headers = auth_headers(staff)
        query = {"format": file_format}
        if only_first_user:
            user_id = db.session.scalar(select(User.id).where(User.email == "bench1@example.com"))
            query["user_id"] = user_id
        db.session.remove()
    client = app.test_client()
    rss_before = _rss_kib()
    peak_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    first_byte = None
    response = client.get("/v2/order/export", query_string=query, headers=headers, buffered=False)
    size = 0
    newlines = 0
    for chunk in response.response:
        if first_byte is None:
            first_byte = time.perf_counter() - started
        size += len(chunk)
        newlines += chunk.count(b"\n")
    response.close()
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = {
        "format": file_format,
        "scope": "one customer (10%)" if only_first_user else "all",
        "status": response.status_code,
        "seconds": round(elapsed, 2),
        "first_byte_seconds": round(first_byte or 0, 3),
        "bytes": size,
        "rss_before_mib": round(rss_before / 1024, 1),
        "rss_after_mib": round(_rss_kib() / 1024, 1),
        "peak_rss_before_mib": round(peak_before / 1024, 1),
        "peak_rss_mib": round(peak / 1024, 1),
    }
    if file_format == "csv":
        result["rows"] = newlines - 1
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--format", choices=("csv", "xlsx", "both"), default="both")
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument("--measure", choices=("csv", "xlsx"), help=argparse.SUPPRESS)
    parser.add_argument("--subset", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    url = os.environ.get("DATABASE_URL") or (
        f"sqlite:///{Path(tempfile.gettempdir()) / 'mini-shop-bench-export.db'}"
    )
    if args.measure:
        print(json.dumps(measure(url, args.measure, args.subset)))
        return
    if not args.skip_seed:
        seed(url, args.lines)
    formats = ("csv", "xlsx") if args.format == "both" else (args.format,)
    env = {**os.environ, "DATABASE_URL": url}
    for file_format in formats:
        for subset in (True, False):
            command = [sys.executable, __file__, "--measure", file_format]
            if subset:
                command.append("--subset")
            done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
            if done.returncode:
                sys.stderr.write(done.stderr[-3000:])
                raise SystemExit(done.returncode)
            print(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
