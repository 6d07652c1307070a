"""Placing an order (POST /v1/order) from `products` lines or from the caller's cart lines: the
quote (quote.py) refused unless it can be placed, stock reserved per SKU, address and line
snapshots written from the quote, the coupon marked used (a guarded UPDATE), ordered cart lines
removed, all in one retried transaction: a refused order reserves nothing and uses no coupon."""

import secrets

from flask import current_app
from sqlalchemy import select

from app.core import metrics
from app.core.db import retrying
from app.core.exceptions import (
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
from app.models import Address, Order, OrderEvent, OrderProduct, OrderStatus
from app.models.base import money_text, now
from app.models.catalog import image_url
from app.services import address as address_service
from app.services import cart as cart_service
from app.services import coupons
from app.services import sku as sku_service
from app.services.orders.quote import (
    COUPON,
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


def delivery_address(user_id: int, address_id: int | None) -> Address:
    """The caller's chosen address (owner-scoped), or their default one."""
    if address_id is not None:
        return address_service.get_own_address(user_id, address_id)
    address = address_service.default_address(user_id)
    if address is None:
        raise NoDeliveryAddress()
    return address


def new_order_no(at: int) -> str:
    while True:
        order_no = local_date(at) + f"{secrets.randbelow(10**12):012d}"
        if db.session.scalar(select(Order.id).where(Order.order_no == order_no)) is None:
            return order_no


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
    at = now()
    order = Order(
        order_no=new_order_no(at),
        user_id=user_id,
        order_status=OrderStatus.UNPAID,
        snap_address=address_snapshot(quote.address),
        remark=remark,
        expire_time=at + current_app.config["ORDER_EXPIRE_SECONDS"],
        create_time=at,
        update_time=at,
        **build_snapshot(quote),
    )
    db.session.add(order)
    db.session.flush()
    for line in quote.lines:
        db.session.add(
            OrderProduct(
                order_id=order.id,
                product_id=line.product_id,
                sku_id=line.sku_id,
                spec=line.spec,
                count=line.count,
                price=line.price,
                pay_amount=line.pay_amount,
            )
        )
    db.session.add(
        OrderEvent(
            order_id=order.id,
            from_status=None,
            to_status=OrderStatus.UNPAID,
            actor_type="customer",
            actor_id=user_id,
        )
    )
    return order


def place_order(
    user_id: int,
    items: list[dict] | None = None,
    address_id: int | None = None,
    remark: str = "",
    *,
    cart_item_ids: list[int] | None = None,
    user_coupon_id: int | None = None,
) -> Order:
    """Place an order (POST /v1/order) of `items` [{product_id, sku_id?, count}] or of the
    caller's cart lines `cart_item_ids`, reserving stock per SKU, with the caller's coupon
    `user_coupon_id` (another user's: 404 / 52060).

    Cart lines are read under the cart lock (another user's id is 404 / 33010) and removed in
    the order's transaction: a refused placement leaves the cart as it was, and a second
    checkout of the same lines waits for the first, then finds them gone (404 / 33010).
    """
    one_source(items, cart_item_ids)
    counts = merge_lines(items) if items is not None else None
    choice = CouponChoice(user_id, user_coupon_id)

    def work() -> Order:
        try:
            choice.held()  # an id that is not the caller's answers 404 before anything else
            if cart_item_ids is not None:
                lines = cart_service.cart_lines_for_checkout(user_id, cart_item_ids)
                quote = quote_cart_lines(lines, delivery_address(user_id, address_id), choice)
            else:
                quote = quote_products(counts, delivery_address(user_id, address_id), choice)
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
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        return order

    return retrying(work)
