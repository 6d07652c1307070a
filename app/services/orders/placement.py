"""Placing an order (POST /v1/order): lines merged and capped, address and product/SKU
snapshots, the total bounded, stock reserved per SKU, all in one retried transaction."""

import secrets
from collections import Counter

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.core.db import retrying
from app.core.exceptions import (
    NoDeliveryAddress,
    OrderTotalTooLarge,
    ParameterException,
    ProductNotFound,
)
from app.core.forms import INT_LIMIT, MONEY_MAX
from app.core.timefmt import local_date
from app.extensions import db
from app.models import Address, Order, OrderEvent, OrderProduct, OrderStatus, Product
from app.models.base import fen_to_yuan, money_text, now
from app.models.catalog import image_url
from app.services import address as address_service
from app.services import sku as sku_service
from app.services.orders.stock import reserve_stock

# The most one order can total: its DECIMAL(10,2) column, and the payment and refund rows that
# hold the amount as a 32-bit integer of fen, so 21474836.47 (WeChat Pay's total is fen too).
ORDER_TOTAL_MAX = min(MONEY_MAX, fen_to_yuan(INT_LIMIT))


def merge_lines(items: list[dict]) -> dict[tuple[int, int | None], int]:
    """Counts per (product_id, sku_id or None) (repeated lines summed, first-seen order kept),
    caps checked (the unit cap is per product, whatever its SKUs)."""
    config = current_app.config
    lines: Counter[tuple] = Counter()
    counts: Counter[int] = Counter()
    for item in items:
        lines[(item["product_id"], item.get("sku_id"))] += item["count"]
        counts[item["product_id"]] += item["count"]
    if len(items) > config["ORDER_MAX_LINES"]:
        raise ParameterException(f"products: at most {config['ORDER_MAX_LINES']} products")
    if any(count > config["ORDER_MAX_COUNT"] for count in counts.values()):
        raise ParameterException(
            f"products: at most {config['ORDER_MAX_COUNT']} units of one product"
        )
    if sum(counts.values()) > config["ORDER_MAX_TOTAL_COUNT"]:
        raise ParameterException(
            f"products: at most {config['ORDER_MAX_TOTAL_COUNT']} units in one order"
        )
    return dict(lines)


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


def build_snapshot(lines: list[sku_service.Line]) -> dict:
    """snap_name, snap_img, snap_items, totals, from the lines' product and SKU rows in line
    order; an item names its SKU and spec text ("颜色:红;尺码:M", "" for a default SKU)."""
    items = []
    for line in lines:
        product, sku = line.product, line.sku
        items.append(
            {
                "id": product.id,
                "sku_id": sku.id,
                "name": product.name,
                "spec": sku.spec_text,
                "price": money_text(sku.price),
                "count": line.count,
                "total_price": money_text(line.total),
                "main_image": image_url(sku.img or product.main_img),
            }
        )
    first = lines[0].product
    names = {line.product.id for line in lines}
    return {
        "snap_name": (first.name + (" 等" if len(names) > 1 else ""))[:100],
        "snap_img": image_url(first.main_img),
        "snap_items": items,
        "total_count": sum(line.count for line in lines),
        "total_price": sum((line.total for line in lines), start=0),
    }


def check_total(lines: list[sku_service.Line]) -> None:
    """400 / 50060 when the order would total more than ORDER_TOTAL_MAX (a line total is at
    most the order total, so this bounds every line too)."""
    total = sum((line.total for line in lines), start=0)
    if total > ORDER_TOTAL_MAX:
        db.session.rollback()
        raise OrderTotalTooLarge(
            f"The order totals {money_text(total)}; one order can total at most "
            f"{money_text(ORDER_TOTAL_MAX)}",
            detail={"total_price": money_text(total), "max": money_text(ORDER_TOTAL_MAX)},
        )


def _stock_lines(lines: list[sku_service.Line]) -> list[tuple[int, int, int]]:
    return [(line.sku.id, line.product.id, line.count) for line in lines]


def place_order(user_id: int, items: list[dict], address_id=None, remark: str = "") -> Order:
    """Place an order for `items` [{product_id, sku_id?, count}] (POST /v1/order), reserving
    stock per SKU."""
    counts = merge_lines(items)
    product_ids = list(dict.fromkeys(product_id for product_id, _ in counts))

    def work() -> Order:
        address = delivery_address(user_id, address_id)
        rows = db.session.scalars(
            select(Product)
            .where(Product.id.in_(product_ids), Product.on_sale.is_(True))
            .options(selectinload(Product.skus))
        ).all()
        by_id = {product.id: product for product in rows}
        missing = [product_id for product_id in product_ids if product_id not in by_id]
        if missing:
            db.session.rollback()
            raise ProductNotFound(detail={"product_ids": missing})
        try:
            lines = sku_service.resolve_lines(by_id, counts)
        except Exception:
            db.session.rollback()
            raise
        check_total(lines)
        reserve_stock(_stock_lines(lines))
        at = now()
        order = Order(
            order_no=new_order_no(at),
            user_id=user_id,
            order_status=OrderStatus.UNPAID,
            snap_address=address_snapshot(address),
            remark=remark,
            expire_time=at + current_app.config["ORDER_EXPIRE_SECONDS"],
            create_time=at,
            update_time=at,
            **build_snapshot(lines),
        )
        db.session.add(order)
        db.session.flush()
        for line in lines:
            db.session.add(
                OrderProduct(
                    order_id=order.id,
                    product_id=line.product.id,
                    sku_id=line.sku.id,
                    spec=line.sku.spec_text,
                    count=line.count,
                    price=line.sku.price,
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
        db.session.commit()
        return order

    return retrying(work)
