"""POST/GET/PUT /v1/order: placement, listing, detail, cancel, receive."""

from decimal import Decimal

from sqlalchemy import select

from app.extensions import db
from app.models import IdempotencyKey, Order, OrderEvent, OrderProduct, OrderStatus, Product
from tests.factories import (
    make_address,
    make_image,
    make_order,
    make_product,
    make_sku_product,
    skus_of,
)


def _stock(product_id: int) -> int:
    db.session.expire_all()
    return db.session.get(Product, product_id).stock


def _post(client, headers, body, **extra_headers):
    return client.post("/v1/order", json=body, headers={**headers, **extra_headers})


def test_create_order_reserves_stock_and_snapshots(client, customer, customer_headers):
    address = make_address(customer, name="李四", mobile="13900000000")
    image = make_image("/p1.png")
    first = make_product(name="Tea", price="12.90", stock=5, main_img_id=image.id)
    second = make_product(name="Rice", price="0.10", stock=3)
    body = {
        "products": [
            {"product_id": first.id, "count": 1},
            {"product_id": second.id, "count": 2},
            {"product_id": first.id, "count": "1"},
        ],
        "remark": "  leave at door ",
        "price": "0.01",
    }
    response = _post(client, customer_headers, body)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert data["total_price"] == "26.00"
    assert data["total_count"] == 4
    assert data["pass"] is True
    assert len(data["order_no"]) == 20 and data["order_no"].isdigit()
    assert data["expire_time"] - data["create_time"] == 1800

    order = db.session.get(Order, data["order_id"])
    assert order.order_status == OrderStatus.UNPAID
    assert order.snap_name == "Tea 等"
    assert order.snap_img.endswith("/static/images/p1.png")
    assert order.snap_address["name"] == "李四" and order.snap_address["mobile"] == "13900000000"
    assert order.remark == "leave at door"
    assert order.total_price == Decimal("26.00")
    assert [(i["id"], i["count"], i["price"], i["total_price"]) for i in order.snap_items] == [
        (first.id, 2, "12.90", "25.80"),
        (second.id, 2, "0.10", "0.20"),
    ]
    lines = db.session.scalars(select(OrderProduct).where(OrderProduct.order_id == order.id)).all()
    assert {(line.product_id, line.count) for line in lines} == {(first.id, 2), (second.id, 2)}
    # The amount model without freight or coupon: everything paid is the goods.
    assert (order.goods_amount, order.freight_amount, order.coupon_discount) == (
        Decimal("26.00"),
        Decimal("0.00"),
        Decimal("0.00"),
    )
    assert sorted(line.pay_amount for line in lines) == [Decimal("0.20"), Decimal("25.80")]
    detail = client.get(f"/v1/order/{order.id}", headers=customer_headers).get_json()["data"]
    assert {key: detail[key] for key in ("goods_amount", "freight_amount", "pay_amount")} == {
        "goods_amount": "26.00",
        "freight_amount": "0.00",
        "pay_amount": "26.00",
    }
    assert detail["coupon_discount"] == "0.00" and detail["total_price"] == "26.00"
    assert _stock(first.id) == 3 and _stock(second.id) == 1
    events = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id)).all()
    assert [(e.from_status, e.to_status, e.actor_type, e.actor_id) for e in events] == [
        (None, 1, "customer", customer.id)
    ]
    assert address.id


def test_create_order_out_of_stock_rolls_back(client, customer, customer_headers):
    make_address(customer)
    plenty = make_product(stock=10)
    short = make_product(name="Short", stock=1)
    body = {
        "products": [{"product_id": plenty.id, "count": 2}, {"product_id": short.id, "count": 2}]
    }
    response = _post(client, customer_headers, body)
    assert response.status_code == 409
    payload = response.get_json()
    assert payload["error_code"] == 50020
    assert payload["detail"]["p_status_array"] == [
        {
            "id": plenty.id,
            "sku_id": skus_of(plenty)[0].id,
            "name": plenty.name,
            "spec": "",
            "count": 2,
            "stock": 10,
            "has_stock": True,
        },
        {
            "id": short.id,
            "sku_id": skus_of(short)[0].id,
            "name": "Short",
            "spec": "",
            "count": 2,
            "stock": 1,
            "has_stock": False,
        },
    ]
    assert _stock(plenty.id) == 10 and _stock(short.id) == 1
    assert db.session.scalar(select(Order.id)) is None


