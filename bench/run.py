"""Benchmark: the shop under gunicorn against a trivial Flask app under the same settings.

    uv run python bench/run.py [--duration 10] [--concurrency 16]

DATABASE_URL names a MariaDB/MySQL database that this run EMPTIES and rebuilds (its name must
start with "bench" unless --force-reset); without it a temporary SQLite file is used. See
bench/README.md for what is measured and how.
"""

import argparse
import json
import os
import platform
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import loadgen  # noqa: E402
from bench.seed_bulk import seed_bulk, seed_carts, seed_coupons  # noqa: E402

RESULTS = ROOT / "bench" / "results"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
ROUTE_WAIT_STEP = 15


# ----------------------------------------------------------------------------------- helpers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def machine() -> dict:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 1
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f"{kb / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpus": cpus,
        "cpu_model": model,
        "memory": memory,
        "python": platform.python_version(),
        "os": platform.platform(),
    }


def reset_database(url: str, force: bool) -> str:
    """Empty the MariaDB/MySQL database of `url` (or build a SQLite file); answer its label."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        Path(parsed.database).unlink(missing_ok=True)
        return "SQLite (temporary file)"
    name = parsed.database or ""
    if not name.startswith("bench") and not force:
        sys.exit(
            f"refusing to empty database {name!r}: the benchmark drops and recreates it. "
            "Use a database whose name starts with 'bench', or pass --force-reset."
        )
    engine = create_engine(parsed.set(database="information_schema"))
    with engine.begin() as connection:
        version = connection.execute(text("SELECT VERSION()")).scalar()
        connection.execute(text(f"DROP DATABASE IF EXISTS `{name}`"))
        connection.execute(
            text(f"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        )
    engine.dispose()
    return f"MariaDB/MySQL {version}"


def flask_command(args: list[str], env: dict) -> None:
    subprocess.run(
        [sys.executable, "-m", "flask", "--app", "server", *args],
        cwd=ROOT,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


class Gunicorn:
    """One gunicorn master started with deploy/gunicorn.conf.py on a loopback port."""

    def __init__(self, target: str, env: dict, workdir: Path, name: str, extra=()):
        self.port = free_port()
        self.name = name
        self.log = open(workdir / f"{name}.log", "wb")  # noqa: SIM115 (closed in stop)
        env = dict(env)
        env["GUNICORN_BIND"] = f"127.0.0.1:{self.port}"
        env["GUNICORN_CONTROL_SOCKET"] = str(workdir / f"{name}.ctl")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(GUNICORN_CONF), *extra, target],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, path: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited; see {self.log.name}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{path}", timeout=2):
                    return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not answer {path} within {timeout:.0f}s")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=35)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def worker_pids(master: int) -> list[int]:
    """The gunicorn workers: the master's children (from /proc)."""
    children = []
    for task in Path(f"/proc/{master}/task").glob("*/children"):
        try:
            children += [int(pid) for pid in task.read_text().split()]
        except OSError:
            pass
    return children


