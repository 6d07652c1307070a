"""/v2/product with specs and skus, PUT /v2/sku/{id}/stock, GET /v2/product/low_stock."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Product, ProductSpec, Sku
from tests.factories import (
    auth_headers,
    make_image,
    make_product,
    make_sku_product,
    make_staff,
    skus_of,
)

SPECS = [{"name": "颜色", "values": ["红", "蓝"]}, {"name": "尺码", "values": ["M", "L"]}]


def _skus(**overrides):
    items = [
        {"specs": {"颜色": color, "尺码": size}, "price": price, "stock": stock}
        for (color, size), price, stock in (
            (("红", "M"), "19.90", 2),
            (("红", "L"), "21.00", 3),
            (("蓝", "M"), "18.50", 4),
            (("蓝", "L"), "25.00", 0),
        )
    ]
    for index, fields in overrides.items():
        items[int(index[1:])].update(fields)
    return items


def _create(client, headers, **body):
    return client.post("/v2/product", json={"name": "T恤", **body}, headers=headers)


def test_create_product_with_two_specs_and_four_skus(client, super_headers):
    image = make_image(url="/red.png")
    response = _create(
        client, super_headers, specs=SPECS, skus=_skus(s0={"img_id": image.id, "code": "R-M"})
    )
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert (data["price"], data["stock"]) == ("18.50", 9)
    assert data["specs"] == SPECS
    assert [(s["specs"], s["spec_text"], s["price"], s["stock"]) for s in data["skus"]] == [
        ({"颜色": "红", "尺码": "M"}, "颜色:红;尺码:M", "19.90", 2),
        ({"颜色": "红", "尺码": "L"}, "颜色:红;尺码:L", "21.00", 3),
        ({"颜色": "蓝", "尺码": "M"}, "颜色:蓝;尺码:M", "18.50", 4),
        ({"颜色": "蓝", "尺码": "L"}, "颜色:蓝;尺码:L", "25.00", 0),
    ]
    first = data["skus"][0]
    assert first["image"] == "http://localhost/static/images/red.png"
    assert (first["img_id"], first["code"], first["sales"], first["on_sale"]) == (
        image.id,
        "R-M",
        0,
        True,
    )
    product = db.session.get(Product, data["id"])
    assert (product.price, product.stock) == (Decimal("18.50"), 9)


def test_create_product_without_skus_gets_one_default_sku(client, super_headers):
    response = _create(client, super_headers, price="3.50", stock=7)
    data = response.get_json()["data"]
    assert response.status_code == 201
    assert data["specs"] == []
    assert [(s["specs"], s["spec_text"], s["price"], s["stock"]) for s in data["skus"]] == [
        ({}, "", "3.50", 7)
    ]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"specs": SPECS, "skus": _skus(s1={"specs": {"颜色": "红"}})}, "skus: item 1: specs"),
        (
            {"specs": SPECS, "skus": _skus(s1={"specs": {"颜色": "绿", "尺码": "M"}})},
            "skus: item 1: specs: '绿' is not a value of '颜色'",
        ),
        (
            {"specs": SPECS, "skus": _skus(s1={"specs": {"颜色": "红", "尺码": "M"}})},
            "skus: item 1: specs: this combination is already listed",
        ),
        ({"specs": SPECS, "skus": _skus(s2={"price": "0"})}, "skus: Item 2: price"),
        ({"specs": SPECS, "skus": _skus(s2={"price": "100000000.00"})}, "skus: Item 2: price"),
        ({"specs": SPECS, "skus": _skus(s3={"stock": -1})}, "skus: Item 3: stock"),
        ({"specs": SPECS, "skus": _skus(), "price": "9.90"}, "price: with skus it is derived"),
        ({"specs": SPECS}, "skus: required with specs"),
        ({"specs": SPECS, "skus": []}, "skus: Must hold 1 to"),
        (
            {"specs": [{"name": "颜色", "values": ["红", "红"]}], "skus": [{"price": "1"}]},
            "specs: item 0: values: a value is repeated",
        ),
        (
            {"specs": [{"name": "颜:色", "values": ["红"]}], "skus": [{"price": "1"}]},
            "specs: Item 0: name",
        ),
        ({"skus": [{"price": "1"}, {"price": "2"}]}, "skus: item 1: specs: this combination"),
        ({}, "price: This field is required."),
    ],
)
def test_create_product_bad_specs_or_skus_answer_1000(client, super_headers, body, message):
    response = _create(client, super_headers, **body)
    assert response.status_code == 400, response.get_json()
    payload = response.get_json()
    assert payload["error_code"] == 1000
    assert payload["msg"].startswith(message), payload["msg"]
    assert db.session.scalar(select(Product.id).where(Product.name == "T恤")) is None
    assert db.session.query(Sku).count() == 0


def test_unknown_sku_fields_are_never_assigned(client, super_headers):
    other = make_product()
    items = _skus(s0={"sales": 999, "product_id": other.id, "spec_text": "x", "delete_time": 1})
    response = _create(client, super_headers, specs=SPECS, skus=items, sales=50)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    first = db.session.get(Sku, data["skus"][0]["id"])
    assert (first.sales, first.product_id, first.spec_text, first.delete_time) == (
        0,
        data["id"],
        "颜色:红;尺码:M",
        None,
    )
    assert db.session.get(Product, data["id"]).sales == 0
    assert len(skus_of(other)) == 1


def test_update_skus_by_id_and_another_products_sku_id_answers_1000(client, super_headers):
    product = make_sku_product()
    red_m = skus_of(product)[0]
    other = make_product()
    foreign = skus_of(other)[0]
    items = [
        {"id": sku.id, "specs": sku.specs, "price": "30.00", "stock": 1} for sku in skus_of(product)
    ]
    response = client.put(f"/v2/product/{product.id}", json={"skus": items}, headers=super_headers)
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert (data["price"], data["stock"]) == ("30.00", 4)
    assert data["skus"][0]["id"] == red_m.id
    items[0]["id"] = foreign.id
    response = client.put(f"/v2/product/{product.id}", json={"skus": items}, headers=super_headers)
    assert response.status_code == 400
    assert "is not a SKU of this product" in response.get_json()["msg"]
    assert [sku.id for sku in skus_of(other)] == [foreign.id]
    assert [sku.price for sku in skus_of(product)] == [Decimal("30.00")] * 4


def test_update_price_of_a_several_sku_product_answers_1000(client, super_headers):
    product = make_sku_product()
    response = client.put(
        f"/v2/product/{product.id}", json={"price": "5.00"}, headers=super_headers
    )
    assert response.status_code == 400
    assert "several SKUs" in response.get_json()["msg"]
    assert [sku.price for sku in skus_of(product)] == [Decimal("10.00")] * 4


def test_update_price_and_stock_of_a_one_sku_product_sets_its_sku(client, super_headers):
    product = make_product(price="9.90", stock=5)
    response = client.put(
        f"/v2/product/{product.id}", json={"price": "7.00", "stock": 3}, headers=super_headers
    )
    assert response.status_code == 201
    sku = skus_of(product)[0]
    assert (sku.price, sku.stock) == (Decimal("7.00"), 3)
    db.session.expire_all()
    assert (
        db.session.get(Product, product.id).price,
        db.session.get(Product, product.id).stock,
    ) == (
        Decimal("7.00"),
        3,
    )


def test_update_specs_replaces_spec_rows(client, super_headers):
    product = make_sku_product()
    body = {
        "specs": [{"name": "容量", "values": ["1L"]}],
        "skus": [{"specs": {"容量": "1L"}, "price": "8.00", "stock": 2}],
    }
    response = client.put(f"/v2/product/{product.id}", json=body, headers=super_headers)
    assert response.status_code == 201, response.get_json()
    specs = db.session.scalars(select(ProductSpec).where(ProductSpec.product_id == product.id))
    assert [(spec.name, spec.values) for spec in specs] == [("容量", ["1L"])]
    assert [sku.spec_text for sku in skus_of(product)] == ["容量:1L"]


# ------------------------------------------------------------ stock routes


def test_set_and_adjust_sku_stock(client):
    staff = make_staff(("商品库存", "调整商品库存"))
    product = make_sku_product()
    sku = skus_of(product)[1]
    path = f"/v2/sku/{sku.id}/stock"
    response = client.put(path, json={"stock": 12}, headers=auth_headers(staff))
    assert response.status_code == 201, response.get_json()
    data = response.get_json()["data"]
    assert (data["id"], data["stock"], data["spec_text"]) == (sku.id, 12, "颜色:红;尺码:L")
    response = client.put(path, json={"delta": -2}, headers=auth_headers(staff))
    assert response.get_json()["data"]["stock"] == 10
    db.session.expire_all()
    assert db.session.get(Product, product.id).stock == 5 + 10 + 5 + 5


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        ({"delta": -6}, 409, 30062),
        ({"stock": -1}, 400, 1000),
        ({"stock": 1, "delta": 1}, 400, 1000),
        ({}, 400, 1000),
        ({"delta": "x"}, 400, 1000),
    ],
)
def test_bad_stock_changes_change_nothing(client, super_headers, body, status, code):
    product = make_sku_product()
    sku = skus_of(product)[0]
    response = client.put(f"/v2/sku/{sku.id}/stock", json=body, headers=super_headers)
    assert response.status_code == status
    assert response.get_json()["error_code"] == code
    assert skus_of(product)[0].stock == 5


def test_stock_of_unknown_or_deleted_sku_answers_30060(client, super_headers):
    product = make_sku_product()
    sku = skus_of(product)[0]
    sku.soft_delete()
    db.session.commit()
    for sku_id in (sku.id, 999999):
        response = client.put(f"/v2/sku/{sku_id}/stock", json={"stock": 1}, headers=super_headers)
        assert response.status_code == 404
        assert response.get_json()["error_code"] == 30060


def test_low_stock_lists_skus_at_or_below_the_threshold(client):
    staff = make_staff(("商品库存", "查询库存预警"))
    product = make_sku_product(
        skus=[
            ({"颜色": "红", "尺码": "M"}, "10.00", 3),
            ({"颜色": "红", "尺码": "L"}, "10.00", 0),
            ({"颜色": "蓝", "尺码": "M"}, "10.00", 4),
            ({"颜色": "蓝", "尺码": "L"}, "10.00", 50),
        ]
    )
    gone = make_product(stock=1)
    gone.soft_delete()
    db.session.commit()
    red_m, red_l, blue_m, _ = skus_of(product)
    response = client.get("/v2/product/low_stock?threshold=3", headers=auth_headers(staff))
    assert response.status_code == 200, response.get_json()
    data = response.get_json()["data"]
    assert [(s["id"], s["stock"], s["product_name"]) for s in data["items"]] == [
        (red_l.id, 0, product.name),
        (red_m.id, 3, product.name),
    ]
    assert data["total"] == 2
    default = client.get("/v2/product/low_stock", headers=auth_headers(staff)).get_json()
    assert [s["id"] for s in default["data"]["items"]] == [red_l.id, red_m.id, blue_m.id]
    bad = client.get("/v2/product/low_stock?threshold=-1", headers=auth_headers(staff))
    assert bad.status_code == 400 and bad.get_json()["error_code"] == 1000


@pytest.mark.parametrize(
    ("method", "path"), [("put", "/v2/sku/1/stock"), ("get", "/v2/product/low_stock")]
)
def test_sku_routes_refuse_customers_and_other_staff_with_403(
    client, customer_headers, method, path
):
    staff = make_staff(("商品", "查询商品"))
    for headers in (customer_headers, auth_headers(staff)):
        response = getattr(client, method)(path, headers=headers, json={"stock": 1})
        assert response.status_code == 403
        assert response.get_json()["error_code"] == 1004