def test_create_order_missing_product_is_404(client, customer, customer_headers):
    make_address(customer)
    off = make_product(on_sale=False)
    response = _post(client, customer_headers, {"products": [{"product_id": off.id, "count": 1}]})
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 30010
    assert response.get_json()["detail"] == {"product_ids": [off.id]}


def test_create_order_caps_after_merge_are_400(client, app, customer, customer_headers):
    make_address(customer)
    product = make_product(stock=500)
    lines = [{"product_id": product.id, "count": 50}, {"product_id": product.id, "count": 50}]
    response = _post(client, customer_headers, {"products": lines})
    assert response.status_code == 400 and response.get_json()["error_code"] == 1000
    many = [{"product_id": make_product().id, "count": 1} for _ in range(21)]
    response = _post(client, customer_headers, {"products": many})
    assert response.status_code == 400
    for bad in ([], [{"product_id": product.id, "count": 0}], [{"product_id": "x", "count": 1}]):
        assert _post(client, customer_headers, {"products": bad}).status_code == 400
    assert _stock(product.id) == 500


def test_create_order_address_rules(client, customer, other_customer, customer_headers):
    product = make_product()
    body = {"products": [{"product_id": product.id, "count": 1}]}
    response = _post(client, customer_headers, body)
    assert response.status_code == 400 and response.get_json()["error_code"] == 60030
    foreign = make_address(other_customer)
    response = _post(client, customer_headers, {**body, "address_id": foreign.id})
    assert response.status_code == 404 and response.get_json()["error_code"] == 60010
    make_address(customer, is_default=False, name="Old")
    make_address(customer, is_default=True, name="Default")
    response = _post(client, customer_headers, body)
    order = db.session.get(Order, response.get_json()["data"]["order_id"])
    assert order.snap_address["name"] == "Default"


def test_create_order_needs_login(client):
    response = client.post("/v1/order", json={"products": []})
    assert response.status_code == 401


def test_create_order_idempotency_key_replays_first_answer(client, customer, customer_headers):
    make_address(customer)
    product = make_product(stock=5)
    body = {"products": [{"product_id": product.id, "count": 1}]}
    first = _post(client, customer_headers, body, **{"Idempotency-Key": "abc-1"})
    second = _post(client, customer_headers, body, **{"Idempotency-Key": "abc-1"})
    assert first.status_code == second.status_code == 201
    assert first.get_json() == second.get_json()
    assert _stock(product.id) == 4
    assert db.session.query(Order).count() == 1
    other = _post(
        client,
        customer_headers,
        {"products": [{"product_id": product.id, "count": 2}]},
        **{"Idempotency-Key": "abc-1"},
    )
    assert other.status_code == 409 and other.get_json()["error_code"] == 50050
    bad = _post(client, customer_headers, body, **{"Idempotency-Key": "white space"})
    assert bad.status_code == 400


def test_create_order_idempotency_key_running_is_409(client, customer, customer_headers):
    from app.services.orders import request_hash

    make_address(customer)
    product = make_product(stock=5)
    body = {"products": [{"product_id": product.id, "count": 1}]}
    digest = request_hash("POST", "/v1/order", body)
    db.session.add(IdempotencyKey(user_id=customer.id, key="k1", request_hash=digest))
    db.session.commit()
    response = _post(client, customer_headers, body, **{"Idempotency-Key": "k1"})
    assert response.status_code == 409 and response.get_json()["error_code"] == 1010
    assert _stock(product.id) == 5


def test_create_order_failed_key_can_be_retried(client, customer, customer_headers):
    product = make_product(stock=5)
    body = {"products": [{"product_id": product.id, "count": 1}]}
    first = _post(client, customer_headers, body, **{"Idempotency-Key": "retry"})
    assert first.get_json()["error_code"] == 60030
    make_address(customer)
    second = _post(client, customer_headers, body, **{"Idempotency-Key": "retry"})
    assert second.status_code == 201


