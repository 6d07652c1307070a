"""/v2/product: admin product management, detail images and properties."""

from decimal import Decimal

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Product, ProductImage, ProductProperty
from tests.factories import (
    auth_headers,
    make_category,
    make_image,
    make_product,
    make_product_image,
    make_property,
    make_staff,
    make_theme,
)
from tests.helpers import error

ROUTES = [
    ("get", "/v2/product/list"),
    ("get", "/v2/product/1"),
    ("post", "/v2/product"),
    ("put", "/v2/product/1"),
    ("delete", "/v2/product/1"),
    ("put", "/v2/product/1/reorder"),
    ("post", "/v2/product/1/image"),
    ("put", "/v2/product/1/images"),
    ("delete", "/v2/product/1/image/1"),
    ("post", "/v2/product/1/property"),
    ("put", "/v2/product/1/property/1"),
    ("delete", "/v2/product/1/property/1"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_product_routes_refuse_customers_with_403(client, customer_headers, method, path):
    error(getattr(client, method)(path, headers=customer_headers, json={}), 403, 1004)


def _images(product_id):
    rows = db.session.scalars(
        select(ProductImage)
        .where(ProductImage.product_id == product_id)
        .order_by(ProductImage.order)
    )
    return [(row.order, row.img_id) for row in rows]


def test_create_product_with_images_and_properties(client):
    staff = make_staff(("商品", "新增商品"))
    category = make_category()
    main, a, b = make_image(url="/m.png"), make_image(url="/a.png"), make_image(url="/b.png")
    response = client.post(
        "/v2/product",
        json={
            "name": "芹菜 半斤",
            "price": "3.5",
            "stock": 998,
            "category_id": category.id,
            "main_img_id": main.id,
            "img_ids": [b.id, a.id],
            "properties": [{"name": "产地", "detail": "火星"}, {"detail": "no name"}],
            "create_time": 5,
            "id": 500,
        },
        headers=auth_headers(staff),
    )
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["price"] == "3.50"
    assert data["on_sale"] is True
    assert data["main_image"] == "http://localhost/static/images/m.png"
    assert data["images"] == [
        "http://localhost/static/images/b.png",
        "http://localhost/static/images/a.png",
    ]
    assert data["image_items"] == [
        {"img_id": b.id, "order": 1, "url": "http://localhost/static/images/b.png"},
        {"img_id": a.id, "order": 2, "url": "http://localhost/static/images/a.png"},
    ]
    assert [(p["name"], p["detail"], p["order"]) for p in data["properties"]] == [
        ("产地", "火星", 1),
        ("", "no name", 2),
    ]
    assert data["theme_ids"] == []
    row = db.session.get(Product, data["id"])
    assert row.id != 500
    assert (row.price, row.stock, row.category_id) == (Decimal("3.50"), 998, category.id)
    assert _images(row.id) == [(1, b.id), (2, a.id)]


@pytest.mark.parametrize(
    "price", ["0", "0.00", "-1", "1.234", "100000000.00", "abc", True, None, [1]]
)
def test_create_product_bad_price_answers_1000(client, super_headers, price):
    response = client.post("/v2/product", json={"name": "x", "price": price}, headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)
    assert db.session.scalar(select(Product)) is None


def test_create_product_accepts_boundary_prices(client, super_headers):
    for price in ("0.01", "99999999.99", 12):
        response = client.post(
            "/v2/product", json={"name": "x", "price": price}, headers=super_headers
        )
        assert response.status_code == 201, price
    prices = db.session.scalars(select(Product.price).order_by(Product.id)).all()
    assert prices == [Decimal("0.01"), Decimal("99999999.99"), Decimal("12.00")]


def test_create_product_json_number_price_is_exact(client, super_headers):
    response = client.post(
        "/v2/product",
        data='{"name": "x", "price": 19.90}',
        content_type="application/json",
        headers=super_headers,
    )
    assert response.get_json()["data"]["price"] == "19.90"


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [("category_id", 999, 31010), ("main_img_id", 999, 10380), ("img_ids", [999], 10380)],
)
def test_create_product_unknown_reference_answers_404(client, super_headers, field, value, code):
    response = client.post(
        "/v2/product", json={"name": "x", "price": "1", field: value}, headers=super_headers
    )
    assert (response.status_code, response.get_json()["error_code"]) == (404, code)
    assert db.session.scalar(select(Product)) is None


def test_create_product_stock_out_of_range_answers_1000(client, super_headers):
    for stock in (-1, 100000001):
        response = client.post(
            "/v2/product", json={"name": "x", "price": "1", "stock": stock}, headers=super_headers
        )
        assert response.get_json()["error_code"] == 1000


def test_list_products_newest_id_first_with_filters(client, super_headers):
    category = make_category()
    a = make_product(name="apple", category=category)
    b = make_product(name="banana", on_sale=False)
    c = make_product(name="cherry", category=category)
    data = client.get("/v2/product/list", headers=super_headers).get_json()["data"]
    assert [p["id"] for p in data["items"]] == [c.id, b.id, a.id]
    assert data["items"][1]["on_sale"] is False
    by_cat = client.get(f"/v2/product/list?category_id={category.id}", headers=super_headers)
    assert [p["id"] for p in by_cat.get_json()["data"]["items"]] == [c.id, a.id]
    off = client.get("/v2/product/list?on_sale=false", headers=super_headers)
    assert [p["id"] for p in off.get_json()["data"]["items"]] == [b.id]
    kw = client.get("/v2/product/list?keyword=an", headers=super_headers)
    assert [p["id"] for p in kw.get_json()["data"]["items"]] == [b.id]


def test_get_product_includes_off_sale_and_theme_ids(client, super_headers):
    product = make_product(on_sale=False)
    theme = make_theme(products=[product])
    gone = make_theme(products=[product])
    gone.soft_delete()
    db.session.commit()
    data = client.get(f"/v2/product/{product.id}", headers=super_headers).get_json()["data"]
    assert data["theme_ids"] == [theme.id]
    assert data["on_sale"] is False
    assert len(data["update_time"]) == 19


def test_get_product_unknown_answers_30010(client, super_headers):
    response = client.get("/v2/product/999", headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 30010)


def test_update_product_sets_stock_and_shelf_and_clears_fields(client, super_headers):
    category = make_category()
    product = make_product(
        name="keep", stock=5, category=category, main_img_id=make_image().id, summary="s"
    )
    response = client.put(
        f"/v2/product/{product.id}",
        json={"stock": 42, "on_sale": False, "category_id": None, "main_img_id": None, "id": 9},
        headers=super_headers,
    )
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert (data["name"], data["stock"], data["on_sale"], data["summary"]) == (
        "keep",
        42,
        False,
        "s",
    )
    assert (data["category_id"], data["main_img_id"], data["main_image"]) == (None, None, "")
    db.session.expire_all()
    row = db.session.get(Product, product.id)
    assert (row.stock, row.on_sale, row.category_id, row.main_img_id) == (42, False, None, None)


def test_update_product_off_shelf_hides_it_on_v1(client, super_headers):
    product = make_product()
    assert client.get(f"/v1/product/{product.id}").status_code == 200
    client.put(f"/v2/product/{product.id}", json={"on_sale": False}, headers=super_headers)
    assert client.get(f"/v1/product/{product.id}").status_code == 404
    client.put(f"/v2/product/{product.id}", json={"on_sale": True}, headers=super_headers)
    assert client.get(f"/v1/product/{product.id}").status_code == 200


def test_update_product_unknown_references(client, super_headers):
    product = make_product()
    missing = client.put("/v2/product/999", json={"stock": 1}, headers=super_headers)
    assert missing.get_json()["error_code"] == 30010
    category = client.put(
        f"/v2/product/{product.id}", json={"category_id": 999}, headers=super_headers
    )
    assert category.get_json()["error_code"] == 31010
    image = client.put(
        f"/v2/product/{product.id}", json={"main_img_id": 999}, headers=super_headers
    )
    assert image.get_json()["error_code"] == 10380


def test_delete_product_hides_it_from_themes_and_lists(client, super_headers):
    product = make_product()
    theme = make_theme(products=[product])
    assert len(client.get(f"/v1/theme/{theme.id}").get_json()["data"]["products"]) == 1
    response = client.delete(f"/v2/product/{product.id}", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"id": product.id}
    assert client.get(f"/v1/theme/{theme.id}").get_json()["data"]["products"] == []
    assert client.get("/v1/product/recent").get_json()["data"]["items"] == []
    admin = client.get(f"/v2/theme/{theme.id}", headers=super_headers).get_json()["data"]
    assert admin["product_ids"] == []
    again = client.delete(f"/v2/product/{product.id}", headers=super_headers)
    assert again.get_json()["error_code"] == 30010


def _with_images(count):
    product = make_product()
    ids = []
    for position in range(1, count + 1):
        image = make_image()
        make_product_image(product, image, order=position)
        ids.append(image.id)
    return product, ids


def test_reorder_moves_an_image(client):
    staff = make_staff(("商品", "排序商品图片"))
    product, (a, b, c) = _with_images(3)
    response = client.put(
        f"/v2/product/{product.id}/reorder",
        json={"src_order": 1, "dest_order": 3},
        headers=auth_headers(staff),
    )
    assert response.status_code == 201
    items = response.get_json()["data"]["image_items"]
    assert [(i["order"], i["img_id"]) for i in items] == [(1, b), (2, c), (3, a)]
    assert _images(product.id) == [(1, b), (2, c), (3, a)]
    detail = client.get(f"/v1/product/{product.id}").get_json()["data"]
    assert [url.rsplit("/", 1)[1] for url in detail["images"]] == [
        url.rsplit("/", 1)[1] for url in (i["url"] for i in items)
    ]


@pytest.mark.parametrize(("src", "dest"), [(2, 2), (1, 4), (5, 1)])
def test_reorder_bad_positions_answers_30020(client, super_headers, src, dest):
    product, ids = _with_images(3)
    response = client.put(
        f"/v2/product/{product.id}/reorder",
        json={"src_order": src, "dest_order": dest},
        headers=super_headers,
    )
    assert (response.status_code, response.get_json()["error_code"]) == (400, 30020)
    assert [img for _, img in _images(product.id)] == ids


def test_reorder_missing_fields_answers_1000(client, super_headers):
    product, _ = _with_images(2)
    response = client.put(
        f"/v2/product/{product.id}/reorder", json={"src_order": 0}, headers=super_headers
    )
    assert response.get_json()["error_code"] == 1000


def test_add_image_at_position_and_duplicate(client, super_headers):
    product, (a, b) = _with_images(2)
    new = make_image().id
    response = client.post(
        f"/v2/product/{product.id}/image", json={"img_id": new, "order": 1}, headers=super_headers
    )
    assert response.status_code == 201
    assert _images(product.id) == [(1, new), (2, a), (3, b)]
    again = client.post(
        f"/v2/product/{product.id}/image", json={"img_id": new}, headers=super_headers
    )
    assert (again.status_code, again.get_json()["error_code"]) == (409, 2001)
    unknown = client.post(
        f"/v2/product/{product.id}/image", json={"img_id": 999}, headers=super_headers
    )
    assert unknown.get_json()["error_code"] == 10380


def test_replace_images_in_order(client, super_headers):
    product, (a, b) = _with_images(2)
    c = make_image().id
    response = client.put(
        f"/v2/product/{product.id}/images", json={"img_ids": [c, a]}, headers=super_headers
    )
    assert response.status_code == 201
    assert [i["img_id"] for i in response.get_json()["data"]["image_items"]] == [c, a]
    assert _images(product.id) == [(1, c), (2, a)]
    empty = client.put(
        f"/v2/product/{product.id}/images", json={"img_ids": []}, headers=super_headers
    )
    assert empty.get_json()["data"]["image_items"] == []
    unknown = client.put(
        f"/v2/product/{product.id}/images", json={"img_ids": [999]}, headers=super_headers
    )
    assert unknown.get_json()["error_code"] == 10380


def test_replace_images_more_than_fifty_answers_1000(client, super_headers):
    product = make_product()
    response = client.put(
        f"/v2/product/{product.id}/images",
        json={"img_ids": list(range(1, 52))},
        headers=super_headers,
    )
    assert response.get_json()["error_code"] == 1000


def test_remove_image_renumbers(client, super_headers):
    product, (a, b, c) = _with_images(3)
    response = client.delete(f"/v2/product/{product.id}/image/{b}", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"id": b}
    assert _images(product.id) == [(1, a), (2, c)]
    again = client.delete(f"/v2/product/{product.id}/image/{b}", headers=super_headers)
    assert (again.status_code, again.get_json()["error_code"]) == (404, 30030)


def test_property_crud(client):
    staff = make_staff(("商品", "管理商品属性"))
    headers = auth_headers(staff)
    product = make_product()
    make_property(product, order=3)
    created = client.post(
        f"/v2/product/{product.id}/property", json={"detail": "火星"}, headers=headers
    )
    assert created.status_code == 201
    prop = created.get_json()["data"]
    assert (prop["name"], prop["detail"], prop["order"]) == ("", "火星", 4)
    updated = client.put(
        f"/v2/product/{product.id}/property/{prop['id']}",
        json={"name": "产地", "order": 0},
        headers=headers,
    )
    assert updated.get_json()["data"] == {
        "id": prop["id"],
        "name": "产地",
        "detail": "火星",
        "order": 0,
    }
    row = db.session.get(ProductProperty, prop["id"])
    db.session.refresh(row)
    assert (row.name, row.order) == ("产地", 0)
    detail = client.get(f"/v1/product/{product.id}").get_json()["data"]
    assert detail["properties"][0]["id"] == prop["id"]
    removed = client.delete(f"/v2/product/{product.id}/property/{prop['id']}", headers=headers)
    assert removed.status_code == 202
    assert removed.get_json()["data"] == {"id": prop["id"]}
    assert db.session.get(ProductProperty, prop["id"]) is None


def test_property_of_another_product_answers_30040(client, super_headers):
    product, other = make_product(), make_product()
    prop = make_property(other)
    response = client.put(
        f"/v2/product/{product.id}/property/{prop.id}", json={"detail": "x"}, headers=super_headers
    )
    assert (response.status_code, response.get_json()["error_code"]) == (404, 30040)
    response = client.delete(f"/v2/product/{product.id}/property/{prop.id}", headers=super_headers)
    assert response.get_json()["error_code"] == 30040


def test_property_detail_is_required(client, super_headers):
    product = make_product()
    response = client.post(
        f"/v2/product/{product.id}/property", json={"name": "x"}, headers=super_headers
    )
    assert response.get_json()["error_code"] == 1000
    missing = client.post("/v2/product/999/property", json={"detail": "x"}, headers=super_headers)
    assert missing.get_json()["error_code"] == 30010
