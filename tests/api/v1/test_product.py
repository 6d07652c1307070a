"""GET /v1/product: recent, by category, detail (on-sale products only)."""

import pytest

from app.extensions import db
from app.models import Product
from tests.factories import (
    make_category,
    make_image,
    make_product,
    make_product_image,
    make_property,
    make_sku_product,
    skus_of,
)


def test_list_recent_products_newest_first_default_fifteen(client):
    products = [make_product(create_time=1000 + i) for i in range(17)]
    make_product(create_time=5000, on_sale=False)
    response = client.get("/v1/product/recent")
    assert response.status_code == 200
    items = response.get_json()["data"]["items"]
    assert [p["id"] for p in items] == [p.id for p in reversed(products)][:15]


def test_list_recent_products_ties_break_by_id_desc(client):
    a = make_product(create_time=7)
    b = make_product(create_time=7)
    items = client.get("/v1/product/recent?count=2").get_json()["data"]["items"]
    assert [p["id"] for p in items] == [b.id, a.id]


@pytest.mark.parametrize("count", ["0", "16", "x", "1.5"])
def test_list_recent_products_bad_count_answers_1000(client, count):
    response = client.get(f"/v1/product/recent?count={count}")
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 1000


def test_list_recent_products_summary_fields(client):
    category = make_category()
    image = make_image(url="/product-tea@1.png")
    product = make_product(
        name="碧螺春", price="38", stock=5, category=category, main_img_id=image.id, summary="s"
    )
    items = client.get("/v1/product/recent?count=1").get_json()["data"]["items"]
    assert items == [
        {
            "id": product.id,
            "name": "碧螺春",
            "price": "38.00",
            "stock": 5,
            "category_id": category.id,
            "main_image": "http://localhost/static/images/product-tea@1.png",
            "summary": "s",
        }
    ]


@pytest.mark.parametrize("path", ["/v1/product/by_category", "/v1/product/list/by_category"])
def test_list_products_by_category_paginates_on_sale_by_id(client, path):
    category = make_category()
    ids = [make_product(category=category).id for _ in range(3)]
    make_product(category=category, on_sale=False)
    make_product(category=make_category())
    data = client.get(f"{path}?category_id={category.id}&size=2&page=2").get_json()["data"]
    assert [p["id"] for p in data["items"]] == ids[2:]
    assert (data["total"], data["current_page"], data["total_page"]) == (3, 2, 2)


@pytest.mark.parametrize(
    "path",
    ["/v1/product/by_category", "/v1/product/list/by_category", "/v1/product/all/by_category"],
)
def test_list_products_by_category_validates_the_category(client, path):
    missing = client.get(path)
    assert (missing.status_code, missing.get_json()["error_code"]) == (400, 1000)
    unknown = client.get(f"{path}?category_id=999")
    assert (unknown.status_code, unknown.get_json()["error_code"]) == (404, 31010)


def test_list_all_products_by_category_answers_items_by_id(client):
    category = make_category()
    ids = [make_product(category=category).id for _ in range(3)]
    data = client.get(f"/v1/product/all/by_category?category_id={category.id}").get_json()["data"]
    assert [p["id"] for p in data["items"]] == ids
    assert set(data) == {"items"}


def test_get_product_answers_images_by_position_and_properties_by_order(client):
    product = make_product(name="贵妃笑", price="29.90")
    second = make_image(url="/detail-2.png")
    first = make_image(url="/detail-1.png")
    make_product_image(product, second, order=2)
    make_product_image(product, first, order=1)
    b = make_property(product, name="产地", detail="火星", order=1)
    a = make_property(product, name="品名", detail="杨梅", order=0)
    c = make_property(product, name="保质期", detail="180天", order=1)
    response = client.get(f"/v1/product/{product.id}")
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert data["price"] == "29.90"
    assert data["images"] == [
        "http://localhost/static/images/detail-1.png",
        "http://localhost/static/images/detail-2.png",
    ]
    assert data["properties"] == [
        {"id": a.id, "name": "品名", "detail": "杨梅"},
        {"id": b.id, "name": "产地", "detail": "火星"},
        {"id": c.id, "name": "保质期", "detail": "180天"},
    ]


