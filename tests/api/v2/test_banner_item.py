"""/v2/banner_item: admin banner item management."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import BannerItem
from tests.factories import (
    auth_headers,
    make_banner,
    make_banner_item,
    make_image,
    make_product,
    make_staff,
    make_theme,
)
from tests.helpers import error

ROUTES = [
    ("get", "/v2/banner_item/1"),
    ("post", "/v2/banner_item"),
    ("put", "/v2/banner_item/1"),
    ("delete", "/v2/banner_item/1"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_banner_item_routes_refuse_customers_with_403(client, customer_headers, method, path):
    error(getattr(client, method)(path, headers=customer_headers, json={}), 403, 1004)


def test_create_banner_item_linking_a_product(client):
    staff = make_staff(("轮播子图", "新建轮播子图"))
    banner = make_banner()
    make_banner_item(banner, order=4)
    image, product = make_image(url="/banner-1a.png"), make_product()
    response = client.post(
        "/v2/banner_item",
        json={"banner_id": banner.id, "img_id": image.id, "type": 1, "key_word": str(product.id)},
        headers=auth_headers(staff),
    )
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["image"] == "http://localhost/static/images/banner-1a.png"
    assert (data["type"], data["key_word"], data["order"]) == (1, str(product.id), 5)
    row = db.session.get(BannerItem, data["id"])
    assert (row.banner_id, row.img_id, row.order) == (banner.id, image.id, 5)
    public = client.get(f"/v1/banner/{banner.id}").get_json()["data"]
    assert public["items"][-1]["key_word"] == str(product.id)


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"banner_id": 999}, 40010),
        ({"img_id": 999}, 10380),
        ({"type": 1, "key_word": "999"}, 30010),
        ({"type": 1, "key_word": "abc"}, 30010),
        ({"type": 2, "key_word": "999"}, 41010),
    ],
)
def test_create_banner_item_bad_references(client, super_headers, change, code):
    body = {"banner_id": make_banner().id, "img_id": make_image().id, "type": 0, **change}
    response = client.post("/v2/banner_item", json=body, headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, code)
    assert db.session.scalar(select(BannerItem)) is None


def test_create_banner_item_theme_and_free_text(client, super_headers):
    banner, image, theme = make_banner(), make_image(), make_theme()
    theme_item = client.post(
        "/v2/banner_item",
        json={"banner_id": banner.id, "img_id": image.id, "type": 2, "key_word": str(theme.id)},
        headers=super_headers,
    )
    assert theme_item.status_code == 201
    free = client.post(
        "/v2/banner_item",
        json={"banner_id": banner.id, "img_id": image.id, "type": 0, "key_word": "hello"},
        headers=super_headers,
    )
    assert free.get_json()["data"]["key_word"] == "hello"
    bad_type = client.post(
        "/v2/banner_item",
        json={"banner_id": banner.id, "img_id": image.id, "type": 3},
        headers=super_headers,
    )
    assert bad_type.get_json()["error_code"] == 1000


def test_update_banner_item_checks_the_new_link(client, super_headers):
    banner = make_banner()
    item = make_banner_item(banner, type=0, key_word="x")
    bad = client.put(f"/v2/banner_item/{item.id}", json={"type": 1}, headers=super_headers)
    assert bad.get_json()["error_code"] == 30010
    product = make_product()
    response = client.put(
        f"/v2/banner_item/{item.id}",
        json={"type": 1, "key_word": str(product.id), "order": 7},
        headers=super_headers,
    )
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert (data["type"], data["key_word"], data["order"]) == (1, str(product.id), 7)
    db.session.expire_all()
    row = db.session.get(BannerItem, item.id)
    assert (row.type, row.key_word, row.order) == (1, str(product.id), 7)
    missing = client.put("/v2/banner_item/999", json={"order": 1}, headers=super_headers)
    assert missing.get_json()["error_code"] == 40020


def test_get_and_delete_banner_item(client):
    staff = make_staff(("轮播图", "查询轮播图列表"), ("轮播子图", "删除轮播子图"))
    headers = auth_headers(staff)
    banner = make_banner()
    item = make_banner_item(banner)
    got = client.get(f"/v2/banner_item/{item.id}", headers=headers).get_json()["data"]
    assert (got["id"], got["banner_id"]) == (item.id, banner.id)
    assert client.get(f"/v1/banner/{banner.id}").get_json()["data"]["items"] != []
    response = client.delete(f"/v2/banner_item/{item.id}", headers=headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"id": item.id}
    assert client.get(f"/v1/banner/{banner.id}").get_json()["data"]["items"] == []
    again = client.get(f"/v2/banner_item/{item.id}", headers=headers)
    assert (again.status_code, again.get_json()["error_code"]) == (404, 40020)
