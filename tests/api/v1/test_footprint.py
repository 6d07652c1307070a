"""/v1/footprint and the footprint a logged-in product detail read records: one row per
product per day for one upsert on the read, at most 200 kept, listed by day, deleted by id."""

import pytest
from sqlalchemy import select

from app.core.timefmt import local_date
from app.extensions import cache, db
from app.models import Footprint, Product, User
from app.models.base import now
from app.services import footprint as footprint_service
from tests.factories import auth_headers, make_footprint, make_image, make_product, make_user
from tests.helpers import count_statements, error

FOOTPRINT_MAX = footprint_service.FOOTPRINT_MAX


def stored(user_id):
    db.session.rollback()
    return db.session.execute(
        select(Footprint.product_id, Footprint.day, Footprint.update_time)
        .where(Footprint.user_id == user_id)
        .order_by(Footprint.id)
    ).all()


@pytest.fixture
def no_trim(monkeypatch):
    monkeypatch.setattr(footprint_service, "_trim_now", lambda: False)


@pytest.fixture
def always_trim(monkeypatch):
    monkeypatch.setattr(footprint_service, "_trim_now", lambda: True)


# ---------------------------------------------------------- recording on GET


def test_product_detail_with_a_token_records_one_footprint_a_day(
    client, customer, customer_headers, no_trim, monkeypatch
):
    product = make_product()
    assert client.get(f"/v1/product/{product.id}", headers=customer_headers).status_code == 200
    ((product_id, day, first_time),) = stored(customer.id)
    assert (product_id, day) == (product.id, int(local_date(first_time)))
    monkeypatch.setattr(footprint_service, "now", lambda: first_time + 5)
    client.get(f"/v1/product/{product.id}", headers=customer_headers)  # cached answer
    assert stored(customer.id) == [(product.id, day, first_time + 5)]


def test_a_new_day_gets_a_new_footprint(client, customer, customer_headers, no_trim, monkeypatch):
    product = make_product()
    client.get(f"/v1/product/{product.id}", headers=customer_headers)
    tomorrow = now() + 86400
    monkeypatch.setattr(footprint_service, "now", lambda: tomorrow)
    client.get(f"/v1/product/{product.id}", headers=customer_headers)
    assert [row.day for row in stored(customer.id)] == sorted(
        {int(local_date(now())), int(local_date(tomorrow))}
    )


def test_anonymous_and_failed_reads_record_nothing(client, customer, customer_headers):
    product = make_product()
    hidden = make_product(on_sale=False)
    client.get(f"/v1/product/{product.id}")
    client.get(f"/v1/product/{hidden.id}", headers=customer_headers)
    client.get("/v1/product/987654", headers=customer_headers)
    client.get("/v1/product/99999999999999", headers=customer_headers)
    client.get(f"/v1/product/{product.id}", headers={"Authorization": "Bearer forged"})
    assert db.session.scalar(select(Footprint.id)) is None


def test_a_304_revalidation_records_the_footprint(client, customer, customer_headers, no_trim):
    product = make_product()
    etag = client.get(f"/v1/product/{product.id}").headers["ETag"]
    response = client.get(
        f"/v1/product/{product.id}", headers={**customer_headers, "If-None-Match": etag}
    )
    assert response.status_code == 304
    assert [row.product_id for row in stored(customer.id)] == [product.id]


def test_product_detail_with_a_token_costs_one_extra_statement(client, customer, no_trim):
    product = make_product()
    path = f"/v1/product/{product.id}"
    headers = auth_headers(customer)
    client.get(path)  # warm the cache
    with count_statements() as anonymous:
        assert client.get(path).status_code == 200
    with count_statements() as logged_in:
        assert client.get(path, headers=headers).status_code == 200
    assert anonymous.count == 0
    # The token's user row (every public read with a token loads it), then the one upsert.
    assert logged_in.count == 2
    assert logged_in.statements[0].lstrip().upper().startswith("SELECT")
    assert logged_in.statements[1].lstrip().upper().startswith("INSERT INTO FOOTPRINT")
    cache.clear()
    with count_statements() as cold_anonymous:
        client.get(path)
    cache.clear()
    with count_statements() as cold_logged_in:
        client.get(path, headers=headers)
    assert cold_logged_in.count == cold_anonymous.count + 2


def test_recorded_footprint_is_never_part_of_the_cached_body(client, customer, customer_headers):
    product = make_product()
    mine = client.get(f"/v1/product/{product.id}", headers=customer_headers)
    anonymous = client.get(f"/v1/product/{product.id}")
    assert mine.get_data() == anonymous.get_data()
    assert mine.headers["Cache-Control"] == anonymous.headers["Cache-Control"]


def test_a_failed_record_leaves_the_read_alone(app, client, customer):
    product = make_product()
    user_id = customer.id
    with app.test_request_context():
        footprint_service.record_view(987654, product.id)  # no such user: the key refuses it
    assert db.session.scalar(select(Footprint.id)) is None
    assert db.session.get(User, user_id) is not None  # the session still works


# ----------------------------------------------------------------- trimming


def _fill(user, count, day=20260101):
    products = [make_product() for _ in range(count)]
    for i, product in enumerate(products):
        make_footprint(user, product, day=day, at=1_000_000 + i)
    return products