@pytest.mark.parametrize("state", ["missing", "off_sale", "deleted"])
def test_get_product_hidden_answers_30010(client, state):
    product_id = 999
    if state != "missing":
        product = make_product(on_sale=state != "off_sale")
        product_id = product.id
        if state == "deleted":
            db.session.get(Product, product_id).soft_delete()
            db.session.commit()
    response = client.get(f"/v1/product/{product_id}")
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 30010


def test_get_product_etag_changes_after_an_admin_write(client, super_headers):
    product = make_product(price="5.00")
    first = client.get(f"/v1/product/{product.id}")
    etag = first.headers["ETag"]
    assert (
        client.get(f"/v1/product/{product.id}", headers={"If-None-Match": etag}).status_code == 304
    )
    client.put(f"/v2/product/{product.id}", json={"price": "6.00"}, headers=super_headers)
    after = client.get(f"/v1/product/{product.id}", headers={"If-None-Match": etag})
    assert after.status_code == 200
    assert after.get_json()["data"]["price"] == "6.00"
    assert after.headers["ETag"] != etag


def test_demo_catalog_recent_lists_33_down_to_18(client, demo):
    items = client.get("/v1/product/recent").get_json()["data"]["items"]
    assert [p["id"] for p in items] == [33, 32, 31, 30, 29, 28, 27, 26, 25, 23, 22, 21, 20, 19, 18]


def test_demo_catalog_product_11_detail(client, demo):
    data = client.get("/v1/product/11").get_json()["data"]
    assert data["price"] == "29.90"
    assert len(data["images"]) == 13
    assert data["images"][9].endswith("/detail-10@1-dryfruit.png")
    assert data["images"][10].endswith("/detail-11@1-dryfruit.png")
    assert [p["name"] for p in data["properties"]] == ["品名", "口味", "产地", "保质期"]


def test_get_product_answers_specs_and_live_skus(client):
    product = make_sku_product(
        specs={"颜色": ["红", "蓝"], "尺码": ["M"]},
        skus=[({"颜色": "红", "尺码": "M"}, "19.90", 2), ({"颜色": "蓝", "尺码": "M"}, "18.50", 0)],
    )
    red, blue = skus_of(product)
    blue.on_sale = False
    db.session.commit()
    data = client.get(f"/v1/product/{product.id}").get_json()["data"]
    assert data["specs"] == [
        {"name": "颜色", "values": ["红", "蓝"]},
        {"name": "尺码", "values": ["M"]},
    ]
    assert data["skus"] == [
        {
            "id": red.id,
            "specs": {"颜色": "红", "尺码": "M"},
            "price": "19.90",
            "stock": 2,
            "image": "",
            "on_sale": True,
        },
        {
            "id": blue.id,
            "specs": {"颜色": "蓝", "尺码": "M"},
            "price": "18.50",
            "stock": 0,
            "image": "",
            "on_sale": False,
        },
    ]


def test_demo_products_have_one_and_two_specifications(client, demo):
    one = client.get("/v1/product/9").get_json()["data"]
    assert one["specs"] == [{"name": "规格", "values": ["500克", "1000克"]}]
    assert [(s["specs"], s["price"], s["stock"]) for s in one["skus"]] == [
        ({"规格": "500克"}, "25.00", 600),
        ({"规格": "1000克"}, "46.00", 396),
    ]
    assert (one["price"], one["stock"]) == ("25.00", 996)
    two = client.get("/v1/product/8").get_json()["data"]
    assert [spec["name"] for spec in two["specs"]] == ["产地", "规格"]
    assert len(two["skus"]) == 4
    assert (two["price"], two["stock"]) == ("18.80", 995)
    plain = client.get("/v1/product/11").get_json()["data"]
    assert plain["specs"] == [] and [s["specs"] for s in plain["skus"]] == [{}]
