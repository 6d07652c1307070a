"""/v1/favorite: keep a product (idempotent), stop keeping it, list (newest first, invalid ones
flagged), check a list of ids; the public product detail stays one cached body."""

import pytest
from sqlalchemy import select

from app.extensions import cache, db
from app.models import Favorite, Product
from app.models.base import now
from app.services import favorite as favorite_service
from tests.factories import auth_headers, make_favorite, make_image, make_product, make_user
from tests.helpers import count_statements, error, needs_mariadb, run_parallel


def kept(user_id):
    db.session.rollback()
    return db.session.scalars(
        select(Favorite.product_id).where(Favorite.user_id == user_id).order_by(Favorite.id)
    ).all()


def test_add_favorite_answers_the_kept_product(client, customer, customer_headers):
    product = make_product(name="芒果", price="18.80", stock=7, main_img_id=make_image("/m.png").id)
    response = client.post(
        "/v1/favorite", json={"product_id": product.id}, headers=customer_headers
    )
    assert response.status_code == 201
    row = db.session.scalar(select(Favorite))
    assert response.get_json()["data"] == {
        "id": row.id,
        "product_id": product.id,
        "name": "芒果",
        "main_image": "http://localhost/static/images/m.png",
        "price": "18.80",
        "stock": 7,
        "invalid": False,
        "invalid_reason": None,
        "create_time": row.create_time,
    }
    assert kept(customer.id) == [product.id]


def test_add_favorite_twice_keeps_one_row(client, customer, customer_headers):
    product = make_product()
    first = client.post("/v1/favorite", json={"product_id": product.id}, headers=customer_headers)
    again = client.post("/v1/favorite", json={"product_id": product.id}, headers=customer_headers)
    assert (first.status_code, again.status_code) == (201, 201)
    assert first.get_json()["data"] == again.get_json()["data"]
    assert kept(customer.id) == [product.id]


@pytest.mark.parametrize("state", ["missing", "off_sale", "deleted"])
def test_add_favorite_of_a_hidden_product_answers_404(client, customer, customer_headers, state):
    product_id = 987654
    if state != "missing":
        product = make_product(on_sale=state != "off_sale")
        if state == "deleted":
            product.delete_time = now()
            db.session.commit()
        product_id = product.id
    body = {"product_id": product_id}
    error(client.post("/v1/favorite", json=body, headers=customer_headers), 404, 30010)
    assert kept(customer.id) == []


@pytest.mark.parametrize("body", [{}, {"product_id": "x"}, {"product_id": 0}, {"product_id": 1.5}])
def test_add_favorite_with_a_bad_body_answers_400(client, customer_headers, body):
    error(client.post("/v1/favorite", json=body, headers=customer_headers), 400, 1000)


def test_add_favorite_of_a_product_kept_by_others_keeps_theirs(
    client, customer, other_customer, customer_headers
):
    product = make_product()
    make_favorite(other_customer, product)
    client.post("/v1/favorite", json={"product_id": product.id}, headers=customer_headers)
    assert (kept(customer.id), kept(other_customer.id)) == ([product.id], [product.id])


@needs_mariadb
def test_concurrent_adds_of_one_product_keep_one_row(app):
    user = make_user()
    product = make_product()
    user_id, product_id = user.id, product.id
    results = run_parallel(app, [lambda: favorite_service.add_favorite(user_id, product_id).id] * 5)
    assert all(isinstance(result, int) for result in results), results
    assert len(set(results)) == 1
    assert kept(user_id) == [product_id]


def test_remove_favorite_then_again_answers_404(client, customer, customer_headers):
    product = make_product()
    make_favorite(customer, product)
    response = client.delete(f"/v1/favorite/{product.id}", headers=customer_headers)
    assert (response.status_code, response.get_json()["data"]) == (202, {"product_id": product.id})
    assert kept(customer.id) == []
    error(client.delete(f"/v1/favorite/{product.id}", headers=customer_headers), 404, 36010)


