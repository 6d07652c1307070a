"""/v1/cart: lines per SKU with live catalog data, merge and caps on add, checks, deletes."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import CartItem, Product, Sku
from app.models.base import now
from tests.factories import make_cart_line, make_image, make_product, skus_of
from tests.helpers import count_statements, error


def make_sku(product, *, price="9.90", stock=100, specs=None, on_sale=True, img=None):
    """A SKU of `specs` for the product, which then loses its default SKU (make_product's)."""
    specs = specs or {}
    for default in skus_of(product):
        if not default.specs:
            db.session.delete(default)
    sku = Sku(
        product_id=product.id,
        specs=specs,
        spec_text=";".join(f"{name}:{value}" for name, value in specs.items()),
        price=Decimal(price),
        stock=stock,
        on_sale=on_sale,
        img_id=img.id if img else None,
    )
    db.session.add(sku)
    db.session.commit()
    return sku


def single(price="9.90", stock=100, **product_fields):
    """A product with its one default SKU."""
    return skus_of(make_product(price=price, stock=stock, **product_fields))[0]


def two_colours(stock=100):
    """A product with two SKUs (颜色 红 / 蓝)."""
    product = make_product(price="10.00", stock=2 * stock)
    red = make_sku(product, price="10.00", stock=stock, specs={"颜色": "红"})
    blue = make_sku(product, price="12.00", stock=stock, specs={"颜色": "蓝"})
    return red, blue


def rows(user_id):
    """(sku_id, count, checked, add_price) of the user's lines, by id."""
    db.session.expire_all()
    return db.session.execute(
        select(CartItem.sku_id, CartItem.count, CartItem.checked, CartItem.add_price)
        .where(CartItem.user_id == user_id)
        .order_by(CartItem.id)
    ).all()


def add(client, headers, sku, count=1, **extra):
    body = {"product_id": sku.product_id, "sku_id": sku.id, "count": count, **extra}
    return client.post("/v1/cart", json=body, headers=headers)


# ---------------------------------------------------------------- GET /v1/cart


def test_get_cart_lists_lines_newest_first_with_live_catalog_data(
    client, customer, customer_headers
):
    main = make_image("/main.png")
    shirt = make_product(name="T恤", price="10.00", main_img_id=main.id)
    red = make_sku(shirt, price="10.00", stock=7, specs={"颜色": "红", "尺码": "M"})
    cup = single(price="3.50", stock=50, name="杯子")
    first = make_cart_line(customer, red, count=2, add_price=Decimal("12.00"))
    second = make_cart_line(customer, cup, count=3, checked=False)

    response = client.get("/v1/cart", headers=customer_headers)

    assert response.status_code == 200
    data = response.get_json()["data"]
    assert [item["id"] for item in data["items"]] == [second.id, first.id]
    assert data["items"][1] == {
        "id": first.id,
        "product_id": shirt.id,
        "sku_id": red.id,
        "name": "T恤",
        "image": "http://localhost/static/images/main.png",
        "spec": "颜色:红;尺码:M",
        "price": "10.00",
        "add_price": "12.00",
        "stock": 7,
        "count": 2,
        "checked": True,
        "invalid": False,
        "invalid_reason": None,
        "create_time": first.create_time,
    }
    assert data["items"][0]["image"] == ""
    assert data["items"][0]["checked"] is False
    # Only the checked line counts.
    assert (data["checked_count"], data["checked_total"], data["all_checked"]) == (
        2,
        "20.00",
        False,
    )


def test_get_cart_prefers_the_sku_image(client, customer, customer_headers):
    product = make_product(main_img_id=make_image("/main.png").id)
    sku = make_sku(product, img=make_image("/red.png"), specs={"颜色": "红"})
    make_cart_line(customer, sku)
    item = client.get("/v1/cart", headers=customer_headers).get_json()["data"]["items"][0]
    assert item["image"] == "http://localhost/static/images/red.png"


def test_get_cart_shows_live_price_beside_the_price_when_added(client, customer, customer_headers):
    sku = single(price="9.90")
    add(client, customer_headers, sku, 2)
    sku.price = Decimal("8.80")
    db.session.commit()
    data = client.get("/v1/cart", headers=customer_headers).get_json()["data"]
    assert (data["items"][0]["price"], data["items"][0]["add_price"]) == ("8.80", "9.90")
    assert data["checked_total"] == "17.60"


def _off_sale_product(sku):
    db.session.get(Product, sku.product_id).on_sale = False


def _off_sale_sku(sku):
    sku.on_sale = False


def _deleted_product(sku):
    db.session.get(Product, sku.product_id).delete_time = now()


def _deleted_sku(sku):
    sku.delete_time = now()


def _short_of_stock(sku):
    sku.stock = 1


@pytest.mark.parametrize(
    "spoil,reason",
    [
        (_off_sale_product, "off_sale"),
        (_off_sale_sku, "off_sale"),
        (_deleted_product, "deleted"),
        (_deleted_sku, "deleted"),
        (_short_of_stock, "short_of_stock"),
    ],
    ids=["product_off_sale", "sku_off_sale", "product_deleted", "sku_deleted", "short_of_stock"],
)
def test_get_cart_marks_invalid_lines_and_leaves_them_out_of_the_totals(
    client, customer, customer_headers, spoil, reason
):
    good = single(price="2.00", name="好的")
    bad = single(price="5.00", stock=10, name="坏的")
    make_cart_line(customer, good, count=1)
    line = make_cart_line(customer, bad, count=3)
    spoil(bad)
    db.session.commit()

    data = client.get("/v1/cart", headers=customer_headers).get_json()["data"]

    item = next(item for item in data["items"] if item["id"] == line.id)
    assert (item["invalid"], item["invalid_reason"], item["name"]) == (True, reason, "坏的")
    assert (data["checked_count"], data["checked_total"]) == (1, "2.00")


def test_get_cart_totals_are_exact_money(client, customer, customer_headers):
    # 0.10 * 3 + 0.20 is 0.5 exactly, not 0.30000000000000004 + 0.2.
    make_cart_line(customer, single(price="0.10"), count=3)
    make_cart_line(customer, single(price="0.20"), count=1)
    data = client.get("/v1/cart", headers=customer_headers).get_json()["data"]
    assert (data["checked_count"], data["checked_total"], data["all_checked"]) == (4, "0.50", True)


def test_get_cart_empty_and_never_other_users_lines(client, customer_headers, other_customer):
    make_cart_line(other_customer)
    data = client.get("/v1/cart", headers=customer_headers).get_json()["data"]
    assert data == {"items": [], "checked_count": 0, "checked_total": "0.00", "all_checked": False}


def test_get_cart_needs_a_token(client):
    error(client.get("/v1/cart"), 401, 1002)
    error(client.get("/v1/cart/count"), 401, 1002)


# ---------------------------------------------------------- GET /v1/cart/count


def test_count_cart_sums_units_of_every_line(client, customer, customer_headers, other_customer):
    make_cart_line(customer, count=2)
    invalid = single(stock=0)
    make_cart_line(customer, invalid, count=3, checked=False)
    make_cart_line(other_customer, count=40)
    response = client.get("/v1/cart/count", headers=customer_headers)
    assert response.get_json()["data"] == {"count": 5}


def test_count_cart_empty_is_zero(client, customer_headers):
    assert client.get("/v1/cart/count", headers=customer_headers).get_json()["data"] == {"count": 0}


# -------------------------------------------------------------- POST /v1/cart


def test_add_to_cart_creates_a_checked_line_with_the_price_when_added(
    client, customer, customer_headers
):
    red, _ = two_colours()
    response = add(client, customer_headers, red, 2)
    body = response.get_json()
    assert (response.status_code, body["error_code"], body["msg"]) == (201, 1, "Created or updated")
    data = body["data"]
    assert (data["requested"], data["capped"]) == (2, None)
    assert data["item"]["sku_id"] == red.id
    assert (data["item"]["count"], data["item"]["spec"], data["item"]["price"]) == (
        2,
        "颜色:红",
        "10.00",
    )
    assert rows(customer.id) == [(red.id, 2, True, Decimal("10.00"))]


def test_add_to_cart_single_sku_product_needs_no_sku_id(client, customer, customer_headers):
    sku = single()
    response = client.post(
        "/v1/cart", json={"product_id": sku.product_id, "count": 1}, headers=customer_headers
    )
    assert response.status_code == 201, response.get_json()
    assert rows(customer.id) == [(sku.id, 1, True, Decimal("9.90"))]


def test_add_to_cart_merges_into_the_line_of_the_same_sku(client, customer, customer_headers):
    sku = single()
    first = add(client, customer_headers, sku, 2).get_json()["data"]["item"]["id"]
    client.put(f"/v1/cart/{first}", json={"checked": False}, headers=customer_headers)
    sku.price = Decimal("7.00")
    db.session.commit()

    data = add(client, customer_headers, sku, 3).get_json()["data"]

    assert (data["item"]["id"], data["item"]["count"], data["requested"]) == (first, 5, 5)
    # One line, checked again, keeping the price it was first added at.
    assert rows(customer.id) == [(sku.id, 5, True, Decimal("9.90"))]


def test_add_to_cart_other_sku_of_the_product_is_another_line(client, customer, customer_headers):
    red, blue = two_colours()
    add(client, customer_headers, red, 1)
    add(client, customer_headers, blue, 1)
    assert rows(customer.id) == [
        (red.id, 1, True, Decimal("10.00")),
        (blue.id, 1, True, Decimal("12.00")),
    ]


def test_add_to_cart_caps_at_stock_and_says_so(client, customer, customer_headers):
    sku = single(stock=5)
    add(client, customer_headers, sku, 3)
    response = add(client, customer_headers, sku, 4)
    body = response.get_json()
    assert (response.status_code, body["msg"]) == (201, "Capped to 5: only 5 in stock")
    assert (body["data"]["requested"], body["data"]["capped"]) == (7, "stock")
    assert body["data"]["item"]["count"] == 5
    assert rows(customer.id) == [(sku.id, 5, True, Decimal("9.90"))]


def test_add_to_cart_caps_at_the_order_cap(app, client, customer, customer_headers):
    sku = single(stock=1000)
    add(client, customer_headers, sku, 90)
    body = add(client, customer_headers, sku, 20).get_json()
    assert body["msg"] == "Capped to 99: one order takes at most 99 units of a product"
    assert (body["data"]["requested"], body["data"]["capped"]) == (110, "order_max")
    assert rows(customer.id)[0][1] == 99


def test_add_to_cart_order_cap_counts_the_products_other_skus(client, customer, customer_headers):
    red, blue = two_colours(stock=500)
    add(client, customer_headers, red, 60)
    body = add(client, customer_headers, blue, 50).get_json()
    assert body["msg"] == (
        "Capped to 39: one order takes at most 99 units of a product,"
        " and the cart holds 60 of its other SKUs"
    )
    assert [row[1] for row in rows(customer.id)] == [60, 39]


def test_add_to_cart_at_the_cap_keeps_the_count_and_says_so(client, customer, customer_headers):
    sku = single(stock=5)
    add(client, customer_headers, sku, 5)
    body = add(client, customer_headers, sku, 1).get_json()
    assert (body["msg"], body["data"]["item"]["count"]) == ("Capped to 5: only 5 in stock", 5)
    assert rows(customer.id)[0][1] == 5


def test_add_to_cart_never_lowers_a_line_when_stock_fell(client, customer, customer_headers):
    sku = single(stock=10)
    make_cart_line(customer, sku, count=8)
    sku.stock = 3
    db.session.commit()
    body = add(client, customer_headers, sku, 1).get_json()
    assert (body["data"]["item"]["count"], body["data"]["capped"]) == (8, "stock")
    assert body["data"]["item"]["invalid_reason"] == "short_of_stock"
    assert rows(customer.id)[0][1] == 8


def test_add_to_cart_sold_out_sku_is_409_and_stores_nothing(client, customer, customer_headers):
    sku = single(stock=0)
    body = error(add(client, customer_headers, sku), 409, 33014)
    assert body["msg"] == "This SKU is sold out"
    assert rows(customer.id) == []


def test_add_to_cart_when_other_skus_use_the_order_cap_is_409(client, customer, customer_headers):
    red, blue = two_colours(stock=500)
    make_cart_line(customer, red, count=99)
    body = error(add(client, customer_headers, blue), 409, 33014)
    assert "at most 99 units" in body["msg"] and "holds 99 of its other SKUs" in body["msg"]
    assert [row[0] for row in rows(customer.id)] == [red.id]


def test_add_to_cart_multi_sku_product_without_sku_id_is_400(client, customer, customer_headers):
    red, blue = two_colours()
    response = client.post(
        "/v1/cart", json={"product_id": red.product_id, "count": 1}, headers=customer_headers
    )
    body = error(response, 400, 33012)
    assert body["msg"] == "This product has 2 SKUs: choose one with sku_id"
    assert body["detail"] == {"sku_ids": [red.id, blue.id]}
    assert rows(customer.id) == []


def test_add_to_cart_sku_of_another_product_is_404(client, customer, customer_headers):
    red, _ = two_colours()
    other = single()
    response = client.post(
        "/v1/cart",
        json={"product_id": other.product_id, "sku_id": red.id, "count": 1},
        headers=customer_headers,
    )
    error(response, 404, 33013)
    assert rows(customer.id) == []


@pytest.mark.parametrize("spoil", [_off_sale_sku, _deleted_sku], ids=["off_sale", "deleted"])
def test_add_to_cart_unsellable_sku_is_404(client, customer, customer_headers, spoil):
    red, _ = two_colours()
    spoil(red)
    db.session.commit()
    error(add(client, customer_headers, red), 404, 33013)
    assert rows(customer.id) == []


@pytest.mark.parametrize(
    "spoil", [_off_sale_product, _deleted_product], ids=["off_sale", "deleted"]
)
def test_add_to_cart_unsellable_product_is_404(client, customer, customer_headers, spoil):
    sku = single()
    spoil(sku)
    db.session.commit()
    error(add(client, customer_headers, sku), 404, 30010)
    assert rows(customer.id) == []


def test_add_to_cart_unknown_product_is_404(client, customer_headers):
    response = client.post(
        "/v1/cart", json={"product_id": 999999, "count": 1}, headers=customer_headers
    )
    error(response, 404, 30010)


def test_add_to_cart_full_cart_is_400_but_merging_still_works(
    app, client, customer, customer_headers, monkeypatch
):
    monkeypatch.setitem(app.config, "CART_MAX_LINES", 2)
    first, second, third = single(), single(), single()
    add(client, customer_headers, first)
    add(client, customer_headers, second)
    body = error(add(client, customer_headers, third), 400, 33011)
    assert body["msg"] == "The cart holds at most 2 lines; delete some first"
    assert add(client, customer_headers, first).status_code == 201
    assert [(row[0], row[1]) for row in rows(customer.id)] == [(first.id, 2), (second.id, 1)]


@pytest.mark.parametrize(
    "body,field",
    [
        ({"count": 1}, "product_id"),
        ({"product_id": 1}, "count"),
        ({"product_id": 1, "count": 0}, "count"),
        ({"product_id": 1, "count": 100}, "count"),
        ({"product_id": 1, "count": "2x"}, "count"),
        ({"product_id": 1, "count": 1, "sku_id": True}, "sku_id"),
    ],
)
def test_add_to_cart_bad_input_is_400(client, customer, customer_headers, body, field):
    response = client.post("/v1/cart", json=body, headers=customer_headers)
    assert field in error(response, 400, 1000)["errors"]
    assert rows(customer.id) == []


def test_add_to_cart_never_assigns_unknown_fields(
    client, customer, customer_headers, other_customer
):
    sku = single(price="9.90")
    response = add(
        client,
        customer_headers,
        sku,
        1,
        id=4242,
        user_id=other_customer.id,
        add_price="0.01",
        checked=False,
        create_time=1,
    )
    assert response.status_code == 201, response.get_json()
    line = db.session.scalars(select(CartItem)).one()
    assert (line.id != 4242, line.user_id, line.add_price, line.checked) == (
        True,
        customer.id,
        Decimal("9.90"),
        True,
    )
    assert line.create_time > 1


# ------------------------------------------------------------ PUT /v1/cart/{id}


def test_update_cart_line_sets_count_and_checked(client, customer, customer_headers):
    sku = single()
    line = make_cart_line(customer, sku, count=1)
    response = client.put(
        f"/v1/cart/{line.id}", json={"count": 4, "checked": False}, headers=customer_headers
    )
    body = response.get_json()
    assert (response.status_code, body["msg"]) == (201, "Created or updated")
    assert (body["data"]["item"]["count"], body["data"]["item"]["checked"]) == (4, False)
    assert body["data"]["capped"] is None
    assert rows(customer.id) == [(sku.id, 4, False, Decimal("9.90"))]


def test_update_cart_line_checked_only_keeps_the_count(client, customer, customer_headers):
    sku = single(stock=0)  # even a sold-out line can be unchecked
    line = make_cart_line(customer, sku, count=3)
    response = client.put(f"/v1/cart/{line.id}", json={"checked": False}, headers=customer_headers)
    assert response.status_code == 201, response.get_json()
    assert rows(customer.id) == [(sku.id, 3, False, Decimal("9.90"))]


def test_update_cart_line_caps_the_count_at_stock(client, customer, customer_headers):
    sku = single(stock=6)
    line = make_cart_line(customer, sku, count=1)
    body = client.put(f"/v1/cart/{line.id}", json={"count": 9}, headers=customer_headers).get_json()
    assert (body["msg"], body["data"]["requested"], body["data"]["capped"]) == (
        "Capped to 6: only 6 in stock",
        9,
        "stock",
    )
    assert rows(customer.id)[0][1] == 6


def test_update_cart_line_may_lower_a_short_line(client, customer, customer_headers):
    sku = single(stock=10)
    line = make_cart_line(customer, sku, count=8)
    sku.stock = 2
    db.session.commit()
    body = client.put(f"/v1/cart/{line.id}", json={"count": 2}, headers=customer_headers).get_json()
    assert (body["data"]["item"]["invalid"], body["data"]["capped"]) == (False, None)
    assert rows(customer.id)[0][1] == 2


@pytest.mark.parametrize(
    "spoil,msg",
    [
        (_off_sale_sku, "This product is off sale: delete the line"),
        (_deleted_product, "This product is no longer sold: delete the line"),
    ],
    ids=["off_sale", "deleted"],
)
def test_update_cart_line_count_of_an_unsellable_line_is_409(
    client, customer, customer_headers, spoil, msg
):
    sku = single()
    line = make_cart_line(customer, sku, count=1)
    spoil(sku)
    db.session.commit()
    response = client.put(f"/v1/cart/{line.id}", json={"count": 2}, headers=customer_headers)
    assert error(response, 409, 33014)["msg"] == msg
    assert rows(customer.id)[0][1] == 1


def test_update_cart_line_without_fields_is_400(client, customer, customer_headers):
    line = make_cart_line(customer, count=1)
    response = client.put(f"/v1/cart/{line.id}", json={}, headers=customer_headers)
    assert error(response, 400, 1000)["msg"] == "checked: Send count, checked or both."


def test_update_cart_line_never_assigns_unknown_fields(client, customer, customer_headers):
    line = make_cart_line(customer, count=1)
    other = single()
    body = {
        "count": 2,
        "sku_id": other.id,
        "product_id": other.product_id,
        "add_price": "0.01",
        "user_id": 4242,
    }
    assert client.put(f"/v1/cart/{line.id}", json=body, headers=customer_headers).status_code == 201
    db.session.expire_all()
    stored = db.session.get(CartItem, line.id)
    assert (stored.sku_id, stored.product_id, stored.add_price, stored.user_id, stored.count) == (
        line.sku_id,
        line.product_id,
        Decimal("9.90"),
        customer.id,
        2,
    )


def test_update_cart_line_of_another_user_is_404(client, customer, other_headers):
    line = make_cart_line(customer, count=1)
    response = client.put(
        f"/v1/cart/{line.id}", json={"count": 5, "checked": False}, headers=other_headers
    )
    error(response, 404, 33010)
    assert [(row[1], row[2]) for row in rows(customer.id)] == [(1, True)]


# ------------------------------------------------------------ PUT /v1/cart/check


def test_check_cart_lines_every_line_when_ids_are_absent(client, customer, customer_headers):
    make_cart_line(customer, single(price="1.00"), count=1, checked=False)
    make_cart_line(customer, single(price="2.00"), count=2, checked=True)
    response = client.put("/v1/cart/check", json={"checked": True}, headers=customer_headers)
    data = response.get_json()["data"]
    assert response.status_code == 201
    assert (data["all_checked"], data["checked_count"], data["checked_total"]) == (True, 3, "5.00")
    assert [row[2] for row in rows(customer.id)] == [True, True]
    client.put("/v1/cart/check", json={"checked": False}, headers=customer_headers)
    assert [row[2] for row in rows(customer.id)] == [False, False]


def test_check_cart_lines_only_those_listed(client, customer, customer_headers, other_customer):
    first = make_cart_line(customer)
    make_cart_line(customer)
    make_cart_line(other_customer)
    response = client.put(
        "/v1/cart/check", json={"ids": [first.id], "checked": False}, headers=customer_headers
    )
    assert response.status_code == 201
    assert [row[2] for row in rows(customer.id)] == [False, True]
    assert [row[2] for row in rows(other_customer.id)] == [True]


def test_check_cart_lines_with_another_users_id_changes_nothing(
    client, customer, customer_headers, other_customer
):
    mine = make_cart_line(customer)
    theirs = make_cart_line(other_customer)
    response = client.put(
        "/v1/cart/check",
        json={"ids": [mine.id, theirs.id], "checked": False},
        headers=customer_headers,
    )
    assert error(response, 404, 33010)["detail"] == {"ids": [theirs.id]}
    assert [row[2] for row in rows(customer.id)] == [True]
    assert [row[2] for row in rows(other_customer.id)] == [True]


@pytest.mark.parametrize(
    "body,field",
    [({}, "checked"), ({"checked": "maybe"}, "checked"), ({"ids": [], "checked": True}, "ids")],
)
def test_check_cart_lines_bad_input_is_400(client, customer_headers, body, field):
    response = client.put("/v1/cart/check", json=body, headers=customer_headers)
    assert field in error(response, 400, 1000)["errors"]


# ---------------------------------------------------------- DELETE /v1/cart/{ids}


def test_delete_cart_lines_by_a_comma_list(client, customer, customer_headers):
    first, second, kept = (make_cart_line(customer).id for _ in range(3))
    response = client.delete(f"/v1/cart/{second},{first}", headers=customer_headers)
    body = response.get_json()
    assert (response.status_code, body["error_code"]) == (202, 2)
    assert body["data"] == {"ids": [second, first]}
    assert db.session.scalars(select(CartItem.id)).all() == [kept]


def test_delete_cart_lines_all_or_nothing(client, customer, customer_headers, other_customer):
    mine = make_cart_line(customer).id
    theirs = make_cart_line(other_customer).id
    response = client.delete(f"/v1/cart/{mine},{theirs}", headers=customer_headers)
    assert error(response, 404, 33010)["detail"] == {"ids": [theirs]}
    db.session.expire_all()
    assert sorted(db.session.scalars(select(CartItem.id)).all()) == sorted([mine, theirs])


@pytest.mark.parametrize("ids", ["a", "1,,2", "-1", "0"])
def test_delete_cart_lines_bad_list_is_400(client, customer, customer_headers, ids):
    make_cart_line(customer)
    error(client.delete(f"/v1/cart/{ids}", headers=customer_headers), 400, 1000)
    assert len(rows(customer.id)) == 1


# ------------------------------------------------------------ statements


def _add_statements(client, headers, sku, count):
    db.session.refresh(sku)  # the test's own read of the SKU, not counted
    with count_statements() as log:
        response = add(client, headers, sku, count)
    assert response.status_code == 201, response.get_json()
    return log.statements, response.get_json()["data"]


def test_add_to_cart_takes_five_statements_new_line_or_merged(client, customer, customer_headers):
    """The token's user; the product with its live SKUs; the cart lock; the locked lines; the
    INSERT or the capped UPDATE. The answer is built from the rows already read (nothing is read
    again after the commit)."""
    red, _ = two_colours()
    added, data = _add_statements(client, customer_headers, red, 2)
    merged, again = _add_statements(client, customer_headers, red, 3)

    assert (len(added), len(merged)) == (5, 5)
    assert again["item"] == {**data["item"], "count": 5}
    assert again["requested"] == 5
    listed = client.get("/v1/cart", headers=customer_headers).get_json()["data"]["items"]
    assert listed == [again["item"]]
