"""Placing an order (POST /v1/order) from `products` lines or from the caller's cart lines: the
quote (quote.py) refused unless it can be placed, stock reserved per SKU, address and line
snapshots written from the quote, the coupon marked used (a guarded UPDATE), ordered cart lines
removed, all in one retried transaction: a refused order reserves nothing and uses no coupon."""

import secrets
from dataclasses import dataclass
from functools import cache

from flask import current_app
from sqlalchemy import bindparam, insert, select
from sqlalchemy.exc import IntegrityError

from app.core import metrics
from app.core.auth import TokenCaller, check_token_user
from app.core.db import retrying
from app.core.exceptions import (
    AddressNotFound,
    Conflict,
    CouponNotUsable,
    NoDeliveryAddress,
    OrderTotalTooLarge,
    OutOfStock,
    ProductNotFound,
    SkuNotFound,
    SkuRequired,
)
from app.core.timefmt import local_date
from app.extensions import db
from app.models import Address, Config, Order, OrderEvent, OrderProduct, OrderStatus, User
from app.models.base import money_text, now
from app.models.catalog import image_url
from app.services import cart as cart_service
from app.services import coupons
from app.services import sku as sku_service
from app.services.config_params import amounts_of
from app.services.orders import idempotency
from app.services.orders.idempotency import IdempotentRequest, Replay
from app.services.orders.quote import (
    COUPON,
    FREIGHT_KEYS,
    ORDER_TOTAL_MAX,
    SHORT_OF_STOCK,
    SKU_REQUIRED,
    CouponChoice,
    Quote,
    QuoteLine,
    merge_lines,
    one_source,
    quote_cart_lines,
    quote_products,
)
from app.services.orders.stock import reserve_stock


@dataclass(frozen=True)
class Checkout:
    """Who places an order and where it can go: the caller's live addresses (id order) and the
    shop's freight parameters, read in one statement (`read_checkout`)."""

    user_id: int
    addresses: list
    freight: dict

    def address(self, address_id: int | None):
        """The chosen address (another user's id, or a deleted one: 404 / 60010), or the
        default one (none: 400 / 60030)."""
        if address_id is not None:
            chosen = next((each for each in self.addresses if each.id == address_id), None)
            if chosen is None:
                raise AddressNotFound()
            return chosen
        default = next((each for each in self.addresses if each.is_default), None)
        if default is None:
            raise NoDeliveryAddress()
        return default


@cache
def _checkout_statement():
    """The user's row outer-joined to their live addresses, with the freight parameters as
    scalar subqueries (ADDRESS_MAX rows at the most): built once."""
    users, addresses, config = User.__table__, Address.__table__, Config.__table__

    def parameter(key: str):
        return select(config.c.value).where(config.c.key == key).scalar_subquery().label(key)

    live = (addresses.c.user_id == users.c.id) & addresses.c.delete_time.is_(None)
    return (
        select(
            users.c.active,
            users.c.delete_time,
            users.c.token_version,
            addresses.c.id,
            addresses.c.name,
            addresses.c.mobile,
            addresses.c.province,
            addresses.c.city,
            addresses.c.country,
            addresses.c.detail,
            addresses.c.is_default,
            *(parameter(key) for key in FREIGHT_KEYS),
        )
        .select_from(users.outerjoin(addresses, live))
        .where(users.c.id == bindparam("user_id"))
        .order_by(addresses.c.id)
    )


def read_checkout(caller) -> Checkout:
    """The checkout of `caller`: a user id (service callers), or the TokenCaller of a request,
    whose user must be live, active and the token current (401 otherwise: this statement is
    the request's token check, see core/auth.py `login_checked_later`)."""
    user_id = getattr(caller, "id", caller)
    rows = db.session.connection().execute(_checkout_statement(), {"user_id": user_id}).all()
    if isinstance(caller, TokenCaller):
        check_token_user(rows[0] if rows else None, caller.token_version)
    addresses = [row for row in rows if row.id is not None]
    freight = amounts_of(FREIGHT_KEYS, rows[0]._mapping if rows else {})
    return Checkout(user_id, addresses, freight)


class _DuplicateOrderNo(Exception):
    """The random order number is taken (its UNIQUE key refused it): place again."""


def new_order_no(at: int) -> str:
    """The day (shop time) and 12 random digits; uniqueness is the UNIQUE key's (a duplicate,
    about one in 10**12 per pair of orders of a day, places the order again)."""
    return local_date(at) + f"{secrets.randbelow(10**12):012d}"


