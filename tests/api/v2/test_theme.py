"""/v2/theme: admin theme management and theme-product links."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Theme, theme_product
from tests.factories import auth_headers, make_image, make_product, make_staff, make_theme
from tests.helpers import error

ROUTES = [
    ("get", "/v2/theme/list"),
    ("get", "/v2/theme/1"),
    ("post", "/v2/theme"),
    ("put", "/v2/theme/1"),
    ("put", "/v2/theme/1/products"),
    ("delete", "/v2/theme/1"),
    ("post", "/v2/theme/1/product"),
    ("delete", "/v2/theme/1/product?product_id=1"),
    ("delete", "/v2/theme/1/product/1"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_theme_routes_refuse_customers_with_403(client, customer_headers, method, path):
    error(getattr(client, method)(path, headers=customer_headers, json={}), 403, 1004)


def _links(theme_id):
    rows = db.session.execute(
        select(theme_product.c.product_id)
        .where(theme_product.c.theme_id == theme_id)
        .order_by(theme_product.c.order)
    )
    return [row.product_id for row in rows]


def test_create_theme_with_products_in_order(client):
    staff = make_staff(("主题", "新增主题"))
    topic, head = make_image(url="/1@theme.png"), make_image(url="/1@theme-head.png")
    a, b = make_product(), make_product(on_sale=False)
    response = client.post(
        "/v2/theme",
        json={
            "name": "专题栏位一",
            "description": "美味水果世界",
            "topic_img_id": topic.id,
            "head_img_id": head.id,
            "product_ids": [b.id, a.id],
        },
        headers=auth_headers(staff),
    )
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert data["topic_img_url"] == "http://localhost/static/images/1@theme.png"
    assert data["head_img_id"] == head.id
    assert data["product_ids"] == [b.id, a.id]
    assert [p["id"] for p in data["products"]] == [b.id, a.id]
    assert data["products"][0]["on_sale"] is False
    assert _links(data["id"]) == [b.id, a.id]
    public = client.get(f"/v1/theme/{data['id']}").get_json()["data"]
    assert [p["id"] for p in public["products"]] == [a.id]


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ({"name": "t", "topic_img_id": 999}, 10380),
        ({"name": "t", "head_img_id": 999}, 10380),
        ({"name": "t", "product_ids": [999]}, 30010),
    ],
)
def test_create_theme_unknown_references(client, super_headers, body, code):
    response = client.post("/v2/theme", json=body, headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, code)
    assert db.session.scalar(select(Theme)) is None


def test_list_and_get_themes(client, super_headers):
    one, two = make_theme(name="one"), make_theme(name="two")
    data = client.get("/v2/theme/list", headers=super_headers).get_json()["data"]
    assert [t["id"] for t in data["items"]] == [one.id, two.id]
    assert len(data["items"][0]["create_time"]) == 19
    missing = client.get("/v2/theme/999", headers=super_headers)
    assert (missing.status_code, missing.get_json()["error_code"]) == (404, 41010)


def test_update_theme_sent_fields_only(client, super_headers):
    theme = make_theme(name="old", description="keep", topic_img_id=make_image().id)
    response = client.put(
        f"/v2/theme/{theme.id}",
        json={"name": "new", "topic_img_id": None, "product_ids": [1]},
        headers=super_headers,
    )
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert (data["name"], data["description"], data["topic_img_url"]) == ("new", "keep", "")
    assert data["product_ids"] == []
    db.session.expire_all()
    assert db.session.get(Theme, theme.id).topic_img_id is None


def test_replace_theme_products(client, super_headers):
    a, b, c = make_product(), make_product(), make_product()
    theme = make_theme(products=[a, b])
    response = client.put(
        f"/v2/theme/{theme.id}/products", json={"product_ids": [c.id, a.id]}, headers=super_headers
    )
    assert response.status_code == 201
    assert response.get_json()["data"]["product_ids"] == [c.id, a.id]
    assert _links(theme.id) == [c.id, a.id]
    bad = client.put(
        f"/v2/theme/{theme.id}/products", json={"product_ids": [999]}, headers=super_headers
    )
    assert bad.get_json()["error_code"] == 30010
    assert _links(theme.id) == [c.id, a.id]


def test_add_product_to_theme_appends_and_refuses_duplicates(client):
    staff = make_staff(("主题", "添加商品到主题"))
    a, b = make_product(), make_product()
    theme = make_theme(products=[a])
    response = client.post(
        f"/cms/theme/{theme.id}/product", json={"product_id": b.id}, headers=auth_headers(staff)
    )
    assert response.status_code == 201
    assert response.get_json()["data"]["product_ids"] == [a.id, b.id]
    query = client.post(
        f"/v2/theme/{theme.id}/product?product_id={a.id}", headers=auth_headers(staff)
    )
    assert (query.status_code, query.get_json()["error_code"]) == (409, 2001)
    assert _links(theme.id) == [a.id, b.id]
    unknown = client.post(
        f"/v2/theme/{theme.id}/product", json={"product_id": 999}, headers=auth_headers(staff)
    )
    assert unknown.get_json()["error_code"] == 30010


def test_remove_product_from_theme_by_query_and_path(client, super_headers):
    a, b = make_product(), make_product()
    theme = make_theme(products=[a, b])
    by_query = client.delete(
        f"/v2/theme/{theme.id}/product?product_id={a.id}", headers=super_headers
    )
    assert by_query.status_code == 202
    assert by_query.get_json()["data"] == {"id": a.id}
    by_path = client.delete(f"/v2/theme/{theme.id}/product/{b.id}", headers=super_headers)
    assert by_path.get_json()["data"] == {"id": b.id}
    assert _links(theme.id) == []
    again = client.delete(f"/v2/theme/{theme.id}/product/{b.id}", headers=super_headers)
    assert (again.status_code, again.get_json()["error_code"]) == (404, 41020)
    no_theme = client.delete(f"/v2/theme/999/product/{b.id}", headers=super_headers)
    assert no_theme.get_json()["error_code"] == 41010
    no_id = client.delete(f"/v2/theme/{theme.id}/product", headers=super_headers)
    assert no_id.get_json()["error_code"] == 1000


def test_delete_theme_hides_it(client, super_headers):
    theme = make_theme()
    assert client.get(f"/v1/theme?ids={theme.id}").get_json()["data"]["items"] != []
    response = client.delete(f"/v2/theme/{theme.id}", headers=super_headers)
    assert response.status_code == 202
    assert client.get(f"/v1/theme?ids={theme.id}").get_json()["data"]["items"] == []
    assert client.get(f"/v1/theme/{theme.id}").status_code == 404
    row = db.session.scalar(
        select(Theme).where(Theme.id == theme.id).execution_options(include_deleted=True)
    )
    assert row.delete_time is not None


def test_staff_with_read_permission_only_cannot_write(client):
    staff = make_staff(("主题", "查询主题"))
    assert client.get("/v2/theme/list", headers=auth_headers(staff)).status_code == 200
    response = client.post("/v2/theme", json={"name": "x"}, headers=auth_headers(staff))
    assert response.status_code == 403
