"""The raw-driver reference: `POST /v1/order` placed with PyMySQL and nothing else per request.

The physical limit of a correct placement on this machine, served by gunicorn with
deploy/gunicorn.conf.py beside the shop in the same bench run (`bench/run.py`, scenario
"order (reference)"). It takes the shop's body (`{products: [{product_id, sku_id?, count}],
address_id?, user_coupon_id?}`) and Bearer tokens, and places the order the way the shop
must:

    1  SELECT  the token's user (live, active, token version), the delivery address and the
               two freight parameters (scalar subqueries)
   (1  SELECT  the caller's user_coupon with its template, when the body names one)
    1  SELECT  the products with their live SKUs, categories and images (deleted rows too)
    n  UPDATE  product_sku SET stock = stock - k WHERE id = ? AND stock >= k ... (ascending ids)
    m  UPDATE  product, the same guard, for the products' derived stock (ascending ids)
    1  INSERT  order (the amounts: goods, freight, coupon discount, total; the coupon's id)
    1  INSERT  order_product, every line in one statement (pay_amount: its share of the discount
               taken off)
    1  INSERT  order_event
   (1  UPDATE  user_coupon SET status = used ... WHERE unused and valid now: the coupon claim)
    1  COMMIT

so 2 + n + m + 3 statements (9 for two lines of one SKU each), then the COMMIT; a coupon adds
its SELECT and its guarded UPDATE (11). Freight and the coupon arithmetic are the shop's: the
parameters parsed by `amounts_of`, freight by `freight_for`, the discount shared by
`pricing.allocate` (pure functions of Decimals, imported; no ORM object per request), the offer
(scope, threshold, amount or percent, the 0.01 floor) in `coupon_offer`. The order number's
uniqueness is left to its UNIQUE key (a duplicate is retried with a new number). One connection
per worker, opened on first use and reused; a connection error drops it, so the next request
opens a new one (no ping per request).

What it leaves out on purpose (the shop does them, they are not part of the placement): the
per-user order rate limit, the request id and security headers, the idempotency key, cart lines.
Every statement sent is counted (`DB.statements`): bench/run.py places one order in-process
through `place` to print the statements per order, as it counts the shop's.
"""

import json
import os
import secrets
import time
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

import pymysql
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from app.config import load_config
from app.services.config_params import amounts_of
from app.services.coupons import pricing
from app.services.orders.quote import FREIGHT_KEYS, freight_for

ACCESS_TOKEN_SALT = "mini-shop.access-token"  # app/core/auth.py
UNPAID = 1
UNUSED, USED, EXPIRED = 1, 2, 3  # user_coupon.status (app/models/coupon.py CouponStatus)
DISCOUNT, NO_THRESHOLD = 2, 3  # coupon.type
DUPLICATE_KEY = 1062

# The shop's own settings (config.ini + environment): secret, token lifetime, time zone, caps.
SETTINGS: dict = {}
SERIALIZER: URLSafeTimedSerializer | None = None
ZONE: ZoneInfo | None = None


def configure(overrides: dict | None = None, env_mode: str | None = None) -> None:
    """Load the settings; gunicorn's import does it from the environment, the bench (which
    counts the statements in-process) passes the run's DATABASE_URL and SECRET_KEY."""
    global SERIALIZER, ZONE, DB
    SETTINGS.clear()
    SETTINGS.update(load_config(env_mode or os.environ.get("ENV_MODE", "production"), overrides))
    SERIALIZER = URLSafeTimedSerializer(SETTINGS["SECRET_KEY"], salt=ACCESS_TOKEN_SALT)
    ZONE = ZoneInfo(SETTINGS["TIMEZONE"])
    DB = Db(SETTINGS["DATABASE_URL"])


class Refused(Exception):
    """An answer other than 201: HTTP status, error code, message (and detail)."""

    def __init__(self, status: int, code: int, msg: str, detail=None):
        super().__init__(msg)
        self.status, self.code, self.msg, self.detail = status, code, msg, detail


# ------------------------------------------------------------------------ connection