def address_snapshot(address: Address) -> dict:
    return {
        "name": address.name,
        "mobile": str(address.mobile),
        "province": address.province,
        "city": address.city,
        "country": address.country,
        "detail": address.detail,
    }


def build_snapshot(quote: Quote) -> dict:
    """snap_name, snap_img, snap_items and the amounts, from the quote's lines in line order; an
    item names its SKU and spec text ("颜色:红;尺码:M", "" for a default SKU)."""
    items = [
        {
            "id": line.product_id,
            "sku_id": line.sku_id,
            "name": line.name,
            "spec": line.spec,
            "price": money_text(line.price),
            "count": line.count,
            "total_price": money_text(line.total),
            "main_image": image_url(line.image),
        }
        for line in quote.lines
    ]
    first = quote.lines[0].product
    names = {line.product_id for line in quote.lines}
    return {
        "snap_name": (first.name + (" 等" if len(names) > 1 else ""))[:100],
        "snap_img": image_url(first.main_img),
        "snap_items": items,
        "total_count": quote.total_count,
        "total_price": quote.total_price,
        "goods_amount": quote.goods_amount,
        "freight_amount": quote.freight_amount,
        "coupon_discount": quote.coupon_discount,
        "user_coupon_id": quote.user_coupon.id if quote.coupon is not None else None,
    }


def _stock_lines(quote: Quote) -> list[tuple[int, int, int]]:
    return [(line.sku_id, line.product_id, line.count) for line in quote.lines]


def _with_cart_ids(detail: dict, lines: list[QuoteLine]) -> dict:
    cart_ids = [line.cart_item_id for line in lines if line.cart_item_id is not None]
    return {**detail, "cart_item_ids": cart_ids} if cart_ids else detail


def _ids(values) -> list[int]:
    return list(dict.fromkeys(value for value in values if value is not None))


def refusal(quote: Quote) -> Exception | None:
    """What placing the quote answers when it cannot be placed, in this order: products deleted
    or off sale (404 / 30010), a SKU to choose (400 / 30061), SKUs missing or off sale
    (404 / 30060), units short (409 / 50020 listing every line), a total over ORDER_TOTAL_MAX
    (400 / 50060), a coupon that cannot be used on it (409 / 52070). `detail` names the lines
    (and their cart line ids), or the coupon and why."""
    if quote.can_place:
        return None
    bad = [line for line in quote.lines if line.problem is not None]
    gone = [
        line
        for line in bad
        if line.product is None or line.product.delete_time is not None or not line.product.on_sale
    ]
    if gone:
        detail = {"product_ids": _ids(line.product_id for line in gone)}
        return ProductNotFound(detail=_with_cart_ids(detail, gone))
    required = [line for line in bad if line.problem.code == SKU_REQUIRED]
    if required:
        detail = {"product_ids": _ids(line.product_id for line in required)}
        return SkuRequired(detail=_with_cart_ids(detail, required))
    unsold = [line for line in bad if line.problem.code != SHORT_OF_STOCK]
    if unsold:
        detail = {"sku_ids": _ids(line.sku_id for line in unsold)}
        without = _ids(line.product_id for line in unsold if line.sku_id is None)
        if without:  # a product with no SKU left, named without a sku_id
            detail["product_ids"] = without
        return SkuNotFound(detail=_with_cart_ids(detail, unsold))
    if bad:
        metrics.stock_conflict()
        return OutOfStock(detail={"p_status_array": sku_service.stock_status(_stock_lines(quote))})
    if quote.total_price > ORDER_TOTAL_MAX:
        total, most = money_text(quote.total_price), money_text(ORDER_TOTAL_MAX)
        return OrderTotalTooLarge(
            f"The order totals {total}; one order can total at most {most}",
            detail={"total_price": total, "max": most},
        )
    if quote.problem.code == COUPON:
        return CouponNotUsable(
            f"This coupon cannot be used on this order: {quote.coupon.reason}",
            detail={
                "user_coupon_id": quote.user_coupon.id,
                "reason": quote.coupon.reason_code,
            },
        )
    return NoDeliveryAddress()  # the only other reason (placement reads the address first)


