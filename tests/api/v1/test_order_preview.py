"""POST /v1/order/preview: the lines, problems and exact amounts an order would have, read only."""

from sqlalchemy import select

from app.extensions import db
from app.models import CartItem, Order, Product, Sku
from app.models.base import now
from tests.factories import (
    make_address,
    make_cart_line,
    make_image,
    make_product,
    make_sku_product,
    skus_of,
)


def _preview(client, headers, body):
    return client.post("/v1/order/preview", json=body, headers=headers)


def _data(client, headers, body) -> dict:
    response = _preview(client, headers, body)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["error_code"] == 0
    return response.get_json()["data"]


def _state() -> tuple:
    """Every stock, cart line and order, read fresh: a preview must leave all of it."""
    db.session.expire_all()
    return (
        db.session.execute(select(Sku.id, Sku.stock).order_by(Sku.id)).all(),
        db.session.execute(select(Product.id, Product.stock).order_by(Product.id)).all(),
        db.session.execute(select(CartItem.id, CartItem.count).order_by(CartItem.id)).all(),
        db.session.query(Order).count(),
    )


def _shirt():
    return make_sku_product(
        specs={"颜色": ["红", "蓝"]},
        skus=[({"颜色": "红"}, "19.99", 10), ({"颜色": "蓝"}, "21.50", 2)],
        name="衬衫",
        main_img_id=make_image("/shirt.png").id,
    )


def test_preview_products_answers_merged_lines_and_exact_amounts(
    client, customer, customer_headers
):
    address = make_address(customer, name="李四")
    shirt = _shirt()
    red, _ = skus_of(shirt)
    tea = make_product(name="茶", price="0.10", stock=50)
    body = {
        "products": [
            {"product_id": tea.id, "count": 3},
            {"product_id": shirt.id, "sku_id": red.id, "count": 1},
            {"product_id": tea.id, "sku_id": skus_of(tea)[0].id, "count": 4},
            {"product_id": shirt.id, "sku_id": red.id, "count": "2"},
        ]
    }
    before = _state()

    data = _data(client, customer_headers, body)

    assert data["lines"] == [
        {
            "cart_item_id": None,
            "product_id": tea.id,
            "sku_id": skus_of(tea)[0].id,
            "name": "茶",
            "spec": "",
            "image": "",
            "price": "0.10",
            "count": 7,
            "total_price": "0.70",
            "discount": "0.00",
            "pay_amount": "0.70",
            "problem": None,
        },
        {
            "cart_item_id": None,
            "product_id": shirt.id,
            "sku_id": red.id,
            "name": "衬衫",
            "spec": "颜色:红",
            "image": "http://localhost/static/images/shirt.png",
            "price": "19.99",
            "count": 3,
            "total_price": "59.97",
            "discount": "0.00",
            "pay_amount": "59.97",
            "problem": None,
        },
    ]
    assert (data["total_count"], data["goods_amount"], data["total_price"]) == (
        10,
        "60.67",
        "60.67",
    )
    assert (data["can_place"], data["problem"]) == (True, None)
    assert data["address_id"] == address.id and data["address"]["name"] == "李四"
    assert _state() == before


def test_preview_cart_lines_marks_each_problem_and_prices_the_orderable_ones(
    client, customer, customer_headers
):
    make_address(customer)
    shirt = _shirt()
    red, blue = skus_of(shirt)
    gone = skus_of(make_product(name="下架了"))[0]
    off = skus_of(make_product(name="停售"))[0]
    lines = [
        make_cart_line(customer, red, count=2),
        make_cart_line(customer, blue, count=5),  # 2 in stock
        make_cart_line(customer, gone, count=1),
        make_cart_line(customer, off, count=1),
    ]
    db.session.get(Product, gone.product_id).delete_time = now()
    db.session.get(Sku, off.id).on_sale = False
    db.session.commit()
    ids = [line.id for line in lines]
    before = _state()

    data = _data(client, customer_headers, {"cart_item_ids": ids, "remark": "ignored"})

    assert [line["cart_item_id"] for line in data["lines"]] == ids
    assert [line["problem"] for line in data["lines"]] == [
        None,
        {"code": "short_of_stock", "reason": "Only 2 in stock", "available": 2},
        {"code": "deleted", "reason": "This product is no longer sold", "available": None},
        {"code": "off_sale", "reason": "This SKU is off sale", "available": None},
    ]
    assert [line["total_price"] for line in data["lines"]] == ["39.98", "107.50", "9.90", "9.90"]
    assert data["lines"][2]["name"] == "下架了"
    assert (data["total_count"], data["goods_amount"], data["total_price"]) == (2, "39.98", "39.98")
    assert data["can_place"] is False
    assert data["problem"] == {
        "code": "lines",
        "reason": "3 lines cannot be ordered as they stand",
        "available": None,
    }
    assert _state() == before