def cpu_ticks(pids: list[int]) -> int:
    """utime + stime of these processes, in clock ticks (/proc/<pid>/stat fields 14 and 15)."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # fields after "(comm)" start at field 3
    return total


class WorkerCpu:
    """Worker CPU over a load phase: ms per answered request, from the /proc tick counters
    (they count this process's own CPU, so they stay meaningful on a noisy machine)."""

    def __init__(self, server: "Gunicorn"):
        self.pids = worker_pids(server.process.pid)
        self.ticks = cpu_ticks(self.pids)

    def ms_per_request(self, requests: int) -> float | None:
        if not self.pids or not requests:
            return None
        spent = cpu_ticks(self.pids) - self.ticks
        return spent * 1000 / os.sysconf("SC_CLK_TCK") / requests


# ---------------------------------------------------------------------------------- workload


KEY_TWINS = 0.1  # the share of "order key" requests sent twice with the same key and body
REFERENCE, COUPON_REFERENCE = "order (reference)", "order coupon (reference)"


# The public catalog reads served from the response cache (core/http_cache.py).
CACHED_READS = {
    "banner",
    "theme ids",
    "theme detail",
    "product recent",
    "product detail",
    "category all",
    "by category",
}


def endpoints(info: dict, rng: random.Random, keyed: int = 3000) -> list[dict]:
    """The load: per endpoint, a list of [method, path, headers, body] picked at random (in
    order for "sequential" ones). An order endpoint's "compare" names the reference run its
    requests/s are compared to. `keyed`: how many "order key" requests to list."""
    get = {"Accept": "application/json"}
    themes = info["theme_ids"]
    products = info["product_ids"]
    categories = info["category_ids"]

    def order_lines():
        lines = {pid: rng.randint(1, 3) for pid in rng.sample(info["order_product_ids"], 2)}
        if info["hot_product_ids"] and rng.random() < 0.1:
            lines[rng.choice(info["hot_product_ids"])] = rng.randint(1, 2)
        return [{"product_id": p, "count": c} for p, c in lines.items()]

    def order_request(customer, lines=None, **extra):
        body = {"products": lines or order_lines(), **extra}
        return [
            "POST",
            "/v1/order",
            {"Authorization": f"Bearer {customer['token']}", "Content-Type": "application/json"},
            json.dumps(body),
        ]

    orders = [order_request(rng.choice(info["customers"])) for _ in range(3000)]
    # The same orders with a coupon: each held copy listed once (a copy drawn again answers
    # 409 / 52070, counted as "coupon used", not as an error). The copies are split in two
    # halves per customer, the shop's and the reference's, placing the same lines.
    held = info.get("coupons") or {}
    couponed, couponed_reference = [], []
    for customer in info["customers"]:
        copies = held.get(customer["id"], [])
        half = len(copies) // 2
        for shop_copy, reference_copy in zip(copies[:half], copies[half:], strict=False):
            lines = order_lines()
            couponed.append(order_request(customer, lines, user_coupon_id=shop_copy))
            couponed_reference.append(order_request(customer, lines, user_coupon_id=reference_copy))
    order = rng.sample(range(len(couponed)), len(couponed))
    couponed = [couponed[index] for index in order]
    couponed_reference = [couponed_reference[index] for index in order]
    order_plan = {"order": True, "compare": REFERENCE}
    coupon_plan = {"order": True, "coupon": True, "compare": COUPON_REFERENCE}
    return [
        {"name": "health", "requests": [["GET", "/health", get, None]]},
        {"name": "banner", "requests": [["GET", f"/v1/banner/{info['banner_id']}", get, None]]},
        {
            "name": "theme ids",
            "requests": [["GET", "/v1/theme?ids=" + ",".join(map(str, themes[:3])), get, None]],
        },
        {
            "name": "theme detail",
            "requests": [["GET", f"/v1/theme/{t}", get, None] for t in themes],
        },
        {"name": "product recent", "requests": [["GET", "/v1/product/recent", get, None]]},
        {
            "name": "product detail",
            "requests": [
                ["GET", f"/v1/product/{rng.choice(products)}", get, None] for _ in range(1000)
            ],
        },
        {"name": "category all", "requests": [["GET", "/v1/category/all", get, None]]},
        {
            "name": "by category",
            "requests": [
                ["GET", f"/v1/product/by_category?category_id={c}", get, None] for c in categories
            ],
        },
        {"name": "search", "requests": searches(info, rng, get, logged_in=False)},
        {"name": "search logged in", "requests": searches(info, rng, get, logged_in=True)},
        {"name": "order", "requests": orders, **order_plan},
        # The same orders placed by the raw-driver reference (bench/reference_app.py).
        {"name": REFERENCE, "requests": orders, **order_plan, "reference": True},
        *(
            [
                {"name": "order coupon", "requests": couponed, **coupon_plan},
                {
                    "name": COUPON_REFERENCE,
                    "requests": couponed_reference,
                    **coupon_plan,
                    "reference": True,
                },
            ]
            if couponed
            else []
        ),
        keyed_orders(orders, rng, keyed, order_plan),
        *cart_endpoints(info, rng),
    ]


def keyed_orders(orders: list, rng: random.Random, count: int, plan: dict) -> dict:
    """ "order key": the orders of "order" (cycled to `count`), each with its own
    Idempotency-Key, sent in list order; about KEY_TWINS of them listed again a few places
    later (an even number of places, so that wrk's thread sending the first sends the twin
    too), whose answer must be the first's 201 body ("201-replay"). The two placements
    counted in-process ("probe") have keys of their own: the load never replays them."""

    def keyed(index: int) -> list:
        method, path, headers, body = orders[index % len(orders)]
        return [method, path, {**headers, "Idempotency-Key": f"bench-{index}"}, body]

    slots: list = [None] * (count + int(count * KEY_TWINS) + 32)
    position = 0
    for index in range(count):
        while slots[position] is not None:
            position += 1
        slots[position] = keyed(index)
        twin = position + 2 * rng.randint(1, 8)
        if rng.random() < KEY_TWINS:
            while twin < len(slots) and slots[twin] is not None:
                twin += 2
            if twin < len(slots):
                slots[twin] = slots[position]
    requests = [slot for slot in slots if slot is not None]
    probe = [keyed(count), keyed(count + 1)]
    return {"name": "order key", "requests": requests, "probe": probe, "sequential": True, **plan}


def cart_endpoints(info: dict, rng: random.Random) -> list[dict]:
    """Cart reads and checkouts of the seeded carts (info["carts"]: customer id -> line ids).

    A checkout orders two lines of one cart; each pair is listed once, so a pair drawn again
    answers 404 / 33010 (counted as "gone", not as an error)."""
    carts = info.get("carts") or {}
    if not carts:
        return []
    tokens = {customer["id"]: customer["token"] for customer in info["customers"]}

    def headers(user_id):
        return {"Authorization": f"Bearer {tokens[user_id]}", "Content-Type": "application/json"}

    users = list(carts)
    lists = [["GET", "/v1/cart", headers(rng.choice(users)), None] for _ in range(1000)]
    previews, checkouts = [], []
    for _ in range(1000):
        user_id = rng.choice(users)
        body = json.dumps({"cart_item_ids": rng.sample(carts[user_id], 4)})
        previews.append(["POST", "/v1/order/preview", headers(user_id), body])
    for user_id, ids in carts.items():
        for start in range(0, len(ids) - 1, 2):
            body = json.dumps({"cart_item_ids": ids[start : start + 2]})
            checkouts.append(["POST", "/v1/order", headers(user_id), body])
    rng.shuffle(checkouts)
    return [
        {"name": "cart", "requests": lists},
        {"name": "order preview", "requests": previews},
        {
            "name": "order from cart",
            "requests": checkouts,
            "order": True,
            "cart": True,
            "compare": REFERENCE,
        },
    ]


SEARCH_WORDS = ["半斤", "500克", "3个", "1盒", "商品1", "商品42", "产地", "直发", "芒果", "无此词"]
SEARCH_SORTS = ["default", "price", "sales", "new"]


def searches(info: dict, rng: random.Random, get: dict, *, logged_in: bool) -> list[list]:
    """Product searches: seed words (some match hundreds of products, some none), random sorts,
    a category filter one time in four; logged in, each also records the caller's history."""
    requests = []
    for _ in range(1000):
        query = {"q": rng.choice(SEARCH_WORDS), "sort": rng.choice(SEARCH_SORTS)}
        if rng.random() < 0.25:
            query["category_id"] = rng.choice(info["category_ids"])
        headers = dict(get)
        if logged_in:
            headers["Authorization"] = f"Bearer {rng.choice(info['customers'])['token']}"
        requests.append(["GET", "/v1/product/search?" + urlencode(query), headers, None])
    return requests


def route_exists(app, method: str, path: str) -> bool:
    from werkzeug.exceptions import MethodNotAllowed, NotFound

    adapter = app.url_map.bind("localhost")
    try:
        adapter.match(path.split("?", 1)[0], method=method)
    except (NotFound, MethodNotAllowed):
        return False
    return True


def count_statements(app, endpoint: dict) -> dict:
    """SQL statements of one request, with an empty cache (cold) and right after (warm)."""
    from sqlalchemy import event

    from app.extensions import cache, db

    requests = endpoint.get("probe") or endpoint["requests"]
    method, path, headers, body = requests[0]
    counts, statuses = [], []
    with app.app_context():
        engine = db.engine
        cache.clear()
    seen = {"n": 0}

    def counter(*_args, **_kwargs):
        seen["n"] += 1

    event.listen(engine, "before_cursor_execute", counter)
    try:
        client = app.test_client()
        for attempt in range(2):
            if endpoint.get("order") and attempt:
                method, path, headers, body = requests[1]
            seen["n"] = 0
            response = client.open(path, method=method, headers=headers, data=body)
            counts.append(seen["n"])
            statuses.append(response.status_code)
    finally:
        event.remove(engine, "before_cursor_execute", counter)
    return {"sql_cold": counts[0], "sql_warm": counts[1], "check_status": statuses}


def count_reference_statements(endpoint: dict, settings: dict) -> dict:
    """Statements of one placement by the reference, in-process, twice (as count_statements)."""
    import io

    from bench import reference_app

    reference_app.configure(settings, env_mode="production")
    counts, statuses = [], []
    for method, path, headers, body in endpoint["requests"][:2]:
        data = body.encode("utf-8")
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "CONTENT_LENGTH": str(len(data)),
            "wsgi.input": io.BytesIO(data),
            "HTTP_AUTHORIZATION": headers["Authorization"],
        }
        before = reference_app.DB.statements
        answered = []
        reference_app.app(environ, lambda status, _headers, seen=answered: seen.append(status))
        counts.append(reference_app.DB.statements - before)
        statuses.append(int(answered[0].split()[0]))
    reference_app.DB.drop()
    return {"sql_cold": counts[0], "sql_warm": counts[1], "check_status": statuses}