def _write_order(user_id: int, quote: Quote, remark: str) -> Order:
    """INSERT the order, its lines (one statement) and its first event with Core, and answer
    the order as written, unattached to the session: nothing is read back after the commit."""
    at = now()
    values = {
        "order_no": new_order_no(at),
        "user_id": user_id,
        "order_status": OrderStatus.UNPAID,
        "snap_address": address_snapshot(quote.address),
        "remark": remark,
        "expire_time": at + current_app.config["ORDER_EXPIRE_SECONDS"],
        "create_time": at,
        "update_time": at,
        **build_snapshot(quote),
    }
    connection = db.session.connection()
    try:
        written = connection.execute(insert(Order.__table__), values)
    except IntegrityError as error:
        if "order_no" in str(error.orig):
            raise _DuplicateOrderNo() from None
        raise
    order_id = written.inserted_primary_key[0]
    connection.execute(  # executemany: one multi-row INSERT on the wire
        insert(OrderProduct.__table__),
        [
            {
                "order_id": order_id,
                "product_id": line.product_id,
                "sku_id": line.sku_id,
                "spec": line.spec,
                "count": line.count,
                "price": line.price,
                "pay_amount": line.pay_amount,
            }
            for line in quote.lines
        ],
    )
    event = {
        "order_id": order_id,
        "from_status": None,
        "to_status": OrderStatus.UNPAID,
        "actor_type": "customer",
        "actor_id": user_id,
        "create_time": at,
    }
    connection.execute(insert(OrderEvent.__table__), event)
    return Order(id=order_id, **values)


def place_order(
    user_id: int,
    items: list[dict] | None = None,
    address_id: int | None = None,
    remark: str = "",
    *,
    cart_item_ids: list[int] | None = None,
    user_coupon_id: int | None = None,
    idempotent: IdempotentRequest | None = None,
    checkout: Checkout | None = None,
) -> Order | Replay:
    """Place an order (POST /v1/order) of `items` [{product_id, sku_id?, count}] or of the
    caller's cart lines `cart_item_ids`, reserving stock per SKU, with the caller's coupon
    `user_coupon_id` (another user's: 404 / 52060). Answers the order as written (not
    attached to the session), or, for an `idempotent` request, the answer stored with its key
    (this placement's, or the first request's when the key already placed one). `checkout`:
    the caller's, when the view read it already (`read_checkout`).

    Cart lines are read under the cart lock (another user's id is 404 / 33010) and removed in
    the order's transaction: a refused placement leaves the cart as it was, and a second
    checkout of the same lines waits for the first, then finds them gone (404 / 33010).

    The statements of a placement of `products` lines (README, "Statements per order"):
    the caller with their addresses and the freight parameters (the token check, see
    `read_checkout`), the products with their SKUs and images, one
    guarded UPDATE of the SKUs' stock and one of the products', INSERT order, INSERT every
    line, INSERT event, COMMIT; a coupon adds its SELECT and guarded UPDATE, a key its INSERT
    (first) and the answer's UPDATE.
    """
    one_source(items, cart_item_ids)
    counts = merge_lines(items) if items is not None else None
    choice = CouponChoice(user_id, user_coupon_id, detached=True)
    if checkout is None:
        checkout = read_checkout(user_id)

    def work() -> Order | Replay:
        try:
            if idempotent is not None:
                replay = idempotency.hold_key(user_id, idempotent)
                if replay is not None:
                    return replay
            choice.held()  # an id that is not the caller's answers 404 before anything else
            if cart_item_ids is not None:
                lines = cart_service.cart_lines_for_checkout(user_id, cart_item_ids)
                address = checkout.address(address_id)
                quote = quote_cart_lines(lines, address, choice, checkout.freight)
            else:
                address = checkout.address(address_id)
                quote = quote_products(counts, address, choice, checkout.freight)
            refused = refusal(quote)
            if refused is not None:
                raise refused
            reserve_stock(_stock_lines(quote))
            order = _write_order(user_id, quote, remark)
            if order.user_coupon_id is not None:
                coupons.use(order.user_coupon_id, user_id, order.id, order.create_time)
            metrics.order_placed(db.session)
            if cart_item_ids is not None:
                cart_service.remove_lines(user_id, cart_item_ids)
            placed = order
            if idempotent is not None:
                placed = Replay(*idempotency.store_answer(user_id, idempotent, order))
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return placed

    for _ in range(3):
        try:
            return retrying(work)
        except (_DuplicateOrderNo, idempotency.KeyReleased):
            continue  # a new order number / the key free again: place in a new transaction
    raise Conflict()