def test_remove_favorite_kept_only_by_another_user_answers_404(
    client, customer, other_customer, customer_headers
):
    product = make_product()
    make_favorite(other_customer, product)
    error(client.delete(f"/v1/favorite/{product.id}", headers=customer_headers), 404, 36010)
    assert kept(other_customer.id) == [product.id]


def test_list_favorites_newest_first_with_invalid_products_flagged(
    client, customer, other_customer, customer_headers
):
    on_sale, off_sale, deleted = make_product(), make_product(), make_product()
    rows = [make_favorite(customer, product) for product in (on_sale, off_sale, deleted)]
    make_favorite(other_customer, on_sale)
    db.session.get(Product, off_sale.id).on_sale = False
    db.session.get(Product, deleted.id).delete_time = now()
    db.session.commit()
    data = client.get("/v1/favorite", headers=customer_headers).get_json()["data"]
    assert [item["id"] for item in data["items"]] == [row.id for row in reversed(rows)]
    assert [(item["invalid"], item["invalid_reason"]) for item in data["items"]] == [
        (True, "deleted"),
        (True, "off_sale"),
        (False, None),
    ]
    assert data["items"][0]["name"] == deleted.name
    assert (data["total"], data["current_page"], data["total_page"]) == (3, 1, 1)
    second = client.get("/v1/favorite?size=2&page=2", headers=customer_headers).get_json()["data"]
    assert [item["id"] for item in second["items"]] == [rows[0].id]


def test_list_favorites_statement_count_does_not_grow(client):
    counts = []
    for n in (2, 20):
        user = make_user()
        for _ in range(n):
            make_favorite(user, make_product(main_img_id=make_image().id))
        db.session.expire_all()
        with count_statements() as log:
            response = client.get("/v1/favorite?size=100", headers=auth_headers(user))
        assert len(response.get_json()["data"]["items"]) == n
        counts.append(log.count)
    assert counts[0] == counts[1] == 3  # the user, the count, the page with its products


def test_check_favorites_answers_each_id(client, customer, other_customer, customer_headers):
    mine, theirs = make_product(), make_product()
    make_favorite(customer, mine)
    make_favorite(other_customer, theirs)
    path = f"/v1/favorite/check?product_ids={mine.id},{theirs.id},987654,{mine.id}"
    data = client.get(path, headers=customer_headers).get_json()["data"]
    assert data == {str(mine.id): True, str(theirs.id): False, "987654": False}


@pytest.mark.parametrize(
    "query", ["", "?product_ids=", "?product_ids=a,b", "?product_ids=0", "?product_ids=1,,2"]
)
def test_check_favorites_with_bad_ids_answers_400(client, customer_headers, query):
    error(client.get(f"/v1/favorite/check{query}", headers=customer_headers), 400, 1000)


def test_check_favorites_takes_at_most_100_ids(client, customer_headers):
    ids = ",".join(str(i) for i in range(1, 102))
    error(client.get(f"/v1/favorite/check?product_ids={ids}", headers=customer_headers), 400, 1000)
    ids = ",".join(str(i) for i in range(1, 101))
    ok = client.get(f"/v1/favorite/check?product_ids={ids}", headers=customer_headers)
    assert len(ok.get_json()["data"]) == 100


def test_product_detail_body_is_the_same_for_keepers_and_anonymous(client, customer):
    product = make_product()
    make_favorite(customer, product)
    cache.clear()
    mine = client.get(f"/v1/product/{product.id}", headers=auth_headers(customer))
    anonymous = client.get(f"/v1/product/{product.id}")
    assert mine.get_data() == anonymous.get_data()
    assert mine.headers["ETag"] == anonymous.headers["ETag"]
    assert "favorite" not in mine.get_json()["data"]


def test_deleting_an_account_forgets_its_favorites(client, customer, customer_headers):
    make_favorite(customer)
    response = client.delete("/v1/user", headers=customer_headers)
    assert response.status_code == 202, response.get_json()
    assert kept(customer.id) == []
