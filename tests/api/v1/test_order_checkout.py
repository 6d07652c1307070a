"""POST /v1/order with cart_item_ids: checkout from the cart (lines ordered, then removed)."""

from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import CartItem, Order, OrderProduct, Sku
from app.models.base import now
from tests.factories import (
    make_address,
    make_cart_line,
    make_image,
    make_product,
    make_sku_product,
    skus_of,
)


def _post(client, headers, body, **extra_headers):
    return client.post("/v1/order", json=body, headers={**headers, **extra_headers})


def _cart(user_id: int) -> list[tuple[int, int, int]]:
    db.session.expire_all()
    rows = db.session.execute(
        select(CartItem.id, CartItem.sku_id, CartItem.count)
        .where(CartItem.user_id == user_id)
        .order_by(CartItem.id)
    ).all()
    return [tuple(row) for row in rows]


def _stocks(*skus) -> list[int]:
    db.session.expire_all()
    return [db.session.get(Sku, sku.id).stock for sku in skus]


def _lines(order_id: int) -> list[tuple[int, int, Decimal]]:
    rows = db.session.scalars(
        select(OrderProduct).where(OrderProduct.order_id == order_id).order_by(OrderProduct.id)
    )
    return [(row.sku_id, row.count, row.price) for row in rows]


def _orders() -> int:
    return db.session.query(Order).count()


def _cart_of_three(customer):
    """Two SKUs of a several-SKU product and a plain product, one line each."""
    make_address(customer)
    shirt = make_sku_product(
        specs={"颜色": ["红", "蓝"]},
        skus=[({"颜色": "红"}, "19.99", 10), ({"颜色": "蓝"}, "21.50", 10)],
        name="衬衫",
    )
    red, blue = skus_of(shirt)
    tea = skus_of(make_product(name="茶", price="0.10", stock=10))[0]
    lines = [
        make_cart_line(customer, red, count=3),
        make_cart_line(customer, blue, count=1),
        make_cart_line(customer, tea, count=7),
    ]
    return (red, blue, tea), lines


def test_create_order_from_cart_orders_the_lines_skus_and_counts_and_removes_them(
    client, customer, customer_headers
):
    (red, blue, tea), (red_line, blue_line, tea_line) = _cart_of_three(customer)
    body = {"cart_item_ids": [tea_line.id, red_line.id], "remark": " 门口 "}

    response = _post(client, customer_headers, body)

    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert (data["total_count"], data["total_price"]) == (10, "60.67")  # 0.70 + 59.97
    order = db.session.get(Order, data["order_id"])
    assert order.user_id == customer.id and order.remark == "门口"
    assert [(i["sku_id"], i["spec"], i["count"], i["total_price"]) for i in order.snap_items] == [
        (tea.id, "", 7, "0.70"),
        (red.id, "颜色:红", 3, "59.97"),
    ]
    assert _lines(order.id) == [(tea.id, 7, Decimal("0.10")), (red.id, 3, Decimal("19.99"))]
    assert _cart(customer.id) == [(blue_line.id, blue.id, 1)]
    assert _stocks(red, blue, tea) == [7, 10, 3]


def test_create_order_from_cart_uses_todays_price_not_the_price_when_added(
    client, customer, customer_headers
):
    make_address(customer)
    sku = skus_of(make_product(price="5.00"))[0]
    line = make_cart_line(customer, sku, count=2)
    sku.price = Decimal("6.25")
    db.session.commit()
    response = _post(client, customer_headers, {"cart_item_ids": [line.id], "price": "0.01"})
    assert response.get_json()["data"]["total_price"] == "12.50"