def _connect_args(url: str) -> dict:
    parts = urlsplit(url.replace("mysql+pymysql://", "mysql://", 1))
    return {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 3306,
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),
        "database": parts.path.lstrip("/"),
        "charset": "utf8mb4",
        "autocommit": False,
    }


class Db:
    """This worker's connection and the count of statements sent through it (SELECT, UPDATE,
    INSERT: what the bench counts for the shop with `before_cursor_execute`; COMMIT and
    ROLLBACK are not counted, for either)."""

    def __init__(self, url: str):
        self.args = _connect_args(url)
        self.connection = None
        self.statements = 0

    def cursor(self):
        if self.connection is None:
            self.connection = pymysql.connect(**self.args)
        return self.connection.cursor()

    def execute(self, cursor, sql: str, params=()) -> int:
        self.statements += 1
        return cursor.execute(sql, params)

    def commit(self) -> None:
        self.connection.commit()

    def rollback(self) -> None:
        if self.connection is None:
            return
        try:
            self.connection.rollback()
        except pymysql.err.Error:
            self.drop()

    def drop(self) -> None:
        try:
            if self.connection is not None:
                self.connection.close()
        except pymysql.err.Error:
            pass
        self.connection = None


DB: Db | None = None


# ----------------------------------------------------------------------------- input


def _bearer(environ) -> str:
    scheme, _, value = environ.get("HTTP_AUTHORIZATION", "").strip().partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        raise Refused(401, 1002, "Missing or unreadable token")
    return value.strip()


def token_uid(token: str) -> tuple[int, int]:
    """The user id and token version of a valid, unexpired access token (as app/core/auth.py)."""
    try:
        payload = SERIALIZER.loads(token, max_age=SETTINGS["TOKEN_EXPIRES_IN"])
    except SignatureExpired:
        raise Refused(401, 1003, "Token expired") from None
    except BadSignature:
        raise Refused(401, 1002, "Invalid token") from None
    if not isinstance(payload, dict) or not isinstance(payload.get("uid"), int):
        raise Refused(401, 1002, "Invalid token")
    return payload["uid"], payload.get("ver")