def test_list_orders_filters_and_pages(client, customer, other_customer, customer_headers):
    product = make_product(stock=50)
    first = make_order(customer, (product, 1))
    second = make_order(
        customer, (product, 2), order_status=OrderStatus.PAID, create_time=first.create_time + 5
    )
    make_order(other_customer, (product, 1))
    response = client.get("/v1/order?page=1&size=10", headers=customer_headers)
    data = response.get_json()["data"]
    assert [item["id"] for item in data["items"]] == [second.id, first.id]
    assert data["total"] == 2 and data["total_page"] == 1
    item = data["items"][0]
    assert item["total_price"] == "19.80" and item["pay_time"] is None
    assert "prepay_id" not in item
    paid = client.get("/v1/order?status=2,3", headers=customer_headers).get_json()["data"]
    assert [item["id"] for item in paid["items"]] == [second.id]
    for bad in ("page={1}&size={10}", "status=11", "status=a"):
        response = client.get(f"/v1/order?{bad}", headers=customer_headers)
        assert response.status_code == 400 and response.get_json()["error_code"] == 1000


def test_get_order_owner_scoped(client, customer, other_customer, customer_headers):
    order = make_order(other_customer, (make_product(), 1))
    response = client.get(f"/v1/order/{order.id}", headers=customer_headers)
    assert response.status_code == 404 and response.get_json()["error_code"] == 50010
    mine = make_order(customer, (make_product(price="3.00"), 3))
    data = client.get(f"/v1/order/{mine.id}", headers=customer_headers).get_json()["data"]
    assert data["snap_items"][0]["total_price"] == "9.00"
    assert data["snap_address"]["mobile"] == "13800138000"
    assert data["carrier"] is None and isinstance(data["create_time"], int)


def test_cancel_order_releases_stock_once(client, customer, customer_headers):
    product = make_product(stock=5)
    order = make_order(customer, (product, 2))
    assert _stock(product.id) == 3
    response = client.put(f"/v1/order/{order.id}/cancel", headers=customer_headers)
    assert response.status_code == 201
    assert response.get_json()["data"]["order_status"] == OrderStatus.CANCELLED
    assert response.get_json()["data"]["cancel_time"] is not None
    assert _stock(product.id) == 5
    again = client.put(f"/v1/order/{order.id}/cancel", headers=customer_headers)
    assert again.status_code == 409 and again.get_json()["error_code"] == 50030
    assert _stock(product.id) == 5
    events = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id)).all()
    assert [(e.to_status, e.actor_type) for e in events] == [(1, "customer"), (7, "customer")]


def test_cancel_order_of_another_user_is_404(client, other_customer, customer_headers):
    order = make_order(other_customer, (make_product(), 1))
    response = client.put(f"/v1/order/{order.id}/cancel", headers=customer_headers)
    assert response.status_code == 404
    assert db.session.get(Order, order.id).order_status == OrderStatus.UNPAID


def test_receive_order_only_when_delivered(client, customer, customer_headers):
    order = make_order(customer, (make_product(), 1))
    response = client.put(f"/v1/order/{order.id}/receive", headers=customer_headers)
    assert response.status_code == 409 and response.get_json()["error_code"] == 50030
    db.session.query(Order).filter_by(id=order.id).update({"order_status": OrderStatus.DELIVERED})
    db.session.commit()
    response = client.put(f"/v1/order/{order.id}/receive", headers=customer_headers)
    assert response.status_code == 201
    db.session.expire_all()
    stored = db.session.get(Order, order.id)
    assert stored.order_status == OrderStatus.RECEIVED and stored.receive_time is not None


# ------------------------------------------------------------ money bounds


def _order_count() -> int:
    return db.session.query(Order).count()


def test_create_order_over_the_total_column_answers_400_50060(client, customer, customer_headers):
    make_address(customer)
    product = make_product(price="99999999.99", stock=5)
    response = _post(
        client, customer_headers, {"products": [{"product_id": product.id, "count": 2}]}
    )
    body = response.get_json()
    assert (response.status_code, body["error_code"]) == (400, 50060)
    assert body["detail"] == {"total_price": "199999999.98", "max": "21474836.47"}
    assert _order_count() == 0
    assert _stock(product.id) == 5