def test_create_order_with_products_and_cart_item_ids_or_neither_is_400(
    client, customer, customer_headers
):
    make_address(customer)
    sku = skus_of(make_product())[0]
    line = make_cart_line(customer, sku, count=1)
    both = {"products": [{"product_id": sku.product_id, "count": 1}], "cart_item_ids": [line.id]}
    for body, message in (
        (both, "cart_item_ids: Send products or cart_item_ids, not both."),
        ({"remark": "x"}, "cart_item_ids: Send products or cart_item_ids."),
        ({}, "cart_item_ids: Send products or cart_item_ids."),
    ):
        response = _post(client, customer_headers, body)
        payload = response.get_json()
        assert (response.status_code, payload["error_code"]) == (400, 1000), payload
        assert payload["msg"] == message
    assert _orders() == 0
    assert _cart(customer.id) == [(line.id, sku.id, 1)]


def test_create_order_cart_item_ids_must_be_an_id_list(client, customer, customer_headers):
    for bad in ([], [0], ["x"], "1,x", [True], list(range(1, 22))):
        response = _post(client, customer_headers, {"cart_item_ids": bad})
        assert response.status_code == 400, bad
        assert response.get_json()["msg"].startswith("cart_item_ids: "), bad


def test_create_order_from_another_users_line_is_404_and_leaves_both_carts(
    client, customer, other_customer, customer_headers
):
    make_address(customer)
    mine = make_cart_line(customer, count=1)
    theirs = make_cart_line(other_customer, count=2)
    response = _post(client, customer_headers, {"cart_item_ids": [mine.id, theirs.id]})
    payload = response.get_json()
    assert (response.status_code, payload["error_code"]) == (404, 33010)
    assert payload["detail"] == {"ids": [theirs.id]}
    assert _cart(customer.id) == [(mine.id, mine.sku_id, 1)]
    assert _cart(other_customer.id) == [(theirs.id, theirs.sku_id, 2)]
    assert _orders() == 0


def test_create_order_from_cart_short_of_stock_is_409_and_keeps_the_cart(
    client, customer, customer_headers
):
    (red, blue, tea), lines = _cart_of_three(customer)
    db.session.get(Sku, red.id).stock = 2  # the line holds 3
    db.session.commit()
    before = _cart(customer.id)
    response = _post(client, customer_headers, {"cart_item_ids": [line.id for line in lines]})
    payload = response.get_json()
    assert (response.status_code, payload["error_code"]) == (409, 50020)
    status = {row["sku_id"]: row for row in payload["detail"]["p_status_array"]}
    assert (status[red.id]["stock"], status[red.id]["has_stock"]) == (2, False)
    assert status[tea.id]["has_stock"] is True
    assert _cart(customer.id) == before
    assert _stocks(red, blue, tea) == [2, 10, 10]
    assert _orders() == 0


def test_create_order_from_cart_with_an_off_sale_sku_is_404_30060_and_keeps_the_cart(
    client, customer, customer_headers
):
    (red, blue, tea), lines = _cart_of_three(customer)
    db.session.get(Sku, blue.id).on_sale = False
    db.session.commit()
    before = _cart(customer.id)
    response = _post(client, customer_headers, {"cart_item_ids": [line.id for line in lines]})
    payload = response.get_json()
    assert (response.status_code, payload["error_code"]) == (404, 30060)
    assert payload["detail"] == {"sku_ids": [blue.id], "cart_item_ids": [lines[1].id]}
    assert _cart(customer.id) == before
    assert _stocks(red, blue, tea) == [10, 10, 10]


def test_create_order_from_cart_with_a_deleted_product_is_404_30010_and_keeps_the_cart(
    client, customer, customer_headers
):
    (red, blue, tea), lines = _cart_of_three(customer)
    product = db.session.get(Sku, tea.id).product
    product.delete_time = now()
    db.session.commit()
    before = _cart(customer.id)
    response = _post(client, customer_headers, {"cart_item_ids": [line.id for line in lines]})
    payload = response.get_json()
    assert (response.status_code, payload["error_code"]) == (404, 30010)
    assert payload["detail"] == {"product_ids": [tea.product_id], "cart_item_ids": [lines[2].id]}
    assert _cart(customer.id) == before
    assert _orders() == 0