def stock_snapshot(app) -> tuple[dict, int]:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Order, Product

    with app.app_context():
        table = Product.__table__
        stocks = dict(db.session.execute(select(table.c.id, table.c.stock)).all())
        last_order = db.session.execute(select(func.max(Order.__table__.c.id))).scalar() or 0
        db.session.remove()
    return stocks, last_order


def oversell_check(app, before: dict, last_order: int, placed: int, in_flight: int) -> dict:
    """No negative stock; per product, the stock decrease equals the units ordered.

    Orders still in flight when the load generator stopped complete on the server without
    being counted by it, so the database may hold up to `in_flight` orders more than the 201s.
    The check waits until the order count stops moving, then reads stock and order lines in
    one transaction, so an order committing in between cannot skew the comparison.
    """
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Order, OrderProduct, Product

    orders_table, lines, products = Order.__table__, OrderProduct.__table__, Product.__table__
    count_orders = select(func.count()).where(orders_table.c.id > last_order)
    with app.app_context():
        engine = db.engine
    previous, deadline = -1, time.monotonic() + 30
    while time.monotonic() < deadline:
        with engine.connect() as connection:
            current = connection.execute(count_orders).scalar()
        if current == previous:
            break
        previous = current
        time.sleep(1)
    with engine.connect() as connection, connection.begin():
        if connection.dialect.name == "mysql":
            connection.exec_driver_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        after = dict(connection.execute(select(products.c.id, products.c.stock)).all())
        ordered = dict(
            connection.execute(
                select(lines.c.product_id, func.sum(lines.c.count))
                .where(lines.c.order_id > last_order)
                .group_by(lines.c.product_id)
            ).all()
        )
        orders = connection.execute(count_orders).scalar()
    negative = [pid for pid, stock in after.items() if stock < 0]
    mismatched = [
        pid for pid in before if before[pid] - after.get(pid, 0) != int(ordered.get(pid, 0))
    ]
    return {
        "orders_in_database": orders,
        "orders_answered_201": placed,
        "units_ordered": int(sum(ordered.values())),
        "negative_stock_products": negative,
        "stock_mismatch_products": mismatched,
        "sold_out_products": [pid for pid, stock in after.items() if stock == 0],
        "ok": not negative and not mismatched and placed <= orders <= placed + in_flight,
    }