def test_preview_products_problems_sku_required_missing_unknown_and_off_sale(
    client, customer, customer_headers
):
    make_address(customer)
    shirt, other = _shirt(), make_product()
    off = make_product(on_sale=False, name="停售")
    body = {
        "products": [
            {"product_id": shirt.id, "count": 1},
            {"product_id": shirt.id, "sku_id": skus_of(other)[0].id, "count": 1},
            {"product_id": 987654, "count": 1},
            {"product_id": off.id, "count": 1},
        ]
    }
    data = _data(client, customer_headers, body)
    assert [(line["problem"]["code"], line["sku_id"]) for line in data["lines"]] == [
        ("sku_required", None),
        ("sku_missing", skus_of(other)[0].id),
        ("deleted", None),
        ("off_sale", skus_of(off)[0].id),
    ]
    assert data["lines"][0]["problem"]["reason"] == "This product has 2 SKUs: choose one"
    assert [line["price"] for line in data["lines"]] == [None, None, None, "9.90"]
    assert data["lines"][2]["name"] == ""
    assert (data["total_count"], data["goods_amount"], data["can_place"]) == (0, "0.00", False)


def test_preview_without_an_address_cannot_be_placed(client, customer, customer_headers):
    product = make_product(price="2.00")
    data = _data(client, customer_headers, {"products": [{"product_id": product.id, "count": 2}]})
    assert (data["address_id"], data["address"], data["can_place"]) == (None, None, False)
    assert data["problem"]["code"] == "no_address"
    assert data["total_price"] == "4.00"


def test_preview_with_a_chosen_address_answers_it_and_others_are_404(
    client, customer, other_customer, customer_headers
):
    make_address(customer, name="默认")
    chosen = make_address(customer, name="公司", is_default=False)
    body = {"products": [{"product_id": make_product().id, "count": 1}]}
    data = _data(client, customer_headers, {**body, "address_id": chosen.id})
    assert (data["address_id"], data["address"]["name"]) == (chosen.id, "公司")
    foreign = make_address(other_customer)
    response = _preview(client, customer_headers, {**body, "address_id": foreign.id})
    assert (response.status_code, response.get_json()["error_code"]) == (404, 60010)


def test_preview_over_the_order_total_cannot_be_placed(client, customer, customer_headers):
    make_address(customer)
    product = make_product(price="99999999.99", stock=5)
    data = _data(client, customer_headers, {"products": [{"product_id": product.id, "count": 2}]})
    assert data["total_price"] == "199999999.98"
    assert data["problem"]["code"] == "total_too_large"
    assert data["can_place"] is False


def test_preview_other_users_cart_line_is_404(client, customer, other_customer, customer_headers):
    mine = make_cart_line(customer).id
    theirs = make_cart_line(other_customer).id
    response = _preview(client, customer_headers, {"cart_item_ids": [mine, theirs]})
    payload = response.get_json()
    assert (response.status_code, payload["error_code"], payload["detail"]) == (
        404,
        33010,
        {"ids": [theirs]},
    )


def test_preview_with_both_bodies_or_neither_is_400(client, customer, customer_headers):
    line = make_cart_line(customer)
    both = {"products": [{"product_id": line.product_id, "count": 1}], "cart_item_ids": [line.id]}
    for body in (both, {}, {"address_id": 1}):
        response = _preview(client, customer_headers, body)
        assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)
        assert "Send products or cart_item_ids" in response.get_json()["msg"]


def test_preview_needs_login(client):
    assert _preview(client, {}, {"cart_item_ids": [1]}).status_code == 401


def test_placed_order_equals_its_preview(client, customer, customer_headers):
    """The placed order's lines and amounts are the preview's, for both forms."""
    make_address(customer)
    shirt = _shirt()
    red, blue = skus_of(shirt)
    tea = make_product(price="0.10", stock=50)
    cart_ids = [make_cart_line(customer, red, count=3).id, make_cart_line(customer, blue).id]
    products = [
        {"product_id": tea.id, "count": 7},
        {"product_id": shirt.id, "sku_id": red.id, "count": 1},
    ]
    for body in ({"cart_item_ids": cart_ids}, {"products": products}):
        preview = _data(client, customer_headers, body)
        assert preview["can_place"] is True
        placed = client.post("/v1/order", json=body, headers=customer_headers)
        assert placed.status_code == 201, placed.get_json()
        order = db.session.get(Order, placed.get_json()["data"]["order_id"])
        assert (order.total_count, str(order.total_price)) == (
            preview["total_count"],
            preview["total_price"],
        )
        keys = ("sku_id", "name", "spec", "price", "count", "total_price")
        assert [{k: item[k] for k in keys} for item in order.snap_items] == [
            {k: line[k] for k in keys} for line in preview["lines"]
        ]
        assert [item["main_image"] for item in order.snap_items] == [
            line["image"] for line in preview["lines"]
        ]


def test_apidocs_document_both_order_forms_and_the_preview(client):
    spec = client.get("/apispec_1.json").get_json()
    form = spec["definitions"]["OrderCreateForm"]["properties"]
    assert {"products", "cart_item_ids", "address_id", "remark", "user_coupon_id"} <= set(form)
    assert "cart_item_ids" in form["products"]["description"]
    preview = spec["paths"]["/v1/order/preview"]["post"]
    assert preview["responses"]["200"]["schema"]["properties"]["data"] == {
        "$ref": "#/definitions/OrderPreview"
    }
    assert preview["parameters"][0]["schema"] == {"$ref": "#/definitions/OrderPreviewForm"}
    assert set(preview["responses"]["404"]["x-error-codes"]) == {33010, 52060, 60010}
    line = spec["definitions"]["OrderPreviewLine"]["properties"]
    assert line["problem"] == {"$ref": "#/definitions/OrderProblem"}
    placing = spec["paths"]["/v1/order"]["post"]["responses"]
    assert 33010 in placing["404"]["x-error-codes"]