def test_create_order_from_cart_without_an_address_keeps_the_cart(
    client, customer, customer_headers
):
    line = make_cart_line(customer, count=1)
    response = _post(client, customer_headers, {"cart_item_ids": [line.id]})
    assert (response.status_code, response.get_json()["error_code"]) == (400, 60030)
    assert _cart(customer.id) == [(line.id, line.sku_id, 1)]


def test_create_order_from_cart_caps_name_cart_item_ids(app, client, customer, customer_headers):
    make_address(customer)
    lines = [make_cart_line(customer, count=5) for _ in range(3)]
    app.config["ORDER_MAX_TOTAL_COUNT"] = 12
    try:
        response = _post(client, customer_headers, {"cart_item_ids": [x.id for x in lines]})
    finally:
        app.config["ORDER_MAX_TOTAL_COUNT"] = 999
    assert response.status_code == 400
    assert response.get_json()["msg"] == "cart_item_ids: at most 12 units in one order"
    assert len(_cart(customer.id)) == 3


def test_create_order_from_the_same_lines_twice_answers_404_the_second_time(
    client, customer, customer_headers
):
    make_address(customer)
    sku = skus_of(make_product(stock=10))[0]
    body = {"cart_item_ids": [make_cart_line(customer, sku, count=4).id]}
    first = _post(client, customer_headers, body)
    second = _post(client, customer_headers, body)
    assert first.status_code == 201
    assert (second.status_code, second.get_json()["error_code"]) == (404, 33010)
    assert _orders() == 1
    assert _stocks(sku) == [6]


def test_create_order_from_cart_idempotency_key_replays_and_removes_once(
    client, customer, customer_headers
):
    make_address(customer)
    sku = skus_of(make_product(stock=10))[0]
    other = skus_of(make_product(stock=10))[0]
    body = {"cart_item_ids": [make_cart_line(customer, sku, count=2).id]}
    kept = make_cart_line(customer, other, count=1).id
    key = {"Idempotency-Key": "cart-1"}
    first = _post(client, customer_headers, body, **key)
    again = _post(client, customer_headers, body, **key)
    assert first.status_code == again.status_code == 201
    assert again.get_json() == first.get_json()
    assert _orders() == 1
    assert _stocks(sku, other) == [8, 10]
    assert _cart(customer.id) == [(kept, other.id, 1)]
    reused = _post(client, customer_headers, {"cart_item_ids": [kept]}, **key)
    assert (reused.status_code, reused.get_json()["error_code"]) == (409, 50050)
    assert _cart(customer.id) == [(kept, other.id, 1)]


def test_create_order_from_cart_failed_key_can_be_retried(client, customer, customer_headers):
    sku = skus_of(make_product(stock=10))[0]
    body = {"cart_item_ids": [make_cart_line(customer, sku, count=2).id]}
    key = {"Idempotency-Key": "cart-retry"}
    refused = _post(client, customer_headers, body, **key)
    assert refused.get_json()["error_code"] == 60030
    make_address(customer)
    placed = _post(client, customer_headers, body, **key)
    assert placed.status_code == 201
    assert _cart(customer.id) == []


def test_create_order_from_cart_snapshot_takes_the_skus_image(client, customer, customer_headers):
    make_address(customer)
    product = make_sku_product(
        specs={"颜色": ["红"]}, skus=[({"颜色": "红"}, "3.00", 5)], main_img_id=make_image().id
    )
    sku = skus_of(product)[0]
    sku.img_id = make_image("/sku-red.png").id
    db.session.commit()
    line = make_cart_line(customer, sku, count=1)
    response = _post(client, customer_headers, {"cart_item_ids": [line.id]})
    order = db.session.get(Order, response.get_json()["data"]["order_id"])
    assert order.snap_items[0]["main_image"].endswith("/static/images/sku-red.png")