def cart_rows(app) -> int:
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import CartItem

    with app.app_context():
        count = db.session.execute(select(func.count()).select_from(CartItem.__table__)).scalar()
        db.session.remove()
    return count


def cart_check(app, rows_before: int, last_order: int) -> dict:
    """Checkouts from the cart removed exactly the lines they ordered (one order line each)."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import OrderProduct

    lines = OrderProduct.__table__
    with app.app_context():
        ordered = db.session.execute(
            select(func.count()).where(lines.c.order_id > last_order)
        ).scalar()
        db.session.remove()
    removed = rows_before - cart_rows(app)
    return {"cart_lines_removed": removed, "order_lines": ordered}


def coupon_check(app, last_order: int) -> dict:
    """Orders with a coupon: each copy on one order at most, marked used with it, and every
    order's amounts and line shares add up (shares + freight = pay_amount)."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.models import Order, OrderProduct, UserCoupon

    orders, lines, held = Order.__table__, OrderProduct.__table__, UserCoupon.__table__
    with app.app_context():
        rows = db.session.execute(
            select(
                orders.c.id,
                orders.c.user_coupon_id,
                orders.c.goods_amount,
                orders.c.freight_amount,
                orders.c.coupon_discount,
                orders.c.total_price,
            ).where(orders.c.id > last_order, orders.c.user_coupon_id.is_not(None))
        ).all()
        shares = dict(
            db.session.execute(
                select(lines.c.order_id, func.sum(lines.c.pay_amount))
                .where(lines.c.order_id > last_order)
                .group_by(lines.c.order_id)
            ).all()
        )
        used = dict(
            db.session.execute(select(held.c.id, held.c.order_id).where(held.c.status == 2)).all()
        )
        db.session.remove()
    twice = len(rows) - len({row.user_coupon_id for row in rows})
    unmarked = [row.id for row in rows if used.get(row.user_coupon_id) != row.id]
    unbalanced = [
        row.id
        for row in rows
        if row.goods_amount + row.freight_amount - row.coupon_discount != row.total_price
        or shares.get(row.id, 0) + row.freight_amount != row.total_price
    ]
    return {
        "coupon_orders": len(rows),
        "coupons_used_twice": twice,
        "coupon_not_marked": unmarked,
        "amounts_unbalanced": unbalanced,
    }