def _positive(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < 2**31


def read_body(environ) -> tuple[dict[tuple[int, int | None], int], int | None, int | None]:
    """Counts per (product_id, sku_id or None), first-seen order, the address id and the
    user coupon id."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = json.loads(environ["wsgi.input"].read(length) or b"null")
    except (ValueError, UnicodeDecodeError):
        raise Refused(400, 1000, "The body is not JSON") from None
    items = body.get("products") if isinstance(body, dict) else None
    if not isinstance(items, list) or not items:
        raise Refused(400, 1000, "products: a non-empty list of lines")
    address_id = body.get("address_id")
    if address_id is not None and not _positive(address_id):
        raise Refused(400, 1000, "address_id: a positive integer")
    user_coupon_id = body.get("user_coupon_id")
    if user_coupon_id is not None and not _positive(user_coupon_id):
        raise Refused(400, 1000, "user_coupon_id: a positive integer")
    counts: dict[tuple[int, int | None], int] = {}
    per_product: dict[int, int] = {}
    for item in items:
        product_id = item.get("product_id") if isinstance(item, dict) else None
        sku_id, count = (item.get("sku_id"), item.get("count")) if product_id else (None, None)
        if not _positive(product_id) or not _positive(count) or count > 2**16:
            raise Refused(400, 1000, "products: each line needs product_id and count > 0")
        if sku_id is not None and not _positive(sku_id):
            raise Refused(400, 1000, "products: sku_id is a positive integer")
        counts[(product_id, sku_id)] = counts.get((product_id, sku_id), 0) + count
        per_product[product_id] = per_product.get(product_id, 0) + count
    if (
        len(items) > SETTINGS["ORDER_MAX_LINES"]
        or max(per_product.values()) > SETTINGS["ORDER_MAX_COUNT"]
        or sum(per_product.values()) > SETTINGS["ORDER_MAX_TOTAL_COUNT"]
    ):
        raise Refused(400, 1000, "products: over the order caps")
    return counts, address_id, user_coupon_id


# ------------------------------------------------------------------------- placement


def _image_url(url: str | None, source: int | None, deleted) -> str:
    """app/core/urls.py stored_image_url, for a live image row."""
    if not url or deleted is not None:
        return ""
    if source == 2:
        return url
    if source == 3:
        base = SETTINGS["FILE_BASE_URL"] or SETTINGS["PUBLIC_BASE_URL"].rstrip("/") + "/uploads"
    else:
        base = (
            SETTINGS["IMAGE_BASE_URL"] or SETTINGS["PUBLIC_BASE_URL"].rstrip("/") + "/static/images"
        )
    return base.rstrip("/") + "/" + url.lstrip("/")


USER_AND_ADDRESS = """
SELECT u.delete_time, u.active, u.token_version,
       (SELECT value FROM config WHERE `key` = %s), (SELECT value FROM config WHERE `key` = %s),
       a.id, a.name, a.mobile, a.province, a.city, a.country, a.detail
FROM user u
LEFT JOIN address a ON a.id = (
    SELECT id FROM address
    WHERE user_id = u.id AND delete_time IS NULL AND {address}
    ORDER BY id LIMIT 1)
WHERE u.id = %s"""

PRODUCTS_AND_SKUS = """
SELECT p.id, p.name, p.on_sale, p.delete_time, mi.url, mi.source, mi.delete_time,
       s.id, s.spec_text, s.price, s.stock, s.on_sale, si.url, si.source, si.delete_time,
       p.category_id
FROM product p
LEFT JOIN image mi ON mi.id = p.main_img_id
LEFT JOIN product_sku s ON s.product_id = p.id AND s.delete_time IS NULL
LEFT JOIN image si ON si.id = s.img_id
WHERE p.id IN ({ids})
ORDER BY p.id, s.id"""


def user_and_address(cursor, uid: int, version, address_id: int | None) -> tuple:
    """The token's user checked (401 unless live, active and of this token version), the
    freight parameters ({key: Decimal}, as the shop parses them) and the caller's address:
    `address_id` (anyone else's is 404 / 60010) or the default one. A missing address is
    answered as the Refused to raise, once the coupon is checked (the shop's order)."""
    where = "id = %s" if address_id is not None else "is_default = 1"
    params = (*FREIGHT_KEYS, *([address_id] if address_id is not None else []), uid)
    DB.execute(cursor, USER_AND_ADDRESS.format(address=where), params)
    row = cursor.fetchone()
    if row is None or row[0] is not None or not row[1]:
        raise Refused(401, 1002, "Invalid token")
    if version != (row[2] or 0):
        raise Refused(401, 1002, "Token revoked")
    freight = amounts_of(FREIGHT_KEYS, dict(zip(FREIGHT_KEYS, row[3:5], strict=True)))
    if row[5] is None:
        if address_id is not None:
            return Refused(404, 60010, "Address not found"), freight
        return Refused(400, 60030, "Add a delivery address before placing an order"), freight
    keys = ("name", "mobile", "province", "city", "country", "detail")
    return dict(zip(keys, row[6:], strict=True)), freight


def quote(cursor, counts: dict) -> list[dict]:
    """The lines with their SKUs, prices and snapshots, merged per SKU; refused like the shop
    (404 / 30010, 400 / 30061, 404 / 30060, 409 / 50020)."""
    product_ids = list(dict.fromkeys(product_id for product_id, _ in counts))
    DB.execute(
        cursor, PRODUCTS_AND_SKUS.format(ids=",".join(["%s"] * len(product_ids))), product_ids
    )
    products, skus = {}, {product_id: [] for product_id in product_ids}
    for row in cursor.fetchall():
        products[row[0]] = row
        if row[7] is not None:
            skus[row[0]].append(row)
    gone = [p for p in product_ids if p not in products or products[p][3] is not None]
    gone += [p for p in product_ids if p not in gone and not products[p][2]]
    if gone:
        raise Refused(404, 30010, "Product not found or not on sale", {"product_ids": gone})
    lines: dict[int, dict] = {}
    for (product_id, sku_id), count in counts.items():
        live = skus[product_id]
        if sku_id is None and len(live) > 1:
            raise Refused(400, 30061, "This product has several SKUs: choose one with sku_id")
        sku = (
            live[0] if sku_id is None and live else next((s for s in live if s[7] == sku_id), None)
        )
        if sku is None or not sku[11]:
            raise Refused(404, 30060, "SKU not found, or not on sale", {"sku_ids": [sku_id]})
        if sku[7] in lines:
            lines[sku[7]]["count"] += count
            continue
        product = products[product_id]
        image = _image_url(*sku[12:15]) or _image_url(*product[4:7])
        lines[sku[7]] = {
            "product_id": product_id,
            "category_id": product[15],
            "sku_id": sku[7],
            "name": product[1],
            "spec": sku[8],
            "price": sku[9],
            "count": count,
            "stock": sku[10],
            "image": image,
            "main_image": _image_url(*product[4:7]),
        }
    short = [line for line in lines.values() if line["stock"] < line["count"]]
    if short:
        raise out_of_stock(list(lines.values()))
    return list(lines.values())


def out_of_stock(lines: list[dict]) -> Refused:
    status = [
        {"id": line["product_id"], "sku_id": line["sku_id"], "count": line["count"]}
        for line in lines
    ]
    return Refused(409, 50020, "Some products are out of stock", {"p_status_array": status})


def reserve(cursor, lines: list[dict]) -> None:
    """Guarded UPDATEs, SKUs then products, each in ascending id order (the shop's lock order):
    a shortfall refuses the whole order (the caller rolls back)."""
    per_sku, per_product = {}, {}
    for line in lines:
        per_sku[line["sku_id"]] = per_sku.get(line["sku_id"], 0) + line["count"]
        per_product[line["product_id"]] = per_product.get(line["product_id"], 0) + line["count"]
    for table, counts in (("product_sku", per_sku), ("product", per_product)):
        for row_id in sorted(counts):
            taken = DB.execute(
                cursor,
                f"UPDATE {table} SET stock = stock - %s WHERE id = %s AND stock >= %s"
                " AND on_sale = 1 AND delete_time IS NULL",
                (counts[row_id], row_id, counts[row_id]),
            )
            if taken != 1:
                raise out_of_stock(lines)


HELD_COUPON = """
SELECT uc.status, uc.valid_start, uc.valid_end, c.type, c.min_amount, c.amount, c.percent,
       c.max_discount, c.scope, c.category_ids, c.product_ids
FROM user_coupon uc
JOIN coupon c ON c.id = uc.coupon_id
WHERE uc.id = %s AND uc.user_id = %s"""


def held_coupon(cursor, user_id: int, user_coupon_id: int) -> tuple:
    """The caller's copy with its template (another user's id, or none: 404 / 52060)."""
    DB.execute(cursor, HELD_COUPON, (user_coupon_id, user_id))
    row = cursor.fetchone()
    if row is None:
        raise Refused(404, 52060, "Coupon not found among yours")
    return row


def _scope_ids(value) -> list:
    """A JSON column (text on MariaDB)."""
    return json.loads(value) if isinstance(value, (str, bytes)) else (value or [])


def _in_scope(line: dict, scope: str, category_ids: list, product_ids: list) -> bool:
    """app/models/coupon.py `Coupon.in_scope`, for a line."""
    if scope == "product":
        return line["product_id"] in product_ids
    if scope == "category":
        return line["category_id"] is not None and line["category_id"] in category_ids
    return True


def coupon_offer(held: tuple, user_coupon_id: int, lines: list[dict], room: Decimal, at: int):
    """What the copy takes off these lines, and the indexes of the lines it applies to; refused
    as the shop refuses it (409 / 52070, reason used, expired, not_started, scope, threshold).
    `room`: the most it may take (goods + freight - 0.01)."""
    status, valid_start, valid_end, kind, min_amount, amount, percent, max_discount = held[:8]
    scope, category_ids, product_ids = held[8], _scope_ids(held[9]), _scope_ids(held[10])
    eligible = [
        index
        for index, line in enumerate(lines)
        if _in_scope(line, scope, category_ids, product_ids)
    ]
    eligible_amount = sum((lines[i]["price"] * lines[i]["count"] for i in eligible), pricing.ZERO)
    threshold = pricing.ZERO if kind == NO_THRESHOLD else min_amount
    if status == USED:
        refusal = pricing.USED, "This coupon has been used"
    elif status == EXPIRED or valid_end <= at:
        refusal = pricing.EXPIRED, "This coupon has expired"
    elif valid_start > at:
        refusal = pricing.NOT_STARTED, "This coupon is not valid yet"
    elif not eligible:
        refusal = pricing.SCOPE, "No product of this order is in scope"
    elif eligible_amount < threshold:
        short = threshold - eligible_amount
        refusal = pricing.THRESHOLD, f"Needs {threshold:.2f} of products in scope; {short:.2f} more"
    else:
        if kind == DISCOUNT:
            off = eligible_amount * (100 - percent) / 100
            off = off.quantize(pricing.CENT, ROUND_HALF_UP)
            off = off if max_discount is None else min(off, max_discount)
        else:
            off = amount
        return max(pricing.ZERO, min(off, eligible_amount, room)), eligible
    code, reason = refusal
    return Refused(
        409,
        52070,
        f"This coupon cannot be used on this order: {reason}",
        {"user_coupon_id": user_coupon_id, "reason": code},
    )


def claim_coupon(cursor, user_id: int, user_coupon_id: int, order_id: int, at: int) -> None:
    """The coupon claim: one guarded UPDATE of the caller's copy (still unused and valid now)
    marking it used on the order; of two orders racing for one copy exactly one gets it (the
    other: 409 / 52070, the caller rolls back)."""
    taken = DB.execute(
        cursor,
        "UPDATE user_coupon SET status = %s, order_id = %s, use_time = %s, update_time = %s"
        " WHERE id = %s AND user_id = %s AND status = %s AND valid_start <= %s AND valid_end > %s",
        (USED, order_id, at, at, user_coupon_id, user_id, UNUSED, at, at),
    )
    if taken != 1:
        raise Refused(
            409,
            52070,
            "This coupon has been used or has expired",
            {"user_coupon_id": user_coupon_id, "reason": pricing.USED},
        )


ORDER_INSERT = """
INSERT INTO `order` (order_no, user_id, order_status, snap_name, snap_img, snap_items,
    snap_address, total_count, total_price, goods_amount, freight_amount, coupon_discount,
    user_coupon_id, remark, expire_time, stock_released, create_time, update_time)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 0, %s, %s)"""


def write_order(cursor, user_id: int, lines: list[dict], address: dict, amounts: dict, at: int):
    """The order, its lines (one multi-row INSERT) and its first event; answers the 201 data.
    `amounts`: goods, freight, discount, the lines' shares of it and the coupon's id."""
    goods, freight, discount = amounts["goods"], amounts["freight"], amounts["discount"]
    total = goods + freight - discount
    total_count = sum(line["count"] for line in lines)
    items = [
        {
            "id": line["product_id"],
            "sku_id": line["sku_id"],
            "name": line["name"],
            "spec": line["spec"],
            "price": f"{line['price']:.2f}",
            "count": line["count"],
            "total_price": f"{line['price'] * line['count']:.2f}",
            "main_image": line["image"],
        }
        for line in lines
    ]
    first = lines[0]
    several = len({line["product_id"] for line in lines}) > 1
    snap_name = (first["name"] + (" 等" if several else ""))[:100]
    expire = at + SETTINGS["ORDER_EXPIRE_SECONDS"]
    day = datetime.fromtimestamp(at, ZONE).strftime("%Y%m%d")
    for _attempt in range(5):
        order_no = day + f"{secrets.randbelow(10**12):012d}"
        try:
            DB.execute(
                cursor,
                ORDER_INSERT,
                (
                    order_no,
                    user_id,
                    UNPAID,
                    snap_name,
                    first["main_image"],
                    json.dumps(items),
                    json.dumps(address),
                    total_count,
                    total,
                    goods,
                    freight,
                    discount,
                    amounts["user_coupon_id"],
                    "",
                    expire,
                    at,
                    at,
                ),
            )
            break
        except pymysql.err.IntegrityError as error:
            if error.args[0] != DUPLICATE_KEY or "order_no" not in str(error.args[1]):
                raise
    else:
        raise Refused(409, 1010, "The resource was changed by another request, try again")
    order_id = cursor.lastrowid
    values = ",".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(lines))
    params = []
    for line, share in zip(lines, amounts["shares"], strict=True):
        amount = line["price"] * line["count"] - share
        params += [
            order_id,
            line["product_id"],
            line["sku_id"],
            line["spec"],
            line["count"],
            line["price"],
            amount,
        ]
    DB.execute(
        cursor,
        "INSERT INTO order_product (order_id, product_id, sku_id, spec, count, price, pay_amount)"
        f" VALUES {values}",
        params,
    )
    DB.execute(
        cursor,
        "INSERT INTO order_event (order_id, from_status, to_status, actor_type, actor_id, reason,"
        " create_time) VALUES (%s, NULL, %s, 'customer', %s, '', %s)",
        (order_id, UNPAID, user_id, at),
    )
    return {
        "order_id": order_id,
        "order_no": order_no,
        "create_time": at,
        "expire_time": expire,
        "total_price": f"{total:.2f}",
        "total_count": total_count,
        "pass": True,
    }


def price(lines: list[dict], freight_values: dict, held, user_coupon_id, at: int) -> dict:
    """The shop's amounts (app/services/orders/quote.py `_price`): goods, freight (free at or
    above free_min), the coupon's discount shared over its lines by the largest remainder."""
    goods = sum((line["price"] * line["count"] for line in lines), pricing.ZERO)
    freight = freight_for(goods, freight_values)
    shares = [pricing.ZERO] * len(lines)
    discount = pricing.ZERO
    if held is not None:
        room = max(pricing.ZERO, goods + freight - pricing.PAY_MIN)
        offer = coupon_offer(held, user_coupon_id, lines, room, at)
        if isinstance(offer, Refused):
            raise offer
        discount, eligible = offer
        totals = [lines[index]["price"] * lines[index]["count"] for index in eligible]
        for index, share in zip(eligible, pricing.allocate(discount, totals), strict=True):
            shares[index] = share
    return {
        "goods": goods,
        "freight": freight,
        "discount": discount,
        "shares": shares,
        "user_coupon_id": user_coupon_id,
    }


def place(environ) -> dict:
    uid, version = token_uid(_bearer(environ))
    counts, address_id, user_coupon_id = read_body(environ)
    cursor = DB.cursor()
    try:
        address, freight = user_and_address(cursor, uid, version, address_id)
        held = None if user_coupon_id is None else held_coupon(cursor, uid, user_coupon_id)
        if isinstance(address, Refused):
            raise address
        lines = quote(cursor, counts)
        at = int(time.time())
        amounts = price(lines, freight, held, user_coupon_id, at)
        reserve(cursor, lines)
        data = write_order(cursor, uid, lines, address, amounts, at)
        if user_coupon_id is not None:
            claim_coupon(cursor, uid, user_coupon_id, data["order_id"], at)
        DB.commit()
        return data
    except Refused:
        DB.rollback()
        raise
    except pymysql.err.OperationalError:
        DB.drop()  # the next request opens a new connection
        raise
    except Exception:
        DB.rollback()
        raise
    finally:
        cursor.close()


# ------------------------------------------------------------------------------- WSGI


def _answer(start_response, status: int, document: dict):
    body = json.dumps(document, ensure_ascii=False).encode("utf-8")
    reason = {200: "OK", 201: "CREATED", 400: "BAD REQUEST", 401: "UNAUTHORIZED"}.get(status, "")
    start_response(
        f"{status} {reason}".strip(),
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]


def app(environ, start_response):
    path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
    if path == "/ping":
        return _answer(start_response, 200, {"error_code": 0, "msg": "OK", "data": {}})
    if path != "/v1/order" or method != "POST":
        return _answer(start_response, 404, {"error_code": 1001, "msg": "Resource not found"})
    if DB is None:
        configure()
    try:
        data = place(environ)
    except Refused as refused:
        document = {"error_code": refused.code, "msg": refused.msg}
        if refused.detail is not None:
            document["detail"] = refused.detail
        return _answer(start_response, refused.status, document)
    return _answer(
        start_response, 201, {"error_code": 1, "msg": "Created or updated", "data": data}
    )
