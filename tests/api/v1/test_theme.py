"""GET /v1/theme: themes by ids, the paginated list and a theme with its products."""

from app.extensions import db
from tests.factories import make_image, make_product, make_theme


def test_list_themes_by_ids_keeps_the_order_and_skips_unknown(client):
    one = make_theme(name="one", topic_img_id=make_image(url="/1@theme.png").id)
    two = make_theme(name="two", head_img_id=make_image(url="/2@theme-head.png").id)
    gone = make_theme(name="gone")
    gone.soft_delete()
    db.session.commit()
    response = client.get(f"/v1/theme?ids={two.id},999,{gone.id},{one.id}")
    assert response.status_code == 200
    items = response.get_json()["data"]["items"]
    assert [item["id"] for item in items] == [two.id, one.id]
    assert items[1] == {
        "id": one.id,
        "name": "one",
        "description": "",
        "topic_img_url": "http://localhost/static/images/1@theme.png",
        "head_img_url": "",
    }
    assert items[0]["head_img_url"] == "http://localhost/static/images/2@theme-head.png"
    assert "products" not in items[0]


def test_list_themes_by_ids_requires_one_to_twenty_ids(client):
    for query in ("", "?ids=", "?ids=a,b", "?ids=" + ",".join(str(i) for i in range(1, 22))):
        response = client.get("/v1/theme" + query)
        assert response.status_code == 400, query
        assert response.get_json()["error_code"] == 1000


def test_list_themes_paginates_by_id(client):
    ids = [make_theme().id for _ in range(3)]
    data = client.get("/v1/theme/list?size=2").get_json()["data"]
    assert [item["id"] for item in data["items"]] == ids[:2]
    assert (data["total"], data["total_page"]) == (3, 2)


def test_get_theme_lists_on_sale_products_in_link_order(client):
    first = make_product(name="first", price="1.50")
    off = make_product(name="off", on_sale=False)
    gone = make_product(name="gone")
    last = make_product(name="last")
    theme = make_theme(products=[last, off, gone, first])
    gone.soft_delete()
    db.session.commit()
    data = client.get(f"/v1/theme/{theme.id}").get_json()["data"]
    assert [p["id"] for p in data["products"]] == [last.id, first.id]
    assert data["products"][1] == {
        "id": first.id,
        "name": "first",
        "price": "1.50",
        "stock": 100,
        "category_id": None,
        "main_image": "",
        "summary": "",
    }


def test_get_theme_unknown_answers_41010(client):
    response = client.get("/v1/theme/999")
    assert response.status_code == 404
    assert response.get_json()["error_code"] == 41010