def summarize(name: str, result: dict, order: bool = False) -> dict:
    statuses = result["statuses"]
    good = sum(n for key, n in statuses.items() if key.startswith("2"))
    sold_out = statuses.get("409-50020", 0)
    gone = statuses.get("404-33010", 0)  # cart lines already checked out
    used = statuses.get("409-52070", 0)  # a coupon already used by an earlier request
    replays = statuses.get("201-replay", 0)  # an Idempotency-Key's first answer, again
    errors = sum(statuses.values()) - good - sold_out - gone - used + result["socket_errors"]
    return {
        "endpoint": name,
        "requests": result["requests"],
        "rps": result["requests"] / result["duration_s"] if result["duration_s"] else 0.0,
        "p50_ms": result["p50_ms"],
        "p99_ms": result["p99_ms"],
        "errors": errors,
        "sold_out": sold_out if order else None,
        "gone": gone or None,
        "coupon_used": used or None,
        "replays": replays or None,
        "replay_mismatch": result.get("replay_mismatch"),
        "statuses": statuses,
        "tool": result["tool"],
    }


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'endpoint':<26}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
        f"{'SQL/req':>10}{'CPU ms':>8}{'vs ceiling':>12}{'vs ref':>8}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        if row.get("missing"):
            print(f"{row['endpoint']:<26}{'(route not found: skipped)':>57}")
            continue
        sql = "-" if row.get("sql_cold") is None else f"{row['sql_cold']}/{row['sql_warm']}"
        ratio = "-" if row.get("ratio") is None else f"{row['ratio'] * 100:.0f}%"
        cpu = "-" if row.get("cpu_ms") is None else f"{row['cpu_ms']:.2f}"
        vs_ref = "-" if row.get("vs_reference") is None else f"{row['vs_reference']:.2f}"
        extra = f"  sold out: {row['sold_out']}" if row.get("sold_out") is not None else ""
        extra += f"  lines gone: {row['gone']}" if row.get("gone") else ""
        extra += f"  coupon used: {row['coupon_used']}" if row.get("coupon_used") else ""
        extra += f"  replays: {row['replays']}" if row.get("replays") else ""
        print(
            f"{row['endpoint']:<26}{row['rps']:>9.0f}{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}"
            f"{row['errors']:>8}{sql:>10}{cpu:>8}{ratio:>12}{vs_ref:>8}{extra}"
        )
    print("SQL/req: statements with an empty cache / on the next identical request.")
    print("CPU ms: gunicorn workers' CPU (utime + stime from /proc) per answered request.")
    print("vs ceiling: requests/s over the mean of the two ceiling runs (first and last).")
    print("vs ref: an order scenario's requests/s over its raw-driver reference's (same orders):")
    compared: dict[str, list[str]] = {}
    for row in rows:
        if row.get("compare") not in (None, row["endpoint"]):
            compared.setdefault(row["compare"], []).append(row["endpoint"])
    for reference, names in compared.items():
        print(f"  {', '.join(names)}: vs {reference}")