def test_create_order_total_is_bounded_by_the_payment_fen_column(
    client, customer, customer_headers
):
    make_address(customer)
    over = make_product(price="21474836.48", stock=5)
    at_limit = make_product(price="21474836.47", stock=5)
    refused = _post(client, customer_headers, {"products": [{"product_id": over.id, "count": 1}]})
    assert (refused.status_code, refused.get_json()["error_code"]) == (400, 50060)
    placed = _post(
        client, customer_headers, {"products": [{"product_id": at_limit.id, "count": 1}]}
    )
    assert placed.status_code == 201
    assert placed.get_json()["data"]["total_price"] == "21474836.47"
    order = db.session.get(Order, placed.get_json()["data"]["order_id"])
    assert order.total_price == Decimal("21474836.47")


# ---------------------------------------------------- snapshots and the Host header


def test_create_order_with_forged_host_stores_the_public_base_url(
    client, customer, customer_headers
):
    make_address(customer)
    product = make_product(stock=5, main_img_id=make_image("/p9.png").id)
    response = client.post(
        "/v1/order",
        json={"products": [{"product_id": product.id, "count": 1}]},
        headers={**customer_headers, "Host": "attacker.example", "X-Forwarded-Host": "evil.test"},
    )
    assert response.status_code == 201
    order = db.session.get(Order, response.get_json()["data"]["order_id"])
    assert order.snap_img == "http://localhost/static/images/p9.png"
    assert order.snap_items[0]["main_image"] == "http://localhost/static/images/p9.png"


def test_create_order_snapshot_uses_the_configured_public_base_url(make_app, customer):
    from tests.factories import auth_headers

    app = make_app(PUBLIC_BASE_URL="https://shop.example.com/")
    with app.app_context():
        make_address(customer)
        product = make_product(stock=5, main_img_id=make_image("/p8.png").id)
        response = app.test_client().post(
            "/v1/order",
            json={"products": [{"product_id": product.id, "count": 1}]},
            headers={**auth_headers(customer), "Host": "attacker.example"},
        )
        assert response.status_code == 201
        order = db.session.get(Order, response.get_json()["data"]["order_id"])
        assert order.snap_img == "https://shop.example.com/static/images/p8.png"


# ------------------------------------------------------- messages name the limits


def _message(client, headers, products) -> str:
    response = _post(client, headers, {"products": products})
    assert response.status_code == 400
    return response.get_json()["msg"]


def test_create_order_count_over_limit_names_the_configured_limit(app, client, customer_headers):
    for count in (0, 100, 3_000_000_000, "3000000000"):
        line = {"product_id": 1, "count": count}
        assert _message(client, customer_headers, [line]) == (
            "products: Item 0: count: Must be 1 to 99."
        )
    app.config["ORDER_MAX_COUNT"] = 5
    try:
        line = {"product_id": 1, "count": 6}
        assert _message(client, customer_headers, [line]) == (
            "products: Item 0: count: Must be 1 to 5."
        )
    finally:
        app.config["ORDER_MAX_COUNT"] = 99


def test_create_order_too_many_lines_names_the_configured_limit(client, customer_headers):
    lines = [{"product_id": n, "count": 1} for n in range(1, 22)]
    assert _message(client, customer_headers, lines) == "products: Must hold 1 to 20 items."


def test_order_with_a_sku_answers_its_sku_and_spec_and_old_lines_answer_none(
    client, customer, customer_headers
):
    make_address(customer)
    product = make_sku_product()
    blue_l = skus_of(product)[3]
    body = {"products": [{"product_id": product.id, "sku_id": blue_l.id, "count": 2}]}
    response = _post(client, customer_headers, body)
    assert response.status_code == 201, response.get_json()
    order_id = response.get_json()["data"]["order_id"]
    item = client.get(f"/v1/order/{order_id}", headers=customer_headers).get_json()["data"][
        "snap_items"
    ][0]
    assert (item["id"], item["sku_id"], item["spec"], item["count"]) == (
        product.id,
        blue_l.id,
        "颜色:蓝;尺码:L",
        2,
    )
    order = db.session.get(Order, order_id)
    order.snap_items = [{k: v for k, v in item.items() if k not in ("sku_id", "spec")}]
    db.session.commit()
    old = client.get(f"/v1/order/{order_id}", headers=customer_headers).get_json()["data"]
    assert (old["snap_items"][0]["sku_id"], old["snap_items"][0]["spec"]) == (None, "")


