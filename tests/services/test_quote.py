"""Order quotes: constant statements per preview, the quote placement uses, and the cart list of
several-SKU products with their own images."""

import pytest

from app.models import Sku
from app.services import orders
from tests.factories import (
    auth_headers,
    make_address,
    make_cart_line,
    make_image,
    make_sku_product,
    make_user,
    skus_of,
    spoil_sku,
)
from tests.helpers import statements_of


def _sku_of_every_kind(n: int) -> Sku:
    """A SKU with its own image, of kind n (factories.spoil_sku)."""
    product = make_sku_product(
        specs={"颜色": ["红", "蓝"]},
        skus=[({"颜色": "红"}, "10.00", 50), ({"颜色": "蓝"}, "12.50", 50)],
        main_img_id=make_image().id,
    )
    sku = skus_of(product)[n % 2]
    sku.img_id = make_image().id
    return spoil_sku(sku, n)


def _cart(user, lines: int) -> list[int]:
    return [make_cart_line(user, _sku_of_every_kind(n), count=2).id for n in range(lines)]


def _products(lines: int) -> list[dict]:
    items = []
    for n in range(lines):
        sku = _sku_of_every_kind(n)
        items.append({"product_id": sku.product_id, "sku_id": sku.id, "count": 2})
    return items


@pytest.mark.parametrize("form", ["cart_item_ids", "products"])
def test_preview_statement_count_does_not_grow_with_lines(client, form):
    counts = []
    for lines in (2, 20):
        user = make_user()
        make_address(user)
        body = {"cart_item_ids": _cart(user, lines)} if form == "cart_item_ids" else {}
        body = body or {"products": _products(lines)}
        count, data = statements_of(client, "/v1/order/preview", auth_headers(user), body)
        assert len(data["lines"]) == lines
        assert all(line["image"].endswith(".png") for line in data["lines"])
        counts.append(count)
        if lines == 20:
            problems = {(line["problem"] or {}).get("code") for line in data["lines"]}
            assert problems == {None, "deleted", "off_sale", "short_of_stock"}
    assert counts[0] == counts[1]
    # the caller, the default address, the lines (one join: cart lines or products with their
    # SKUs and images), the two freight parameters (one statement), the caller's coupons with
    # their templates (one join)
    assert counts[0] == 5


def test_cart_list_of_several_sku_products_statement_count_does_not_grow(client):
    counts = []
    for lines in (2, 20):
        user = make_user()
        _cart(user, lines)
        count, data = statements_of(client, "/v1/cart", auth_headers(user))
        assert len(data["items"]) == lines
        assert all("/static/images/" in item["image"] for item in data["items"])
        assert {item["spec"] for item in data["items"]} == {"颜色:红", "颜色:蓝"}
        counts.append(count)
    assert counts[0] == counts[1] <= 2


def test_preview_quote_is_the_one_placement_writes(app, customer):
    make_address(customer)
    red, blue = skus_of(
        make_sku_product(
            specs={"颜色": ["红", "蓝"]},
            skus=[({"颜色": "红"}, "0.10", 5), ({"颜色": "蓝"}, "33.33", 5)],
        )
    )
    items = [
        {"product_id": red.product_id, "sku_id": blue.id, "count": 3},
        {"product_id": red.product_id, "sku_id": red.id, "count": 1},
    ]
    quote = orders.preview_order(customer.id, items)
    assert (quote.can_place, quote.total_count, str(quote.goods_amount)) == (True, 4, "100.09")
    order = orders.place_order(customer.id, items)
    assert (order.total_count, order.total_price) == (quote.total_count, quote.total_price)
    assert [(i["sku_id"], i["count"]) for i in order.snap_items] == [
        (line.sku_id, line.count) for line in quote.lines
    ]