# -------------------------------------------------------------------------------------- main


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
    parser.add_argument("--concurrency", type=int, default=16, help="open connections")
    parser.add_argument("--products", type=int, default=1000)
    parser.add_argument("--categories", type=int, default=20)
    parser.add_argument("--themes", type=int, default=10)
    parser.add_argument("--users", type=int, default=1000, help="customers placing orders")
    parser.add_argument("--tool", choices=["auto", "wrk", "python"], default="auto")
    parser.add_argument(
        "--only", default="", help="comma list of endpoint names to run (default: all)"
    )
    parser.add_argument(
        "--wait-routes",
        type=int,
        default=0,
        help="seconds to wait for missing catalog/order routes to appear before skipping them",
    )
    parser.add_argument(
        "--warm",
        type=int,
        default=0,
        help="seconds of untimed load before each cached catalog read (fills the per-worker"
        " caches; 1,000 product pages in 5 workers take about 20)",
    )
    parser.add_argument("--force-reset", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the work files (logs)")
    args = parser.parse_args(argv)

    tool = args.tool
    if tool == "auto":
        tool = "wrk" if loadgen.wrk_available() else "python"
    workdir = Path(tempfile.mkdtemp(prefix="mini-shop-bench-"))
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{workdir / 'bench.db'}"
    database = reset_database(url, args.force_reset)
    secret = secrets.token_urlsafe(48)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": secret,
        "ENV_MODE": "production",
        "PUBLIC_BASE_URL": os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:5000"),
        "UPLOAD_FOLDER": str(workdir / "uploads"),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "WARNING"),
        "PYTHONPATH": str(ROOT),
        # Steady state: no worker recycling mid-run (a reboot costs a worker about two
        # CPU-seconds, and the phase it lands in would pay for it). Override to measure it.
        "GUNICORN_MAX_REQUESTS": os.environ.get("GUNICORN_MAX_REQUESTS", "0"),
    }
    print(f"database: {database}; load generator: {tool}; work files: {workdir}", flush=True)

    print("building the schema and seeding ...", flush=True)
    flask_command(["db", "upgrade"], env)
    flask_command(["seed"], {**env, "ENV_MODE": "development"})
    from app import create_app

    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": secret,
            "PUBLIC_BASE_URL": env["PUBLIC_BASE_URL"],
            "UPLOAD_FOLDER": str(workdir / "uploads"),
        },
        env_mode="production",
    )
    started = time.monotonic()
    info = seed_bulk(
        app,
        products=args.products,
        categories=args.categories,
        themes=args.themes,
        users=args.users,
    )
    print(
        f"bulk seed: {len(info['product_ids'])} products, {len(info['category_ids'])} categories,"
        f" {len(info['theme_ids'])} themes, {len(info['customers'])} customers"
        f" ({time.monotonic() - started:.1f}s)",
        flush=True,
    )

    info["carts"] = seed_carts(app, info["customers"], info["order_product_ids"], lines=10)
    info["coupons"] = seed_coupons(app, info["customers"], copies=4)
    rng = random.Random(11)
    # Enough "order key" requests not to wrap around (wrk's Lua caps a script's constants).
    plan = endpoints(info, rng, keyed=min(20000, max(3000, 400 * args.duration)))
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        plan = [endpoint for endpoint in plan if endpoint["name"] in wanted]
    deadline = time.monotonic() + args.wait_routes
    while True:
        missing = [e for e in plan if not route_exists(app, *e["requests"][0][:2])]
        if not missing or time.monotonic() >= deadline:
            break
        print(f"waiting for routes: {', '.join(e['name'] for e in missing)}", flush=True)
        time.sleep(ROUTE_WAIT_STEP)
        app = create_app(
            {
                "DATABASE_URL": url,
                "SECRET_KEY": secret,
                "PUBLIC_BASE_URL": env["PUBLIC_BASE_URL"],
                "UPLOAD_FOLDER": str(workdir / "uploads"),
            },
            env_mode="production",
        )

    settings = {
        "DATABASE_URL": url,
        "SECRET_KEY": secret,
        "PUBLIC_BASE_URL": env["PUBLIC_BASE_URL"],
        "UPLOAD_FOLDER": str(workdir / "uploads"),
    }
    rows = []
    for endpoint in plan:
        row = {"endpoint": endpoint["name"], "missing": endpoint in missing}
        if endpoint.get("compare"):
            row["compare"] = endpoint["compare"]
        if endpoint.get("reference"):
            row["missing"] = False
            row.update(count_reference_statements(endpoint, settings))
        elif not row["missing"]:
            row.update(count_statements(app, endpoint))
        rows.append(row)

    servers = [
        Gunicorn("server:app", env, workdir, "shop"),
        Gunicorn("ceiling_app:app", env, workdir, "ceiling", ["--pythonpath", "bench"]),
    ]
    shop, ceiling = servers
    reference = None
    if any(endpoint.get("reference") for endpoint in plan):
        reference = Gunicorn(
            "reference_app:app", env, workdir, "reference", ["--pythonpath", "bench"]
        )
        servers.append(reference)
    results = {}
    try:
        shop.wait_ready("/health")
        ceiling.wait_ready("/ping")
        if reference is not None:
            reference.wait_ready("/ping")

        def spec(port: int, requests: list, duration: int) -> dict:
            return {
                "host": "127.0.0.1",
                "port": port,
                "duration": duration,
                "concurrency": args.concurrency,
                "requests": requests,
            }

        ping = [["GET", "/ping", {"Accept": "application/json"}, None]]
        loadgen.drive(spec(ceiling.port, ping, 2), workdir, tool)  # warm-up
        loadgen.drive(spec(shop.port, plan[0]["requests"], 2), workdir, tool)
        print(f"ceiling: {args.duration}s ...", flush=True)
        cpu = WorkerCpu(ceiling)
        results["ceiling"] = summarize(
            "ceiling", loadgen.drive(spec(ceiling.port, ping, args.duration), workdir, tool)
        )
        results["ceiling"]["cpu_ms"] = cpu.ms_per_request(results["ceiling"]["requests"])
        oversell, checks = None, {}
        for endpoint, row in zip(plan, rows, strict=True):
            if row["missing"]:
                continue
            print(f"{endpoint['name']}: {args.duration}s ...", flush=True)
            if endpoint.get("order"):
                before, last_order = stock_snapshot(app)
                carts_before = cart_rows(app)
            server = reference if endpoint.get("reference") else shop
            if args.warm and endpoint["name"] in CACHED_READS:
                # Untimed: every worker's own cache fills (a steady-state shop is warm).
                loadgen.drive(spec(server.port, endpoint["requests"], args.warm), workdir, tool)
            cpu = WorkerCpu(server)
            phase = spec(server.port, endpoint["requests"], args.duration)
            phase["sequential"] = endpoint.get("sequential", False)
            result = loadgen.drive(phase, workdir, tool)
            row.update(summarize(endpoint["name"], result, endpoint.get("order", False)))
            row["cpu_ms"] = cpu.ms_per_request(result["requests"])
            if endpoint.get("order"):
                placed = sum(n for key, n in result["statuses"].items() if key == "201")
                oversell = oversell_check(app, before, last_order, placed, args.concurrency)
                if endpoint.get("cart"):
                    oversell.update(cart_check(app, carts_before, last_order))
                    oversell["ok"] &= oversell["cart_lines_removed"] == oversell["order_lines"]
                if endpoint.get("sequential"):
                    oversell["replays"] = row["replays"] or 0
                    oversell["replay_mismatch"] = result.get("replay_mismatch")
                    oversell["ok"] &= not oversell["replay_mismatch"]
                if endpoint.get("coupon"):
                    oversell.update(coupon_check(app, last_order))
                    oversell["ok"] &= not (
                        oversell["coupons_used_twice"]
                        or oversell["coupon_not_marked"]
                        or oversell["amounts_unbalanced"]
                    )
                checks[endpoint["name"]] = oversell
        # The ceiling again at the end: the ratio uses the mean of both, which evens out
        # other load on the machine drifting during the run.
        print(f"ceiling (again): {args.duration}s ...", flush=True)
        cpu = WorkerCpu(ceiling)
        results["ceiling_end"] = summarize(
            "ceiling (end)", loadgen.drive(spec(ceiling.port, ping, args.duration), workdir, tool)
        )
        results["ceiling_end"]["cpu_ms"] = cpu.ms_per_request(results["ceiling_end"]["requests"])
    finally:
        for server in servers:
            server.stop()

    ceiling_rps = (results["ceiling"]["rps"] + results["ceiling_end"]["rps"]) / 2
    for row in rows:
        if not row["missing"]:
            row["ratio"] = row["rps"] / ceiling_rps
    reference_rps = {row["endpoint"]: row.get("rps") for row in rows if not row["missing"]}
    for row in rows:
        if row.get("compare") and reference_rps.get(row["compare"]) and "rps" in row:
            row["vs_reference"] = row["rps"] / reference_rps[row["compare"]]
    ceiling_rows = [
        dict(results[key], ratio=results[key]["rps"] / ceiling_rps, sql_cold=None, sql_warm=None)
        for key in ("ceiling", "ceiling_end")
    ]
    table = [ceiling_rows[0], *rows, ceiling_rows[1]]
    print()
    print_table(table)
    for name, oversell in checks.items():
        verdict = "OK" if oversell["ok"] else "FAILED"
        removed = ""
        if "coupon_orders" in oversell:
            removed = (
                f"; coupon orders: {oversell['coupon_orders']}, used twice:"
                f" {oversell['coupons_used_twice']}, not marked used:"
                f" {len(oversell['coupon_not_marked'])}, amounts unbalanced:"
                f" {len(oversell['amounts_unbalanced'])}"
            )
        if "replays" in oversell:
            mismatch = oversell["replay_mismatch"]
            removed = f"; replays: {oversell['replays']}, replays with another body: " + (
                "not told by wrk" if mismatch is None else str(mismatch)
            )
        if "cart_lines_removed" in oversell:
            removed = (
                f"; cart lines removed: {oversell['cart_lines_removed']}"
                f" for {oversell['order_lines']} order lines"
            )
        print(
            f"{name}: oversell check {verdict}: "
            f"{oversell['orders_answered_201']} orders answered 201, "
            f"{oversell['orders_in_database']} in the database, {oversell['units_ordered']} units; "
            f"negative stock: {oversell['negative_stock_products'] or 'none'}; "
            f"stock != units ordered: {oversell['stock_mismatch_products'] or 'none'}; "
            f"sold out: {len(oversell['sold_out_products'])} products{removed}"
        )
    workers = os.environ.get("WEB_CONCURRENCY") or str(2 * machine()["cpus"] + 1)
    report = {
        "time": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join(["python", "bench/run.py", *(argv or sys.argv[1:])]),
        "machine": machine(),
        "database": database,
        "load_generator": tool,
        "settings": {
            "duration_s": args.duration,
            "concurrency": args.concurrency,
            "gunicorn_workers": int(workers),
            "gunicorn_threads": int(os.environ.get("GUNICORN_THREADS") or 1),
            "cache_type": os.environ.get("CACHE_TYPE", "config.ini default"),
            "products": len(info["product_ids"]),
            "categories": len(info["category_ids"]),
            "themes": len(info["theme_ids"]),
            "customers": len(info["customers"]),
        },
        "rows": table,
        "oversell_check": checks,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%SZ')}.json"
    path.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"machine: {report['machine']['cpus']} CPUs, {report['machine']['cpu_model']}")
    print(f"results: {path.relative_to(ROOT)}")
    failed = any(not check["ok"] for check in checks.values())
    if failed or args.keep:
        print(f"work files (gunicorn logs, wrk scripts): {workdir}")
    else:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
