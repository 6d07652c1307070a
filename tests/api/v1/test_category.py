"""GET /v1/category: public category reads."""

from app.extensions import db
from tests.factories import make_category, make_image


def test_list_all_categories_answers_a_bare_array_by_id(client):
    image = make_image(url="/category-cake.png")
    second = make_category(name="点心", topic_img_id=image.id)
    first = make_category(name="果味", description="fruit")
    deleted = make_category(name="gone")
    deleted.soft_delete()
    db.session.commit()
    response = client.get("/v1/category/all")
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert data == [
        {
            "id": second.id,
            "name": "点心",
            "description": "",
            "image": "http://localhost/static/images/category-cake.png",
        },
        {"id": first.id, "name": "果味", "description": "fruit", "image": ""},
    ]


def test_list_all_categories_is_an_empty_array_when_none(client):
    assert client.get("/v1/category/all").get_json()["data"] == []


def test_list_categories_paginates_by_id(client):
    ids = [make_category().id for _ in range(3)]
    data = client.get("/v1/category/list?page=2&size=2").get_json()["data"]
    assert data["total"] == 3
    assert data["current_page"] == 2
    assert data["total_page"] == 2
    assert [item["id"] for item in data["items"]] == ids[2:]


def test_list_categories_bad_size_answers_1000(client):
    response = client.get("/v1/category/list?size=0")
    assert response.status_code == 400
    assert response.get_json()["error_code"] == 1000


def test_get_category_answers_the_category(client):
    category = make_category(name="蔬菜")
    data = client.get(f"/v1/category/{category.id}").get_json()["data"]
    assert data == {"id": category.id, "name": "蔬菜", "description": "", "image": ""}


def test_get_category_unknown_answers_31010(client):
    response = client.get("/v1/category/999")
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 31010


def test_get_category_sets_etag_and_answers_304(client):
    category = make_category()
    first = client.get(f"/v1/category/{category.id}")
    assert first.headers["Cache-Control"] == "public, max-age=60"
    etag = first.headers["ETag"]
    again = client.get(f"/v1/category/{category.id}", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.get_data() == b""


def test_list_all_categories_uses_image_base_url_when_configured(app, client):
    make_category(topic_img_id=make_image(url="/a.png").id)
    app.config["IMAGE_BASE_URL"] = "https://cdn.example.com/img/"
    try:
        data = client.get("/v1/category/all").get_json()["data"]
    finally:
        app.config["IMAGE_BASE_URL"] = ""
    assert data[0]["image"] == "https://cdn.example.com/img/a.png"


def test_list_all_categories_ignores_a_bad_token(client):
    make_category()
    response = client.get("/v1/category/all", headers={"Authorization": "Bearer nonsense"})
    assert response.status_code == 200
    assert len(response.get_json()["data"]) == 1