def test_create_order_without_sku_id_for_a_several_sku_product_answers_30061(
    client, customer, customer_headers
):
    make_address(customer)
    product = make_sku_product()
    body = {"products": [{"product_id": product.id, "count": 1}]}
    response = _post(client, customer_headers, body)
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 30061
    assert [sku.stock for sku in skus_of(product)] == [5, 5, 5, 5]


# ------------------------------------------------------------ the placement's statements


def _place_counted(client, headers, body, **extra_headers):
    from tests.helpers import count_statements

    db.session.expire_all()
    with count_statements() as log:
        response = _post(client, headers, body, **extra_headers)
    assert response.status_code == 201, response.get_json()
    return log.statements


def _verbs(statements) -> list[str]:
    return [
        " ".join(statement.split()[:3]).replace('"', "").replace("`", "")
        for statement in statements
    ]


def test_placement_statements_are_the_listed_ones(client, customer, customer_headers):
    """README "Statements per order": 7 for products lines whatever their number, a coupon
    adds its SELECT and guarded UPDATE, an Idempotency-Key its INSERT (right after the token's
    user check, the first statement) and the answer's UPDATE."""
    from tests.factories import give_coupon, make_coupon

    make_address(customer)
    products = [make_product(stock=50) for _ in range(3)]
    for lines in (1, 3):
        body = {"products": [{"product_id": p.id, "count": 2} for p in products[:lines]]}
        verbs = _verbs(_place_counted(client, customer_headers, body))
        assert verbs == [
            "SELECT user.active, user.delete_time,",
            "SELECT product.id, product.name,",
            "UPDATE product_sku SET",
            "UPDATE product SET",
            "INSERT INTO order",
            "INSERT INTO order_product",
            "INSERT INTO order_event",
        ], verbs
    held = give_coupon(customer, make_coupon(min_amount="0.00", amount="1.00"))
    body = {"products": [{"product_id": products[0].id, "count": 1}], "user_coupon_id": held.id}
    couponed = _verbs(_place_counted(client, customer_headers, body))
    assert len(couponed) == 9 and couponed[-1] == "UPDATE user_coupon SET", couponed
    keyed = _verbs(
        _place_counted(
            client,
            customer_headers,
            {"products": [{"product_id": products[1].id, "count": 1}]},
            **{"Idempotency-Key": "counted"},
        )
    )
    assert keyed[1] == "INSERT INTO idempotency_key" and keyed[-1] == "UPDATE idempotency_key SET"
    assert len(keyed) == 9, keyed
    assert [_stock(p.id) for p in products] == [45, 47, 48]


def test_placement_checks_the_token_user_in_its_first_statement(client, customer, customer_headers):
    """The order route reads the user with the address (login_checked_later): a disabled,
    deleted or revoked user still answers 401 and nothing is written."""
    make_address(customer)
    product = make_product(stock=5)
    body = {"products": [{"product_id": product.id, "count": 1}]}
    for change in ("disable", "revoke", "delete"):
        if change == "disable":
            customer.active = False
        elif change == "revoke":
            customer.active = True
            customer.revoke_tokens()
        else:
            customer.soft_delete()
        db.session.commit()
        response = _post(client, customer_headers, body)
        assert response.status_code == 401, (change, response.get_json())
        assert response.get_json()["error_code"] == 1002
        # a bad body does not get past the token check either
        assert _post(client, customer_headers, {"products": "x"}).status_code == 401
    assert _stock(product.id) == 5 and db.session.query(Order).count() == 0


def test_a_taken_order_number_places_again_with_a_new_one(
    client, customer, customer_headers, monkeypatch
):
    """The order number's uniqueness is its UNIQUE key's: a duplicate places the order again
    in a new transaction, with nothing of the first attempt left."""
    from app.services.orders import placement

    make_address(customer)
    product = make_product(stock=5)
    taken = make_order(customer, (product, 1))
    numbers = iter([taken.order_no, "20260101000000000042"])
    monkeypatch.setattr(placement, "new_order_no", lambda at: next(numbers))
    response = _post(
        client, customer_headers, {"products": [{"product_id": product.id, "count": 2}]}
    )
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["data"]["order_no"] == "20260101000000000042"
    assert _stock(product.id) == 2  # 1 + 2 units, the failed attempt's reservation rolled back
    assert db.session.query(Order).count() == 2
    assert db.session.query(OrderProduct).count() == 2