def test_an_occasional_trim_keeps_the_newest_200(client, customer, customer_headers, always_trim):
    old = _fill(customer, FOOTPRINT_MAX + 5)
    product = make_product()
    client.get(f"/v1/product/{product.id}", headers=customer_headers)
    rows = stored(customer.id)
    assert len(rows) == FOOTPRINT_MAX
    kept = {row.product_id for row in rows}
    assert product.id in kept
    assert not {p.id for p in old[:6]} & kept  # the six oldest went
    assert {p.id for p in old[6:]} <= kept


def test_reads_between_trims_only_upsert(client, customer, customer_headers, no_trim):
    _fill(customer, FOOTPRINT_MAX)
    product = make_product()
    client.get(f"/v1/product/{product.id}", headers=customer_headers)
    assert len(stored(customer.id)) == FOOTPRINT_MAX + 1


def test_trim_runs_on_about_one_read_in_twenty():
    picks = [footprint_service._trim_now() for _ in range(4000)]
    assert 100 < sum(picks) < 320


def test_listing_trims_and_shows_at_most_200(client, customer, customer_headers):
    _fill(customer, FOOTPRINT_MAX + 3)
    data = client.get("/v1/footprint", headers=customer_headers).get_json()["data"]
    assert sum(len(day["items"]) for day in data["items"]) == FOOTPRINT_MAX
    assert len(stored(customer.id)) == FOOTPRINT_MAX


def test_trim_leaves_other_users_alone(customer, other_customer):
    _fill(customer, FOOTPRINT_MAX + 2)
    _fill(other_customer, 3)
    footprint_service.trim(customer.id)
    db.session.commit()
    assert (len(stored(customer.id)), len(stored(other_customer.id))) == (FOOTPRINT_MAX, 3)


# -------------------------------------------------------------------- listing


def test_list_footprints_by_day_latest_first(client, customer, other_customer, customer_headers):
    a = make_product(name="甲", price="1.50", main_img_id=make_image("/a.png").id)
    b, c = make_product(name="乙"), make_product(name="丙")
    first = make_footprint(customer, a, day=20261201, at=1000)
    second = make_footprint(customer, b, day=20261202, at=2000)
    third = make_footprint(customer, a, day=20261202, at=3000)
    gone = make_footprint(customer, c, day=20261130, at=500)
    make_footprint(other_customer, b, day=20261202, at=4000)
    db.session.get(Product, c.id).delete_time = now()
    db.session.get(Product, b.id).on_sale = False
    db.session.commit()
    data = client.get("/v1/footprint", headers=customer_headers).get_json()["data"]
    assert [(day["date"], [item["id"] for item in day["items"]]) for day in data["items"]] == [
        ("2026-12-02", [third.id, second.id]),
        ("2026-12-01", [first.id]),
        ("2026-11-30", [gone.id]),
    ]
    assert data["items"][1]["items"][0] == {
        "id": first.id,
        "product_id": a.id,
        "name": "甲",
        "main_image": "http://localhost/static/images/a.png",
        "price": "1.50",
        "invalid": False,
        "invalid_reason": None,
        "view_time": 1000,
    }
    reasons = [item["invalid_reason"] for day in data["items"] for item in day["items"]]
    assert reasons == [None, "off_sale", None, "deleted"]


def test_list_footprints_empty(client, customer_headers):
    response = client.get("/v1/footprint", headers=customer_headers)
    assert response.get_json()["data"] == {"items": []}


def test_list_footprints_statement_count_does_not_grow(client):
    counts = []
    for n in (2, 20):
        user = make_user()
        _fill(user, n)
        db.session.expire_all()
        with count_statements() as log:
            client.get("/v1/footprint", headers=auth_headers(user))
        counts.append(log.count)
    assert counts[0] == counts[1] == 3  # the user, the trim's look-up, the list


# ------------------------------------------------------------------- deleting


def test_delete_footprints_by_ids(client, customer, customer_headers):
    rows = [make_footprint(customer) for _ in range(3)]
    ids, kept = [rows[0].id, rows[2].id], rows[1].product_id
    response = client.delete(f"/v1/footprint/{ids[0]},{ids[1]}", headers=customer_headers)
    assert (response.status_code, response.get_json()["data"]) == (202, {"ids": ids})
    assert [row.product_id for row in stored(customer.id)] == [kept]


def test_delete_footprints_including_another_users_deletes_nothing(
    client, customer, other_customer, customer_headers
):
    mine = make_footprint(customer)
    theirs = make_footprint(other_customer)
    body = error(
        client.delete(f"/v1/footprint/{mine.id},{theirs.id}", headers=customer_headers),
        404,
        36020,
    )
    assert body["detail"] == {"ids": [theirs.id]}
    assert (len(stored(customer.id)), len(stored(other_customer.id))) == (1, 1)


@pytest.mark.parametrize(
    "ids", ["a", "1,,2", "0", ",".join(["1"] * 2 + [str(i) for i in range(2, 102)])]
)
def test_delete_footprints_with_bad_ids_answers_400(client, customer_headers, ids):
    error(client.delete(f"/v1/footprint/{ids}", headers=customer_headers), 400, 1000)


def test_deleting_an_account_forgets_its_footprints(client, customer, customer_headers):
    make_footprint(customer)
    assert client.delete("/v1/user", headers=customer_headers).status_code == 202
    assert stored(customer.id) == []
