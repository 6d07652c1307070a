"""GET /v1/banner/{id}: a banner with its items."""

from app.extensions import db
from tests.factories import make_banner, make_banner_item, make_image


def test_get_banner_answers_items_by_order_then_id(client):
    banner = make_banner(name="首页置顶", description="首页轮播图")
    late = make_banner_item(banner, make_image(url="/b.png"), type=1, key_word="6", order=2)
    early = make_banner_item(banner, make_image(url="/a.png"), type=2, key_word="1", order=1)
    tie = make_banner_item(banner, make_image(url="/c.png"), order=2)
    gone = make_banner_item(banner, order=0)
    gone.soft_delete()
    db.session.commit()
    response = client.get(f"/v1/banner/{banner.id}")
    assert response.status_code == 200
    data = response.get_json()["data"]
    assert data["id"] == banner.id
    assert data["name"] == "首页置顶"
    assert data["description"] == "首页轮播图"
    assert [item["id"] for item in data["items"]] == [early.id, late.id, tie.id]
    assert data["items"][0] == {
        "id": early.id,
        "key_word": "1",
        "type": 2,
        "image": "http://localhost/static/images/a.png",
    }


def test_get_banner_network_image_url_is_unchanged(client):
    banner = make_banner()
    make_banner_item(banner, make_image(url="https://img.example.com/x.png", source=2))
    data = client.get(f"/v1/banner/{banner.id}").get_json()["data"]
    assert data["items"][0]["image"] == "https://img.example.com/x.png"


def test_get_banner_without_items_answers_empty_list(client):
    banner = make_banner()
    assert client.get(f"/v1/banner/{banner.id}").get_json()["data"]["items"] == []


def test_get_banner_unknown_or_deleted_answers_40010(client):
    banner = make_banner()
    banner.soft_delete()
    db.session.commit()
    for path in ("/v1/banner/999", f"/v1/banner/{banner.id}"):
        response = client.get(path)
        assert response.status_code == 404
        assert response.get_json()["error_code"] == 40010


def test_get_banner_non_integer_id_answers_1007(client):
    assert client.get("/v1/banner/abc").get_json()["error_code"] == 1007
