"""/v2/category: admin category management."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Category
from tests.factories import auth_headers, make_category, make_image, make_product, make_staff
from tests.helpers import count_statements, error

ROUTES = [
    ("get", "/v2/category/list"),
    ("get", "/v2/category/1"),
    ("post", "/v2/category"),
    ("put", "/v2/category/1"),
    ("delete", "/v2/category/1"),
    ("get", "/cms/category/list"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_category_routes_refuse_customers_with_403(client, customer_headers, method, path):
    make_category()
    error(getattr(client, method)(path, headers=customer_headers, json={"name": "x"}), 403, 1004)


def test_category_routes_refuse_anonymous_with_401(client):
    assert client.get("/v2/category/list").status_code == 401


def test_staff_without_permission_is_refused(client):
    staff = make_staff(("类别", "查询类别"))
    response = client.post("/v2/category", json={"name": "x"}, headers=auth_headers(staff))
    assert response.status_code == 403
    assert db.session.scalar(select(Category)) is None


def test_list_categories_for_staff_with_permission(client):
    staff = make_staff(("类别", "查询类别"))
    image = make_image(url="/category-tea.png")
    category = make_category(name="粗茶", topic_img_id=image.id)
    make_product(category=category)
    gone = make_product(category=category)
    gone.soft_delete()
    db.session.commit()
    make_category(name="淡饭")
    response = client.get("/cms/category/list", headers=auth_headers(staff))
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert data["total"] == 2
    item = data["items"][0]
    assert item["id"] == category.id
    assert item["image"] == "http://localhost/static/images/category-tea.png"
    assert item["topic_img_id"] == image.id
    assert item["product_count"] == 1
    assert len(item["create_time"]) == 19  # "YYYY-MM-DD HH:MM:SS"


def test_list_categories_counts_products_in_the_page_query(client, super_headers):
    def listed_with_statements():
        with count_statements() as log:
            data = client.get("/v2/category/list", headers=super_headers).get_json()["data"]
        return [item["product_count"] for item in data["items"]], log.count

    make_product(category=make_category())
    one, statements_for_one = listed_with_statements()
    for _ in range(3):
        make_product(category=make_category())
    four, statements_for_four = listed_with_statements()
    assert (one, four) == ([1], [1, 1, 1, 1])
    assert statements_for_four == statements_for_one  # no query per category


def test_list_categories_filters_by_keyword(client, super_headers):
    make_category(name="点心")
    tea = make_category(name="粗茶")
    data = client.get("/v2/category/list?keyword=茶", headers=super_headers).get_json()["data"]
    assert [item["id"] for item in data["items"]] == [tea.id]


def test_get_category_unknown_answers_31010(client, super_headers):
    response = client.get("/v2/category/999", headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (404, 31010)


def test_create_category_stores_listed_fields_only(client):
    staff = make_staff(("类别", "新增类别"))
    image = make_image()
    response = client.post(
        "/v2/category",
        json={"name": " 果味 ", "topic_img_id": image.id, "id": 77, "create_time": 1},
        headers=auth_headers(staff),
    )
    assert response.status_code == 201
    body = response.get_json()
    assert body["error_code"] == 1
    assert body["data"]["name"] == "果味"
    assert body["data"]["description"] == ""
    assert body["data"]["product_count"] == 0
    row = db.session.scalars(select(Category)).one()
    assert (row.name, row.topic_img_id) == ("果味", image.id)
    assert row.id != 77
    assert row.create_time > 1


def test_create_category_duplicate_name_answers_2001(client, super_headers):
    make_category(name="果味")
    response = client.post("/v2/category", json={"name": "果味"}, headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (409, 2001)


def test_create_category_may_reuse_a_deleted_name(client, super_headers):
    old = make_category(name="果味")
    old.soft_delete()
    db.session.commit()
    response = client.post("/v2/category", json={"name": "果味"}, headers=super_headers)
    assert response.status_code == 201


def test_create_category_unknown_image_answers_10380(client, super_headers):
    response = client.post(
        "/v2/category", json={"name": "x", "topic_img_id": 999}, headers=super_headers
    )
    assert (response.status_code, response.get_json()["error_code"]) == (404, 10380)
    assert db.session.scalar(select(Category)) is None


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "x" * 51}, {"name": 5}])
def test_create_category_invalid_answers_1000(client, super_headers, body):
    response = client.post("/v2/category", json=body, headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (400, 1000)


def test_update_category_changes_sent_fields_and_clears_image(client, super_headers):
    category = make_category(name="old", description="keep", topic_img_id=make_image().id)
    response = client.put(
        f"/v2/category/{category.id}",
        json={"name": "new", "topic_img_id": None},
        headers=super_headers,
    )
    assert response.status_code == 201
    data = response.get_json()["data"]
    assert (data["name"], data["description"], data["image"]) == ("new", "keep", "")
    db.session.expire_all()
    row = db.session.get(Category, category.id)
    assert (row.name, row.description, row.topic_img_id) == ("new", "keep", None)


def test_update_category_to_another_live_name_answers_2001(client, super_headers):
    make_category(name="a")
    b = make_category(name="b")
    response = client.put(f"/v2/category/{b.id}", json={"name": "a"}, headers=super_headers)
    assert response.get_json()["error_code"] == 2001
    same = client.put(f"/v2/category/{b.id}", json={"name": "b"}, headers=super_headers)
    assert same.status_code == 201


def test_update_category_null_name_answers_1000(client, super_headers):
    category = make_category()
    response = client.put(f"/v2/category/{category.id}", json={"name": None}, headers=super_headers)
    assert response.get_json()["error_code"] == 1000


def test_delete_category_soft_deletes_and_hides_it(client, super_headers):
    category = make_category()
    client.get("/v1/category/all")  # warm the cache
    response = client.delete(f"/v2/category/{category.id}", headers=super_headers)
    assert response.status_code == 202
    assert response.get_json()["data"] == {"id": category.id}
    row = db.session.scalar(
        select(Category).where(Category.id == category.id).execution_options(include_deleted=True)
    )
    assert row.delete_time is not None
    assert client.get("/v1/category/all").get_json()["data"] == []
    again = client.delete(f"/v2/category/{category.id}", headers=super_headers)
    assert again.get_json()["error_code"] == 31010


def test_delete_category_with_live_products_answers_31020(client, super_headers):
    category = make_category()
    make_product(category=category)
    response = client.delete(f"/v2/category/{category.id}", headers=super_headers)
    assert (response.status_code, response.get_json()["error_code"]) == (409, 31020)
    assert db.session.get(Category, category.id).delete_time is None


def test_create_category_is_visible_at_once_on_v1(client, super_headers):
    assert client.get("/v1/category/all").get_json()["data"] == []
    client.post("/cms/category", json={"name": "新"}, headers=super_headers)
    assert [c["name"] for c in client.get("/v1/category/all").get_json()["data"]] == ["新"]
